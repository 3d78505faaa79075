//! The distinct strings of a text column: codes index into them.

use super::hash::FastMap;
use super::value::cmp_sort_str;

/// The distinct strings of a column; codes index into it.
#[derive(Debug, Default)]
pub struct Dict {
    values: Vec<Box<str>>,
}

impl Dict {
    pub fn new(values: Vec<Box<str>>) -> Self {
        Dict { values }
    }

    #[inline]
    pub fn get(&self, code: u32) -> &str {
        &self.values[code as usize]
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn values(&self) -> &[Box<str>] {
        &self.values
    }

    /// For each code, its rank in the language's string order (case-insensitive,
    /// ties case-sensitive): sorting codes by rank sorts the strings.
    pub fn sort_ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.values.len() as u32).collect();
        order.sort_by(|&a, &b| cmp_sort_str(self.get(a), self.get(b)));
        let mut ranks = vec![0u32; order.len()];
        for (rank, code) in order.into_iter().enumerate() {
            ranks[code as usize] = rank as u32;
        }
        ranks
    }
}

/// Builds a dictionary, handing out one code per distinct string.
#[derive(Default)]
pub struct DictBuilder {
    values: Vec<Box<str>>,
    index: FastMap<Box<str>, u32>,
}

impl DictBuilder {
    #[inline]
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&c) = self.index.get(s) {
            return c;
        }
        let c = self.values.len() as u32;
        self.values.push(s.into());
        self.index.insert(s.into(), c);
        c
    }

    pub fn finish(self) -> Dict {
        Dict { values: self.values }
    }
}
