pgdecl::schema! {
    table orgs { id bigint primary key }
    table users {
        org_id bigint,
        foreign key (orgid) references orgs (id),
    }
}

fn main() {}
