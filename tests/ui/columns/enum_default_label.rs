pgdecl::schema! {
    enum user_role { admin, member, guest }
    table users {
        role user_role not null default "'membr'",
    }
}

fn main() {}
