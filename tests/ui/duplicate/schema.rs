pgdecl::schema! {
    schema audit;
    schema audit;
}

fn main() {}
