pgdecl::schema! {
    function noop() returns void language sql as "  ";
}

fn main() {}
