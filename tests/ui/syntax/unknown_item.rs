pgdecl::schema! {
    tabel users { id bigint }
}

fn main() {}
