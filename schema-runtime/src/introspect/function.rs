//! Functions and procedures (`pg_proc`), read into
//! [`Schema::functions`](schema_core::model::Schema::functions); aggregates, window functions
//! and signatures the model cannot hold are reported. The constructor functions of a range
//! type and its multirange type belong to the type (an internal dependency) and are left out.

use postgres::GenericClient;
use schema_core::model::{Function, QualifiedName, Volatility};

use super::{not_ext, qualified, Catalog, Filter, Found, NAMESPACE_FILTER};
use crate::error::Error;

/// Reads every user function and procedure in one round trip.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = format!(
        "SELECT n.nspname::text, p.proname::text, p.prokind::text,
                pg_catalog.pg_get_function_arguments(p.oid),
                CASE WHEN p.prokind = 'f' THEN pg_catalog.pg_get_function_result(p.oid) END,
                l.lanname::text, p.prosrc, p.provolatile::text, p.proisstrict, p.prosecdef,
                COALESCE(p.proconfig, '{{}}'::text[]),
                pg_catalog.obj_description(p.oid, 'pg_proc')
         FROM pg_catalog.pg_proc p
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         JOIN pg_catalog.pg_language l ON l.oid = p.prolang
         WHERE {NAMESPACE_FILTER} AND {}
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                             AND d.objid = p.oid AND d.deptype = 'i'
                             AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass)
         ORDER BY n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)",
        not_ext("pg_proc", "p.oid")
    );
    for row in cat.query(&sql, filter)? {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        let kind: String = row.get(2);
        if kind == "a" || kind == "w" {
            found.unmodeled(
                if kind == "a" {
                    "aggregate"
                } else {
                    "window function"
                },
                qualified(&name),
            );
            continue;
        }
        let args_text: String = row.get(3);
        let Some(args) = crate::parse::function_args(&args_text) else {
            found.unmodeled(
                format!("function with arguments pgdecl cannot read ({args_text})"),
                qualified(&name),
            );
            continue;
        };
        let returns = match row.get::<_, Option<String>>(4) {
            Some(text) => match crate::parse::function_result(&text) {
                Some(r) => Some(r),
                None => {
                    found.unmodeled(format!("function returning {text}"), qualified(&name));
                    continue;
                }
            },
            None => None,
        };
        let config = row
            .get::<_, Vec<String>>(10)
            .into_iter()
            .map(|c| match c.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (c, String::new()),
            })
            .collect();
        found.schema.functions.push(Function {
            name,
            is_procedure: kind == "p",
            args,
            returns,
            language: row.get(5),
            body: row.get::<_, Option<String>>(6).unwrap_or_default(),
            volatility: match row.get::<_, String>(7).as_str() {
                "i" => Volatility::Immutable,
                "s" => Volatility::Stable,
                _ => Volatility::Volatile,
            },
            strict: row.get(8),
            security_definer: row.get(9),
            config,
            comment: row.get(11),
        });
    }
    Ok(())
}
