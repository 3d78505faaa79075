//! `flowq gen`: write synthetic flow logs.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::Args;

use flowq::diag::Diagnostic;
use flowq::gen::{generate, GenFormat, GenOptions, GenShape};
use flowq::store::time;

#[derive(Args, Debug)]
pub struct GenArgs {
    /// Number of records to write
    #[arg(long, default_value_t = 700_000)]
    records: u64,
    /// Random seed: the same seed writes the same file
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// First day of the period (YYYY-MM-DD, UTC)
    #[arg(long, default_value = "2025-06-01")]
    start: String,
    /// Length of the period in days
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3660))]
    days: u32,
    /// The format to write the records in
    #[arg(short, long, value_enum, default_value_t = WrittenFormat::Oci)]
    format: WrittenFormat,
    /// The shape of the data (what bench/compare.sh measures besides the default)
    #[arg(long, value_enum, default_value_t = WrittenShape::Default)]
    shape: WrittenShape,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The shapes `flowq gen` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum WrittenShape {
    /// Connections keep their ephemeral port over their records
    Default,
    /// A fresh ephemeral port for every record: link groups by day and 4-tuple are nearly the records
    NearUnique,
    /// The hosts other than the named servers have IPv6 addresses (about half of all addresses)
    Ipv6,
}

/// The formats `flowq gen` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum WrittenFormat {
    /// OCI VCN flow logs, text (12 fields)
    Oci,
    /// OCI Logging JSON, one record a line
    OciJson,
    /// AWS VPC flow logs, text (the default 14 fields)
    Aws,
    /// AWS VPC flow logs, text: a version 5 custom format of 29 fields behind a header line
    AwsV5,
    /// GCP VPC Flow Logs, Cloud Logging entries one a line (records without traffic left out)
    GcpJson,
    /// Azure VNet flow logs, blobs of 100 tuples a line (records without traffic left out)
    AzureVnet,
}

pub fn gen(args: GenArgs) -> Result<u8, Diagnostic> {
    let start = time::parse(&args.start)
        .ok_or_else(|| Diagnostic::usage(format!("--start: '{}' is not a date (YYYY-MM-DD)", args.start)))?;
    let format = match args.format {
        WrittenFormat::Oci => GenFormat::Oci,
        WrittenFormat::OciJson => GenFormat::OciJson,
        WrittenFormat::Aws => GenFormat::Aws,
        WrittenFormat::AwsV5 => GenFormat::AwsV5,
        WrittenFormat::GcpJson => GenFormat::GcpJson,
        WrittenFormat::AzureVnet => GenFormat::AzureVnet,
    };
    let shape = match args.shape {
        WrittenShape::Default => GenShape::Default,
        WrittenShape::NearUnique => GenShape::NearUnique,
        WrittenShape::Ipv6 => GenShape::Ipv6,
    };
    let opts = GenOptions {
        records: args.records,
        seed: args.seed,
        start: start.div_euclid(1000),
        days: args.days,
        format,
        shape,
    };
    let io_err = |e: std::io::Error| Diagnostic::runtime(format!("cannot write the flow logs: {e}"));
    let n = match &args.output {
        Some(path) => {
            let f = File::create(path)
                .map_err(|e| Diagnostic::runtime(format!("cannot create '{}': {e}", path.display())))?;
            let mut w = BufWriter::with_capacity(1 << 20, f);
            let n = generate(&opts, &mut w).map_err(io_err)?;
            w.flush().map_err(io_err)?;
            eprintln!("wrote {n} records to {}", path.display());
            n
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
            match generate(&opts, &mut w).and_then(|n| w.flush().map(|_| n)) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(0),
                Err(e) => return Err(io_err(e)),
            }
        }
    };
    let _ = n;
    Ok(0)
}
