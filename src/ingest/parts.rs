//! Cutting a block into parts at line ends, counting their lines, and parsing them on
//! all cores, each into its own slice of the columns.

use super::columns::{self, SinkResult};
use super::json;
use super::text::PartOutcome;

/// Parts a block of `len` bytes is cut into for `threads` parser threads: several per
/// thread, and none much over [`PART`], taken as the threads come free, so one that
/// falls behind (another program shares the cores) does not leave the others waiting
/// long at the end of the block.
pub(super) fn parts_for(threads: usize, len: usize) -> usize {
    match threads {
        0 | 1 => 1,
        t => (t * 4).max(len / PART),
    }
}

/// The most bytes of a part worth having (a 4 MB part of a 128 MB block is ~55,000
/// lines).
pub(super) const PART: usize = 4 << 20;

/// Lines in each part, counted on `threads` threads (the rows each part's sink must
/// hold).
pub(super) fn line_counts(parts: &[&[u8]], threads: usize) -> Vec<usize> {
    crate::parallel::jobs(parts.to_vec(), threads, line_count)
}

/// Lines in `data` (a last line without a newline counts).
pub(super) fn line_count(data: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', data).count() + usize::from(!data.is_empty() && !data.ends_with(b"\n"))
}

/// Parse each part into its sink with `parse`, on `threads` threads; results come
/// back in input order.
pub(super) fn parse_parts(
    parts: &[&[u8]],
    threads: usize,
    sinks: Vec<columns::Sink<'_>>,
    parse: &(impl Fn(&[u8], &mut columns::Sink) -> PartOutcome + Sync),
) -> Vec<(SinkResult, PartOutcome)> {
    let jobs: Vec<_> = parts.iter().copied().zip(sinks).collect();
    crate::parallel::jobs(jobs, threads, |(p, mut s)| {
        let o = parse(p, &mut s);
        (s.done(), o)
    })
}

/// Cut `data` into about `n` pieces, each ending at a line end.
pub(super) fn split_at_lines(data: &[u8], n: usize) -> Vec<&[u8]> {
    if data.len() < 1 << 16 || n == 1 {
        return vec![data];
    }
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let target = (data.len() * k / n).max(start);
        let end = match memchr::memchr(b'\n', &data[target..]) {
            Some(i) => target + i + 1,
            None => data.len(),
        };
        parts.push(&data[start..end]);
        start = end;
    }
    parts.push(&data[start..]);
    parts.retain(|p| !p.is_empty());
    parts
}

impl super::Loader {
    /// Parse the complete JSON records at the front of `carry` (all of it at the end of
    /// the input), leaving an unfinished one for the next block.
    pub(super) fn parse_json_block(&mut self, carry: &mut Vec<u8>, at_end: bool) -> Vec<(SinkResult, PartOutcome)> {
        let mask = self.opts.fields;
        if self.opts.threads > 1 && carry.len() >= 1 << 20 {
            // Cut between records (a quick pass finds where they end) and parse the
            // pieces on all cores; each holds whole records only.
            let (ends, used) = json::record_ends(carry, at_end);
            let n = parts_for(self.opts.threads, used);
            let mut cuts = vec![0];
            for k in 1..n {
                let target = used * k / n;
                if let Some(&e) = ends.get(ends.partition_point(|&e| e < target)) {
                    cuts.push(e);
                }
            }
            cuts.push(used);
            cuts.dedup();
            let parts: Vec<&[u8]> = cuts.windows(2).map(|w| &carry[w[0]..w[1]]).collect();
            let sizes: Vec<usize> = parts.iter().map(|p| json::record_bound(p)).collect();
            let parse = |p: &[u8], s: &mut columns::Sink| json::parse(p, s, mask, true).0;
            let results = parse_parts(&parts, self.opts.threads, self.columns.sinks(&sizes, self.expected), &parse);
            carry.drain(..used);
            return results;
        }
        let cap = json::record_bound(carry);
        let mut sinks = self.columns.sinks(&[cap], self.expected);
        let mut sink = sinks.remove(0);
        let (outcome, used) = json::parse(carry, &mut sink, mask, at_end);
        let result = sink.done();
        carry.drain(..used);
        vec![(result, outcome)]
    }
}
