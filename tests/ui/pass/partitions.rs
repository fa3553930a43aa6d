//! Partitioned tables: range, list, hash, default and multi-level partitions, a partition's
//! own indexes and checks, and the name constants a partition gets from its parent.

mod schema {
    pgdecl::schema! {
        table payment partition by range (paid_at) {
            id          bigint not null,
            customer_id bigint not null,
            amount      numeric(10, 2) not null,
            paid_at     timestamptz not null,
            primary key (paid_at, id),
            index on (customer_id),
        }
        table payment_2025 partition of payment
            for values from ("2025-01-01 00:00:00+00") to ("2026-01-01 00:00:00+00");
        table payment_2026 partition of payment
            for values from ("2026-01-01 00:00:00+00") to ("2027-01-01 00:00:00+00") {
            index on (amount),
            check "amount < 1000000",
        }
        table payment_old partition of payment default partition by hash (id);
        table payment_old_0 partition of payment_old for values with (modulus 2, remainder 0);
        table payment_old_1 partition of payment_old for values with (modulus 2, remainder 1);

        table events partition by list ("lower(kind)") { kind text not null, at date }
        table events_ab partition of events for values in ("a", "b");
        table events_null partition of events for values in (null);

        table counters partition by range (n, at) { n integer, at date }
        table counters_low partition of counters for values from (minvalue, minvalue) to (-10, "2025-01-01");
    }
}

fn main() {
    let schema = &*schema::SCHEMA;
    let partition = schema
        .tables
        .iter()
        .find(|t| t.name.name == "payment_2026")
        .expect("declared");
    assert_eq!(partition.columns.len(), 4, "a partition has its parent's columns");
    assert_eq!(schema::payment_2026::amount, "amount");
    assert_eq!(schema::payment_old_1::TABLE, "payment_old_1");
    assert!(schema.create_sql().contains("PARTITION OF public.payment_old"));
}
