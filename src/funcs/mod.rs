//! The function library: one registry of scalar functions and one of aggregates, each
//! entry with its signature, a one-line description and examples. The planner checks
//! calls against it, and the help text and docs/ are written from it.

pub mod aggregate;
mod convert;
mod date_patterns;
pub mod dates;
mod encode;
pub mod json_path;
mod math;
mod net;
pub mod scalar;
pub mod text;
pub mod xml_path;

use crate::store::{DataType, Value};

/// How a scalar function computes its value from its evaluated arguments.
pub type ScalarImpl = fn(&[Value]) -> Value<'static>;

/// The result type of a call, from the argument types.
pub type ReturnType = fn(&[DataType]) -> DataType;

/// One scalar function.
pub struct FuncDef {
    pub name: &'static str,
    pub group: &'static str,
    pub min_args: usize,
    /// `None`: any number from `min_args` on.
    pub max_args: Option<usize>,
    pub signature: &'static str,
    pub about: &'static str,
    /// (expression, what it gives) pairs; the test suite runs them.
    pub examples: &'static [(&'static str, &'static str)],
    /// `None` for functions the planner compiles itself (if, case, literal).
    pub eval: Option<ScalarImpl>,
    pub returns: ReturnType,
}

/// A registry entry, in one line per function.
#[allow(clippy::too_many_arguments)]
pub(crate) const fn def(
    name: &'static str,
    group: &'static str,
    min_args: usize,
    max_args: Option<usize>,
    signature: &'static str,
    about: &'static str,
    examples: &'static [(&'static str, &'static str)],
    eval: Option<ScalarImpl>,
    returns: ReturnType,
) -> FuncDef {
    FuncDef { name, group, min_args, max_args, signature, about, examples, eval, returns }
}

pub(crate) fn str_type(_: &[DataType]) -> DataType {
    DataType::Str
}

/// Text made by a function, as a value.
fn owned(s: String) -> Value<'static> {
    Value::Str(std::borrow::Cow::Owned(s))
}

/// Apply `f` to the first argument as text; null stays null.
fn on_text(a: &[Value], f: impl Fn(&str) -> Value<'static>) -> Value<'static> {
    a[0].to_text().map_or(Value::Null, |t| f(&t))
}

/// Every scalar function, group by group.
pub fn scalars() -> impl Iterator<Item = &'static FuncDef> {
    scalar::FUNCTIONS.iter().chain(text::FUNCTIONS).chain(dates::FUNCTIONS)
}

/// Find a scalar function by name, case-insensitively.
pub fn scalar(name: &str) -> Option<&'static FuncDef> {
    scalars().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// Every function name the language knows (scalar and aggregate), for suggestions.
pub fn all_names() -> impl Iterator<Item = &'static str> {
    scalars().map(|f| f.name).chain(aggregate::AGGREGATES.iter().map(|a| a.name))
}
