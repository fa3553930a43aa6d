pgdecl::schema! {
    table docs { id bigint primary key, owner text }
    /// Owners only.
    row level security on docs;
}

fn main() {}
