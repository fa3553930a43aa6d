pgdecl::schema! {
    sequence counter;
    grant select (id) on sequence counter to auditor;
}

fn main() {}
