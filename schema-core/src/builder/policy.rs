//! Row-level security: constructors for [`RowSecurity`] and [`RowPolicy`].

use crate::model::{PolicyCommand, QualifiedName, RowPolicy, RowSecurity};

use super::strings;

impl RowSecurity {
    /// Row-level security on `table` (`ENABLE ROW LEVEL SECURITY`), not forced on its owner.
    pub fn on(table: impl Into<QualifiedName>) -> Self {
        RowSecurity {
            table: table.into(),
            force: false,
        }
    }

    /// `FORCE ROW LEVEL SECURITY`: the table's owner is held to the policies too.
    pub fn force(mut self) -> Self {
        self.force = true;
        self
    }
}

impl RowPolicy {
    /// A permissive policy `FOR ALL` to `PUBLIC` on `table`, with no expressions yet.
    pub fn new(name: impl Into<String>, table: impl Into<QualifiedName>) -> Self {
        RowPolicy {
            name: name.into(),
            table: table.into(),
            permissive: true,
            command: PolicyCommand::All,
            roles: Vec::new(),
            using: None,
            with_check: None,
            comment: None,
        }
    }

    /// `AS RESTRICTIVE`.
    pub fn restrictive(mut self) -> Self {
        self.permissive = false;
        self
    }

    /// `FOR command`.
    pub fn command(mut self, command: PolicyCommand) -> Self {
        self.command = command;
        self
    }

    /// `TO roles` (existing roles; `public` for every role).
    pub fn to<R: Into<String>>(mut self, roles: impl IntoIterator<Item = R>) -> Self {
        self.roles = strings(roles);
        self
    }

    /// `USING (expression)`, as SQL text.
    pub fn using_sql(mut self, expression: impl Into<String>) -> Self {
        self.using = Some(expression.into());
        self
    }

    /// `WITH CHECK (expression)`, as SQL text.
    pub fn with_check_sql(mut self, expression: impl Into<String>) -> Self {
        self.with_check = Some(expression.into());
        self
    }

    /// `COMMENT ON POLICY`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}
