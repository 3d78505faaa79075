//! AST shape: precedence, spans, literals.

use super::*;

fn search(q: &str) -> Expr {
    parse(q).unwrap().search.expr.unwrap()
}

fn shape(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.text.clone(),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(f) => f.to_string(),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Null => "null".into(),
        ExprKind::Neg(a) => format!("(-{})", shape(a)),
        ExprKind::Not(a) => format!("(not {})", shape(a)),
        ExprKind::Binary(op, a, b) => format!("({} {} {})", shape(a), op.symbol(), shape(b)),
        ExprKind::Like { expr, patterns, negated } => {
            format!("({} {}like {})", shape(expr), if *negated { "not " } else { "" }, patterns.len())
        }
        ExprKind::In { expr, list, negated } => {
            format!("({} {}in {})", shape(expr), if *negated { "not " } else { "" }, list.len())
        }
        ExprKind::Between { expr, low, high, .. } => {
            format!("({} between {} {})", shape(expr), shape(low), shape(high))
        }
        ExprKind::Call { func, args } => {
            format!("{}({})", func.text, args.iter().map(shape).collect::<Vec<_>>().join(", "))
        }
    }
}

#[test]
fn precedence() {
    assert_eq!(shape(&search("a = 1 or b = 2 and c = 3")), "((a = 1) or ((b = 2) and (c = 3)))");
    assert_eq!(shape(&search("not a = 1 and b")), "((not (a = 1)) and b)");
    assert_eq!(shape(&search("x = 1 + 2 * -3")), "(x = (1 + (2 * -3)))");
    assert_eq!(shape(&search("x = 'a' || 1 + 2")), "(x = (a || (1 + 2)))");
    assert_eq!(shape(&search("x between 1 and 2 and y")), "((x between 1 2) and y)");
    assert_eq!(shape(&search("x not in (1, 2)")), "(x not in 2)");
    assert_eq!(shape(&search("x like in ('a%', 'b%')")), "(x like 2)");
    assert_eq!(shape(&search("error timeout")), "(error and timeout)");
    assert_eq!(shape(&search("ip = 10.0.0.0/8")), "(ip = \"10.0.0.0/8\")");
    assert_eq!(shape(&search("f(a, \"b\", 2.5, null, true)")), "f(a, \"b\", 2.5, null, true)");
}

#[test]
fn spans_point_at_the_source() {
    let q = "* | stats count by 'Source IP'";
    let parsed = parse(q).unwrap();
    assert!(parsed.search.expr.is_none());
    let StageKind::Stats { by, .. } = &parsed.stages[0].kind else { panic!("stats") };
    assert_eq!(&q[by[0].span.start..by[0].span.end], "'Source IP'");
    assert!(by[0].quoted);
    assert_eq!(&q[parsed.stages[0].name_span.start..parsed.stages[0].name_span.end], "stats");
}

#[test]
fn stages_parse() {
    let q = parse("* | link span=1day includenulls=true Time, A | sort -B, +C, D | head limit=5 | tail | fields -x*, y as z | rename a as b").unwrap();
    let kinds: Vec<&str> = q.stages.iter().map(|s| s.kind.command()).collect();
    assert_eq!(kinds, ["link", "sort", "head", "tail", "fields", "rename"]);
    let StageKind::Link { options, fields } = &q.stages[0].kind else { panic!("link") };
    assert_eq!(
        options.iter().map(|o| (o.name.text.as_str(), o.value.as_str())).collect::<Vec<_>>(),
        [("span", "1day"), ("includenulls", "true")]
    );
    assert_eq!(fields.len(), 2);
    let StageKind::Sort(keys) = &q.stages[1].kind else { panic!("sort") };
    assert_eq!(keys.iter().map(|k| k.descending).collect::<Vec<_>>(), [true, false, false]);
    let StageKind::Head(Some(l)) = &q.stages[2].kind else { panic!("head") };
    assert_eq!(l.n, 5);
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let q = format!("x = {}1{}", "(".repeat(5000), ")".repeat(5000));
    assert!(parse(&q).unwrap_err().message.contains("nested more than"));
    let ok = format!("* | where x = {}1{}", "(".repeat(128), ")".repeat(128));
    assert!(parse(&ok).is_ok());
    assert!(parse("x = '((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((('").is_ok());
}
