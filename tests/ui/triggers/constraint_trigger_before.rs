pgdecl::schema! {
    table users { id bigint }
    function audit() returns trigger language plpgsql as "BEGIN RETURN NULL; END";
    constraint trigger users_check before insert on users for each row execute function audit();
}

fn main() {}
