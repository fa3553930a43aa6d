pgdecl::schema! {
    table events partition by range (at) with (fillfactor = 70) {
        at date,
    }
}

fn main() {}
