//! Column type changes no cast can make (`time` to `timestamp`): with a declared `using`
//! expression the values are converted, once; without one the change is withheld with the
//! `needs-using` hazard, and when allowed it applies to an empty table only: on a table with
//! rows it fails naming the column and the fix, and changes nothing.

use schema_core::builder::*;
use schema_core::diff::Hazard;
use schema_core::{DataType, Schema};
use schema_runtime::testkit::TestServer;
use schema_runtime::{converge, Mode, Policy};

fn ty(sql: &str) -> DataType {
    DataType::parse(sql).unwrap()
}

fn shifts(starts: ColumnDef, ends: ColumnDef) -> Schema {
    Schema::builder()
        .table(
            TableDef::new("shifts")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(starts)
                .column(ends),
        )
        .build()
}

fn v1() -> Schema {
    shifts(
        ColumnDef::new("starts", ty("time")).not_null(),
        ColumnDef::new("ends", ty("time")),
    )
}

#[test]
fn a_declared_using_converts_the_values_once() {
    let db = TestServer::shared().create_database("typeusing").unwrap();
    let mut client = db.connect();
    converge(&mut client, &v1(), &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO shifts VALUES (1, '09:00', '17:30'), (2, '22:00', NULL)")
        .unwrap();
    let v2 = shifts(
        ColumnDef::new("starts", ty("timestamp"))
            .not_null()
            .using("current_date + starts"),
        ColumnDef::new("ends", ty("timestamp")).using("current_date + ends"),
    );
    let report = converge(&mut client, &v2, &Policy::new(Mode::Apply)).unwrap();
    assert!(report.in_sync(), "{report}");
    let rows = client
        .query(
            "SELECT starts = current_date + time '09:00', ends IS NOT DISTINCT FROM
                    current_date + time '17:30'
             FROM shifts WHERE id = 1",
            &[],
        )
        .unwrap();
    assert!(rows[0].get::<_, bool>(0) && rows[0].get::<_, bool>(1));
    // Applied once: the types match now, so the expression is not used again.
    let again = converge(&mut client, &v2, &Policy::new(Mode::Apply)).unwrap();
    assert!(again.plan.changes.is_empty(), "{}", again.plan.to_sql());
    schema_runtime::validate(&mut client, &v2).unwrap();
}

#[test]
fn without_using_the_change_is_withheld_and_refused_on_rows() {
    let db = TestServer::shared().create_database("typenousing").unwrap();
    let mut client = db.connect();
    converge(&mut client, &v1(), &Policy::new(Mode::Apply)).unwrap();
    client
        .batch_execute("INSERT INTO shifts VALUES (1, '09:00', '17:30')")
        .unwrap();
    let v2 = shifts(
        ColumnDef::new("starts", ty("time")).not_null(),
        ColumnDef::new("ends", ty("timestamp")),
    );
    // Withheld by default, with the hazard's help.
    let report = converge(&mut client, &v2, &Policy::new(Mode::Apply)).unwrap();
    assert_eq!(report.withheld.len(), 1, "{report}");
    assert!(report.withheld[0].hazards.contains(&Hazard::NeedsUsing));
    assert!(Hazard::NeedsUsing.help().contains("using"));
    // Allowed, on a table with rows: the server refuses, naming the column and the fix.
    let allow = Policy {
        allow_destructive: true,
        ..Policy::new(Mode::Apply)
    };
    let err = converge(&mut client, &v2, &allow).unwrap_err();
    assert_eq!(err.sqlstate(), Some("42846"), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("public.shifts.ends") && text.contains("using"),
        "{text}"
    );
    let still_time: String = client
        .query_one(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
             WHERE attrelid = 'shifts'::regclass AND attname = 'ends'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(still_time, "time without time zone");
    // On an empty table there is nothing to convert: it applies.
    client.batch_execute("DELETE FROM shifts").unwrap();
    let report = converge(&mut client, &v2, &allow).unwrap();
    assert!(report.in_sync(), "{report}");
    schema_runtime::validate(&mut client, &v2).unwrap();
}
