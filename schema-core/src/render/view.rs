//! Views: `CREATE OR REPLACE VIEW`, and the names a view query mentions, which order views
//! after the views they use.

use std::collections::BTreeSet;
use std::fmt::{self, Formatter};

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::display::*;
use super::*;

/// `CREATE OR REPLACE VIEW`, or for a materialized view (which has no `OR REPLACE`) `CREATE
/// MATERIALIZED VIEW IF NOT EXISTS ... [WITH NO DATA]`.
pub(super) fn write_create_view(f: &mut Formatter<'_>, view: &View, pretty: bool) -> fmt::Result {
    if view.materialized {
        write!(f, "CREATE MATERIALIZED VIEW IF NOT EXISTS {}", view.name)?;
    } else {
        write!(f, "CREATE OR REPLACE VIEW {}", view.name)?;
    }
    if !view.columns.is_empty() {
        write!(f, " ({})", Idents(&view.columns))?;
    }
    let query = view.query.trim().trim_end_matches(';').trim_end();
    let sep = if pretty { "\n" } else { " " };
    write!(f, " AS{sep}{}", Fragment(query))?;
    if view.materialized && !view.with_data {
        write!(f, "{sep}WITH NO DATA")?;
    }
    f.write_str(";")
}

/// Lower-cased words and quoted identifiers that occur in an SQL text: what a view query may
/// name. Over-approximates on purpose (a word in a string literal counts): it only decides
/// ordering and which views to rebuild, where an extra name costs nothing.
pub fn mentioned_names(sql: &str) -> BTreeSet<String> {
    let dialect = PostgreSqlDialect {};
    let mut out = BTreeSet::new();
    match Tokenizer::new(&dialect, sql).tokenize() {
        Ok(tokens) => {
            for token in tokens {
                match token {
                    Token::Word(w) if w.quote_style.is_some() => {
                        out.insert(w.value);
                    }
                    Token::Word(w) => {
                        out.insert(w.value.to_lowercase());
                    }
                    Token::SingleQuotedString(s) => {
                        // `nextval('seq')`, `'public.t'::regclass`: names inside literals.
                        for part in s.split(['.', '"']) {
                            out.insert(part.to_lowercase());
                            out.insert(part.to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
        Err(_) => {
            for word in sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')) {
                out.insert(word.to_lowercase());
                out.insert(word.to_string());
            }
        }
    }
    out
}

/// Indexes into `views` in an order that creates every view after the views its query names
/// (declaration order otherwise; a cycle, which PostgreSQL cannot create, keeps declaration
/// order).
pub fn view_order(views: &[&View]) -> Vec<usize> {
    let mentions: Vec<BTreeSet<String>> = views.iter().map(|v| mentioned_names(&v.query)).collect();
    let depends = |a: usize, b: usize| a != b && mentions[a].contains(&views[b].name.name);
    let mut done = vec![false; views.len()];
    let mut visiting = vec![false; views.len()];
    let mut order = Vec::with_capacity(views.len());
    fn visit(
        i: usize,
        n: usize,
        depends: &dyn Fn(usize, usize) -> bool,
        done: &mut [bool],
        visiting: &mut [bool],
        order: &mut Vec<usize>,
    ) {
        if done[i] || visiting[i] {
            return;
        }
        visiting[i] = true;
        for j in 0..n {
            if depends(i, j) {
                visit(j, n, depends, done, visiting, order);
            }
        }
        visiting[i] = false;
        done[i] = true;
        order.push(i);
    }
    for i in 0..views.len() {
        visit(
            i,
            views.len(),
            &depends,
            &mut done,
            &mut visiting,
            &mut order,
        );
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_follow_the_views_they_name() {
        let v = |name: &str, query: &str| View {
            name: QualifiedName::public(name),
            columns: vec![],
            query: query.into(),
            comment: None,
            column_types: Vec::new(),
            materialized: false,
            with_data: true,
            indexes: Vec::new(),
        };
        let a = v("a", "SELECT * FROM b JOIN c ON true");
        let b = v("b", "SELECT * FROM c");
        let c = v("c", "SELECT 1");
        let order = view_order(&[&a, &b, &c]);
        assert_eq!(order, [2, 1, 0]);
    }
}
