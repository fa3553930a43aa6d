//! Round trip: inspect a live database, print it as `schema!` source, compile that source, and
//! plan it against the same database: the plan is empty.

use pgdecl::runtime::introspect::{introspect, Scope};
use pgdecl::runtime::source::to_schema_source;
use pgdecl::runtime::testkit::TestServer;

/// Every object kind the model holds, with names and expressions that need care.
const DDL: &str = r#"
CREATE EXTENSION IF NOT EXISTS citext;
CREATE SCHEMA audit;
COMMENT ON SCHEMA audit IS 'audit trail';
CREATE TYPE user_role AS ENUM ('admin', 'member', 'it''s');
CREATE TYPE audit.level AS ENUM ('low', 'high');
CREATE DOMAIN year AS integer CHECK (VALUE >= 1901 AND VALUE <= 2155);
COMMENT ON DOMAIN year IS 'a year';
CREATE DOMAIN public."bıgınt" AS bigint;
CREATE DOMAIN audit.code AS varchar(10) COLLATE "C" DEFAULT 'x' NOT NULL CONSTRAINT code_not_blank CHECK (VALUE <> '' AND length(VALUE) < 9);
CREATE TYPE address AS (street text COLLATE "C", zip audit.code, "check" year[]);
COMMENT ON TYPE address IS 'postal';
COMMENT ON COLUMN address.street IS 'first line';
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE audit.textrange AS RANGE (subtype = text, collation = "C", multirange_type_name = audit.texts);
CREATE TYPE audit.intspan AS RANGE (subtype = int4, multirange_type_name = public.intspans);
CREATE SEQUENCE invoice_numbers AS bigint INCREMENT 2 START 1000 MINVALUE 1000 MAXVALUE 999999 CACHE 10 CYCLE;
CREATE FUNCTION clamp(n numeric, lo numeric DEFAULT 0) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT AS 'SELECT greatest(n, lo)';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$BEGIN NEW.seen_at := now(); RETURN NEW; END$$;
CREATE TABLE orgs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name citext NOT NULL);
COMMENT ON TABLE orgs IS 'Customers';
CREATE TABLE "Users" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    legacy serial,
    "E-mail" varchar(255) NOT NULL UNIQUE,
    role user_role NOT NULL DEFAULT 'member',
    levels audit.level[],
    score numeric(10,2) NOT NULL DEFAULT 0 CHECK (score BETWEEN -1 AND 100),
    name text COLLATE "C",
    name_lower text GENERATED ALWAYS AS (lower(name)) STORED,
    org_id uuid REFERENCES orgs (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    status text CHECK (status IN ('a', 'b')),
    seen_at timestamp DEFAULT CURRENT_TIMESTAMP,
    "check" boolean DEFAULT false,
    CONSTRAINT users_name_key UNIQUE NULLS NOT DISTINCT (name, "E-mail") INCLUDE (score)
);
COMMENT ON COLUMN "Users"."E-mail" IS 'login
second line';
CREATE INDEX users_lower_idx ON "Users" (lower("E-mail"));
CREATE INDEX "on" ON "Users" ("E-mail", "check");
CREATE UNIQUE INDEX users_name_pattern ON "Users" USING btree (name text_pattern_ops DESC NULLS LAST) INCLUDE (score) WHERE seen_at IS NULL;
CREATE INDEX users_clamped ON "Users" (clamp(score));
CREATE TABLE audit.events (id bigserial PRIMARY KEY, user_id bigint REFERENCES "Users" (id), at timestamptz NOT NULL DEFAULT now());
CREATE TRIGGER users_touch BEFORE UPDATE OF name, role OR INSERT ON "Users" FOR EACH ROW WHEN (NEW.name IS NOT NULL) EXECUTE FUNCTION touch('x');
CREATE TRIGGER users_deleted AFTER DELETE ON "Users" REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION touch();
CREATE CONSTRAINT TRIGGER users_checked AFTER INSERT OR UPDATE ON "Users" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE films (id "bıgınt" PRIMARY KEY, released year, home address, temps floatrange, names audit.texts);
CREATE VIEW active_users AS SELECT id, "E-mail" FROM "Users" WHERE status = 'a';
CREATE MATERIALIZED VIEW audit.user_scores (id, "Score") AS SELECT id, score FROM "Users" WHERE score > 0 WITH NO DATA;
COMMENT ON MATERIALIZED VIEW audit.user_scores IS 'refreshed nightly';
CREATE UNIQUE INDEX user_scores_id ON audit.user_scores (id);
CREATE INDEX user_scores_rounded ON audit.user_scores (round("Score")) WHERE "Score" > 1;
COMMENT ON INDEX audit.user_scores_rounded IS 'for reports';
CREATE MATERIALIZED VIEW active_ids AS SELECT id FROM active_users;
CREATE FUNCTION _concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END$$;
CREATE FUNCTION _finish(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT '[' || $1 || ']'$$;
CREATE AGGREGATE group_concat(text) (SFUNC = _concat, STYPE = text);
CREATE AGGREGATE audit.bracketed(text) (SFUNC = _concat, STYPE = text, FINALFUNC = _finish, INITCOND = '');
COMMENT ON AGGREGATE audit.bracketed(text) IS 'joins in brackets';
CREATE AGGREGATE collect(anycompatible) (SFUNC = array_append, STYPE = anycompatiblearray, INITCOND = '{}');
CREATE VIEW emails_joined AS SELECT group_concat("E-mail") AS emails FROM "Users";
CREATE TABLE measurements (city_id int NOT NULL, logdate date NOT NULL, peak int, kind text, PRIMARY KEY (city_id, logdate)) PARTITION BY RANGE (logdate);
COMMENT ON TABLE measurements IS 'partitioned by day';
CREATE INDEX measurements_peak_idx ON measurements (peak);
CREATE TRIGGER measurements_same BEFORE UPDATE ON measurements FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
ALTER TABLE measurements ADD CONSTRAINT measurements_peak_check CHECK (peak < 1000);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_rest PARTITION OF measurements DEFAULT PARTITION BY HASH (city_id);
CREATE TABLE measurements_rest_0 PARTITION OF measurements_rest FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE measurements_rest_1 PARTITION OF measurements_rest (CONSTRAINT peak_positive CHECK (peak > 0)) FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX ON measurements_rest_1 (kind);
CREATE TABLE readings (city_id int, logdate date, FOREIGN KEY (city_id, logdate) REFERENCES measurements);
CREATE TABLE events (id bigint, kind text COLLATE "C", at timestamptz) PARTITION BY LIST (kind);
CREATE TABLE events_a PARTITION OF events FOR VALUES IN ('a', 'it''s', NULL);
CREATE TABLE events_at PARTITION OF events FOR VALUES IN ('b') PARTITION BY RANGE (at);
CREATE TABLE events_at_2025 PARTITION OF events_at FOR VALUES FROM ('2025-01-01 00:00+02') TO ('2026-01-01');
CREATE TABLE ranged (a int, b text) PARTITION BY RANGE (a, lower(b) text_pattern_ops);
CREATE TABLE ranged_low PARTITION OF ranged FOR VALUES FROM (MINVALUE, MINVALUE) TO (-5, 'x');
ALTER TABLE "Users" ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.events ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY "Users see self" ON "Users" FOR SELECT TO CURRENT_USER USING (id = current_setting('app.uid')::bigint AND status IN ('a', 'b'));
CREATE POLICY users_write ON "Users" AS RESTRICTIVE FOR UPDATE USING (role <> 'admin') WITH CHECK ("check" IS NOT TRUE);
CREATE POLICY events_own ON audit.events USING (EXISTS (SELECT 1 FROM "Users" u WHERE u.id = user_id));
COMMENT ON POLICY events_own ON audit.events IS 'own events';
GRANT USAGE ON SCHEMA audit TO PUBLIC;
GRANT SELECT, INSERT ON "Users" TO PUBLIC;
GRANT UPDATE ("E-mail") ON "Users" TO PUBLIC;
GRANT SELECT ON active_users TO PUBLIC;
GRANT USAGE ON SEQUENCE invoice_numbers TO PUBLIC;
REVOKE EXECUTE ON FUNCTION clamp(numeric, numeric) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION audit.bracketed(text) FROM PUBLIC;
REVOKE USAGE ON TYPE audit.level FROM PUBLIC;
REVOKE USAGE ON DOMAIN audit.code FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA audit GRANT SELECT ON TABLES TO PUBLIC;
CREATE TRIGGER users_truncated BEFORE TRUNCATE ON "Users" FOR EACH STATEMENT EXECUTE FUNCTION touch();
CREATE TRIGGER events_written AFTER INSERT OR UPDATE ON audit.events FOR EACH STATEMENT EXECUTE FUNCTION touch();
CREATE FUNCTION add_one(a integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN a + 1;
CREATE FUNCTION audit.event_count(uid bigint) RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT 1; SELECT count(*) FROM audit.events e WHERE e.user_id = uid AND e.at > now() - interval '1 day'; END;
CREATE FUNCTION active_count() RETURNS bigint LANGUAGE sql RETURN (SELECT count(*) FROM active_users WHERE "E-mail" IN ('a', 'b'));
CREATE PROCEDURE forget(uid bigint) LANGUAGE sql BEGIN ATOMIC DELETE FROM audit.events WHERE user_id = uid; END;
CREATE FUNCTION describe(integer) RETURNS text LANGUAGE sql IMMUTABLE RETURN 'int ' || $1;
CREATE FUNCTION describe(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ''text '' || $1';
COMMENT ON FUNCTION describe(text) IS 'the text one';
CREATE FUNCTION nothing() RETURNS void LANGUAGE sql AS '';
CREATE FUNCTION nothing_atomic() RETURNS void LANGUAGE sql BEGIN ATOMIC END;
CREATE FUNCTION nothing_plpgsql() RETURNS void LANGUAGE plpgsql AS 'BEGIN END';
CREATE PROCEDURE noop() LANGUAGE sql AS '';
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE bookings (id bigint PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL, note text,
    EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (note IS NOT NULL),
    CONSTRAINT "Bookings span" EXCLUDE USING gist ((lower(during)) WITH =, room gist_int4_ops WITH <>) INCLUDE (note) DEFERRABLE INITIALLY DEFERRED);
COMMENT ON CONSTRAINT "Bookings span" ON bookings IS 'one start per room';
ALTER TABLE bookings ADD CONSTRAINT bookings_room_check CHECK (room > 0) NOT VALID;
CREATE UNLOGGED TABLE sessions (id uuid PRIMARY KEY, booking bigint REFERENCES bookings) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01, toast.autovacuum_enabled = off, log_autovacuum_min_duration = -1);
CREATE INDEX sessions_booking_idx ON sessions (booking) WITH (fillfactor = 90, deduplicate_items = off);
CREATE TABLE notes (id bigint PRIMARY KEY, body text COMPRESSION lz4, kind text, tags text[]);
ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN body SET STATISTICS 300,
    ALTER COLUMN kind SET (n_distinct = -0.5, n_distinct_inherited = 20), ALTER COLUMN id SET STATISTICS 0,
    ALTER COLUMN tags SET STORAGE MAIN, ALTER COLUMN kind SET COMPRESSION pglz;
ALTER TABLE bookings ADD CONSTRAINT bookings_event_fk FOREIGN KEY (id) REFERENCES audit.events (id) NOT VALID;
"#;

#[test]
fn inspect_print_compile_plan_empty() {
    let db = TestServer::shared().create_database("roundtrip").unwrap();
    db.connect().batch_execute(DDL).unwrap();
    let found = introspect(&mut db.connect(), &Scope::default()).unwrap();
    assert!(found.unmodeled.is_empty(), "{:?}", found.unmodeled);
    let source = to_schema_source(&found.schema);

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("roundtrip");
    std::fs::create_dir_all(&dir).unwrap();
    let main = dir.join("inspected.rs");
    std::fs::write(
        &main,
        format!(
            "mod declared {{\n{source}}}\n\n\
             fn main() {{\n\
             \x20   let url = std::env::var(\"PGDECL_ROUNDTRIP_URL\").expect(\"url\");\n\
             \x20   let mut client = pgdecl::runtime::connect(&url).expect(\"connect\");\n\
             \x20   let plan = pgdecl::runtime::plan(&mut client, &declared::SCHEMA, &[]).expect(\"plan\");\n\
             \x20   assert!(plan.changes.is_empty(), \"the inspected schema does not plan empty:\\n{{}}\", plan.to_sql());\n\
             }}\n"
        ),
    )
    .unwrap();
    // trybuild compiles the printed source in its own target directory and runs it; the
    // child process inherits this variable.
    std::env::set_var("PGDECL_ROUNDTRIP_URL", db.url());
    let t = trybuild::TestCases::new();
    t.pass(&main);
    drop(t); // runs the case while `db` still exists
    drop(db);
}
