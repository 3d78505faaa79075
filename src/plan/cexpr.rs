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

/// The sub-expressions of `$e` (a `&CExpr` or `&mut CExpr`), as a list of `$r`.
macro_rules! children {
    ($e:expr, $r:ident) => {
        match $e {
            CExpr::Lit(_) | CExpr::Col(_) => Vec::new(),
            CExpr::Neg(a) | CExpr::Not(a) | CExpr::IsNull(a, _) => vec![$r(a)],
            CExpr::Contains { expr, .. }
            | CExpr::Like { expr, .. }
            | CExpr::CidrMatch { ip: expr, .. }
            | CExpr::Regex { expr, .. } => vec![$r(expr)],
            CExpr::And(a, b) | CExpr::Or(a, b) | CExpr::Arith(_, a, b) | CExpr::Concat(a, b) | CExpr::Cmp(_, a, b) => {
                vec![$r(a), $r(b)]
            }
            CExpr::In { expr, list, .. } => std::iter::once($r(expr)).chain(list.into_iter()).collect(),
            CExpr::Between { expr, low, high, .. } => vec![$r(expr), $r(low), $r(high)],
            CExpr::Call { args, .. } => args.into_iter().collect(),
            CExpr::If { branches, default } => {
                let mut out: Vec<_> = branches.into_iter().flat_map(|(c, v)| [c, v]).collect();
                out.extend(default.into_iter().map(|d| $r(d)));
                out
            }
        }
    };
}

fn by_ref(b: &CExpr) -> &CExpr {
    b
}

fn by_mut(b: &mut CExpr) -> &mut CExpr {
    b
}

impl CExpr {
    /// The expressions this one is made of.
    pub fn children(&self) -> Vec<&CExpr> {
        children!(self, by_ref)
    }

    fn children_mut(&mut self) -> Vec<&mut CExpr> {
        children!(self, by_mut)
    }

    /// The columns it reads, each as often as it is read.
    pub fn columns(&self, out: &mut Vec<usize>) {
        if let CExpr::Col(i) = self {
            out.push(*i);
        }
        self.children().into_iter().for_each(|c| c.columns(out));
    }

    /// Read column `to(i)` wherever it reads column `i` (for a table laid out anew).
    pub fn remap_columns(&mut self, to: &impl Fn(usize) -> usize) {
        if let CExpr::Col(i) = self {
            *i = to(*i);
        }
        self.children_mut().into_iter().for_each(|c| c.remap_columns(to));
    }

    pub(super) fn is_const(&self) -> bool {
        match self {
            CExpr::Lit(_) => true,
            CExpr::Col(_) => false,
            _ => self.children().into_iter().all(CExpr::is_const),
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
