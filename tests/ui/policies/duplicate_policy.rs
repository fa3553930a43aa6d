pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    policy docs_read on docs using "true";
    policy docs_read on docs using "false";
}

fn main() {}
