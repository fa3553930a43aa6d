pgdecl::schema! {
    sequence invoice_numbers as bigint increment 1 start 1000 minvalue 1000 maxvalue 999999 cache 10 cycle;
    sequence plain;
    table orders { id bigint, n int }
    sequence order_n as integer increment by 2 start with -5 minvalue -10 owned by orders.n;
}

fn main() {
    let s = &SCHEMA.sequences;
    assert_eq!(s[0].data_type, Some(pgdecl::DataType::builtin("bigint")));
    assert_eq!(
        (s[0].increment, s[0].start, s[0].min_value, s[0].max_value, s[0].cache, s[0].cycle),
        (Some(1), Some(1000), Some(1000), Some(999999), Some(10), true)
    );
    assert_eq!(s[1].data_type, None);
    assert!(!s[1].cycle);
    assert_eq!((s[2].increment, s[2].start, s[2].min_value), (Some(2), Some(-5), Some(-10)));
    assert_eq!(s[2].owned_by, Some((pgdecl::QualifiedName::public("orders"), "n".to_string())));
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
