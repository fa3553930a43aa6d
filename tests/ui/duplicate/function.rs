pgdecl::schema! {
    function add(a integer, b integer) returns integer language sql as "SELECT a + b";
    function add(x int4, y int) returns bigint language sql as "SELECT x + y";
}

fn main() {}
