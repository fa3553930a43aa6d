pgdecl::schema! {
    table orgs { id bigint primary key, name text }
    table users {
        org_name text references orgs (name),
    }
}

fn main() {}
