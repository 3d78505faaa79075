//! What a load read, input by input: records, skipped lines and why, inputs cut short.

/// How many skipped lines are described per input; the rest are counted.
pub const EXAMPLES: usize = 5;

/// A line that was not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub line: u64,
    pub reason: String,
}

/// What was read from one input.
#[derive(Clone, Debug, Default)]
pub struct InputReport {
    pub name: String,
    pub format: &'static str,
    pub compressed: bool,
    pub records: u64,
    /// Bytes read (after decompression).
    pub bytes: u64,
    pub skipped: u64,
    /// The first few skipped lines.
    pub examples: Vec<Skip>,
    /// Why reading stopped early (a truncated gzip file, say), if it did.
    pub cut_short: Option<String>,
    /// Rows of the record table this input's records occupy.
    pub rows: std::ops::Range<usize>,
    /// What a skipped place is called: `line` (text and JSON, the default) or `record`
    /// (Parquet, counted from the file's first record).
    pub place: &'static str,
}

impl InputReport {
    /// What a skipped place is called (see [`InputReport::place`]).
    pub fn place(&self) -> &'static str {
        if self.place.is_empty() {
            "line"
        } else {
            self.place
        }
    }

    /// `skipped 3 malformed lines in flows.log: line 17 (expected 12 fields, found 9), …`
    pub fn skip_summary(&self) -> Option<String> {
        if self.skipped == 0 {
            return None;
        }
        let place = self.place();
        let plural = if self.skipped == 1 { place.to_string() } else { format!("{place}s") };
        let list: Vec<String> = self.examples.iter().map(|s| format!("{place} {} ({})", s.line, s.reason)).collect();
        let more = if self.skipped as usize > self.examples.len() { ", …" } else { "" };
        Some(format!("skipped {} malformed {plural} in {}: {}{more}", self.skipped, self.name, list.join(", ")))
    }
}

/// What a load read, input by input.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    pub inputs: Vec<InputReport>,
    /// What a directory or pattern held that was not read, each with why.
    pub passed_over: Vec<String>,
}

impl LoadReport {
    pub fn records(&self) -> u64 {
        self.inputs.iter().map(|i| i.records).sum()
    }

    pub fn bytes(&self) -> u64 {
        self.inputs.iter().map(|i| i.bytes).sum()
    }

    pub fn skipped(&self) -> u64 {
        self.inputs.iter().map(|i| i.skipped).sum()
    }

    /// Lines for stderr: what directories held that was not read, skipped lines, and
    /// inputs cut short.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = self.passed_over.clone();
        for i in &self.inputs {
            out.extend(i.skip_summary());
            if let Some(why) = &i.cut_short {
                out.push(format!("{}: {why}; kept the {} records read before it", i.name, i.records));
            }
        }
        out
    }
}
