pgdecl::schema! {
    table prices {
        amount numeric(2000, 2),
    }
}

fn main() {}
