//! What names mean at a point of the pipeline: the fields of the current frame.

use std::sync::{Arc, Mutex};

use crate::schema::{self, FieldMask};
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
    pub kind: FrameKind,
    /// The record fields any stage of the query resolved: shared by every scope of one
    /// plan, so the load can skip the fields no stage reads.
    pub used: Arc<Mutex<FieldMask>>,
    /// Fields `fields` took out of view: later stages still read them, as Oracle's
    /// `fields` only chooses what is displayed; the result leaves them out.
    pub hidden: Vec<String>,
}

impl Scope {
    /// The scope of the flow record table.
    pub fn records() -> Scope {
        Scope {
            fields: schema::record_fields(),
            kind: FrameKind::Records,
            used: Arc::new(Mutex::new(FieldMask::NONE)),
            hidden: Vec::new(),
        }
    }

    /// A scope of other rows, sharing this plan's record of used fields.
    pub fn derived(&self, fields: Vec<Field>, kind: FrameKind) -> Scope {
        Scope { fields, kind, used: self.used.clone(), hidden: Vec::new() }
    }

    /// Note that record field `name` is read (when this scope holds records).
    pub fn mark(&self, name: &str) {
        if matches!(self.kind, FrameKind::Records) {
            if let Some(c) = FieldMask::field_named(name) {
                // A poisoned lock still holds a valid mask: planning never panics
                // while holding it.
                self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(c);
            }
        }
    }

    /// The record fields resolved so far.
    pub fn used_fields(&self) -> FieldMask {
        *self.used.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The column a field name refers to: matched case-insensitively, then through the
    /// aliases.
    pub fn resolve(&self, name: &str) -> Option<usize> {
        if let Some(i) = self.fields.iter().position(|f| f.name.eq_ignore_ascii_case(name)) {
            self.mark(&self.fields[i].name);
            return Some(i);
        }
        // A record field keeps its name through link, stats by and the rest, and so does
        // its other name (`link 'Protocol (Transport)' | classify 'Protocol (Transport)'`).
        if let Some(canonical) = schema::resolve_alias(name) {
            return self.resolve(canonical);
        }
        None
    }

    /// Every name that resolves here (for suggestions and help).
    pub fn names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }

    pub fn is_groups(&self) -> bool {
        matches!(self.kind, FrameKind::Groups(_))
    }
}
