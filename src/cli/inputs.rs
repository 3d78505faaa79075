//! The input options `run` and `inspect` share.

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::Args;

use flowq::diag::Diagnostic;
use flowq::ingest::formats::{self, FORMATS};
use flowq::ingest::{layout, LoadOptions, LoadReport};
use flowq::schema::FieldMask;

/// `--input-format`'s values: the formats' names, with their labels as help.
fn format_names() -> PossibleValuesParser {
    PossibleValuesParser::new(FORMATS.iter().map(|f| PossibleValue::new(f.name()).aliases(f.aliases()).help(f.about())))
}

#[derive(Args, Debug, Default)]
pub struct InputArgs {
    /// Flow logs to read (repeatable): a file (gzipped or not), a directory (read
    /// recursively), a quoted pattern such as 'logs/*.gz', or - for standard input.
    /// Without -i, the built-in demo data set
    #[arg(short = 'i', long = "input", value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    /// Read every input as this format instead of detecting it per file
    #[arg(long, value_name = "FORMAT", value_parser = format_names())]
    pub input_format: Option<String>,
    /// The fields of AWS lines without a header, in order: AWS's own format string
    /// ('${version} ${srcaddr} ...') or plain names, with dashes or underscores
    #[arg(long, value_name = "FIELDS")]
    pub aws_format: Option<String>,
    /// Stop at the first malformed input line instead of skipping it
    #[arg(long)]
    pub strict: bool,
    /// Read files with read calls instead of mapping them into memory (mapping is
    /// faster; use this for a file another program may truncate while flowq reads it)
    #[arg(long)]
    pub no_mmap: bool,
}

impl InputArgs {
    /// Load options for reading `fields`.
    pub fn load_options(&self, fields: FieldMask) -> Result<LoadOptions, Diagnostic> {
        let aws_format = match &self.aws_format {
            Some(spec) => Some(layout::parse_aws_format(spec).map_err(|e| {
                Diagnostic::usage(format!("bad --aws-format: {e}"))
                    .help("name AWS VPC fields in order, e.g. --aws-format 'version srcaddr dstaddr action'")
            })?),
            None => None,
        };
        let format = match &self.input_format {
            Some(name) => Some(formats::find(name).ok_or_else(|| {
                Diagnostic::usage(format!("--input-format: no format is called '{name}'"))
                    .note(format!("the formats: {}", formats::names().join(", ")))
            })?),
            None => None,
        };
        Ok(LoadOptions {
            strict: self.strict,
            fields,
            format,
            aws_format,
            mmap: !self.no_mmap,
            ..LoadOptions::default()
        })
    }
}

/// Print what could not be read to stderr.
pub fn warn(report: &LoadReport) {
    for w in report.warnings() {
        eprintln!("warning: {}", flowq::escape::escape_controls(&w));
    }
}
