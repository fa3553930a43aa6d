pgdecl::schema! {
    table users { id bigint primary key, email text }
    grant select (id, emial) on table users to auditor;
}

fn main() {}
