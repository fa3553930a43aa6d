//! Code generation: the `SCHEMA` static (the model as embedded JSON) and one module of
//! SQL-ready name constants per table. Kept to a JSON literal and string constants, so a
//! thousand-table schema compiles quickly.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;
use schema_core::ident::{quote_ident, quote_qualified};
use schema_core::model::DEFAULT_SCHEMA;

use crate::ctxt::Ctxt;
use crate::lower::Lowered;
use crate::{ast, check, lower};

/// The whole macro: parse, lower, check, generate. On any error the output is the errors as
/// `compile_error!`s plus a fallback `SCHEMA` (empty) and the modules of the tables that did
/// parse, so code using them does not fail a second time.
pub fn expand(input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let items = ast::parse(&cx, input);
    let lowered = lower::lower(&cx, &items);
    check::check(&cx, &lowered);
    let modules = table_modules(&lowered);
    match cx.check() {
        Ok(()) => {
            let json = raw_str(&lowered.schema.to_json());
            quote! {
                /// The schema declared by `pgdecl::schema!`.
                pub static SCHEMA: ::pgdecl::LazySchema = ::pgdecl::__private::LazyLock::new(
                    || ::pgdecl::__private::schema_from_json(#json)
                );
                #modules
            }
        }
        Err(errors) => {
            let errors = errors.to_compile_error();
            quote! {
                #errors
                /// The schema declared by `pgdecl::schema!` (empty: the declaration has errors).
                pub static SCHEMA: ::pgdecl::LazySchema =
                    ::pgdecl::__private::LazyLock::new(::pgdecl::__private::empty_schema);
                #modules
            }
        }
    }
}

/// A module being generated: a table's constants, a schema's table modules, or both (a
/// table `audit` next to a schema `audit`).
struct Module {
    ident: Ident,
    docs: Option<String>,
    table: Option<String>,
    consts: Vec<(Ident, String, Option<String>)>,
    /// Column constants re-exported from [`SHARED`] (names other tables have too).
    shared: Vec<Ident>,
    const_names: HashSet<String>,
    children: Vec<Module>,
    /// Each child's position in `children`, by name: comparing `Ident`s means a round trip
    /// to the compiler and a fresh `String` per comparison, which a scan over ten thousand
    /// table modules turned quadratic (issue 12).
    child_at: HashMap<String, usize>,
}

impl Module {
    fn new(ident: Ident) -> Module {
        Module {
            ident,
            docs: None,
            table: None,
            consts: Vec::new(),
            shared: Vec::new(),
            const_names: HashSet::new(),
            children: Vec::new(),
            child_at: HashMap::new(),
        }
    }

    fn child(&mut self, ident: Ident) -> &mut Module {
        let at = *self.child_at.entry(ident.to_string()).or_insert_with(|| {
            self.children.push(Module::new(ident));
            self.children.len() - 1
        });
        &mut self.children[at]
    }

    /// The module's tokens. Built as one list of token trees per module, not a `quote!`
    /// per constant: each `quote!`'d constant spliced into its module was a trip through the
    /// proc-macro bridge, 90,000 of them at 10,000 tables (issue 12).
    /// `depth`: how many modules down from the macro's call site it is (1 for a table of
    /// `public`), so that `super::`s reach [`SHARED`].
    fn tokens(&self, words: &Words, depth: usize) -> TokenStream {
        let mut body: Vec<TokenTree> = Vec::new();
        if let Some(table) = &self.table {
            let name = Ident::new("TABLE", Span::call_site());
            body.extend(words.str_const(&name, table));
        }
        for (ident, value, docs) in &self.consts {
            if let Some(docs) = docs {
                body.extend(quote!(#[doc = #docs]));
            }
            body.extend(words.str_const(ident, value));
        }
        if !self.shared.is_empty() {
            let supers = std::iter::repeat(&words.super_).take(depth);
            let shared = Ident::new(SHARED, Span::call_site());
            let names = &self.shared;
            body.extend(quote!(pub use #(#supers::)* #shared::{#(#names),*};));
        }
        for child in &self.children {
            body.extend(child.tokens(words, depth + 1));
        }
        let ident = &self.ident;
        let docs = self.docs.iter();
        let body = Group::new(Delimiter::Brace, body.into_iter().collect());
        quote! {
            #(#[doc = #docs])*
            #[allow(non_upper_case_globals, non_snake_case, dead_code, missing_docs, unused_imports)]
            pub mod #ident #body
        }
    }
}

/// The tokens every constant repeats, made once and cloned.
struct Words {
    pub_: Ident,
    const_: Ident,
    str_: Ident,
    super_: Ident,
}

impl Words {
    fn new() -> Words {
        let site = Span::call_site();
        Words {
            pub_: Ident::new("pub", site),
            const_: Ident::new("const", site),
            str_: Ident::new("str", site),
            super_: Ident::new("super", site),
        }
    }

    /// `pub const <ident>: &str = "<value>";`
    fn str_const(&self, ident: &Ident, value: &str) -> [TokenTree; 9] {
        let punct = |c| TokenTree::Punct(Punct::new(c, Spacing::Alone));
        [
            TokenTree::Ident(self.pub_.clone()),
            TokenTree::Ident(self.const_.clone()),
            TokenTree::Ident(ident.clone()),
            punct(':'),
            punct('&'),
            TokenTree::Ident(self.str_.clone()),
            punct('='),
            TokenTree::Literal(Literal::string(value)),
            punct(';'),
        ]
    }
}

/// The hidden module holding the column constants of names more than one table has: each
/// table module re-exports its own (`pub use`), so `users::id` is the same `&str` constant
/// it always was. Constants are most of what `cargo check` spends on the expansion after the
/// macro itself (100,000 of them at 10,000 tables of 9 columns took 3.9 s of a check, 2.8 s
/// as 90,000 re-exports of 9 shared constants; issue 12); real schemas repeat their column
/// names (`id`, `created_at`, `tenant_id`, ...), and a name only one table has keeps a
/// constant of its own, as does a column with a comment (its constant carries the comment).
const SHARED: &str = "__pgdecl_columns";

/// One module per table (under `pub mod <schema>` outside `public`), named after the table,
/// holding `TABLE` and one constant per column, all ready to paste into SQL.
fn table_modules(lowered: &Lowered) -> TokenStream {
    let schema = &lowered.schema;
    // How many tables have a column of each name: the names to share.
    // (None shared when a table or schema of the module's own name would collide with it.)
    let can_share = !schema.tables.iter().any(|t| t.name.name == SHARED)
        && !schema.schemas.iter().any(|n| n.name == SHARED);
    let mut tables_with: HashMap<&str, usize> = HashMap::new();
    for table in schema.tables.iter().filter(|_| can_share) {
        for column in &table.columns {
            *tables_with.entry(column.name.as_str()).or_default() += 1;
        }
    }
    let mut root = Module::new(Ident::new("root", Span::call_site()));
    // The shared constants, in order of first use, by name.
    let mut shared: Vec<(Ident, String)> = Vec::new();
    let mut shared_names: HashSet<&str> = HashSet::new();
    for (table, spans) in schema.tables.iter().zip(&lowered.spans.tables) {
        let Some(table_ident) = rust_ident(&table.name.name, spans.name.end) else {
            continue;
        };
        let parent = if table.name.schema == DEFAULT_SCHEMA {
            &mut root
        } else {
            let Some(schema_ident) = rust_ident(&table.name.schema, spans.name.start) else {
                continue;
            };
            let docs = schema
                .schemas
                .iter()
                .find(|n| n.name == table.name.schema)
                .and_then(|n| n.comment.clone());
            let module = root.child(schema_ident);
            if module.docs.is_none() {
                module.docs = docs;
            }
            module
        };
        let module = parent.child(table_ident);
        if module.table.is_some() {
            // A duplicate table (already an error): the first declaration's constants stay.
            continue;
        }
        module.docs = table.comment.clone();
        module.table = Some(if table.name.schema == DEFAULT_SCHEMA {
            quote_ident(&table.name.name).into_owned()
        } else {
            quote_qualified(&table.name.schema, &table.name.name)
        });
        for (column, column_spans) in table.columns.iter().zip(&spans.columns) {
            if column.name == "TABLE" || !module.const_names.insert(column.name.clone()) {
                continue;
            }
            let Some(ident) = rust_ident(&column.name, column_spans.name.start) else {
                continue;
            };
            let others = tables_with.get(column.name.as_str()).copied().unwrap_or(0);
            if column.comment.is_none() && others > 1 {
                if shared_names.insert(column.name.as_str()) {
                    shared.push((ident.clone(), quote_ident(&column.name).into_owned()));
                }
                module.shared.push(ident);
            } else {
                module.consts.push((
                    ident,
                    quote_ident(&column.name).into_owned(),
                    column.comment.clone(),
                ));
            }
        }
    }
    let words = Words::new();
    let mut out: TokenStream = root.children.iter().map(|m| m.tokens(&words, 1)).collect();
    if !shared.is_empty() {
        let mut body: Vec<TokenTree> = Vec::new();
        for (ident, value) in &shared {
            body.extend(words.str_const(ident, value));
        }
        let body = Group::new(Delimiter::Brace, body.into_iter().collect());
        let ident = Ident::new(SHARED, Span::call_site());
        out.extend(quote! {
            #[doc(hidden)]
            #[allow(non_upper_case_globals, non_snake_case, dead_code, missing_docs, unused_imports)]
            pub mod #ident #body
        });
    }
    out
}

/// `text` as a raw string literal (`r#"..."#`, with enough `#`s). The model's JSON is tens
/// of megabytes at 10,000 tables: as a plain string literal, every `"` in it is escaped by
/// the macro (unoptimized under the default `dev` profile) and unescaped again by rustc; a raw
/// literal is handed to the compiler as is and only lexed there (issue 12).
fn raw_str(text: &str) -> TokenStream {
    // The literal ends at the first `"` followed by as many `#`s as it opened with.
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let source = format!("r{hashes}\"{text}\"{hashes}");
    if proc_macro::is_available() {
        // Straight to the compiler's lexer: `proc_macro2::Literal::from_str` would first
        // validate the text with its own lexer, unoptimized, byte by byte.
        if let Ok(literal) = source.parse::<proc_macro::Literal>() {
            return proc_macro::TokenStream::from(proc_macro::TokenTree::Literal(literal)).into();
        }
    } else if let Ok(literal) = source.parse::<proc_macro2::Literal>() {
        return TokenTree::Literal(literal).into();
    }
    // Unreachable (a raw string holds any text without a bare carriage return, and JSON
    // escapes those); a plain literal is always right.
    let literal = proc_macro2::Literal::string(text);
    quote!(#literal)
}

/// Keywords that need `r#` to be identifiers, in any edition.
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// `name` as a Rust identifier (raw for keywords), or `None` if Rust cannot spell it.
pub fn rust_ident(name: &str, span: Span) -> Option<Ident> {
    let mut chars = name.chars();
    let first = chars.next()?;
    let valid = (unicode_ident::is_xid_start(first) || first == '_')
        && chars.all(unicode_ident::is_xid_continue)
        && name != "_";
    if !valid || matches!(name, "self" | "super" | "crate" | "Self") {
        return None;
    }
    Some(if RUST_KEYWORDS.contains(&name) {
        Ident::new_raw(name, span)
    } else {
        Ident::new(name, span)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_idents() {
        let sp = Span::call_site();
        assert_eq!(rust_ident("users", sp).unwrap().to_string(), "users");
        assert_eq!(rust_ident("type", sp).unwrap().to_string(), "r#type");
        assert_eq!(rust_ident("café", sp).unwrap().to_string(), "café");
        assert!(rust_ident("self", sp).is_none());
        assert!(rust_ident("_", sp).is_none());
        assert!(rust_ident("order-lines", sp).is_none());
        assert!(rust_ident("1abc", sp).is_none());
        assert!(rust_ident("", sp).is_none());
        assert!(rust_ident("x\"; drop table y", sp).is_none());
    }
}
