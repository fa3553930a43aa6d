//! One domain's lowering: its unnamed checks get the names `CREATE DOMAIN` gives them.

use crate::builder::DomainDef;
use crate::model::Domain;
use crate::naming;

use super::names::TakenNames;

/// The domain with every check named, recording each derived name in `taken`. PostgreSQL
/// names an unnamed domain check `<domain>_check`, numbered while the name is taken by any
/// constraint of the schema (`ChooseConstraintName` in `domainAddCheckConstraint`).
pub(super) fn lower_domain(def: DomainDef, taken: &mut TakenNames) -> Domain {
    def.finish(|domain, declared| {
        let name = declared.unwrap_or_else(|| {
            naming::check_name(&domain.name, None, |n| {
                taken.is_constraint(&domain.schema, n)
            })
        });
        taken.take_constraint(&domain.schema, &name);
        name
    })
}
