pgdecl::schema! {
    function one() language sql as "SELECT 1";
}

fn main() {}
