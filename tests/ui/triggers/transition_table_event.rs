pgdecl::schema! {
    table users { id bigint }
    function audit() returns trigger language plpgsql as "BEGIN RETURN NULL; END";
    trigger users_audit after insert on users referencing old table as gone for each statement execute function audit();
}

fn main() {}
