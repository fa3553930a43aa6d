pgdecl::schema! {
    table users {
        email text,
        index users_email_idx on (email),
        index users_email_idx on (lower(email)),
    }
}

fn main() {}
