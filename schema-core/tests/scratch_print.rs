mod common;
#[test]
#[ignore]
fn print() {
    let which = std::env::var("WHICH").unwrap_or_default();
    let s = match which.as_str() { "hostile" => common::hostile(), _ => common::every_feature() };
    std::fs::write("/tmp/every.sql", s.create_sql()).unwrap();
}
