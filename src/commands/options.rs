//! The `name=value` options of commands: what each command takes (its
//! [`OptionDef`]s, which drive checking, did-you-mean and completion) and readers of
//! the values shared by several commands.

use crate::diag::{did_you_mean, Diagnostic};
use crate::store::time::Span as TimeSpan;
use crate::syntax::{Name, OptionArg};

use super::{CommandDef, R};

/// What an option's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A time span: `5min`, `1day`.
    Span,
    /// A whole number.
    Count,
    /// A number (`bucket span=`).
    Number,
    /// `true` or `false`.
    Bool,
    /// A field name.
    Field,
    /// A lookup table name.
    Table,
    /// A highlight colour.
    Color,
    /// Any text.
    Text,
}

/// One option of a command.
#[derive(Clone, Copy, Debug)]
pub struct OptionDef {
    pub name: &'static str,
    /// Other spellings accepted (`colour`).
    pub aliases: &'static [&'static str],
    pub kind: OptionKind,
    pub about: &'static str,
}

impl OptionDef {
    pub const fn new(name: &'static str, kind: OptionKind, about: &'static str) -> OptionDef {
        OptionDef { name, aliases: &[], kind, about }
    }

    /// Whether `name` (any case) is this option.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }
}

/// Every option written must be one the command takes.
pub fn check(def: &CommandDef, written: &[OptionArg]) -> R<()> {
    for o in written {
        if !def.options.iter().any(|d| d.is(&o.name.text)) {
            return Err(unknown(def, o));
        }
    }
    Ok(())
}

/// An option the command does not take: an error naming the ones it does.
fn unknown(def: &CommandDef, o: &OptionArg) -> Diagnostic {
    let d = Diagnostic::query(format!("{} has no option '{}'", def.name, o.name.text)).at(o.name.span);
    if def.options.is_empty() {
        return d.note(format!("{} takes no options", def.name));
    }
    match did_you_mean(&o.name.text, def.options.iter().map(|d| d.name)) {
        Some(s) => d.help(format!("did you mean '{s}'?")),
        None => d.note(format!(
            "{} takes {}",
            def.name,
            def.options.iter().map(|k| format!("{}=", k.name)).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The last option written as `name` (or one of its aliases), if any.
pub fn find<'a>(written: &'a [OptionArg], def: &OptionDef) -> Option<&'a OptionArg> {
    written.iter().rev().find(|o| def.is(&o.name.text))
}

/// A time span value.
pub fn span(o: &OptionArg) -> R<TimeSpan> {
    TimeSpan::parse(&o.value).ok_or_else(|| {
        Diagnostic::query(format!("'{}' is not a time span", o.value))
            .at(o.value_span)
            .help("write a number and a unit: 30s, 5min, 1hour, 1day, 1week, 1month (at most 10000 years)")
    })
}

/// A whole number of at least `min`.
pub fn count(o: &OptionArg, min: i64) -> R<usize> {
    match o.value.parse::<i64>() {
        Ok(n) if n >= min => Ok(n as usize),
        _ => Err(Diagnostic::query(format!("{} needs a whole number of {min} or more", o.name.text)).at(o.value_span)),
    }
}

/// A number from 0 to 1 (Oracle's `similarity`).
pub fn fraction(o: &OptionArg) -> R<f64> {
    match o.value.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(Diagnostic::query(format!("{} = {}: not a number from 0 to 1", o.name.text, o.value))
            .at(o.value_span)
            .help("e.g. 0.67")),
    }
}

/// `true` or `false`.
pub fn boolean(o: &OptionArg) -> R<bool> {
    match o.value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Diagnostic::query(format!("{} takes true or false", o.name.text)).at(o.value_span)),
    }
}

/// A field named by an option's value (`field='Flow End Time'`).
pub fn field_name(o: &OptionArg) -> Name {
    Name { text: o.value.clone(), quoted: true, span: o.value_span }
}
