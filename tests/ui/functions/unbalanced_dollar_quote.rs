pgdecl::schema! {
    function f() returns text language plpgsql as "BEGIN RETURN $q$unterminated; END";
}

fn main() {}
