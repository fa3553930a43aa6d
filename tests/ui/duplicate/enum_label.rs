pgdecl::schema! {
    enum mood { sad, ok, sad }
}

fn main() {}
