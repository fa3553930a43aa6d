pgdecl::schema! {
    function one() returns integer as "SELECT 1";
}

fn main() {}
