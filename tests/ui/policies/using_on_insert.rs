pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    policy docs_add on docs for insert using "owner = current_user";
}

fn main() {}
