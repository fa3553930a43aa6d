pgdecl::schema! {
    table users { id bigint primary key, email text, role text, updated_at timestamptz }
    view user_emails as "SELECT id, email FROM users";

    function touch_updated_at() returns trigger language plpgsql as "BEGIN NEW.updated_at := now(); RETURN NEW; END";
    function audit() returns trigger language plpgsql as "BEGIN RETURN NULL; END";

    /// Keeps updated_at current.
    trigger users_touch before update on users for each row execute function touch_updated_at();
    trigger audit_changes after insert or update of email, role or delete on users
        for each row when "OLD.* IS DISTINCT FROM NEW.*" execute function audit("users", 2);
    trigger users_truncated after truncate on users for each statement execute procedure audit();
    trigger user_emails_write instead of insert on user_emails for each row execute function audit();
    trigger users_dedupe before update on users for each row execute function suppress_redundant_updates_trigger();
}

use pgdecl::{TriggerEvent, TriggerTiming};

fn main() {
    let t = &SCHEMA.triggers;
    assert_eq!(t[0].timing, TriggerTiming::Before);
    assert_eq!(t[0].events, [TriggerEvent::Update(vec![])]);
    assert!(t[0].for_each_row);
    assert_eq!(t[0].comment.as_deref(), Some("Keeps updated_at current."));
    assert_eq!(
        t[1].events,
        [
            TriggerEvent::Insert,
            TriggerEvent::Update(vec!["email".into(), "role".into()]),
            TriggerEvent::Delete,
        ]
    );
    assert_eq!(t[1].when.as_deref(), Some("OLD.* IS DISTINCT FROM NEW.*"));
    assert_eq!(t[1].args, ["users", "2"]);
    assert_eq!(t[2].events, [TriggerEvent::Truncate]);
    assert!(!t[2].for_each_row);
    assert_eq!(t[3].timing, TriggerTiming::InsteadOf);
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
