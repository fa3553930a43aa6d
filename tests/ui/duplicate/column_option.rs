pgdecl::schema! {
    table users {
        created_at timestamptz default "now()" not null default "clock_timestamp()",
    }
}

fn main() {}
