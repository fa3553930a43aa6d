pgdecl::schema! {
    table documents {
        body text with (n_distinc = -1),
    }
}

fn main() {}
