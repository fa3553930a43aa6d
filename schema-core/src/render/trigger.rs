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

pub(super) fn write_create_trigger(f: &mut Formatter<'_>, trigger: &Trigger) -> fmt::Result {
    write!(
        f,
        "CREATE OR REPLACE TRIGGER {} {} {} ON {}",
        Ident(&trigger.name),
        trigger.timing.sql(),
        display_separated(&trigger.events, " OR "),
        trigger.table
    )?;
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
