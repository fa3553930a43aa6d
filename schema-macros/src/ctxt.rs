//! Error collection shared by every phase: one compile reports every problem of a `schema!`
//! (serde_derive's `Ctxt`), each spanned on the token it is about.

use std::cell::RefCell;
use std::fmt::Display;
use std::thread;

use proc_macro2::{Ident, Span, TokenStream, TokenTree};

/// A source range: the first and last token of something. Carets cover the whole range on
/// compilers that can join spans, and the first token elsewhere.
#[derive(Debug, Clone, Copy)]
pub struct Sp {
    /// The first token's span.
    pub start: Span,
    /// The last token's span.
    pub end: Span,
}

impl Sp {
    /// One token.
    pub fn new(span: Span) -> Sp {
        Sp {
            start: span,
            end: span,
        }
    }

    /// From the start of `self` to the end of `last`.
    pub fn to(self, last: Sp) -> Sp {
        Sp {
            start: self.start,
            end: last.end,
        }
    }

    /// The whole macro invocation, for what has no better place.
    pub fn call_site() -> Sp {
        Sp::new(Span::call_site())
    }
}

/// A spanned error whose message ends with a `= help:` line, the way rustc prints help.
/// (Stable proc macros cannot attach real help notes to `compile_error!`.)
pub fn error(at: Sp, message: impl Display, help: Option<&dyn Display>) -> syn::Error {
    let text = match help {
        Some(help) => format!("{message}\n= help: {help}"),
        None => message.to_string(),
    };
    let mut range = TokenStream::new();
    range.extend([
        TokenTree::Ident(Ident::new("start", at.start)),
        TokenTree::Ident(Ident::new("end", at.end)),
    ]);
    syn::Error::new_spanned(range, text)
}

/// Collects errors across all phases.
///
/// Panics on drop if nobody looked at the errors with [`Ctxt::check`]: a phase that forgets
/// would otherwise swallow them and emit a schema that does not match the source.
pub struct Ctxt {
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    /// A context with no errors.
    pub fn new() -> Ctxt {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Records an error at `at` with a help line.
    pub fn error(&self, at: Sp, message: impl Display, help: impl Display) {
        self.syn_error(error(at, message, Some(&help)));
    }

    /// Records a syn error (a parse failure).
    pub fn syn_error(&self, err: syn::Error) {
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(err);
        }
    }

    /// How many errors are recorded, for [`Ctxt::truncate`].
    pub fn mark(&self) -> usize {
        self.errors.borrow().as_ref().map_or(0, Vec::len)
    }

    /// Forgets the errors recorded after `mark` (a parse attempt that is redone).
    pub fn truncate(&self, mark: usize) {
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.truncate(mark);
        }
    }

    /// All errors combined into one, or `Ok` if there were none. Consumes the context.
    pub fn check(self) -> Result<(), syn::Error> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for rest in errors {
            combined.combine(rest);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !thread::panicking() && self.errors.borrow().is_some() {
            panic!("pgdecl: Ctxt dropped without checking its errors");
        }
    }
}
