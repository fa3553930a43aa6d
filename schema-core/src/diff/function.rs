//! Functions and procedures: created, replaced in place or dropped and created again.

use crate::model::*;
use crate::render::{split_list_setting, CommentTarget, Statement};

use super::pair::function_key;
use super::view::canonical_body;
use super::{same_opt_fragment, Change, ChangeKind, Hazard, ObjectRef, Phase, Planner};

impl<'a> Planner<'a> {
    pub(super) fn functions(&mut self) {
        for func in &self.new.functions {
            let key = function_key(func);
            let object = ObjectRef::function(func);
            match self.old_functions.get(&key).copied() {
                None => {
                    self.create_function(func, None);
                }
                Some(old) if self.rebuilt_functions.contains(&key) => {
                    self.emit(
                        Phase::DropFunctions,
                        Change::new(
                            ObjectRef::function(old),
                            ChangeKind::Drop,
                            [Statement::DropFunction(Box::new(old.clone()))],
                        )
                        .hazard(Hazard::RecreatesObject)
                        .inverse([Statement::CreateFunction(Box::new(old.clone()))]),
                    );
                    self.create_function(func, Some(old));
                }
                Some(old) => {
                    if !same_function(old, self.old, func, self.new) {
                        self.emit(
                            Phase::Functions,
                            Change::new(
                                object.clone(),
                                ChangeKind::Alter,
                                [Statement::CreateFunction(Box::new(func.clone()))],
                            )
                            .defines_function()
                            .inverse([Statement::CreateFunction(Box::new(old.clone()))]),
                        );
                    }
                    self.comment(
                        object,
                        CommentTarget::Function(Box::new(func.clone())),
                        &old.comment,
                        &func.comment,
                    );
                }
            }
        }
        for old in &self.old.functions {
            let key = function_key(old);
            if !self.new_functions.contains_key(&key) {
                self.emit(
                    Phase::DropFunctions,
                    Change::new(
                        ObjectRef::function(old),
                        ChangeKind::Drop,
                        [Statement::DropFunction(Box::new(old.clone()))],
                    )
                    .hazard(Hazard::DropsObject)
                    .inverse([Statement::CreateFunction(Box::new(old.clone()))]),
                );
            }
        }
    }

    pub(super) fn create_function(&mut self, func: &'a Function, replaced: Option<&'a Function>) {
        let mut change = Change::new(
            ObjectRef::function(func),
            ChangeKind::Create,
            [Statement::CreateFunction(Box::new(func.clone()))],
        )
        .defines_function();
        change = match replaced {
            Some(old) => change.inverse([
                Statement::DropFunction(Box::new(func.clone())),
                Statement::CreateFunction(Box::new(old.clone())),
            ]),
            None => change.inverse([Statement::DropFunction(Box::new(func.clone()))]),
        };
        self.emit(Phase::Functions, change);
        self.comment(
            ObjectRef::function(func),
            CommentTarget::Function(Box::new(func.clone())),
            &None,
            &func.comment,
        );
    }
}

/// Settings compared as the server stores them: list settings re-joined canonically.
pub(super) fn config_facts(config: &[(String, String)]) -> Vec<(String, String)> {
    config
        .iter()
        .map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            let value = if name == "search_path" || name == "temp_tablespaces" {
                split_list_setting(value).join(",")
            } else {
                value.clone()
            };
            (name, value)
        })
        .collect()
}

/// Same signature, body and options; an SQL-standard body the same as written or in its
/// canonical form (see [`canonical_body`]), each read against the schema it belongs to
/// (`in_a`, `in_b`: the columns of the tables the body reads).
pub(super) fn same_function(a: &Function, in_a: &Schema, b: &Function, in_b: &Schema) -> bool {
    a.is_procedure == b.is_procedure
        && effective_returns(a) == effective_returns(b)
        && a.language.eq_ignore_ascii_case(&b.language)
        && a.body_style == b.body_style
        && (a.body == b.body
            || canonical_body(a, in_a).is_some_and(|x| Some(x) == canonical_body(b, in_b)))
        && a.volatility == b.volatility
        && a.strict == b.strict
        && a.security_definer == b.security_definer
        && config_facts(&a.config) == config_facts(&b.config)
        && a.args.len() == b.args.len()
        && a.args.iter().zip(&b.args).all(|(x, y)| {
            x.mode == y.mode
                && x.name == y.name
                && x.data_type == y.data_type
                && same_opt_fragment(&x.default, &y.default)
        })
}

/// What a function returns as PostgreSQL records it (and `pg_get_function_result` prints it):
/// one declared without `returns` returns its single `OUT` (or `INOUT`) argument's type, or
/// `record` for several.
fn effective_returns(f: &Function) -> Option<Returns> {
    if f.returns.is_some() || f.is_procedure {
        return f.returns.clone();
    }
    let outs: Vec<&FunctionArg> = f
        .args
        .iter()
        .filter(|a| matches!(a.mode, ArgMode::Out | ArgMode::InOut))
        .collect();
    match outs.as_slice() {
        [] => None,
        [one] => Some(Returns::Type(one.data_type.clone())),
        _ => Some(Returns::Type(crate::types::DataType::builtin("record"))),
    }
}

/// True if `CREATE OR REPLACE` can turn `old` into `new`: same kind, same return type, same
/// arguments (names, modes, types), and no argument default removed.
pub(super) fn replaceable_function(old: &Function, new: &Function) -> bool {
    old.is_procedure == new.is_procedure
        && effective_returns(old) == effective_returns(new)
        && old.args.len() == new.args.len()
        && old.args.iter().zip(&new.args).all(|(x, y)| {
            x.mode == y.mode
                && x.name == y.name
                && x.data_type == y.data_type
                && (x.default.is_none() || y.default.is_some())
        })
}
