pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    row level security on docs;
    row level security on docs force;
}

fn main() {}
