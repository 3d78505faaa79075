//! What names mean at a point of the pipeline: the fields of the current frame.

use crate::schema;
use crate::store::Field;

/// What the rows of a frame are.
#[derive(Clone, Debug)]
pub enum FrameKind {
    /// Flow records.
    Records,
    /// Link groups; each remembers its member rows, whose fields are in the scope here.
    Groups(Box<Scope>),
    /// Rows made by stats.
    Rows,
}

#[derive(Clone, Debug)]
pub struct Scope {
    pub fields: Vec<Field>,
    /// `Original Log Content` can still be rebuilt from the record columns.
    pub original_line: bool,
    pub kind: FrameKind,
}

/// What a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    Column(usize),
    OriginalLine,
}

impl Scope {
    /// The scope of the flow record table.
    pub fn records() -> Scope {
        Scope { fields: schema::record_fields(), original_line: true, kind: FrameKind::Records }
    }

    /// Resolve a field name: case-insensitively, then through the aliases.
    pub fn resolve(&self, name: &str) -> Option<Resolved> {
        if let Some(i) = self.fields.iter().position(|f| f.name.eq_ignore_ascii_case(name)) {
            return Some(Resolved::Column(i));
        }
        if self.original_line && name.eq_ignore_ascii_case(schema::ORIGINAL_LOG_CONTENT) {
            return Some(Resolved::OriginalLine);
        }
        if matches!(self.kind, FrameKind::Records) {
            if let Some(canonical) = schema::resolve_alias(name) {
                return self.resolve(canonical);
            }
        }
        None
    }

    /// Every name that resolves here (for suggestions and help).
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
        if self.original_line {
            v.push(schema::ORIGINAL_LOG_CONTENT);
        }
        v
    }

    pub fn is_groups(&self) -> bool {
        matches!(self.kind, FrameKind::Groups(_))
    }
}
