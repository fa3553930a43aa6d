//! Scratch DDL the runtime runs and always rolls back: the scratch schemas a declared schema
//! is created in to read its canonical form, and the temporary copies on which introspection
//! re-reads SQL fragments (defaults, checks, index keys, view queries, trigger conditions).

use std::borrow::Cow;
use std::fmt::{self, Display, Formatter};

use crate::ident::{dollar_quote, quote_ident, quote_literal, quote_qualified};
use crate::model::{QualifiedName, TriggerEvent, TriggerTiming};

/// Creates the scratch schemas that stand in for a declaration's schemas, and puts them on
/// `search_path` (then `fallback`, where extensions live) with function bodies unchecked,
/// for the transaction: `CREATE SCHEMA ...; SET LOCAL search_path = ...; SET LOCAL
/// check_function_bodies = off;`, one statement per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScratchSchemas<'a> {
    /// The scratch schemas, in `search_path` order.
    pub schemas: Vec<&'a str>,
    /// The schema searched after them.
    pub fallback: &'a str,
}

impl Display for ScratchSchemas<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for schema in &self.schemas {
            writeln!(f, "CREATE SCHEMA {};", quote_ident(schema))?;
        }
        f.write_str("SET LOCAL search_path = ")?;
        for schema in &self.schemas {
            write!(f, "{}, ", quote_ident(schema))?;
        }
        writeln!(f, "{};", quote_ident(self.fallback))?;
        writeln!(f, "SET LOCAL check_function_bodies = off;")
    }
}

/// A key of an index on a temporary copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TempIndexKey<'a> {
    /// A column, by name.
    Column(&'a str),
    /// An expression, printed in parentheses.
    Expression(Cow<'a, str>),
}

/// An element of an index on a temporary copy: its key, collation and operator class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TempIndexElement<'a> {
    /// The column or expression.
    pub key: TempIndexKey<'a>,
    /// `COLLATE`, when not the default.
    pub collation: Option<&'a str>,
    /// The operator class, when not the default.
    pub opclass: Option<&'a str>,
}

/// One statement of introspection's expression re-read: a temporary copy of a table (in
/// `pg_temp`, named by the caller with a prefix user names do not use) and the SQL fragments
/// applied to it again, or a temporary view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TempCopyStatement<'a> {
    /// `CREATE TEMPORARY TABLE copy (LIKE table)`.
    CopyTable {
        /// The copy's name.
        copy: &'a str,
        /// The table copied.
        table: &'a QualifiedName,
    },
    /// A generated column re-added with the expression: `ALTER TABLE pg_temp.copy DROP COLUMN
    /// c, ADD COLUMN c type [COLLATE x] GENERATED ALWAYS AS (expr) STORED`.
    Generated {
        /// The copy's name.
        copy: &'a str,
        /// The column.
        column: &'a str,
        /// Its type as `format_type` prints it.
        type_text: &'a str,
        /// Its collation, when not the type's.
        collation: Option<&'a str>,
        /// The generation expression.
        expr: &'a str,
    },
    /// `ALTER TABLE pg_temp.copy ALTER COLUMN c SET DEFAULT expr`.
    Default {
        /// The copy's name.
        copy: &'a str,
        /// The column.
        column: &'a str,
        /// The default.
        expr: &'a str,
    },
    /// `ALTER TABLE pg_temp.copy ADD CONSTRAINT name CHECK (expr)`.
    Check {
        /// The copy's name.
        copy: &'a str,
        /// The constraint's name.
        name: &'a str,
        /// The condition.
        expr: &'a str,
    },
    /// `CREATE INDEX name ON pg_temp.copy USING method (elements) [WHERE (predicate)]`.
    Index {
        /// The index's name.
        name: &'a str,
        /// The copy's name.
        copy: &'a str,
        /// The access method.
        method: &'a str,
        /// The keys.
        elements: Vec<TempIndexElement<'a>>,
        /// The partial-index predicate.
        predicate: Option<Cow<'a, str>>,
    },
    /// `CREATE TRIGGER name timing events ON pg_temp.copy FOR EACH ROW|STATEMENT WHEN (when)
    /// EXECUTE FUNCTION function()`.
    Trigger {
        /// The trigger's name.
        name: &'a str,
        /// The copy's name.
        copy: &'a str,
        /// When it fires.
        timing: TriggerTiming,
        /// On what (the `UPDATE OF` columns are left out: only the condition is re-read).
        events: &'a [TriggerEvent],
        /// Row or statement level.
        for_each_row: bool,
        /// The condition.
        when: &'a str,
        /// The trigger function.
        function: &'a QualifiedName,
    },
    /// `CREATE TEMPORARY VIEW name AS query`.
    View {
        /// The view's name.
        name: &'a str,
        /// The query, without a trailing `;`.
        query: &'a str,
    },
}

impl Display for TempCopyStatement<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            TempCopyStatement::CopyTable { copy, table } => write!(
                f,
                "CREATE TEMPORARY TABLE {} (LIKE {})",
                quote_ident(copy),
                quote_qualified(&table.schema, &table.name)
            ),
            TempCopyStatement::Generated {
                copy,
                column,
                type_text,
                collation,
                expr,
            } => {
                let column = quote_ident(column);
                write!(
                    f,
                    "ALTER TABLE pg_temp.{} DROP COLUMN {column}, ADD COLUMN {column} {type_text}",
                    quote_ident(copy)
                )?;
                if let Some(collation) = collation {
                    write!(f, " COLLATE {}", quote_ident(collation))?;
                }
                write!(f, " GENERATED ALWAYS AS ({expr}) STORED")
            }
            TempCopyStatement::Default { copy, column, expr } => write!(
                f,
                "ALTER TABLE pg_temp.{} ALTER COLUMN {} SET DEFAULT {expr}",
                quote_ident(copy),
                quote_ident(column)
            ),
            TempCopyStatement::Check { copy, name, expr } => write!(
                f,
                "ALTER TABLE pg_temp.{} ADD CONSTRAINT {} CHECK ({expr})",
                quote_ident(copy),
                quote_ident(name)
            ),
            TempCopyStatement::Index {
                name,
                copy,
                method,
                elements,
                predicate,
            } => {
                write!(
                    f,
                    "CREATE INDEX {} ON pg_temp.{} USING {} (",
                    quote_ident(name),
                    quote_ident(copy),
                    quote_ident(method)
                )?;
                for (i, element) in elements.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match &element.key {
                        TempIndexKey::Column(column) => f.write_str(&quote_ident(column))?,
                        TempIndexKey::Expression(expr) => write!(f, "({expr})")?,
                    }
                    if let Some(collation) = element.collation {
                        write!(f, " COLLATE {}", quote_ident(collation))?;
                    }
                    if let Some(opclass) = element.opclass {
                        write!(f, " {}", quote_ident(opclass))?;
                    }
                }
                f.write_str(")")?;
                if let Some(predicate) = predicate {
                    write!(f, " WHERE ({predicate})")?;
                }
                Ok(())
            }
            TempCopyStatement::Trigger {
                name,
                copy,
                timing,
                events,
                for_each_row,
                when,
                function,
            } => {
                let timing = match timing {
                    TriggerTiming::Before => "BEFORE",
                    TriggerTiming::After => "AFTER",
                    TriggerTiming::InsteadOf => "INSTEAD OF",
                };
                let events: Vec<&str> = events
                    .iter()
                    .map(|event| match event {
                        TriggerEvent::Insert => "INSERT",
                        TriggerEvent::Update(_) => "UPDATE",
                        TriggerEvent::Delete => "DELETE",
                        TriggerEvent::Truncate => "TRUNCATE",
                    })
                    .collect();
                write!(
                    f,
                    "CREATE TRIGGER {} {timing} {} ON pg_temp.{} FOR EACH {} WHEN ({when}) \
                     EXECUTE FUNCTION {}()",
                    quote_ident(name),
                    events.join(" OR "),
                    quote_ident(copy),
                    if *for_each_row { "ROW" } else { "STATEMENT" },
                    quote_qualified(&function.schema, &function.name)
                )
            }
            TempCopyStatement::View { name, query } => {
                write!(f, "CREATE TEMPORARY VIEW {} AS {query}", quote_ident(name))
            }
        }
    }
}

/// Runs each statement on its own, ignoring any that fails (the fragment then keeps the text
/// first read): a `DO` block with one sub-block per statement, ending in `;` and a newline.
/// Prints nothing for no statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EachOrSkip<'a> {
    /// The statements' SQL text.
    pub statements: &'a [String],
}

impl Display for EachOrSkip<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.statements.is_empty() {
            return Ok(());
        }
        let mut body = String::from("BEGIN\n");
        for statement in self.statements {
            body.push_str(&format!(
                "BEGIN EXECUTE {}; EXCEPTION WHEN OTHERS THEN NULL; END;\n",
                quote_literal(statement)
            ));
        }
        body.push_str("END");
        writeln!(f, "DO {};", dollar_quote(&body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_schemas() {
        let setup = ScratchSchemas {
            schemas: vec!["pgdecl_scratch_a_0", "pgdecl_scratch_a_1"],
            fallback: "public",
        };
        assert_eq!(
            setup.to_string(),
            "CREATE SCHEMA pgdecl_scratch_a_0;\nCREATE SCHEMA pgdecl_scratch_a_1;\n\
             SET LOCAL search_path = pgdecl_scratch_a_0, pgdecl_scratch_a_1, public;\n\
             SET LOCAL check_function_bodies = off;\n"
        );
    }

    #[test]
    fn temp_copies() {
        let table = QualifiedName::new("app", "Users");
        assert_eq!(
            TempCopyStatement::CopyTable {
                copy: "pgdecl_fix_0",
                table: &table
            }
            .to_string(),
            "CREATE TEMPORARY TABLE pgdecl_fix_0 (LIKE app.\"Users\")"
        );
        let index = TempCopyStatement::Index {
            name: "pgdecl_fix_0_1",
            copy: "pgdecl_fix_0",
            method: "btree",
            elements: vec![
                TempIndexElement {
                    key: TempIndexKey::Column("Name"),
                    collation: Some("C"),
                    opclass: None,
                },
                TempIndexElement {
                    key: TempIndexKey::Expression("lower(email)".into()),
                    collation: None,
                    opclass: Some("text_pattern_ops"),
                },
            ],
            predicate: Some("x > 0".into()),
        };
        assert_eq!(
            index.to_string(),
            "CREATE INDEX pgdecl_fix_0_1 ON pg_temp.pgdecl_fix_0 USING btree \
             (\"Name\" COLLATE \"C\", (lower(email)) text_pattern_ops) WHERE (x > 0)"
        );
        let function = QualifiedName::new("public", "touch");
        let events = [TriggerEvent::Insert, TriggerEvent::Update(vec!["a".into()])];
        assert_eq!(
            TempCopyStatement::Trigger {
                name: "pgdecl_fix_tr0",
                copy: "pgdecl_fix_0",
                timing: TriggerTiming::Before,
                events: &events,
                for_each_row: true,
                when: "NEW.a IS NOT NULL",
                function: &function,
            }
            .to_string(),
            "CREATE TRIGGER pgdecl_fix_tr0 BEFORE INSERT OR UPDATE ON pg_temp.pgdecl_fix_0 \
             FOR EACH ROW WHEN (NEW.a IS NOT NULL) EXECUTE FUNCTION public.touch()"
        );
    }

    #[test]
    fn each_or_skip() {
        assert_eq!(EachOrSkip { statements: &[] }.to_string(), "");
        let text = EachOrSkip {
            statements: &["CREATE TEMPORARY VIEW v AS SELECT 'a'".to_string()],
        }
        .to_string();
        assert!(text.starts_with("DO $"), "{text}");
        assert!(
            text.contains("BEGIN EXECUTE 'CREATE TEMPORARY VIEW v AS SELECT ''a''';"),
            "{text}"
        );
        assert!(text.ends_with(";\n"), "{text}");
    }
}
