//! The `flowq` command line: parses arguments and hands over to the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
