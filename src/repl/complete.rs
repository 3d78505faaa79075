//! What Tab offers at a point of a query: command names after `|`, field names of the
//! loaded data (quoted when they need it: `'Sou` → `'Source IP'`), function names,
//! option names of the command being written, lookup table names after `table=`, and
//! meta-commands (and help topics) on a `:` line.

use crate::commands;
use crate::syntax::lex;

/// The names completion draws on.
pub struct Vocabulary {
    pub fields: Vec<String>,
    pub tables: Vec<String>,
}

/// The REPL's own commands, with what they take.
pub const META_COMMANDS: &[(&str, &str)] = &[
    (":help", "[command|function] — the language, or one command or function"),
    (":fields", "the loaded fields: name, type, records with a value"),
    (":load", "PATH... — load other flow logs (replaces the data)"),
    (":lookup", "NAME PATH — register a CSV lookup table"),
    (":format", "table|csv|json — how results are printed"),
    (":timing", "on|off — print the time each query takes"),
    (":explain", "QUERY — the plan and the rows and time of each step"),
    (":save", "FILE — write the last query to a .q file"),
    (":chart", "FILE.html|FILE.svg — draw the last result (classify: bubbles, timestats: lines, geostats: a map)"),
    (":quit", "leave (Ctrl-D does too)"),
];

/// Characters a bare name may hold.
fn bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':' | '/' | '=')
}

/// A field name as it is written in a query.
pub fn quote_field(name: &str) -> String {
    let simple = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if simple {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Whether the end of `line` is inside an open single-quoted token; returns where it
/// starts.
fn open_quote(line: &str) -> Option<usize> {
    lex::open_quote(line).filter(|(q, _)| *q == '\'').map(|(_, start)| start)
}

/// The command of the stage that `line` ends in, if any.
fn current_command(line: &str) -> Option<String> {
    let stage = line.rsplit('|').next().filter(|_| line.contains('|'))?;
    let word: String = stage.trim_start().chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    Some(word.to_ascii_lowercase())
}

/// The candidates for the word ending at the end of `line` (the text before the
/// cursor): where the word starts, and the replacements.
pub fn complete(line: &str, vocab: &Vocabulary) -> (usize, Vec<String>) {
    // A meta-command line.
    if let Some(rest) = line.strip_prefix(':') {
        if !rest.contains(' ') {
            let c = META_COMMANDS.iter().map(|(m, _)| m.to_string()).filter(|m| m.starts_with(line)).collect();
            return (0, c);
        }
        if let Some(arg) = rest.strip_prefix("help ") {
            let start = line.len() - arg.len();
            let names = commands::names().chain(crate::funcs::all_names());
            let mut c: Vec<String> = names.filter(|n| n.starts_with(arg)).map(str::to_string).collect();
            c.sort();
            c.dedup();
            return (start, c);
        }
        return (line.len(), Vec::new());
    }
    // Inside an open quote: field names that start with what is typed.
    if let Some(q) = open_quote(line) {
        let typed = line[q + 1..].to_lowercase();
        let c = vocab
            .fields
            .iter()
            .filter(|f| f.to_lowercase().starts_with(&typed))
            .map(|f| format!("'{}'", f.replace('\'', "''")))
            .collect();
        return (q, c);
    }
    let start = line.char_indices().rev().find(|&(_, c)| !bare(c)).map_or(0, |(i, c)| i + c.len_utf8());
    let word = &line[start..];
    let lower = word.to_lowercase();
    let before = line[..start].trim_end();
    let mut out: Vec<String> = Vec::new();
    // After table=: the lookup tables.
    if let Some(t) = lower.strip_prefix("table=") {
        out.extend(vocab.tables.iter().filter(|n| n.to_lowercase().starts_with(t)).map(|n| format!("table={n}")));
        return (start, out);
    }
    // After |: a command.
    if before.ends_with('|') {
        out.extend(commands::names().filter(|n| n.starts_with(&lower)).map(str::to_string));
        return (start, out);
    }
    if let Some(def) = current_command(line).and_then(|c| commands::find(&c)) {
        let options = def.options.iter().map(|o| format!("{}=", o.name));
        out.extend(options.filter(|o| o.starts_with(&lower)));
    }
    out.extend(vocab.fields.iter().filter(|f| f.to_lowercase().starts_with(&lower)).map(|f| quote_field(f)));
    if !lower.is_empty() {
        let mut funcs: Vec<String> =
            crate::funcs::all_names().filter(|n| n.starts_with(&lower)).map(|n| format!("{n}(")).collect();
        funcs.sort();
        funcs.dedup();
        out.extend(funcs);
        for &k in crate::syntax::KEYWORDS.iter().filter(|k| !matches!(**k, "limit" | "true" | "false" | "null")) {
            if k.starts_with(&lower) && k != lower {
                out.push(k.to_string());
            }
        }
    }
    (start, out)
}

/// Whether the console should wait for another line before running `text`, as
/// Nushell's validator decides: a quote or bracket is left open, or the query does not
/// parse and the parser stopped at the end of the input (`… |`, `… by`). Any other
/// error is the user's to see now.
pub fn incomplete(text: &str) -> bool {
    if !lex::has_code(text) {
        return false;
    }
    if lex::open_quote(text).is_some() {
        return true;
    }
    let code = lex::code_only(text);
    let depth = code.bytes().fold(0i64, |d, c| match c {
        b'(' | b'[' => d + 1,
        b')' | b']' => d - 1,
        _ => d,
    });
    if depth > 0 {
        return true;
    }
    match crate::syntax::parse(text) {
        Ok(_) => false,
        Err(e) => e.span.is_some_and(|s| s.start >= code.trim_end().len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary {
            fields: vec!["Source IP".into(), "Source Port".into(), "Action".into(), "Time".into()],
            tables: vec!["ports".into(), "servers".into()],
        }
    }

    #[test]
    fn completes_in_context() {
        let v = vocab();
        assert_eq!(complete("* | sta", &v), (4, vec!["stats".to_string()]));
        assert_eq!(complete("* | stats count by 'Sou", &v).1, ["'Source IP'", "'Source Port'"]);
        assert_eq!(complete("* | stats count by 'Sou", &v).0, 19);
        assert_eq!(complete("* | stats count by Act", &v).1, ["Action"]);
        assert_eq!(complete("* | link sp", &v).1, ["span="]);
        assert_eq!(complete("* | classify top", &v).1, ["topcount="]);
        assert_eq!(complete("* | timestats topc", &v).1, ["topcount="]);
        assert_eq!(complete("* | lookup table=se", &v).1, ["table=servers"]);
        assert!(complete("* | eval x = cidr", &v).1.contains(&"cidrmatch(".to_string()));
        assert_eq!(complete(":he", &v), (0, vec![":help".to_string()]));
        assert!(complete(":help times", &v).1.contains(&"timestats".to_string()));
        assert_eq!(quote_field("Source IP"), "'Source IP'");
        assert_eq!(quote_field("Action"), "Action");
    }

    #[test]
    fn knows_when_a_query_goes_on() {
        assert!(incomplete("* | stats count |"));
        assert!(incomplete("* | where x = 'abc"));
        assert!(incomplete("* | eval x = if(a = 1,"));
        assert!(incomplete("* | addfields [ * | stats count as n"));
        assert!(!incomplete("* | stats count # by | later"));
        assert!(incomplete("* | stats count | # more below"));
        assert!(!incomplete("* | stats count"));
        assert!(!incomplete("Action = 'a|b'"));
        // Quotes as the grammar reads them: an escaped quote does not close.
        assert!(!incomplete(r"* | where Action = 'it\'s'"));
        assert!(!incomplete("* | where Action = 'it''s'"));
        assert!(incomplete(r"* | where Action = 'it\'s"));
        // Stopped at the end: more may come; stopped before it: an error to show now.
        assert!(incomplete("* | stats count by"));
        assert!(!incomplete("* | head 5 6"));
        assert!(!incomplete("* | nosuchcommand"));
        assert!(!incomplete(""));
        assert!(!incomplete("# only a comment"));
    }
}
