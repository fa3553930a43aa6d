//! A declaration canonicalized in many small pieces (each in a savepoint rolled back after its
//! read-back, so the lock table never holds more than one piece) gives exactly the canonical
//! form one build gives: every object kind the pieces split or share (foreign keys across
//! pieces, a partition tree, identity and serial columns, a sequence owned by a column,
//! views, functions on row types and with SQL-standard bodies, triggers, row-level security
//! and policies, comments), and the print chains the later rounds follow.

use schema_runtime::canonicalize::{canonicalize, canonicalize_in_pieces};
use schema_runtime::introspect::{introspect, Scope};
use schema_runtime::testkit::TestServer;

const SCHEMA: &str = r#"
CREATE SCHEMA audit;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE SEQUENCE ticket_seq;
CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name varchar(40) NOT NULL CHECK (name IN ('a', 'b', 'c')),
    state text DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    mood mood DEFAULT 'ok',
    updated_at timestamptz
);
COMMENT ON TABLE accounts IS 'who pays';
COMMENT ON COLUMN accounts.name IS 'shown';
CREATE INDEX accounts_open ON accounts (lower(name)) WHERE state IN ('open');
CREATE TABLE users (
    id serial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    email text UNIQUE,
    score positive,
    ticket integer DEFAULT nextval('ticket_seq'),
    updated_at timestamptz
);
ALTER SEQUENCE ticket_seq OWNED BY users.ticket;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW
    WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION touch();
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    user_id integer REFERENCES users (id),
    account_id bigint REFERENCES accounts (id),
    kind varchar(10) CHECK (kind IN ('x', 'y'))
);
CREATE INDEX orders_kind ON orders (kind) WHERE kind IN ('x');
CREATE TABLE audit.events (
    at timestamptz NOT NULL,
    id bigint NOT NULL,
    what text DEFAULT 'none',
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE TABLE audit.events_2025 PARTITION OF audit.events
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE audit.events_2026 PARTITION OF audit.events
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX events_what ON audit.events (what);
CREATE TABLE notes (
    id integer PRIMARY KEY,
    owner text NOT NULL,
    body text
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_own ON notes USING (owner = current_user);
CREATE POLICY notes_known ON notes USING (owner IN (SELECT name FROM accounts));
COMMENT ON POLICY notes_own ON notes IS 'mine';
CREATE TABLE zeta (id integer PRIMARY KEY, note_id integer REFERENCES notes (id));
CREATE TABLE archive (id integer PRIMARY KEY, was users, history users[]);
CREATE VIEW open_accounts AS SELECT id, name FROM accounts WHERE state IN ('open');
COMMENT ON VIEW open_accounts IS 'open ones';
CREATE FUNCTION users_of(a bigint) RETURNS SETOF users LANGUAGE sql STABLE
    AS $$ SELECT * FROM users WHERE account_id = a $$;
CREATE FUNCTION order_count() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM orders; END;
COMMENT ON FUNCTION users_of(bigint) IS 'created after the tables';
CREATE FUNCTION count_user(n bigint, u users) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT n + 1 $$;
CREATE AGGREGATE user_total(users) (SFUNC = count_user, STYPE = bigint, INITCOND = '0');
COMMENT ON AGGREGATE user_total(users) IS 'over a row type: created after the tables';
COMMENT ON FUNCTION touch() IS 'created before';
"#;

#[test]
fn pieces_give_the_canonical_form_of_one_build() {
    let server = TestServer::shared();
    let source = server.create_database("pieces_src").unwrap();
    let mut client = source.connect();
    client.batch_execute(SCHEMA).unwrap();
    let declared = introspect(&mut client, &Scope::default()).unwrap().schema;
    assert!(declared.tables.len() >= 8 && declared.views.len() == 1);
    assert_eq!(
        (declared.functions.len(), declared.aggregates.len()),
        (4, 2)
    );

    let target = server.create_database("pieces_dst").unwrap();
    let mut client = target.connect();
    let whole = canonicalize(&mut client, &declared).unwrap();
    // A budget of one entry: every partition tree its own piece, helpers and all.
    for budget in [1, 12, 40] {
        let pieces = canonicalize_in_pieces(&mut client, &declared, budget).unwrap();
        assert_eq!(
            pieces.schema, whole.schema,
            "canonical schema with a budget of {budget}"
        );
        assert_eq!(
            pieces.print_chains, whole.print_chains,
            "print chains with a budget of {budget}"
        );
    }
    // Without views or functions created after the tables there is no last piece: the
    // functions come from the first piece's read-back (the pieces between read their
    // relations only).
    let mut early = declared.clone();
    early.views.clear();
    early.functions.retain(|f| f.name.name == "touch");
    early.aggregates.retain(|a| a.name.name == "total");
    let whole_early = canonicalize(&mut client, &early).unwrap();
    assert_eq!(
        (
            whole_early.schema.functions.len(),
            whole_early.schema.aggregates.len()
        ),
        (1, 1)
    );
    for budget in [1, 12] {
        let pieces = canonicalize_in_pieces(&mut client, &early, budget).unwrap();
        assert_eq!(
            pieces.schema, whole_early.schema,
            "canonical schema without a last piece, budget {budget}"
        );
    }
    // A type built on a row type is created among the tables: no piece could hold it and
    // the tables using it, so the declaration is built in one piece whatever the budget.
    let mut on_row = declared.clone();
    let row_db = server.create_database("pieces_row_type").unwrap();
    let mut source = row_db.connect();
    source
        .batch_execute(
            "CREATE TABLE users (id bigint PRIMARY KEY);
             CREATE TYPE change AS (old users, new users);
             CREATE TABLE archived (id bigint PRIMARY KEY, what change);",
        )
        .unwrap();
    let extra = introspect(&mut source, &Scope::default()).unwrap().schema;
    on_row.composites.extend(extra.composites);
    on_row.tables.extend(
        extra
            .tables
            .into_iter()
            .filter(|t| t.name.name == "archived"),
    );
    let whole_on_row = canonicalize(&mut client, &on_row).unwrap();
    assert_eq!(whole_on_row.schema.composites.len(), 1);
    for budget in [1, 12] {
        let pieces = canonicalize_in_pieces(&mut client, &on_row, budget).unwrap();
        assert_eq!(
            pieces.schema, whole_on_row.schema,
            "canonical schema with a type on a row type, budget {budget}"
        );
    }
    // The varchar IN lists print differently once created again: chains were followed.
    assert!(
        whole.print_chains.iter().next().is_some(),
        "{:?}",
        whole.print_chains
    );
    // Nothing survives.
    let left: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pgdecl_scratch%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

#[test]
fn a_rejected_declaration_names_its_object_from_a_piece() {
    let server = TestServer::shared();
    let source = server.create_database("pieces_bad_src").unwrap();
    let mut client = source.connect();
    client
        .batch_execute(
            "CREATE TABLE a (id integer PRIMARY KEY);
             CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));
             CREATE TABLE c (id integer PRIMARY KEY, n integer CHECK (n > 0));",
        )
        .unwrap();
    let mut declared = introspect(&mut client, &Scope::default()).unwrap().schema;
    let c = declared
        .tables
        .iter_mut()
        .find(|t| t.name.name == "c")
        .unwrap();
    for con in &mut c.constraints {
        if let schema_core::model::ConstraintKind::Check { expr } = &mut con.kind {
            *expr = "(m > 0)".to_string();
        }
    }
    let target = server.create_database("pieces_bad_dst").unwrap();
    let err = canonicalize_in_pieces(&mut target.connect(), &declared, 1).unwrap_err();
    let text = err.to_string();
    assert_eq!(
        err.rejected_object().map(|o| o.contains("c")),
        Some(true),
        "{text}"
    );
    assert!(text.contains("m > 0") || text.contains("\"m\""), "{text}");
}
