pgdecl::schema! {
    // An empty body is fine where nothing is returned (`returns void`, a procedure); a
    // function that returns a value needs a body that computes it.
    function answer() returns integer language sql as "  ";
}

fn main() {}
