pgdecl::schema! {
    table users { id bigint, email text }
    function touch() returns trigger language plpgsql as "BEGIN RETURN NEW; END";
    trigger users_touch before update of emial on users for each row execute function touch();
}

fn main() {}
