//! The `flowq` command line: parses arguments and hands over to the library.

mod cli;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: flowq::alloc::HugePageAlloc = flowq::alloc::HugePageAlloc;

fn main() -> ExitCode {
    cli::main()
}
