//! The language reference, from the registries: every command ([`crate::commands`]), every scalar
//! function ([`crate::funcs::scalars`]) and every aggregate
//! ([`crate::funcs::aggregate::AGGREGATES`]), each with its syntax, a one-line
//! description and examples with their expected output. `flowq reference` prints it,
//! docs/REFERENCE.md is it in Markdown (a test keeps the two equal), and the test suite
//! runs every example on [`EXAMPLE_RECORDS`].

use std::fmt::Write as _;

use crate::commands::{self, CommandDef, REGISTRY};
use crate::funcs::{self, aggregate::AGGREGATES};

/// The nine flow records every example runs on (OCI VCN text): a conversation over
/// two minutes and its reply, two rejects (one written in lower case), a record on the
/// next day, a NODATA record, IPv6 and DNS.
pub const EXAMPLE_RECORDS: &str = "\
2 10.0.0.5 203.0.113.7 443 51000 6 10 5000 1600000000 1600000060 ACCEPT OK
2 203.0.113.7 10.0.0.5 51000 443 6 4 300 1600000000 1600000060 ACCEPT OK
2 10.0.0.5 203.0.113.7 443 51000 6 12 7000 1600000060 1600000120 ACCEPT OK
2 198.51.100.9 10.0.0.6 40000 22 6 3 180 1600003600 1600003600 REJECT OK
2 198.51.100.9 10.0.0.6 40001 3389 6 3 180 1600003700 1600003700 reject OK
2 10.0.1.10 10.0.3.20 1521 45000 6 50 90000 1600090000 1600090050 ACCEPT OK
2 - - - - - - - 1600090000 1600090060 - NODATA
2 2001:db8::1 2001:db8::2 53 5353 17 1 120 1600090100 1600090100 ACCEPT OK
2 10.0.3.20 10.0.0.2 5353 53 17 1 80 1600090200 1600090200 ACCEPT OK
";

/// The command named `name`, case-insensitively.
pub fn command(name: &str) -> Option<&'static CommandDef> {
    commands::find(name)
}

fn example_block(out: &mut String, query: &str, result: &str) {
    let _ = writeln!(out, "```\n{query}\n```\n```csv\n{}```", result);
}

/// The whole reference in Markdown (docs/REFERENCE.md).
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "# flowq language reference\n\n\
         Generated from flowq's registry of commands, functions and aggregates (`flowq reference \
         --markdown`); a test keeps this file equal to it and runs every example. Examples run on \
         the nine records below (the rules of the language are in LANGUAGE.md).\n\n```\n",
    );
    out.push_str(EXAMPLE_RECORDS);
    out.push_str("```\n\n## Commands\n\n");
    for c in REGISTRY {
        let _ = writeln!(out, "### `{}`\n\n`{}`\n\n{}.\n", c.name, c.syntax, capital(c.about));
        for (q, r) in c.examples {
            example_block(&mut out, q, r);
            out.push('\n');
        }
    }
    out.push_str("## Functions\n\nFor `eval`, `where`, the search clause and conditions.\n\n");
    let mut groups: Vec<&str> = Vec::new();
    for f in funcs::scalars() {
        if !groups.contains(&f.group) {
            groups.push(f.group);
        }
    }
    for g in groups {
        let _ =
            writeln!(out, "### {}\n\n| function | what it gives | example | result |\n|---|---|---|---|", capital(g));
        for f in funcs::scalars().filter(|f| f.group == g) {
            let (ex, r) = f.examples.first().copied().unwrap_or(("", ""));
            let _ = writeln!(out, "| `{}` | {} | `{}` | `{}` |", cell(f.signature), cell(f.about), cell(ex), cell(r));
        }
        out.push('\n');
    }
    out.push_str("## Aggregates\n\nFor `stats`, `timestats`, `eventstats`, `addfields` and `stats` after `link`.\n\n");
    for a in AGGREGATES {
        let _ = writeln!(out, "### `{}`\n\n`{}`: {}.\n", a.name, a.signature, a.about);
        for (q, r) in a.examples {
            example_block(&mut out, q, r);
            out.push('\n');
        }
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// Help on one command, function or aggregate, as plain text; `None` if there is none.
pub fn topic(name: &str) -> Option<String> {
    let mut out = String::new();
    if let Some(c) = command(name) {
        let _ = writeln!(out, "{} (command)\n  {}\n  {}", c.name, c.syntax, c.about);
        for (q, _) in c.examples {
            let _ = writeln!(out, "  example: {q}");
        }
    }
    if let Some(f) = funcs::scalar(name) {
        let _ = writeln!(out, "{} (function, {})\n  {}\n  {}", f.name, f.group, f.signature, f.about);
        for (e, r) in f.examples {
            let _ = writeln!(out, "  example: {e}  →  {r}");
        }
    }
    if let Some(a) = AGGREGATES.iter().find(|a| a.name.eq_ignore_ascii_case(name)) {
        let _ = writeln!(out, "{} (aggregate)\n  {}\n  {}", a.name, a.signature, a.about);
        for (q, _) in a.examples {
            let _ = writeln!(out, "  example: {q}");
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Every command, function and aggregate in one screen.
pub fn summary() -> String {
    let mut out = String::from("Commands:\n");
    for c in REGISTRY {
        let _ = writeln!(out, "  {:<16} {}", c.name, c.about);
    }
    out.push_str("\nFunctions:\n");
    for f in funcs::scalars() {
        let _ = writeln!(out, "  {:<16} {}", f.name, f.about);
    }
    out.push_str("\nAggregates:\n");
    for a in AGGREGATES {
        let _ = writeln!(out, "  {:<16} {}", a.name, a.about);
    }
    out.push_str("\nflowq reference NAME shows one with its syntax and examples.\n");
    out
}
