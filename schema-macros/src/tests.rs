//! Pipeline tests on token streams, outside a compiler: derived names, error accumulation,
//! the shape of the expansion, and a property test that no input makes the macro panic.
//!
//! They live in the proc-macro crate itself (a proc-macro crate exports nothing else), and run
//! with `cargo test -p schema-macros`.

use proc_macro2::TokenStream;
use proptest::prelude::*;
use schema_core::model::{ConstraintKind, Schema};

use crate::ctxt::Ctxt;
use crate::{ast, check, expand, lower};

/// The lowered schema and the error messages of `src`.
fn run(src: &str) -> (Schema, Vec<String>) {
    let tokens: TokenStream = syn::parse_str(src).expect("test input tokenizes");
    let cx = Ctxt::new();
    let items = ast::parse(&cx, tokens);
    let lowered = lower::lower(&cx, &items);
    check::check(&cx, &lowered);
    let errors = match cx.check() {
        Ok(()) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    };
    (lowered.schema, errors)
}

fn ok(src: &str) -> Schema {
    let (schema, errors) = run(src);
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    schema
}

fn constraint_names(schema: &Schema, table: usize) -> Vec<&str> {
    schema.tables[table]
        .constraints
        .iter()
        .map(|c| c.name.as_str())
        .collect()
}

fn index_names(schema: &Schema, table: usize) -> Vec<&str> {
    schema.tables[table]
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect()
}

#[test]
fn derives_postgres_names() {
    let s = ok(r#"
        table orgs { id bigint primary key }
        table users {
            id bigint primary key,
            email text not null unique,
            org_id bigint references orgs on delete cascade,
            age int check "age > 0",
            check "age < 200",
            check "email <> '' and age > 1",
            index on (lower(email)),
            index on ("lower(email)", org_id),
            unique index on (email) include (age),
        }
    "#);
    assert_eq!(
        constraint_names(&s, 1),
        [
            "users_pkey",
            "users_email_key",
            "users_org_id_fkey",
            "users_age_check",
            "users_age_check1",
            "users_check",
        ]
    );
    assert_eq!(
        index_names(&s, 1),
        [
            "users_lower_idx",
            "users_lower_org_id_idx",
            "users_email_age_idx"
        ]
    );
    // The implied reference is the target's primary key.
    match &s.tables[1].constraints[2].kind {
        ConstraintKind::ForeignKey { ref_columns, .. } => assert_eq!(ref_columns, &["id"]),
        other => panic!("{other:?}"),
    }
    // Primary key columns are NOT NULL, as the catalog has them.
    assert!(s.tables[1].columns[0].not_null);
}

#[test]
fn derived_names_avoid_declared_and_earlier_ones() {
    let s = ok(r#"
        table t {
            a int,
            b int,
            constraint t_a_key check "a > 0",
            unique (a),
            unique (a),
            index on (lower(a), lower(b)),
            index t_a_idx on (b),
            index on (a),
        }
        sequence t_pkey;
        table u { id int primary key, x int, unique (x) include (id) }
    "#);
    assert_eq!(constraint_names(&s, 0), ["t_a_key", "t_a_key1", "t_a_key2"]);
    assert_eq!(
        index_names(&s, 0),
        ["t_lower_lower1_idx", "t_a_idx", "t_a_idx1"]
    );
    assert_eq!(constraint_names(&s, 1), ["u_pkey", "u_x_id_key"]);
}

#[test]
fn truncates_long_derived_names() {
    let table = "a".repeat(60);
    let s = ok(&format!("table {table} {{ some_column int unique }}"));
    assert_eq!(
        constraint_names(&s, 0),
        [format!("{}_some_column_key", "a".repeat(47))]
    );
}

#[test]
fn accumulates_errors() {
    let (_, errors) = run(r#"
        table users {
            id intger,
            name varchar(0),
            email text not null null,
            x text default y,
        }
        tabel orgs { id int }
        table ok { id int }
    "#);
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("invalid type `varchar(0)`")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("did you mean `table`?")),
        "{errors:#?}"
    );
}

#[test]
fn domain_checks_are_named_before_table_checks() {
    // `CREATE DOMAIN` runs first, and constraint names are the schema's: the table's column
    // check on `t.a` finds `t_a_check` and `t_a_check1` taken by the domain `t_a`.
    let s = ok(r#"
        domain t_a as integer check "VALUE > 0" check "VALUE < 9" check named "VALUE <> 5";
        table t { a integer check "a > 0" }
    "#);
    let domain: Vec<&str> = s.domains[0]
        .checks
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(domain, ["t_a_check", "t_a_check1", "named"]);
    assert_eq!(constraint_names(&s, 0), ["t_a_check2"]);
}

#[test]
fn user_type_errors_accumulate() {
    let (_, errors) = run(r#"
        domain year as intger check "year > 0" default 1 default 2;
        type address as (street text, street text);
        type floatrange as range (subtype_diff = float8mi);
        table t { y yaer }
    "#);
    let expected = [
        "duplicate `default`",
        "a range type needs a `subtype`",
        "attribute `street` appears twice",
        "unknown type `intger`",
        "unknown type `yaer`",
        "refers to `year`, which is not `VALUE`",
    ];
    for e in expected {
        assert!(errors.iter().any(|x| x.contains(e)), "{e}: {errors:#?}");
    }
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
}

#[test]
fn types_parse_from_tokens() {
    let s = ok(r#"
        enum audit.level { low, high }
        schema audit;
        table t {
            a double precision,
            b timestamp(3) with time zone,
            c character varying(20)[],
            d interval day to second(3),
            e audit.level,
            f numeric(10, -2),
            g "char",
            h time without time zone,
            i bit varying(4),
        }
    "#);
    let types: Vec<String> = s.tables[0]
        .columns
        .iter()
        .map(|c| c.data_type.to_string())
        .collect();
    assert_eq!(
        types,
        [
            "double precision",
            "timestamp(3) with time zone",
            "character varying(20)[]",
            "interval day to second(3)",
            "audit.level",
            "numeric(10,-2)",
            "\"char\"",
            "time without time zone",
            "bit varying(4)",
        ]
    );
}

#[test]
fn expansion_has_static_and_modules() {
    let tokens: TokenStream = syn::parse_str(
        r#"
        schema audit;
        /// People.
        table users { id bigint, r#type text, "TABLE" text, "x-y" int, "self" int }
        table audit.events { id bigint }
        table "order-lines" { id bigint }
    "#,
    )
    .unwrap();
    let out = expand::expand(tokens).to_string();
    assert!(out.contains("pub static SCHEMA"), "{out}");
    assert!(out.contains("schema_from_json"), "{out}");
    assert!(out.contains("pub mod users"), "{out}");
    assert!(out.contains("pub const r#type : & str = \"type\""), "{out}");
    assert!(out.contains("pub mod audit {"), "{out}");
    assert!(out.contains("pub mod events {"), "{out}");
    assert!(out.contains("\"audit.events\""), "{out}");
    assert!(!out.contains("pub mod order"), "{out}");
    assert!(!out.contains("x-y\" :"), "{out}");
    assert!(!out.contains("const self"), "{out}");
    assert!(!out.contains("const TABLE : & str = \"\\\"TABLE"), "{out}");
    assert_eq!(out.matches("pub const TABLE").count(), 2, "{out}");
}

#[test]
fn fallback_keeps_parsed_tables() {
    let tokens: TokenStream =
        syn::parse_str("table users { id bigint, email intger } tabel x {}").unwrap();
    let out = expand::expand(tokens).to_string();
    assert!(out.contains("compile_error"), "{out}");
    assert!(out.contains("empty_schema"), "{out}");
    assert!(out.contains("pub mod users"), "{out}");
    assert!(out.contains("pub const email"), "{out}");
}

const WORDS: &[&str] = &[
    "table",
    "enum",
    "domain",
    "type",
    "range",
    "subtype",
    "subtype_diff",
    "multirange_type_name",
    "extension",
    "schema",
    "sequence",
    "function",
    "procedure",
    "trigger",
    "view",
    "index",
    "unique",
    "primary",
    "key",
    "foreign",
    "references",
    "check",
    "constraint",
    "not",
    "null",
    "default",
    "generated",
    "always",
    "as",
    "identity",
    "by",
    "stored",
    "collate",
    "on",
    "delete",
    "update",
    "cascade",
    "set",
    "no",
    "action",
    "deferrable",
    "initially",
    "deferred",
    "include",
    "nulls",
    "distinct",
    "where",
    "using",
    "returns",
    "setof",
    "language",
    "immutable",
    "strict",
    "security",
    "definer",
    "before",
    "after",
    "instead",
    "of",
    "or",
    "for",
    "each",
    "row",
    "execute",
    "insert",
    "renamed_from",
    "increment",
    "start",
    "minvalue",
    "cycle",
    "owned",
    "with",
    "time",
    "zone",
    "double",
    "precision",
    "varying",
    "int",
    "text",
    "varchar",
    "numeric",
    "timestamp",
    "interval",
    "day",
    "to",
    "second",
    "uuid",
    "citext",
    "serial",
    "trigger",
    "desc",
    "first",
    "in",
    "out",
    "inout",
    "variadic",
    "users",
    "id",
    "a",
    "b",
    "audit",
    "r#type",
    "r#check",
    "éé",
    "Users",
    "true",
    "false",
    "self",
    "_",
];

const ATOMS: &[&str] = &[
    "\"now()\"",
    "\"a > 0\"",
    "\"'x'\"",
    "\"\"",
    "\"x\\\"; drop table y\"",
    "\"SELECT 1\"",
    "\"$$ x\"",
    "\"lower(a)\"",
    "\"a b c (\"",
    "r#\"BEGIN RETURN NEW; END\"#",
    "1",
    "-1",
    "2.5",
    "0i32",
    "99999999999999999999",
    "'c'",
    "b\"x\"",
    "\"x\"suffix",
    ";",
    ",",
    ".",
    "-",
    "=",
    "::",
    "#[doc = \"d\"]",
    "#[derive(X)]",
    "#![x]",
    "$",
];

fn token_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => proptest::sample::select(WORDS).prop_map(str::to_string),
        2 => proptest::sample::select(ATOMS).prop_map(str::to_string),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        (
            proptest::sample::select(&[("(", ")"), ("{", "}"), ("[", "]")][..]),
            proptest::collection::vec(inner, 0..8),
        )
            .prop_map(|((open, close), body)| format!("{open} {} {close}", body.join(" ")))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Whatever the tokens, the macro reports errors and never panics.
    #[test]
    fn never_panics(parts in proptest::collection::vec(token_text(), 0..24)) {
        let src = parts.join(" ");
        if let Ok(tokens) = syn::parse_str::<TokenStream>(&src) {
            let _ = expand::expand(tokens);
        }
    }

    /// Well-formed tables with random option sequences never panic either (deeper coverage of
    /// the column option parser and the checks).
    #[test]
    fn never_panics_in_tables(
        columns in proptest::collection::vec(
            proptest::collection::vec(token_text(), 1..8), 0..6),
    ) {
        let body: Vec<String> = columns.iter().map(|c| c.join(" ")).collect();
        let src = format!("extension citext; table t {{ {} }} table u {{ id int primary key }}", body.join(", "));
        if let Ok(tokens) = syn::parse_str::<TokenStream>(&src) {
            let _ = expand::expand(tokens);
        }
    }
}

/// Expansion time of a 1000-table schema (run with `--ignored --nocapture`); the compile
/// benchmark proper is `examples/bench.rs`.
#[test]
#[ignore]
fn thousand_tables_expand_quickly() {
    let mut src = String::new();
    for i in 0..1000 {
        let fk = if i == 0 {
            String::new()
        } else {
            format!(
                "parent_id bigint references t{} (id) on delete cascade,",
                i - 1
            )
        };
        src.push_str(&format!(
            "table t{i} {{
                id bigint generated always as identity primary key,
                {fk}
                name text not null,
                email varchar(255) unique,
                score numeric(10, 2) not null default 0,
                created_at timestamptz not null default \"now()\",
                deleted_at timestamptz,
                note text,
                active boolean not null default true,
                check \"score >= 0\",
                index on (lower(email)),
                index on (created_at) where \"deleted_at is null\",
            }}\n"
        ));
    }
    let tokens: TokenStream = syn::parse_str(&src).unwrap();
    let start = std::time::Instant::now();
    let out = expand::expand(tokens);
    let elapsed = start.elapsed();
    let text = out.to_string();
    assert!(
        !text.contains("compile_error"),
        "{}",
        &text[..2000.min(text.len())]
    );
    println!("expand: {elapsed:?}, {} bytes of output", text.len());
}

/// How an index on a column Rust cannot spell must be written: as SQL, the name quoted.
#[test]
fn index_on_weird_column_is_written_as_quoted_sql() {
    let s = ok(
        r#"table t { "Weird Name" int, "check" int, index on ("\"Weird Name\"", "\"check\"") }"#,
    );
    assert_eq!(
        s.tables[0].indexes[0].elements[0].target,
        schema_core::model::IndexTarget::Column("Weird Name".into())
    );
    let (_, errors) = run(r#"table t { "Weird Name" int, index on ("Weird Name") }"#);
    assert!(errors[0].contains("expression-invalid"), "{errors:?}");
}

#[test]
fn builder_try_build_rejects_with_the_macros_code() {
    use schema_core::builder::{ColumnDef, References, TableDef};
    use schema_core::DataType;

    let (_, errors) = run(r#"
        table orgs { id int primary key }
        table users { id int primary key, org_id int references orgs (idd) }
    "#);
    let int = || DataType::builtin("integer");
    let diagnostics = Schema::builder()
        .table(TableDef::new("orgs").column(ColumnDef::new("id", int()).primary_key()))
        .table(
            TableDef::new("users")
                .column(ColumnDef::new("id", int()).primary_key())
                .column(
                    ColumnDef::new("org_id", int())
                        .references(References::table("orgs").column("idd")),
                ),
        )
        .try_build()
        .expect_err("a foreign key to a missing column is rejected at run time too");
    assert_eq!(diagnostics.len(), errors.len());
    for (diagnostic, error) in diagnostics.iter().zip(&errors) {
        assert_eq!(diagnostic.code, "fk-target-column-missing");
        assert!(error.contains(&format!("[{}]", diagnostic.code)), "{error}");
    }
}

#[test]
fn partitioned_tables_and_partitions() {
    use schema_core::model::{IndexTarget, PartitionBound, PartitionStrategy};

    let s = ok(r#"
        table payment_p2022_01 partition of payment for values from ("2022-01-01") to ("2022-02-01") {
            index on (customer_id),
        }
        table payment partition by range (payment_date) {
            payment_id bigint not null,
            customer_id int not null,
            payment_date timestamptz not null,
            kind text,
            primary key (payment_date, payment_id, kind),
        }
        table payment_rest partition of payment default partition by list (kind);
        table payment_rest_a partition of payment_rest for values in ("a", null, 1, -2, true);
        table h partition by hash (customer_id text_pattern_ops, "abs(customer_id)") { customer_id int }
        table h0 partition of h for values with (modulus 4, remainder 3);
        table r partition by range (n) { n int }
        table r0 partition of r for values from (minvalue) to (maxvalue);
        table ev partition by list ("lower(kind)") { kind text }
    "#);
    let p = &s.tables[0];
    let of = p.partition_of.as_ref().unwrap();
    assert_eq!(of.parent.name, "payment");
    assert_eq!(
        of.bound,
        PartitionBound::range(["'2022-01-01'"], ["'2022-02-01'"])
    );
    let columns: Vec<&str> = p.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        columns,
        ["payment_id", "customer_id", "payment_date", "kind"]
    );
    assert_eq!(index_names(&s, 0), ["payment_p2022_01_customer_id_idx"]);
    let key = s.tables[1].partition_by.as_ref().unwrap();
    assert_eq!(key.strategy, PartitionStrategy::Range);
    assert_eq!(
        key.elements[0].target,
        IndexTarget::Column("payment_date".into())
    );
    let rest = &s.tables[2];
    assert_eq!(
        rest.partition_of.as_ref().unwrap().bound,
        PartitionBound::Default
    );
    assert_eq!(
        s.tables[8].partition_by.as_ref().unwrap().elements[0].target,
        IndexTarget::Expression("lower(kind)".into())
    );
    assert_eq!(
        s.tables[3].partition_of.as_ref().unwrap().bound,
        PartitionBound::list(["'a'", "NULL", "1", "-2", "true"])
    );
    let hash = s.tables[4].partition_by.as_ref().unwrap();
    assert_eq!(
        hash.elements[0].opclass.as_deref(),
        Some("text_pattern_ops")
    );
    assert_eq!(
        s.tables[5].partition_of.as_ref().unwrap().bound,
        PartitionBound::hash(4, 3)
    );
    assert_eq!(
        s.tables[7].partition_of.as_ref().unwrap().bound,
        PartitionBound::range(["MINVALUE"], ["MAXVALUE"])
    );
    // The partition gets a module with its parent's column constants.
    let out = expand::expand(
        syn::parse_str(
            "table p partition by list (k) { k int } table p1 partition of p for values in (1);",
        )
        .unwrap(),
    )
    .to_string();
    assert!(!out.contains("compile_error"), "{out}");
    assert!(out.contains("pub mod p1"), "{out}");
}

#[test]
fn partition_errors_point_at_their_clause() {
    let (_, errors) = run(r#"
        table t partition by range (n) { n int }
        table a partition of t for values in (1);
        table b partition of t for values from (1) to (2) { x int, }
        table c partition of t for values frm (1);
        table d partition by rang (n) { n int }
        table e partition of t for values from ('x') to (2);
    "#);
    assert_eq!(errors.len(), 5, "{errors:#?}");
    assert!(
        errors[0].contains("cannot declare column `x`"),
        "{errors:#?}"
    );
    assert!(
        errors[1].contains("expected one of `from`, `in`, `with`"),
        "{errors:#?}"
    );
    assert!(errors[2].contains("did you mean `range`?"), "{errors:#?}");
    assert!(
        errors[3].contains("expected a partition bound value"),
        "{errors:#?}"
    );
    assert!(
        errors[4].contains("[partition-bound-mismatch]"),
        "{errors:#?}"
    );
}

#[test]
fn builtin_trigger_functions_live_in_pg_catalog() {
    let s = ok(r#"
        table users { id bigint primary key }
        trigger users_dedupe before update on users for each row execute function suppress_redundant_updates_trigger();
    "#);
    assert_eq!(s.triggers[0].function.schema, "pg_catalog");
}

/// Table bodies are parsed element by element in place, and an element that fails (or the
/// last one, without its `,`) is parsed again alone: the errors and what parsed must be
/// those of parsing every element alone (issue 12).
#[test]
fn body_elements_in_place_and_alone_agree() {
    // The last element without its `,`, an escaped and a raw SQL literal, a number.
    let s = ok(r##"
        table t {
            a character varying(16) not null default "'x\"y'",
            b numeric(12, 2) check r#"b > 0"#,
            c text default "'plain'"
        }
    "##);
    let columns = &s.tables[0].columns;
    assert_eq!(columns.len(), 3);
    assert_eq!(columns[0].default.as_deref(), Some("'x\"y'"));
    assert_eq!(columns[2].default.as_deref(), Some("'plain'"));
    assert_eq!(s.tables[0].constraints.len(), 1);

    // A bracket left unfinished fails its own element only ("unexpected token", as when
    // each element was parsed alone); the elements around it still parse, once each.
    let (s, errors) = run(r#"
        table t {
            a integer,
            b integer[5 6],
            c integer
        }
    "#);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let names: Vec<&str> = s.tables[0]
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["a", "c"]);

    // An error in the last element without a `,` is reported once, on its own tokens.
    let (_, errors) = run("table t { a integer, b }");
    assert_eq!(errors.len(), 1, "{errors:#?}");
}
