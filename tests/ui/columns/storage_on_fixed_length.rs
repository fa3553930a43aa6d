pgdecl::schema! {
    table documents {
        id bigint storage external,
    }
}

fn main() {}
