//! Built-in functions named without a schema: a trigger's function or an aggregate's state or
//! final function written as `suppress_redundant_updates_trigger` or `array_append`, and not
//! declared, is the built-in one in `pg_catalog` (where the catalog reads it), not a missing
//! `public` function. Done in lowering so the builder and the macro resolve alike.

use crate::check::BUILTIN_TRIGGER_FUNCTIONS;
use crate::model::{QualifiedName, Schema, DEFAULT_SCHEMA};

/// Points undeclared, unqualified built-in trigger and aggregate support functions at
/// `pg_catalog`.
pub(super) fn resolve_builtin_functions(schema: &mut Schema) {
    let declared: Vec<QualifiedName> = schema.functions.iter().map(|f| f.name.clone()).collect();
    let to_catalog = |f: &mut QualifiedName| {
        if f.schema == DEFAULT_SCHEMA && !declared.contains(f) {
            f.schema = "pg_catalog".to_string();
        }
    };
    for trigger in &mut schema.triggers {
        if BUILTIN_TRIGGER_FUNCTIONS.contains(&trigger.function.name.as_str()) {
            to_catalog(&mut trigger.function);
        }
    }
    for aggregate in &mut schema.aggregates {
        to_catalog(&mut aggregate.sfunc);
        if let Some(f) = &mut aggregate.finalfunc {
            to_catalog(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::*;

    #[test]
    fn builder_triggers_call_the_catalogs_builtin() {
        let s = Schema::builder()
            .table(crate::builder::TableDef::new("users"))
            .trigger(Trigger::new(
                "same",
                "users",
                "suppress_redundant_updates_trigger",
            ))
            .build();
        assert_eq!(
            s.triggers[0].function,
            QualifiedName::new("pg_catalog", "suppress_redundant_updates_trigger")
        );
        assert!(s
            .create_sql()
            .contains("EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger()"));
    }

    #[test]
    fn a_declared_function_of_the_same_name_wins() {
        let s = Schema::builder()
            .function(Function::new("suppress_redundant_updates_trigger"))
            .trigger(Trigger::new(
                "same",
                "users",
                "suppress_redundant_updates_trigger",
            ))
            .build();
        assert_eq!(s.triggers[0].function.schema, "public");
    }
}
