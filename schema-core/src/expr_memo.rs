//! [`ExprMemo`]: each distinct SQL fragment parsed once per pass. Real schemas repeat their
//! fragments (`now()`, `0`, `'draft'`, the same `IN` list on every table), and sqlparser's
//! tokenizer and parser are most of what checking a fragment costs (issue 12: at 10,000
//! tables the macro parsed 90,000 fragments, of which a dozen were distinct).

use std::cell::RefCell;
use std::collections::HashMap;

use sqlparser::ast::Expr;

use crate::expr::{parse_expr, ExprError};

/// Memoized [`parse_expr`]: the same answer for the same text, the parse done once.
#[derive(Debug, Default)]
pub struct ExprMemo {
    parsed: RefCell<HashMap<String, Result<Expr, ExprError>>>,
}

impl ExprMemo {
    /// An empty memo.
    pub fn new() -> ExprMemo {
        ExprMemo::default()
    }

    /// [`parse_expr`] of `sql`, from the memo when this text was parsed before.
    pub fn parse(&self, sql: &str) -> Result<Expr, ExprError> {
        if let Some(found) = self.parsed.borrow().get(sql) {
            return found.clone();
        }
        let parsed = parse_expr(sql);
        self.parsed
            .borrow_mut()
            .insert(sql.to_string(), parsed.clone());
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_answers_as_parse_expr() {
        let memo = ExprMemo::new();
        for sql in [
            "now()",
            "kind IN ('a', 'b')",
            "a +",
            "now()",
            "a +",
            "1 2",
            "\"Email\"",
        ] {
            assert_eq!(memo.parse(sql), parse_expr(sql), "{sql}");
        }
        assert_eq!(memo.parsed.borrow().len(), 5);
    }
}
