pgdecl::schema! {
    table shifts {
        id bigint primary key,
        starts timestamp using "current_date +",
    }
}

fn main() {}
