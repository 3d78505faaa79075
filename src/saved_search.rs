//! Queries out of Logging Analytics' saved-search and dashboard JSON (`flowq check
//! --saved-search`). Exports put the query under `queryString`, at the top or inside
//! `ui-config` / `uiConfig`, beside a `displayName` / `display-name`; a dashboard
//! export holds many. Every string under a key that reads `queryString` (case, `-`
//! and `_` aside) is a query, named by the nearest name beside or above it.

use serde_json::Value;

/// The deepest JSON nesting read (exports are a few levels deep; a hostile file is
/// refused rather than exhausting the stack).
const MAX_DEPTH: usize = 64;

/// (name, query) pairs, in the order of the file.
pub fn queries(json: &str) -> Result<Vec<(String, String)>, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let mut out = Vec::new();
    walk(&doc, None, 0, &mut out)?;
    if out.is_empty() {
        return Err("no queryString in it (a saved search export holds its query under queryString)".into());
    }
    Ok(out)
}

fn key_is(key: &str, want: &str) -> bool {
    let k: String = key.chars().filter(|c| *c != '-' && *c != '_').collect();
    k.eq_ignore_ascii_case(want)
}

fn name_in(map: &serde_json::Map<String, Value>) -> Option<String> {
    ["displayName", "name", "title", "id"]
        .iter()
        .find_map(|want| map.iter().find(|(k, _)| key_is(k, want)).and_then(|(_, v)| v.as_str()).map(str::to_string))
}

fn walk(v: &Value, name: Option<&str>, depth: usize, out: &mut Vec<(String, String)>) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    match v {
        Value::Object(map) => {
            let here = name_in(map);
            let name = here.as_deref().or(name);
            for (k, child) in map {
                match child {
                    Value::String(q) if key_is(k, "queryString") => {
                        let n = name.map_or_else(|| format!("query {}", out.len() + 1), str::to_string);
                        out.push((n, q.clone()));
                    }
                    _ => walk(child, name, depth + 1, out)?,
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, name, depth + 1, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_of_every_shape() {
        let one = r#"{"displayName": "Rejects", "queryString": "Action = reject | stats count"}"#;
        assert_eq!(queries(one).unwrap(), [("Rejects".to_string(), "Action = reject | stats count".to_string())]);
        let nested = r#"{"display-name": "Top", "ui-config": {"queryString": "* | stats count by Action"}}"#;
        assert_eq!(queries(nested).unwrap()[0].0, "Top");
        let dashboard = r#"{"dashboards": [{"savedSearches": [
            {"displayName": "A", "uiConfig": {"queryString": "* | head 1"}},
            {"uiConfig": {"query_string": "* | head 2"}}]}]}"#;
        let q = queries(dashboard).unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(q[0], ("A".to_string(), "* | head 1".to_string()));
        assert_eq!(q[1].1, "* | head 2");
    }

    #[test]
    fn what_is_no_export_is_an_error() {
        assert!(queries("not json").unwrap_err().starts_with("not JSON"));
        assert!(queries(r#"{"a": 1}"#).unwrap_err().contains("no queryString"));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(queries(&deep).is_err());
    }
}
