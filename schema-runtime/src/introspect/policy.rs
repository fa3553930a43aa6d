//! Row-level security (`pg_class.relrowsecurity`, `relforcerowsecurity`) and policies
//! (`pg_policy`), in one round trip, read into
//! [`Schema::row_security`](schema_core::model::Schema::row_security) and
//! [`Schema::policies`](schema_core::model::Schema::policies).

use postgres::GenericClient;
use schema_core::model::{PolicyCommand, QualifiedName, RowPolicy, RowSecurity};

use super::{
    description_join, not_ext, qualified, scoped_relations, Catalog, Filter, Found,
    NAMESPACE_FILTER,
};
use crate::error::Error;

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
pub(super) fn sql(by_dependency: bool) -> String {
    format!(
        "SELECT 0 AS k, n.nspname::text AS s, c.relname::text AS r, c.relrowsecurity,
                c.relforcerowsecurity, NULL::text AS p, NULL::text, NULL::bool, NULL::text[],
                NULL::text, NULL::text, NULL::text
           FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
          WHERE {NAMESPACE_FILTER} AND {c_not_ext} AND c.relkind IN ('r', 'p')
                AND (c.relrowsecurity OR c.relforcerowsecurity) AND {in_scope}
         UNION ALL
         SELECT 1, n.nspname::text, c.relname::text, NULL, NULL, pol.polname::text,
                pol.polcmd::text, pol.polpermissive,
                ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public'
                                  ELSE pg_catalog.pg_get_userbyid(r.oid)::text END
                        FROM unnest(pol.polroles) r(oid) ORDER BY 1),
                pg_catalog.pg_get_expr(pol.polqual, pol.polrelid, true),
                pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid, true),
                d.description
           FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           {description}
          WHERE {NAMESPACE_FILTER} AND {c_not_ext}
         ORDER BY k, s, r, p",
        c_not_ext = not_ext("pg_class", "c.oid"),
        in_scope = scoped_relations(by_dependency, "c.oid"),
        description = description_join("d", "pg_policy", "pol.oid", "0"),
    )
}

/// Reads the tables with row-level security on, then every policy. Roles come back as
/// PostgreSQL names them (`public` for `PUBLIC`), in name order.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = sql(cat.relations_by_dependency);
    for row in cat.query(&sql, filter)? {
        let kind: i32 = row.get(0);
        let table = QualifiedName::new(row.get::<_, String>(1), row.get::<_, String>(2));
        if kind == 0 {
            let enabled: bool = row.get(3);
            let force: bool = row.get(4);
            if enabled {
                found.schema.row_security.push(RowSecurity { table, force });
            } else {
                // FORCE without ENABLE does nothing, and the model has no way to say it.
                found.unmodeled(
                    "row level security forced but not enabled on",
                    qualified(&table),
                );
            }
            continue;
        }
        let command = match row.get::<_, String>(6).as_str() {
            "r" => PolicyCommand::Select,
            "a" => PolicyCommand::Insert,
            "w" => PolicyCommand::Update,
            "d" => PolicyCommand::Delete,
            _ => PolicyCommand::All,
        };
        let mut roles: Vec<String> = row.get(8);
        if roles == ["public"] {
            roles.clear();
        }
        found.schema.policies.push(RowPolicy {
            name: row.get(5),
            table,
            permissive: row.get(7),
            command,
            roles,
            using: row.get(9),
            with_check: row.get(10),
            comment: row.get(11),
        });
    }
    Ok(())
}
