//! Reading flow log inputs into the record table. Input is read in large blocks, each
//! block cut at line boundaries into one chunk per core, the chunks parsed in parallel
//! straight into column builders, then concatenated in order.
//!
//! Formats: OCI VCN text and AWS VPC text (`text`, with `layout` and `tokenize`), OCI
//! Logging and AWS JSON (`json`). Inputs: files, directories, patterns, stdin, gzip
//! (`input`).

mod blocks;
pub mod columns;
pub mod formats;
pub mod input;
pub mod json;
mod json_cursor;
pub mod layout;
mod mapped;
mod report;
mod swar;
pub mod text;
pub mod tokenize;

use std::io::Read;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::schema::{FieldMask, LogSource};
use crate::store::Table;
use blocks::{read_blocks, Block};
use columns::{Columns, SinkResult};
use formats::{FlowFormat, Parser};
use layout::TextField;
use report::EXAMPLES;
pub use report::{InputReport, LoadReport, Skip};
use text::{AwsLayouts, HeaderState, PartOutcome, TextFormat};

#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Stop at the first malformed line instead of skipping it.
    pub strict: bool,
    /// The record fields to read; the others are passed over (unchecked) and null.
    pub fields: FieldMask,
    /// Parser threads.
    pub threads: usize,
    /// Read every input as this format rather than detecting it.
    pub format: Option<&'static dyn FlowFormat>,
    /// The fields of headerless AWS lines (`--aws-format`).
    pub aws_format: Option<Vec<TextField>>,
    /// Bytes of input files read so far (before decompression), for a progress bar.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    /// Map plain files into memory rather than read them (see `mapped`).
    pub mmap: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            strict: false,
            fields: FieldMask::all(),
            threads: crate::parallel::threads(),
            format: None,
            aws_format: None,
            progress: None,
            mmap: true,
        }
    }
}

/// Accumulates inputs into one record table.
pub struct Loader {
    opts: LoadOptions,
    columns: Columns,
    report: LoadReport,
    /// Size of the input being read, when known: the columns are then sized once.
    size_hint: Option<u64>,
    /// Expected rows of the load so far (from the size hint).
    expected: usize,
    /// What format detection and parsers need of this load.
    cx: formats::Context,
    /// The first and later block sizes of input in memory (small in tests, to cross
    /// many block edges).
    slices: (usize, usize),
}

impl Loader {
    pub fn new(mut opts: LoadOptions) -> Self {
        opts.fields = opts.fields.with_sources();
        let aws = std::sync::Arc::new(AwsLayouts::new(opts.fields, opts.aws_format.as_deref()));
        let cx = formats::Context { fields: opts.fields, aws, aws_format: opts.aws_format.clone() };
        Loader {
            columns: Columns::new(opts.fields),
            opts,
            report: LoadReport::default(),
            size_hint: None,
            expected: 0,
            cx,
            slices: (blocks::FIRST_SLICE, blocks::SLICE),
        }
    }

    /// Read the inputs a path names: a file (gzipped or not), a directory, a pattern,
    /// or `-` for standard input.
    pub fn add_path(&mut self, path: &Path) -> Result<(), Diagnostic> {
        for i in input::expand(&[path])? {
            self.add_input(&i)?;
        }
        Ok(())
    }

    pub fn add_input(&mut self, i: &input::Input) -> Result<(), Diagnostic> {
        if let Some(map) = self.map(i)? {
            self.size_hint = Some(map.bytes().len() as u64);
            let r = self.add_mapped(&i.name(), &map);
            self.size_hint = None;
            return r;
        }
        let opened = input::open(i, self.opts.progress.clone())?;
        self.size_hint = opened.size;
        self.add_reader(&i.name(), opened.reader)?;
        self.size_hint = None;
        if let Some(last) = self.report.inputs.last_mut() {
            last.compressed = opened.compressed;
        }
        Ok(())
    }

    /// A map of the plain (not gzipped) file `i` names, if it is one worth mapping and
    /// the load may map files.
    fn map(&self, i: &input::Input) -> Result<Option<mapped::Mapped>, Diagnostic> {
        let input::Input::File(path) = i else { return Ok(None) };
        if !self.opts.mmap {
            return Ok(None);
        }
        let file = std::fs::File::open(path)
            .map_err(|e| Diagnostic::data(format!("cannot read '{}': {}", path.display(), io_reason(&e))))?;
        let size = file.metadata().map_or(0, |m| if m.is_file() { m.len() } else { 0 });
        if size < mapped::MAP_FROM_BYTES {
            return Ok(None);
        }
        Ok(mapped::Mapped::new(&file, size).filter(|m| !m.bytes().starts_with(&input::GZIP_MAGIC)))
    }

    /// Read a mapped file: blocks are cut from the map where it lies, with no copy,
    /// and let go of once parsed.
    fn add_mapped(&mut self, name: &str, map: &mapped::Mapped) -> Result<(), Diagnostic> {
        let progress = self.opts.progress.clone();
        let data = map.bytes();
        let blocks = blocks::slices(data, self.slices.0, self.slices.1).map(|b| {
            if let Some(p) = &progress {
                p.fetch_add(b.len() as u64, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(b)
        });
        self.parse_blocks(name, blocks, |b: &[u8]| {
            let start = b.as_ptr() as usize - data.as_ptr() as usize;
            map.done_with(start, start + b.len());
        })
    }

    /// Read flow log lines from any reader.
    pub fn add_reader(&mut self, name: &str, reader: impl Read + Send) -> Result<(), Diagnostic> {
        // A reader thread fills the next block while the cores parse this one; blocks
        // go back to it for reuse, so their memory is touched once.
        let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<std::io::Result<Block>>(1);
        let (free_tx, free_rx) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::scope(|s| {
            s.spawn(move || read_blocks(reader, full_tx, free_rx));
            let r = self.parse_blocks(name, full_rx.iter(), |b: Block| {
                let _ = free_tx.send(b.data);
            });
            // Dropping the receiver stops the reader at its next block.
            drop(full_rx);
            r
        })
    }

    /// Parse an input's blocks in order; `done` takes each block back when it has
    /// been parsed.
    fn parse_blocks<B: AsRef<[u8]>>(
        &mut self,
        name: &str,
        blocks: impl Iterator<Item = std::io::Result<B>>,
        mut done: impl FnMut(B),
    ) -> Result<(), Diagnostic> {
        let first_row = self.columns.len;
        let mut report = InputReport { name: name.to_string(), format: "empty", ..Default::default() };
        let mut lines_before: u64 = 0;
        let mut parser: Option<Parser> = None;
        let mut format: Option<&'static dyn FlowFormat> = None;
        let mut header = HeaderState::default();
        let mut json_carry: Vec<u8> = Vec::new();
        let mut first: Option<String> = None;
        for block in blocks {
            let block = match block {
                Ok(b) => b,
                Err(e) if report.bytes > 0 && !self.opts.strict => {
                    report.cut_short = Some(format!("the input ends in the middle ({})", io_reason(&e)));
                    break;
                }
                Err(e) => return Err(Diagnostic::data(format!("cannot read '{name}': {}", io_reason(&e)))),
            };
            let mut data = block.as_ref();
            if report.bytes == 0 {
                // A byte order mark (editors and some exports write one) is not data.
                data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
            }
            if parser.is_none() {
                if let Some(line) = first_line(data) {
                    first = Some(String::from_utf8_lossy(line).chars().take(200).collect());
                    let (f, p) = formats::decide(name, line, self.opts.format, &self.cx)?;
                    report.format = f.label();
                    format = Some(f);
                    parser = Some(p);
                }
            }
            let outcomes = match &parser {
                None => Vec::new(), // blank so far
                Some(Parser::Text(format)) => self.parse_text_block(data, format, &mut header),
                Some(Parser::Json { lines: true }) => self.parse_json_lines_block(data),
                Some(Parser::Json { lines: false }) => {
                    json_carry.extend_from_slice(data);
                    let outcome = self.parse_json_block(&mut json_carry, false);
                    vec![outcome]
                }
            };
            self.account(name, &mut report, &mut lines_before, outcomes)?;
            report.bytes += data.len() as u64;
            done(block);
        }
        if matches!(parser, Some(Parser::Json { lines: false })) && !json_carry.is_empty() {
            let outcome = self.parse_json_block(&mut json_carry, true);
            self.account(name, &mut report, &mut lines_before, vec![outcome])?;
        }
        if report.records == 0 && report.skipped > 0 {
            // Nothing of it could be read: that is no flow log, not a few bad lines.
            let why = report.examples.first().map(|s| s.reason.clone()).unwrap_or_default();
            return Err(Diagnostic::data(format!("cannot read '{name}' as flow logs ({})", report.format))
                .note(format!("first line: {}", first.unwrap_or_default()))
                .note(format!("none of its records could be read; the first: {why}")));
        }
        report.rows = first_row..self.columns.len;
        if let Some(f) = format {
            let seen: Vec<LogSource> =
                self.columns.sources_since(first_row).into_iter().filter_map(LogSource::from_code).collect();
            report.format = f.label_after(&seen);
        }
        self.report.inputs.push(report);
        Ok(())
    }

    /// Count the rows and skipped lines of a block's parts; in strict mode the first
    /// skipped line ends the load.
    fn account(
        &mut self,
        name: &str,
        report: &mut InputReport,
        lines_before: &mut u64,
        outcomes: Vec<(SinkResult, PartOutcome)>,
    ) -> Result<(), Diagnostic> {
        let mut done = Vec::with_capacity(outcomes.len());
        for (sink, part) in outcomes {
            for s in part.skips {
                let skip = Skip { line: *lines_before + s.line, reason: s.reason };
                if self.opts.strict {
                    return Err(Diagnostic::data(format!("{name}:{}: malformed line: {}", skip.line, skip.reason))
                        .help("without --strict, malformed lines are skipped and counted"));
                }
                report.skipped += 1;
                if report.examples.len() < EXAMPLES {
                    report.examples.push(skip);
                }
            }
            *lines_before += part.lines;
            report.records += sink.rows as u64;
            done.push(sink);
        }
        self.columns.commit(done);
        Ok(())
    }

    /// Parse a block of text lines on all cores. A part that began with the wrong AWS
    /// layout (an earlier part of the block held a header line) is read again, the
    /// whole block on one core.
    fn parse_text_block(
        &mut self,
        data: &[u8],
        format: &TextFormat,
        header: &mut HeaderState,
    ) -> Vec<(SinkResult, PartOutcome)> {
        let parts = split_at_lines(data, parts_for(self.opts.threads, data.len()));
        let sizes = line_counts(&parts, self.opts.threads);
        if self.columns.len == 0 {
            self.expect_from(data.len(), sizes.iter().sum());
        }
        let start = header.clone();
        let parse = |p: &[u8], s: &mut columns::Sink| text::parse_part(p, s, format, &start);
        let results = parse_parts(&parts, self.opts.threads, self.columns.sinks(&sizes, self.expected), &parse);
        let consistent = results.iter().take(results.len().saturating_sub(1)).all(|(_, o)| o.state == start);
        let results = if consistent || parts.len() == 1 {
            results
        } else {
            let total = sizes.iter().sum();
            parse_parts(&[data], 1, self.columns.sinks(&[total], self.expected), &parse)
        };
        if let Some((_, last)) = results.last() {
            *header = last.state.clone();
        }
        results
    }

    /// Parse a block of JSON lines on all cores.
    fn parse_json_lines_block(&mut self, data: &[u8]) -> Vec<(SinkResult, PartOutcome)> {
        let parts = split_at_lines(data, parts_for(self.opts.threads, data.len()));
        let sizes = line_counts(&parts, self.opts.threads);
        if self.columns.len == 0 {
            self.expect_from(data.len(), sizes.iter().sum());
        }
        let mask = self.opts.fields;
        let parse = |p: &[u8], s: &mut columns::Sink| json::parse_lines(p, s, mask);
        parse_parts(&parts, self.opts.threads, self.columns.sinks(&sizes, self.expected), &parse)
    }

    /// Parse the complete JSON records at the front of `carry` (all of it at the end of
    /// the input), leaving an unfinished one for the next block.
    fn parse_json_block(&mut self, carry: &mut Vec<u8>, at_end: bool) -> (SinkResult, PartOutcome) {
        let cap = json::record_bound(carry);
        let mut sinks = self.columns.sinks(&[cap], self.expected);
        let mut sink = sinks.remove(0);
        let (outcome, used) = json::parse(carry, &mut sink, self.opts.fields, at_end);
        let result = sink.done();
        carry.drain(..used);
        (result, outcome)
    }

    /// At the first block: estimate the lines of the whole input from its size, so the
    /// columns are allocated once rather than grown by copying.
    fn expect_from(&mut self, block_bytes: usize, block_lines: usize) {
        if let (Some(size), true) = (self.size_hint, block_bytes > 0) {
            let estimate = (size as f64 / block_bytes as f64 * block_lines as f64 * 1.01) as usize;
            self.expected = self.columns.len + estimate;
        }
    }

    /// Read flow log text held in memory (parsed where it lies, as a mapped file is).
    pub fn add_bytes(&mut self, name: &str, data: &[u8]) -> Result<(), Diagnostic> {
        self.parse_blocks(name, blocks::slices(data, self.slices.0, self.slices.1).map(Ok), |_| {})
    }

    pub fn finish(self) -> (Table, LoadReport) {
        (self.columns.finish(), self.report)
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a directory".to_string(),
        _ => e.to_string(),
    }
}

fn first_line(data: &[u8]) -> Option<&[u8]> {
    data.split(|&c| c == b'\n').map(trim_line).find(|l| !l.iter().all(u8::is_ascii_whitespace))
}

fn trim_line(l: &[u8]) -> &[u8] {
    let l = l.strip_prefix(b"\xef\xbb\xbf").unwrap_or(l);
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// Parts a block of `len` bytes is cut into for `threads` parser threads: several per
/// thread, and none much over [`PART`], taken as the threads come free, so one that
/// falls behind (another program shares the cores) does not leave the others waiting
/// long at the end of the block.
fn parts_for(threads: usize, len: usize) -> usize {
    match threads {
        0 | 1 => 1,
        t => (t * 4).max(len / PART),
    }
}

/// The most bytes of a part worth having (a 4 MB part of a 128 MB block is ~55,000
/// lines).
const PART: usize = 4 << 20;

/// Lines in each part, counted on `threads` threads (the rows each part's sink must
/// hold).
fn line_counts(parts: &[&[u8]], threads: usize) -> Vec<usize> {
    crate::parallel::jobs(parts.to_vec(), threads, line_count)
}

/// Lines in `data` (a last line without a newline counts).
fn line_count(data: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', data).count() + usize::from(!data.is_empty() && !data.ends_with(b"\n"))
}

/// Parse each part into its sink with `parse`, on `threads` threads; results come
/// back in input order.
fn parse_parts(
    parts: &[&[u8]],
    threads: usize,
    sinks: Vec<columns::Sink<'_>>,
    parse: &(impl Fn(&[u8], &mut columns::Sink) -> PartOutcome + Sync),
) -> Vec<(SinkResult, PartOutcome)> {
    let jobs: Vec<_> = parts.iter().copied().zip(sinks).collect();
    crate::parallel::jobs(jobs, threads, |(p, mut s)| {
        let o = parse(p, &mut s);
        (s.done(), o)
    })
}

/// Cut `data` into about `n` pieces, each ending at a line end.
fn split_at_lines(data: &[u8], n: usize) -> Vec<&[u8]> {
    if data.len() < 1 << 16 || n == 1 {
        return vec![data];
    }
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let target = (data.len() * k / n).max(start);
        let end = match memchr::memchr(b'\n', &data[target..]) {
            Some(i) => target + i + 1,
            None => data.len(),
        };
        parts.push(&data[start..end]);
        start = end;
    }
    parts.push(&data[start..]);
    parts.retain(|p| !p.is_empty());
    parts
}

/// Load everything in `paths` into one table.
pub fn load_paths(paths: &[impl AsRef<Path>], opts: LoadOptions) -> Result<(Table, LoadReport), Diagnostic> {
    let inputs = input::expand(paths)?;
    let mut loader = Loader::new(opts);
    for i in &inputs {
        loader.add_input(i)?;
    }
    Ok(loader.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Value;

    fn sample(n: usize, bad_every: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if bad_every > 0 && i % bad_every == 7 {
                s.push_str("2 garbage line\n");
            } else {
                s.push_str(&format!(
                    "2 10.0.0.{} 10.0.1.1 {} 443 6 3 {} {} {} ACCEPT OK\n",
                    i % 250,
                    1000 + i % 60000,
                    i,
                    1_600_000_000 + i,
                    1_600_000_060 + i
                ));
            }
        }
        s
    }

    #[test]
    fn parallel_parse_equals_single_threaded() {
        let text = sample(60_000, 1000);
        let load = |threads| {
            let mut l = Loader::new(LoadOptions { strict: false, threads, ..LoadOptions::default() });
            l.add_bytes("t.log", text.as_bytes()).unwrap();
            l.finish()
        };
        let (a, ra) = load(1);
        let (b, rb) = load(4);
        assert_eq!(a.len(), b.len());
        assert_eq!(ra.inputs[0].skipped, 60);
        assert_eq!(ra.inputs[0].examples, rb.inputs[0].examples);
        assert_eq!(ra.inputs[0].examples[0], Skip { line: 8, reason: "expected 12 fields, found 3".into() });
        for row in (0..a.len()).step_by(97) {
            for c in 0..a.fields.len() {
                assert_eq!(a.get(c, row), b.get(c, row));
            }
        }
    }

    #[test]
    fn mapped_files_read_as_read_files_do() {
        let dir = std::env::temp_dir().join(format!("flowq-map-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = sample(40_000, 1000);
        assert!(text.len() as u64 > mapped::MAP_FROM_BYTES);
        let plain = dir.join("big.log");
        std::fs::write(&plain, &text).unwrap();
        let gz = dir.join("big.log.gz");
        // Stored, not compressed: the file is over the size worth mapping.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
        std::io::Write::write_all(&mut enc, text.as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        assert!(std::fs::metadata(&gz).unwrap().len() > mapped::MAP_FROM_BYTES);
        let small = dir.join("small.log");
        std::fs::write(&small, sample(10, 0)).unwrap();

        let mapping = Loader::new(LoadOptions::default());
        let file = |p: &std::path::Path| input::Input::File(p.to_path_buf());
        assert!(mapping.map(&file(&plain)).unwrap().is_some());
        assert!(mapping.map(&file(&gz)).unwrap().is_none(), "gzip is read through the decompressor");
        assert!(mapping.map(&file(&small)).unwrap().is_none());
        let reading = Loader::new(LoadOptions { mmap: false, ..LoadOptions::default() });
        assert!(reading.map(&file(&plain)).unwrap().is_none());

        let load = |p: &std::path::Path, mmap| {
            load_paths(&[p], LoadOptions { mmap, threads: 2, ..LoadOptions::default() }).unwrap()
        };
        let ((a, ra), (b, rb)) = (load(&plain, true), load(&plain, false));
        assert_eq!(load(&gz, true).0.len(), a.len());
        assert_eq!(a.len(), 40_000 - 40);
        assert_eq!(a.len(), b.len());
        assert_eq!((ra.inputs[0].skipped, &ra.inputs[0].examples), (rb.inputs[0].skipped, &rb.inputs[0].examples));
        assert_eq!(ra.inputs[0].bytes, text.len() as u64);
        for row in (0..a.len()).step_by(13) {
            for c in 0..a.fields.len() {
                assert_eq!(a.get(c, row), b.get(c, row));
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn blocks_in_memory_join_up_whatever_their_size() {
        // Text with a long tail of distinct strings (new to the dictionary in every
        // block) and skipped lines, read in one block and in small ones (the first
        // smaller still, so the columns grow past its estimate).
        let mut text = sample(30_000, 700);
        for i in 0..3000 {
            text.push_str(&format!("2 10.1.0.1 10.0.1.1 1 2 6 1 1 1 1 A{i} S{}\n", i % 7));
        }
        let load = |slices| {
            let mut l = Loader::new(LoadOptions { threads: 3, ..LoadOptions::default() });
            l.slices = slices;
            l.add_bytes("t.log", text.as_bytes()).unwrap();
            l.finish()
        };
        let (a, ra) = load((blocks::FIRST_SLICE, blocks::SLICE));
        let (b, rb) = load((10_000, 150_000));
        assert_eq!(a.len(), 33_000 - 43);
        assert_eq!(a.len(), b.len());
        assert_eq!(ra.inputs[0].examples, rb.inputs[0].examples);
        for row in 0..a.len() {
            for c in [
                crate::schema::Col::Action as usize,
                crate::schema::Col::SourceIp as usize,
                crate::schema::Col::Status as usize,
            ] {
                assert_eq!(a.get(c, row), b.get(c, row), "row {row}");
            }
        }
    }

    #[test]
    fn strict_stops_at_first_bad_line() {
        let mut l = Loader::new(LoadOptions { strict: true, threads: 2, ..LoadOptions::default() });
        let e = l.add_bytes("t.log", sample(20, 10).as_bytes()).unwrap_err();
        assert_eq!(e.message, "t.log:8: malformed line: expected 12 fields, found 3");
    }

    #[test]
    fn crlf_blank_lines_and_no_final_newline() {
        let mut l = Loader::new(LoadOptions::default());
        l.add_bytes(
            "t.log",
            b"\r\n2 1.1.1.1 2.2.2.2 1 2 6 1 1 1 1 ACCEPT OK\r\n\n2 1.1.1.1 2.2.2.2 1 2 6 1 1 1 1 REJECT OK",
        )
        .unwrap();
        let (t, r) = l.finish();
        assert_eq!(t.len(), 2);
        assert_eq!(r.skipped(), 0);
        assert_eq!(t.get(crate::schema::Col::Status as usize, 0), Value::str("OK"));
    }

    #[test]
    fn unknown_format_names_file_and_line() {
        let mut l = Loader::new(LoadOptions::default());
        let e = l.add_bytes("x.json", b"{\"a\": 1}\n").unwrap_err();
        assert_eq!(e.message, "cannot read 'x.json' as flow logs (JSON)");
        assert!(e.notes[0].contains("{\"a\": 1}"));
    }
}
