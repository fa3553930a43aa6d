//! Sequences: created, altered by their effective options, owned, dropped.

use std::collections::{HashMap, HashSet};

use crate::model::*;
use crate::render::{CommentTarget, SequenceOption, Statement};
use crate::types::DataType;

use super::{Change, ChangeKind, Hazard, LockLevel, ObjectKind, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn sequences(&mut self) {
        // A serial column's sequence is an object too: declared explicitly on one side and
        // implied by a serial column on the other, it is the same sequence, altered in place
        // (never dropped while the result still uses it, its current value kept).
        let old_serials = serial_sequences(self.old);
        let new_serials = serial_sequences(self.new);
        // Looked up by name (the first of a name wins, as a search would find it): a schema
        // of 10,000 tables has as many sequences (issue 12).
        let mut old_by_name: HashMap<&QualifiedName, &Sequence> = HashMap::new();
        for o in self.old.sequences.iter().chain(&old_serials) {
            old_by_name.entry(&o.name).or_insert(o);
        }
        let mut new_serial_by_name: HashMap<&QualifiedName, &Sequence> = HashMap::new();
        for n in &new_serials {
            new_serial_by_name.entry(&n.name).or_insert(n);
        }
        let new_names: HashSet<&QualifiedName> =
            self.new.sequences.iter().map(|n| &n.name).collect();
        for seq in &self.new.sequences {
            let object = ObjectRef::new(ObjectKind::Sequence, &seq.name);
            let old = old_by_name.get(&seq.name).copied();
            match old {
                // Created by the column's swap from its identity, which frees the name first.
                None if self.swapped_in(seq) => {
                    self.comment(
                        object,
                        CommentTarget::Sequence(seq.name.clone()),
                        &None,
                        &seq.comment,
                    );
                }
                None => {
                    self.emit(
                        Phase::Sequences,
                        Change::new(
                            object.clone(),
                            ChangeKind::Create,
                            [Statement::CreateSequence(Box::new(seq.clone()))],
                        )
                        .inverse([Statement::DropSequence(seq.name.clone())]),
                    );
                    if let Some(owner) = &seq.owned_by {
                        self.emit(
                            Phase::SequenceOwners,
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::AlterSequence {
                                    name: seq.name.clone(),
                                    options: vec![SequenceOption::OwnedBy(Some(owner.clone()))],
                                }],
                            )
                            .lock(LockLevel::ShareRowExclusive)
                            .inverse([Statement::AlterSequence {
                                name: seq.name.clone(),
                                options: vec![SequenceOption::OwnedBy(None)],
                            }]),
                        );
                    }
                    self.comment(
                        object,
                        CommentTarget::Sequence(seq.name.clone()),
                        &None,
                        &seq.comment,
                    );
                }
                Some(old) => {
                    let options = sequence_options(old, seq);
                    if !options.is_empty() {
                        let back = sequence_options(seq, old);
                        self.emit(
                            Phase::Sequences,
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::AlterSequence {
                                    name: seq.name.clone(),
                                    options,
                                }],
                            )
                            .lock(LockLevel::ShareRowExclusive)
                            .inverse([Statement::AlterSequence {
                                name: seq.name.clone(),
                                options: back,
                            }]),
                        );
                    }
                    let old_owner = old
                        .owned_by
                        .as_ref()
                        .map(|(t, c)| self.owner_in_new_terms(t, c));
                    if old_owner != seq.owned_by {
                        self.emit(
                            Phase::SequenceOwners,
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::AlterSequence {
                                    name: seq.name.clone(),
                                    options: vec![SequenceOption::OwnedBy(seq.owned_by.clone())],
                                }],
                            )
                            .lock(LockLevel::ShareRowExclusive)
                            .inverse([Statement::AlterSequence {
                                name: seq.name.clone(),
                                options: vec![SequenceOption::OwnedBy(old_owner.clone())],
                            }]),
                        );
                    }
                    self.comment(
                        object,
                        CommentTarget::Sequence(seq.name.clone()),
                        &old.comment,
                        &seq.comment,
                    );
                }
            }
        }
        for old in &self.old.sequences {
            if let Some(&serial) = new_serial_by_name.get(&old.name) {
                // Becomes a serial column's sequence: its options become the serial's (the
                // column's change takes ownership).
                let options = sequence_options(old, serial);
                if !options.is_empty() {
                    self.emit(
                        Phase::Sequences,
                        Change::new(
                            ObjectRef::new(ObjectKind::Sequence, &old.name),
                            ChangeKind::Alter,
                            [Statement::AlterSequence {
                                name: old.name.clone(),
                                options,
                            }],
                        )
                        .lock(LockLevel::ShareRowExclusive)
                        .inverse([Statement::AlterSequence {
                            name: old.name.clone(),
                            options: sequence_options(serial, old),
                        }]),
                    );
                }
                continue;
            }
            if !new_names.contains(&old.name) && !self.swapped_out(old) {
                self.emit(
                    Phase::DropSequences,
                    Change::new(
                        ObjectRef::new(ObjectKind::Sequence, &old.name),
                        ChangeKind::Drop,
                        [Statement::DropSequence(old.name.clone())],
                    )
                    .hazard(Hazard::DeletesData)
                    .lock(LockLevel::AccessExclusive),
                );
            }
        }
    }

    /// The old and new column that owns `seq` on the given side, when the table is in both.
    fn owner_pair(&self, seq: &Sequence, old_side: bool) -> Option<(&'a Column, &'a Column)> {
        let (table, column) = seq.owned_by.as_ref()?;
        let pair = if old_side {
            self.pair_by_old(table)?
        } else {
            self.pairs.iter().find(|p| p.new.name == *table)?
        };
        pair.columns
            .iter()
            .find(|(o, n)| {
                if old_side {
                    o.name == *column
                } else {
                    n.name == *column
                }
            })
            .copied()
    }

    /// An old sequence its owning column gives up for an identity: the column's swap drops
    /// it (see `Statement::SwapColumnSequence`).
    fn swapped_out(&self, seq: &Sequence) -> bool {
        self.owner_pair(seq, true)
            .is_some_and(|(oc, nc)| oc.identity.is_none() && nc.identity.is_some())
    }

    /// A new sequence that replaces its owning column's identity: the column's swap creates
    /// and owns it, carrying the identity's position over.
    fn swapped_in(&self, seq: &Sequence) -> bool {
        self.owner_pair(seq, false)
            .is_some_and(|(oc, nc)| oc.identity.is_some() && nc.identity.is_none())
    }

    pub(super) fn owner_in_new_terms(
        &self,
        table: &QualifiedName,
        column: &str,
    ) -> (QualifiedName, String) {
        match self.pair_by_old(table) {
            Some(pair) => (
                pair.new.name.clone(),
                pair.new_column_name(column).to_string(),
            ),
            None => (table.clone(), column.to_string()),
        }
    }
}

/// The sequences the serial columns of `schema` own, as PostgreSQL creates them (`AS` the
/// column's integer type, default options, owned by the column).
pub(super) fn serial_sequences(schema: &Schema) -> Vec<Sequence> {
    schema
        .tables
        .iter()
        .flat_map(|table| {
            table
                .columns
                .iter()
                .filter_map(|column| serial_sequence_of(table, column))
        })
        .collect()
}

/// The sequence a serial column owns, as PostgreSQL creates it; `None` for other columns.
pub(super) fn serial_sequence_of(table: &Table, column: &Column) -> Option<Sequence> {
    let base = column.data_type.serial_base()?;
    Some(Sequence {
        name: super::column::serial_sequence(&table.name, &column.name),
        data_type: Some(base),
        increment: None,
        min_value: None,
        max_value: None,
        start: None,
        cache: None,
        cycle: false,
        owned_by: Some((table.name.clone(), column.name.clone())),
        comment: None,
    })
}

/// Effective sequence options, defaults filled in as PostgreSQL fills them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SequenceFacts {
    pub(super) data_type: DataType,
    pub(super) increment: i64,
    pub(super) min: i64,
    pub(super) max: i64,
    pub(super) start: i64,
    pub(super) cache: i64,
    pub(super) cycle: bool,
}

pub(super) fn sequence_facts(s: &Sequence) -> SequenceFacts {
    let data_type = s
        .data_type
        .clone()
        .unwrap_or_else(|| DataType::builtin("bigint"));
    let (type_min, type_max) = match data_type.name.as_str() {
        "smallint" => (i16::MIN as i64, i16::MAX as i64),
        "integer" => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    };
    let increment = s.increment.unwrap_or(1);
    let min = s
        .min_value
        .unwrap_or(if increment > 0 { 1 } else { type_min });
    let max = s
        .max_value
        .unwrap_or(if increment > 0 { type_max } else { -1 });
    SequenceFacts {
        data_type,
        increment,
        min,
        max,
        start: s.start.unwrap_or(if increment > 0 { min } else { max }),
        cache: s.cache.unwrap_or(1),
        cycle: s.cycle,
    }
}

/// `ALTER SEQUENCE` options that turn `from` into `to`.
pub(super) fn sequence_options(from: &Sequence, to: &Sequence) -> Vec<SequenceOption> {
    let (a, b) = (sequence_facts(from), sequence_facts(to));
    let mut out = Vec::new();
    if a.data_type != b.data_type {
        out.push(SequenceOption::As(b.data_type.clone()));
    }
    if a.increment != b.increment {
        out.push(SequenceOption::IncrementBy(b.increment));
    }
    if a.min != b.min || a.data_type != b.data_type && to.min_value.is_none() {
        out.push(SequenceOption::MinValue(to.min_value));
    }
    if a.max != b.max || a.data_type != b.data_type && to.max_value.is_none() {
        out.push(SequenceOption::MaxValue(to.max_value));
    }
    if a.start != b.start {
        out.push(SequenceOption::StartWith(b.start));
    }
    if a.cache != b.cache {
        out.push(SequenceOption::Cache(b.cache));
    }
    if a.cycle != b.cycle {
        out.push(SequenceOption::Cycle(b.cycle));
    }
    out
}
