pgdecl::schema! {
    unlogged table cache { id bigint primary key }
    table orders {
        cache_id bigint references cache,
    }
}

fn main() {}
