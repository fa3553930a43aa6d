pgdecl::schema! {
    unlogged table events partition by range (at) {
        at date,
    }
}

fn main() {}
