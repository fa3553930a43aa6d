//! Print chains: every text the server may print for one SQL fragment of a declared schema, so
//! a live fragment created from an older print compares equal without re-printing it.
//!
//! PostgreSQL's printer is not idempotent: `status IN ('a', 'b')` on a `varchar` column prints
//! as `status::text = ANY (ARRAY['a'::character varying, ...]::text[])`, and that text, run
//! again (a dump restore, `psql -f` of a previous print), builds a different expression that
//! prints as `ARRAY['a'::character varying::text, ...]`. Introspection never writes, so the
//! live side is read as printed. Instead canonicalization, which creates the declared schema in
//! scratch schemas anyway, follows each fragment's chain (declared text, the server's print of
//! it, the print of that, ... to a fixed point) and records every form; [`PrintChains::adopt`]
//! then replaces a live fragment equal to any form of its chain by the canonical text, before
//! the pure [`diff`](crate::diff()) sees it. A new object kind with SQL fragments adds a
//! [`FragmentSlot`] variant and one arm to [`for_each_fragment_mut`]; one that tables or
//! fragments can depend on is kept by [`holding`]. Covered: column defaults and generation
//! expressions, checks, index keys and predicates, partition keys, view queries, trigger
//! conditions, policy expressions, domain defaults and checks, SQL-standard function bodies and
//! argument defaults.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::*;
use crate::render::SqlType;

/// Where a SQL fragment sits in a schema, by the names of the objects holding it, so the same
/// fragment is found in a declared, a canonical and a live schema whatever their order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FragmentSlot {
    /// The default of a column.
    ColumnDefault {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: String,
    },
    /// The generation expression of a generated column.
    ColumnGenerated {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: String,
    },
    /// The expression of a check constraint.
    Check {
        /// The table.
        table: QualifiedName,
        /// The constraint.
        constraint: String,
    },
    /// A key of an index that is an expression.
    IndexKey {
        /// The table.
        table: QualifiedName,
        /// The index.
        index: String,
        /// The key's position, from 0.
        position: usize,
    },
    /// The predicate of a partial index.
    IndexPredicate {
        /// The table.
        table: QualifiedName,
        /// The index.
        index: String,
    },
    /// The query of a view.
    ViewQuery {
        /// The view.
        view: QualifiedName,
    },
    /// The `WHEN` condition of a trigger.
    TriggerWhen {
        /// The table (or view) the trigger is on.
        table: QualifiedName,
        /// The trigger.
        trigger: String,
    },
    /// The `USING` expression of a policy.
    PolicyUsing {
        /// The table.
        table: QualifiedName,
        /// The policy.
        policy: String,
    },
    /// The `WITH CHECK` expression of a policy.
    PolicyWithCheck {
        /// The table.
        table: QualifiedName,
        /// The policy.
        policy: String,
    },
    /// The default of a domain.
    DomainDefault {
        /// The domain.
        domain: QualifiedName,
    },
    /// The expression of a domain's check.
    DomainCheck {
        /// The domain.
        domain: QualifiedName,
        /// The check.
        constraint: String,
    },
    /// A key of a partitioned table that is an expression.
    PartitionKey {
        /// The partitioned table.
        table: QualifiedName,
        /// The key's position, from 0.
        position: usize,
    },
    /// An SQL-standard function body (`RETURN ...` / `BEGIN ATOMIC ... END`).
    FunctionBody {
        /// The function.
        function: QualifiedName,
        /// Its input argument types, as they identify an overload.
        inputs: Vec<String>,
    },
    /// The default of a function argument.
    ArgumentDefault {
        /// The function.
        function: QualifiedName,
        /// Its input argument types, as they identify an overload.
        inputs: Vec<String>,
        /// The argument's position, from 0.
        position: usize,
    },
}

impl FragmentSlot {
    /// The same slot with every object name passed through `name` and every type text through
    /// `text` (canonicalization maps its scratch schemas back with these).
    pub fn map(
        &self,
        name: &dyn Fn(&QualifiedName) -> QualifiedName,
        text: &dyn Fn(&str) -> String,
    ) -> FragmentSlot {
        use FragmentSlot::*;
        match self {
            ColumnDefault { table, column } => ColumnDefault {
                table: name(table),
                column: column.clone(),
            },
            ColumnGenerated { table, column } => ColumnGenerated {
                table: name(table),
                column: column.clone(),
            },
            Check { table, constraint } => Check {
                table: name(table),
                constraint: constraint.clone(),
            },
            IndexKey {
                table,
                index,
                position,
            } => IndexKey {
                table: name(table),
                index: index.clone(),
                position: *position,
            },
            IndexPredicate { table, index } => IndexPredicate {
                table: name(table),
                index: index.clone(),
            },
            ViewQuery { view } => ViewQuery { view: name(view) },
            TriggerWhen { table, trigger } => TriggerWhen {
                table: name(table),
                trigger: trigger.clone(),
            },
            PolicyUsing { table, policy } => PolicyUsing {
                table: name(table),
                policy: policy.clone(),
            },
            PolicyWithCheck { table, policy } => PolicyWithCheck {
                table: name(table),
                policy: policy.clone(),
            },
            DomainDefault { domain } => DomainDefault {
                domain: name(domain),
            },
            DomainCheck { domain, constraint } => DomainCheck {
                domain: name(domain),
                constraint: constraint.clone(),
            },
            PartitionKey { table, position } => PartitionKey {
                table: name(table),
                position: *position,
            },
            FunctionBody { function, inputs } => FunctionBody {
                function: name(function),
                inputs: inputs.iter().map(|t| text(t)).collect(),
            },
            ArgumentDefault {
                function,
                inputs,
                position,
            } => ArgumentDefault {
                function: name(function),
                inputs: inputs.iter().map(|t| text(t)).collect(),
                position: *position,
            },
        }
    }
}

/// The input argument types of `func`, as they identify an overload (`OUT` arguments do not,
/// except for procedures).
fn function_inputs(func: &Function) -> Vec<String> {
    func.args
        .iter()
        .filter(|a| func.is_procedure || a.mode != ArgMode::Out)
        .map(|a| SqlType(&a.data_type).to_string())
        .collect()
}

/// The walk over every SQL fragment, written once for [`for_each_fragment_mut`] (`$m` is
/// `mut`, `$iter` `iter_mut`) and [`for_each_fragment`] (nothing, `iter`), so the two cannot
/// drift apart.
macro_rules! walk_fragments {
    ($schema:ident, $f:ident, $iter:ident, $($m:tt)*) => {{
        let f = $f;
        let schema = $schema;
        for domain in & $($m)* schema.domains {
            if let Some(x) = & $($m)* domain.default {
                let slot = FragmentSlot::DomainDefault {
                    domain: domain.name.clone(),
                };
                f(slot, x);
            }
            for check in & $($m)* domain.checks {
                let slot = FragmentSlot::DomainCheck {
                    domain: domain.name.clone(),
                    constraint: check.name.clone(),
                };
                f(slot, & $($m)* check.expr);
            }
        }
        for table in & $($m)* schema.tables {
            let name = &table.name;
            let keys = table.partition_by.$iter().flat_map(|k| & $($m)* k.elements);
            for (position, element) in keys.enumerate() {
                if let IndexTarget::Expression(x) = & $($m)* element.target {
                    let slot = FragmentSlot::PartitionKey {
                        table: name.clone(),
                        position,
                    };
                    f(slot, x);
                }
            }
            for column in & $($m)* table.columns {
                if let Some(x) = & $($m)* column.default {
                    let slot = FragmentSlot::ColumnDefault {
                        table: name.clone(),
                        column: column.name.clone(),
                    };
                    f(slot, x);
                }
                if let Some(x) = & $($m)* column.generated {
                    let slot = FragmentSlot::ColumnGenerated {
                        table: name.clone(),
                        column: column.name.clone(),
                    };
                    f(slot, x);
                }
            }
            for constraint in & $($m)* table.constraints {
                if let ConstraintKind::Check { expr } = & $($m)* constraint.kind {
                    let slot = FragmentSlot::Check {
                        table: name.clone(),
                        constraint: constraint.name.clone(),
                    };
                    f(slot, expr);
                }
            }
            for index in & $($m)* table.indexes {
                for (position, element) in index.elements.$iter().enumerate() {
                    if let IndexTarget::Expression(x) = & $($m)* element.target {
                        let slot = FragmentSlot::IndexKey {
                            table: name.clone(),
                            index: index.name.clone(),
                            position,
                        };
                        f(slot, x);
                    }
                }
                if let Some(x) = & $($m)* index.predicate {
                    let slot = FragmentSlot::IndexPredicate {
                        table: name.clone(),
                        index: index.name.clone(),
                    };
                    f(slot, x);
                }
            }
        }
        for view in & $($m)* schema.views {
            f(
                FragmentSlot::ViewQuery {
                    view: view.name.clone(),
                },
                & $($m)* view.query,
            );
        }
        for trigger in & $($m)* schema.triggers {
            if let Some(x) = & $($m)* trigger.when {
                let slot = FragmentSlot::TriggerWhen {
                    table: trigger.table.clone(),
                    trigger: trigger.name.clone(),
                };
                f(slot, x);
            }
        }
        for policy in & $($m)* schema.policies {
            if let Some(x) = & $($m)* policy.using {
                let slot = FragmentSlot::PolicyUsing {
                    table: policy.table.clone(),
                    policy: policy.name.clone(),
                };
                f(slot, x);
            }
            if let Some(x) = & $($m)* policy.with_check {
                let slot = FragmentSlot::PolicyWithCheck {
                    table: policy.table.clone(),
                    policy: policy.name.clone(),
                };
                f(slot, x);
            }
        }
        for func in & $($m)* schema.functions {
            let inputs = function_inputs(func);
            if func.has_sql_body() {
                let slot = FragmentSlot::FunctionBody {
                    function: func.name.clone(),
                    inputs: inputs.clone(),
                };
                f(slot, & $($m)* func.body);
            }
            for (position, arg) in func.args.$iter().enumerate() {
                if let Some(x) = & $($m)* arg.default {
                    let slot = FragmentSlot::ArgumentDefault {
                        function: func.name.clone(),
                        inputs: inputs.clone(),
                        position,
                    };
                    f(slot, x);
                }
            }
        }
    }};
}

/// Calls `f` with the slot and the text of every SQL fragment of `schema`, in a fixed order.
pub fn for_each_fragment_mut(schema: &mut Schema, f: &mut dyn FnMut(FragmentSlot, &mut String)) {
    walk_fragments!(schema, f, iter_mut, mut)
}

/// [`for_each_fragment_mut`] over a shared schema: the same slots, in the same order.
pub fn for_each_fragment<'a>(schema: &'a Schema, f: &mut dyn FnMut(FragmentSlot, &'a str)) {
    walk_fragments!(schema, f, iter,)
}

/// Every SQL fragment of `schema` by its slot.
pub fn fragments(schema: &Schema) -> BTreeMap<FragmentSlot, String> {
    // Walked in place: a copy of the schema to walk it mutably was a quarter of a no-op
    // `pgdecl diff`'s client time (issue 12).
    let mut out = BTreeMap::new();
    for_each_fragment(schema, &mut |slot, text| {
        out.insert(slot, text.to_string());
    });
    out
}

/// The part of `schema` that creating the fragments at `slots` needs, without any other
/// fragment, so following their print chains costs what they ask, not a whole schema load:
///
/// - the tables holding them (every table when `every_table`, or when a view or a trigger on a
///   view is among them, since a query may read any table), without foreign keys, other
///   checks, defaults, generation expressions or indexes, identity or serial sequences and
///   comments, and without primary and unique keys unless views are kept (a view may depend
///   on a primary key: `GROUP BY id`);
/// - the views, when one is among them; the triggers among them;
/// - every namespace, extension, type, sequence (not owned: its table may be left out) and
///   function, since a fragment may use any of them.
pub fn holding(schema: &Schema, slots: &BTreeSet<FragmentSlot>, every_table: bool) -> Schema {
    let mut tables_asked: BTreeSet<&QualifiedName> = BTreeSet::new();
    let mut indexes: BTreeSet<(&QualifiedName, &str)> = BTreeSet::new();
    let mut views = false;
    let table_names: BTreeSet<&QualifiedName> = schema.tables.iter().map(|t| &t.name).collect();
    for slot in slots {
        match slot {
            FragmentSlot::ColumnDefault { table, .. }
            | FragmentSlot::ColumnGenerated { table, .. }
            | FragmentSlot::Check { table, .. } => {
                tables_asked.insert(table);
            }
            FragmentSlot::IndexKey { table, index, .. }
            | FragmentSlot::IndexPredicate { table, index } => {
                tables_asked.insert(table);
                indexes.insert((table, index));
            }
            FragmentSlot::TriggerWhen { table, .. } => {
                if table_names.contains(table) {
                    tables_asked.insert(table);
                } else {
                    views = true;
                }
            }
            FragmentSlot::ViewQuery { .. } => views = true,
            // A policy's expressions may read any table or view.
            FragmentSlot::PolicyUsing { .. } | FragmentSlot::PolicyWithCheck { .. } => {
                views = true;
            }
            FragmentSlot::PartitionKey { table, .. } => {
                tables_asked.insert(table);
            }
            // Domains are kept whole (a type), as are functions.
            FragmentSlot::DomainDefault { .. }
            | FragmentSlot::DomainCheck { .. }
            | FragmentSlot::ArgumentDefault { .. } => {}
            // An SQL-standard body may read any table or view.
            FragmentSlot::FunctionBody { .. } => views = true,
        }
    }
    // Functions are kept whole, and one may take or return a table's row type; a kept table
    // may have a column of another's: keep those tables too, or the round does not load (and
    // is built again with every table).
    let row_type = |t: &crate::types::DataType| {
        let schema = t.schema.as_ref()?;
        table_names
            .get(&QualifiedName::new(schema.clone(), t.name.clone()))
            .copied()
    };
    for func in &schema.functions {
        tables_asked.extend(crate::render::signature_types(func).filter_map(row_type));
    }
    let mut todo: Vec<&QualifiedName> = tables_asked.iter().copied().collect();
    while let Some(name) = todo.pop() {
        for column in schema.table(name).map_or(&[][..], |t| &t.columns[..]) {
            if let Some(other) = row_type(&column.data_type) {
                if tables_asked.insert(other) {
                    todo.push(other);
                }
            }
        }
    }
    // A partition is created under its parent: keep the parents of every table kept.
    let mut parents: Vec<&QualifiedName> = Vec::new();
    for table in &tables_asked {
        let mut at = schema.table(table);
        while let Some(of) = at.and_then(|t| t.partition_of.as_ref()) {
            if parents.contains(&&of.parent) {
                break;
            }
            parents.push(&of.parent);
            at = schema.table(&of.parent);
        }
    }
    tables_asked.extend(parents);
    let asked = |slot: FragmentSlot| slots.contains(&slot);
    // Only what is kept is copied: a round of a few fragments held a copy of every table
    // (issue 12: memory and time at 10,000 tables).
    let mut out = Schema {
        extensions: schema.extensions.clone(),
        schemas: schema.schemas.clone(),
        enums: schema.enums.clone(),
        domains: schema.domains.clone(),
        composites: schema.composites.clone(),
        ranges: schema.ranges.clone(),
        sequences: schema.sequences.clone(),
        functions: schema.functions.clone(),
        aggregates: schema.aggregates.clone(),
        tables: schema
            .tables
            .iter()
            .filter(|t| every_table || views || tables_asked.contains(&t.name))
            .cloned()
            .collect(),
        views: if views {
            schema.views.clone()
        } else {
            Vec::new()
        },
        triggers: schema
            .triggers
            .iter()
            .filter(|t| {
                asked(FragmentSlot::TriggerWhen {
                    table: t.table.clone(),
                    trigger: t.name.clone(),
                })
            })
            .cloned()
            .collect(),
        // Row-level security prints nothing; policies keep only the expressions asked for.
        row_security: Vec::new(),
        policies: schema.policies.clone(),
        grants: schema.grants.clone(),
        default_privileges: schema.default_privileges.clone(),
    };
    for table in &mut out.tables {
        let name = table.name.clone();
        table.comment = None;
        for column in &mut table.columns {
            // No identity or serial sequences: no fragment prints differently without them,
            // and each would be one more relation to create.
            column.identity = None;
            if let Some(base) = column.data_type.serial_base() {
                column.data_type = base;
            }
            column.comment = None;
            if !asked(FragmentSlot::ColumnDefault {
                table: name.clone(),
                column: column.name.clone(),
            }) {
                column.default = None;
            }
            if !asked(FragmentSlot::ColumnGenerated {
                table: name.clone(),
                column: column.name.clone(),
            }) {
                column.generated = None;
            }
        }
        table.constraints.retain(|k| match &k.kind {
            ConstraintKind::Check { .. } => asked(FragmentSlot::Check {
                table: name.clone(),
                constraint: k.name.clone(),
            }),
            // Exclusion constraints hold no fragment on a chain (their elements and predicate
            // are compared as the server prints them).
            ConstraintKind::ForeignKey { .. } | ConstraintKind::Exclusion { .. } => false,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } => views,
        });
        table
            .indexes
            .retain(|i| indexes.contains(&(&name, i.name.as_str())));
    }
    out.policies.retain_mut(|p| {
        let using = FragmentSlot::PolicyUsing {
            table: p.table.clone(),
            policy: p.name.clone(),
        };
        let with_check = FragmentSlot::PolicyWithCheck {
            table: p.table.clone(),
            policy: p.name.clone(),
        };
        if !asked(using) {
            p.using = None;
        }
        if !asked(with_check) {
            p.with_check = None;
        }
        p.comment = None;
        p.using.is_some() || p.with_check.is_some()
    });
    for sequence in &mut out.sequences {
        sequence.owned_by = None;
    }
    // An SQL-standard body not asked for would be parsed against tables and views left out:
    // as a quoted body it is not (scratch builds run with `check_function_bodies = off`), and
    // nothing prints it.
    for func in &mut out.functions {
        let slot = FragmentSlot::FunctionBody {
            function: func.name.clone(),
            inputs: function_inputs(func),
        };
        if func.has_sql_body() && !asked(slot) {
            func.body_style = BodyStyle::Quoted;
        }
    }
    out
}

/// The texts the server may print for one fragment besides its canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintChain {
    /// Which fragment.
    pub slot: FragmentSlot,
    /// The other forms of its chain: the declared text, each print of it, each print of that,
    /// up to the fixed point; a live fragment holding one of them holds the declared one.
    pub forms: Vec<String>,
}

/// The print chains of a canonicalized schema (only fragments that have other forms).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PrintChains {
    chains: Vec<PrintChain>,
}

impl PrintChains {
    /// Chains in slot order, without empty ones or repeated forms.
    pub fn new(chains: impl IntoIterator<Item = PrintChain>) -> PrintChains {
        let mut by_slot: BTreeMap<FragmentSlot, Vec<String>> = BTreeMap::new();
        for chain in chains {
            let forms = by_slot.entry(chain.slot).or_default();
            for form in chain.forms {
                if !forms.contains(&form) {
                    forms.push(form);
                }
            }
        }
        PrintChains {
            chains: by_slot
                .into_iter()
                .filter(|(_, forms)| !forms.is_empty())
                .map(|(slot, forms)| PrintChain { slot, forms })
                .collect(),
        }
    }

    /// The chains, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = &PrintChain> {
        self.chains.iter()
    }

    /// How many fragments have other forms.
    pub fn len(&self) -> usize {
        self.chains.len()
    }

    /// True when no fragment has another form.
    pub fn is_empty(&self) -> bool {
        self.chains.is_empty()
    }

    /// The other forms of the fragment at `slot`.
    pub fn forms(&self, slot: &FragmentSlot) -> &[String] {
        self.chains
            .binary_search_by(|c| c.slot.cmp(slot))
            .map_or(&[], |i| &self.chains[i].forms)
    }

    /// Replaces every fragment of `live` that equals a form on its chain by the text
    /// `canonical` holds at the same slot, so the diff sees equality; returns how many.
    /// Fragments off their chain stay as read and show as differences.
    pub fn adopt(&self, live: &mut Schema, canonical: &Schema) -> usize {
        if self.chains.is_empty() {
            return 0;
        }
        // The canonical fragments in walk order, their texts borrowed. A live schema read from
        // a database in sync walks to the same slots in the same order: each live fragment is
        // compared with the one at its place, and a chain is looked up only for a text that
        // differs (issue 12: three walks, a set and a map of owned slots were half of a cached
        // plan's client time at 10,000 tables). Out of step (a fragment only one side has),
        // the rest is looked up by slot.
        let mut canon: Vec<(FragmentSlot, &str)> = Vec::new();
        for_each_fragment(canonical, &mut |slot, text| canon.push((slot, text)));
        let mut by_slot: Option<HashMap<&FragmentSlot, &str>> = None;
        let (mut at, mut adopted) = (0, 0);
        for_each_fragment_mut(live, &mut |slot, text| {
            let target = match canon.get(at) {
                Some((s, t)) if by_slot.is_none() && *s == slot => Some(*t),
                _ => by_slot
                    .get_or_insert_with(|| canon.iter().map(|(s, t)| (s, *t)).collect())
                    .get(&slot)
                    .copied(),
            };
            at += 1;
            let Some(target) = target else {
                return;
            };
            if text != target && self.forms(&slot).iter().any(|form| form == text) {
                text.clear();
                text.push_str(target);
                adopted += 1;
            }
        });
        adopted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::*;
    use crate::DataType;

    fn schema(check: &str, default: &str) -> Schema {
        Schema::builder()
            .table(
                TableDef::new("t")
                    .column(ColumnDef::new("s", DataType::parse("varchar(5)").unwrap()))
                    .column(
                        ColumnDef::new("n", DataType::parse("integer").unwrap())
                            .default_sql(default),
                    )
                    .check(check),
            )
            .build()
    }

    fn check_slot(s: &Schema) -> FragmentSlot {
        fragments(s)
            .into_keys()
            .find(|k| matches!(k, FragmentSlot::Check { .. }))
            .unwrap()
    }

    /// A canonical check over a varchar IN list and its chain: the print it moves from.
    fn varchar_chain() -> (Schema, PrintChains) {
        let canonical = schema(
            "s::text = ANY (ARRAY['a'::varchar]::text[])",
            "'-1'::integer",
        );
        let chains = PrintChains::new([PrintChain {
            slot: check_slot(&canonical),
            forms: vec!["s::text = ANY (ARRAY['a'::varchar::text])".into()],
        }]);
        (canonical, chains)
    }

    #[test]
    fn a_live_fragment_on_its_chain_takes_the_canonical_text() {
        let (canonical, chains) = varchar_chain();
        let mut live = schema("s::text = ANY (ARRAY['a'::varchar::text])", "'-1'::integer");
        assert_eq!(chains.adopt(&mut live, &canonical), 1);
        assert_eq!(live, canonical);

        // Off the chain (another list), the live text stays and the diff sees it.
        let mut other = schema("s::text = ANY (ARRAY['b'::varchar::text])", "'-1'::integer");
        assert_eq!(chains.adopt(&mut other, &canonical), 0);
        assert_ne!(other, canonical);
    }

    #[test]
    fn a_live_schema_out_of_step_is_matched_by_slot() {
        let (canonical, chains) = varchar_chain();
        // A table only the live side has, walked first: every later fragment is out of step.
        let mut live = schema("s::text = ANY (ARRAY['a'::varchar::text])", "'-1'::integer");
        let mut extra = live.tables[0].clone();
        extra.name.name = "a_first".into();
        live.tables.insert(0, extra);
        assert_eq!(chains.adopt(&mut live, &canonical), 1);
        assert_eq!(live.tables[1], canonical.tables[0]);
        // The extra table has no canonical counterpart: left as read.
        assert_ne!(live.tables[0].constraints, canonical.tables[0].constraints);
    }

    #[test]
    fn chains_are_per_slot_and_serialize() {
        let canonical = schema("s <> ''", "1");
        let slot = check_slot(&canonical);
        let chains = PrintChains::new([
            PrintChain {
                slot: slot.clone(),
                forms: vec!["x".into(), "y".into()],
            },
            PrintChain {
                slot: slot.clone(),
                forms: vec!["y".into(), "z".into()],
            },
            PrintChain {
                slot: FragmentSlot::ViewQuery {
                    view: QualifiedName::public("v"),
                },
                forms: vec![],
            },
        ]);
        assert_eq!(chains.len(), 1);
        assert_eq!(chains.forms(&slot), ["x", "y", "z"]);
        let json = serde_json::to_string(&chains).unwrap();
        assert_eq!(serde_json::from_str::<PrintChains>(&json).unwrap(), chains);

        // The same text at another slot (the default) is not taken for the check's form.
        let mut live = schema("s <> ''", "x");
        assert_eq!(chains.adopt(&mut live, &canonical), 0);
    }

    #[test]
    fn holding_keeps_only_what_the_fragments_need() {
        let int = || DataType::parse("integer").unwrap();
        let s = Schema::builder()
            .table(TableDef::new("a").column(ColumnDef::new("id", int()).primary_key()))
            .table(
                TableDef::new("b")
                    .column(ColumnDef::new("id", int()).primary_key())
                    .column(ColumnDef::new("x", int()).default_sql("1").check("x > 0"))
                    .foreign_key(["id"], "a")
                    .index(IndexDef::on_columns(["x"]).named("b_x"))
                    .index(IndexDef::new().named("b_e").expression("x + 1")),
            )
            .view(View::new("v", "SELECT id FROM a"))
            .build();
        let check = check_slot(&s);
        let only_check = holding(&s, &[check.clone()].into(), false);
        assert_eq!(only_check.tables.len(), 1);
        let b = &only_check.tables[0];
        assert_eq!(b.name.name, "b");
        assert_eq!(b.constraints.len(), 1, "{:?}", b.constraints);
        assert!(b.indexes.is_empty() && b.columns[1].default.is_none());
        assert!(only_check.views.is_empty());
        assert_eq!(
            fragments(&only_check).into_keys().collect::<Vec<_>>(),
            std::slice::from_ref(&check)
        );

        // A view reads any table, and may need a primary key.
        let view = FragmentSlot::ViewQuery {
            view: QualifiedName::public("v"),
        };
        let with_view = holding(&s, &[view].into(), false);
        assert_eq!(with_view.tables.len(), 2);
        assert_eq!(with_view.views.len(), 1);
        assert!(with_view.tables[0].primary_key().is_some());
        assert_eq!(holding(&s, &[check].into(), true).tables.len(), 2);
    }

    #[test]
    fn every_fragment_kind_has_a_slot() {
        let int = || DataType::parse("integer").unwrap();
        let s = Schema::builder()
            .function(
                Function::new("f")
                    .arg(FunctionArg::new("a", int()).default_sql("1"))
                    .returns(int())
                    .language("sql")
                    .body("SELECT a"),
            )
            .table(
                TableDef::new("t")
                    .column(ColumnDef::new("a", int()).default_sql("1"))
                    .column(ColumnDef::new("b", int()).generated_stored("a + 1"))
                    .check("a > 0")
                    .index(
                        IndexDef::new()
                            .named("t_i")
                            .expression("a + 1")
                            .where_sql("a > 1"),
                    ),
            )
            .view(View::new("v", "SELECT a FROM t"))
            .function(Function::new("g").returns(int()).return_sql("1 + 1"))
            .domain(
                DomainDef::new("d", int())
                    .default_sql("1")
                    .named_check("d_positive", "VALUE > 0"),
            )
            .table(
                TableDef::new("p")
                    .column(ColumnDef::new("a", int()))
                    .partition_by(PartitionKey::range(["a"]).expression("a + 1")),
            )
            .build();
        let kinds: Vec<String> = fragments(&s)
            .keys()
            .map(|k| {
                format!("{k:?}")
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "ColumnDefault",
                "ColumnGenerated",
                "Check",
                "IndexKey",
                "IndexPredicate",
                "ViewQuery",
                "DomainDefault",
                "DomainCheck",
                "PartitionKey",
                "FunctionBody",
                "ArgumentDefault"
            ]
        );
    }
}
