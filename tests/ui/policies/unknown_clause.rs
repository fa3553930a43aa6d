pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    policy docs_read on docs when "true";
}

fn main() {}
