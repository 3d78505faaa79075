//! `flowq reference`: the language reference from the registry.

use clap::Args;

use flowq::diag::{did_you_mean, Diagnostic};
use flowq::reference;

#[derive(Args, Debug)]
pub struct ReferenceArgs {
    /// A command, function or aggregate to show (all of them in brief without one)
    #[arg(value_name = "NAME")]
    name: Option<String>,
    /// The whole reference as Markdown (docs/REFERENCE.md)
    #[arg(long, conflicts_with = "name")]
    markdown: bool,
}

pub fn reference(args: ReferenceArgs) -> Result<u8, Diagnostic> {
    if args.markdown {
        print!("{}", reference::markdown());
        return Ok(0);
    }
    let Some(name) = args.name else {
        print!("{}", reference::summary());
        return Ok(0);
    };
    match reference::topic(&name) {
        Some(text) => {
            print!("{text}");
            Ok(0)
        }
        None => {
            let names = flowq::commands::names().chain(flowq::funcs::all_names()).collect::<Vec<_>>();
            let d = Diagnostic::usage(format!("no command, function or aggregate is called '{name}'"));
            Err(match did_you_mean(&name, names) {
                Some(s) => d.help(format!("did you mean '{s}'?")),
                None => d.help("flowq reference lists them all"),
            })
        }
    }
}
