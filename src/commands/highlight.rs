//! `highlightrows` and `highlightgroups [color=<colour>] <keyword>, ... | [ <condition> ]`:
//! mark matching rows (or link groups) with a Highlight column the table draws in colour.

use super::options::{OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::{did_you_mean, Diagnostic};
use crate::plan::expr::Compiler;
use crate::plan::{CExpr, FrameKind, Op, Planner, Scope};
use crate::store::{DataType, Field, Value};
use crate::syntax::parts::{fold_or, internal, next, option, quoted, span, Parts, Rule};
use crate::syntax::{BinOp, Expr, ExprKind, OptionArg, Stage};

/// The colours `highlightrows` and `highlightgroups` accept.
pub const HIGHLIGHT_COLORS: &[&str] = &["red", "green", "yellow", "blue", "magenta", "cyan"];

/// The name of the column highlighting adds.
pub const HIGHLIGHT_COLUMN: &str = "Highlight";

const COLOR: OptionDef = OptionDef {
    name: "color",
    aliases: &["colour"],
    kind: OptionKind::Color,
    about: "red, green, yellow (the default), blue, magenta or cyan, or #RRGGBB (shown as the nearest of those)",
};

const PRIORITY: OptionDef = OptionDef::new(
    "priority",
    OptionKind::Text,
    "high, medium or low: without color=, the colour (red, yellow, green)",
);

/// The colour a `priority=` gives when no `color=` is named (ours: Oracle's console
/// picks its own).
const PRIORITY_COLORS: &[(&str, &str)] = &[("high", "red"), ("medium", "yellow"), ("low", "green")];

pub const ROWS: CommandDef = CommandDef {
    name: "highlightrows",
    syntax: "highlightrows [color=<colour>] <keyword>, ... | [ <condition> ] [as <name>]",
    about: "mark rows matching any keyword (record text, or any column of other rows) or the condition: a Highlight column the table draws in colour",
    options: &[COLOR],
    phrases: &[(Rule::highlight_cond, "[ condition ]"), (Rule::highlight_words, "keywords"), (Rule::highlight_word, "a word or quoted text")],
    examples: &[(
        "* | stats count by Action | highlightrows color=red [ Action = reject ]",
        "Action,Count,Highlight\nACCEPT,6,\nREJECT,1,red\nreject,1,red\n,1,\n",
    )],
    build,
};

pub const GROUPS: CommandDef = CommandDef {
    name: "highlightgroups",
    syntax: "highlightgroups [color=<colour>] [priority=high|medium|low] <keyword>, ... | [ <condition> ] | [ * | where <condition> ] [as <name>]",
    about: "mark groups: after link, those having a member record that matches the keywords or [ condition ]; with [ * | where … ], or after stats, the groups whose own fields match; as names the column",
    options: &[COLOR, PRIORITY],
    phrases: &[(Rule::highlight_sub, "* | where")],
    examples: &[(
        "* | link 'Destination IP' | highlightgroups [ Action = reject ] | where Highlight != null | fields 'Destination IP', Highlight",
        "Destination IP,Highlight\n10.0.0.6,yellow\n",
    ), (
        "* | link 'Destination IP' | highlightgroups color = #32A852 [ Action = reject ] | where Highlight != null | fields Highlight",
        "Highlight\ngreen\n",
    )],
    build,
};

/// `highlight`: in Oracle's console it colours the matching words inside the log text;
/// a terminal table colours whole rows, so here it marks the rows holding a keyword, as
/// `highlightrows` does (LANGUAGE.md).
pub const WORDS: CommandDef = CommandDef {
    name: "highlight",
    syntax: "highlight [color=<colour>] <keyword>, ...",
    about: "Oracle's console colours the words; a terminal colours the rows holding any keyword (the record text, or any column of other rows), as highlightrows",
    options: &[COLOR],
    phrases: &[],
    examples: &[(
        "* | highlight color = red '198.51.100.9' | where Highlight = red | fields 'Source IP', 'Destination Port'",
        "Source IP,Destination Port\n198.51.100.9,3389\n198.51.100.9,22\n",
    )],
    build,
};

/// Rows matching `condition` (a bracketed condition, or free-text keywords of which any
/// may match); `groups` for `highlightgroups`.
#[derive(Clone, Debug)]
pub struct Highlight {
    pub groups: bool,
    pub options: Vec<OptionArg>,
    pub condition: Expr,
    pub keywords: bool,
    /// The condition was written as a subquery over the rows, `[ * | where … ]`: it
    /// tests the groups' own fields, not their member records.
    pub over_rows: bool,
    /// `as <name>`: the column it sets (default Highlight).
    pub name: Option<String>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let groups = p.word.as_rule() == Rule::kw_highlightgroups;
    let mut options = Vec::new();
    let mut condition = None;
    let mut keywords = false;
    let mut over_rows = false;
    let mut name = None;
    for part in p.rest {
        match part.as_rule() {
            Rule::option => options.push(option(part)?),
            Rule::highlight_cond => {
                let mut inner = part.clone().into_inner();
                if inner.peek().is_some_and(|x| x.as_rule() == Rule::highlight_sub) {
                    over_rows = true;
                    inner.next();
                }
                condition = Some(fold_or(next(&mut inner, &part)?)?);
            }
            Rule::kw_as => {}
            Rule::field_name => name = Some(crate::syntax::parts::name(part)?.text),
            Rule::highlight_words => {
                keywords = true;
                // Any keyword may match: join them with `or`.
                for w in part.into_inner() {
                    let sp = span(&w);
                    let e = Expr { kind: ExprKind::Str(quoted(&w)?), span: sp };
                    condition = Some(match condition.take() {
                        None => e,
                        Some(l) => {
                            let all = l.span.to(sp);
                            Expr { kind: ExprKind::Binary(BinOp::Or, Box::new(l), Box::new(e)), span: all }
                        }
                    });
                }
            }
            _ => return Err(internal(&part)),
        }
    }
    let condition = condition.ok_or_else(|| internal(&p.word))?;
    Ok(Box::new(Highlight { groups, options, condition, keywords, over_rows, name }))
}

impl Args for Highlight {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let mut color = "yellow".to_string();
        for o in self.options.iter().filter(|o| PRIORITY.is(&o.name.text)) {
            match PRIORITY_COLORS.iter().find(|(p, _)| p.eq_ignore_ascii_case(&o.value)) {
                Some((_, c)) => color = c.to_string(),
                None => {
                    return Err(Diagnostic::query(format!("'{}' is not a priority", o.value))
                        .at(o.value_span)
                        .note("priorities: high, medium, low"))
                }
            }
        }
        for o in self.options.iter().filter(|o| COLOR.is(&o.name.text)) {
            let c = match nearest_colour(&o.value) {
                Some(named) => named.to_string(),
                None => o.value.to_ascii_lowercase(),
            };
            if !HIGHLIGHT_COLORS.contains(&c.as_str()) {
                let d = Diagnostic::query(format!("'{}' is not a highlight colour", o.value)).at(o.value_span);
                return Err(match did_you_mean(&c, HIGHLIGHT_COLORS.iter().copied()) {
                    Some(s) => d.help(format!("did you mean '{s}'?")),
                    None => d.note(format!("colours: {}", HIGHLIGHT_COLORS.join(", "))),
                });
            }
            color = c;
        }
        // highlightgroups tests the member records of link groups, unless its condition
        // is a subquery over the groups themselves; after stats (or timestats) the
        // groups are the rows.
        let (scope, groups) = match (&p.scope.kind, self.groups) {
            (FrameKind::Groups(records), true) if !self.over_rows => ((**records).clone(), true),
            (FrameKind::Records, true) => {
                return Err(Diagnostic::query("highlightgroups works on groups: of link, stats or timestats")
                    .at(s.name_span)
                    .help("use highlightrows on records"))
            }
            _ => (p.scope.clone(), false),
        };
        let cond = if self.keywords && !matches!(scope.kind, FrameKind::Records) {
            keyword_in_any_column(&self.condition, &scope)
        } else {
            Compiler { scope: &scope, warnings: &mut p.warnings, search: true }.condition(&self.condition)?
        };
        let name = self.name.clone().unwrap_or_else(|| HIGHLIGHT_COLUMN.to_string());
        let target = match p.scope.resolve(&name) {
            Some(i) => Some(i),
            None => {
                p.scope.fields.push(Field::new(name.clone(), DataType::Str));
                None
            }
        };
        p.ops.push(Op::Highlight { cond, color, groups, target, name });
        Ok(())
    }
}

/// A `#RRGGBB` colour (as Oracle's console takes) as the nearest of the terminal's
/// [`HIGHLIGHT_COLORS`] by hue; a grey is the default, yellow.
fn nearest_colour(value: &str) -> Option<&'static str> {
    let hex = value.strip_prefix('#').filter(|h| h.len() == 6)?;
    let channel = |k: usize| u8::from_str_radix(hex.get(k..k + 2)?, 16).ok().map(f64::from);
    let (r, g, b) = (channel(0)?, channel(2)?, channel(4)?);
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    if max - min < 32.0 {
        return Some("yellow");
    }
    let d = max - min;
    let hue = if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    // Sectors of 60 degrees around each colour's hue: red 0, yellow 60, green 120, ...
    let names = ["red", "yellow", "green", "cyan", "blue", "magenta"];
    Some(names[(((hue + 30.0) / 60.0) as usize) % 6])
}

/// Keywords (joined by `or`) on rows that are not records: a keyword matches a row
/// when any of its columns contains it, ignoring case.
fn keyword_in_any_column(e: &Expr, scope: &Scope) -> CExpr {
    match &e.kind {
        ExprKind::Binary(BinOp::Or, a, b) => {
            CExpr::Or(Box::new(keyword_in_any_column(a, scope)), Box::new(keyword_in_any_column(b, scope)))
        }
        ExprKind::Str(word) => {
            let needle = word.to_lowercase();
            (0..scope.fields.len())
                .map(|i| CExpr::Contains { expr: Box::new(CExpr::Col(i)), needle: needle.clone() })
                .reduce(|a, b| CExpr::Or(Box::new(a), Box::new(b)))
                .unwrap_or(CExpr::Lit(Value::Bool(false)))
        }
        _ => CExpr::Lit(Value::Bool(false)),
    }
}

#[cfg(test)]
mod tests {
    use super::nearest_colour;

    #[test]
    fn hex_colours_show_as_the_nearest_named_one() {
        assert_eq!(nearest_colour("#32A852"), Some("green"));
        assert_eq!(nearest_colour("#FF0000"), Some("red"));
        assert_eq!(nearest_colour("#e03030"), Some("red"));
        assert_eq!(nearest_colour("#0000ff"), Some("blue"));
        assert_eq!(nearest_colour("#00FFFF"), Some("cyan"));
        assert_eq!(nearest_colour("#FF00FF"), Some("magenta"));
        assert_eq!(nearest_colour("#FFD700"), Some("yellow"));
        assert_eq!(nearest_colour("#808080"), Some("yellow"));
        assert_eq!(nearest_colour("#12345"), None);
        assert_eq!(nearest_colour("red"), None);
    }
}

crate::commands::examples_test!(ROWS, GROUPS, WORDS);
