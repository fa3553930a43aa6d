pgdecl::schema! {
    table users {
        age int,
        constraint users_age_range check "age > 0",
        constraint users_age_range check "age < 200",
    }
}

fn main() {}
