//! `DomainDef`: a domain whose unnamed checks lowering names as PostgreSQL would.

use crate::model::{Domain, DomainCheck, QualifiedName};
use crate::types::DataType;

/// A domain under construction: its checks may still need a derived name
/// (`<domain>_check`, `<domain>_check1`, ... as `CREATE DOMAIN` names them).
#[derive(Debug, Clone)]
pub struct DomainDef {
    /// The domain without its checks, which lowering adds once named.
    pub(crate) domain: Domain,
    /// `(name, expr)` in declaration order; `None` names are derived.
    pub(crate) checks: Vec<(Option<String>, String)>,
}

impl DomainDef {
    /// A domain named `name` over `data_type` (`"year"` is `public.year`).
    pub fn new(name: impl Into<QualifiedName>, data_type: DataType) -> Self {
        DomainDef {
            domain: Domain {
                name: name.into(),
                data_type,
                not_null: false,
                default: None,
                collation: None,
                checks: Vec::new(),
                comment: None,
            },
            checks: Vec::new(),
        }
    }

    /// `NOT NULL`.
    pub fn not_null(mut self) -> Self {
        self.domain.not_null = true;
        self
    }

    /// `DEFAULT expr`, `expr` as SQL text (`"'x'"`, `"0"`).
    pub fn default_sql(mut self, expr: impl Into<String>) -> Self {
        self.domain.default = Some(expr.into());
        self
    }

    /// `COLLATE "name"`.
    pub fn collate(mut self, collation: impl Into<String>) -> Self {
        self.domain.collation = Some(collation.into());
        self
    }

    /// `CHECK (expr)`, named as PostgreSQL names it; `expr` refers to the value as `VALUE`.
    pub fn check(mut self, expr: impl Into<String>) -> Self {
        self.checks.push((None, expr.into()));
        self
    }

    /// `CONSTRAINT name CHECK (expr)`.
    pub fn named_check(mut self, name: impl Into<String>, expr: impl Into<String>) -> Self {
        self.checks.push((Some(name.into()), expr.into()));
        self
    }

    /// `COMMENT ON DOMAIN`.
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        self.domain.comment = Some(text.into());
        self
    }

    /// The domain's name.
    pub fn name(&self) -> &QualifiedName {
        &self.domain.name
    }

    /// The model value, every check named by `name_check` (given the domain and its declared
    /// name, if any).
    pub(crate) fn finish(
        self,
        mut name_check: impl FnMut(&QualifiedName, Option<String>) -> String,
    ) -> Domain {
        let DomainDef { mut domain, checks } = self;
        domain.checks = checks
            .into_iter()
            .map(|(name, expr)| DomainCheck {
                name: name_check(&domain.name, name),
                expr,
                validated: true,
            })
            .collect();
        domain
    }
}
