pgdecl::schema! {
    function two() returns integer language sql begin "SELECT 2;";
}

fn main() {}
