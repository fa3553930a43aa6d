pgdecl::schema! {
    table shifts {
        id bigint primary key,
        starts timestamp not null using "current_date + strats",
    }
}

fn main() {}
