pgdecl::schema! {
    table users { id bigint }
    function audit() returns trigger language plpgsql as "BEGIN RETURN NULL; END";
    trigger users_audit after insert on users deferrable initially deferred for each row execute function audit();
}

fn main() {}
