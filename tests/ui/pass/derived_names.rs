pgdecl::schema! {
    table this_table_name_is_quite_long_but_still_under_the_limit_abc {
        some_column int unique,
    }
    table t {
        a int,
        b int,
        constraint t_a_check check "a < 10",
        check "a > 0",
        check "a <> 5",
        check "a > b",
        index on (lower(a::text), lower(b::text)),
        index on (a) include (b),
        unique (a, b),
    }
}

fn main() {
    // Truncated as PostgreSQL truncates: the longer part first, to 63 bytes.
    assert_eq!(
        SCHEMA.tables[0].constraints[0].name,
        "this_table_name_is_quite_long_but_still_under_t_some_column_key"
    );
    let t = &SCHEMA.tables[1];
    let names: Vec<&str> = t.constraints.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["t_a_check", "t_a_check1", "t_a_check2", "t_check", "t_a_b_key"]);
    let names: Vec<&str> = t.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["t_lower_lower1_idx", "t_a_b_idx"]);
}
