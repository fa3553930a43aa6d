pgdecl::schema! {
    enum mood { sad, ok }
    domain mood as text;
}

fn main() {}
