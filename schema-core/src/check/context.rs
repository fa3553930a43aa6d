//! What every rule reads, built once per [`check`](super::check): lookups by name, the SQL
//! fragments parsed once, and walks over every declared name and every used type.

use std::collections::{HashMap, HashSet};

use sqlparser::ast::Expr;

use super::location::{
    ColumnPart, CompositePart, ConstraintPart, DomainPart, EnumPart, ExtensionPart, FunctionPart,
    IndexPart, Location, PolicyPart, RangePart, SequencePart, TablePart, TriggerPart, ViewPart,
};
use crate::expr::ExprError;
use crate::expr_memo::ExprMemo;
use crate::model::{ConstraintKind, Function, IndexTarget, QualifiedName, Returns, Schema, Table};
use crate::types::DataType;

/// The schema under check with its lookups: names to indexes, and each SQL fragment parsed once.
pub(crate) struct Context<'a> {
    /// The schema under check.
    pub(crate) schema: &'a Schema,
    /// Table names to indexes into [`Schema::tables`].
    pub(crate) tables: HashMap<&'a QualifiedName, usize>,
    /// View names to indexes into [`Schema::views`].
    pub(crate) views: HashMap<&'a QualifiedName, usize>,
    /// Enum names to indexes into [`Schema::enums`].
    pub(crate) enums: HashMap<&'a QualifiedName, usize>,
    /// Function names to the indexes of their overloads in [`Schema::functions`], in order:
    /// rules look functions up per trigger or grant, thousands of each in a large schema.
    functions: HashMap<&'a QualifiedName, Vec<usize>>,
    /// The declared sequences.
    pub(crate) sequences: HashSet<&'a QualifiedName>,
    /// Every declared type name: enums, domains, composite and range types, the ranges'
    /// multirange types, and the row types of tables and views (a function may return
    /// `setof users`).
    pub(crate) types: HashSet<QualifiedName>,
    /// The declared schemas.
    pub(crate) namespaces: HashSet<&'a str>,
    /// The declared extensions.
    pub(crate) extensions: HashSet<&'a str>,
    /// The parsed SQL fragments of each table, by index into [`Schema::tables`].
    pub(crate) exprs: Vec<TableExprs>,
    /// The parsed SQL fragments of each domain, by index into [`Schema::domains`].
    pub(crate) domain_exprs: Vec<DomainExprs>,
}

/// The parsed SQL fragments of one domain.
pub(crate) struct DomainExprs {
    /// Its default.
    pub(crate) default: Option<Result<Expr, ExprError>>,
    /// Its checks, by index.
    pub(crate) checks: Vec<Result<Expr, ExprError>>,
}

/// The parsed SQL fragments of one table, by the same indexes as the table's vectors.
pub(crate) struct TableExprs {
    /// Column defaults, by column.
    pub(crate) defaults: Vec<Option<Result<Expr, ExprError>>>,
    /// Generation expressions, by column.
    pub(crate) generated: Vec<Option<Result<Expr, ExprError>>>,
    /// `using` conversion expressions, by column.
    pub(crate) usings: Vec<Option<Result<Expr, ExprError>>>,
    /// Check expressions, by constraint.
    pub(crate) checks: Vec<Option<Result<Expr, ExprError>>>,
    /// Index predicates, by index.
    pub(crate) predicates: Vec<Option<Result<Expr, ExprError>>>,
    /// Expression key elements, by index and element.
    pub(crate) elements: Vec<Vec<Option<Result<Expr, ExprError>>>>,
}

impl<'a> Context<'a> {
    /// Builds the lookups and parses every fragment of `schema`.
    pub(crate) fn new(schema: &'a Schema) -> Context<'a> {
        // The first declaration wins; later ones are duplicates and reported as such.
        let mut tables = HashMap::new();
        for (i, t) in schema.tables.iter().enumerate() {
            tables.entry(&t.name).or_insert(i);
        }
        let mut views = HashMap::new();
        for (i, v) in schema.views.iter().enumerate() {
            views.entry(&v.name).or_insert(i);
        }
        let mut enums = HashMap::new();
        for (i, e) in schema.enums.iter().enumerate() {
            enums.entry(&e.name).or_insert(i);
        }
        let mut functions: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, f) in schema.functions.iter().enumerate() {
            functions.entry(&f.name).or_default().push(i);
        }
        // Each distinct fragment parsed once: schemas repeat their defaults and checks.
        let memo = ExprMemo::new();
        let parse = |s: &Option<String>| s.as_deref().map(|sql| memo.parse(sql));
        let exprs = schema
            .tables
            .iter()
            .map(|t| TableExprs {
                defaults: t.columns.iter().map(|c| parse(&c.default)).collect(),
                generated: t.columns.iter().map(|c| parse(&c.generated)).collect(),
                usings: t.columns.iter().map(|c| parse(&c.using)).collect(),
                checks: t
                    .constraints
                    .iter()
                    .map(|c| match &c.kind {
                        ConstraintKind::Check { expr } => Some(memo.parse(expr)),
                        _ => None,
                    })
                    .collect(),
                predicates: t.indexes.iter().map(|i| parse(&i.predicate)).collect(),
                elements: t
                    .indexes
                    .iter()
                    .map(|i| {
                        i.elements
                            .iter()
                            .map(|e| match &e.target {
                                IndexTarget::Expression(sql) => Some(memo.parse(sql)),
                                IndexTarget::Column(_) => None,
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        let types = schema
            .enums
            .iter()
            .map(|e| e.name.clone())
            .chain(schema.domains.iter().map(|d| d.name.clone()))
            .chain(schema.composites.iter().map(|c| c.name.clone()))
            .chain(schema.ranges.iter().map(|r| r.name.clone()))
            .chain(schema.ranges.iter().map(|r| r.multirange_name()))
            .chain(schema.tables.iter().map(|t| t.name.clone()))
            .chain(schema.views.iter().map(|v| v.name.clone()))
            .collect();
        let domain_exprs = schema
            .domains
            .iter()
            .map(|d| DomainExprs {
                default: parse(&d.default),
                checks: d.checks.iter().map(|c| memo.parse(&c.expr)).collect(),
            })
            .collect();
        Context {
            schema,
            tables,
            views,
            enums,
            functions,
            sequences: schema.sequences.iter().map(|q| &q.name).collect(),
            types,
            domain_exprs,
            namespaces: schema.schemas.iter().map(|s| s.name.as_str()).collect(),
            extensions: schema.extensions.iter().map(|e| e.name.as_str()).collect(),
            exprs,
        }
    }

    /// The functions (every overload) declared under `name`, in declaration order.
    pub(crate) fn functions_named<'s>(
        &'s self,
        name: &QualifiedName,
    ) -> impl Iterator<Item = &'a Function> + 's {
        let schema = self.schema;
        self.functions
            .get(name)
            .into_iter()
            .flatten()
            .map(move |&i| &schema.functions[i])
    }

    /// The first table declared under `name`.
    pub(crate) fn table(&self, name: &QualifiedName) -> Option<&'a Table> {
        self.tables.get(name).map(|&i| &self.schema.tables[i])
    }

    /// Every type the schema uses, with where it is used.
    pub(crate) fn type_uses(&self) -> Vec<(&'a DataType, Location)> {
        let s = self.schema;
        let mut uses = Vec::new();
        for (t, table) in s.tables.iter().enumerate() {
            for (c, column) in table.columns.iter().enumerate() {
                uses.push((
                    &column.data_type,
                    Location::Column {
                        table: t,
                        column: c,
                        part: ColumnPart::Type,
                    },
                ));
            }
        }
        for (i, d) in s.domains.iter().enumerate() {
            uses.push((
                &d.data_type,
                Location::Domain {
                    domain: i,
                    part: DomainPart::Type,
                },
            ));
        }
        for (i, c) in s.composites.iter().enumerate() {
            for (a, attribute) in c.attributes.iter().enumerate() {
                uses.push((
                    &attribute.data_type,
                    Location::Composite {
                        composite: i,
                        part: CompositePart::AttributeType(a),
                    },
                ));
            }
        }
        for (i, r) in s.ranges.iter().enumerate() {
            uses.push((
                &r.subtype,
                Location::Range {
                    range: i,
                    part: RangePart::Subtype,
                },
            ));
        }
        for (i, seq) in s.sequences.iter().enumerate() {
            if let Some(ty) = &seq.data_type {
                uses.push((
                    ty,
                    Location::Sequence {
                        sequence: i,
                        part: SequencePart::Type,
                    },
                ));
            }
        }
        for (f, func) in s.functions.iter().enumerate() {
            for (a, arg) in func.args.iter().enumerate() {
                uses.push((
                    &arg.data_type,
                    Location::Function {
                        function: f,
                        part: FunctionPart::ArgType(a),
                    },
                ));
            }
            match &func.returns {
                Some(Returns::Type(ty) | Returns::SetOf(ty)) => uses.push((
                    ty,
                    Location::Function {
                        function: f,
                        part: FunctionPart::Returns,
                    },
                )),
                Some(Returns::Table(columns)) => {
                    for (c, (_, ty)) in columns.iter().enumerate() {
                        uses.push((
                            ty,
                            Location::Function {
                                function: f,
                                part: FunctionPart::ReturnsColumn(c),
                            },
                        ));
                    }
                }
                None => {}
            }
        }
        uses
    }
}

/// Every declared name with its location: what the name rules look at.
pub(crate) fn declared_names(s: &Schema) -> Vec<(&str, Location)> {
    let mut names: Vec<(&str, Location)> = Vec::new();
    for (i, e) in s.extensions.iter().enumerate() {
        names.push((
            &e.name,
            Location::Extension {
                extension: i,
                part: ExtensionPart::Name,
            },
        ));
    }
    for (i, n) in s.schemas.iter().enumerate() {
        names.push((&n.name, Location::Namespace { namespace: i }));
    }
    for (i, e) in s.enums.iter().enumerate() {
        let at = |part| Location::Enum { enum_type: i, part };
        names.push((&e.name.name, at(EnumPart::Name)));
        for (l, label) in e.values.iter().enumerate() {
            names.push((label, at(EnumPart::Label(l))));
        }
    }
    for (i, d) in s.domains.iter().enumerate() {
        let at = |part| Location::Domain { domain: i, part };
        names.push((&d.name.name, at(DomainPart::Name)));
        for (c, check) in d.checks.iter().enumerate() {
            names.push((&check.name, at(DomainPart::CheckName(c))));
        }
    }
    for (i, c) in s.composites.iter().enumerate() {
        let at = |part| Location::Composite { composite: i, part };
        names.push((&c.name.name, at(CompositePart::Name)));
        for (a, attribute) in c.attributes.iter().enumerate() {
            names.push((&attribute.name, at(CompositePart::AttributeName(a))));
        }
    }
    for (i, r) in s.ranges.iter().enumerate() {
        let at = |part| Location::Range { range: i, part };
        names.push((&r.name.name, at(RangePart::Name)));
        if let Some(multirange) = &r.multirange_type_name {
            names.push((&multirange.name, at(RangePart::MultirangeName)));
        }
    }
    for (i, q) in s.sequences.iter().enumerate() {
        names.push((
            &q.name.name,
            Location::Sequence {
                sequence: i,
                part: SequencePart::Name,
            },
        ));
    }
    for (t, table) in s.tables.iter().enumerate() {
        names.push((
            &table.name.name,
            Location::Table {
                table: t,
                part: TablePart::Name,
            },
        ));
        for (c, column) in table.columns.iter().enumerate() {
            names.push((
                &column.name,
                Location::Column {
                    table: t,
                    column: c,
                    part: ColumnPart::Name,
                },
            ));
        }
        for (c, constraint) in table.constraints.iter().enumerate() {
            names.push((
                &constraint.name,
                Location::Constraint {
                    table: t,
                    constraint: c,
                    part: ConstraintPart::Name,
                },
            ));
        }
        for (i, index) in table.indexes.iter().enumerate() {
            names.push((
                &index.name,
                Location::Index {
                    table: t,
                    index: i,
                    part: IndexPart::Name,
                },
            ));
        }
    }
    for (f, func) in s.functions.iter().enumerate() {
        names.push((
            &func.name.name,
            Location::Function {
                function: f,
                part: FunctionPart::Name,
            },
        ));
        for (a, arg) in func.args.iter().enumerate() {
            if let Some(name) = &arg.name {
                names.push((
                    name,
                    Location::Function {
                        function: f,
                        part: FunctionPart::ArgName(a),
                    },
                ));
            }
        }
    }
    for (v, view) in s.views.iter().enumerate() {
        names.push((
            &view.name.name,
            Location::View {
                view: v,
                part: ViewPart::Name,
            },
        ));
        for (c, column) in view.columns.iter().enumerate() {
            names.push((
                column,
                Location::View {
                    view: v,
                    part: ViewPart::Column(c),
                },
            ));
        }
    }
    for (t, trigger) in s.triggers.iter().enumerate() {
        names.push((
            &trigger.name,
            Location::Trigger {
                trigger: t,
                part: TriggerPart::Name,
            },
        ));
    }
    for (p, policy) in s.policies.iter().enumerate() {
        names.push((
            &policy.name,
            Location::Policy {
                policy: p,
                part: PolicyPart::Name,
            },
        ));
    }
    names
}
