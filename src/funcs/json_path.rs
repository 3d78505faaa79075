//! JSON paths as Oracle's `jsonextract` takes them: `$` the root, then `.name`,
//! `['name']` or `["name"]`, and `[index]` steps (`$.store.book[0].title`,
//! `$['store']['book'][0]`). Wildcards and filters are not taken.

use serde_json::Value as Json;

/// One step into a JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A parsed path, with its text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Step>, String);

impl JsonPath {
    /// Read a path; the error says what is wrong where.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let rest = text.trim();
        let mut rest = rest.strip_prefix('$').ok_or("a JSON path starts with $")?;
        let mut steps = Vec::new();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('.') {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                if end == 0 {
                    return Err(format!("a name must follow '.' in '{text}'"));
                }
                steps.push(Step::Key(after[..end].to_string()));
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after.find(']').ok_or_else(|| format!("'[' is not closed in '{text}'"))?;
                let inside = after[..end].trim();
                let quoted = inside
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .or_else(|| inside.strip_prefix('"').and_then(|s| s.strip_suffix('"')));
                steps.push(match quoted {
                    Some(key) => Step::Key(key.to_string()),
                    None => Step::Index(
                        inside.parse().map_err(|_| format!("'[{inside}]' is neither an index nor a quoted name"))?,
                    ),
                });
                rest = &after[end + 1..];
            } else {
                return Err(format!("expected '.' or '[' at '{rest}' in '{text}'"));
            }
        }
        Ok(JsonPath(steps, text.trim().to_string()))
    }

    /// The path as written.
    pub fn text(&self) -> &str {
        &self.1
    }

    /// The value at this path in `root`, if there is one.
    pub fn find<'j>(&self, root: &'j Json) -> Option<&'j Json> {
        self.0.iter().try_fold(root, |v, step| match step {
            Step::Key(k) => v.get(k),
            Step::Index(i) => v.get(i),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_both_notations() {
        let doc: Json = serde_json::from_str(r#"{"store":{"book":[{"title":"A"},{"title":"B"}]},"n":3}"#).unwrap();
        let at = |p: &str| JsonPath::parse(p).unwrap().find(&doc).cloned();
        assert_eq!(at("$.store.book[1].title"), Some(Json::from("B")));
        assert_eq!(at("$['store']['book'][0]['title']"), Some(Json::from("A")));
        assert_eq!(at("$.n"), Some(Json::from(3)));
        assert_eq!(at("$.missing"), None);
        assert_eq!(at("$"), Some(doc.clone()));
        assert!(JsonPath::parse("store.book").is_err());
        assert!(JsonPath::parse("$.store[").is_err());
        assert!(JsonPath::parse("$[x]").is_err());
        assert!(JsonPath::parse("$..a").is_err());
    }
}
