use super::expand;

#[test]
fn variables_fill_code_and_quoted_text_and_the_blocks_become_spaces() {
    let q = "init { $cluster = 'octane' } init { $prefix = '$cluster' || '-bm-' } 'Log Source' = $cluster | eval N = replace(N, '$prefix', '')";
    let out = expand(q).unwrap();
    assert_eq!(out.len(), q.len() - "$cluster".len() + "'octane'".len() - "$prefix".len() + "octane-bm-".len());
    assert!(out.trim_start().starts_with("'Log Source' = 'octane' | eval N = replace(N, 'octane-bm-', '')"), "{out}");
    // The blocks are blanked in place: the search clause starts where it did.
    assert_eq!(out.find("'Log Source'"), q.find("'Log Source'"));
}

#[test]
fn numbers_stay_numbers_and_quotes_in_values_are_escaped() {
    let out = expand(
        "init { $port = 22, $who = 'O''Brien' } * | where 'Destination Port' = $port and U = $who | eval T = 'by $who'",
    )
    .unwrap();
    assert!(out.contains("'Destination Port' = 22 and U = 'O''Brien'"), "{out}");
    assert!(out.contains("'by O''Brien'"), "{out}");
}

#[test]
fn a_longer_name_is_not_a_shorter_one_and_unknown_names_are_left_for_parameters() {
    let out = expand("init { $a = 1 } init { $a_b = 2 } * | eval x = $a_b + $a + $other").unwrap();
    assert!(out.contains("eval x = 2 + 1 + $other"), "{out}");
}

#[test]
fn text_without_init_is_unchanged_and_comments_before_init_are_kept() {
    let q = "# @param days = 7\n* | stats count";
    assert_eq!(expand(q).unwrap(), q);
    let out = expand("# top\ninit { $x = 'a' }\n* | where y = $x").unwrap();
    assert!(out.starts_with("# top\n"), "{out}");
    assert!(out.ends_with("* | where y = 'a'"), "{out}");
    // `init` as a word elsewhere is not a block.
    assert_eq!(expand("initial | stats count").unwrap(), "initial | stats count");
}

#[test]
fn bad_blocks_say_what_and_where() {
    let cases = [
        ("init { $x = 'a' ", "not closed"),
        ("init { x = 'a' } *", "$name = <value>"),
        ("init { $x } *", "$name = <value>"),
        ("init { $x = $y } *", "$y is not set by an earlier init"),
        ("init { $x = foo() } *", "quoted text, a number or a $variable"),
        ("init { $x = 'a } *", "not closed"),
        ("init { $x = 'a' || } *", "quoted text, a number or a $variable"),
    ];
    for (q, want) in cases {
        let e = expand(q).unwrap_err();
        assert!(e.message.contains(want), "{q}: {}", e.message);
        let at = e.span.expect("a place");
        assert!(at.end <= q.len(), "{q}");
    }
}

#[test]
fn a_brace_in_quotes_does_not_close_the_block() {
    let out = expand("init { $x = 'a}b' } * | where y = $x").unwrap();
    assert!(out.ends_with("* | where y = 'a}b'"), "{out}");
}

#[test]
fn hostile_text_never_panics() {
    for q in [
        "\u{202e}| x",
        "\u{e9}\u{e9}\u{e9}\u{e9}",
        "ini\u{e9}",
        "init",
        "init {",
        "init {}",
        "init { $ = 1 }",
        "init { $x = '",
        "init {\u{e9}$x=1}",
        "init { $x = 1 } init",
        "INIT{$x=1}$x",
    ] {
        let _ = expand(q);
    }
    assert_eq!(expand("INIT{$x=1}$x").unwrap().trim(), "1");
}
