pgdecl::schema! {
    table users { id bigint }
    function touch() returns trigger language plpgsql as "BEGIN RETURN NEW; END";
    trigger users_touch before update on users for each row execute function touch();
    trigger users_touch before insert on users for each row execute function touch();
}

fn main() {}
