//! The language reference, from one registry: every command (here), every scalar
//! function ([`crate::funcs::scalars`]) and every aggregate
//! ([`crate::funcs::aggregate::AGGREGATES`]), each with its syntax, a one-line
//! description and examples with their expected output. `flowq reference` prints it,
//! docs/REFERENCE.md is it in Markdown (a test keeps the two equal), and the test suite
//! runs every example on [`EXAMPLE_RECORDS`].

use std::fmt::Write as _;

use crate::funcs::{self, aggregate::AGGREGATES};

/// The nine flow records every example runs on (OCI VCN text): a conversation over
/// two minutes and its reply, two rejects (one written in lower case), a record on the
/// next day, a NODATA record, IPv6 and DNS.
pub const EXAMPLE_RECORDS: &str = "\
2 10.0.0.5 203.0.113.7 443 51000 6 10 5000 1600000000 1600000060 ACCEPT OK
2 203.0.113.7 10.0.0.5 51000 443 6 4 300 1600000000 1600000060 ACCEPT OK
2 10.0.0.5 203.0.113.7 443 51000 6 12 7000 1600000060 1600000120 ACCEPT OK
2 198.51.100.9 10.0.0.6 40000 22 6 3 180 1600003600 1600003600 REJECT OK
2 198.51.100.9 10.0.0.6 40001 3389 6 3 180 1600003700 1600003700 reject OK
2 10.0.1.10 10.0.3.20 1521 45000 6 50 90000 1600090000 1600090050 ACCEPT OK
2 - - - - - - - 1600090000 1600090060 - NODATA
2 2001:db8::1 2001:db8::2 53 5353 17 1 120 1600090100 1600090100 ACCEPT OK
2 10.0.3.20 10.0.0.2 5353 53 17 1 80 1600090200 1600090200 ACCEPT OK
";

/// One command of the language.
pub struct CommandDef {
    pub name: &'static str,
    pub syntax: &'static str,
    pub about: &'static str,
    /// (query, its result on [`EXAMPLE_RECORDS`] as CSV).
    pub examples: &'static [(&'static str, &'static str)],
}

pub const COMMAND_DEFS: &[CommandDef] = &[
    CommandDef {
        name: "search",
        syntax: "[search] * | <condition>  (first stage; also | search <condition> later)",
        about: "keep records where the condition holds; bare words and 'phrases' that are not fields match the record text",
        examples: &[
            ("Action = reject | fields 'Destination Port'", "Destination Port\n3389\n22\n"),
            ("* | search nodata | fields Status", "Status\nNODATA\n"),
        ],
    },
    CommandDef {
        name: "where",
        syntax: "where <condition>",
        about: "keep the rows where the condition is true (records, stats rows or link groups)",
        examples: &[("* | where Packets > 10 | fields Packets", "Packets\n50\n12\n")],
    },
    CommandDef {
        name: "eval",
        syntax: "eval <field> = <expression> [, <field> = <expression> ...]",
        about: "add or overwrite columns, left to right",
        examples: &[(
            "'Destination Port' = 22 | eval Service = if('Destination Port' = 22, SSH, Other), KB = 'Content Size Out' / 1000 | fields Service, KB",
            "Service,KB\nSSH,0.18\n",
        )],
    },
    CommandDef {
        name: "stats",
        syntax: "stats <aggregate> [as <name>], ... [by <field>, ...]",
        about: "one row per distinct by-tuple (nulls form their own group); after link, one new column per group instead",
        examples: &[(
            "* | stats count, sum(Packets) as Packets by Protocol",
            "Protocol,Count,Packets\n6,6,82\n17,2,2\n,1,\n",
        )],
    },
    CommandDef {
        name: "timestats",
        syntax: "timestats [span=<span>] [field=<time field>] [topcount=<n>|bottomcount=<n>] <aggregate> [as <name>], ... [by <field>, ...]",
        about: "aggregates per time bucket (and by-value), empty buckets included (0 for counts and sums); default span: at most 200 buckets",
        examples: &[(
            "* | timestats span=1day count, sum('Content Size Out') as Bytes",
            "Time,Count,Bytes\n2020-09-13T00:00:00Z,5,12660\n2020-09-14T00:00:00Z,4,90200\n",
        )],
    },
    CommandDef {
        name: "eventstats",
        syntax: "eventstats <aggregate> [as <name>], ... [by <field>, ...]",
        about: "aggregate across rows (or link groups) and attach the result to every row, without collapsing",
        examples: &[(
            "Protocol = 17 | eventstats sum('Content Size Out') as Total | eval Share = 'Content Size Out' / Total | fields 'Source Port', Share",
            "Source Port,Share\n5353,0.4\n53,0.6\n",
        )],
    },
    CommandDef {
        name: "link",
        syntax: "link [span=<span>] [includenulls=true|false] <field>, ...",
        about: "group records into one row per combination (Count, Start Time, End Time, Group Duration); groups keep their records",
        examples: &[(
            "* | link 'Source IP' | where Count > 1 | fields 'Source IP', Count, 'Group Duration'",
            "Source IP,Count,Group Duration\n10.0.0.5,2,60000\n198.51.100.9,2,100000\n",
        )],
    },
    CommandDef {
        name: "addfields",
        syntax: "addfields [ <condition> | stats <aggregate> as <name>, ... ], ...",
        about: "after link: per group, aggregate only the member records matching the condition (* for all); none gives 0 for counts, null otherwise",
        examples: &[(
            "* | link 'Destination IP' | addfields [ Action = reject | stats count as Rejected ] | where Rejected > 0 | fields 'Destination IP', Count, Rejected",
            "Destination IP,Count,Rejected\n10.0.0.6,2,2\n",
        )],
    },
    CommandDef {
        name: "sort",
        syntax: "sort [+|-]<field>, ...",
        about: "order rows (- descending); numbers and IPs by value, text ignoring case; nulls last; stable",
        examples: &[("* | sort -Packets | head 2 | fields Packets", "Packets\n50\n12\n")],
    },
    CommandDef {
        name: "head",
        syntax: "head [[limit=]<n>]",
        about: "the first n rows (default 10); records come newest first",
        examples: &[("* | head limit=2 | fields Time", "Time\n2020-09-14T13:30:00Z\n2020-09-14T13:28:20Z\n")],
    },
    CommandDef {
        name: "tail",
        syntax: "tail [[limit=]<n>]",
        about: "the last n rows (default 10)",
        examples: &[("* | tail 1 | fields Time", "Time\n2020-09-13T12:26:40Z\n")],
    },
    CommandDef {
        name: "top",
        syntax: "top [[limit=]<n>] <field>, ... [by <field>, ...]",
        about: "on records: the n most frequent values with a Count; on stats or link rows: the n rows with the largest value; n per by-value; limit=-1 for all",
        examples: &[
            ("* | top 2 'Destination Port'", "Destination Port,Count\n51000,2\n22,1\n"),
            ("* | stats sum(Packets) as P by 'Source IP' | top 1 P", "Source IP,P\n10.0.1.10,50\n"),
        ],
    },
    CommandDef {
        name: "bottom",
        syntax: "bottom [[limit=]<n>] <field>, ... [by <field>, ...]",
        about: "as top, smallest first",
        examples: &[("* | stats sum(Packets) as P by Protocol | bottom 1 P", "Protocol,P\n17,2\n")],
    },
    CommandDef {
        name: "fields",
        syntax: "fields [+|-]<field or pattern> [as <name>], ...",
        about: "choose, drop (-) or reorder columns; * % ? are wildcards in names",
        examples: &[("* | head 1 | fields Source*, -'Source Port'", "Source IP\n10.0.3.20\n")],
    },
    CommandDef {
        name: "rename",
        syntax: "rename <field> as <name>, ...",
        about: "rename columns",
        examples: &[("* | stats count by Action | rename Action as Verdict | head 1", "Verdict,Count\nACCEPT,6\n")],
    },
    CommandDef {
        name: "distinct",
        syntax: "distinct <field>, ...",
        about: "the distinct combinations of the fields (only those columns), ordered by them",
        examples: &[("* | distinct Protocol", "Protocol\n6\n17\n\n")],
    },
    CommandDef {
        name: "dedup",
        syntax: "dedup <field>, ...",
        about: "keep the first row of each combination of the fields, with all columns",
        examples: &[("* | dedup Protocol | fields Protocol, 'Source Port'", "Protocol,Source Port\n17,5353\n6,1521\n,\n")],
    },
    CommandDef {
        name: "bucket",
        syntax: "bucket [span=<n>] [maxbuckets=<n>] <field> [<label> = <low> - <high>, ... [, others = <label>]]",
        about: "replace a number by its range: named ranges (ends inclusive, first match wins), or equal round-number widths (low inclusive, high exclusive; about 10)",
        examples: &[
            ("* | bucket 'Content Size Out' | stats count by 'Content Size Out'", "Content Size Out,Count\n0 - 10000,7\n90000 - 100000,1\n,1\n"),
            ("* | bucket Packets few = 0 - 5, others = many | stats count by Packets", "Packets,Count\nfew,5\nmany,3\n,1\n"),
        ],
    },
    CommandDef {
        name: "regex",
        syntax: "regex <field> = '<re>' | != '<re>' | [not] in ('<re>', ...)",
        about: "keep rows whose value has a match (unanchored, case-sensitive unless (?i)); null values are never kept",
        examples: &[("* | regex 'Source IP' = '^10\\.0\\.0\\.' | stats count", "Count\n2\n")],
    },
    CommandDef {
        name: "extract",
        syntax: "extract [field=<field>] '<re with (?P<Name>...) groups>'",
        about: "each named group becomes a text column (no match gives nulls); the field defaults to Original Log Content",
        examples: &[(
            "'Destination Port' = 22 | extract '^\\d+ (?P<Src>\\S+) (?P<Dst>\\S+)' | fields Src, Dst",
            "Src,Dst\n198.51.100.9,10.0.0.6\n",
        )],
    },
    CommandDef {
        name: "delta",
        syntax: "delta [field=<previous field>] [step=<n>] <field> [as <name>]",
        about: "the field minus the previous field of the row n rows earlier (in the current order); null for the first rows",
        examples: &[(
            "Action = accept | sort Time | delta Time as Gap | head 3 | fields Gap",
            "Gap\n\n0\n60000\n",
        )],
    },
    CommandDef {
        name: "timecompare",
        syntax: "timecompare shift=<span> [count=<n>]",
        about: "right after timestats: add each aggregate as it was 1..n shifts earlier (null before the first bucket)",
        examples: &[(
            "* | timestats span=1day count | timecompare shift=1day",
            "Time,Count,Count -1day\n2020-09-13T00:00:00Z,5,\n2020-09-14T00:00:00Z,4,5\n",
        )],
    },
    CommandDef {
        name: "highlightrows",
        syntax: "highlightrows [color=<colour>] <keyword>, ... | [ <condition> ]",
        about: "mark rows matching any keyword (record text, or any column of other rows) or the condition: a Highlight column the table draws in colour",
        examples: &[(
            "* | stats count by Action | highlightrows color=red [ Action = reject ]",
            "Action,Count,Highlight\nACCEPT,6,\nREJECT,1,red\nreject,1,red\n,1,\n",
        )],
    },
    CommandDef {
        name: "highlightgroups",
        syntax: "highlightgroups [color=<colour>] <keyword>, ... | [ <condition> ]",
        about: "after link: mark the groups having a member record that matches",
        examples: &[(
            "* | link 'Destination IP' | highlightgroups [ Action = reject ] | where Highlight != null | fields 'Destination IP', Highlight",
            "Destination IP,Highlight\n10.0.0.6,yellow\n",
        )],
    },
    CommandDef {
        name: "lookup",
        syntax: "lookup table=<name> [maxmatches=<n>] [default=<value>] select <column> [as <field>], ... using <field> [= <column>], ...",
        about: "add columns of a CSV table where its key columns match: values, CIDR blocks or number ranges (the most specific wins); several using pairs must all match",
        examples: &[
            (
                "'Destination Port' = 22 | lookup table=ports select Service using 'Destination Port' = Port, 'Protocol Name' = Protocol | fields Service",
                "Service\nssh\n",
            ),
            (
                "* | lookup table=protocols default=none select Name as Transport using Protocol = Number | stats count by Transport",
                "Transport,Count\nnone,1\nTCP,6\nUDP,2\n",
            ),
        ],
    },
    CommandDef {
        name: "searchlookup",
        syntax: "searchlookup table=<name>",
        about: "the rows of a lookup table as the result",
        examples: &[("* | searchlookup table=protocols | where Number < 2", "Number,Name\n0,HOPOPT\n1,ICMP\n")],
    },
    CommandDef {
        name: "classify",
        syntax: "classify [topcount=<n>] <field>, ... [correlate = <field>, ...] [as <name>]",
        about: "after link: cluster the groups by the fields (text values as context, numbers cut where they leave gaps, byte counts on a log scale, times in four periods); one row per cluster with its ranges, an Anomaly flag for small clusters far from the rest, and the values that characterise each cluster in the correlated fields",
        examples: &[(
            "* | link 'Source IP' | stats sum('Content Size Out') as Bytes | classify Bytes correlate = 'Source IP'",
            "Id,Group Count,Percentage,Bytes Min,Bytes Max,Anomaly,Source IP\n1,4,66.67,80,360,false,\n2,1,16.67,12000,12000,false,10.0.0.5\n3,1,16.67,90000,90000,false,10.0.1.10\n",
        )],
    },
];

/// The command named `name`, case-insensitively.
pub fn command(name: &str) -> Option<&'static CommandDef> {
    COMMAND_DEFS.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}

fn example_block(out: &mut String, query: &str, result: &str) {
    let _ = writeln!(out, "```\n{query}\n```\n```csv\n{}```", result);
}

/// The whole reference in Markdown (docs/REFERENCE.md).
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str(
        "# flowq language reference\n\n\
         Generated from flowq's registry of commands, functions and aggregates (`flowq reference \
         --markdown`); a test keeps this file equal to it and runs every example. Examples run on \
         the nine records below (the rules of the language are in LANGUAGE.md).\n\n```\n",
    );
    out.push_str(EXAMPLE_RECORDS);
    out.push_str("```\n\n## Commands\n\n");
    for c in COMMAND_DEFS {
        let _ = writeln!(out, "### `{}`\n\n`{}`\n\n{}.\n", c.name, c.syntax, capital(c.about));
        for (q, r) in c.examples {
            example_block(&mut out, q, r);
            out.push('\n');
        }
    }
    out.push_str("## Functions\n\nFor `eval`, `where`, the search clause and conditions.\n\n");
    let mut groups: Vec<&str> = Vec::new();
    for f in funcs::scalars() {
        if !groups.contains(&f.group) {
            groups.push(f.group);
        }
    }
    for g in groups {
        let _ =
            writeln!(out, "### {}\n\n| function | what it gives | example | result |\n|---|---|---|---|", capital(g));
        for f in funcs::scalars().filter(|f| f.group == g) {
            let (ex, r) = f.examples.first().copied().unwrap_or(("", ""));
            let _ = writeln!(out, "| `{}` | {} | `{}` | `{}` |", cell(f.signature), cell(f.about), cell(ex), cell(r));
        }
        out.push('\n');
    }
    out.push_str("## Aggregates\n\nFor `stats`, `timestats`, `eventstats`, `addfields` and `stats` after `link`.\n\n");
    for a in AGGREGATES {
        let _ = writeln!(out, "### `{}`\n\n`{}`: {}.\n", a.name, a.signature, a.about);
        for (q, r) in a.examples {
            example_block(&mut out, q, r);
            out.push('\n');
        }
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// Help on one command, function or aggregate, as plain text; `None` if there is none.
pub fn topic(name: &str) -> Option<String> {
    let mut out = String::new();
    if let Some(c) = command(name) {
        let _ = writeln!(out, "{} (command)\n  {}\n  {}", c.name, c.syntax, c.about);
        for (q, _) in c.examples {
            let _ = writeln!(out, "  example: {q}");
        }
    }
    if let Some(f) = funcs::scalar(name) {
        let _ = writeln!(out, "{} (function, {})\n  {}\n  {}", f.name, f.group, f.signature, f.about);
        for (e, r) in f.examples {
            let _ = writeln!(out, "  example: {e}  →  {r}");
        }
    }
    if let Some(a) = AGGREGATES.iter().find(|a| a.name.eq_ignore_ascii_case(name)) {
        let _ = writeln!(out, "{} (aggregate)\n  {}\n  {}", a.name, a.signature, a.about);
        for (q, _) in a.examples {
            let _ = writeln!(out, "  example: {q}");
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Every command, function and aggregate in one screen.
pub fn summary() -> String {
    let mut out = String::from("Commands:\n");
    for c in COMMAND_DEFS {
        let _ = writeln!(out, "  {:<16} {}", c.name, c.about);
    }
    out.push_str("\nFunctions:\n");
    for f in funcs::scalars() {
        let _ = writeln!(out, "  {:<16} {}", f.name, f.about);
    }
    out.push_str("\nAggregates:\n");
    for a in AGGREGATES {
        let _ = writeln!(out, "  {:<16} {}", a.name, a.about);
    }
    out.push_str("\nflowq reference NAME shows one with its syntax and examples.\n");
    out
}
