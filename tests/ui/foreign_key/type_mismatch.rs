pgdecl::schema! {
    table orgs { id integer primary key }
    table users {
        org_id uuid references orgs (id),
    }
}

fn main() {}
