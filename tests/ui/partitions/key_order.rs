pgdecl::schema! {
    table events partition by range (at desc) { at date }
}

fn main() {}
