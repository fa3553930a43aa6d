pgdecl::schema! {
    type address as ();
}

fn main() {}
