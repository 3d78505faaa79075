//! The query as the rest of flowq sees it: our own types with spans, no pest.

pub use crate::commands::{Args, CommandDef};
pub use crate::diag::Span;

/// A whole query: the search clause and the stages after it.
#[derive(Clone, Debug)]
pub struct Query {
    pub search: SearchClause,
    pub stages: Vec<Stage>,
}

/// `[ <query> ]` inside a query (`multisearch`, `in [ … ]`): a whole query of its own.
#[derive(Clone, Debug)]
pub struct SubQuery {
    pub query: Query,
    /// The brackets and what is between them.
    pub span: Span,
}

/// Two subqueries are the same when they are the same text of the query (expressions
/// compare by what they say, and a subquery's stages have no equality of their own).
impl PartialEq for SubQuery {
    fn eq(&self, other: &Self) -> bool {
        self.span == other.span
    }
}

/// The first stage. `expr` is `None` for `*` (all records).
#[derive(Clone, Debug, PartialEq)]
pub struct SearchClause {
    pub expr: Option<Expr>,
    pub span: Span,
}

/// One `| command ...` stage: the command of the registry and what its file built from
/// the words after it.
#[derive(Clone, Debug)]
pub struct Stage {
    pub command: &'static CommandDef,
    pub args: Box<dyn Args>,
    /// The whole stage, command word to last argument.
    pub span: Span,
    /// The command word.
    pub name_span: Span,
}

impl Stage {
    /// The arguments as the command's own type, if they are of type `T`.
    pub fn args_as<T: 'static>(&self) -> Option<&T> {
        self.args.as_any().downcast_ref()
    }
}

/// `[ <condition> | stats <agg> as <name>, ... ]` in `addfields`.
#[derive(Clone, Debug, PartialEq)]
pub struct SubStats {
    /// `None` for `*`.
    pub filter: Option<Expr>,
    /// `* | where <expr>`: a where condition (expressions, not search terms).
    pub where_: Option<Expr>,
    /// `eventstats` rather than `stats`: over the groups themselves, attached to each.
    pub over_groups: bool,
    pub aggs: Vec<AggItem>,
    /// `by` of an eventstats form.
    pub by: Vec<Name>,
    pub span: Span,
}

/// `<label> = <lo> - <hi>` in `bucket`.
#[derive(Clone, Debug, PartialEq)]
pub struct BucketRange {
    pub label: String,
    pub low: f64,
    pub high: f64,
    pub span: Span,
}

/// A name as written: `'Source IP'` (quoted) or `Action` (bare).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub quoted: bool,
    pub span: Span,
}

/// `field = expr` in `eval`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub target: Name,
    pub value: Expr,
}

/// `sum('Content Size Out') as Bytes`.
#[derive(Clone, Debug, PartialEq)]
pub struct AggItem {
    pub func: Name,
    pub args: Vec<Expr>,
    pub alias: Option<Name>,
    pub span: Span,
}

/// `name=value` before a command's arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionArg {
    pub name: Name,
    pub value: String,
    pub value_span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    pub field: Name,
    pub descending: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    pub n: i64,
    pub span: Span,
}

/// One item of `fields`: `+x`, `-x`, `Source*`, `x as y`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldsItem {
    pub pattern: Name,
    pub remove: bool,
    pub alias: Option<Name>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Concat,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinOp {
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }

    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Concat => "||",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A quoted or bare name: a field if one is in scope, else text.
    Name(Name),
    /// `"text"`: always text.
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Like {
        expr: Box<Expr>,
        patterns: Vec<Expr>,
        negated: bool,
    },
    In {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    /// `x [not] in [ <query> ]`: the values of the subquery's first column. A bracketed
    /// query alone in the search clause has no `x`: the field of that column's name.
    InQuery {
        expr: Option<Box<Expr>>,
        query: Box<SubQuery>,
        negated: bool,
    },
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    Call {
        func: Name,
        args: Vec<Expr>,
    },
}

impl ExprKind {
    /// `x [not] between low and high`, where a `None` bound is `*`, an open end:
    /// `between * and b` is `x <= b`, `between a and *` is `x >= a`, `between * and *`
    /// any value (`x != null`), as Oracle's dashboards write `Time between * and *`.
    pub fn between(x: Expr, low: Option<Expr>, high: Option<Expr>, negated: bool, at: Span) -> ExprKind {
        let x = Box::new(x);
        let kind = match (low, high) {
            (Some(low), Some(high)) => {
                return ExprKind::Between { expr: x, low: Box::new(low), high: Box::new(high), negated }
            }
            (Some(low), None) => ExprKind::Binary(BinOp::Ge, x, Box::new(low)),
            (None, Some(high)) => ExprKind::Binary(BinOp::Le, x, Box::new(high)),
            (None, None) => ExprKind::Binary(BinOp::Ne, x, Box::new(Expr { kind: ExprKind::Null, span: at })),
        };
        match negated {
            true => ExprKind::Not(Box::new(Expr { kind, span: at })),
            false => kind,
        }
    }
}
