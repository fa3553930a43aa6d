pgdecl::schema! {
    table users { id bigint, email text }
    function touch() returns trigger language plpgsql as "BEGIN RETURN NEW; END";
    trigger users_touch before update on users for each row when "OLD.email IS DISTINCT NEW.email"
        execute function touch();
}

fn main() {}
