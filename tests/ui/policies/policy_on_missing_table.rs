pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    policy docs_read on doc for select using "true";
}

fn main() {}
