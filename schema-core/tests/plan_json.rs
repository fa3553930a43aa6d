//! `Plan` and `Change` serialize with stable field names (audit events, `--json` output):
//! the snapshot is the contract.

use schema_core::builder::*;
use schema_core::{diff, DataType, Schema};

fn version(qty: &str, indexed: bool) -> Schema {
    let mut t = TableDef::new("items")
        .column(ColumnDef::new("id", DataType::builtin("integer")).primary_key())
        .column(ColumnDef::new("qty", DataType::builtin(qty)));
    if indexed {
        t = t.index(IndexDef::on_columns(["qty"]).named("items_qty_idx"));
    }
    Schema::builder().table(t).build()
}

#[test]
fn a_plan_serializes_with_stable_field_names() {
    let plan = diff(&version("bigint", false), &version("integer", true));
    let json = serde_json::to_string_pretty(&plan).unwrap();
    insta::assert_snapshot!(json);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &value["changes"][0];
    for key in [
        "object",
        "kind",
        "sql",
        "hazards",
        "lock",
        "transactional",
        "inverse_sql",
        "defines_function",
    ] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
    assert!(first.get("needs").is_none() && first.get("phase").is_none());
}
