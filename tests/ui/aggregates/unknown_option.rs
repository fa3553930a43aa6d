pgdecl::schema! {
    function _concat(a text, b text) returns text language sql as "SELECT a || b";
    aggregate group_concat(text) (sfunc = _concat, stype = text, combinefunc = _concat);
}

fn main() {}
