pgdecl::schema! {
    table hot with (fillfactor, autovacuum_enabled = false) {
        id bigint,
    }
}

fn main() {}
