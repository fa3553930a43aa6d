//! Row-level security: the per-table switch (`ENABLE` / `FORCE ROW LEVEL SECURITY`) and the
//! policies (`CREATE POLICY`) that decide which rows each role sees and writes.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::QualifiedName;

/// `ALTER TABLE t ENABLE ROW LEVEL SECURITY [, FORCE ROW LEVEL SECURITY]`: a table listed in
/// [`Schema::row_security`](super::Schema::row_security) has row-level security on; any other
/// table has it off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowSecurity {
    /// The table.
    pub table: QualifiedName,
    /// `FORCE ROW LEVEL SECURITY`: the policies apply to the table's owner too.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub force: bool,
}

/// `CREATE POLICY name ON table AS PERMISSIVE | RESTRICTIVE FOR command TO roles USING (...)
/// WITH CHECK (...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowPolicy {
    /// Policy name (unique per table).
    pub name: String,
    /// The table it applies to.
    pub table: QualifiedName,
    /// `AS PERMISSIVE` (`true`, the default: permissive policies are OR-ed) or `AS
    /// RESTRICTIVE` (AND-ed with the permissive ones).
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub permissive: bool,
    /// `FOR ALL | SELECT | INSERT | UPDATE | DELETE`.
    pub command: PolicyCommand,
    /// `TO roles`, as PostgreSQL names them; empty means `PUBLIC` (the default), as does
    /// `public`. Roles must exist: pgdecl never creates roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// `USING (expression)`: which existing rows are visible, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// `WITH CHECK (expression)`: which new rows may be written, as SQL text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    /// `COMMENT ON POLICY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl RowPolicy {
    /// The roles as a set PostgreSQL would store: `PUBLIC` spelled `public`, each role once,
    /// in name order (`TO a, b` and `TO b, a` are one policy); PostgreSQL keeps only `PUBLIC`
    /// of a list that names it, since it takes in every other role.
    pub fn role_set(&self) -> BTreeSet<String> {
        let set: BTreeSet<String> = self.roles.iter().cloned().collect();
        if set.is_empty() || set.contains("public") {
            ["public".to_string()].into()
        } else {
            set
        }
    }

    /// True when the policy applies to every role (`TO PUBLIC`).
    pub fn is_public(&self) -> bool {
        self.role_set().iter().all(|r| r == "public")
    }
}

/// The command a policy applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyCommand {
    /// `FOR ALL` (the default).
    All,
    /// `FOR SELECT`.
    Select,
    /// `FOR INSERT`.
    Insert,
    /// `FOR UPDATE`.
    Update,
    /// `FOR DELETE`.
    Delete,
}

impl PolicyCommand {
    /// The SQL word.
    pub fn sql(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }

    /// True when a `USING` clause applies (every command but `INSERT`).
    pub fn takes_using(self) -> bool {
        self != PolicyCommand::Insert
    }

    /// True when a `WITH CHECK` clause applies (every command but `SELECT` and `DELETE`).
    pub fn takes_with_check(self) -> bool {
        !matches!(self, PolicyCommand::Select | PolicyCommand::Delete)
    }
}
