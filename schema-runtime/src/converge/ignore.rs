//! Objects left alone by name (`PGDECL_IGNORE`): another tool's tracking table
//! (`public.schema_migrations`, `public.goose_db_version`, `flyway_schema_history`) must
//! survive the adoption of pgdecl. Matching live objects are taken out of the live model
//! before the diff, so they are neither planned as drops nor reported as differences.

use schema_core::{QualifiedName, Schema};

use crate::introspect::Unmodeled;

/// Name patterns of live objects pgdecl never drops nor reports, in glob syntax.
///
/// A pattern with a dot is matched against `schema.name`, one without against the name in any
/// schema; `*` matches any run of characters (a dot too), `?` one character; names are
/// compared as PostgreSQL stores them (unquoted, case-sensitive). Examples:
/// `public.schema_migrations`, `public.goose_*`, `*.flyway_schema_history`,
/// `__diesel_schema_migrations`.
///
/// An object the declaration itself declares is managed whatever the patterns say. A
/// sequence owned by an ignored table (its `serial` column's) is ignored with it, and so are
/// the triggers, policies, row-level security and grants on an ignored table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnorePatterns {
    patterns: Vec<String>,
}

impl IgnorePatterns {
    /// The given patterns (empty ones are skipped).
    pub fn new<I, S>(patterns: I) -> IgnorePatterns
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        IgnorePatterns {
            patterns: patterns
                .into_iter()
                .map(Into::into)
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }

    /// Patterns separated by commas or white space, as `PGDECL_IGNORE` holds them.
    pub fn parse(list: &str) -> IgnorePatterns {
        IgnorePatterns::new(list.split(|c: char| c == ',' || c.is_whitespace()))
    }

    /// The patterns, as given.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// True when there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// True when the object `schema.name` matches a pattern.
    pub fn matches(&self, schema: &str, name: &str) -> bool {
        self.patterns.iter().any(|p| {
            if p.contains('.') {
                glob(p, &format!("{schema}.{name}"))
            } else {
                glob(p, name)
            }
        })
    }

    fn matches_name(&self, name: &QualifiedName) -> bool {
        self.matches(&name.schema, &name.name)
    }

    /// Takes every object `live` holds that matches a pattern and that `declared` does not
    /// declare out of `live` (and out of `unmodeled`). Returns how many top-level objects were
    /// left out, for the log.
    pub(crate) fn retain_live(
        &self,
        live: &mut Schema,
        unmodeled: &mut Vec<Unmodeled>,
        declared: &Schema,
    ) -> usize {
        if self.is_empty() {
            return 0;
        }
        let ignored =
            |name: &QualifiedName, declared_here: bool| !declared_here && self.matches_name(name);
        let ignored_tables: Vec<QualifiedName> = live
            .tables
            .iter()
            .filter(|t| ignored(&t.name, declared.table(&t.name).is_some()))
            .map(|t| t.name.clone())
            .collect();
        let on_ignored_table = |table: &QualifiedName| ignored_tables.contains(table);
        let before = live.tables.len()
            + live.views.len()
            + live.sequences.len()
            + live.functions.len()
            + live.enums.len()
            + live.domains.len()
            + live.composites.len()
            + live.ranges.len();
        live.tables.retain(|t| !on_ignored_table(&t.name));
        live.views
            .retain(|v| !ignored(&v.name, declared.views.iter().any(|d| d.name == v.name)));
        live.sequences.retain(|s| {
            let owned_by_ignored = s
                .owned_by
                .as_ref()
                .is_some_and(|(t, _)| on_ignored_table(t));
            !owned_by_ignored
                && !ignored(&s.name, declared.sequences.iter().any(|d| d.name == s.name))
        });
        live.functions
            .retain(|f| !ignored(&f.name, declared.functions.iter().any(|d| d.name == f.name)));
        live.enums
            .retain(|e| !ignored(&e.name, declared.enum_type(&e.name).is_some()));
        live.domains
            .retain(|d| !ignored(&d.name, declared.domain(&d.name).is_some()));
        live.composites
            .retain(|c| !ignored(&c.name, declared.composite_type(&c.name).is_some()));
        live.ranges
            .retain(|r| !ignored(&r.name, declared.range_type(&r.name).is_some()));
        live.triggers.retain(|t| !on_ignored_table(&t.table));
        live.policies.retain(|p| !on_ignored_table(&p.table));
        live.row_security.retain(|r| !on_ignored_table(&r.table));
        live.grants.retain(|g| match &g.object {
            schema_core::model::GrantObject::Table(n) => !on_ignored_table(n),
            _ => true,
        });
        let after = live.tables.len()
            + live.views.len()
            + live.sequences.len()
            + live.functions.len()
            + live.enums.len()
            + live.domains.len()
            + live.composites.len()
            + live.ranges.len();
        // Objects pgdecl does not model are reported by their quoted qualified name.
        unmodeled.retain(|u| {
            let name = u.name.replace('"', "");
            let (schema, object) = name.split_once('.').unwrap_or(("public", name.as_str()));
            // `trigger ON table`-style names: the object's own name is the first word.
            let object = object.split(' ').next().unwrap_or(object);
            !self.matches(schema, object)
        });
        before - after
    }
}

/// Glob matching: `*` any run of characters, `?` one character, anything else itself.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Iterative matching with one backtrack point for the last `*`: linear for the patterns
    // people write, never exponential.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::{glob, IgnorePatterns};

    #[test]
    fn globs() {
        assert!(glob("public.goose_*", "public.goose_db_version"));
        assert!(glob("*.flyway_schema_history", "app.flyway_schema_history"));
        assert!(!glob(
            "*.flyway_schema_history",
            "app.flyway_schema_history2"
        ));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*", ""));
        assert!(glob("*_migrations", "schema_migrations"));
        assert!(!glob("schema_migrations", "schema_migrations_id_seq"));
    }

    #[test]
    fn patterns_with_and_without_a_schema() {
        let ignore = IgnorePatterns::parse("public.schema_migrations, goose_*\n*.flyway_*");
        assert_eq!(ignore.patterns().len(), 3);
        assert!(ignore.matches("public", "schema_migrations"));
        assert!(!ignore.matches("other", "schema_migrations"));
        assert!(ignore.matches("other", "goose_db_version"));
        assert!(ignore.matches("x", "flyway_schema_history"));
        assert!(!ignore.matches("public", "users"));
        assert!(IgnorePatterns::parse(" , ").is_empty());
    }
}
