//! Reading flow log inputs into the record table. Input is read in large blocks, each
//! block cut at line boundaries into one chunk per core, the chunks parsed in parallel
//! straight into column builders, then concatenated in order.
//!
//! Formats: OCI VCN text and AWS VPC text (`text`, with `layout` and `tokenize`), OCI
//! Logging and AWS JSON (`json`). Inputs: files, directories, patterns, stdin, gzip
//! (`input`).

mod ahead;
mod blocks;
pub mod columns;
pub mod formats;
pub mod input;
pub mod json;
pub mod json_azure;
mod json_cursor;
mod json_fields;
pub mod json_gcp;
mod json_walk;
pub mod layout;
mod mapped;
pub mod parquet;
mod parts;
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
use parts::{line_counts, parse_parts, parts_for, split_at_lines};
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
        let found = input::expand(&[path])?;
        self.report.passed_over.extend(found.passed_over);
        self.add_inputs(&found.inputs)
    }

    pub fn add_input(&mut self, i: &input::Input) -> Result<(), Diagnostic> {
        if let input::Input::File(path) = i {
            if parquet::file_is_parquet(path) {
                return self.add_parquet(&i.name(), parquet::Bytes::File(path));
            }
        }
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
        Ok(mapped::Mapped::new(&file, size, &path.display().to_string())
            .filter(|m| !m.bytes().starts_with(&input::GZIP_MAGIC)))
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
        self.columns.begin_input(name);
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
                    first = Some(String::from_utf8_lossy(&line[..line.len().min(800)]).chars().take(200).collect());
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
                    self.parse_json_block(&mut json_carry, false)
                }
            };
            self.account(name, &mut report, &mut lines_before, outcomes)?;
            report.bytes += data.len() as u64;
            done(block);
        }
        if matches!(parser, Some(Parser::Json { lines: false })) && !json_carry.is_empty() {
            let outcomes = self.parse_json_block(&mut json_carry, true);
            self.account(name, &mut report, &mut lines_before, outcomes)?;
        }
        self.finish_input(name, report, first_row, first, format)
    }

    /// Close the report of an input whose records start at `first_row`: an input of
    /// which no record could be read is an error; the format's words follow the Log
    /// Sources read.
    fn finish_input(
        &mut self,
        name: &str,
        mut report: InputReport,
        first_row: usize,
        first: Option<String>,
        format: Option<&'static dyn FlowFormat>,
    ) -> Result<(), Diagnostic> {
        if report.records == 0 && report.skipped > 0 {
            // Nothing of it could be read: that is no flow log, not a few bad lines.
            let why = report.examples.first().map(|s| s.reason.clone()).unwrap_or_default();
            let mut d = Diagnostic::data(format!("cannot read '{name}' as flow logs ({})", report.format));
            if let Some(first) = first {
                d = d.note(format!("first line: {first}"));
            }
            return Err(d.note(format!("none of its records could be read; the first: {why}")));
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
                    let place = report.place();
                    return Err(Diagnostic::data(format!("{name}:{}: malformed {place}: {}", skip.line, skip.reason))
                        .help(format!("without --strict, malformed {place}s are skipped and counted")));
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
        if parquet::is_parquet(data) {
            return self.add_parquet(name, parquet::Bytes::Memory(bytes::Bytes::copy_from_slice(data)));
        }
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

/// Load everything in `paths` into one table.
pub fn load_paths(paths: &[impl AsRef<Path>], opts: LoadOptions) -> Result<(Table, LoadReport), Diagnostic> {
    let found = input::expand(paths)?;
    let mut loader = Loader::new(opts);
    loader.report.passed_over = found.passed_over;
    loader.add_inputs(&found.inputs)?;
    Ok(loader.finish())
}

#[cfg(test)]
mod tests;
