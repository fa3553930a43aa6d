pgdecl::schema! {
    table users { id bigint }
    function touch() returns void language plpgsql as "BEGIN END";
    trigger users_touch before update on users for each row execute function touch();
}

fn main() {}
