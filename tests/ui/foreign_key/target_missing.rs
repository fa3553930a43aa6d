pgdecl::schema! {
    table orgs { id bigint primary key }
    table users {
        org_id bigint references orgz (id),
    }
}

fn main() {}
