//! The commands of the language, one file each, and the one registry of them.
//!
//! A command's file holds everything about it: its [`CommandDef`] (name, syntax, about
//! text, options with their kinds, examples with their results on
//! [`crate::reference::EXAMPLE_RECORDS`]), the type of its arguments, how they are built
//! from the grammar's pairs (`build`), how they are planned into operators
//! ([`Args::plan`]), and its tests (its examples run as tests beside it). [`REGISTRY`]
//! lists them all; the parser's dispatch, did-you-mean, option checking, the console's
//! completion and colouring, `flowq reference`, `:help` and docs/REFERENCE.md all read
//! it. Adding a command is the grammar rule plus one file and its line here
//! (docs/ARCHITECTURE.md, "Adding a command").

use std::any::Any;
use std::fmt;

use crate::diag::Diagnostic;
use crate::plan::Planner;
use crate::syntax::parts::Parts;
use crate::syntax::Stage;

pub mod addfields;
pub mod bucket;
pub mod classify;
pub mod cluster;
pub mod compare;
pub mod createtable;
pub mod createview;
pub mod dedup;
pub mod delta;
pub mod distinct;
pub mod elsewhere;
pub mod eval;
pub mod eventstats;
pub mod extract;
pub mod fields;
pub mod fieldsummary;
pub mod geostats;
pub mod head;
pub mod highlight;
pub mod jsonextract;
pub mod link;
pub mod linkdetails;
pub mod lookup;
pub mod multisearch;
pub mod nlp;
pub mod options;
pub mod outlier;
pub mod rare;
pub mod regex;
pub mod rename;
pub mod search;
pub mod searchlookup;
pub mod sequence;
pub mod sort;
pub mod stats;
pub mod tail;
pub mod timecluster;
pub mod timecompare;
pub mod timestats;
pub mod top;
pub mod r#where;

pub use highlight::{HIGHLIGHT_COLORS, HIGHLIGHT_COLUMN};
pub use options::{OptionDef, OptionKind};

type R<T> = Result<T, Diagnostic>;

/// Every command, in the order of the reference.
pub const REGISTRY: &[&CommandDef] = &[
    &search::DEF,
    &multisearch::DEF,
    &r#where::DEF,
    &eval::DEF,
    &stats::DEF,
    &geostats::DEF,
    &timestats::DEF,
    &eventstats::DEF,
    &link::DEF,
    &linkdetails::DEF,
    &sequence::DEF,
    &addfields::DEF,
    &sort::DEF,
    &head::DEF,
    &tail::DEF,
    &top::TOP,
    &top::BOTTOM,
    &rare::DEF,
    &rare::FREQUENT,
    &fields::DEF,
    &rename::DEF,
    &distinct::DEF,
    &dedup::DEF,
    &bucket::DEF,
    &regex::DEF,
    &extract::DEF,
    &jsonextract::DEF,
    &jsonextract::XML,
    &delta::DEF,
    &timecompare::DEF,
    &timecluster::DEF,
    &compare::DEF,
    &highlight::ROWS,
    &highlight::GROUPS,
    &highlight::WORDS,
    &lookup::DEF,
    &searchlookup::DEF,
    &createtable::DEF,
    &createview::CREATEVIEW,
    &createview::MAP,
    &classify::DEF,
    &fieldsummary::DEF,
    &outlier::DEF,
    &nlp::DEF,
    &cluster::CLUSTER,
    &cluster::DETAILS,
    &cluster::SPLIT,
    &cluster::COMPARE,
];

/// One command of the language.
pub struct CommandDef {
    pub name: &'static str,
    pub syntax: &'static str,
    pub about: &'static str,
    /// The `name=value` options it takes.
    pub options: &'static [OptionDef],
    /// What a user would call its own grammar rules, for "expected …" in parse errors.
    pub phrases: &'static [(crate::syntax::parts::Rule, &'static str)],
    /// (query, its result on [`crate::reference::EXAMPLE_RECORDS`] as CSV).
    pub examples: &'static [(&'static str, &'static str)],
    /// Its arguments from the pairs the grammar matched.
    pub build: fn(Parts<'_>) -> R<Box<dyn Args>>,
}

impl fmt::Debug for CommandDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A command's arguments, as its file built them.
pub trait Args: AnyArgs + fmt::Debug + Send + Sync {
    /// Turn the stage into operators and the scope after it.
    fn plan(&self, p: &mut Planner<'_>, stage: &Stage) -> R<()>;

    /// The `name=value` options written, checked against [`CommandDef::options`]
    /// before [`Args::plan`] runs.
    fn options(&self) -> &[crate::syntax::OptionArg] {
        &[]
    }

    /// Whether its answer over records is the same in any order of the records. The
    /// others (head, dedup, fields, …) see records newest first, so the load reads Time
    /// for them.
    fn order_free(&self) -> bool {
        false
    }
}

/// What every argument type gets for free: cloning behind a box, and a view as `Any`
/// (tests look inside the arguments of a parsed stage).
pub trait AnyArgs {
    fn clone_box(&self) -> Box<dyn Args>;
    fn as_any(&self) -> &dyn Any;
}

impl<T: Args + Clone + 'static> AnyArgs for T {
    fn clone_box(&self) -> Box<dyn Args> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Clone for Box<dyn Args> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// Other spellings Oracle's own pages use for a command: the fields page writes
/// `field -Derived*`.
const ALIASES: &[(&str, &str)] = &[("field", "fields")];

/// The command named `name` (or one of its aliases), case-insensitively.
pub fn find(name: &str) -> Option<&'static CommandDef> {
    let name = ALIASES.iter().find(|(alias, _)| alias.eq_ignore_ascii_case(name)).map_or(name, |(_, to)| to);
    REGISTRY.iter().copied().find(|c| c.name.eq_ignore_ascii_case(name))
}

/// The names of every command.
pub fn names() -> impl Iterator<Item = &'static str> + Clone {
    REGISTRY.iter().map(|c| c.name)
}

/// A test, beside a command, that its examples give their stated results.
macro_rules! examples_test {
    ($($def:ident),+) => {
        #[cfg(test)]
        mod examples {
            $(
                #[test]
                #[allow(non_snake_case)]
                fn $def() {
                    crate::commands::check_examples(&super::$def);
                }
            )+
        }
    };
}
pub(crate) use examples_test;

/// The examples of a command give their stated results (each command's tests call it).
#[cfg(test)]
fn check_examples(def: &CommandDef) {
    let session = crate::session::Session::from_text("examples.log", crate::reference::EXAMPLE_RECORDS.as_bytes())
        .expect("the example records load");
    assert!(!def.examples.is_empty(), "{} has no example", def.name);
    for (q, want) in def.examples {
        let out = session.run(q).unwrap_or_else(|f| panic!("{q}: {}", f.error.message));
        let mut buf = Vec::new();
        crate::output::csv::write(&out.table, false, &mut buf).expect("CSV in memory");
        assert_eq!(String::from_utf8_lossy(&buf), *want, "{q}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lower_case() {
        let mut seen: Vec<&str> = names().collect();
        assert!(seen.iter().all(|n| n.chars().all(|c| c.is_ascii_lowercase())));
        seen.sort_unstable();
        let n = seen.len();
        seen.dedup();
        assert_eq!(seen.len(), n);
    }

    #[test]
    fn every_command_parses_as_itself() {
        // `* | <name>` either parses or stops with a grammar error about its arguments;
        // never "unknown command": the grammar and the registry know the same commands.
        for def in REGISTRY {
            let q = format!("* | {}", def.name);
            match crate::syntax::parse(&q) {
                Ok(parsed) => assert_eq!(parsed.stages[0].command.name, def.name),
                Err(e) => assert!(!e.message.contains("unknown command"), "{q}: {}", e.message),
            }
        }
    }

    #[test]
    fn the_grammar_lists_exactly_the_registry() {
        // The grammar's `known_command` rule names one keyword rule per command word.
        let grammar = include_str!("../../grammar/flowq.pest");
        let start = grammar.find("known_command = _{").expect("known_command in the grammar");
        let end = start + grammar[start..].find('}').expect("its end");
        let mut words: Vec<&str> = grammar[start..end]
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter_map(|w| w.strip_prefix("kw_"))
            .collect();
        let mut registry: Vec<&str> = names().collect();
        words.sort_unstable();
        registry.sort_unstable();
        assert_eq!(words, registry);
    }
}
