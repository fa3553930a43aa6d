//! pgdecl's own tables in a managed database (schema `pgdecl`): the DDL the runtime runs
//! before it records a converge run or caches a canonical form.

use std::fmt::{self, Display, Formatter};

/// One of pgdecl's own tables: its name in schema `pgdecl`, its columns and table
/// constraints, each as the SQL that declares it.
struct OwnTable {
    name: &'static str,
    columns: &'static [(&'static str, &'static str)],
    constraints: &'static [&'static str],
}

/// One row per converge run that applied changes or failed.
const HISTORY: OwnTable = OwnTable {
    name: "history",
    columns: &[
        ("id", "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
        ("schema_hash", "text NOT NULL"),
        ("mode", "text NOT NULL"),
        ("plan_sql", "text NOT NULL"),
        ("started_at", "timestamptz NOT NULL"),
        (
            "finished_at",
            "timestamptz NOT NULL DEFAULT clock_timestamp()",
        ),
        ("duration_ms", "bigint NOT NULL"),
        (
            "outcome",
            "text NOT NULL CHECK (outcome IN ('applied', 'failed'))",
        ),
        ("error", "text"),
        ("application_name", "text NOT NULL"),
        ("pgdecl_version", "text NOT NULL"),
    ],
    constraints: &[],
};

/// The canonical form of a declared schema, by schema hash and server version.
const CANONICAL_CACHE: OwnTable = OwnTable {
    name: "canonical_cache",
    columns: &[
        ("schema_hash", "text NOT NULL"),
        ("server_version", "integer NOT NULL"),
        ("canonical", "text NOT NULL"),
        ("created_at", "timestamptz NOT NULL DEFAULT now()"),
    ],
    constraints: &["PRIMARY KEY (schema_hash, server_version)"],
};

/// The statements that create pgdecl's schema `pgdecl` and its tables `pgdecl.history` and
/// `pgdecl.canonical_cache` where they are missing (`IF NOT EXISTS`: safe to run on every
/// start). `{}` prints each statement on one line; `{:#}` one column per line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PgdeclTables;

impl Display for PgdeclTables {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let pretty = f.alternate();
        f.write_str("CREATE SCHEMA IF NOT EXISTS pgdecl;")?;
        for table in [&HISTORY, &CANONICAL_CACHE] {
            write!(f, "\nCREATE TABLE IF NOT EXISTS pgdecl.{} (", table.name)?;
            let items = table
                .columns
                .iter()
                .map(|(name, declaration)| format!("{name} {declaration}"))
                .chain(table.constraints.iter().map(|c| c.to_string()));
            for (i, item) in items.enumerate() {
                let separator = if i == 0 { "" } else { "," };
                if pretty {
                    write!(f, "{separator}\n    {item}")?;
                } else if i == 0 {
                    f.write_str(&item)?;
                } else {
                    write!(f, "{separator} {item}")?;
                }
            }
            f.write_str(if pretty { "\n);" } else { ");" })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::PgdeclTables;

    #[test]
    fn compact_and_pretty() {
        let compact = PgdeclTables.to_string();
        assert!(compact.starts_with("CREATE SCHEMA IF NOT EXISTS pgdecl;\n"));
        assert!(compact.contains(
            "CREATE TABLE IF NOT EXISTS pgdecl.canonical_cache (schema_hash text NOT NULL, \
             server_version integer NOT NULL, canonical text NOT NULL, \
             created_at timestamptz NOT NULL DEFAULT now(), \
             PRIMARY KEY (schema_hash, server_version));"
        ));
        assert_eq!(compact.lines().count(), 3);
        let pretty = format!("{PgdeclTables:#}");
        assert!(pretty.contains("pgdecl.history (\n    id bigint GENERATED ALWAYS AS IDENTITY"));
        assert!(pretty.ends_with("\n    PRIMARY KEY (schema_hash, server_version)\n);"));
    }
}
