//! What an import did, kind by kind, and what a person should look at afterwards.

use std::collections::BTreeMap;
use std::fmt;

/// How many items of one kind were imported (new), updated (changed since the last import of
/// the same file) and skipped (the same as last time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub imported: u64,
    pub updated: u64,
    pub skipped: u64,
}

/// Something about one item worth a look: a picture missing, a shortcode removed, a private
/// post imported as a draft.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// The item, as its export names it (`post 1148 "Template: Sticky"`).
    pub item: String,
    pub message: String,
}

/// The report of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// Per kind (`articles`, `sections`, `authors`, `tags`, `pictures`, `redirects`).
    pub counts: BTreeMap<&'static str, Counts>,
    /// Items not imported, per reason (`page: Courant has no static pages yet`).
    pub left_out: BTreeMap<String, u64>,
    pub warnings: Vec<Warning>,
}

impl Report {
    /// The counts of `kind`, to add to.
    pub(crate) fn count(&mut self, kind: &'static str) -> &mut Counts {
        self.counts.entry(kind).or_default()
    }

    pub(crate) fn leave_out(&mut self, reason: String) {
        *self.left_out.entry(reason).or_default() += 1;
    }

    pub(crate) fn warn(&mut self, item: &str, message: impl Into<String>) {
        self.warnings.push(Warning { item: item.to_string(), message: message.into() });
    }
}

impl fmt::Display for Report {
    /// The report as the command prints it: a line per kind, the items left out, then every
    /// warning.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, c) in &self.counts {
            writeln!(f, "{kind:<10} {:>7} imported {:>7} updated {:>7} skipped", c.imported, c.updated, c.skipped)?;
        }
        for (reason, n) in &self.left_out {
            writeln!(f, "left out   {n:>7} {reason}")?;
        }
        if !self.warnings.is_empty() {
            writeln!(f, "{} warnings:", self.warnings.len())?;
            for w in &self.warnings {
                writeln!(f, "  {}: {}", w.item, w.message)?;
            }
        }
        Ok(())
    }
}
