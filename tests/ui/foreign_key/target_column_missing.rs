pgdecl::schema! {
    table orgs { id bigint primary key }
    table users {
        org_id bigint references orgs (idd),
    }
}

fn main() {}
