//! The shape of the code that docs/ARCHITECTURE.md promises a newcomer: a command is
//! known only to the grammar and its own file (plus its registry line), a format only
//! to its own file, a Log Source only to the schema. These read the sources as text, so
//! they fail as soon as a second home for one of these appears.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every Rust file of `src/`, with its path relative to the crate and its text.
fn tree() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Whether `text` names `word` as a whole identifier.
fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

#[test]
fn a_command_lives_in_the_grammar_and_its_own_file() {
    let tree = tree();
    for def in flowq::commands::REGISTRY {
        // Its definition: exactly one file under src/commands/ says `name: "<name>"`.
        let defined: Vec<&str> = tree
            .iter()
            .filter(|(_, t)| t.contains(&format!("name: \"{}\",", def.name)))
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(defined.len(), 1, "{} is defined in {defined:?}", def.name);
        assert!(defined[0].starts_with("src/commands/"), "{} is defined in {}", def.name, defined[0]);
        // Its grammar rules are read only there. Two keywords are also words of the core
        // grammar: `search` opens the search clause, `stats` the pipelines of addfields.
        for rule in [format!("kw_{}", def.name), format!("{}_cmd", def.name)] {
            let readers: Vec<&str> = tree
                .iter()
                .filter(|(p, t)| names(t, &rule) && !p.starts_with("src/commands/"))
                .map(|(p, _)| p.as_str())
                .filter(|p| !matches!((def.name, *p), ("search", "src/syntax/build.rs" | "src/syntax/tokens.rs")))
                .filter(|p| !matches!((def.name, *p), ("stats", "src/syntax/parts.rs")))
                .collect();
            assert!(readers.is_empty(), "{rule} is read outside src/commands/: {readers:?}");
        }
    }
}

#[test]
fn a_format_lives_in_its_own_file() {
    let tree = tree();
    for f in flowq::ingest::formats::FORMATS {
        let quoted = format!("\"{}\"", f.name());
        let outside: Vec<&str> = tree
            .iter()
            .filter(|(p, t)| t.contains(&quoted) && !p.starts_with("src/ingest/formats/"))
            .map(|(p, _)| p.as_str())
            .collect();
        assert!(outside.is_empty(), "the format name {quoted} is written outside its file: {outside:?}");
    }
    for s in flowq::schema::LogSource::ALL {
        let quoted = format!("\"{}\"", s.name());
        let outside: Vec<&str> = tree
            .iter()
            .filter(|(p, t)| t.contains(&quoted) && !p.starts_with("src/schema/"))
            .map(|(p, _)| p.as_str())
            .collect();
        assert!(outside.is_empty(), "the Log Source {quoted} is written outside the schema: {outside:?}");
    }
}

#[test]
fn no_lists_of_commands_are_kept_by_hand() {
    // The registries are the lists: nothing else spells several commands in a row.
    let tree = tree();
    for (path, text) in &tree {
        // Tests may name commands; operators name the command each came from.
        if path.starts_with("src/commands/") || path == "src/plan/op_info.rs" || path.ends_with("/tests.rs") {
            continue;
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let quoted: Vec<&str> = flowq::commands::names().filter(|n| code.contains(&format!("\"{n}\""))).collect();
        assert!(quoted.len() < 3, "{path} spells out commands by hand: {quoted:?}");
    }
}

#[test]
fn files_stay_small() {
    // docs/ARCHITECTURE.md: small files with names that say what they hold. A ratchet:
    // the largest file may not grow past this, and half the files stay under 200 lines.
    let tree = tree();
    let mut lines: Vec<(usize, &str)> = tree.iter().map(|(p, t)| (t.lines().count(), p.as_str())).collect();
    lines.sort_unstable();
    let (largest, path) = lines[lines.len() - 1];
    assert!(largest <= 420, "{path} has {largest} lines");
    let median = lines[lines.len() / 2].0;
    assert!(median <= 200, "the median file has {median} lines");
}
