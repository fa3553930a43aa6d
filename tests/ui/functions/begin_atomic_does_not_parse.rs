pgdecl::schema! {
    function two() returns integer language sql begin atomic "SELECT 1; SELECT (2;";
}

fn main() {}
