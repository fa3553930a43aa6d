//! Rule `expression-invalid`: every SQL fragment must parse, or the DDL that embeds it fails (and a
//! fragment that does not parse cannot be compared or named either).

use crate::check::context::Context;
use crate::check::{
    ColumnPart, ConstraintPart, Diagnostic, FunctionPart, IndexPart, Location, Rule, RuleCheck,
    TriggerPart,
};
use crate::expr::{self, ExprError};
use crate::model::{ConstraintKind, IndexTarget};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    let mut report = |what: &str, sql: &str, error: &ExprError, location: Location| {
        out.push(
            Diagnostic::new(
                Rule::ExpressionInvalid,
                location,
                format!("{what} `{sql}` is not valid SQL: {}", error.message),
            )
            .help(
                "write a PostgreSQL expression; SQL string literals take single quotes: \"'text'\"",
            ),
        );
    };
    for (t, table) in s.tables.iter().enumerate() {
        let exprs = &cx.exprs[t];
        for (c, column) in table.columns.iter().enumerate() {
            let at = |part| Location::Column {
                table: t,
                column: c,
                part,
            };
            if let (Some(sql), Some(Err(e))) = (&column.default, &exprs.defaults[c]) {
                report("default", sql, e, at(ColumnPart::Default));
            }
            if let (Some(sql), Some(Err(e))) = (&column.generated, &exprs.generated[c]) {
                report("generation expression", sql, e, at(ColumnPart::Generated));
            }
            if let (Some(sql), Some(Err(e))) = (&column.using, &exprs.usings[c]) {
                report("conversion expression", sql, e, at(ColumnPart::Using));
            }
        }
        for (c, con) in table.constraints.iter().enumerate() {
            if let (ConstraintKind::Check { expr }, Some(Err(e))) = (&con.kind, &exprs.checks[c]) {
                report(
                    "check",
                    expr,
                    e,
                    Location::Constraint {
                        table: t,
                        constraint: c,
                        part: ConstraintPart::Expr,
                    },
                );
            }
        }
        for (i, index) in table.indexes.iter().enumerate() {
            if let (Some(sql), Some(Err(e))) = (&index.predicate, &exprs.predicates[i]) {
                report(
                    "index predicate",
                    sql,
                    e,
                    Location::Index {
                        table: t,
                        index: i,
                        part: IndexPart::Predicate,
                    },
                );
            }
            for (n, element) in index.elements.iter().enumerate() {
                if let (IndexTarget::Expression(sql), Some(Some(Err(e)))) =
                    (&element.target, exprs.elements[i].get(n))
                {
                    report(
                        "index expression",
                        sql,
                        e,
                        Location::Index {
                            table: t,
                            index: i,
                            part: IndexPart::Element(n),
                        },
                    );
                }
            }
        }
    }
    for (f, func) in s.functions.iter().enumerate() {
        for (a, arg) in func.args.iter().enumerate() {
            if let Some(sql) = &arg.default {
                if let Err(e) = expr::parse_expr(sql) {
                    report(
                        "argument default",
                        sql,
                        &e,
                        Location::Function {
                            function: f,
                            part: FunctionPart::ArgDefault(a),
                        },
                    );
                }
            }
        }
    }
    for (i, trigger) in s.triggers.iter().enumerate() {
        if let Some(sql) = &trigger.when {
            if let Err(e) = expr::parse_expr(sql) {
                report(
                    "trigger condition",
                    sql,
                    &e,
                    Location::Trigger {
                        trigger: i,
                        part: TriggerPart::When,
                    },
                );
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::ExpressionInvalid],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    #[test]
    fn every_fragment_must_parse() {
        let s = Schema::builder()
            .function(
                Function::new("f")
                    .arg(FunctionArg::new("a", ty("int")).default_sql("1 +"))
                    .body("SELECT 1"),
            )
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("n", ty("int")).default_sql("(1"))
                    .check("n >")
                    .check("n > 0"),
            )
            .trigger(Trigger::new("t", "users", "f").when_sql("NEW.n >"))
            .build();
        let found = messages(&CHECK, &s);
        assert_eq!(found.len(), 4);
        assert!(found[0].starts_with("default `(1` is not valid SQL: "));
        assert!(found[1].starts_with("check `n >` is not valid SQL: "));
        assert!(found[2].starts_with("argument default `1 +` is not valid SQL: "));
        assert!(found[3].starts_with("trigger condition `NEW.n >` is not valid SQL: "));
    }
}
