pgdecl::schema! {
    function _add(a bigint, b text) returns bigint language sql as "SELECT a + 1";
    aggregate text_count(text) (sfunc = _add, stype = bigint, initcond = 0);
}

fn main() {}
