//! XPath as Oracle's `xmlextract` examples write it, the part a log field needs:
//! location paths from the root (`/root/store/book`) or anywhere (`//title`), steps
//! that are a name, `*`, `@attribute` or `text()`, predicates `[n]` (1-based) and
//! `[@attribute='value']`, and a parenthesised path with a position, `(//title)[1]`.
//! Other XPath (axes, functions, arithmetic) is refused with a message.

use roxmltree::{Document, Node};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Test {
    Name(String),
    Any,
    Attribute(String),
    Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Predicate {
    Position(usize),
    AttributeIs(String, String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Step {
    /// `//` before it: any descendant, not just a child.
    deep: bool,
    test: Test,
    predicates: Vec<Predicate>,
}

/// A parsed path, with its text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlPath {
    /// `(path)[n]` first: the n-th of that path's matches, where the rest starts.
    head: Option<(Vec<Step>, usize)>,
    steps: Vec<Step>,
    text: String,
}

/// XML nested deeper than this is not read (as text that is not XML): the parser
/// recurses once per level, and a hostile value must not exhaust the stack.
pub const MAX_DEPTH: usize = 256;

/// Parse `text` as XML, when it is and is no deeper than [`MAX_DEPTH`].
pub fn parse(text: &str) -> Option<Document<'_>> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let b = text.as_bytes();
    for i in 0..b.len() {
        match (b[i], b.get(i + 1)) {
            (b'<', Some(b'/')) | (b'/', Some(b'>')) => depth = depth.saturating_sub(1),
            (b'<', Some(c)) if c.is_ascii_alphabetic() || *c == b'_' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            _ => {}
        }
        if deepest > MAX_DEPTH {
            return None;
        }
    }
    Document::parse(text).ok()
}

/// The most matches one path gives a row (the rest are left out).
const MAX_MATCHES: usize = 1_000;

/// What a walk ends on: elements, or the values of attributes or text nodes.
enum Found<'a, 'i> {
    Nodes(Vec<Node<'a, 'i>>),
    Values(Vec<String>),
}

impl XmlPath {
    /// Read a path; the error says what is wrong.
    pub fn parse(text: &str) -> Result<XmlPath, String> {
        let t = text.trim();
        let fail = |why: String| format!("{why} in '{text}'");
        let (head, rest) = match t.strip_prefix('(') {
            Some(inner) => {
                let close = closing(inner).ok_or_else(|| fail("'(' is not closed".into()))?;
                let after = inner[close + 1..].trim_start();
                let pos_end = after.find(']').filter(|_| after.starts_with('['));
                let n = pos_end
                    .and_then(|e| after[1..e].trim().parse::<usize>().ok())
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| fail("after (path) comes a position such as [1]".into()))?;
                let head = steps(&inner[..close]).map_err(fail)?;
                (Some((head, n)), after[pos_end.unwrap_or(0) + 1..].trim())
            }
            None => (None, t),
        };
        let steps = if head.is_some() && rest.is_empty() { Vec::new() } else { steps(rest).map_err(fail)? };
        Ok(XmlPath { head, steps, text: text.to_string() })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The string values of what the path finds in `doc` (elements: their text;
    /// attributes: their values), in document order.
    pub fn find(&self, doc: &Document) -> Vec<String> {
        let mut start = vec![doc.root()];
        if let Some((head, n)) = &self.head {
            match walk(head, start) {
                Found::Values(v) => {
                    let picked: Vec<String> = v.into_iter().nth(n - 1).into_iter().collect();
                    return if self.steps.is_empty() { picked } else { Vec::new() };
                }
                Found::Nodes(nodes) => start = nodes.into_iter().nth(n - 1).into_iter().collect(),
            }
            if self.steps.is_empty() {
                return start.iter().map(string_value).collect();
            }
        }
        match walk(&self.steps, start) {
            Found::Values(v) => v,
            Found::Nodes(nodes) => nodes.iter().map(string_value).collect(),
        }
    }
}

/// Where the `)` that closes an opened `(` is, in `s` (which follows the `(`).
fn closing(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Follow `steps` from `nodes`.
fn walk<'a, 'i>(steps: &[Step], mut nodes: Vec<Node<'a, 'i>>) -> Found<'a, 'i> {
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let mut next = Vec::new();
        let mut found = Vec::new();
        for n in &nodes {
            match &step.test {
                Test::Attribute(a) if last => {
                    let scope: Vec<Node> = if step.deep { n.descendants().collect() } else { vec![*n] };
                    found.extend(scope.iter().filter_map(|e| e.attribute(a.as_str()).map(str::to_string)));
                }
                Test::Text if last => {
                    let texts = if step.deep { n.descendants().collect::<Vec<_>>() } else { n.children().collect() };
                    found.extend(texts.iter().filter(|c| c.is_text()).filter_map(|c| c.text().map(str::to_string)));
                }
                Test::Attribute(_) | Test::Text => {}
                Test::Name(_) | Test::Any => {
                    let candidates: Vec<Node> =
                        if step.deep { n.descendants().filter(|d| d != n).collect() } else { n.children().collect() };
                    let matched: Vec<Node> = candidates.into_iter().filter(|c| matches(&step.test, c)).collect();
                    next.extend(apply(&step.predicates, matched));
                }
            }
            if next.len() + found.len() > MAX_MATCHES {
                break;
            }
        }
        if matches!(step.test, Test::Attribute(_) | Test::Text) {
            found.truncate(MAX_MATCHES);
            return Found::Values(found);
        }
        next.truncate(MAX_MATCHES);
        nodes = next;
    }
    Found::Nodes(nodes)
}

fn matches(test: &Test, n: &Node) -> bool {
    n.is_element()
        && match test {
            Test::Name(name) => n.tag_name().name() == name,
            _ => true,
        }
}

/// The nodes of one parent's matches that the predicates keep.
fn apply<'a, 'i>(predicates: &[Predicate], mut nodes: Vec<Node<'a, 'i>>) -> Vec<Node<'a, 'i>> {
    for p in predicates {
        nodes = match p {
            Predicate::Position(k) => nodes.into_iter().nth(k - 1).into_iter().collect(),
            Predicate::AttributeIs(a, v) => nodes.into_iter().filter(|n| n.attribute(a.as_str()) == Some(v)).collect(),
        };
    }
    nodes
}

/// An element's text: all the text inside it, in order.
fn string_value(n: &Node<'_, '_>) -> String {
    n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect()
}

fn steps(path: &str) -> Result<Vec<Step>, String> {
    let mut rest = path.trim();
    if rest.is_empty() {
        return Err("an empty path".into());
    }
    let mut out = Vec::new();
    // A path that does not start with / is read from the root as well.
    let mut deep = false;
    loop {
        if let Some(r) = rest.strip_prefix("//") {
            deep = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('/') {
            rest = r;
        }
        let end = step_end(rest);
        if end == 0 {
            return Err("a step is missing".into());
        }
        out.push(step(&rest[..end], deep)?);
        rest = &rest[end..];
        deep = false;
        if rest.is_empty() {
            return Ok(out);
        }
    }
}

/// Where the step at the start of `s` ends: at the next `/` outside brackets.
fn step_end(s: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '/' if depth == 0 => return i,
            _ => {}
        }
    }
    s.len()
}

fn step(s: &str, deep: bool) -> Result<Step, String> {
    let (head, mut preds) = match s.find('[') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let head = head.trim();
    let test = match head {
        "*" => Test::Any,
        "text()" => Test::Text,
        _ if head.starts_with('@') && is_name(&head[1..]) => Test::Attribute(head[1..].to_string()),
        _ if is_name(head) => Test::Name(head.to_string()),
        _ => return Err(format!("'{head}' is not a step flowq reads (a name, *, @name or text())")),
    };
    let mut predicates = Vec::new();
    while let Some(after) = preds.strip_prefix('[') {
        let close = after.find(']').ok_or("'[' is not closed")?;
        let inside = after[..close].trim();
        predicates.push(predicate(inside)?);
        preds = after[close + 1..].trim_start();
    }
    if !preds.is_empty() {
        return Err(format!("'{preds}' after a step"));
    }
    Ok(Step { deep, test, predicates })
}

fn predicate(inside: &str) -> Result<Predicate, String> {
    if let Ok(n) = inside.parse::<usize>() {
        return if n >= 1 { Ok(Predicate::Position(n)) } else { Err("positions start at 1".into()) };
    }
    let attr = inside.strip_prefix('@').and_then(|a| a.split_once('='));
    if let Some((name, value)) = attr {
        let v = value.trim();
        let unquoted = v
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .or_else(|| v.strip_prefix('"').and_then(|v| v.strip_suffix('"')));
        if let (true, Some(v)) = (is_name(name.trim()), unquoted) {
            return Ok(Predicate::AttributeIs(name.trim().to_string(), v.to_string()));
        }
    }
    Err(format!("'[{inside}]' is not a predicate flowq reads ([n] or [@name='value'])"))
}

fn is_name(s: &str) -> bool {
    !s.contains("::")
        && s.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || "_-.:".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORE: &str = r#"<root><store><books><book id="1"><title>Flows</title></book><book id="2"><title>Logs <b>and</b> more</title></book></books></store></root>"#;

    fn find(path: &str) -> Vec<String> {
        let doc = Document::parse(STORE).unwrap();
        XmlPath::parse(path).unwrap().find(&doc)
    }

    #[test]
    fn oracle_examples() {
        assert_eq!(find("(//title)[1]"), ["Flows"]);
        assert_eq!(find("(/root/store/books/book)[1]/title"), ["Flows"]);
        assert_eq!(find("(//book)[2]/@id"), ["2"]);
        assert_eq!(find("/root/store/books/book[1]/title"), ["Flows"]);
    }

    #[test]
    fn steps_predicates_attributes_and_text() {
        assert_eq!(find("//title"), ["Flows", "Logs and more"]);
        assert_eq!(find("//book[@id='2']/title/text()"), ["Logs ", " more"]);
        assert_eq!(find("//book/@id"), ["1", "2"]);
        assert_eq!(find("/root/*/books/book[2]/@id"), ["2"]);
        assert_eq!(find("//nothing"), Vec::<String>::new());
    }

    #[test]
    fn deep_xml_is_not_read() {
        let deep = format!("{}x{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).is_none());
        let ok = format!("{}x{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert_eq!(XmlPath::parse("(//a)[1]").unwrap().find(&parse(&ok).unwrap()), ["x"]);
        assert!(parse("<a/><b/>").is_none(), "two roots are not XML");
    }

    #[test]
    fn what_is_not_read_is_refused() {
        for bad in [
            "",
            "//",
            "count(//a)",
            "//a[",
            "//a[0]",
            "//a[last()]",
            "(//a)",
            "(//a)[x]",
            "//a/..",
            "/a b",
            "//a/following-sibling::b",
        ] {
            assert!(XmlPath::parse(bad).is_err(), "{bad}");
        }
    }
}
