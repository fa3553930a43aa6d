pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    policy docs_read on docs for truncate using "true";
}

fn main() {}
