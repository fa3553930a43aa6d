pgdecl::schema! {
    function add_one(a integer) returns integer language sql return "a +";
}

fn main() {}
