pgdecl::schema! {
    table events partition by range (created_at) { at date not null }
}

fn main() {}
