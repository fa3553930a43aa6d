pgdecl::schema! {
    enum mood { sad, happy }
    enum mood { ok }
}

fn main() {}
