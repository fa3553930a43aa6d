//! Every code block of the README's grammar section, verbatim (generated from README.md).

pgdecl::schema! {
    extension pgcrypto;
    extension "uuid-ossp" schema public;
    schema audit;

    enum user_role { admin, member, guest }
    enum audit.level { "low", "high" }      // string literal labels for any text

    /// A year, as MySQL has it.
    domain year as integer check "VALUE >= 1901 AND VALUE <= 2155";
    domain us_postal_code as text collate "C" not null default "'00000'"
        constraint us_postal_code_format check r#"VALUE ~ '^\d{5}$'"#;
    domain audit.recent_year as year check recent_enough "VALUE >= 2000";
    domain "bıgınt" as bigint;

    /// Where to write.
    type address as (
        /// First line.
        street text,
        city   text collate "C",
        zip    us_postal_code,
    );

    type floatrange as range (subtype = double precision, subtype_diff = float8mi);
    type audit.textrange as range (subtype = text, collation = "C", multirange_type_name = texts);

    sequence invoice_numbers as bigint increment 1 start 1000 minvalue 1000 maxvalue 999999 cache 10 cycle;
    sequence line_numbers as integer increment by 2 start with -5 owned by order_lines.line_no;

    table users {
        id          bigint generated always as identity primary key,
        email       varchar(255) not null unique,
        role        user_role not null default "'member'",
        score       numeric(10, 2) not null default 0,
        tags        text[] not null default "'{}'",
        name        text collate "C",
        name_lower  text generated always as "lower(name)" stored,
        legacy_id   serial,
        org_id      uuid references orgs (id) on delete cascade on update no action,
        created_at  timestamptz not null default "now()",
    }

    table order_lines {
        order_id   bigint not null,
        line_no    integer not null,
        sku        text not null,
        qty        integer not null,
        note       text,

        primary key (order_id, line_no),
        constraint order_lines_sku_qty_key unique (sku, qty) nulls not distinct,
        foreign key (order_id) references orders (id) on delete cascade deferrable initially deferred,
        check order_lines_qty_positive "qty > 0",
        check "qty < 1000",                                  // named order_lines_qty_check, as PostgreSQL would
        index on (sku),                                      // named order_lines_sku_idx
        unique index order_lines_note_idx on (lower(note)) where "note is not null",
        index order_lines_sku_pattern_idx using btree on (sku text_pattern_ops desc nulls last) include (qty),
        index using gin on ("to_tsvector('english', note)"),
    }

    function touch_updated_at() returns trigger language plpgsql as r#"
        BEGIN NEW.updated_at := now(); RETURN NEW; END
    "#;

    function add(a integer, b integer default 1) returns integer language sql immutable strict as "SELECT a + b";

    function active_users(min_score numeric) returns table (id bigint, email text) language sql stable
        as "SELECT id, email FROM users WHERE score >= min_score";

    function user_ids() returns setof bigint language sql stable security definer
        set search_path = "public, pg_temp" as "SELECT id FROM users";

    procedure archive(inout n integer, out done boolean) language plpgsql as "BEGIN done := true; END";

    function add_one(a integer) returns integer language sql immutable return "a + 1";
    function user_count() returns bigint language sql stable begin atomic "SELECT count(*) FROM users;";
    function add(a numeric, b numeric) returns numeric language sql immutable return "a + b";
    function forget_nothing() returns void language sql as "";

    trigger users_touch before update on users for each row execute function touch_updated_at();
    trigger audit_changes after update of email, role on users
        for each row when "OLD.* IS DISTINCT FROM NEW.*" execute function audit("users", 2);
    trigger audit_deletes after delete on users referencing old table as gone
        for each statement execute function audit();
    trigger users_truncated before truncate on users for each statement execute function audit();
    constraint trigger users_consistent after insert or update on users
        deferrable initially deferred for each row execute function audit();

    view active_users as "SELECT id, email FROM users WHERE deleted_at IS NULL";
    view user_emails (user_id, address) as "SELECT id, email FROM users";
    /// Sign-ups per day, refreshed by a nightly job.
    materialized view daily_signups (day, n) as
        "SELECT created_at::date, count(*) FROM users GROUP BY 1"
    {
        unique index daily_signups_day on (day),
        index daily_signups_busy on (n desc) where "n > 100",
    }
    function _concat(a text, b text) returns text language sql immutable
        as "SELECT CASE WHEN a IS NULL THEN b ELSE a || ', ' || b END";
    /// Joins text with commas.
    aggregate group_concat(text) (sfunc = _concat, stype = text);
    aggregate collect(anycompatible) (sfunc = array_append, stype = anycompatiblearray, initcond = "{}");
    materialized view user_domains as "SELECT split_part(email, '@', 2) AS domain FROM users" with no data;

    table payment partition by range (paid_at) {
        id          bigint not null,
        customer_id bigint not null,
        amount      numeric(10, 2) not null,
        paid_at     timestamptz not null,
        primary key (paid_at, id),
        index on (customer_id),
    }
    table payment_2025 partition of payment
        for values from ("2025-01-01 00:00:00+00") to ("2026-01-01 00:00:00+00");
    table payment_2026 partition of payment
        for values from ("2026-01-01 00:00:00+00") to ("2027-01-01 00:00:00+00") {
        index on (amount),
        check "amount < 1000000",
    }
    table payment_old partition of payment default partition by hash (id);
    table payment_old_0 partition of payment_old for values with (modulus 2, remainder 0);
    table payment_old_1 partition of payment_old for values with (modulus 2, remainder 1);

    table events partition by list ("lower(kind)") { kind text not null, at date }
    table events_ab partition of events for values in ("a", "b");
    table events_null partition of events for values in (null);

    table counters partition by range (n, at) { n integer, at date }
    table counters_low partition of counters for values from (minvalue, minvalue) to (-10, "2025-01-01");

    row level security on users;
    row level security on orders force;
    policy users_self on users for select to app_user using "id = current_setting('app.user_id')::bigint";
    policy users_no_guests on users as restrictive using "role <> 'guest'";
    policy users_join on users for insert to app_user, "Support Desk" with check "role = 'member'";

    grant usage on schema audit to app_rw;
    grant select, insert, update on table users to app_rw, "Support Desk";
    grant select (id, email) on table users to auditor with grant option;
    grant select on table active_users to public;
    grant usage, select on sequence invoice_numbers to app_rw;
    revoke execute on function add(integer, integer) from public;
    grant execute on function add(integer, integer) to app_rw;
    grant usage on type user_role to app_rw;
    grant all on schema public to app_owner;
    default privileges in schema audit grant select on tables to auditor;
    default privileges for role app_owner in schema public grant usage on sequences to app_rw;
    unlogged table page_cache { url text primary key, body bytea }

    table hot_rows with (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, toast.autovacuum_enabled = false) {
        id bigint primary key,
        n  integer,
        index hot_rows_n_idx on (n) with (fillfactor = 90),
    }

    table documents {
        id    bigint primary key,
        body  text compression lz4 storage external statistics 500,
        kind  text not null statistics 50 with (n_distinct = 12),
        owner bigint with (n_distinct = -0.05, n_distinct_inherited = -0.1),
    }

    extension btree_gist;                                    // gist over scalar columns (`room with =`)

    table bookings {
        id        bigint primary key,
        room      integer not null,
        during    tstzrange not null,
        cancelled boolean not null,
        owner_id  bigint references users (id) not valid,    // added NOT VALID, never validated

        exclude using gist (room with =, during with &&) where "not cancelled",   // bookings_room_during_excl
        constraint bookings_span_excl exclude using gist ("tstzrange(lower(during), upper(during))" with &&) deferrable,
        check bookings_room_positive "room > 0" not valid,
    }

    // Declarations the README's examples refer to.
    table orgs { id uuid primary key }
    table orders { id bigint primary key }
    function audit() returns trigger language plpgsql as "BEGIN RETURN NULL; END";
}

fn main() {
    assert_eq!(pgdecl::check(&SCHEMA), vec![]);
    let order_lines = SCHEMA.tables.iter().find(|t| t.name.name == "order_lines").unwrap();
    let names: Vec<&str> = order_lines.constraints.iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"order_lines_qty_check"), "{names:?}");
    let names: Vec<&str> = order_lines.indexes.iter().map(|i| i.name.as_str()).collect();
    assert!(names.contains(&"order_lines_sku_idx"), "{names:?}");
    assert_eq!(users::TABLE, "users");
    let bookings = SCHEMA.tables.iter().find(|t| t.name.name == "bookings").unwrap();
    let constraints: Vec<(&str, bool)> = bookings
        .constraints
        .iter()
        .map(|c| (c.name.as_str(), c.validated))
        .collect();
    assert_eq!(
        constraints,
        [
            ("bookings_pkey", true),
            ("bookings_owner_id_fkey", false),
            ("bookings_room_during_excl", true),
            ("bookings_span_excl", true),
            ("bookings_room_positive", false),
        ]
    );
}
