//! Oracle's commands that flowq does not run, each with why: a pasted query that uses
//! one gets this reason, not "unknown command". docs/LANGUAGE.md's table of Oracle's
//! commands marks the same ones "not applicable" (tests/language.rs keeps them in step).

/// (command, why flowq does not run it).
pub const ELSEWHERE: &[(&str, &str)] = &[
    ("addinsights", "Oracle's SDK names it, but its command reference publishes no syntax or meaning to follow"),
    ("anomaly", "Oracle's SDK names it, but its command reference publishes no syntax or meaning to follow"),
    ("command", "it runs commands saved in Oracle's console"),
    ("delete", "it deletes logs stored in Logging Analytics"),
    ("demomode", "it is a setting of Oracle's console"),
    ("macro", "Oracle's SDK names it, but its command reference publishes no syntax or meaning to follow"),
    ("module", "it runs modules saved in Oracle's console"),
    ("updatetable", "it changes tables stored in Logging Analytics"),
];

/// Why flowq does not run Oracle's command `name`, if it is one of those.
pub fn why_not(name: &str) -> Option<&'static str> {
    ELSEWHERE.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, why)| *why)
}
