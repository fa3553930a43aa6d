//! Scratch tables without storage: each table a scratch build creates is created as a
//! partitioned table (with no partitions) when PostgreSQL reads it back the same way.
//!
//! A scratch build only exists to be read back, and rolled back. A plain table costs the
//! server files: its heap, its TOAST table and index, one per index, each created on `CREATE`
//! and unlinked on the rollback. That file work (inode allocation and release in the kernel)
//! was half of a cold plan's server time (issue 12). A partitioned table, and every index on
//! it, has no storage at all: its catalog rows are the whole of it. Its columns, defaults,
//! checks, generated columns, keys, foreign keys, indexes, triggers and policies are created,
//! checked and printed as on a plain table, so the read-back is the same once the partition
//! key, which only the build added, is taken off again ([`unmark`]). A carrier's identity
//! columns are created without their identity, whose sequence would be the one file left,
//! and given it back on the read-back.
//!
//! A leaf partition becomes a carrier the same way, created as a partitioned partition with
//! no partitions of its own ([`key_for_partition`]); a partitioned table has no storage
//! already. The tables PostgreSQL would not accept as partitioned, or would read back
//! otherwise, stay plain ([`carry`]); and should a piece with carriers not load anyway, it is built again
//! with plain tables ([`uncarried`]), so a carrier can make a build faster but never make it
//! fail, nor change which declared object an error names.

use std::collections::{BTreeMap, BTreeSet};

use schema_core::ident::quote_ident;
use schema_core::model::*;
use schema_core::render::Statement;

/// The tables of a scratch build made carriers, each with the identity columns it was
/// created without.
#[derive(Debug, Default)]
pub(super) struct Carriers {
    tables: BTreeMap<QualifiedName, Vec<Stripped>>,
    /// The unique indexes of carriers created without their uniqueness, by table (see
    /// [`carry`]).
    demoted: BTreeMap<QualifiedName, Vec<String>>,
}

/// An identity column a carrier is created without: its sequence would be the one relation
/// file left (the identity itself is `pg_attribute.attidentity`, which a read-back cannot
/// print differently; the model check refuses identities PostgreSQL would).
#[derive(Debug)]
struct Stripped {
    column: String,
    identity: Identity,
    not_null: bool,
}

impl Carriers {
    fn contains(&self, table: &QualifiedName) -> bool {
        self.tables.contains_key(table)
    }

    /// Whether the index `name` of `table` was created without its uniqueness.
    fn demoted(&self, table: &QualifiedName, name: &str) -> bool {
        self.demoted
            .get(table)
            .is_some_and(|names| names.iter().any(|n| n == name))
    }
}

/// Gives each table of `schema` that can be a carrier a partition key and takes its identity
/// columns' identity off (an identity column is `NOT NULL`, as PostgreSQL makes it); returns
/// what it changed, for [`unmark`] and [`uncarried`].
pub(super) fn mark(schema: &mut Schema) -> Carriers {
    // Row triggers with transition tables are refused on a partitioned table.
    let transition: BTreeSet<&QualifiedName> = schema
        .triggers
        .iter()
        .filter(|t| t.for_each_row && (t.old_table.is_some() || t.new_table.is_some()))
        .map(|t| &t.table)
        .collect();
    let referenced = referenced_keys(schema);
    let keys: Vec<Option<(PartitionKey, Vec<String>)>> = schema
        .tables
        .iter()
        .map(|t| {
            if transition.contains(&t.name) {
                None
            } else if t.partition_of.is_some() {
                key_for_partition(t, schema).map(|k| (k, Vec::new()))
            } else {
                carry(t, &referenced)
            }
        })
        .collect();
    let mut carriers = Carriers::default();
    for (table, key) in schema.tables.iter_mut().zip(keys) {
        if let Some((key, demoted)) = key {
            table.partition_by = Some(key);
            for index in &mut table.indexes {
                if demoted.contains(&index.name) {
                    index.unique = false;
                }
            }
            if !demoted.is_empty() {
                carriers.demoted.insert(table.name.clone(), demoted);
            }
            let stripped = table
                .columns
                .iter_mut()
                .filter_map(|c| {
                    let identity = c.identity.take()?;
                    let not_null = std::mem::replace(&mut c.not_null, true);
                    Some(Stripped {
                        column: c.name.clone(),
                        identity,
                        not_null,
                    })
                })
                .collect();
            carriers.tables.insert(table.name.clone(), stripped);
        }
    }
    carriers
}

/// Takes the partition keys [`mark`] gave the carriers off `read` (a read-back of the scratch
/// schemas, in the same names) and gives their identity columns their identity back.
pub(super) fn unmark(read: &mut Schema, carriers: &Carriers) {
    if carriers.tables.is_empty() {
        return;
    }
    for table in &mut read.tables {
        let Some(stripped) = carriers.tables.get(&table.name) else {
            continue;
        };
        table.partition_by = None;
        for s in stripped {
            if let Some(c) = table.columns.iter_mut().find(|c| c.name == s.column) {
                c.identity = Some(s.identity);
            }
        }
        for index in &mut table.indexes {
            if carriers.demoted(&table.name, &index.name) {
                index.unique = true;
            }
        }
    }
}

/// The statements of a piece that did not load, with the carriers among them plain again
/// (as declared): `None` when there were none (the piece failed as plain tables would).
pub(super) fn uncarried(statements: &[Statement], carriers: &Carriers) -> Option<Vec<Statement>> {
    let carried =
        |s: &Statement| matches!(s, Statement::CreateTable(t) if carriers.contains(&t.name));
    if !statements.iter().any(carried) {
        return None;
    }
    Some(
        statements
            .iter()
            .map(|s| match s {
                Statement::CreateTable(t) if carriers.contains(&t.name) => {
                    let mut t = t.clone();
                    t.partition_by = None;
                    for s in &carriers.tables[&t.name] {
                        if let Some(c) = t.columns.iter_mut().find(|c| c.name == s.column) {
                            c.identity = Some(s.identity);
                            c.not_null = s.not_null;
                        }
                    }
                    // Its indexes are statements of their own (`Table::for_create`), below.
                    Statement::CreateTable(t)
                }
                Statement::CreateIndex {
                    table,
                    index,
                    concurrently,
                } if carriers.demoted(table, &index.name) => {
                    let mut index = index.clone();
                    index.unique = true;
                    Statement::CreateIndex {
                        table: table.clone(),
                        index,
                        concurrently: *concurrently,
                    }
                }
                other => other.clone(),
            })
            .collect(),
    )
}

/// The partition key `table` is created with in a scratch build, and the unique indexes it is
/// created without their uniqueness; `None` when it stays a plain table:
///
/// - already partitioned, a partition (see [`key_for_partition`]), unlogged, or with storage
///   parameters (refused on a partitioned table, or read back otherwise), or without columns
///   (a key needs one);
/// - with an exclusion constraint (refused on a partitioned table before PostgreSQL 17);
/// - with a `NOT VALID` foreign key (refused on a partitioned table: it would be created
///   valid, and read back so);
/// - with primary or unique keys that share no plain column: a key of a partitioned table must
///   hold its partition key's columns.
///
/// A table with unique keys is partitioned by a column every one of them holds, with the
/// type's default operator class (the key's equality must be the index's); one without, by
/// `(column IS NULL)` over its first stored column, which any type allows.
///
/// When the unique indexes (not constraints) of `table` share no
/// column with its keys, the table is still a carrier, with a key chosen from its primary key
/// and unique constraints alone, and those of its unique indexes that do not hold that key's
/// column created without their uniqueness (returned by name), given back on the read-back:
/// uniqueness is `pg_index.indisunique`, nothing the server prints differently (issue 12:
/// a table of a primary key and a partial unique index on another column stayed plain, and
/// the `indexes` shape's cold plan created and unlinked nine files per table). An index stays
/// unique (and its table plain) when a foreign key could rely on it (`referenced`: the
/// column lists foreign keys reference) or it treats nulls as not distinct.
fn carry(
    table: &Table,
    referenced: &BTreeSet<(&QualifiedName, Vec<&str>)>,
) -> Option<(PartitionKey, Vec<String>)> {
    if table.partition_by.is_some() || table.partition_of.is_some() || !may_carry(table) {
        return None;
    }
    if let Some(key) = choose_key(table, unique_keys(table)?) {
        return Some((key, Vec::new()));
    }
    let key = choose_key(table, constraint_keys(table)?)?;
    let kept = match &key.elements[..] {
        [PartitionKeyElement {
            target: IndexTarget::Column(column),
            ..
        }] => Some(column.as_str()),
        _ => None,
    };
    let mut demoted = Vec::new();
    for index in table.indexes.iter().filter(|i| i.unique) {
        let columns = plain_columns(index);
        if kept.is_some_and(|k| columns.contains(&k)) {
            continue;
        }
        // Every column the index names, whatever its operator class or collation: a foreign
        // key may rely on a unique index of any opclass whose equality is the type's.
        let mut sorted: Vec<&str> = index
            .elements
            .iter()
            .filter_map(|e| match &e.target {
                IndexTarget::Column(c) => Some(c.as_str()),
                IndexTarget::Expression(_) => None,
            })
            .collect();
        sorted.sort_unstable();
        if index.nulls_not_distinct || referenced.contains(&(&table.name, sorted)) {
            return None;
        }
        demoted.push(index.name.clone());
    }
    Some((key, demoted))
}

/// The sorted column lists foreign keys of `schema` reference, by referenced table.
fn referenced_keys(schema: &Schema) -> BTreeSet<(&QualifiedName, Vec<&str>)> {
    let mut keys = BTreeSet::new();
    for table in &schema.tables {
        for c in &table.constraints {
            if let ConstraintKind::ForeignKey {
                ref_table,
                ref_columns,
                ..
            } = &c.kind
            {
                let mut columns: Vec<&str> = ref_columns.iter().map(String::as_str).collect();
                columns.sort_unstable();
                keys.insert((ref_table, columns));
            }
        }
    }
    keys
}

/// The partition key a leaf partition is created with in a scratch build (it becomes a
/// partitioned partition with no partitions of its own, so it has no storage either), or
/// `None` when it stays plain. As [`carry`], except that the unique keys it must hold
/// include those its ancestors give it: PostgreSQL clones every primary key and unique index
/// of a partitioned table onto each partition, where they must hold the partition's own key
/// too. An ancestor the schema does not hold (a partition of a table declared elsewhere)
/// leaves it plain. A partition that is itself partitioned has no storage already.
pub(super) fn key_for_partition(table: &Table, schema: &Schema) -> Option<PartitionKey> {
    if table.partition_by.is_some() || !may_carry(table) {
        return None;
    }
    let mut keys = unique_keys(table)?;
    let mut parent = &table.partition_of.as_ref()?.parent;
    // Bounded: a cycle of `PARTITION OF` cannot load, but it must not hang the build.
    for _ in 0..schema.tables.len() {
        let ancestor = schema.table(parent)?;
        keys.extend(unique_keys(ancestor)?);
        match &ancestor.partition_of {
            Some(of) => parent = &of.parent,
            None => return choose_key(table, keys),
        }
    }
    None
}

/// Neither unlogged, nor with storage parameters, nor without columns.
fn may_carry(table: &Table) -> bool {
    !table.unlogged && table.storage.is_empty() && !table.columns.is_empty()
}

/// The plain columns of each primary key, unique constraint and unique index of `table`;
/// `None` when it has a constraint a partitioned table refuses (exclusion, `NOT VALID`
/// foreign key).
fn unique_keys(table: &Table) -> Option<Vec<Vec<&str>>> {
    let mut unique_keys = constraint_keys(table)?;
    for index in table.indexes.iter().filter(|i| i.unique) {
        unique_keys.push(plain_columns(index));
    }
    Some(unique_keys)
}

/// The columns of each primary key and unique constraint of `table`; `None` when it has a
/// constraint a partitioned table refuses (exclusion, `NOT VALID` foreign key).
fn constraint_keys(table: &Table) -> Option<Vec<Vec<&str>>> {
    let mut keys: Vec<Vec<&str>> = Vec::new();
    for c in &table.constraints {
        match &c.kind {
            ConstraintKind::Exclusion { .. } => return None,
            ConstraintKind::ForeignKey { .. } if !c.validated => return None,
            ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. } => {
                keys.push(columns.iter().map(String::as_str).collect())
            }
            _ => {}
        }
    }
    Some(keys)
}

/// The plain columns of `index` (no expression, operator class or collation of their own).
fn plain_columns(index: &Index) -> Vec<&str> {
    index
        .elements
        .iter()
        .filter_map(|e| match &e.target {
            IndexTarget::Column(c) if e.opclass.is_none() && e.collation.is_none() => {
                Some(c.as_str())
            }
            _ => None,
        })
        .collect()
}

/// The key of [`carry`] for `table` and the `unique_keys` it must hold.
fn choose_key(table: &Table, unique_keys: Vec<Vec<&str>>) -> Option<PartitionKey> {
    if unique_keys.is_empty() {
        let column = table.columns.iter().find(|c| c.generated.is_none())?;
        let key = PartitionKey {
            strategy: PartitionStrategy::List,
            elements: Vec::new(),
        };
        return Some(key.expression(format!("{} IS NULL", quote_ident(&column.name))));
    }
    // A column in every key, the first key's order first; one with a collation of its own is
    // passed over (the key's collation would be compared with the index's).
    let column = unique_keys[0].iter().find(|c| {
        unique_keys[1..].iter().all(|k| k.contains(c))
            && table
                .column(c)
                .is_some_and(|col| col.collation.is_none() && col.generated.is_none())
    })?;
    Some(PartitionKey::list(*column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema_core::builder::{ColumnDef, References, TableDef};
    use schema_core::DataType;

    fn int(name: &str) -> ColumnDef {
        ColumnDef::new(name, DataType::builtin("integer"))
    }

    fn build(tables: Vec<TableDef>) -> Schema {
        tables
            .into_iter()
            .fold(Schema::builder(), |b, t| b.table(t))
            .build()
    }

    fn one(table: TableDef) -> Table {
        build(vec![table]).tables.remove(0)
    }

    /// The key of a table no foreign key references.
    fn key_for(table: &Table) -> Option<PartitionKey> {
        carry(table, &BTreeSet::new()).map(|(key, _)| key)
    }

    #[test]
    fn a_column_every_unique_key_holds() {
        let t = TableDef::new("t")
            .column(int("a"))
            .column(int("b"))
            .column(int("c"));
        let t = one(t.primary_key(["a", "b"]).unique(["c", "b"]));
        assert_eq!(key_for(&t), Some(PartitionKey::list("b")));
    }

    #[test]
    fn keys_without_a_shared_column_stay_plain() {
        let t = TableDef::new("t").column(int("a")).column(int("b"));
        assert_eq!(key_for(&one(t.primary_key(["a"]).unique(["b"]))), None);
    }

    #[test]
    fn no_unique_key_partitions_by_an_expression() {
        let key = key_for(&one(TableDef::new("t").column(int("Weird Name")))).expect("a carrier");
        assert_eq!(
            key.elements[0].target,
            IndexTarget::Expression("\"Weird Name\" IS NULL".into())
        );
    }

    #[test]
    fn identity_is_taken_off_and_given_back() {
        let id = int("id").identity(Identity::Always);
        let t = TableDef::new("t").column(id).column(int("n"));
        let mut schema = build(vec![t.primary_key(["id"])]);
        let declared = schema.tables[0].clone();
        let carriers = mark(&mut schema);
        let built = &schema.tables[0];
        assert_eq!(built.partition_by, Some(PartitionKey::list("id")));
        assert_eq!(built.columns[0].identity, None);
        assert!(built.columns[0].not_null);
        // Read back as built, then unmarked: the declared table (NOT NULL, as the server makes
        // an identity column).
        let mut read = schema.clone();
        unmark(&mut read, &carriers);
        let mut expected = declared.clone();
        expected.columns[0].not_null = true;
        assert_eq!(read.tables[0], expected);
        // A piece that did not load is built again exactly as declared.
        let statements = vec![Statement::CreateTable(Box::new(schema.tables[0].clone()))];
        let plain = uncarried(&statements, &carriers).expect("a carrier to undo");
        assert!(matches!(&plain[0], Statement::CreateTable(t) if *t == Box::new(declared)));
    }

    #[test]
    fn a_leaf_partition_holds_its_ancestors_keys() {
        let parent = TableDef::new("events")
            .column(int("id"))
            .column(int("at"))
            .column(int("n"))
            .primary_key(["at", "id"])
            .partition_by(PartitionKey::range(["at"]));
        let mid = TableDef::new("events_1")
            .column(int("id"))
            .column(int("at"))
            .column(int("n"))
            .partition_of("events", PartitionBound::range(["0"], ["10"]))
            .partition_by(PartitionKey::list("id"));
        let leaf = TableDef::new("events_1_a")
            .column(int("id"))
            .column(int("at"))
            .column(int("n"))
            .partition_of("events_1", PartitionBound::list(["1"]));
        let sibling = TableDef::new("events_2")
            .column(int("id"))
            .column(int("at"))
            .column(int("n"))
            .partition_of("events", PartitionBound::range(["10"], ["20"]))
            .unique(["n", "at"]);
        let schema = build(vec![parent, mid, leaf, sibling]);
        let table = |n: &str| schema.table(&QualifiedName::public(n)).unwrap();
        // The grandparent's key (at, id) holds `at` first.
        assert_eq!(
            key_for_partition(table("events_1_a"), &schema),
            Some(PartitionKey::list("at"))
        );
        // Its own unique key (n, at) and the parent's (at, id) share `at`.
        assert_eq!(
            key_for_partition(table("events_2"), &schema),
            Some(PartitionKey::list("at"))
        );
        // Partitioned already: no storage to save.
        assert_eq!(key_for_partition(table("events_1"), &schema), None);
        assert_eq!(key_for(table("events_1_a")), None);
        // A parent the schema does not hold: plain.
        let orphan = one(TableDef::new("o")
            .column(int("id"))
            .partition_of("elsewhere", PartitionBound::list(["1"])));
        assert_eq!(key_for_partition(&orphan, &schema), None);
        // Without unique keys anywhere: by an expression, as a plain table.
        let free = build(vec![
            TableDef::new("p")
                .column(int("a"))
                .partition_by(PartitionKey::list("a")),
            TableDef::new("p_1")
                .column(int("a"))
                .partition_of("p", PartitionBound::list(["1"])),
        ]);
        let key = key_for_partition(&free.tables[1], &free).expect("a carrier");
        assert_eq!(
            key.elements[0].target,
            IndexTarget::Expression("a IS NULL".into())
        );
    }

    #[test]
    fn unique_indexes_sharing_no_column_are_created_without_uniqueness() {
        use schema_core::builder::IndexDef;
        let docs = TableDef::new("docs")
            .column(int("id"))
            .column(int("owner"))
            .column(int("rank"))
            .primary_key(["id"])
            .index(
                IndexDef::on_columns(["owner"])
                    .named("docs_owner")
                    .unique()
                    .where_sql("rank > 0"),
            )
            .index(
                IndexDef::new()
                    .expression("rank * 2")
                    .named("docs_twice")
                    .unique(),
            )
            .index(
                IndexDef::on_columns(["id", "rank"])
                    .named("docs_id_rank")
                    .unique(),
            );
        let mut schema = build(vec![docs]);
        let declared = schema.tables[0].clone();
        let none = BTreeSet::new();
        assert_eq!(
            carry(&declared, &none),
            Some((
                PartitionKey::list("id"),
                vec!["docs_owner".to_string(), "docs_twice".to_string()]
            ))
        );
        let carriers = mark(&mut schema);
        let unique: Vec<bool> = schema.tables[0].indexes.iter().map(|i| i.unique).collect();
        assert_eq!(unique, [false, false, true]);
        // Read back as built, then unmarked: unique again.
        let mut read = schema.clone();
        unmark(&mut read, &carriers);
        assert_eq!(read.tables[0], declared);
        // A piece that did not load is built again with the indexes unique.
        let statements: Vec<Statement> =
            std::iter::once(Statement::CreateTable(Box::new(schema.tables[0].clone())))
                .chain(
                    schema.tables[0]
                        .indexes
                        .iter()
                        .map(|i| Statement::CreateIndex {
                            table: declared.name.clone(),
                            index: Box::new(i.clone()),
                            concurrently: false,
                        }),
                )
                .collect();
        let plain = uncarried(&statements, &carriers).expect("a carrier to undo");
        for s in &plain[1..] {
            assert!(matches!(s, Statement::CreateIndex { index, .. } if index.unique));
        }
        // An index a foreign key may rely on keeps its uniqueness: the table stays plain.
        let name = declared.name.clone();
        let referenced = BTreeSet::from([(&name, vec!["owner"])]);
        assert_eq!(carry(&declared, &referenced), None);
        // Whatever the index's operator class.
        let mut patterned = declared.clone();
        patterned.indexes[0].elements[0].opclass = Some("int4_ops".into());
        assert_eq!(carry(&patterned, &referenced), None);
        // So does one treating nulls as not distinct.
        let mut nulls = declared.clone();
        nulls.indexes[0].nulls_not_distinct = true;
        assert_eq!(carry(&nulls, &none), None);
    }

    #[test]
    fn refused_shapes_stay_plain() {
        assert_eq!(
            key_for(&one(TableDef::new("t").column(int("a")).unlogged())),
            None
        );
        let mut empty = one(TableDef::new("t").column(int("a")));
        empty.columns.clear();
        assert_eq!(key_for(&empty), None);
        let target = TableDef::new("u").column(int("id")).primary_key(["id"]);
        let referencing = TableDef::new("t")
            .column(int("a"))
            .foreign_key(["a"], References::table("u"));
        let mut schema = build(vec![target, referencing]);
        let t = schema
            .tables
            .iter_mut()
            .find(|t| t.name.name == "t")
            .unwrap();
        assert!(key_for(t).is_some());
        t.constraints[0].validated = false;
        assert_eq!(key_for(t), None);
    }
}
