pgdecl::schema! {
    table r#index {
        r#check text,
        r#primary int,
        r#unique int,
        r#constraint text,
        r#foreign text,
        index on (r#check),
    }
}

fn main() {
    let t = &SCHEMA.tables[0];
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["check", "primary", "unique", "constraint", "foreign"]);
    assert!(t.constraints.is_empty());
    assert_eq!(t.indexes[0].name, "index_check_idx");
    assert_eq!(r#index::TABLE, "index");
    assert_eq!(r#index::r#check, "\"check\"");
}
