//! Partitioning: the partition key and bound clauses, and the guarded `ATTACH PARTITION` /
//! `DETACH PARTITION` statements.

use std::fmt::{self, Display, Formatter};

use super::display::*;
use super::*;

impl Display for PartitionKeyElement {
    /// `col` or `(expr)`, then `COLLATE` and the operator class.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.target {
            IndexTarget::Column(name) => Ident(name).fmt(f)?,
            IndexTarget::Expression(expr) => Parens(expr).fmt(f)?,
        }
        if let Some(collation) = &self.collation {
            write!(f, " COLLATE {}", Ident(collation))?;
        }
        if let Some(opclass) = &self.opclass {
            write!(f, " {}", Ident(opclass))?;
        }
        Ok(())
    }
}

impl Display for PartitionKey {
    /// `RANGE (a, (lower(b)))`: what `PARTITION BY` takes.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({})",
            self.strategy.sql(),
            display_comma_separated(&self.elements)
        )
    }
}

/// A list of bound values: SQL constants as written (checked before they get here).
struct Values<'a>(&'a [String]);

impl Display for Values<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, value) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            Fragment(value).fmt(f)?;
        }
        Ok(())
    }
}

impl Display for PartitionBound {
    /// `FOR VALUES FROM (..) TO (..)`, `FOR VALUES IN (..)`, `FOR VALUES WITH (MODULUS m,
    /// REMAINDER r)` or `DEFAULT`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            PartitionBound::Range { from, to } => {
                write!(f, "FOR VALUES FROM ({}) TO ({})", Values(from), Values(to))
            }
            PartitionBound::List(values) => write!(f, "FOR VALUES IN ({})", Values(values)),
            PartitionBound::Hash { modulus, remainder } => write!(
                f,
                "FOR VALUES WITH (MODULUS {modulus}, REMAINDER {remainder})"
            ),
            PartitionBound::Default => f.write_str("DEFAULT"),
        }
    }
}

/// `... PARTITION OF parent [(constraints)] bound [PARTITION BY key]`: the `CREATE TABLE` of a
/// partition after its name, which takes the parent's columns and lists only its own
/// constraints.
pub(super) fn write_partition_of(
    f: &mut Formatter<'_>,
    table: &Table,
    of: &PartitionOf,
    pretty: bool,
) -> fmt::Result {
    write!(f, "PARTITION OF {}", of.parent)?;
    let constraints: Vec<&Constraint> = inline_constraints(table).collect();
    if !constraints.is_empty() {
        let (open, sep, close) = if pretty {
            (" (\n    ", ",\n    ", "\n)")
        } else {
            (" (", ", ", ")")
        };
        f.write_str(open)?;
        for (i, constraint) in constraints.iter().enumerate() {
            if i > 0 {
                f.write_str(sep)?;
            }
            constraint.fmt(f)?;
        }
        f.write_str(close)?;
    }
    write!(f, " {}", of.bound)?;
    if let Some(key) = &table.partition_by {
        write!(f, " PARTITION BY {key}")?;
    }
    super::table::write_storage(f, table)?;
    f.write_str(";")
}

/// `pg_inherits` holds `partition` under `parent`: the guard of attach and detach. The names
/// go through `to_regclass`, so the guard itself cannot fail on a missing table.
fn attached(parent: &QualifiedName, partition: &QualifiedName) -> String {
    format!(
        "EXISTS (SELECT FROM pg_catalog.pg_inherits WHERE inhrelid = pg_catalog.to_regclass({}) \
         AND inhparent = pg_catalog.to_regclass({}))",
        Literal(&partition.to_string()),
        Literal(&parent.to_string())
    )
}

pub(super) fn write_attach_partition(
    f: &mut Formatter<'_>,
    pretty: bool,
    parent: &QualifiedName,
    partition: &QualifiedName,
    bound: &PartitionBound,
) -> fmt::Result {
    let attach = DisplayFn(|f: &mut Formatter<'_>| {
        write!(
            f,
            "ALTER TABLE {parent} ATTACH PARTITION {partition} {bound};"
        )
    });
    let condition = format!("NOT {}", attached(parent, partition));
    write_guarded(f, pretty, &condition, &attach)
}

pub(super) fn write_detach_partition(
    f: &mut Formatter<'_>,
    pretty: bool,
    parent: &QualifiedName,
    partition: &QualifiedName,
) -> fmt::Result {
    let detach = DisplayFn(|f: &mut Formatter<'_>| {
        write!(f, "ALTER TABLE {parent} DETACH PARTITION {partition};")
    });
    write_guarded(f, pretty, &attached(parent, partition), &detach)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_bounds() {
        let key = PartitionKey::range(["d"]).element(PartitionKeyElement {
            target: IndexTarget::Expression("lower(name)".into()),
            collation: Some("C".into()),
            opclass: Some("text_pattern_ops".into()),
        });
        assert_eq!(
            key.to_string(),
            "RANGE (d, (lower(name)) COLLATE \"C\" text_pattern_ops)"
        );
        assert_eq!(
            PartitionBound::range(["'2022-01-01'", "MINVALUE"], ["MAXVALUE", "MAXVALUE"])
                .to_string(),
            "FOR VALUES FROM ('2022-01-01', MINVALUE) TO (MAXVALUE, MAXVALUE)"
        );
        assert_eq!(
            PartitionBound::list(["1", "NULL"]).to_string(),
            "FOR VALUES IN (1, NULL)"
        );
        assert_eq!(
            PartitionBound::hash(4, 1).to_string(),
            "FOR VALUES WITH (MODULUS 4, REMAINDER 1)"
        );
        assert_eq!(PartitionBound::Default.to_string(), "DEFAULT");
    }
}
