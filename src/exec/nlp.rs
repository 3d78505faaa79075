//! `nlp`: the keyword extraction and keyword clustering a local engine can do. A text's
//! keywords are its words (split at anything not a letter or digit, lower case) that are
//! not stop words, hold no digit and have three letters or more, in order of first
//! appearance, without repeats; with a dictionary, only its words. `cluster` numbers the
//! rows by their first `words` keywords: a row joins the first cluster whose keywords it
//! shares in at least `similarity` of the larger set's places, else starts one.

use std::collections::HashSet;

use super::Frame;
use crate::plan::NlpOp;
use crate::store::{Column, ColumnData};

/// English words too common to say what a text is about.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "are", "was", "were", "has", "have", "had", "not", "but", "with", "from", "this", "that",
    "these", "those", "into", "onto", "over", "under", "than", "then", "there", "their", "they", "them", "its", "our",
    "your", "you", "his", "her", "she", "him", "who", "whom", "which", "what", "when", "where", "why", "how", "all",
    "any", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "been", "being", "also", "such",
    "via", "per", "out", "off", "too", "very", "just", "only", "each", "both", "more", "most", "some", "other", "null",
    "none",
];

/// The keywords of `text`, at most `limit`.
pub fn keywords(text: &str, limit: usize, vocabulary: Option<&HashSet<String>>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if out.len() >= limit {
            break;
        }
        let w = w.to_lowercase();
        let keep = w.chars().count() >= 3
            && !w.chars().any(|c| c.is_ascii_digit())
            && !STOP_WORDS.contains(&w.as_str())
            && vocabulary.is_none_or(|v| v.contains(&w));
        if keep && seen.insert(w.clone()) {
            out.push(w);
        }
    }
    out
}

pub(super) fn nlp(op: &NlpOp, mut f: Frame) -> Frame {
    f.compact();
    let n = f.table.len();
    let vocabulary = op.vocabulary.as_ref().map(|v| v.iter().cloned().collect::<HashSet<String>>());
    let words: Vec<Vec<String>> = (0..n)
        .map(|r| f.table.column(op.col).text(r).map_or(Vec::new(), |t| keywords(&t, op.words, vocabulary.as_ref())))
        .collect();
    let column = if op.cluster {
        Column::new(ColumnData::Int(cluster(&words, op.similarity)), None)
    } else {
        Column::texts(words.iter().map(|w| (!w.is_empty()).then(|| w.join(", "))))
    };
    match op.target {
        Some(i) => f.table.replace(i, column),
        None => f.table.push(op.name.clone(), column),
    }
    f
}

/// The cluster number (from 1, in order of first appearance) of each keyword set.
fn cluster(sets: &[Vec<String>], similarity: f64) -> Vec<i64> {
    let mut heads: Vec<&Vec<String>> = Vec::new();
    sets.iter()
        .map(|s| {
            let near = |h: &&Vec<String>| {
                let shared = s.iter().filter(|w| h.contains(w)).count();
                let larger = s.len().max(h.len());
                larger == 0 || shared as f64 >= similarity * larger as f64 - 1e-9
            };
            match heads.iter().position(near) {
                Some(i) => i as i64 + 1,
                None => {
                    heads.push(s);
                    heads.len() as i64
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_skip_stop_words_numbers_and_repeats() {
        assert_eq!(
            keywords("The connection to 10.0.0.5 was refused: connection REFUSED by the firewall", 10, None),
            ["connection", "refused", "firewall"]
        );
        assert_eq!(keywords("alpha beta gamma delta", 2, None), ["alpha", "beta"]);
        let only: HashSet<String> = ["firewall".to_string()].into();
        assert_eq!(keywords("refused by the firewall", 10, Some(&only)), ["firewall"]);
    }

    #[test]
    fn clusters_by_shared_keywords() {
        let sets: Vec<Vec<String>> = [vec!["a", "b", "c"], vec!["a", "b", "d"], vec!["x", "y", "z"], vec![]]
            .iter()
            .map(|s| s.iter().map(|w| w.to_string()).collect())
            .collect();
        assert_eq!(cluster(&sets, 0.6), [1, 1, 2, 3]);
        assert_eq!(cluster(&sets, 0.75), [1, 2, 3, 4]);
    }
}
