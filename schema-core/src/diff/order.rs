//! The order of a plan: one topological sort over what each change creates, removes and needs
//! (see [`super::depends`]), ties broken by phase and then by the order the planner found them.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use crate::model::Schema;

use super::depends;
use super::{Change, ChangeKind, ObjectId};

/// The planner's phases, in the order a plan runs them when nothing else decides: every drop
/// (dependents first), renames, then everything new or changed in [`Schema::create_sql`]'s
/// order. The dependency graph decides first; the phase only breaks its ties, so that plans
/// read the same from run to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// Policies dropped (before the columns, functions and tables their expressions use).
    DropPolicies,
    /// Triggers dropped.
    DropTriggers,
    /// Views dropped.
    DropViews,
    /// Foreign keys dropped.
    DropForeignKeys,
    /// Other constraints dropped.
    DropConstraints,
    /// Indexes dropped.
    DropIndexes,
    /// Columns dropped.
    DropColumns,
    /// Tables dropped.
    DropTables,
    /// Functions and procedures dropped.
    DropFunctions,
    /// Sequences dropped.
    DropSequences,
    /// Types dropped.
    DropTypes,
    /// Extensions dropped.
    DropExtensions,
    /// Schemas dropped.
    DropSchemas,
    /// Tables and columns renamed.
    Renames,
    /// Schemas created.
    Schemas,
    /// Extensions created or moved.
    Extensions,
    /// Types created or changed.
    Types,
    /// Sequences created or changed.
    Sequences,
    /// Functions and procedures created or replaced.
    Functions,
    /// Tables created.
    Tables,
    /// Columns added or changed.
    Columns,
    /// Sequence ownership set.
    SequenceOwners,
    /// Primary key, unique and check constraints added.
    Constraints,
    /// Indexes created.
    Indexes,
    /// Foreign keys added.
    ForeignKeys,
    /// Views created or replaced.
    Views,
    /// Triggers created or replaced.
    Triggers,
    /// Row-level security turned on or off, policies created or altered.
    Policies,
    /// Privileges granted and revoked (after every object they are on exists).
    Grants,
    /// Comments set.
    Comments,
}

/// The changes in the order they must run: each create or alter after the creates and alters
/// of what it needs; each drop before the drops of what the dropped object used, and before
/// those are altered; the drop of an object before its re-creation.
pub(super) fn order(mut changes: Vec<Change>, old: &Schema, new: &Schema) -> Vec<Change> {
    depends::annotate(&mut changes, old, new);
    let order = run_order(&changes);
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Indexes into `changes` in run order. Kahn's algorithm, taking among the changes whose
/// predecessors have run the one first by (phase, position): where the planner's order is
/// already valid it is kept as is. A cycle (which PostgreSQL could not apply either) does not
/// stop the sort: the first remaining change in that order goes next.
pub(super) fn run_order(changes: &[Change]) -> Vec<usize> {
    let n = changes.len();
    let mut creators: BTreeMap<&ObjectId, Vec<usize>> = BTreeMap::new();
    let mut removers: BTreeMap<&ObjectId, Vec<usize>> = BTreeMap::new();
    for (i, change) in changes.iter().enumerate() {
        for id in &change.creates {
            creators.entry(id).or_default().push(i);
        }
        for id in &change.removes {
            removers.entry(id).or_default().push(i);
        }
    }
    let none = Vec::new();
    let of = |map: &BTreeMap<&ObjectId, Vec<usize>>, id: &ObjectId| -> Vec<usize> {
        map.get(id).unwrap_or(&none).clone()
    };
    let mut successors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let mut predecessors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    let mut edge = |before: usize, after: usize| {
        if before != after {
            successors[before].insert(after);
            predecessors[after].insert(before);
        }
    };
    for (v, change) in changes.iter().enumerate() {
        let drop = change.kind == ChangeKind::Drop;
        for need in &change.needs {
            if drop {
                // A dropped object goes before what it used is dropped or changed.
                for u in of(&removers, need).into_iter().chain(of(&creators, need)) {
                    edge(v, u);
                }
            } else {
                for u in of(&creators, need) {
                    edge(u, v);
                }
            }
        }
        for id in &change.creates {
            for u in of(&removers, id) {
                edge(u, v);
            }
        }
    }
    let mut waiting = vec![0usize; n];
    for after in successors.iter().flatten() {
        waiting[*after] += 1;
    }
    let key = |i: usize| Reverse((changes[i].phase, i));
    let mut ready: BinaryHeap<Reverse<(Phase, usize)>> =
        (0..n).filter(|&i| waiting[i] == 0).map(key).collect();
    let mut done = vec![false; n];
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let next = match ready.pop() {
            Some(Reverse((_, i))) => i,
            None => match (0..n).filter(|&i| !done[i]).min_by_key(|&i| key(i).0) {
                Some(i) => break_cycle(i, &predecessors, &done, |j| key(j).0),
                None => break,
            },
        };
        if done[next] {
            continue;
        }
        done[next] = true;
        out.push(next);
        for &after in &successors[next] {
            waiting[after] = waiting[after].saturating_sub(1);
            if waiting[after] == 0 && !done[after] {
                ready.push(key(after));
            }
        }
    }
    out
}

/// Where every remaining change waits for another, the change to run next: walking back from
/// `start` through the first waiting predecessor (in (phase, position) order) must come round to
/// a change twice, and the earliest change on that cycle goes, so that changes merely waiting
/// for the cycle still wait.
fn break_cycle<K: Ord>(
    start: usize,
    predecessors: &[BTreeSet<usize>],
    done: &[bool],
    key: impl Fn(usize) -> K,
) -> usize {
    let mut path = vec![start];
    let mut current = start;
    loop {
        let waiting_on = predecessors[current]
            .iter()
            .copied()
            .filter(|&p| !done[p])
            .min_by_key(|&p| key(p));
        let Some(previous) = waiting_on else {
            return current; // not waiting after all
        };
        if let Some(at) = path.iter().position(|&p| p == previous) {
            return path[at..]
                .iter()
                .copied()
                .min_by_key(|&p| key(p))
                .unwrap_or(previous);
        }
        path.push(previous);
        current = previous;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ObjectKind, ObjectRef};
    use crate::render::Statement;
    use crate::types::DataType;
    use crate::*;

    fn change(phase: Phase, kind: ChangeKind, statement: Statement) -> Change {
        let mut change = Change::new(
            ObjectRef::new(ObjectKind::Table, "x"),
            kind,
            vec![statement],
        );
        change.phase = phase;
        change
    }

    fn view(name: &str, query: &str) -> View {
        View {
            name: QualifiedName::public(name),
            columns: vec![],
            query: query.into(),
            comment: None,
            column_types: Vec::new(),
            materialized: false,
            with_data: true,
            indexes: Vec::new(),
        }
    }

    fn table(name: &str, default: Option<&str>) -> Table {
        Table {
            name: QualifiedName::public(name),
            columns: vec![Column {
                name: "id".into(),
                data_type: DataType::builtin("integer"),
                not_null: false,
                default: default.map(Into::into),
                identity: None,
                generated: None,
                collation: None,
                comment: None,
                renamed_from: None,
                using: None,
                statistics: None,
                storage: None,
                compression: None,
                options: Vec::new(),
            }],
            constraints: vec![],
            indexes: vec![],
            comment: None,
            renamed_from: None,
            partition_by: None,
            partition_of: None,
            unlogged: false,
            storage: Vec::new(),
        }
    }

    fn sql(changes: &[Change]) -> Vec<String> {
        changes.iter().map(|c| c.sql()).collect()
    }

    #[test]
    fn a_view_over_a_view_declared_later_is_created_after_it() {
        let outer = view("outer_v", "SELECT * FROM inner_v");
        let inner = view("inner_v", "SELECT 1 AS one");
        let new = Schema {
            views: vec![outer.clone(), inner.clone()],
            ..Schema::default()
        };
        let changes = vec![
            change(
                Phase::Views,
                ChangeKind::Create,
                Statement::CreateView(Box::new(outer)),
            ),
            change(
                Phase::Views,
                ChangeKind::Create,
                Statement::CreateView(Box::new(inner)),
            ),
        ];
        let ordered = order(changes, &Schema::default(), &new);
        let text = sql(&ordered);
        assert!(text[0].contains("public.inner_v"), "{text:?}");
        assert!(text[1].contains("public.outer_v"), "{text:?}");
    }

    #[test]
    fn a_function_a_default_calls_is_created_before_the_table() {
        let func = Function {
            name: QualifiedName::public("next_code"),
            is_procedure: false,
            args: vec![],
            returns: Some(Returns::Type(DataType::builtin("integer"))),
            language: "sql".into(),
            body: "SELECT 1".into(),
            body_style: BodyStyle::Quoted,
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            config: vec![],
            comment: None,
        };
        let t = table("codes", Some("public.next_code()"));
        let new = Schema {
            functions: vec![func.clone()],
            tables: vec![t.clone()],
            ..Schema::default()
        };
        // Same phase, table first: only the graph puts the function first.
        let changes = vec![
            change(
                Phase::Tables,
                ChangeKind::Create,
                Statement::CreateTable(Box::new(t)),
            ),
            change(
                Phase::Tables,
                ChangeKind::Create,
                Statement::CreateFunction(Box::new(func)),
            ),
        ];
        let ordered = order(changes, &Schema::default(), &new);
        assert_eq!(
            ordered[0].creates,
            [ObjectId::Function(QualifiedName::public("next_code"))]
        );
        assert!(ordered[1]
            .needs
            .contains(&ObjectId::Function(QualifiedName::public("next_code"))));
    }

    #[test]
    fn a_view_is_dropped_before_its_table() {
        let t = table("users", None);
        let v = view("user_ids", "SELECT id FROM users");
        let old = Schema {
            tables: vec![t.clone()],
            views: vec![v.clone()],
            ..Schema::default()
        };
        let changes = vec![
            change(
                Phase::DropTables,
                ChangeKind::Drop,
                Statement::DropTable(t.name.clone()),
            ),
            change(
                Phase::DropTables,
                ChangeKind::Drop,
                Statement::DropView(v.name.clone()),
            ),
        ];
        let ordered = order(changes, &old, &Schema::default());
        assert_eq!(
            sql(&ordered),
            [
                "DROP VIEW IF EXISTS public.user_ids;",
                "DROP TABLE IF EXISTS public.users;"
            ]
        );
    }

    #[test]
    fn a_view_is_dropped_before_its_table_is_recreated() {
        let t = table("users", None);
        let v = view("user_ids", "SELECT id FROM users");
        let old = Schema {
            tables: vec![t.clone()],
            views: vec![v.clone()],
            ..Schema::default()
        };
        let changes = vec![
            change(
                Phase::Views,
                ChangeKind::Create,
                Statement::CreateTable(Box::new(t.clone())),
            ),
            change(
                Phase::Views,
                ChangeKind::Drop,
                Statement::DropTable(t.name.clone()),
            ),
        ];
        let ordered = order(changes, &old, &old);
        assert_eq!(ordered[0].kind, ChangeKind::Drop);
    }

    #[test]
    fn what_waits_for_a_cycle_still_waits() {
        let a = view("a", "SELECT * FROM b");
        let b = view("b", "SELECT * FROM a");
        let c = view("c", "SELECT * FROM a");
        let new = Schema {
            views: vec![a.clone(), b.clone(), c.clone()],
            ..Schema::default()
        };
        // `c` comes first by phase, but it needs `a`, which is on the cycle.
        let changes = vec![
            change(
                Phase::Tables,
                ChangeKind::Create,
                Statement::CreateView(Box::new(c)),
            ),
            change(
                Phase::Views,
                ChangeKind::Create,
                Statement::CreateView(Box::new(a)),
            ),
            change(
                Phase::Views,
                ChangeKind::Create,
                Statement::CreateView(Box::new(b)),
            ),
        ];
        let ordered = order(changes, &Schema::default(), &new);
        let text = sql(&ordered);
        let at = |name: &str| text.iter().position(|s| s.contains(name)).unwrap();
        assert!(at("public.a ") < at("public.c "), "{text:?}");
    }

    #[test]
    fn a_cycle_keeps_phase_order_and_does_not_panic() {
        let a = view("a", "SELECT * FROM b");
        let b = view("b", "SELECT * FROM a");
        let new = Schema {
            views: vec![a.clone(), b.clone()],
            ..Schema::default()
        };
        let changes = vec![
            change(
                Phase::Triggers,
                ChangeKind::Create,
                Statement::CreateView(Box::new(b)),
            ),
            change(
                Phase::Views,
                ChangeKind::Create,
                Statement::CreateView(Box::new(a)),
            ),
        ];
        let ordered = order(changes, &Schema::default(), &new);
        assert_eq!(ordered.len(), 2);
        // Both wait for each other: the earlier phase goes first.
        assert!(
            ordered[0].sql().contains("public.a "),
            "{:?}",
            sql(&ordered)
        );
    }
}
