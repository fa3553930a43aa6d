pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    row level security on doc;
}

fn main() {}
