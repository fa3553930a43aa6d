pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    policy docs_read on docs to app using "true" to other;
}

fn main() {}
