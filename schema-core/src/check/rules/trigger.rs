//! Rules `trigger-table-missing`, `column-missing`, `trigger-instead-of-table`,
//! `trigger-function-missing`, `trigger-function-not-trigger`, `trigger-invalid`: a trigger needs
//! its table (or view) and a function returning `trigger` that takes no declared arguments;
//! `update of` may only name the table's columns; constraint triggers and transition tables
//! take the forms PostgreSQL accepts.

use crate::check::context::Context;
use crate::check::message::{column_missing, did_you_mean, input_types, qualified};
use crate::check::{Diagnostic, Location, Rule, RuleCheck, TriggerPart};
use crate::model::{Function, Returns, Trigger, TriggerEvent, TriggerTiming, DEFAULT_SCHEMA};
use crate::types::DataType;

/// Built-in trigger functions a trigger may call without declaring them.
pub(crate) const BUILTIN_TRIGGER_FUNCTIONS: &[&str] = &[
    "suppress_redundant_updates_trigger",
    "tsvector_update_trigger",
    "tsvector_update_trigger_column",
];

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let s = cx.schema;
    for (i, trigger) in s.triggers.iter().enumerate() {
        let at = |part| Location::Trigger { trigger: i, part };
        for (part, problem, help) in form_problems(trigger) {
            out.push(
                Diagnostic::new(
                    Rule::TriggerInvalid,
                    at(part),
                    format!("trigger `{}`: {problem}", trigger.name),
                )
                .help(help),
            );
        }
        let table = cx.table(&trigger.table);
        if table.is_none() && !cx.views.contains_key(&trigger.table) {
            let help = did_you_mean(
                &trigger.table.name,
                s.tables
                    .iter()
                    .map(|t| t.name.name.as_str())
                    .chain(s.views.iter().map(|v| v.name.name.as_str())),
            )
            .unwrap_or_else(|| format!("declare table `{}`", qualified(&trigger.table)));
            out.push(
                Diagnostic::new(
                    Rule::TriggerTableMissing,
                    at(TriggerPart::Table),
                    format!(
                        "trigger `{}` fires on `{}`, which is not a declared table or view",
                        trigger.name,
                        qualified(&trigger.table)
                    ),
                )
                .help(help),
            );
        }
        if let Some(table) = table {
            for (e, event) in trigger.events.iter().enumerate() {
                if let TriggerEvent::Update(columns) = event {
                    for (n, name) in columns.iter().enumerate() {
                        if table.column(name).is_none() {
                            out.push(column_missing(
                                table,
                                name,
                                &format!("`update of` of trigger `{}`", trigger.name),
                                at(TriggerPart::UpdateColumn {
                                    event: e,
                                    column: n,
                                }),
                            ));
                        }
                    }
                }
            }
            if trigger.timing == TriggerTiming::InsteadOf {
                out.push(
                    Diagnostic::new(
                        Rule::TriggerInsteadOfTable,
                        at(TriggerPart::Table),
                        format!(
                            "`instead of` trigger `{}` is on table `{}`, but only views take `instead of` triggers",
                            trigger.name,
                            qualified(&trigger.table)
                        ),
                    )
                    .help("use `before` or `after` on a table"),
                );
            }
        }
        let builtin = (trigger.function.schema == DEFAULT_SCHEMA
            || trigger.function.schema == "pg_catalog")
            && BUILTIN_TRIGGER_FUNCTIONS.contains(&trigger.function.name.as_str());
        if builtin {
            continue;
        }
        let candidates: Vec<&Function> = cx
            .functions_named(&trigger.function)
            .filter(|f| !f.is_procedure && input_types(f).next().is_none())
            .collect();
        match candidates.first() {
            None => {
                let help = did_you_mean(
                    &trigger.function.name,
                    s.functions
                        .iter()
                        .filter(|f| matches!(&f.returns, Some(Returns::Type(t)) if is_trigger_type(t)))
                        .map(|f| f.name.name.as_str()),
                )
                .unwrap_or_else(|| {
                    format!(
                        "declare it: `function {}() returns trigger language plpgsql as \"BEGIN ... END\";`",
                        qualified(&trigger.function)
                    )
                });
                out.push(
                    Diagnostic::new(
                        Rule::TriggerFunctionMissing,
                        at(TriggerPart::Function),
                        format!(
                            "trigger `{}` executes function `{}()`, which is not declared",
                            trigger.name,
                            qualified(&trigger.function)
                        ),
                    )
                    .help(help),
                );
            }
            Some(f) => {
                if !matches!(&f.returns, Some(Returns::Type(t)) if is_trigger_type(t)) {
                    out.push(
                        Diagnostic::new(
                            Rule::TriggerFunctionNotTrigger,
                            at(TriggerPart::Function),
                            format!(
                                "trigger `{}` executes `{}()`, which does not return `trigger`",
                                trigger.name,
                                qualified(&trigger.function)
                            ),
                        )
                        .help(format!(
                            "declare `{}` with `returns trigger`",
                            qualified(&trigger.function)
                        )),
                    );
                }
            }
        }
    }
}

fn is_trigger_type(ty: &DataType) -> bool {
    ty.schema.is_none() && !ty.array && ty.name == "trigger"
}

/// Registers [`check`] for the rules it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[
        Rule::TriggerTableMissing,
        Rule::ColumnMissing,
        Rule::TriggerInsteadOfTable,
        Rule::TriggerFunctionMissing,
        Rule::TriggerFunctionNotTrigger,
        Rule::TriggerInvalid,
    ],
    run: check,
};

/// What PostgreSQL rejects in a trigger's form, with where and how to fix it.
fn form_problems(trigger: &Trigger) -> Vec<(TriggerPart, String, String)> {
    let mut out = Vec::new();
    let events = &trigger.events;
    let has = |f: fn(&TriggerEvent) -> bool| events.iter().any(f);
    if trigger.constraint.is_some()
        && (trigger.timing != TriggerTiming::After || !trigger.for_each_row)
    {
        out.push((
            TriggerPart::Constraint,
            "a constraint trigger must be `after ... for each row`".to_string(),
            "write `constraint trigger NAME after ... for each row`".to_string(),
        ));
    }
    if trigger.old_table.is_none() && trigger.new_table.is_none() {
        return out;
    }
    let fix = "remove `referencing`, or make it an `after` trigger on the events it needs";
    if trigger.timing != TriggerTiming::After || trigger.constraint.is_some() {
        out.push((
            TriggerPart::Referencing,
            "transition tables (`referencing`) need a plain `after` trigger".to_string(),
            fix.to_string(),
        ));
    }
    if trigger.old_table.is_some()
        && !has(|e| matches!(e, TriggerEvent::Update(_) | TriggerEvent::Delete))
    {
        out.push((
            TriggerPart::Referencing,
            "`old table` needs an `update` or `delete` event".to_string(),
            fix.to_string(),
        ));
    }
    if trigger.new_table.is_some()
        && !has(|e| matches!(e, TriggerEvent::Update(_) | TriggerEvent::Insert))
    {
        out.push((
            TriggerPart::Referencing,
            "`new table` needs an `insert` or `update` event".to_string(),
            fix.to_string(),
        ));
    }
    if has(|e| matches!(e, TriggerEvent::Update(c) if !c.is_empty())) {
        out.push((
            TriggerPart::Referencing,
            "transition tables cannot be used with `update of` columns".to_string(),
            "fire on `update` and test the columns in the function".to_string(),
        ));
    }
    let row_events = events
        .iter()
        .filter(|e| !matches!(e, TriggerEvent::Truncate))
        .count();
    if row_events != 1 || has(|e| matches!(e, TriggerEvent::Truncate)) {
        out.push((
            TriggerPart::Referencing,
            "a trigger with transition tables fires on exactly one of `insert`, `update`, \
             `delete`"
                .to_string(),
            "declare one trigger per event".to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn transition_tables_and_constraint_triggers_take_postgresql_forms() {
        use crate::model::{ConstraintTiming, Trigger, TriggerEvent};
        let problems = |t: Trigger| super::form_problems(&t).len();
        let t = || Trigger::new("t", "users", "audit");
        assert_eq!(
            problems(t().after().on(TriggerEvent::Delete).old_table("gone")),
            0
        );
        assert_eq!(
            problems(
                t().on(TriggerEvent::Insert)
                    .constraint(ConstraintTiming::InitiallyDeferred)
            ),
            0
        );
        // `before` constraint trigger; `old table` on insert; two events; `update of`.
        assert_eq!(
            problems(
                t().on(TriggerEvent::Insert)
                    .constraint(ConstraintTiming::NotDeferrable)
                    .before()
            ),
            1
        );
        assert_eq!(
            problems(t().after().on(TriggerEvent::Insert).old_table("x")),
            1
        );
        assert_eq!(
            problems(
                t().after()
                    .on(TriggerEvent::Insert)
                    .on(TriggerEvent::Delete)
                    .new_table("x")
            ),
            1
        );
        assert_eq!(
            problems(
                t().after()
                    .on(TriggerEvent::Update(vec!["a".into()]))
                    .new_table("x")
            ),
            1
        );
    }

    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;

    use crate::model::*;

    fn touch() -> Function {
        Function::new("touch")
            .returns(ty("trigger"))
            .language("plpgsql")
            .body("BEGIN RETURN NEW; END")
    }

    #[test]
    fn a_trigger_needs_its_table_columns_and_function() {
        let s = Schema::builder()
            .function(touch())
            .function(
                Function::new("count_rows")
                    .returns(ty("int"))
                    .body("SELECT 1"),
            )
            .table(TableDef::new("users").column(ColumnDef::new("email", ty("text"))))
            .trigger(Trigger::new("a", "userz", "touch"))
            .trigger(
                Trigger::new("b", "users", "tuch")
                    .instead_of()
                    .on(TriggerEvent::Update(vec!["emial".into()])),
            )
            .trigger(Trigger::new("c", "users", "count_rows"))
            .trigger(Trigger::new(
                "d",
                "users",
                "suppress_redundant_updates_trigger",
            ))
            .build();
        assert_eq!(
            rule_codes(&CHECK, &s),
            [
                "trigger-table-missing",
                "column-missing",
                "trigger-instead-of-table",
                "trigger-function-missing",
                "trigger-function-not-trigger"
            ]
        );
        let found = run(&CHECK, &s);
        assert_eq!(found[0].help.as_deref(), Some("did you mean `users`?"));
        assert_eq!(found[3].help.as_deref(), Some("did you mean `touch`?"));
    }
}
