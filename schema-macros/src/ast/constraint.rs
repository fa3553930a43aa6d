//! Constraints: those written on a column and table constraints, with their deferral and
//! foreign key targets.

use proc_macro2::{Delimiter, Ident, Spacing, TokenTree};
use schema_core::model::FkAction;
use syn::ext::IdentExt;
use syn::parse::ParseStream;

use crate::ctxt::{error, Ctxt, Sp};

use super::index::{parse_index_elem, IndexElem};
use super::literals::{parse_name, parse_name_list, parse_qname, parse_sql};
use super::tokens::{
    bump, eat_kw, expect_kw, expected_one_of, found, nth, parens, peek_group, peek_kw, peek_kw_at,
    peek_str,
};
use super::{Name, NameList, QName, Sql};

/// `[constraint NAME] primary key | unique | references | check` on a column.
#[derive(Debug, Clone)]
pub struct ColumnConstraint {
    /// `constraint NAME`.
    pub name: Option<Name>,
    /// The keyword(s) saying what it is.
    pub kw: Sp,
    /// What it is.
    pub kind: ColumnConstraintKind,
    /// `deferrable [initially deferred]`.
    pub deferral: Deferral,
    /// `not valid` (checks and foreign keys).
    pub not_valid: bool,
}

/// The kinds of column constraint.
#[derive(Debug, Clone)]
pub enum ColumnConstraintKind {
    /// `primary key`.
    PrimaryKey,
    /// `unique [nulls not distinct]`.
    Unique {
        /// `nulls not distinct`.
        nulls_not_distinct: bool,
    },
    /// `references T [(col)] ...`.
    References(FkTarget),
    /// `check "EXPR"`.
    Check(Sql),
}

/// `deferrable [initially deferred | initially immediate]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Deferral {
    /// `deferrable`.
    pub deferrable: bool,
    /// `initially deferred`.
    pub initially_deferred: bool,
}

/// `references T [(cols)] [on delete A] [on update A]`.
#[derive(Debug, Clone)]
pub struct FkTarget {
    /// The referenced table.
    pub table: QName,
    /// The referenced columns, if written.
    pub columns: Option<NameList>,
    /// `on delete`.
    pub on_delete: FkAction,
    /// `on update`.
    pub on_update: FkAction,
}

/// A table constraint.
#[derive(Debug, Clone)]
pub struct ConstraintDecl {
    /// Its name, if declared.
    pub name: Option<Name>,
    /// The keyword(s) saying what it is.
    pub kw: Sp,
    /// What it is.
    pub kind: ConstraintDeclKind,
    /// `deferrable [initially deferred]`.
    pub deferral: Deferral,
    /// `not valid` (checks and foreign keys).
    pub not_valid: bool,
}

/// One `element with OPERATOR` of an exclusion constraint.
#[derive(Debug, Clone)]
pub struct ExclusionElem {
    /// The column or expression, as an index key.
    pub elem: IndexElem,
    /// The operator, as SQL writes it.
    pub operator: String,
    /// Where the operator was written.
    pub operator_span: Sp,
}

/// The kinds of table constraint.
#[derive(Debug, Clone)]
pub enum ConstraintDeclKind {
    /// `primary key (cols) [include (cols)]`.
    PrimaryKey {
        /// Key columns.
        columns: NameList,
        /// `include`.
        include: Option<NameList>,
    },
    /// `unique (cols) [include (cols)] [nulls not distinct]`.
    Unique {
        /// Key columns.
        columns: NameList,
        /// `include`.
        include: Option<NameList>,
        /// `nulls not distinct`.
        nulls_not_distinct: bool,
    },
    /// `foreign key (cols) references ...`.
    ForeignKey {
        /// Referencing columns.
        columns: NameList,
        /// The target.
        target: FkTarget,
    },
    /// `check "EXPR"`.
    Check(Sql),
    /// `exclude [using METHOD] (elem with OP, ...) [include (cols)] [where "PREDICATE"]`.
    Exclusion {
        /// `using METHOD`.
        method: Option<Name>,
        /// The elements with their operators.
        elements: Vec<ExclusionElem>,
        /// `include`.
        include: Option<NameList>,
        /// `where "PREDICATE"`.
        predicate: Option<Sql>,
    },
}

/// `not valid`, if next: allowed on checks and foreign keys (`allowed`), an error elsewhere.
fn parse_not_valid(input: ParseStream, allowed: bool) -> syn::Result<bool> {
    if !(peek_kw(input, "not") && peek_kw_at(input, 1, "valid")) {
        return Ok(false);
    }
    let at = bump(input)?;
    let at = at.to(bump(input)?);
    if !allowed {
        return Err(error(
            at,
            "only check and foreign key constraints can be `not valid`",
            Some(&"remove `not valid`: this constraint's index checks every row as it is built"),
        ));
    }
    Ok(true)
}

/// `deferrable ...` and `not valid`, in either order, as SQL takes them.
fn parse_attributes(input: ParseStream, not_valid_allowed: bool) -> syn::Result<(Deferral, bool)> {
    let before = parse_not_valid(input, not_valid_allowed)?;
    let deferral = parse_deferral(input)?;
    let after = !before && parse_not_valid(input, not_valid_allowed)?;
    Ok((deferral, before || after))
}

/// The operator after `with` in an exclusion element: punctuation written as tokens (`=`,
/// `&&`, `<->`), or any operator as a string literal (`"OPERATOR(public.===)"`).
fn parse_operator(input: ParseStream) -> syn::Result<(String, Sp)> {
    if peek_str(input) {
        let sql = parse_sql(input, "an operator")?;
        return Ok((sql.text.trim().to_string(), sql.span));
    }
    let mut text = String::new();
    let mut span: Option<Sp> = None;
    while let Some(TokenTree::Punct(p)) = nth(input, 0) {
        if p.as_char() == ',' {
            break;
        }
        text.push(p.as_char());
        let at = bump(input)?;
        span = Some(span.map_or(at, |s| s.to(at)));
        if p.spacing() == Spacing::Alone {
            break;
        }
    }
    match span {
        Some(span) => Ok((text, span)),
        None => Err(error(
            Sp::new(input.span()),
            format!("expected an operator after `with`, found {}", found(input)),
            Some(&"write the operator rows must not share: `room with =, during with &&`"),
        )),
    }
}

/// `exclude [NAME] [using METHOD] (elem with OP, ...) [include (cols)] [where "PREDICATE"]`,
/// after `exclude` and its name.
fn parse_exclusion(input: ParseStream) -> syn::Result<ConstraintDeclKind> {
    let method = match eat_kw(input, "using")? {
        Some(_) => Some(parse_name(input, "an index method")?),
        None => None,
    };
    let (content, list_span) = parens(input, "with the excluded elements")?;
    let mut elements = Vec::new();
    while !content.is_empty() {
        let elem = parse_index_elem(&content)?;
        if eat_kw(&content, "with")?.is_none() {
            return Err(error(
                elem.target.span(),
                format!(
                    "this exclusion element has no operator: expected `with OPERATOR` after it, found {}",
                    found(&content)
                ),
                Some(&"each element names the operator rows must not share: `room with =`"),
            ));
        }
        let (operator, operator_span) = parse_operator(&content)?;
        elements.push(ExclusionElem {
            elem,
            operator,
            operator_span,
        });
        if content.is_empty() {
            break;
        }
        content.parse::<syn::Token![,]>()?;
    }
    if elements.is_empty() {
        return Err(error(
            list_span,
            "an exclusion constraint needs at least one element",
            Some(&"list the elements with their operators: `exclude using gist (during with &&)`"),
        ));
    }
    let include = parse_include(input)?;
    let predicate = match eat_kw(input, "where")? {
        Some(_) => Some(parse_sql(input, "the constraint's predicate")?),
        None => None,
    };
    Ok(ConstraintDeclKind::Exclusion {
        method,
        elements,
        include,
        predicate,
    })
}

pub(super) fn parse_deferral(input: ParseStream) -> syn::Result<Deferral> {
    let mut deferral = Deferral::default();
    if eat_kw(input, "deferrable")?.is_some() {
        deferral.deferrable = true;
        if eat_kw(input, "initially")?.is_some() {
            if eat_kw(input, "deferred")?.is_some() {
                deferral.initially_deferred = true;
            } else if eat_kw(input, "immediate")?.is_none() {
                return Err(expected_one_of(
                    input,
                    "`deferred` or `immediate` after `initially`",
                    &["deferred", "immediate"],
                ));
            }
        }
    }
    Ok(deferral)
}

pub(super) fn parse_action(input: ParseStream) -> syn::Result<FkAction> {
    const ACTIONS: &[&str] = &[
        "cascade",
        "restrict",
        "set null",
        "set default",
        "no action",
    ];
    if eat_kw(input, "cascade")?.is_some() {
        return Ok(FkAction::Cascade);
    }
    if eat_kw(input, "restrict")?.is_some() {
        return Ok(FkAction::Restrict);
    }
    if eat_kw(input, "set")?.is_some() {
        if eat_kw(input, "null")?.is_some() {
            return Ok(FkAction::SetNull);
        }
        if eat_kw(input, "default")?.is_some() {
            return Ok(FkAction::SetDefault);
        }
        return Err(expected_one_of(
            input,
            "`null` or `default` after `set`",
            &["null", "default"],
        ));
    }
    if eat_kw(input, "no")?.is_some() {
        expect_kw(input, "action", "after `no`")?;
        return Ok(FkAction::NoAction);
    }
    Err(expected_one_of(input, "a referential action", ACTIONS))
}

/// `references T [(cols)] [on delete A] [on update A]`, after `references`.
pub(super) fn parse_fk_target(input: ParseStream) -> syn::Result<FkTarget> {
    let table = parse_qname(input, "the referenced table")?;
    let columns = if peek_group(input, Delimiter::Parenthesis) {
        Some(parse_name_list(input, "referenced column")?)
    } else {
        None
    };
    let mut on_delete = None;
    let mut on_update = None;
    while peek_kw(input, "on") {
        let at = bump(input)?;
        if eat_kw(input, "delete")?.is_some() {
            let action = parse_action(input)?;
            if on_delete.replace(action).is_some() {
                return Err(error(at, "duplicate `on delete`", Some(&"remove one")));
            }
        } else if eat_kw(input, "update")?.is_some() {
            let action = parse_action(input)?;
            if on_update.replace(action).is_some() {
                return Err(error(at, "duplicate `on update`", Some(&"remove one")));
            }
        } else {
            return Err(expected_one_of(
                input,
                "`delete` or `update` after `on`",
                &["delete", "update"],
            ));
        }
    }
    Ok(FkTarget {
        table,
        columns,
        on_delete: on_delete.unwrap_or_default(),
        on_update: on_update.unwrap_or_default(),
    })
}

pub(super) fn parse_column_constraint(input: ParseStream) -> syn::Result<ColumnConstraint> {
    let name = match eat_kw(input, "constraint")? {
        Some(_) => Some(parse_name(input, "a constraint name")?),
        None => None,
    };
    if let Some(primary) = eat_kw(input, "primary")? {
        let end = expect_kw(input, "key", "after `primary`")?;
        let (deferral, _) = parse_attributes(input, false)?;
        return Ok(ColumnConstraint {
            name,
            kw: primary.to(end),
            kind: ColumnConstraintKind::PrimaryKey,
            deferral,
            not_valid: false,
        });
    }
    if let Some(kw) = eat_kw(input, "unique")? {
        let nulls_not_distinct = parse_nulls_not_distinct(input)?.is_some();
        let (deferral, _) = parse_attributes(input, false)?;
        return Ok(ColumnConstraint {
            name,
            kw,
            kind: ColumnConstraintKind::Unique { nulls_not_distinct },
            deferral,
            not_valid: false,
        });
    }
    if let Some(kw) = eat_kw(input, "references")? {
        let target = parse_fk_target(input)?;
        if let Some(cols) = &target.columns {
            if cols.names.len() != 1 {
                return Err(error(
                    cols.span,
                    "a column's `references` names one referenced column",
                    Some(&"for a composite key, write a table constraint: `foreign key (a, b) references t (x, y)`"),
                ));
            }
        }
        let (deferral, not_valid) = parse_attributes(input, true)?;
        return Ok(ColumnConstraint {
            name,
            kw,
            kind: ColumnConstraintKind::References(target),
            deferral,
            not_valid,
        });
    }
    if let Some(kw) = eat_kw(input, "check")? {
        let expr = parse_sql(input, "the check condition")?;
        let not_valid = parse_not_valid(input, true)?;
        return Ok(ColumnConstraint {
            name,
            kw,
            kind: ColumnConstraintKind::Check(expr),
            deferral: Deferral::default(),
            not_valid,
        });
    }
    Err(expected_one_of(
        input,
        "`primary key`, `unique`, `references` or `check` after `constraint NAME`",
        &["primary", "unique", "references", "check"],
    ))
}

/// `nulls not distinct`, if next.
pub(super) fn parse_nulls_not_distinct(input: ParseStream) -> syn::Result<Option<Sp>> {
    if peek_kw(input, "nulls") && peek_kw_at(input, 1, "not") {
        let at = bump(input)?;
        bump(input)?;
        let end = expect_kw(input, "distinct", "after `nulls not`")?;
        return Ok(Some(at.to(end)));
    }
    Ok(None)
}

pub(super) fn parse_include(input: ParseStream) -> syn::Result<Option<NameList>> {
    if eat_kw(input, "include")?.is_some() {
        Ok(Some(parse_name_list(input, "included column")?))
    } else {
        Ok(None)
    }
}

pub(super) fn parse_table_constraint(cx: &Ctxt, input: ParseStream) -> syn::Result<ConstraintDecl> {
    let mut name = match eat_kw(input, "constraint")? {
        Some(_) => Some(parse_name(input, "a constraint name")?),
        None => None,
    };
    let named_by_constraint = name.is_some();
    // `unique NAME (..)`, `foreign key NAME (..)`, `check NAME "..."`: the short spelling.
    let short_name = |input: ParseStream, name: &mut Option<Name>| -> syn::Result<()> {
        let named = if peek_str(input) {
            // `check "a" "b"`: the first literal is the name; `check "a"` is the condition.
            matches!(nth(input, 1), Some(TokenTree::Literal(_)))
        } else {
            input.peek(Ident::peek_any) && !peek_kw(input, "nulls")
        };
        if named {
            let short = parse_name(input, "a constraint name")?;
            if named_by_constraint {
                cx.error(
                    short.span,
                    "this constraint is named twice",
                    "keep either `constraint NAME` or the name after the keyword",
                );
            } else {
                *name = Some(short);
            }
        }
        Ok(())
    };
    if let Some(primary) = eat_kw(input, "primary")? {
        let end = expect_kw(input, "key", "after `primary`")?;
        let columns = parse_name_list(input, "key column")?;
        let include = parse_include(input)?;
        let (deferral, _) = parse_attributes(input, false)?;
        return Ok(ConstraintDecl {
            name,
            kw: primary.to(end),
            kind: ConstraintDeclKind::PrimaryKey { columns, include },
            deferral,
            not_valid: false,
        });
    }
    if let Some(kw) = eat_kw(input, "unique")? {
        short_name(input, &mut name)?;
        let before = parse_nulls_not_distinct(input)?;
        let columns = parse_name_list(input, "key column")?;
        let include = parse_include(input)?;
        let after = parse_nulls_not_distinct(input)?;
        if let (Some(_), Some(second)) = (before, after) {
            cx.error(
                second,
                "duplicate `nulls not distinct`",
                "remove this second one",
            );
        }
        let (deferral, _) = parse_attributes(input, false)?;
        return Ok(ConstraintDecl {
            name,
            kw,
            kind: ConstraintDeclKind::Unique {
                columns,
                include,
                nulls_not_distinct: before.is_some() || after.is_some(),
            },
            deferral,
            not_valid: false,
        });
    }
    if let Some(foreign) = eat_kw(input, "foreign")? {
        let end = expect_kw(input, "key", "after `foreign`")?;
        short_name(input, &mut name)?;
        let columns = parse_name_list(input, "referencing column")?;
        expect_kw(input, "references", "after the foreign key's columns")?;
        let target = parse_fk_target(input)?;
        let (deferral, not_valid) = parse_attributes(input, true)?;
        return Ok(ConstraintDecl {
            name,
            kw: foreign.to(end),
            kind: ConstraintDeclKind::ForeignKey { columns, target },
            deferral,
            not_valid,
        });
    }
    if let Some(kw) = eat_kw(input, "check")? {
        short_name(input, &mut name)?;
        let expr = parse_sql(input, "the check condition")?;
        let not_valid = parse_not_valid(input, true)?;
        return Ok(ConstraintDecl {
            name,
            kw,
            kind: ConstraintDeclKind::Check(expr),
            deferral: Deferral::default(),
            not_valid,
        });
    }
    if let Some(kw) = eat_kw(input, "exclude")? {
        // `exclude NAME ...`; `exclude using` and `exclude (` are unnamed.
        if !peek_kw(input, "using") {
            short_name(input, &mut name)?;
        }
        let kind = parse_exclusion(input)?;
        let (deferral, _) = parse_attributes(input, false)?;
        return Ok(ConstraintDecl {
            name,
            kw,
            kind,
            deferral,
            not_valid: false,
        });
    }
    Err(expected_one_of(
        input,
        "`primary key`, `unique`, `foreign key`, `check` or `exclude` after `constraint NAME`",
        &["primary", "unique", "foreign", "check", "exclude"],
    ))
}
