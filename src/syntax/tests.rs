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
        ExprKind::InQuery { expr, query, negated } => {
            let x = expr.as_deref().map_or("_".to_string(), shape);
            format!("({x} {}in [{} stages])", if *negated { "not " } else { "" }, query.query.stages.len())
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
    let by = &parsed.stages[0].args_as::<crate::commands::stats::Stats>().unwrap().by;
    assert_eq!(&q[by[0].span.start..by[0].span.end], "'Source IP'");
    assert!(by[0].quoted);
    assert_eq!(&q[parsed.stages[0].name_span.start..parsed.stages[0].name_span.end], "stats");
}

#[test]
fn stages_parse() {
    let q = parse("* | link span=1day includenulls=true Time, A | sort -B, +C, D | head limit=5 | tail | fields -x*, y as z | rename a as b").unwrap();
    let kinds: Vec<&str> = q.stages.iter().map(|s| s.command.name).collect();
    assert_eq!(kinds, ["link", "sort", "head", "tail", "fields", "rename"]);
    let crate::commands::link::Link { options, fields, .. } = q.stages[0].args_as().unwrap();
    assert_eq!(
        options.iter().map(|o| (o.name.text.as_str(), o.value.as_str())).collect::<Vec<_>>(),
        [("span", "1day"), ("includenulls", "true")]
    );
    assert_eq!(fields.len(), 2);
    let crate::commands::sort::Sort(keys) = q.stages[1].args_as().unwrap();
    assert_eq!(keys.iter().map(|k| k.descending).collect::<Vec<_>>(), [true, false, false]);
    let crate::commands::head::Head(Some(l)) = q.stages[2].args_as().unwrap() else { panic!("head") };
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

#[test]
fn the_keywords_are_the_grammars() {
    // Every `kw_<word>` rule of the grammar is a command of the registry or a keyword.
    let grammar = include_str!("../../grammar/flowq.pest");
    let mut rules: Vec<&str> = grammar.lines().filter_map(|l| l.split(' ').next()?.strip_prefix("kw_")).collect();
    rules.sort_unstable();
    let mut known: Vec<&str> = crate::commands::names().chain(KEYWORDS.iter().copied()).collect();
    known.sort_unstable();
    assert_eq!(rules, known);
}

#[test]
fn an_escaped_quote_cannot_hide_brackets_from_the_nesting_limit() {
    let q = format!(r"* | where Action = 'a\'' or {}", "(".repeat(2000));
    assert!(parse(&q).unwrap_err().message.contains("nested more than"));
}

/// Every saved query and registry example, with its parameters given their defaults.
fn corpus() -> Vec<String> {
    let mut out: Vec<String> = crate::commands::REGISTRY
        .iter()
        .flat_map(|c| c.examples.iter().map(|(q, _)| q.to_string()))
        .chain(crate::funcs::scalars().flat_map(|f| f.examples.iter().map(|(q, _)| q.to_string())))
        .chain(crate::funcs::aggregate::AGGREGATES.iter().flat_map(|a| a.examples.iter().map(|(q, _)| q.to_string())))
        .collect();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "q")) {
        let text = std::fs::read_to_string(&f).unwrap();
        out.push(crate::params::substitute(&text, &[]).map(|(t, _)| t).unwrap_or(text));
    }
    out
}

type Ranges = Vec<(usize, usize)>;

/// The spans of pest's quoted-text rules, and of every token pest matched.
fn pest_spans(text: &str) -> Option<(Ranges, Ranges)> {
    fn walk(p: pest::iterators::Pair<Rule>, quoted: &mut Vec<(usize, usize)>, all: &mut Vec<(usize, usize)>) {
        let s = (p.as_span().start(), p.as_span().end());
        if matches!(p.as_rule(), Rule::sq_string | Rule::dq_string) {
            quoted.push(s);
        }
        let inner: Vec<_> = p.into_inner().collect();
        if inner.is_empty() {
            all.push(s);
        }
        for i in inner {
            walk(i, quoted, all);
        }
    }
    let pairs = QueryParser::parse(Rule::query, text).ok()?;
    let (mut quoted, mut all) = (Vec::new(), Vec::new());
    for p in pairs {
        walk(p, &mut quoted, &mut all);
    }
    quoted.sort_unstable();
    quoted.dedup();
    Some((quoted, all))
}

#[test]
fn the_lexer_reads_quotes_and_comments_as_pest_does() {
    let corpus = corpus();
    assert!(corpus.len() > 100, "{}", corpus.len());
    for text in &corpus {
        let Some((quoted, tokens)) = pest_spans(text) else { panic!("does not parse: {text}") };
        let regions = lex::regions(text);
        let lexed: Vec<(usize, usize)> =
            regions.iter().filter(|r| matches!(r.kind, lex::Kind::Quoted { .. })).map(|r| (r.start, r.end)).collect();
        assert_eq!(lexed, quoted, "quotes of {text}");
        // Comments lie where pest matched no token, and a `#` the lexer calls code opens
        // one of pest's tokens (a colour).
        for r in regions.iter().filter(|r| r.kind == lex::Kind::Comment) {
            assert!(tokens.iter().all(|&(s, e)| e <= r.start || s >= r.end), "comment in a token: {text}");
        }
        for (at, _) in lex::code_only(text).match_indices('#') {
            assert!(tokens.iter().any(|&(s, _)| s == at), "a # in code is no token: {text}");
        }
    }
}

#[test]
fn the_lexer_agrees_with_pest_on_generated_quoting() {
    // Every string of up to five of these characters, as a value: wherever pest parses
    // it, the lexer finds the same quoted spans; wherever the lexer says a quote is left
    // open, pest does not parse.
    let alphabet = ['\'', '"', '\\', '#', 'a', ' ', '\n', 'é'];
    let mut stack: Vec<String> = vec![String::new()];
    while let Some(s) = stack.pop() {
        let text = format!("* | where x = {s}\n| head 1");
        let open = lex::open_quote(&text).is_some();
        if let Some((quoted, _)) = pest_spans(&text) {
            assert!(!open, "{text:?}");
            let lexed: Vec<(usize, usize)> = lex::regions(&text)
                .iter()
                .filter(|r| matches!(r.kind, lex::Kind::Quoted { .. }))
                .map(|r| (r.start, r.end))
                .collect();
            assert_eq!(lexed, quoted, "{text:?}");
        }
        if s.chars().count() < 5 {
            for c in alphabet {
                stack.push(format!("{s}{c}"));
            }
        }
    }
}

#[test]
fn long_chains_of_operators_are_refused_not_a_crash() {
    // Each chain would be a tree as deep as it is long; past the limit it is an error.
    for (op, n) in [(" or Packets = 1", 20_000), (" + 1", 20_000), (" reject", 20_000), (" and not x", 5_000)] {
        let q = format!("Packets > 0{} | stats count", op.repeat(n));
        let e = parse(&q).unwrap_err();
        assert!(e.message.contains("more than 2000 operators"), "{op}: {}", e.message);
    }
    let q = format!("* | eval x = - {}Packets", "- ".repeat(3000));
    assert!(parse(&q).unwrap_err().message.contains("operators"));
    // Up to the limit, and for every query afresh, it parses.
    let ok = format!("* | where Packets > 0{}", " or Packets = 1".repeat(1_000));
    assert!(parse(&ok).is_ok());
    assert!(parse(&ok).is_ok());
}

#[test]
fn a_subquery_in_in_is_a_query_of_its_own() {
    let e = search("'Source IP' in [ Action = reject | stats count by 'Source IP' ] and Protocol = 6");
    assert_eq!(shape(&e), "((Source IP in [1 stages]) and (Protocol = 6))");
    let e = search("'Source IP' not in [ linkdetails ]");
    assert_eq!(shape(&e), "(Source IP not in [1 stages])");
    // An unknown command inside brackets is reported as such, not as a bracket error.
    let err = parse("* | where x in [ * | frobnicate 1 ]").unwrap_err();
    assert!(err.message.contains("unknown command 'frobnicate'"), "{}", err.message);
}
