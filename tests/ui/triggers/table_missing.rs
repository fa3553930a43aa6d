pgdecl::schema! {
    function touch() returns trigger language plpgsql as "BEGIN RETURN NEW; END";
    trigger users_touch before update on userz for each row execute function touch();
}

fn main() {}
