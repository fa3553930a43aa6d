pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    row security on docs;
}

fn main() {}
