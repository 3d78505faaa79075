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

/// What `paths` name: the inputs to read, and what a directory or pattern held that is
/// passed over, each with why (for the load's warnings).
#[derive(Debug, Default)]
pub struct Expanded {
    pub inputs: Vec<Input>,
    pub passed_over: Vec<String>,
}

/// The inputs `paths` name, in order: a directory stands for the regular files under it
/// (recursively, sorted by path, hidden entries left out), a pattern with `*`, `?` or
/// `[` for the files it matches (sorted). Found through a directory or a pattern, each
/// real file is read once however many links reach it, a link back up a directory is
/// not followed round, and what is not a regular file (a FIFO, a socket, a device) is
/// passed over with a warning; a path named on its own is always read.
pub fn expand(paths: &[impl AsRef<Path>]) -> Result<Expanded, Diagnostic> {
    let mut w = Walk::default();
    for p in paths {
        let p = p.as_ref();
        let name = p.display().to_string();
        if name == "-" {
            w.out.inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let before = w.out.inputs.len();
            w.walk(p)?;
            if w.out.inputs.len() == before {
                return Err(Diagnostic::data(format!("cannot read '{name}': the directory holds no files")));
            }
        } else if p.exists() {
            if let Ok(m) = std::fs::metadata(p) {
                w.seen_files.insert(identity(p, &m));
            }
            w.out.inputs.push(Input::File(p.to_path_buf()));
        } else if name.contains(['*', '?', '[']) {
            let before = w.out.inputs.len();
            w.glob(&name)?;
            if w.out.inputs.len() == before {
                return Err(Diagnostic::data(format!("no files match '{name}'")));
            }
        } else {
            return Err(Diagnostic::data(format!("cannot read '{name}': no such file")));
        }
    }
    Ok(w.out)
}

/// What identifies a real file however many links reach it: its device and inode
/// (one `stat`, where resolving the path's links costs a system call per component,
/// which over 10,000 small files is most of the time spent listing them).
#[cfg(unix)]
fn identity(_: &Path, m: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId::Inode(m.dev(), m.ino())
}

#[cfg(not(unix))]
fn identity(p: &Path, _: &std::fs::Metadata) -> FileId {
    FileId::Path(real_path(p))
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

/// The path with links resolved: what identifies a real file or directory.
fn real_path(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The state of one expansion: the real directories and files met so far.
#[derive(Default)]
struct Walk {
    seen_dirs: std::collections::HashSet<PathBuf>,
    seen_files: std::collections::HashSet<FileId>,
    out: Expanded,
}

impl Walk {
    fn glob(&mut self, pattern: &str) -> Result<(), Diagnostic> {
        let paths = glob::glob(pattern).map_err(|e| {
            Diagnostic::usage(format!("bad file pattern '{pattern}': {} (at character {})", e.msg, e.pos + 1))
        })?;
        let mut found = Vec::new();
        for entry in paths {
            found.push(entry.map_err(|e| {
                Diagnostic::data(format!("cannot read '{}': {}", e.path().display(), super::io_reason(e.error())))
            })?);
        }
        found.sort();
        found.dedup();
        for path in found {
            self.entry(&path)?;
        }
        Ok(())
    }

    /// The files under `dir`, depth first in path order.
    fn walk(&mut self, dir: &Path) -> Result<(), Diagnostic> {
        if !self.seen_dirs.insert(real_path(dir)) {
            self.pass_over(dir, "a directory already read (a link leads back to it)");
            return Ok(());
        }
        let read = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::data(format!("cannot read '{}': {}", dir.display(), super::io_reason(&e))))?;
        let mut entries: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            self.entry(&p)?;
        }
        Ok(())
    }

    /// One path found in a directory or by a pattern.
    fn entry(&mut self, p: &Path) -> Result<(), Diagnostic> {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => self.walk(p)?,
            Ok(m) if m.is_file() => {
                if self.seen_files.insert(identity(p, &m)) {
                    self.out.inputs.push(Input::File(p.to_path_buf()));
                } else {
                    self.pass_over(p, "the same file as one already read (a link to it)");
                }
            }
            Ok(_) => self.pass_over(p, "not a regular file (a FIFO, socket or device); name it on its own to read it"),
            Err(e) => self.pass_over(p, &super::io_reason(&e)),
        }
        Ok(())
    }

    fn pass_over(&mut self, p: &Path, why: &str) {
        self.out.passed_over.push(format!("{}: not read: {why}", p.display()));
    }
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
        let got = expand(std::slice::from_ref(&dir)).unwrap().inputs;
        let rel: Vec<String> = got
            .iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(&dir).unwrap().display().to_string(),
                Input::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(rel, ["a.log", "b/c/z.log", "b/x.txt", "b/y.log"]);
        let pattern = format!("{}/b/*.log", dir.display());
        assert_eq!(expand(&[pattern]).unwrap().inputs, vec![Input::File(dir.join("b/y.log"))]);
        let none = format!("{}/*.gz", dir.display());
        assert!(expand(&[none]).unwrap_err().message.starts_with("no files match"));
        assert_eq!(expand(&["-"]).unwrap().inputs, vec![Input::Stdin]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
