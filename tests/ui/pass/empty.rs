pgdecl::schema! {}

fn main() {
    assert_eq!(*SCHEMA, pgdecl::Schema::default());
}
