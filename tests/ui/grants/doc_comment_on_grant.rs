pgdecl::schema! {
    table users { id bigint primary key, email text }
    /// Readers read.
    grant select on table users to app_rw;
}

fn main() {}
