//! Token helpers every parser shares: peeking and eating keywords, "expected ..." errors
//! with a did-you-mean, at-most-once options.

use std::cell::Cell;
use std::ops::Deref;

use proc_macro2::{Delimiter, TokenTree};
use syn::parse::ParseStream;

use crate::ctxt::{error, Ctxt, Sp};

pub(super) fn nth(input: ParseStream, n: usize) -> Option<TokenTree> {
    let mut cursor = input.cursor();
    for _ in 0..n {
        cursor = cursor.token_tree()?.1;
    }
    cursor.token_tree().map(|(tt, _)| tt)
}

/// The identifier `n` tokens from here, if that token is one. Walks the cursor instead of
/// cloning token trees: inside the compiler every clone of a group is a round trip.
fn ident_at(input: ParseStream, n: usize) -> Option<proc_macro2::Ident> {
    let mut cursor = input.cursor();
    for _ in 0..n {
        cursor = cursor.token_tree()?.1;
    }
    cursor.ident().map(|(ident, _)| ident)
}

/// True if the `n`th token from here is the keyword `word` (a raw identifier never is).
pub(super) fn peek_kw_at(input: ParseStream, n: usize, word: &str) -> bool {
    ident_at(input, n).is_some_and(|ident| ident == word)
}

/// True if the next token is a string literal. `input.peek(LitStr)` parses the literal in
/// full (and `parse` then parses it again); this only looks at how it starts.
pub(super) fn peek_str(input: ParseStream) -> bool {
    input.cursor().literal().is_some_and(|(lit, _)| {
        let text = lit.to_string();
        text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#")
    })
}

/// True if the next token is one of the keywords `words`: the identifier's text is fetched
/// from the compiler once, not once per keyword.
pub(super) fn peek_any_kw(input: ParseStream, words: &[&str]) -> bool {
    ident_at(input, 0).is_some_and(|ident| words.contains(&ident.to_string().as_str()))
}

pub(super) fn peek_kw(input: ParseStream, word: &str) -> bool {
    peek_kw_at(input, 0, word)
}

pub(super) fn peek_group(input: ParseStream, delimiter: Delimiter) -> bool {
    matches!(nth(input, 0), Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
}

/// Consumes any one token, returning its span.
pub(super) fn bump(input: ParseStream) -> syn::Result<Sp> {
    let tt: TokenTree = input.parse()?;
    Ok(Sp::new(tt.span()))
}

/// Consumes the keyword `word` if it is next.
pub(super) fn eat_kw(input: ParseStream, word: &str) -> syn::Result<Option<Sp>> {
    if peek_kw(input, word) {
        bump(input).map(Some)
    } else {
        Ok(None)
    }
}

/// Consumes the keyword `word` or fails saying what was expected instead.
pub(super) fn expect_kw(input: ParseStream, word: &str, after: &str) -> syn::Result<Sp> {
    match eat_kw(input, word)? {
        Some(sp) => Ok(sp),
        None => Err(error(
            Sp::new(input.span()),
            format!("expected `{word}` {after}, found {}", found(input)),
            None,
        )),
    }
}

/// Describes the next token for "found ..." messages.
pub(super) fn found(input: ParseStream) -> String {
    match nth(input, 0) {
        None => "the end of the input".to_string(),
        Some(TokenTree::Group(g)) => match g.delimiter() {
            Delimiter::Parenthesis => "`(`".to_string(),
            Delimiter::Bracket => "`[`".to_string(),
            Delimiter::Brace => "`{`".to_string(),
            Delimiter::None => "a macro fragment".to_string(),
        },
        Some(tt) => format!("`{tt}`"),
    }
}

/// "expected one of ..." for an unknown keyword, with a did-you-mean when one is close.
pub(super) fn expected_one_of(input: ParseStream, what: &str, keywords: &[&str]) -> syn::Error {
    let list = keywords
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let help = match nth(input, 0) {
        Some(TokenTree::Ident(ident)) => {
            let word = ident.to_string();
            let lower = word.to_lowercase();
            if lower != word && keywords.contains(&lower.as_str()) {
                Some(format!("keywords are written in lower case: `{lower}`"))
            } else {
                schema_core::suggest::closest(&word, keywords.iter().copied())
                    .map(|close| format!("did you mean `{close}`?"))
            }
        }
        _ => None,
    };
    let help = help.unwrap_or_else(|| format!("here the macro expects {what}"));
    error(
        Sp::new(input.span()),
        format!("expected one of {list}, found {}", found(input)),
        Some(&help),
    )
}

/// Sets an at-most-once option, reporting the second occurrence (serde's `Attr::set`).
pub(super) fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, value: T, at: Sp, what: &str) {
    if slot.is_some() {
        cx.error(
            at,
            format!("duplicate `{what}`"),
            format!("remove this second `{what}`"),
        );
    } else {
        *slot = Some(value);
    }
}

/// Sets an at-most-once flag, reporting the second occurrence.
pub(super) fn set_flag(cx: &Ctxt, slot: &mut Option<Sp>, at: Sp, what: &str) {
    set_once(cx, slot, at, at, what);
}

thread_local! {
    /// Set when a [`Delimited`] is dropped with tokens left in it. syn then fails the whole
    /// `parse2` with "unexpected token", which an element parsed in place on a fork would
    /// not report (see [`super::parse_body`]).
    static LEFTOVER: Cell<bool> = const { Cell::new(false) };
}

/// Whether a [`Delimited`] was left unfinished since the last call; clears the flag.
pub(super) fn take_leftover() -> bool {
    LEFTOVER.with(|l| l.replace(false))
}

/// The inside of `( ... )` or `[ ... ]`, which notes (in [`take_leftover`]) when it is
/// dropped before its end.
pub(super) struct Delimited<'a>(syn::parse::ParseBuffer<'a>);

impl<'a> Deref for Delimited<'a> {
    type Target = syn::parse::ParseBuffer<'a>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Drop for Delimited<'_> {
    fn drop(&mut self) {
        if !self.0.is_empty() {
            LEFTOVER.with(|l| l.set(true));
        }
    }
}

/// `[ ... ]`'s inside and the brackets' span.
pub(super) fn brackets<'a>(input: ParseStream<'a>) -> syn::Result<(Delimited<'a>, Sp)> {
    let content;
    let bracket = syn::bracketed!(content in input);
    Ok((Delimited(content), Sp::new(bracket.span.join())))
}

/// The contents of the parenthesized group next in `input`.
pub(super) fn parens<'a>(input: ParseStream<'a>, what: &str) -> syn::Result<(Delimited<'a>, Sp)> {
    if !peek_group(input, Delimiter::Parenthesis) {
        return Err(error(
            Sp::new(input.span()),
            format!("expected `(` {what}, found {}", found(input)),
            None,
        ));
    }
    let content;
    let paren = syn::parenthesized!(content in input);
    Ok((Delimited(content), Sp::new(paren.span.join())))
}

pub(super) fn peek_punct_at(input: ParseStream, n: usize, ch: char) -> bool {
    matches!(nth(input, n), Some(TokenTree::Punct(p)) if p.as_char() == ch)
}

/// After a `{ ... }` body nothing may follow in the item (the splitter guarantees it).
pub(super) fn expect_end(input: ParseStream) -> syn::Result<()> {
    if input.is_empty() {
        Ok(())
    } else {
        Err(error(
            Sp::new(input.span()),
            format!("unexpected {}", found(input)),
            None,
        ))
    }
}

pub(super) fn peek_group_at(input: ParseStream, n: usize, delimiter: Delimiter) -> bool {
    matches!(nth(input, n), Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
}
