pgdecl::schema! {
    function add(a integer, b integer) returns integer language sql as "SELECT a + b";
    grant execute on function add(bigint, bigint) to app_rw;
}

fn main() {}
