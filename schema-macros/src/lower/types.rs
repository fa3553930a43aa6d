//! Types as written into types as the model holds them: a bad modifier is reported here
//! (the model cannot hold it); an unknown name becomes a named type the checks report with a
//! suggestion.

use std::cell::RefCell;
use std::collections::HashMap;

use schema_core::model::DEFAULT_SCHEMA;
use schema_core::types::{DataType, TypeError};

use crate::ast::TypeRef;
use crate::ctxt::Ctxt;

/// A type as the model holds it. A bad modifier is reported here (the model cannot hold
/// it); an unknown name becomes a named type the checks report with a suggestion.
pub(super) fn lower_type(cx: &Ctxt, ty: &TypeRef) -> DataType {
    if let Some((schema, name)) = &ty.user {
        return DataType {
            schema: Some(schema.clone().unwrap_or_else(|| DEFAULT_SCHEMA.to_string())),
            name: name.clone(),
            modifiers: ty.modifiers.clone(),
            array: ty.array,
        };
    }
    if let Some(known) = KNOWN_TYPES.with(|memo| memo.borrow().get(&ty.text).cloned()) {
        return known;
    }
    match DataType::parse(&ty.text) {
        Ok(parsed) => {
            KNOWN_TYPES.with(|memo| memo.borrow_mut().insert(ty.text.clone(), parsed.clone()));
            parsed
        }
        Err(TypeError::Unknown { .. }) => DataType {
            schema: Some(DEFAULT_SCHEMA.to_string()),
            name: type_words(&ty.text),
            modifiers: ty.modifiers.clone(),
            array: ty.array,
        },
        Err(TypeError::BadModifier { name, message }) => {
            let words = type_words(&ty.text);
            let help = if message.contains("takes no") {
                format!("write `{words}` without `(...)`")
            } else {
                format!("change the modifier of `{name}` to a value in range")
            };
            cx.error(
                ty.modifiers_span.unwrap_or(ty.span),
                format!("invalid type `{}`: {message}", ty.text),
                help,
            );
            let mut fallback =
                DataType::parse(&words).unwrap_or_else(|_| DataType::named(DEFAULT_SCHEMA, words));
            fallback.array = ty.array;
            fallback
        }
    }
}

thread_local! {
    /// Built-in types by their text as written: a schema spells the same few types
    /// thousands of times, and parsing one is a sizeable part of lowering an unoptimized
    /// macro (issue 12). Only types that parsed are kept; the others are reported each time.
    static KNOWN_TYPES: RefCell<HashMap<String, DataType>> = RefCell::new(HashMap::new());
}

/// A type's words without modifiers or `[]`: `timestamp(3) with time zone` is
/// `timestamp with time zone`.
fn type_words(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.trim_end_matches("[]").chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_words_drop_modifiers() {
        assert_eq!(
            type_words("timestamp(3) with time zone"),
            "timestamp with time zone"
        );
        assert_eq!(type_words("numeric(10,2)[]"), "numeric");
    }
}
