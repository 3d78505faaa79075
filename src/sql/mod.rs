//! Pipelines as ClickHouse SQL (`flowq sql`, `run --engine clickhouse`).
//!
//! The longest prefix of a plan's operators that ClickHouse can run with the local
//! engine's answers becomes one statement of nested subqueries, one per operator; the
//! rest runs locally on its result. Every column of every layer has a generated alias
//! (`_1`, `_2`, ...), so an alias never shadows a column of the layer below (ClickHouse
//! resolves aliases before columns); display names appear only in the outermost
//! SELECT. The order of rows follows the local engine exactly: records newest first
//! (ties in load order, by `seq`), groups by their keys (text case-insensitively, nulls
//! last), `sort` stable over the order before it.

pub mod expr;
mod funcs;
mod lookup;
pub mod model;
mod ops;
pub mod quote;
mod stages;

use std::collections::HashMap;

use crate::plan::{Op, Plan};
use crate::schema::{Col, FLOW_FIELDS};
use crate::store::{DataType, Field};
use crate::window::TimeWindow;
use expr::{ExprWriter, Refusal, SqlCol};
pub use funcs::PUSHED_FUNCTIONS;

/// Where the records are: `[database.]table`.
#[derive(Clone, Debug)]
pub struct Target {
    pub database: Option<String>,
    pub table: String,
    /// Names of the tables a run uploads lookup matches to: `<prefix>_1`, `<prefix>_2`.
    pub scratch: String,
}

impl Default for Target {
    fn default() -> Self {
        Target { database: None, table: "flows".into(), scratch: "flowq_lookup".into() }
    }
}

impl Target {
    pub fn new(database: Option<String>, table: String) -> Target {
        Target { database, table, ..Target::default() }
    }
}

/// A lookup pushed down: a table uploaded before the statement runs, which the
/// statement joins. Either `upload` holds its rows (CIDR blocks, matched by ClickHouse),
/// or `probe` gives the distinct key values at that stage and flowq matches each
/// against the table exactly as the local engine does and uploads the matches.
#[derive(Clone, Debug)]
pub struct LookupStep {
    pub probe: Option<String>,
    /// The rows to upload as they are (after a `matched` column of 1s), and what they
    /// are and how the statement uses them, for `flowq sql`.
    pub upload: Option<(crate::store::Table, String)>,
    /// The probe's columns: the key values.
    pub keys: Vec<Field>,
    /// The lookup over a frame of just the key columns (keys 0..n, new columns).
    pub op: crate::plan::LookupOp,
    /// `[database.]table` to create, fill and join.
    pub table: String,
    /// The uploaded table's columns: (name, ClickHouse type).
    pub columns: Vec<(String, String)>,
}

/// What the rows of a SQL result are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultKind {
    Records,
    Groups,
    Rows,
}

/// A plan compiled for ClickHouse.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub sql: String,
    /// How many of the plan's operators the statement runs (a prefix).
    pub pushed: usize,
    /// Why operator `pushed` runs locally; `None` when every operator is pushed.
    pub refusal: Option<String>,
    /// The statement's result columns, with the language's types.
    pub columns: Vec<Field>,
    pub kind: ResultKind,
    /// Records in the order they were loaded, not yet put newest first (what the local
    /// engine's frame holds before an operator needs the order: its float sums add in
    /// this order).
    pub natural_order: bool,
    /// Lookups to resolve and upload before the statement runs, in order.
    pub lookups: Vec<LookupStep>,
}

/// One key of the order rows are in: an internal column, its type, descending.
#[derive(Clone, Debug)]
struct OrderKey {
    col: String,
    dtype: DataType,
    descending: bool,
}

/// Runs a statement on the server and returns its answer as TabSeparated text: how the
/// compiler learns what depends on the data (the automatic span of `timestats`).
pub type Probe<'p> = &'p dyn Fn(&str) -> Result<String, Refusal>;

#[derive(Clone)]
struct State<'p> {
    probe: Option<Probe<'p>>,
    from: String,
    cols: Vec<SqlCol>,
    order: Vec<OrderKey>,
    kind: ResultKind,
    /// Aggregates of later `stats`/`addfields` computed in the link layer: op index →
    /// (internal column, display name, type).
    hoisted: HashMap<usize, Vec<(String, String, DataType)>>,
    /// Record fields the query does not read: never selected, null in a records result.
    unread: Vec<String>,
    /// Records not yet ordered by an operator: `seq` is their order.
    natural: bool,
    seq: String,
    lookups: Vec<LookupStep>,
    target: Target,
    next: usize,
}

/// Compile `plan` (over the records of `target` in `window`) without a server.
pub fn compile(plan: &Plan, target: &Target, window: TimeWindow) -> Result<Compiled, Refusal> {
    compile_with(plan, target, window, None)
}

/// Compile `plan`, asking `probe` (a server) about what depends on the data.
pub fn compile_with(
    plan: &Plan,
    target: &Target,
    window: TimeWindow,
    probe: Option<Probe<'_>>,
) -> Result<Compiled, Refusal> {
    if let Some(op) = plan.ops.iter().find(|o| matches!(o, Op::InQuery { .. })) {
        return Err(format!("{} runs a subquery over the run's records, which the local engine does", op.name()));
    }
    if let Some(op) = plan.ops.iter().find(|o| o.reads_other_ranges()) {
        return Err(format!(
            "{} runs the query again over records outside the time window, which the local engine does",
            op.name()
        ));
    }
    if plan.needed.contains(Col::OriginalLogContent) {
        return Err("the query reads Original Log Content (free-text search or the field itself), \
                    which ClickHouse does not store"
            .into());
    }
    let mut state = State::base(plan, target, window, probe);
    let mut pushed = 0;
    let mut refusal = None;
    let mut checkpoint: Option<(usize, State<'_>)> = None;
    for (i, op) in plan.ops.iter().enumerate() {
        if matches!(op, Op::Link(_)) {
            checkpoint = Some((i, state.clone()));
        }
        let mut next = state.clone();
        match next.op(i, op, &plan.ops) {
            Ok(()) => {
                state = next;
                pushed = i + 1;
            }
            Err(why) => {
                refusal = Some(why);
                break;
            }
        }
    }
    // Local operators that read the members of link groups need the records: run the
    // link locally too.
    if state.kind == ResultKind::Groups && plan.ops[pushed..].iter().any(Op::needs_members) {
        if let Some((at, before)) = checkpoint {
            state = before;
            pushed = at;
            refusal = Some(format!(
                "{} (and the link before it, whose groups' records a later stage reads)",
                refusal.unwrap_or_default()
            ));
        }
    }
    Ok(state.finish(pushed, refusal))
}

impl<'p> State<'p> {
    /// The records: needed fields read back as the language's types, in the window.
    fn base(plan: &Plan, target: &Target, window: TimeWindow, probe: Option<Probe<'p>>) -> State<'p> {
        let mut s = State {
            probe,
            from: String::new(),
            cols: Vec::new(),
            order: Vec::new(),
            kind: ResultKind::Records,
            hoisted: HashMap::new(),
            unread: Vec::new(),
            natural: true,
            seq: String::new(),
            lookups: Vec::new(),
            target: target.clone(),
            next: 0,
        };
        let mut select = Vec::new();
        let mut needed = plan.needed;
        needed.insert(Col::Time);
        for (i, f) in FLOW_FIELDS.iter().enumerate() {
            let Some(c) = Col::from_index(i) else { continue };
            let alias = s.fresh();
            if needed.contains(c) && c != Col::OriginalLogContent {
                select.push(format!("{} AS {}", model::read_expr(c), quote::ident(&alias)));
            } else {
                s.unread.push(alias.clone());
            }
            // Fields not read stay in the scope (so indices line up) but are never
            // selected: no operator names them.
            s.cols.push(SqlCol { name: alias, display: f.name.into(), dtype: f.dtype, visible: true });
        }
        let seq = s.fresh();
        select.push(format!("seq AS {}", quote::ident(&seq)));
        let time = s.cols[Col::Time as usize].name.clone();
        s.order = vec![
            OrderKey { col: time, dtype: DataType::Time, descending: true },
            OrderKey { col: seq.clone(), dtype: DataType::Int, descending: false },
        ];
        s.cols.push(SqlCol { name: seq.clone(), display: String::new(), dtype: DataType::Int, visible: false });
        s.seq = seq;
        let mut conds = Vec::new();
        if !window.is_all() {
            conds.push(format!("time_ms != {}", model::TIME_NULL));
        }
        if let Some(from) = window.from {
            conds.push(format!("time_ms >= {from}"));
        }
        if let Some(to) = window.to {
            conds.push(format!("time_ms < {to}"));
        }
        let filter = if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
        s.from = format!(
            "SELECT {} FROM {}{filter}",
            select.join(", "),
            model::table_ref(target.database.as_deref(), &target.table)
        );
        s
    }

    fn fresh(&mut self) -> String {
        self.next += 1;
        format!("_{}", self.next)
    }

    fn writer(&self) -> ExprWriter<'_> {
        ExprWriter { cols: &self.cols }
    }

    fn visible(&self) -> impl Iterator<Item = &SqlCol> {
        self.cols.iter().filter(|c| c.visible)
    }

    fn visible_col(&self, i: usize) -> Result<&SqlCol, Refusal> {
        self.visible().nth(i).ok_or_else(|| format!("no column {i}"))
    }

    fn order_by(&self, reversed: bool) -> String {
        let mut keys = Vec::new();
        for k in &self.order {
            let desc = k.descending != reversed;
            let dir = if desc { "DESC" } else { "ASC" };
            let nulls = if reversed { "NULLS FIRST" } else { "NULLS LAST" };
            let c = quote::ident(&k.col);
            if k.dtype == DataType::Str {
                keys.push(format!("lowerUTF8({c}) {dir} {nulls}"));
            }
            keys.push(format!("{c} {dir} {nulls}"));
        }
        keys.join(", ")
    }

    fn wrap(&mut self, select: &str, rest: &str) {
        self.from = format!("SELECT {select} FROM ({}){rest}", self.from);
    }

    fn position_of_visible(&self, i: usize) -> Result<usize, Refusal> {
        self.cols
            .iter()
            .enumerate()
            .filter(|(_, c)| c.visible)
            .nth(i)
            .map(|(p, _)| p)
            .ok_or_else(|| format!("no column {i}"))
    }

    /// The outermost SELECT: visible columns under their display names, IPs as hex.
    fn finish(self, pushed: usize, refusal: Option<String>) -> Compiled {
        let visible: Vec<&SqlCol> = self.visible().collect();
        // Display names go on the outermost layer only; should one equal an internal
        // alias, or two be the same (`link | stats count` has two Counts), the result
        // keeps the internal ones (flowq reads columns by position).
        let mut names: Vec<&str> = visible.iter().map(|c| c.display.as_str()).collect();
        names.sort_unstable();
        let repeated = names.windows(2).any(|w| w[0] == w[1]);
        let clash = repeated || visible.iter().any(|c| self.cols.iter().any(|o| o.name == c.display));
        let mut select = Vec::new();
        let mut columns = Vec::new();
        for c in &visible {
            let src = quote::ident(&c.name);
            let value = if self.unread.contains(&c.name) {
                "NULL".to_string()
            } else if c.dtype == DataType::Ip {
                format!("hex({src})")
            } else {
                src
            };
            let alias = if clash { c.name.clone() } else { c.display.clone() };
            select.push(format!("{value} AS {}", quote::ident(&alias)));
            columns.push(Field::new(c.display.clone(), c.dtype));
        }
        let natural_order = self.kind == ResultKind::Records && self.natural;
        let order = if natural_order { format!("{} ASC", quote::ident(&self.seq)) } else { self.order_by(false) };
        let by = if order.is_empty() { String::new() } else { format!("\nORDER BY {order}") };
        let sql = format!("SELECT {}\nFROM ({}){by}", select.join(", "), self.from);
        Compiled { sql, pushed, refusal, columns, kind: self.kind, natural_order, lookups: self.lookups }
    }
}

fn key_list(keys: &[SqlCol]) -> String {
    keys.iter().map(|k| quote::ident(&k.name)).collect::<Vec<_>>().join(", ")
}

fn keys_order(keys: &[SqlCol]) -> Vec<OrderKey> {
    keys.iter().map(|k| OrderKey { col: k.name.clone(), dtype: k.dtype, descending: false }).collect()
}
