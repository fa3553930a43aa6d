pgdecl::schema! {
    table orgs { id bigint }
    table users {
        org_id bigint references orgs,
    }
}

fn main() {}
