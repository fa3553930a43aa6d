pgdecl::schema! {
    domain code as text default "'a'" not null default "'b'";
}

fn main() {}
