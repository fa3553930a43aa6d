//! `trigger NAME ...`: timing, events, `for each`, `when` and the function it executes.

use proc_macro2::TokenTree;
use schema_core::model::{ConstraintTiming, TriggerTiming};
use syn::parse::ParseStream;
use syn::Token;

use crate::ctxt::Sp;

use super::literals::{parse_name, parse_number, parse_qname, parse_sql};
use super::tokens::{bump, eat_kw, expect_kw, expected_one_of, nth, parens, peek_str};
use super::{Name, QName, Sql};

/// `trigger NAME ...`.
#[derive(Debug, Clone)]
pub struct TriggerDecl {
    /// Its name.
    pub name: Name,
    /// `before | after | instead of`.
    pub timing: TriggerTiming,
    /// Its events.
    pub events: Vec<EventDecl>,
    /// `on TABLE`.
    pub table: QName,
    /// `for each row`.
    pub for_each_row: bool,
    /// `when "COND"`.
    pub when: Option<Sql>,
    /// `execute function F`.
    pub function: QName,
    /// Its literal arguments.
    pub args: Vec<String>,
    /// `constraint trigger`: the `constraint` keyword and when it fires.
    pub constraint: Option<(Sp, ConstraintTiming)>,
    /// The `referencing` keyword.
    pub referencing: Option<Sp>,
    /// `old table as NAME`.
    pub old_table: Option<Name>,
    /// `new table as NAME`.
    pub new_table: Option<Name>,
}

/// One trigger event.
#[derive(Debug, Clone)]
pub struct EventDecl {
    /// The event keyword.
    pub span: Sp,
    /// Which event.
    pub kind: EventKind,
    /// `update of` columns.
    pub columns: Vec<Name>,
}

/// Trigger event kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// `insert`.
    Insert,
    /// `update`.
    Update,
    /// `delete`.
    Delete,
    /// `truncate`.
    Truncate,
}

pub(super) fn parse_trigger(input: ParseStream) -> syn::Result<TriggerDecl> {
    let constraint_kw = eat_kw(input, "constraint")?;
    if constraint_kw.is_some() {
        expect_kw(
            input,
            "trigger",
            "after `constraint` (`constraint trigger NAME ...`)",
        )?;
    } else {
        bump(input)?;
    }
    let name = parse_name(input, "a trigger name")?;
    let timing = if eat_kw(input, "before")?.is_some() {
        TriggerTiming::Before
    } else if eat_kw(input, "after")?.is_some() {
        TriggerTiming::After
    } else if eat_kw(input, "instead")?.is_some() {
        expect_kw(input, "of", "after `instead`")?;
        TriggerTiming::InsteadOf
    } else {
        return Err(expected_one_of(
            input,
            "when the trigger fires",
            &["before", "after", "instead of"],
        ));
    };
    let mut events = Vec::new();
    loop {
        const EVENTS: &[&str] = &["insert", "update", "delete", "truncate"];
        let Some(TokenTree::Ident(word)) = nth(input, 0) else {
            return Err(expected_one_of(input, "a trigger event", EVENTS));
        };
        let kind = match word.to_string().as_str() {
            "insert" => EventKind::Insert,
            "update" => EventKind::Update,
            "delete" => EventKind::Delete,
            "truncate" => EventKind::Truncate,
            _ => return Err(expected_one_of(input, "a trigger event", EVENTS)),
        };
        let span = bump(input)?;
        let mut columns = Vec::new();
        if kind == EventKind::Update && eat_kw(input, "of")?.is_some() {
            columns.push(parse_name(input, "a column name")?);
            while input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
                columns.push(parse_name(input, "a column name")?);
            }
        }
        events.push(EventDecl {
            span,
            kind,
            columns,
        });
        if eat_kw(input, "or")?.is_none() {
            break;
        }
    }
    expect_kw(input, "on", "and the table after the trigger's events")?;
    let table = parse_qname(input, "a table name")?;
    // `not deferrable | deferrable [initially deferred | initially immediate]`.
    let deferral = if let Some(not) = eat_kw(input, "not")? {
        expect_kw(input, "deferrable", "after `not`")?;
        Some((not, ConstraintTiming::NotDeferrable))
    } else if let Some(kw) = eat_kw(input, "deferrable")? {
        let timing = if eat_kw(input, "initially")?.is_some() {
            if eat_kw(input, "deferred")?.is_some() {
                ConstraintTiming::InitiallyDeferred
            } else {
                expect_kw(input, "immediate", "or `deferred` after `initially`")?;
                ConstraintTiming::InitiallyImmediate
            }
        } else {
            ConstraintTiming::InitiallyImmediate
        };
        Some((kw, timing))
    } else {
        None
    };
    let constraint = match (constraint_kw, deferral) {
        (Some(kw), deferral) => Some((
            kw,
            deferral.map_or(ConstraintTiming::NotDeferrable, |(_, t)| t),
        )),
        (None, Some((kw, _))) => {
            return Err(crate::ctxt::error(
                kw,
                "only a constraint trigger is deferrable",
                Some(&"write `constraint trigger NAME ...`, or remove the deferral"),
            ))
        }
        (None, None) => None,
    };
    // `referencing old table as NAME new table as NAME` (either or both).
    let referencing = eat_kw(input, "referencing")?;
    let (mut old_table, mut new_table) = (None, None);
    if referencing.is_some() {
        loop {
            let slot = if eat_kw(input, "old")?.is_some() {
                &mut old_table
            } else if eat_kw(input, "new")?.is_some() {
                &mut new_table
            } else {
                break;
            };
            expect_kw(input, "table", "after `old` or `new`")?;
            expect_kw(input, "as", "and the transition table's name")?;
            *slot = Some(parse_name(input, "a transition table name")?);
        }
        if old_table.is_none() && new_table.is_none() {
            return Err(expected_one_of(
                input,
                "a transition table after `referencing`",
                &["old table as", "new table as"],
            ));
        }
    }
    let mut for_each_row = false;
    if eat_kw(input, "for")?.is_some() {
        eat_kw(input, "each")?;
        if eat_kw(input, "row")?.is_some() {
            for_each_row = true;
        } else if eat_kw(input, "statement")?.is_none() {
            return Err(expected_one_of(
                input,
                "`row` or `statement`",
                &["row", "statement"],
            ));
        }
    }
    let when = match eat_kw(input, "when")? {
        Some(_) => Some(parse_sql(input, "the trigger condition")?),
        None => None,
    };
    expect_kw(input, "execute", "and the function the trigger runs")?;
    if eat_kw(input, "function")?.is_none() && eat_kw(input, "procedure")?.is_none() {
        return Err(expected_one_of(
            input,
            "`function` after `execute`",
            &["function", "procedure"],
        ));
    }
    let function = parse_qname(input, "a function name")?;
    let (content, _) = parens(
        input,
        "with the trigger function's arguments (write `()` for none)",
    )?;
    let mut args = Vec::new();
    while !content.is_empty() {
        let value = if peek_str(&content) {
            parse_sql(&content, "an argument")?.text
        } else if content.peek(syn::LitInt)
            || content.peek(syn::LitFloat)
            || content.peek(Token![-])
        {
            let neg = if content.peek(Token![-]) {
                bump(&content)?;
                "-"
            } else {
                ""
            };
            format!("{neg}{}", parse_number(&content)?.0)
        } else {
            parse_name(&content, "a trigger argument (a string or a number)")?.value
        };
        args.push(value);
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    Ok(TriggerDecl {
        name,
        timing,
        events,
        table,
        for_each_row,
        when,
        function,
        args,
        constraint,
        referencing,
        old_table,
        new_table,
    })
}
