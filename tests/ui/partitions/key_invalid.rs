pgdecl::schema! {
    table events partition by list (kind, at) { at date not null, kind text }
}

fn main() {}
