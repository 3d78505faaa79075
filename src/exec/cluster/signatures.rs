//! Message signatures: texts reduced to the words they share, as Oracle's `cluster`
//! groups log records "based on how similar they are". Deterministic: the same texts in
//! the same order give the same clusters.
//!
//! 1. A text is split into words at white space and at the punctuation of JSON and
//!    key=value text (`" , ; = { } [ ] ( ) |`; a `:` that ends or starts a word, as
//!    JSON's `"key":null` leaves it, is dropped); a word holding a digit (a number, an
//!    address, a time, an id) is *masked*: it matches any other masked word. What is
//!    left is the text's *pattern*.
//! 2. Equal patterns are one cluster at once (flow logs have few patterns: ten million
//!    AWS records have a handful).
//! 3. Patterns are then taken in order of first appearance. One joins the cluster of
//!    the same length whose words differ least from it, if they differ from it in few enough
//!    places: with similarity s, a message of n words may differ in ⌊(1 − s) · n⌋
//!    (Oracle's example: 0.67 allows 3 differences in 10 words), counting the places
//!    that already vary in the cluster, so any two members stay that close. The places
//!    where members differ become the cluster's *variables*.

use std::collections::HashMap;

/// One place of a signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    Word(String),
    /// A word holding a digit, in every member.
    Masked,
    /// Members differ here.
    Variable,
}

/// A cluster of patterns.
#[derive(Clone, Debug)]
pub struct Signature {
    pub slots: Vec<Slot>,
    /// Distinct patterns merged into it.
    pub patterns: usize,
}

impl Signature {
    /// The signature as text: words, `<*>` where values vary.
    pub fn text(&self) -> String {
        let words: Vec<&str> = self
            .slots
            .iter()
            .map(|s| match s {
                Slot::Word(w) => w.as_str(),
                Slot::Masked | Slot::Variable => "<*>",
            })
            .collect();
        words.join(" ")
    }
}

/// The words of a text, with digit-holding ones masked.
pub fn pattern(text: &str) -> Vec<Slot> {
    text.split(|c: char| c.is_whitespace() || "\",;={}[]()|".contains(c))
        .map(|w| w.trim_matches(':'))
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .map(|w| if w.bytes().any(|b| b.is_ascii_digit()) { Slot::Masked } else { Slot::Word(w.to_string()) })
        .collect()
}

/// Clustering in progress: patterns in, a cluster index for each.
pub struct Clusterer {
    similarity: f64,
    pub signatures: Vec<Signature>,
    /// length → the clusters of patterns that long.
    buckets: HashMap<usize, Vec<usize>>,
    known: HashMap<Vec<Slot>, usize>,
}

/// At most this many clusters of one bucket are compared with a new pattern (the most
/// recent ones), so a text of endless variety costs time in proportion to its size.
const MAX_COMPARED: usize = 1_000;

impl Clusterer {
    pub fn new(similarity: f64) -> Clusterer {
        Clusterer { similarity, signatures: Vec::new(), buckets: HashMap::new(), known: HashMap::new() }
    }

    /// The cluster of a pattern, joining or starting one.
    pub fn add(&mut self, pattern: &[Slot]) -> usize {
        if let Some(&c) = self.known.get(pattern) {
            return c;
        }
        let allowed = ((1.0 - self.similarity) * pattern.len() as f64 + 1e-9).floor() as usize;
        let bucket = self.buckets.entry(pattern.len()).or_default();
        let mut best: Option<(usize, usize)> = None;
        for &c in bucket.iter().rev().take(MAX_COMPARED) {
            let slots = &self.signatures[c].slots;
            let varied = slots.iter().filter(|s| **s == Slot::Variable).count();
            let differ = slots.iter().zip(pattern).filter(|(s, p)| **s != Slot::Variable && s != p).count();
            if varied + differ <= allowed && best.is_none_or(|(_, d)| differ < d) {
                best = Some((c, differ));
            }
        }
        let c = match best {
            Some((c, _)) => {
                let sig = &mut self.signatures[c];
                for (s, p) in sig.slots.iter_mut().zip(pattern) {
                    if *s != Slot::Variable && s != p {
                        *s = Slot::Variable;
                    }
                }
                sig.patterns += 1;
                c
            }
            None => {
                self.signatures.push(Signature { slots: pattern.to_vec(), patterns: 1 });
                bucket.push(self.signatures.len() - 1);
                self.signatures.len() - 1
            }
        };
        self.known.insert(pattern.to_vec(), c);
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(texts: &[&str], similarity: f64) -> (Vec<usize>, Vec<String>) {
        let mut c = Clusterer::new(similarity);
        let ids = texts.iter().map(|t| c.add(&pattern(t))).collect();
        (ids, c.signatures.iter().map(Signature::text).collect())
    }

    #[test]
    fn numbers_and_addresses_are_masked() {
        let (ids, sigs) = cluster(
            &[
                "2 123 eni-1a 10.0.0.1 10.0.0.2 443 5000 6 1 100 1600000000 1600000010 ACCEPT OK",
                "2 9 eni-2b 10.9.9.9 10.0.0.3 80 5001 6 3 900 1600000001 1600000019 ACCEPT OK",
            ],
            0.67,
        );
        assert_eq!(ids, [0, 0]);
        assert_eq!(sigs, ["<*> <*> <*> <*> <*> <*> <*> <*> <*> <*> <*> <*> ACCEPT OK"]);
    }

    #[test]
    fn oracle_example_three_differences_in_ten_words() {
        let base = "a b c d e f g h i j";
        let three = "x y z d e f g h i j";
        let four = "x y z w e f g h i j";
        assert_eq!(cluster(&[base, three], 0.67).0, [0, 0]);
        assert_eq!(cluster(&[base, four], 0.67).0, [0, 1]);
        // Places that already vary count: after `three`, one more difference is too many.
        let (ids, sigs) = cluster(&[base, three, "a b c d e f g h q j"], 0.67);
        assert_eq!(ids, [0, 0, 1]);
        assert_eq!(sigs[0], "<*> <*> <*> d e f g h i j");
    }

    #[test]
    fn similarity_one_keeps_patterns_apart_and_zero_joins_equal_lengths() {
        assert_eq!(cluster(&["up link", "down link"], 1.0).0, [0, 1]);
        assert_eq!(cluster(&["up link", "down link", "x y z"], 0.0).0, [0, 0, 1]);
    }

    #[test]
    fn empty_and_punctuation_only_texts_are_one_cluster() {
        let (ids, sigs) = cluster(&["", "  ", "--", "{}"], 0.67);
        assert_eq!(ids, [0, 0, 0, 0]);
        assert_eq!(sigs, [""]);
    }

    #[test]
    fn json_is_split_at_its_punctuation() {
        assert_eq!(
            pattern(r#"{"action":"REJECT","port":22}"#),
            [Slot::Word("action".into()), Slot::Word("REJECT".into()), Slot::Word("port".into()), Slot::Masked]
        );
    }
}
