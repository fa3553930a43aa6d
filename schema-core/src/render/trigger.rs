//! Triggers: events and `CREATE OR REPLACE TRIGGER`.

use std::fmt::{self, Display, Formatter};

use super::display::*;
use super::*;

impl Display for TriggerEvent {
    /// `INSERT`, `UPDATE [OF a, b]`, `DELETE`, `TRUNCATE`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            TriggerEvent::Insert => f.write_str("INSERT"),
            TriggerEvent::Update(columns) if columns.is_empty() => f.write_str("UPDATE"),
            TriggerEvent::Update(columns) => write!(f, "UPDATE OF {}", Idents(columns)),
            TriggerEvent::Delete => f.write_str("DELETE"),
            TriggerEvent::Truncate => f.write_str("TRUNCATE"),
        }
    }
}

/// `CREATE OR REPLACE TRIGGER ...`; a constraint trigger (which PostgreSQL cannot replace) as
/// `CREATE CONSTRAINT TRIGGER` in a `DO` block guarded by a `pg_trigger` lookup.
pub(super) fn write_create_trigger(
    f: &mut Formatter<'_>,
    trigger: &Trigger,
    pretty: bool,
) -> fmt::Result {
    let Some(timing) = trigger.constraint else {
        return write_trigger(f, trigger, "CREATE OR REPLACE TRIGGER", None);
    };
    let create = DisplayFn(|f: &mut Formatter<'_>| {
        write_trigger(f, trigger, "CREATE CONSTRAINT TRIGGER", Some(timing))
    });
    let condition = format!(
        "NOT EXISTS (SELECT FROM pg_catalog.pg_trigger WHERE tgrelid = {} AND tgname = {} \
         AND NOT tgisinternal)",
        regclass(&trigger.table),
        Literal(&trigger.name)
    );
    write_guarded(f, pretty, &condition, &create)
}

fn write_trigger(
    f: &mut Formatter<'_>,
    trigger: &Trigger,
    create: &str,
    constraint: Option<ConstraintTiming>,
) -> fmt::Result {
    write!(
        f,
        "{create} {} {} {} ON {}",
        Ident(&trigger.name),
        trigger.timing.sql(),
        display_separated(&trigger.events, " OR "),
        trigger.table
    )?;
    if let Some(timing) = constraint {
        write!(f, " {}", timing.sql())?;
    }
    if trigger.old_table.is_some() || trigger.new_table.is_some() {
        f.write_str(" REFERENCING")?;
        if let Some(old) = &trigger.old_table {
            write!(f, " OLD TABLE AS {}", Ident(old))?;
        }
        if let Some(new) = &trigger.new_table {
            write!(f, " NEW TABLE AS {}", Ident(new))?;
        }
    }
    let level = if trigger.for_each_row {
        "ROW"
    } else {
        "STATEMENT"
    };
    write!(f, " FOR EACH {level}")?;
    if let Some(when) = &trigger.when {
        write!(f, " WHEN {}", Parens(when))?;
    }
    let args: Vec<Literal<'_>> = trigger.args.iter().map(|a| Literal(a)).collect();
    write!(
        f,
        " EXECUTE FUNCTION {}({});",
        trigger.function,
        display_comma_separated(&args)
    )
}
