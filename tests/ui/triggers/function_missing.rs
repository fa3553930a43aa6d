pgdecl::schema! {
    table users { id bigint }
    function touch() returns trigger language plpgsql as "BEGIN RETURN NEW; END";
    trigger users_touch before update on users for each row execute function tuoch();
}

fn main() {}
