pgdecl::schema! {
    table users { id bigint, email text }
    materialized view user_emails as "SELECT id, lower(email) AS address FROM users" {
        unique index user_emails_id on (id),
        index user_emails_email on (email),
    }
}

fn main() {}
