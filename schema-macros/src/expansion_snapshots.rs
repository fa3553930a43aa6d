//! Expansion snapshots: what `schema!` emits for a few representative declarations, printed
//! with prettyplease, so a change to the generated code shows up in review as a diff.
//!
//! The embedded model is one JSON string literal; it is left as emitted (the binary reads
//! exactly that), so the declarations are kept small.

use proc_macro2::TokenStream;

use crate::expand;

/// The expansion of `src`, as formatted Rust.
fn expansion(src: &str) -> String {
    let tokens: TokenStream = syn::parse_str(src).expect("test input tokenizes");
    let file: syn::File = syn::parse2(expand::expand(tokens)).expect("the expansion is a file");
    prettyplease::unparse(&file)
}

#[test]
fn readme_example() {
    let expanded = expansion(
        r#"
        extension pgcrypto;
        enum user_role { admin, member }
        table users {
            id          uuid primary key default "gen_random_uuid()",
            email       text not null unique,
            role        user_role not null default "'member'",
            created_at  timestamptz not null default "now()",
            index users_email_lower_idx on (lower(email)),
        }
        "#,
    );
    insta::assert_snapshot!(expanded);
}

#[test]
fn functions_triggers_and_views() {
    let expanded = expansion(
        r#"
        schema audit;
        /// Rows as they were.
        table audit.log { id bigserial primary key, row_data jsonb not null }
        table posts { id bigint primary key, title text not null, updated_at timestamptz }
        function touch() returns trigger language plpgsql as "BEGIN NEW.updated_at := now(); RETURN NEW; END";
        function add(a integer, b integer default 1) returns integer language sql immutable strict
            as "SELECT a + b";
        trigger posts_touch before update on posts for each row execute function touch();
        view titles as "SELECT id, title FROM posts";
        "#,
    );
    insta::assert_snapshot!(expanded);
}

#[test]
fn constraints_and_indexes_of_every_shape() {
    let expanded = expansion(
        r#"
        table orgs { id int primary key, code text unique nulls not distinct }
        table members {
            org_id int not null references orgs on delete cascade deferrable initially deferred,
            user_id int not null,
            role text constraint members_role_known check "role in ('admin', 'member')",
            since date,
            primary key (org_id, user_id) include (role),
            unique (user_id, role),
            foreign key (org_id) references orgs (id) on update restrict,
            check "since > '2000-01-01'",
            index on (lower(role), since desc nulls last) include (user_id),
            unique index members_live_idx using btree on (user_id) where "since is not null",
            index using gin on ("to_tsvector('simple', role)"),
        }
        "#,
    );
    insta::assert_snapshot!(expanded);
}

#[test]
fn an_error_keeps_the_fallback_skeleton() {
    let expanded = expansion(
        r#"
        table orgs { id int primary key }
        table users {
            id int primary key,
            org_id int references orgs (idd),
        }
        "#,
    );
    insta::assert_snapshot!(expanded);
}
