//! String, regex and hash functions (LANGUAGE.md section 4) beyond the basic ones of
//! `scalar.rs`. Positions count characters, not bytes, and are 0-based.

use regex::Regex;

use super::encode::{decode64, encode64, md5, sha1, sha256, urldecode, urlencode};
use super::{def, on_text, owned, str_type, FuncDef};
use crate::store::DataType;
use crate::store::Value;

fn int_at(a: &[Value], i: usize) -> Option<i64> {
    a.get(i).and_then(Value::as_f64).map(|f| f as i64)
}

fn capitalize(a: &[Value]) -> Value<'static> {
    on_text(a, |t| {
        let mut c = t.chars();
        owned(match c.next() {
            Some(first) => first.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect(),
            None => String::new(),
        })
    })
}

/// The characters to trim: the second argument's, or whitespace.
fn trimmer(a: &[Value]) -> Option<Option<Vec<char>>> {
    match a.get(1) {
        None => Some(None),
        Some(v) => v.to_text().map(|t| Some(t.chars().collect())),
    }
}

fn trim_with(a: &[Value], start: bool, end: bool) -> Value<'static> {
    let Some(set) = trimmer(a) else { return Value::Null };
    on_text(a, |t| {
        let hit = |c: char| set.as_ref().map_or(c.is_whitespace(), |s| s.contains(&c));
        let mut s = t;
        if start {
            s = s.trim_start_matches(hit);
        }
        if end {
            s = s.trim_end_matches(hit);
        }
        owned(s.to_string())
    })
}

fn trim(a: &[Value]) -> Value<'static> {
    trim_with(a, true, true)
}

fn ltrim(a: &[Value]) -> Value<'static> {
    trim_with(a, true, false)
}

fn rtrim(a: &[Value]) -> Value<'static> {
    trim_with(a, false, true)
}

/// Character position of `needle` in `hay` searching forward from `from` (or backward
/// from `from` when `last`); -1 when absent.
fn find(hay: &str, needle: &str, from: Option<i64>, last: bool) -> i64 {
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    let byte_at = |ci: usize| chars.get(ci).map_or(hay.len(), |(b, _)| *b);
    let char_of = |b: usize| chars.iter().position(|(x, _)| *x == b).unwrap_or(chars.len()) as i64;
    if last {
        let limit = from.map_or(hay.len(), |f| byte_at(f.max(0) as usize).saturating_add(needle.len()).min(hay.len()));
        let limit = (0..=limit).rev().find(|&i| hay.is_char_boundary(i)).unwrap_or(0);
        hay[..limit].rfind(needle).map_or(-1, char_of)
    } else {
        let start = byte_at(from.unwrap_or(0).max(0) as usize);
        hay[start..].find(needle).map_or(-1, |b| char_of(start + b))
    }
}

fn index_fn(a: &[Value], last: bool) -> Value<'static> {
    let Some(needle) = a[1].to_text() else { return Value::Null };
    let from = int_at(a, 2);
    if a.len() > 2 && from.is_none() {
        return Value::Null;
    }
    on_text(a, |t| Value::Int(find(t, &needle, from, last)))
}

fn indexof(a: &[Value]) -> Value<'static> {
    index_fn(a, false)
}

fn lastindexof(a: &[Value]) -> Value<'static> {
    index_fn(a, true)
}

/// Case-insensitive, like the language's other string tests.
fn contains(a: &[Value]) -> Value<'static> {
    let Some(needle) = a[1].to_text() else { return Value::Null };
    on_text(a, |t| Value::Bool(t.to_lowercase().contains(&needle.to_lowercase())))
}

fn replace(a: &[Value]) -> Value<'static> {
    let mut pairs = Vec::new();
    for p in a[1..].chunks(2) {
        match (p[0].to_text(), p.get(1).and_then(Value::to_text)) {
            (Some(f), Some(r)) => pairs.push((f, r)),
            _ => return Value::Null,
        }
    }
    on_text(a, |t| {
        let mut s = t.to_string();
        for (f, r) in &pairs {
            if !f.is_empty() {
                s = s.replace(f.as_ref(), r);
            }
        }
        owned(s)
    })
}

fn reverse(a: &[Value]) -> Value<'static> {
    on_text(a, |t| owned(t.chars().rev().collect()))
}

/// A regex argument that is not a constant: compiled for this row.
fn row_regex(v: &Value) -> Option<Regex> {
    new_regex(&v.to_text()?).ok()
}

/// A regular expression as Oracle's queries write it (Java's syntax): `\<` and `\>`
/// are the characters `<` and `>` there (`[\<unknown\>,\d]`), where this engine reads
/// them as word boundaries, which a class cannot hold.
pub fn new_regex(pattern: &str) -> Result<Regex, regex::Error> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(q @ ('<' | '>')) => out.push(q),
            Some(q) => {
                out.push('\\');
                out.push(q);
            }
            None => out.push('\\'),
        }
    }
    Regex::new(&out)
}

/// `matches` with a compiled regex (the planner compiles constant patterns once).
pub fn regex_matches(re: &Regex, v: &Value) -> Value<'static> {
    v.to_text().map_or(Value::Null, |t| Value::Bool(re.is_match(&t)))
}

/// `extractfirst` with a compiled regex: the first capture group (or the whole match
/// when the pattern has no group).
pub fn regex_extract(re: &Regex, v: &Value) -> Value<'static> {
    let Some(t) = v.to_text() else { return Value::Null };
    match re.captures(&t) {
        Some(c) => c.get(1).or_else(|| c.get(0)).map_or(Value::Null, |m| owned(m.as_str().to_string())),
        None => Value::Null,
    }
}

fn matches(a: &[Value]) -> Value<'static> {
    row_regex(&a[1]).map_or(Value::Null, |re| regex_matches(&re, &a[0]))
}

fn extractfirst(a: &[Value]) -> Value<'static> {
    row_regex(&a[1]).map_or(Value::Null, |re| regex_extract(&re, &a[0]))
}

/// `url(link, label)`: the pair as Markdown link text, the one form every output can hold
/// and the terminal table can turn back into a hyperlink (`store::column::link_parts`).
fn url(a: &[Value]) -> Value<'static> {
    let Some(link) = a[0].to_text() else { return Value::Null };
    match a.get(1).and_then(Value::to_text) {
        Some(label) => owned(format!("[{}]({link})", label.replace(']', "\\]"))),
        None => owned(link.into_owned()),
    }
}

fn int_type(_: &[DataType]) -> DataType {
    DataType::Int
}

fn bool_type(_: &[DataType]) -> DataType {
    DataType::Bool
}

pub const FUNCTIONS: &[FuncDef] = &[
    def(
        "capitalize",
        "string",
        1,
        Some(1),
        "capitalize(s)",
        "first character upper case, the rest lower case",
        &[("capitalize('rEJECT')", "Reject")],
        Some(capitalize),
        str_type,
    ),
    def(
        "trim",
        "string",
        1,
        Some(2),
        "trim(s [, chars])",
        "s without leading and trailing whitespace (or the given characters)",
        &[("trim('  ssh ')", "ssh"), ("trim('--x--', '-')", "x")],
        Some(trim),
        str_type,
    ),
    def(
        "ltrim",
        "string",
        1,
        Some(2),
        "ltrim(s [, chars])",
        "s without leading whitespace (or the given characters)",
        &[("ltrim('007', '0')", "7")],
        Some(ltrim),
        str_type,
    ),
    def(
        "rtrim",
        "string",
        1,
        Some(2),
        "rtrim(s [, chars])",
        "s without trailing whitespace (or the given characters)",
        &[("rtrim('10.0.0.', '.')", "10.0.0")],
        Some(rtrim),
        str_type,
    ),
    def(
        "indexof",
        "string",
        2,
        Some(3),
        "indexof(s, sub [, from])",
        "position (0-based) of the first sub at or after from; -1 if absent",
        &[("indexof('10.0.0.5', '.')", "2"), ("indexof('10.0.0.5', '.', 3)", "4"), ("indexof('abc', 'x')", "-1")],
        Some(indexof),
        int_type,
    ),
    def(
        "lastindexof",
        "string",
        2,
        Some(3),
        "lastindexof(s, sub [, from])",
        "position of the last sub (starting at or before from); -1 if absent",
        &[("lastindexof('10.0.0.5', '.')", "6")],
        Some(lastindexof),
        int_type,
    ),
    def(
        "contains",
        "string",
        2,
        Some(2),
        "contains(s, sub)",
        "true when s contains sub, ignoring case",
        &[("contains('REJECT', 'ject')", "true")],
        Some(contains),
        bool_type,
    ),
    def(
        "replace",
        "string",
        3,
        None,
        "replace(s, find, repl [, find2, repl2 ...])",
        "every find replaced by repl (exact text, in turn)",
        &[("replace('a-b-c', '-', '.')", "a.b.c"), ("replace('ab', 'a', 'x', 'b', 'y')", "xy")],
        Some(replace),
        str_type,
    ),
    def(
        "reverse",
        "string",
        1,
        Some(1),
        "reverse(s)",
        "the characters of s in reverse order",
        &[("reverse('flow')", "wolf")],
        Some(reverse),
        str_type,
    ),
    def(
        "urlencode",
        "string",
        1,
        Some(1),
        "urlencode(s)",
        "percent-encoded s (RFC 3986 unreserved characters kept)",
        &[("urlencode('a b/c')", "a%20b%2Fc")],
        Some(urlencode),
        str_type,
    ),
    def(
        "urldecode",
        "string",
        1,
        Some(1),
        "urldecode(s)",
        "percent-decoded s (+ is a space); null if not UTF-8",
        &[("urldecode('a%20b+c')", "a b c")],
        Some(urldecode),
        str_type,
    ),
    def(
        "encode64",
        "string",
        1,
        Some(1),
        "encode64(s)",
        "s in base64",
        &[("encode64('flowq')", "Zmxvd3E=")],
        Some(encode64),
        str_type,
    ),
    def(
        "decode64",
        "string",
        1,
        Some(1),
        "decode64(s)",
        "base64 s decoded; null if it is not base64 of UTF-8 text",
        &[("decode64('Zmxvd3E=')", "flowq"), ("decode64('%%')", "null")],
        Some(decode64),
        str_type,
    ),
    def(
        "matches",
        "regex",
        2,
        Some(2),
        "matches(s, 're')",
        "true when the regular expression finds a match in s (unanchored)",
        &[("matches('eth0-10.0.0.5', '\\d+\\.\\d+')", "true"), ("matches('ssh', '^h')", "false")],
        Some(matches),
        bool_type,
    ),
    def(
        "extractfirst",
        "regex",
        2,
        Some(2),
        "extractfirst(s, 're')",
        "the first capture group of the first match (the whole match without groups); null if none",
        &[("extractfirst('host-42.example', 'host-(\\d+)')", "42")],
        Some(extractfirst),
        str_type,
    ),
    def(
        "regexextract",
        "regex",
        2,
        Some(2),
        "regexextract(s, 're')",
        "extractfirst under the name Logging Analytics users write: the first capture group of the first match",
        &[("regexextract('port 443 open', 'port (\\d+)')", "443")],
        Some(extractfirst),
        str_type,
    ),
    def(
        "url",
        "string",
        1,
        Some(2),
        "url(link [, label])",
        "a link: the terminal table shows the label as a clickable link; CSV and JSON hold [label](link)",
        &[
            ("url('https://example.com/a', 'report')", "[report](https://example.com/a)"),
            ("url('https://example.com/a')", "https://example.com/a"),
            ("url('https://x', null)", "https://x"),
            ("url('', '')", "[]()"),
            ("url(null, 'x')", "null"),
            ("url('https://x', 'a]b')", "[a\\]b](https://x)"),
        ],
        Some(url),
        str_type,
    ),
    def(
        "md5",
        "hash",
        1,
        Some(1),
        "md5(s)",
        "MD5 of s as lower-case hex",
        &[("md5('abc')", "900150983cd24fb0d6963f7d28e17f72")],
        Some(md5),
        str_type,
    ),
    def(
        "sha1",
        "hash",
        1,
        Some(1),
        "sha1(s)",
        "SHA-1 of s as lower-case hex",
        &[("sha1('abc')", "a9993e364706816aba3e25717850c26c9cd0d89d")],
        Some(sha1),
        str_type,
    ),
    def(
        "sha256",
        "hash",
        1,
        Some(1),
        "sha256(s)",
        "SHA-256 of s as lower-case hex",
        &[("sha256('abc')", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")],
        Some(sha256),
        str_type,
    ),
];
