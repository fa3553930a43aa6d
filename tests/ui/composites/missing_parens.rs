pgdecl::schema! {
    type address as street text;
}

fn main() {}
