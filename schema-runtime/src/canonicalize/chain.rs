//! Following print chains: each printed fragment is created again in the scratch schemas and
//! read back, then its print, ..., until the server prints a form as itself (or a few rounds
//! passed), all fragments of a round in one build.
//!
//! A round creates only what its fragments need ([`holding`]): the tables holding them,
//! without the fragments whose chain is settled, foreign keys and other indexes. Should that
//! part not load on its own (an object kind tables depend on that `holding` does not know
//! yet), the round runs again with every table.

use std::collections::{BTreeMap, BTreeSet};

use postgres::Transaction;
use schema_core::model::*;
use schema_core::print_chain::{
    for_each_fragment_mut, fragments, holding, FragmentSlot, PrintChain,
};

use super::{build_and_read, Build, Built};
use crate::error::Error;
use crate::introspect::Scope;

/// How many times a print is created again at most, looking for a form the server prints as
/// itself. The one known non-idempotent print (an `ARRAY[...]` constructor with a cast, from
/// `IN (...)` over `varchar`) settles after one step; the bound only stops a printer that
/// would never settle.
const MAX_ROUNDS: usize = 4;

/// What the fragments handed to [`follow`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// Written by a user: the first print is the server's print of them.
    Declared,
    /// Read from a database: they are prints already.
    Printed,
}

/// The forms of one fragment's chain met so far.
struct Chain {
    /// The declared text (when there is one), then each print.
    forms: Vec<String>,
    /// The index in `forms` of the first print: the form the canonical text stands for.
    first: usize,
    /// A print could not be followed (its slot was missing from the read-back).
    stuck: bool,
}

impl Chain {
    /// The last print reads back as itself: it is the print of the form before it, and the
    /// same text. (A declared text the server prints back unchanged is settled at once: its
    /// print, being itself, prints as itself.)
    fn settled(&self) -> bool {
        let n = self.forms.len();
        n >= 2 && self.forms[n - 1] == self.forms[n - 2]
    }

    fn pending(&self) -> bool {
        !self.stuck && !self.settled()
    }

    fn last(&self) -> &str {
        self.forms.last().expect("a chain holds its first print")
    }

    fn first_print(&self) -> &str {
        &self.forms[self.first]
    }

    /// The first print, created again, prints differently.
    fn first_print_moves(&self) -> bool {
        self.forms
            .get(self.first + 1)
            .is_some_and(|next| *next != self.forms[self.first])
    }
}

/// What [`follow`] needs of the schema the first build created (in the scratch schemas'
/// names), rather than the schema itself: the build consumed it.
pub(super) struct Start {
    /// Its SQL fragments: the declared texts.
    pub(super) fragments: BTreeMap<FragmentSlot, String>,
    /// Its extensions: each round starts from the state before the declaration was created.
    pub(super) extensions: Vec<Extension>,
}

/// Every fragment's canonical text and the other forms of its chain, in the scratch schemas'
/// names.
pub(super) struct Followed {
    /// The canonical text of each fragment.
    pub(super) texts: BTreeMap<FragmentSlot, String>,
    /// The forms of each chain other than the canonical text.
    pub(super) chains: Vec<PrintChain>,
}

/// Follows the chain of every fragment of `first` (what the server read back after creating
/// the schema `start` was taken from), in `tx`, which holds the scratch schemas `scope`
/// reads.
///
/// The canonical text of a fragment is its first print, except when that print reads back as a
/// different expression and a rewrite of it that makes the array types explicit
/// ([`crate::parse::explicit_array_casts`]) prints as the first print again: the rewrite
/// rebuilds the declared expression, so an apply creates exactly what the declaration means
/// (and what a fresh `psql -f` of it creates).
pub(super) fn follow(
    tx: &mut Transaction<'_>,
    scope: &Scope,
    start: Start,
    first: &Schema,
    origin: Origin,
    build: Build,
) -> Result<Followed, Error> {
    let Start {
        fragments: mut declared,
        extensions,
    } = start;
    let mut chains: BTreeMap<FragmentSlot, Chain> = fragments(first)
        .into_iter()
        .map(|(slot, printed)| {
            let chain = match (declared.remove(&slot), origin) {
                (Some(text), Origin::Declared) => Chain {
                    forms: vec![text, printed],
                    first: 1,
                    stuck: false,
                },
                (Some(text), Origin::Printed) => Chain {
                    forms: vec![text, printed],
                    first: 0,
                    stuck: false,
                },
                (None, _) => Chain {
                    forms: vec![printed],
                    first: 0,
                    stuck: false,
                },
            };
            (slot, chain)
        })
        .collect();
    drop(declared);

    for _ in 0..MAX_ROUNDS {
        let texts: BTreeMap<FragmentSlot, String> = chains
            .iter()
            .filter(|(_, c)| c.pending())
            .map(|(slot, c)| (slot.clone(), c.last().to_string()))
            .collect();
        if texts.is_empty() {
            break;
        }
        let Some(printed) = rebuild(tx, scope, &extensions, first, &texts, build)? else {
            break;
        };
        for (slot, chain) in chains.iter_mut().filter(|(_, c)| c.pending()) {
            match printed.get(slot) {
                Some(text) => chain.forms.push(text.clone()),
                None => chain.stuck = true,
            }
        }
    }

    // A first print that does not read back as itself: look for text that does rebuild it.
    let rewrites: BTreeMap<FragmentSlot, String> = chains
        .iter()
        .filter(|(_, c)| c.first_print_moves())
        .filter_map(|(slot, c)| {
            crate::parse::explicit_array_casts(c.first_print()).map(|r| (slot.clone(), r))
        })
        .collect();
    let mut faithful = BTreeMap::new();
    if !rewrites.is_empty() {
        if let Some(printed) = rebuild(tx, scope, &extensions, first, &rewrites, build)? {
            for (slot, rewrite) in rewrites {
                if printed.get(&slot).map(String::as_str) == Some(chains[&slot].first_print()) {
                    faithful.insert(slot, rewrite);
                }
            }
        }
    }

    let mut followed = Followed {
        texts: BTreeMap::new(),
        chains: Vec::new(),
    };
    for (slot, chain) in chains {
        let text = faithful
            .remove(&slot)
            .unwrap_or_else(|| chain.first_print().to_string());
        let forms = chain.forms.into_iter().filter(|f| *f != text).collect();
        followed.chains.push(PrintChain {
            slot: slot.clone(),
            forms,
        });
        followed.texts.insert(slot, text);
    }
    Ok(followed)
}

/// Creates the fragments `texts` names, with those texts, in the scratch schemas and returns
/// how the server prints them; `None` when the build fails (a print that does not load again:
/// the chains stop where they are, and a live fragment further down shows as a difference).
fn rebuild(
    tx: &mut Transaction<'_>,
    scope: &Scope,
    extensions: &[Extension],
    first: &Schema,
    texts: &BTreeMap<FragmentSlot, String>,
    build: Build,
) -> Result<Option<BTreeMap<FragmentSlot, String>>, Error> {
    let alike = if build.dedupe {
        Alike::of(first, texts)
    } else {
        Alike::default()
    };
    let asked: BTreeMap<FragmentSlot, String> = texts
        .iter()
        .filter(|(slot, _)| !alike.copies.contains_key(*slot))
        .map(|(slot, text)| (slot.clone(), text.clone()))
        .collect();
    let mut failure = None;
    for every_table in [false, true] {
        let schema = round_schema(extensions, first, &asked, every_table);
        match build_and_read(tx, schema, scope, false, build, None)? {
            Built::Read(read) => {
                let mut printed = fragments(&read.schema);
                for (copy, of) in &alike.copies {
                    if let Some(text) = printed.get(of).cloned() {
                        printed.insert(copy.clone(), text);
                    }
                }
                return Ok(Some(printed));
            }
            Built::DidNotLoad(e) | Built::BodyDoesNotCompile { error: e, .. } => failure = Some(e),
        }
    }
    if let Some(e) = failure {
        tracing::warn!(
            error = %e,
            "a printed SQL fragment did not load again; its print chain stops here"
        );
    }
    Ok(None)
}

/// Fragments of a round that the server prints alike, so only one of each is created: the
/// same text, in the same place (the default or generated expression of a column of the same
/// name, a check, an index key or predicate, a trigger's `WHEN`, a policy's expressions), on
/// tables whose columns are the same (names, types, collations, in order). The print of an
/// expression depends on those and on the search path, which every scratch table shares; a
/// whole-row or qualified reference names its table in the text itself. Rounds over a
/// declaration of many tables of one pattern (issue 12: a thousand tables of the same checks
/// and defaults) then create a few tables, not all of them again.
#[derive(Default)]
struct Alike {
    /// Each slot left out of the round, with the slot created in its place.
    copies: BTreeMap<FragmentSlot, FragmentSlot>,
}

/// A table's columns as [`Alike`] compares them: name, type and collation of each, in order.
type ColumnList<'a> = Vec<(&'a str, String, Option<&'a str>)>;

/// Where in its table a fragment is, for [`Alike`]: its slot without the names that do not
/// change its print (the table's, a constraint's, an index's).
#[derive(PartialEq, Eq, Hash)]
enum Place<'a> {
    Default(&'a str),
    Generated(&'a str),
    Check,
    IndexKey,
    IndexPredicate,
    TriggerWhen,
    PolicyUsing,
    PolicyWithCheck,
}

impl Alike {
    fn of(first: &Schema, texts: &BTreeMap<FragmentSlot, String>) -> Alike {
        use std::collections::HashMap;
        let tables: HashMap<&QualifiedName, &Table> =
            first.tables.iter().map(|t| (&t.name, t)).collect();
        // Each distinct column list gets a number, each table the number of its list.
        let mut lists: HashMap<ColumnList<'_>, usize> = HashMap::new();
        let mut list_of: HashMap<&QualifiedName, usize> = HashMap::new();
        let mut seen: HashMap<(Place<'_>, usize, &str), &FragmentSlot> = HashMap::new();
        let mut alike = Alike::default();
        for (slot, text) in texts {
            let (table, place) = match slot {
                FragmentSlot::ColumnDefault { table, column } => (table, Place::Default(column)),
                FragmentSlot::ColumnGenerated { table, column } => {
                    (table, Place::Generated(column))
                }
                FragmentSlot::Check { table, .. } => (table, Place::Check),
                FragmentSlot::IndexKey { table, .. } => (table, Place::IndexKey),
                FragmentSlot::IndexPredicate { table, .. } => (table, Place::IndexPredicate),
                FragmentSlot::TriggerWhen { table, .. } => (table, Place::TriggerWhen),
                FragmentSlot::PolicyUsing { table, .. } => (table, Place::PolicyUsing),
                FragmentSlot::PolicyWithCheck { table, .. } => (table, Place::PolicyWithCheck),
                _ => continue,
            };
            // Not a table (a trigger on a view), or a partition, whose bound and parent the
            // rest of its tree would have to come along: created as asked.
            let Some(t) = tables.get(table).filter(|t| t.partition_of.is_none()) else {
                continue;
            };
            let next = lists.len();
            let list = *list_of.entry(table).or_insert_with(|| {
                let columns = t
                    .columns
                    .iter()
                    .map(|c| {
                        (
                            c.name.as_str(),
                            c.data_type.to_string(),
                            c.collation.as_deref(),
                        )
                    })
                    .collect();
                *lists.entry(columns).or_insert(next)
            });
            match seen.entry((place, list, text.as_str())) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    alike.copies.insert(slot.clone(), (*e.get()).clone());
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(slot);
                }
            }
        }
        alike
    }
}

/// What [`holding`] keeps of `first` for the fragments in `texts`, which take those texts.
/// Extensions are the declared ones: each build starts from the state before the declaration
/// was created.
fn round_schema(
    extensions: &[Extension],
    first: &Schema,
    texts: &BTreeMap<FragmentSlot, String>,
    every_table: bool,
) -> Schema {
    let slots: BTreeSet<FragmentSlot> = texts.keys().cloned().collect();
    let mut s = holding(first, &slots, every_table);
    s.extensions = extensions.to_vec();
    for_each_fragment_mut(&mut s, &mut |slot, text| {
        if let Some(asked) = texts.get(&slot) {
            text.clone_from(asked);
        }
    });
    s
}
