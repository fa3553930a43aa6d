pgdecl::schema! {
    enum user_role { admin, member }
    table users {
        role user_rol not null,
    }
}

fn main() {}
