//! `CREATE TRIGGER`: constructors for [`Trigger`].

use crate::model::{ConstraintTiming, QualifiedName, Trigger, TriggerEvent, TriggerTiming};

use super::strings;

impl Trigger {
    /// A trigger on `table` that executes `function`: `AFTER`, `FOR EACH STATEMENT` (the
    /// SQL default), no events yet.
    pub fn new(
        name: impl Into<String>,
        table: impl Into<QualifiedName>,
        function: impl Into<QualifiedName>,
    ) -> Self {
        Trigger {
            name: name.into(),
            table: table.into(),
            timing: TriggerTiming::After,
            events: Vec::new(),
            for_each_row: false,
            when: None,
            function: function.into(),
            args: Vec::new(),
            comment: None,
            old_table: None,
            new_table: None,
            constraint: None,
        }
    }

    /// `REFERENCING OLD TABLE AS name`.
    pub fn old_table(mut self, name: impl Into<String>) -> Self {
        self.old_table = Some(name.into());
        self
    }

    /// `REFERENCING NEW TABLE AS name`.
    pub fn new_table(mut self, name: impl Into<String>) -> Self {
        self.new_table = Some(name.into());
        self
    }

    /// `CREATE CONSTRAINT TRIGGER ... timing`: an `AFTER ... FOR EACH ROW` trigger that fires
    /// at the end of the statement or, deferred, of the transaction.
    pub fn constraint(mut self, timing: ConstraintTiming) -> Self {
        self.constraint = Some(timing);
        self.timing = TriggerTiming::After;
        self.for_each_row = true;
        self
    }

    /// `BEFORE`.
    pub fn before(mut self) -> Self {
        self.timing = TriggerTiming::Before;
        self
    }

    /// `AFTER`.
    pub fn after(mut self) -> Self {
        self.timing = TriggerTiming::After;
        self
    }

    /// `INSTEAD OF` (on views).
    pub fn instead_of(mut self) -> Self {
        self.timing = TriggerTiming::InsteadOf;
        self
    }

    /// Adds an event (`INSERT`, `UPDATE [OF ...]`, `DELETE`, `TRUNCATE`).
    pub fn on(mut self, event: TriggerEvent) -> Self {
        self.events.push(event);
        self
    }

    /// `FOR EACH ROW`.
    pub fn for_each_row(mut self) -> Self {
        self.for_each_row = true;
        self
    }

    /// `FOR EACH STATEMENT`.
    pub fn for_each_statement(mut self) -> Self {
        self.for_each_row = false;
        self
    }

    /// `WHEN (condition)`, as SQL text.
    pub fn when_sql(mut self, condition: impl Into<String>) -> Self {
        self.when = Some(condition.into());
        self
    }

    /// Literal arguments for the function (values, not SQL: `users`, not `'users'`).
    pub fn args<A: Into<String>>(mut self, args: impl IntoIterator<Item = A>) -> Self {
        self.args = strings(args);
        self
    }

    /// `COMMENT ON TRIGGER`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.comment = Some(text.into());
        self
    }
}
