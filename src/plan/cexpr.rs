//! Compiled expressions: what `exec` evaluates per row, with constants folded.

use regex::Regex;

use crate::funcs::ScalarImpl;
use crate::store::ip::Cidr;
use crate::store::{Table, Value};
use crate::syntax::BinOp;

/// An expression ready to run: evaluated per row by `exec`.
#[derive(Clone, Debug)]
pub enum CExpr {
    Col(usize),
    Lit(Value<'static>),
    Neg(Box<CExpr>),
    Not(Box<CExpr>),
    And(Box<CExpr>, Box<CExpr>),
    Or(Box<CExpr>, Box<CExpr>),
    /// `+ - * / %`
    Arith(BinOp, Box<CExpr>, Box<CExpr>),
    Concat(Box<CExpr>, Box<CExpr>),
    /// `= != < <= > >=`
    Cmp(BinOp, Box<CExpr>, Box<CExpr>),
    /// `x = null` (`true`) or `x != null` (`false`).
    IsNull(Box<CExpr>, bool),
    Like {
        expr: Box<CExpr>,
        patterns: Vec<Regex>,
        negated: bool,
    },
    In {
        expr: Box<CExpr>,
        list: Vec<CExpr>,
        negated: bool,
    },
    Between {
        expr: Box<CExpr>,
        low: Box<CExpr>,
        high: Box<CExpr>,
        negated: bool,
    },
    /// Case-insensitive substring test (free-text search terms); `needle` is lower case.
    Contains {
        expr: Box<CExpr>,
        needle: String,
    },
    /// `cidrmatch` with a constant block, parsed once.
    CidrMatch {
        ip: Box<CExpr>,
        cidr: Cidr,
    },
    Call {
        /// The function's name in the registry (for SQL and explain).
        name: &'static str,
        func: ScalarImpl,
        args: Vec<CExpr>,
    },
    /// `matches` (or `extractfirst` when `extract`) with a constant pattern, compiled once.
    Regex {
        expr: Box<CExpr>,
        re: Regex,
        extract: bool,
    },
    If {
        branches: Vec<(CExpr, CExpr)>,
        default: Option<Box<CExpr>>,
    },
}

impl CExpr {
    pub(super) fn is_const(&self) -> bool {
        match self {
            CExpr::Lit(_) => true,
            CExpr::Col(_) => false,
            CExpr::Neg(a) | CExpr::Not(a) | CExpr::IsNull(a, _) => a.is_const(),
            CExpr::Contains { expr, .. }
            | CExpr::Like { expr, .. }
            | CExpr::CidrMatch { ip: expr, .. }
            | CExpr::Regex { expr, .. } => expr.is_const(),
            CExpr::And(a, b) | CExpr::Or(a, b) | CExpr::Arith(_, a, b) | CExpr::Concat(a, b) | CExpr::Cmp(_, a, b) => {
                a.is_const() && b.is_const()
            }
            CExpr::In { expr, list, .. } => expr.is_const() && list.iter().all(CExpr::is_const),
            CExpr::Between { expr, low, high, .. } => expr.is_const() && low.is_const() && high.is_const(),
            CExpr::Call { args, .. } => args.iter().all(CExpr::is_const),
            CExpr::If { branches, default } => {
                branches.iter().all(|(c, v)| c.is_const() && v.is_const())
                    && default.as_ref().is_none_or(|d| d.is_const())
            }
        }
    }

    /// Evaluate now when nothing depends on a row.
    pub(super) fn fold(self) -> CExpr {
        if matches!(self, CExpr::Lit(_)) || !self.is_const() {
            return self;
        }
        let empty = Table::new(0);
        let v = self.eval(&empty, 0).into_owned();
        CExpr::Lit(v)
    }
}
