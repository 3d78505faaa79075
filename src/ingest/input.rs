//! Turning what the user named (files, directories, glob patterns, `-`) into the
//! inputs to read, and opening them: gzip is recognised by its magic bytes.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::diag::Diagnostic;

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// The inputs `paths` name, in order: a directory stands for the files under it
/// (recursively, sorted by path, hidden entries left out), a pattern with `*`, `?` or
/// `[` for the files it matches (sorted).
pub fn expand(paths: &[impl AsRef<Path>]) -> Result<Vec<Input>, Diagnostic> {
    let mut out = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let name = p.display().to_string();
        if name == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files)?;
            if files.is_empty() {
                return Err(Diagnostic::data(format!("cannot read '{name}': the directory holds no files")));
            }
            out.extend(files.into_iter().map(Input::File));
        } else if p.exists() {
            out.push(Input::File(p.to_path_buf()));
        } else if name.contains(['*', '?', '[']) {
            let files = glob_files(&name)?;
            if files.is_empty() {
                return Err(Diagnostic::data(format!("no files match '{name}'")));
            }
            out.extend(files.into_iter().map(Input::File));
        } else {
            return Err(Diagnostic::data(format!("cannot read '{name}': no such file")));
        }
    }
    Ok(out)
}

fn glob_files(pattern: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let paths = glob::glob(pattern).map_err(|e| {
        Diagnostic::usage(format!("bad file pattern '{pattern}': {} (at character {})", e.msg, e.pos + 1))
    })?;
    let mut files = Vec::new();
    for entry in paths {
        let path = entry.map_err(|e| {
            Diagnostic::data(format!("cannot read '{}': {}", e.path().display(), super::io_reason(e.error())))
        })?;
        if path.is_dir() {
            walk(&path, &mut files)?;
        } else {
            files.push(path);
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// The files under `dir`, depth first in path order.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::data(format!("cannot read '{}': {}", dir.display(), super::io_reason(&e))))?;
    let mut entries: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// An input opened for reading.
pub struct Opened {
    pub reader: Box<dyn Read + Send>,
    /// Size on disk, when known and not compressed.
    pub size: Option<u64>,
    pub compressed: bool,
}

/// A reader that adds what it reads to a shared count (a progress bar reads it).
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The first bytes of every gzip file.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Open an input for reading, decompressing gzip (by its magic bytes, whatever the
/// name).
pub fn open(input: &Input, progress: Option<Arc<AtomicU64>>) -> Result<Opened, Diagnostic> {
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = match input {
        Input::Stdin => (Box::new(std::io::stdin()), None),
        Input::File(p) => {
            let f = File::open(p)
                .map_err(|e| Diagnostic::data(format!("cannot read '{}': {}", p.display(), super::io_reason(&e))))?;
            let size = f.metadata().ok().map(|m| m.len());
            match progress {
                Some(read) => (Box::new(Counted { inner: f, read }), size),
                None => (Box::new(f), size),
            }
        }
    };
    let mut buffered = BufReader::with_capacity(1 << 16, raw);
    let head = buffered
        .fill_buf()
        .map_err(|e| Diagnostic::data(format!("cannot read '{}': {}", input.name(), super::io_reason(&e))))?;
    if head.starts_with(&GZIP_MAGIC) {
        // Concatenated gzip members (as `cat a.gz b.gz` makes) are one stream.
        let reader = Box::new(flate2::bufread::MultiGzDecoder::new(buffered));
        return Ok(Opened { reader, size: None, compressed: true });
    }
    Ok(Opened { reader: Box::new(buffered), size, compressed: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_and_patterns_expand_in_order() {
        let dir = std::env::temp_dir().join(format!("flowq-expand-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b/c")).unwrap();
        for f in ["a.log", "b/c/z.log", "b/y.log", ".hidden", "b/x.txt"] {
            std::fs::write(dir.join(f), "x").unwrap();
        }
        let got = expand(std::slice::from_ref(&dir)).unwrap();
        let rel: Vec<String> = got
            .iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(&dir).unwrap().display().to_string(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(rel, ["a.log", "b/c/z.log", "b/x.txt", "b/y.log"]);
        let pattern = format!("{}/b/*.log", dir.display());
        assert_eq!(expand(&[pattern]).unwrap(), vec![Input::File(dir.join("b/y.log"))]);
        let none = format!("{}/*.gz", dir.display());
        assert!(expand(&[none]).unwrap_err().message.starts_with("no files match"));
        assert_eq!(expand(&["-"]).unwrap(), vec![Input::Stdin]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
