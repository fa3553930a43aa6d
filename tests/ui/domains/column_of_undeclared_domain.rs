pgdecl::schema! {
    domain year as integer check "VALUE >= 1901";

    table films {
        id bigint primary key,
        released yaer,
    }
}

fn main() {}
