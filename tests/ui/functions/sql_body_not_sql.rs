pgdecl::schema! {
    function add_one(a integer) returns integer language plpgsql return "a + 1";
}

fn main() {}
