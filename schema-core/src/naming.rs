//! The names PostgreSQL derives for unnamed constraints and indexes.
//!
//! A declared schema must name every object exactly as the server will, or the live catalog
//! never matches it. These functions follow `makeObjectName`, `ChooseRelationName`,
//! `ChooseIndexNameAddition` and `ChooseConstraintName` in PostgreSQL's source
//! (`src/backend/commands/indexcmds.c`, `src/backend/catalog/pg_constraint.c`).

use crate::ident::MAX_IDENTIFIER_BYTES;

/// `makeObjectName`: `name1[_name2][_label]`, truncating the longer of the two names first so
/// the result fits in 63 bytes, never splitting a multi-byte character.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: Option<&str>) -> String {
    let mut overhead = 0;
    if name2.is_some() {
        overhead += 1;
    }
    if let Some(label) = label {
        overhead += label.len() + 1;
    }
    let avail = MAX_IDENTIFIER_BYTES.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = String::with_capacity(MAX_IDENTIFIER_BYTES);
    out.push_str(clip(name1, n1));
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip(name2, n2));
    }
    if let Some(label) = label {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// The longest prefix of `s` of at most `bytes` bytes that ends on a character boundary
/// (`pg_mbcliplen`).
fn clip(s: &str, bytes: usize) -> &str {
    let mut end = bytes.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `ChooseRelationName` / `ChooseConstraintName`: the first of `name1_name2_label`,
/// `name1_name2_label1`, `name1_name2_label2`, ... that `taken` does not reject.
pub fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    mut taken: impl FnMut(&str) -> bool,
) -> String {
    let mut pass = 0;
    let mut modlabel = label.to_string();
    loop {
        let name = make_object_name(name1, name2, Some(&modlabel));
        if !taken(&name) {
            return name;
        }
        pass += 1;
        modlabel = format!("{label}{pass}");
    }
}

/// `ChooseIndexNameAddition` (and `ChooseForeignKeyConstraintNameAddition`, which is the
/// same): column names joined by `_`, stopping once the text reaches 63 bytes.
pub fn name_addition<'a>(columns: impl IntoIterator<Item = &'a str>) -> String {
    let mut buf = String::new();
    for name in columns {
        if !buf.is_empty() {
            buf.push('_');
        }
        buf.push_str(clip(name, MAX_IDENTIFIER_BYTES));
        if buf.len() > MAX_IDENTIFIER_BYTES {
            break;
        }
    }
    buf
}

/// The name PostgreSQL gives `PRIMARY KEY` on `table`: `table_pkey`.
pub fn primary_key_name(table: &str, taken: impl FnMut(&str) -> bool) -> String {
    choose_name(table, None, "pkey", taken)
}

/// The name of `UNIQUE (columns)` on `table`: `table_col1_col2_key`.
pub fn unique_name<'a>(
    table: &str,
    columns: impl IntoIterator<Item = &'a str>,
    taken: impl FnMut(&str) -> bool,
) -> String {
    choose_name(table, Some(&name_addition(columns)), "key", taken)
}

/// The name of `EXCLUDE (elements)` on `table`: `table_col1_col2_excl`, after the index
/// column names like a unique key.
pub fn exclusion_name<'a>(
    table: &str,
    columns: impl IntoIterator<Item = &'a str>,
    taken: impl FnMut(&str) -> bool,
) -> String {
    choose_name(table, Some(&name_addition(columns)), "excl", taken)
}

/// The name of `FOREIGN KEY (columns)` on `table`: `table_col1_col2_fkey`.
pub fn foreign_key_name<'a>(
    table: &str,
    columns: impl IntoIterator<Item = &'a str>,
    taken: impl FnMut(&str) -> bool,
) -> String {
    choose_name(table, Some(&name_addition(columns)), "fkey", taken)
}

/// The name of `CHECK (expr)` on `table`: `table_col_check` when the expression references
/// exactly one column, else `table_check`.
pub fn check_name(
    table: &str,
    single_column: Option<&str>,
    taken: impl FnMut(&str) -> bool,
) -> String {
    choose_name(table, single_column, "check", taken)
}

/// The name of an unnamed index on `table` whose key elements are named `element_names`
/// (columns by name, expressions as `FigureIndexColname` names them, see
/// [`crate::expr::index_column_name`]): `table_a_b_idx`.
pub fn index_name<'a>(
    table: &str,
    element_names: impl IntoIterator<Item = &'a str>,
    taken: impl FnMut(&str) -> bool,
) -> String {
    choose_name(table, Some(&name_addition(element_names)), "idx", taken)
}

/// `ChooseIndexColumnNames`: each index column's name (key columns, then `INCLUDE` columns),
/// a repeated one numbered (`a`, `a1`), so the index name built from them is PostgreSQL's.
pub fn index_column_names(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut result: Vec<String> = Vec::new();
    for orig in names {
        let mut current = orig.clone();
        let mut i = 1;
        while result.contains(&current) {
            let suffix = i.to_string();
            let end = MAX_IDENTIFIER_BYTES.saturating_sub(suffix.len());
            current = format!("{}{suffix}", clip(&orig, end));
            i += 1;
        }
        result.push(current);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        let free = |_: &str| false;
        assert_eq!(primary_key_name("users", free), "users_pkey");
        assert_eq!(unique_name("users", ["email"], free), "users_email_key");
        assert_eq!(unique_name("t", ["a", "b"], free), "t_a_b_key");
        assert_eq!(
            foreign_key_name("orders", ["user_id"], free),
            "orders_user_id_fkey"
        );
        assert_eq!(check_name("users", Some("age"), free), "users_age_check");
        assert_eq!(check_name("users", None, free), "users_check");
        assert_eq!(index_name("users", ["lower"], free), "users_lower_idx");
    }

    #[test]
    fn collisions_number_the_label() {
        let taken = |n: &str| n == "users_check" || n == "users_check1";
        assert_eq!(check_name("users", None, taken), "users_check2");
    }

    #[test]
    fn truncates_like_postgres() {
        // Checked against PostgreSQL 15: CREATE TABLE with a 60-byte name and a UNIQUE column.
        let table = "a".repeat(60);
        let name = unique_name(&table, ["some_column"], |_: &str| false);
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_some_column_key", "a".repeat(47)));
        let long = "é".repeat(40); // 80 bytes
        let name = primary_key_name(&long, |_: &str| false);
        assert!(name.len() <= 63 && name.ends_with("_pkey"));
    }

    #[test]
    fn index_column_names_number_repeats() {
        let names = index_column_names(["lower".to_string(), "lower".to_string(), "a".to_string()]);
        assert_eq!(names, ["lower", "lower1", "a"]);
    }
}
