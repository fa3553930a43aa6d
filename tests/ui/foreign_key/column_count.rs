pgdecl::schema! {
    table orgs { id bigint, region text, primary key (id, region) }
    table users {
        org_id bigint references orgs,
    }
}

fn main() {}
