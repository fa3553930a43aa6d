//! Matching old and new: tables and columns paired by name or declared rename, functions by
//! identity.

use std::collections::BTreeSet;

use sqlparser::ast::Expr;

use crate::model::*;
use crate::render::SqlType;

use super::same_fragment;

/// A table in both schemas, with its columns matched.
pub(super) struct TablePair<'a> {
    pub(super) old: &'a Table,
    pub(super) new: &'a Table,
    /// Columns in both, new order.
    pub(super) columns: Vec<(&'a Column, &'a Column)>,
    /// Columns only in the new table.
    pub(super) added: Vec<&'a Column>,
    /// Columns only in the old table.
    pub(super) dropped: Vec<&'a Column>,
}

impl<'a> TablePair<'a> {
    pub(super) fn new(old: &'a Table, new: &'a Table) -> Self {
        let mut claimed = BTreeSet::new();
        let mut matched: Vec<Option<&'a Column>> = vec![None; new.columns.len()];
        // Renames first, so a new column that takes a renamed column's old name is new.
        for (i, column) in new.columns.iter().enumerate() {
            if let Some(from) = &column.renamed_from {
                if old.column(&column.name).is_none() {
                    if let Some(oc) = old.column(from) {
                        matched[i] = Some(oc);
                        claimed.insert(oc.name.clone());
                    }
                }
            }
        }
        for (i, column) in new.columns.iter().enumerate() {
            if matched[i].is_none() && !claimed.contains(&column.name) {
                if let Some(oc) = old.column(&column.name) {
                    matched[i] = Some(oc);
                    claimed.insert(oc.name.clone());
                }
            }
        }
        let mut columns = Vec::new();
        let mut added = Vec::new();
        for (i, column) in new.columns.iter().enumerate() {
            match matched[i] {
                Some(oc) => columns.push((oc, column)),
                None => added.push(column),
            }
        }
        let dropped = old
            .columns
            .iter()
            .filter(|c| !claimed.contains(&c.name))
            .collect();
        TablePair {
            old,
            new,
            columns,
            added,
            dropped,
        }
    }

    /// An old SQL fragment with renamed columns spelled by their new names, as PostgreSQL
    /// reprints an expression after `RENAME COLUMN` (it stores column numbers, not names).
    /// Unchanged when nothing is renamed or the fragment does not parse.
    pub(super) fn rename_in_expr(&self, sql: &str) -> String {
        let renamed: Vec<(&str, &str)> = self
            .columns
            .iter()
            .filter(|(o, n)| o.name != n.name)
            .map(|(o, n)| (o.name.as_str(), n.name.as_str()))
            .collect();
        if renamed.is_empty() {
            return sql.to_string();
        }
        let Ok(mut expr) = crate::expr::parse_expr(sql) else {
            return sql.to_string();
        };
        let _ = sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
            if let Expr::Identifier(ident) = e {
                let name = if ident.quote_style.is_some() {
                    ident.value.clone()
                } else {
                    ident.value.to_lowercase()
                };
                if let Some((_, to)) = renamed.iter().find(|(from, _)| *from == name) {
                    ident.quote_style = crate::ident::needs_quotes(to).then_some('"');
                    ident.value = to.to_string();
                }
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
        expr.to_string()
    }

    /// A generated column whose expression changes, or a plain column that becomes generated:
    /// before PostgreSQL 17 neither can be altered in place.
    pub(super) fn generated_recreated(&self, oc: &Column, nc: &Column) -> bool {
        match (&oc.generated, &nc.generated) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(a), Some(b)) => !same_fragment(&self.rename_in_expr(a), b),
        }
    }

    /// The new name of an old column (itself when not renamed or dropped).
    pub(super) fn new_column_name<'b>(&'b self, old: &'b str) -> &'b str {
        self.columns
            .iter()
            .find(|(o, _)| o.name == old)
            .map_or(old, |(_, n)| n.name.as_str())
    }
}

/// The identity of a function: name and input argument types (all arguments, for procedures).
pub(super) type FunctionKey = (QualifiedName, Vec<String>);

pub(super) fn function_key(func: &Function) -> FunctionKey {
    let inputs = func
        .args
        .iter()
        .filter(|a| func.is_procedure || a.mode != ArgMode::Out)
        .map(|a| SqlType(&a.data_type).to_string())
        .collect();
    (func.name.clone(), inputs)
}
