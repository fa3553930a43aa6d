//! Naming the declared object behind a statement the server rejected, for
//! [`Error::rejected`](crate::error::Error::rejected): which statement of a batch failed, the
//! object it makes or changes (down to the column of a `CREATE TABLE` when the server points
//! at one), and the part of the statement to show.

use postgres::error::ErrorPosition;
use schema_core::diff::{ObjectKind, ObjectRef};
use schema_core::model::Table;
use schema_core::render::{FunctionSignature, Statement};

/// The object `statement` creates or changes, as a person names it (`table public.things`,
/// `view public.v`, `function public.f(integer)`); `None` for a session setting.
pub(crate) fn statement_object(statement: &Statement) -> Option<String> {
    Some(match statement {
        Statement::UncheckedFunctionBodies | Statement::ResetFunctionBodies => return None,
        Statement::CreateExtension(ext) => format!("extension {}", ext.name),
        Statement::CreateSchema(name) => format!("schema {name}"),
        Statement::CreateEnum(e) => format!("type {}", e.name),
        Statement::CreateDomain(d) => format!("domain {}", d.name),
        Statement::CreateCompositeType(c) => format!("type {}", c.name),
        Statement::CreateRangeType(r) => format!("type {}", r.name),
        Statement::CreateSequence(s) => format!("sequence {}", s.name),
        Statement::CreateFunction(f) => format!(
            "{} {}",
            if f.is_procedure {
                "procedure"
            } else {
                "function"
            },
            FunctionSignature(f)
        ),
        Statement::CreateAggregate(a) => format!("aggregate {}", a.name),
        Statement::CreateTable(t) => format!("table {}", t.name),
        Statement::AlterTable { table, .. } => format!("table {table}"),
        Statement::AddConstraint {
            table, constraint, ..
        } => format!("table {table}, constraint {}", constraint.name),
        Statement::CreateIndex { table, index, .. } => {
            format!("index {} on {table}", index.name)
        }
        Statement::CreateView(v) => format!(
            "{} {}",
            if v.materialized {
                "materialized view"
            } else {
                "view"
            },
            v.name
        ),
        Statement::CreateTrigger(t) => format!("trigger {} on table {}", t.name, t.table),
        Statement::CreatePolicy(p) | Statement::AlterPolicy(p) => {
            format!("policy {} on table {}", p.name, p.table)
        }
        // Other statements: the first line of their SQL names what they touch.
        other => {
            let text = format!("{other}");
            return text.lines().next().map(|l| format!("`{l}`"));
        }
    })
}

/// `object` as a person names it: a column as `table public.things, column n`, a constraint,
/// trigger or policy with its table first; anything else as the plan prints it.
pub(crate) fn describe(object: &ObjectRef) -> String {
    let Some(table) = &object.table else {
        return object.to_string();
    };
    let own = match object.kind {
        ObjectKind::Column => object
            .name
            .strip_prefix(&format!("{table}."))
            .unwrap_or(&object.name),
        ObjectKind::Constraint | ObjectKind::Trigger | ObjectKind::Policy => object
            .name
            .split_once(" ON ")
            .map_or(object.name.as_str(), |(n, _)| n),
        _ => return object.to_string(),
    };
    format!("table {table}, {} {own}", object.kind)
}

/// Where in `batch` (the text sent) the server says the error is, as a byte offset; `None`
/// when it points inside a function body or other text of its own (`Internal`), or nowhere.
pub(crate) fn error_offset(e: &postgres::Error, batch: &str) -> Option<usize> {
    match e.as_db_error()?.position()? {
        // 1-based, in characters.
        ErrorPosition::Original(p) => {
            let chars = (*p as usize).checked_sub(1)?;
            Some(
                batch
                    .char_indices()
                    .nth(chars)
                    .map_or(batch.len(), |(i, _)| i),
            )
        }
        ErrorPosition::Internal { .. } => None,
    }
}

/// The line of `body` (1-based) the server's error points at, `statement` being the
/// `CREATE FUNCTION` that holds it: PL/pgSQL reports a syntax error at a position in the
/// statement, or names the line in its context (`PL/pgSQL function f(integer) line 2`).
pub(crate) fn body_line(e: &postgres::Error, statement: &str, body: &str) -> Option<usize> {
    let db = e.as_db_error()?;
    if let (Some(offset), Some(start)) = (error_offset(e, statement), statement.find(body)) {
        if (start..=start + body.len()).contains(&offset) {
            return Some(statement[start..offset].matches('\n').count() + 1);
        }
    }
    let context = db.where_()?;
    let (_, after) = context.split_once(" line ")?;
    after
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The statement of `statements` (rendered as `texts`, found in that order in `batch`) the
/// byte `offset` of `batch` falls in, with the offset inside its text.
pub(crate) fn statement_at(batch: &str, texts: &[String], offset: usize) -> Option<(usize, usize)> {
    let mut from = 0;
    for (i, text) in texts.iter().enumerate() {
        let start = from + batch[from..].find(text.as_str())?;
        let end = start + text.len();
        if (start..end).contains(&offset) {
            return Some((i, offset - start));
        }
        from = end;
    }
    None
}

/// The column or constraint of `table` whose line of the `CREATE TABLE` text `text` holds
/// byte `offset`: `table public.things, column n`.
pub(crate) fn table_part(table: &Table, text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?.trim_start();
    let starts_with_ident = |name: &str| {
        let quoted = schema_core::ident::quote_ident(name);
        line.strip_prefix(quoted.as_ref())
            .is_some_and(|rest| rest.starts_with([' ', ',']) || rest.is_empty())
    };
    if let Some(column) = table.columns.iter().find(|c| starts_with_ident(&c.name)) {
        return Some(format!("table {}, column {}", table.name, column.name));
    }
    let rest = line.strip_prefix("CONSTRAINT ")?;
    let constraint = table.constraints.iter().find(|c| {
        let quoted = schema_core::ident::quote_ident(&c.name);
        rest.strip_prefix(quoted.as_ref())
            .is_some_and(|r| r.starts_with(' '))
    })?;
    Some(format!(
        "table {}, constraint {}",
        table.name, constraint.name
    ))
}

/// At most this many lines of a statement are shown.
const SHOWN_LINES: usize = 12;

/// `text` to show under the error: whole when short; else the lines around byte `offset`
/// (or its first lines), with `...` for what is left out.
pub(crate) fn excerpt(text: &str, offset: Option<usize>) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    if lines.len() <= SHOWN_LINES {
        return lines.join("\n");
    }
    let at = offset
        .map(|o| text[..o.min(text.len())].matches('\n').count())
        .unwrap_or(0);
    let start = at.saturating_sub(SHOWN_LINES / 2);
    let end = (start + SHOWN_LINES).min(lines.len());
    let start = end.saturating_sub(SHOWN_LINES);
    let mut out = Vec::new();
    if start > 0 {
        out.push("...");
    }
    out.extend(&lines[start..end]);
    if end < lines.len() {
        out.push("...");
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_core::builder::{ColumnDef, TableDef};
    use schema_core::{DataType, Schema};

    #[test]
    fn a_position_names_the_column() {
        let schema = Schema::builder()
            .table(
                TableDef::new("things")
                    .column(ColumnDef::new("id", DataType::parse("integer").unwrap()))
                    .column(
                        ColumnDef::new("n", DataType::parse("integer").unwrap())
                            .default_sql("'abc'"),
                    ),
            )
            .build();
        let table = &schema.tables[0];
        let text = format!("{:#}", Statement::CreateTable(Box::new(table.clone())));
        let offset = text.find("'abc'").expect("the default is in the text");
        assert_eq!(
            table_part(table, &text, offset).as_deref(),
            Some("table public.things, column n")
        );
        let texts = vec!["SET x = 1;".to_string(), text.clone()];
        let batch = format!("{}\n\n{}\n", texts[0], texts[1]);
        let at = batch.find("'abc'").unwrap();
        assert_eq!(statement_at(&batch, &texts, at), Some((1, offset)));
    }

    #[test]
    fn long_statements_are_cut_around_the_error() {
        let text: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let at = text.find("line 30").unwrap();
        let shown = excerpt(&text, Some(at));
        assert!(shown.starts_with("...\n"), "{shown}");
        assert!(shown.contains("line 30"), "{shown}");
        assert_eq!(shown.lines().count(), SHOWN_LINES + 2);
    }
}
