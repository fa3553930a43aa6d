//! Validity as a difference: a live index left INVALID by a failed concurrent build is rebuilt,
//! and a live constraint added `NOT VALID` is validated (not dropped and re-added), when the
//! declared twin is the same object.

mod common;

use common::ty;
use schema_core::builder::*;
use schema_core::*;

/// Each change of a plan with what a reviewer needs: verb, object, lock, hazards, SQL.
fn describe(plan: &Plan) -> String {
    let mut out = String::new();
    for change in &plan.changes {
        let codes: Vec<&str> = change.hazards.iter().map(|h| h.code()).collect();
        out.push_str(&format!(
            "-- {} | lock: {} | transactional: {} | hazards: {}\n{}\n",
            change,
            change.lock,
            change.transactional,
            codes.join(", "),
            change.sql()
        ));
    }
    out
}

/// Users (with a unique email index) and posts referencing them.
fn desired() -> Schema {
    Schema::builder()
        .table(
            TableDef::new("users")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("email", ty("text")).not_null())
                .index(
                    IndexDef::on_columns(["email"])
                        .named("users_email_key_idx")
                        .unique(),
                ),
        )
        .table(
            TableDef::new("posts")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("author", ty("bigint")).references("users")),
        )
        .build()
}

fn table<'s>(schema: &'s mut Schema, name: &str) -> &'s mut Table {
    schema
        .tables
        .iter_mut()
        .find(|t| t.name.name == name)
        .expect("table")
}

#[test]
fn invalid_index_is_rebuilt_concurrently() {
    let desired = desired();
    let mut current = desired.clone();
    table(&mut current, "users").indexes[0].valid = false;
    let plan = diff(&current, &desired);
    insta::assert_snapshot!("validity_invalid_index", describe(&plan));
    assert!(schema_core::diff::plan_walk(&desired, &desired).is_empty());
}

#[test]
fn invalid_undeclared_index_is_dropped() {
    let desired = desired();
    let mut current = desired.clone();
    table(&mut current, "users").indexes[0].valid = false;
    let mut without = desired.clone();
    table(&mut without, "users").indexes.clear();
    insta::assert_snapshot!(
        "validity_invalid_undeclared_index",
        describe(&diff(&current, &without))
    );
}

#[test]
fn not_valid_foreign_key_is_validated() {
    let desired = desired();
    let mut current = desired.clone();
    let posts = table(&mut current, "posts");
    let fk = posts
        .constraints
        .iter_mut()
        .find(|c| matches!(c.kind, ConstraintKind::ForeignKey { .. }))
        .expect("foreign key");
    fk.validated = false;
    insta::assert_snapshot!("validity_not_valid_fk", describe(&diff(&current, &desired)));
}

#[test]
fn declared_validity_is_not_serialized() {
    // Macro expansions embed the model as JSON: valid objects must serialize as before.
    let json = serde_json::to_string(&desired()).unwrap();
    assert!(!json.contains("valid"), "{json}");
    let mut current = desired();
    table(&mut current, "users").indexes[0].valid = false;
    let back: Schema = serde_json::from_str(&serde_json::to_string(&current).unwrap()).unwrap();
    assert_eq!(back, current);
    assert_eq!(serde_json::from_str::<Schema>(&json).unwrap(), desired());
}
