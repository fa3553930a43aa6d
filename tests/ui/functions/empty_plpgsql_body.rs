pgdecl::schema! {
    function noop() returns void language plpgsql as "";
}

fn main() {}
