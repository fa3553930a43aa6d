pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    policy docs_read on docs for select using "true" with check "owner = current_user";
}

fn main() {}
