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

/// One row per converge run that changed something or failed: `applied` only when every
/// phase finished, `incomplete` (with `remaining_sql`) while a later phase has not.
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
            "text NOT NULL CHECK (outcome IN ('applied', 'incomplete', 'failed'))",
        ),
        ("error", "text"),
        ("remaining_sql", "text"),
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

/// The deploy lease: at most one row (`id = 1`), held by the one deployer allowed to change
/// the database, through every phase of its run. Stale when `expires_at` passed or the
/// holder's backend (`holder_pid` + `holder_backend_start`) is gone.
const DEPLOY_LEASE: OwnTable = OwnTable {
    name: "deploy_lease",
    columns: &[
        ("id", "integer PRIMARY KEY CHECK (id = 1)"),
        ("holder", "text NOT NULL"),
        ("holder_pid", "integer NOT NULL"),
        ("holder_backend_start", "timestamptz"),
        ("application_name", "text NOT NULL"),
        ("acquired_at", "timestamptz NOT NULL"),
        ("heartbeat_at", "timestamptz NOT NULL"),
        ("expires_at", "timestamptz NOT NULL"),
    ],
    constraints: &[],
};

/// Brings a `pgdecl.history` created by an earlier pgdecl up to date: additive only, and a
/// no-op once done (the outcome check is replaced only while it lacks `incomplete`).
const UPGRADE: &str = "ALTER TABLE pgdecl.history ADD COLUMN IF NOT EXISTS remaining_sql text; \
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'pgdecl.history'::regclass \
AND conname = 'history_outcome_check' AND pg_get_constraintdef(oid) LIKE '%incomplete%') THEN \
ALTER TABLE pgdecl.history DROP CONSTRAINT IF EXISTS history_outcome_check, \
ADD CONSTRAINT history_outcome_check CHECK (outcome IN ('applied', 'incomplete', 'failed')); \
END IF; END $$;";

/// The declared model of each run (`declared_model`, the JSON of the declared schema, which
/// rollback and exports read back), and the outcomes of recorded validate runs (`validated`,
/// `drift`): additive, and a no-op once done (the check is widened only while it lacks
/// `drift`; it keeps every outcome the earlier check allowed).
const HISTORY_MODEL: &str =
    "ALTER TABLE pgdecl.history ADD COLUMN IF NOT EXISTS declared_model text; \
DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'pgdecl.history'::regclass \
AND conname = 'history_outcome_check' AND pg_get_constraintdef(oid) LIKE '%drift%') THEN \
ALTER TABLE pgdecl.history DROP CONSTRAINT IF EXISTS history_outcome_check, \
ADD CONSTRAINT history_outcome_check \
CHECK (outcome IN ('applied', 'incomplete', 'failed', 'validated', 'drift')); \
END IF; END $$;";
/// The outcome of the backup taken before an applied run (`ok`, `failed`, `skipped`), its
/// kind label, file, size and duration: added to a `pgdecl.history` of any age, additive only.
const BACKUP_COLUMNS: &str = "ALTER TABLE pgdecl.history ADD COLUMN IF NOT EXISTS backup_status text, \
ADD COLUMN IF NOT EXISTS backup_kind text, ADD COLUMN IF NOT EXISTS backup_file text, \
ADD COLUMN IF NOT EXISTS backup_size_bytes bigint, ADD COLUMN IF NOT EXISTS backup_duration_ms bigint;";

/// The statements that create pgdecl's schema `pgdecl` and its tables `pgdecl.history` and
/// `pgdecl.canonical_cache` and `pgdecl.deploy_lease` where they are missing (`IF NOT EXISTS`: safe to run on every
/// start). `{}` prints each statement on one line; `{:#}` one column per line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PgdeclTables;

impl Display for PgdeclTables {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let pretty = f.alternate();
        f.write_str("CREATE SCHEMA IF NOT EXISTS pgdecl;")?;
        for table in [&HISTORY, &CANONICAL_CACHE, &DEPLOY_LEASE] {
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
        write!(f, "\n{UPGRADE}")?;
        write!(f, "\n{HISTORY_MODEL}")?;
        write!(f, "\n{BACKUP_COLUMNS}")
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
        assert!(compact.contains("CREATE TABLE IF NOT EXISTS pgdecl.deploy_lease (id integer"));
        assert!(compact.contains("ADD COLUMN IF NOT EXISTS remaining_sql text"));
        assert!(compact.contains("ADD COLUMN IF NOT EXISTS declared_model text"));
        assert!(compact.contains("ADD COLUMN IF NOT EXISTS backup_status text"));
        assert_eq!(compact.lines().count(), 7);
        let pretty = format!("{PgdeclTables:#}");
        assert!(pretty.contains("pgdecl.history (\n    id bigint GENERATED ALWAYS AS IDENTITY"));
        assert!(pretty.contains("\n    PRIMARY KEY (schema_hash, server_version)\n);"));
    }
}
