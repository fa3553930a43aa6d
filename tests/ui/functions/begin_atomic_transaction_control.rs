pgdecl::schema! {
    table users { id bigint primary key }

    // `END` would close the body early and run the rest as statements of their own.
    function one() returns integer language sql begin atomic "SELECT 1; END; DROP TABLE users;";
}

fn main() {}
