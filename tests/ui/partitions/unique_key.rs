pgdecl::schema! {
    table events partition by range (at) {
        id bigint primary key,
        at date not null,
    }
}

fn main() {}
