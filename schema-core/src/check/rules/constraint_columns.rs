//! Rule `column-missing`: primary key, unique, foreign key and exclusion constraints can only
//! list columns of their table.

use crate::check::context::Context;
use crate::check::message::column_missing;
use crate::check::{ConstraintPart, Diagnostic, Location, Rule, RuleCheck};
use crate::model::{ConstraintKind, IndexTarget};

/// Reports every violation in the schema behind `cx`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (t, table) in cx.schema.tables.iter().enumerate() {
        for (c, con) in table.constraints.iter().enumerate() {
            let at = |part| Location::Constraint {
                table: t,
                constraint: c,
                part,
            };
            let what = con.kind.label();
            for (i, name) in con.kind.columns().iter().enumerate() {
                if table.column(name).is_none() {
                    out.push(column_missing(
                        table,
                        name,
                        &format!("{what} constraint `{}`", con.name),
                        at(ConstraintPart::Column(i)),
                    ));
                }
            }
            // An exclusion constraint's elements: those that are columns.
            if let ConstraintKind::Exclusion { elements, .. } = &con.kind {
                for (i, e) in elements.iter().enumerate() {
                    if let IndexTarget::Column(name) = &e.element.target {
                        if table.column(name).is_none() {
                            out.push(column_missing(
                                table,
                                name,
                                &format!("{what} constraint `{}`", con.name),
                                at(ConstraintPart::Column(i)),
                            ));
                        }
                    }
                }
            }
            let include = match &con.kind {
                ConstraintKind::PrimaryKey { include, .. }
                | ConstraintKind::Unique { include, .. }
                | ConstraintKind::Exclusion { include, .. } => include.as_slice(),
                _ => &[],
            };
            for (i, name) in include.iter().enumerate() {
                if table.column(name).is_none() {
                    out.push(column_missing(
                        table,
                        name,
                        &format!("`include` of constraint `{}`", con.name),
                        at(ConstraintPart::Include(i)),
                    ));
                }
            }
        }
    }
}

/// Registers [`check`] for the rule it reports.
pub(crate) const CHECK: RuleCheck = RuleCheck {
    rules: &[Rule::ColumnMissing],
    run: check,
};

#[cfg(test)]
mod tests {
    use super::CHECK;
    use crate::builder::*;
    use crate::check::test_support::*;
    use crate::check::*;
    use crate::model::*;

    #[test]
    fn key_and_include_columns_must_exist() {
        let s = Schema::builder()
            .table(
                TableDef::new("users")
                    .column(ColumnDef::new("email", ty("text")))
                    .constraint(ConstraintDef::unique(["emial"]).named("users_email_key"))
                    .constraint(
                        ConstraintDef::unique(["email"])
                            .named("users_email_cover")
                            .include(["x"]),
                    ),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].message,
            "unique constraint `users_email_key` names column `emial`, which table `users` does not have"
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `email`?"));
        assert_eq!(
            found[1].location,
            Location::Constraint {
                table: 0,
                constraint: 1,
                part: ConstraintPart::Include(0)
            }
        );
        assert_eq!(
            found[1].help.as_deref(),
            Some("the columns of `users` are: `email`")
        );
    }

    #[test]
    fn exclusion_columns_must_exist() {
        let s = Schema::builder()
            .table(
                TableDef::new("bookings")
                    .column(ColumnDef::new("room", ty("integer")))
                    .column(ColumnDef::new("during", ty("tstzrange")))
                    .constraint(
                        ConstraintDef::exclude(
                            IndexMethod::Gist,
                            [
                                ExclusionElement::column("rom", "="),
                                ExclusionElement::expression("lower(during)", "="),
                                ExclusionElement::column("during", "&&"),
                            ],
                        )
                        .named("bookings_excl"),
                    ),
            )
            .build();
        let found = run(&CHECK, &s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "exclusion constraint `bookings_excl` names column `rom`, which table `bookings` does not have"
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `room`?"));
    }
}
