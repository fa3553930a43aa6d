//! `same_output`: the `schema!` macro builds exactly the model the public Rust API builds for
//! the same declaration — the builder (`Schema::builder()`) and plain struct literals — derived
//! names, implied NOT NULLs and implied foreign key columns included.

use pgdecl::builder::{ColumnDef, ConstraintDef, DomainDef, IndexDef, References, TableDef};
use pgdecl::{
    Aggregate, ArgMode, BodyStyle, Column, CompositeAttribute, CompositeType, Constraint,
    ConstraintKind, DataType, DefaultObjects, DefaultPrivileges, Domain, DomainCheck, EnumType,
    Extension, FkAction, Function, FunctionArg, Grant, GrantObject, Identity, Index, IndexElement,
    IndexMethod, IndexTarget, Namespace, PolicyCommand, Privilege, QualifiedName, RangeType,
    Returns, RowPolicy, RowSecurity, Schema, Sequence, Table, Trigger, TriggerEvent, TriggerTiming,
    View, Volatility,
};

mod declared {
    pgdecl::schema! {
        /// Random UUIDs.
        extension pgcrypto;
        schema audit;

        enum user_role { admin, member, guest }

        /// A year.
        domain year as integer not null default 2000 check "VALUE >= 1901"
            constraint year_max check "VALUE <= 2155";
        type address as (
            /// First line.
            street text collate "C",
            zip varchar(10),
        );
        type floatrange as range (subtype = double precision, subtype_diff = float8mi);

        sequence invoice_numbers as bigint start 1000 cache 10;

        table orgs {
            id uuid primary key default "gen_random_uuid()",
            name text not null unique,
        }

        /// People who log in.
        table users {
            id          bigint generated always as identity primary key,
            /// Where we write to them.
            email       varchar(255) not null unique,
            role        user_role not null default "'member'",
            org_id      uuid references orgs on delete cascade,
            score       numeric(10, 2) not null default 0,
            name        text collate "C",
            name_lower  text generated always as "lower(name)" stored,
            legacy_id   serial,
            created_at  timestamptz not null default "now()",
            deleted_at  timestamptz,

            check users_email_not_blank "email <> ''",
            check "score >= 0",
            index on (lower(email)),
            unique index users_live_email_idx on (email) where "deleted_at is null",
            index using gin on ("to_tsvector('english', name)"),
        }

        table audit.events {
            id bigserial primary key,
            user_id bigint not null,
            at timestamptz not null default "now()",
            foreign key (user_id) references users (id) deferrable initially deferred,
            index on (user_id, at desc),
        }

        function touch_updated_at() returns trigger language plpgsql as "BEGIN RETURN NEW; END";

        function add(a integer, b integer default 1) returns integer language sql immutable strict
            as "SELECT a + b";

        aggregate total(integer) (sfunc = add, stype = integer, initcond = "0");

        trigger users_touch before update on users for each row execute function touch_updated_at();

        view active_users as "SELECT id, email FROM users WHERE deleted_at IS NULL";

        materialized view user_domains as "SELECT id, split_part(email, '@', 2) AS domain FROM users"
            with no data
        {
            /// By domain.
            index user_domains_domain on (domain),
        }
        row level security on users force;
        /// Users see themselves.
        policy users_self on users as restrictive for select to app, "Ops Team" using "id > 0";
        grant select, update (email) on table users to app with grant option;
        default privileges for role app in schema audit grant all on sequences to "Ops Team";
    }
}

fn ty(name: &str) -> DataType {
    DataType::parse(name).unwrap()
}

fn builder_schema() -> Schema {
    Schema::builder()
        .extension(Extension::new("pgcrypto").comment("Random UUIDs."))
        .schema("audit")
        .enum_type("user_role", ["admin", "member", "guest"])
        .domain(
            DomainDef::new("year", ty("integer"))
                .comment("A year.")
                .not_null()
                .default_sql("2000")
                .check("VALUE >= 1901")
                .named_check("year_max", "VALUE <= 2155"),
        )
        .composite_type(
            CompositeType::new("address")
                .attribute(
                    CompositeAttribute::new("street", ty("text"))
                        .collate("C")
                        .comment("First line."),
                )
                .attribute(CompositeAttribute::new("zip", ty("varchar(10)"))),
        )
        .range_type(RangeType::new("floatrange", ty("double precision")).subtype_diff("float8mi"))
        .sequence(
            Sequence::new("invoice_numbers")
                .data_type(ty("bigint"))
                .start(1000)
                .cache(10),
        )
        .function(
            Function::new("touch_updated_at")
                .returns(ty("trigger"))
                .language("plpgsql")
                .body("BEGIN RETURN NEW; END"),
        )
        .function(
            Function::new("add")
                .arg(FunctionArg::new("a", ty("integer")))
                .arg(FunctionArg::new("b", ty("integer")).default_sql("1"))
                .returns(ty("integer"))
                .language("sql")
                .immutable()
                .strict()
                .body("SELECT a + b"),
        )
        .table(
            TableDef::new("orgs")
                .column(
                    ColumnDef::new("id", ty("uuid"))
                        .primary_key()
                        .default_sql("gen_random_uuid()"),
                )
                .column(ColumnDef::new("name", ty("text")).not_null().unique()),
        )
        .table(
            TableDef::new("users")
                .comment("People who log in.")
                .column(
                    ColumnDef::new("id", ty("bigint"))
                        .identity(Identity::Always)
                        .primary_key(),
                )
                .column(
                    ColumnDef::new("email", ty("varchar(255)"))
                        .comment("Where we write to them.")
                        .not_null()
                        .unique(),
                )
                .column(
                    ColumnDef::new("role", ty("user_role"))
                        .not_null()
                        .default_sql("'member'"),
                )
                .column(
                    ColumnDef::new("org_id", ty("uuid"))
                        .references(References::table("orgs").on_delete(FkAction::Cascade)),
                )
                .column(
                    ColumnDef::new("score", ty("numeric(10,2)"))
                        .not_null()
                        .default_sql("0"),
                )
                .column(ColumnDef::new("name", ty("text")).collate("C"))
                .column(ColumnDef::new("name_lower", ty("text")).generated_stored("lower(name)"))
                .column(ColumnDef::new("legacy_id", ty("serial")))
                .column(
                    ColumnDef::new("created_at", ty("timestamptz"))
                        .not_null()
                        .default_sql("now()"),
                )
                .column(ColumnDef::new("deleted_at", ty("timestamptz")))
                .constraint(ConstraintDef::check("email <> ''").named("users_email_not_blank"))
                .check("score >= 0")
                .index(IndexDef::new().expression("lower(email)"))
                .index(
                    IndexDef::new()
                        .named("users_live_email_idx")
                        .unique()
                        .column("email")
                        .where_sql("deleted_at is null"),
                )
                .index(
                    IndexDef::new()
                        .using(IndexMethod::Gin)
                        .expression("to_tsvector('english', name)"),
                ),
        )
        .table(
            TableDef::new(QualifiedName::new("audit", "events"))
                .column(ColumnDef::new("id", ty("bigserial")).primary_key())
                .column(ColumnDef::new("user_id", ty("bigint")).not_null())
                .column(
                    ColumnDef::new("at", ty("timestamptz"))
                        .not_null()
                        .default_sql("now()"),
                )
                .constraint(
                    ConstraintDef::foreign_key(
                        ["user_id"],
                        References::table("users").column("id"),
                    )
                    .deferrable()
                    .initially_deferred(),
                )
                .index(
                    IndexDef::new()
                        .column("user_id")
                        .element(IndexElement::column("at").desc()),
                ),
        )
        .trigger(
            Trigger::new("users_touch", "users", "touch_updated_at")
                .before()
                .on(TriggerEvent::Update(vec![]))
                .for_each_row(),
        )
        .aggregate(Aggregate::new("total", [ty("integer")], "add", ty("integer")).initcond("0"))
        .view(View::new(
            "active_users",
            "SELECT id, email FROM users WHERE deleted_at IS NULL",
        ))
        .view(
            View::materialized(
                "user_domains",
                "SELECT id, split_part(email, '@', 2) AS domain FROM users",
            )
            .with_no_data()
            .index(
                "user_domains_domain",
                IndexDef::on_columns(["domain"]).comment("By domain."),
            ),
        )
        .row_security(RowSecurity::on("users").force())
        .policy(
            RowPolicy::new("users_self", "users")
                .restrictive()
                .command(PolicyCommand::Select)
                .to(["app", "Ops Team"])
                .using_sql("id > 0")
                .comment("Users see themselves."),
        )
        .grant(
            Grant::new(
                GrantObject::Table("users".into()),
                [Privilege::Select],
                ["app"],
            )
            .with_grant_option(),
        )
        .grant(
            Grant::new(
                GrantObject::Table("users".into()),
                [Privilege::Update],
                ["app"],
            )
            .columns(["email"])
            .with_grant_option(),
        )
        .default_privileges(
            DefaultPrivileges::new(
                "audit",
                DefaultObjects::Sequences,
                [Privilege::Usage, Privilege::Select, Privilege::Update],
                ["Ops Team"],
            )
            .for_role("app"),
        )
        .build()
}

#[test]
fn same_output_as_the_builder() {
    assert_eq!(*declared::SCHEMA, builder_schema());
}

fn column(name: &str, data_type: &str) -> Column {
    Column {
        name: name.into(),
        data_type: ty(data_type),
        not_null: false,
        default: None,
        identity: None,
        generated: None,
        collation: None,
        comment: None,
        renamed_from: None,
        using: None,
        statistics: None,
        storage: None,
        compression: None,
        options: Vec::new(),
    }
}

fn constraint(name: &str, kind: ConstraintKind) -> Constraint {
    Constraint {
        name: name.into(),
        kind,
        deferrable: false,
        initially_deferred: false,
        comment: None,
        validated: true,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn index(name: &str, elements: Vec<IndexElement>) -> Index {
    Index {
        name: name.into(),
        unique: false,
        method: IndexMethod::Btree,
        elements,
        include: vec![],
        predicate: None,
        nulls_not_distinct: false,
        comment: None,
        valid: true,
        storage: Vec::new(),
    }
}

fn element(target: IndexTarget) -> IndexElement {
    IndexElement {
        target,
        collation: None,
        opclass: None,
        descending: false,
        nulls_first: None,
    }
}

/// The same declaration as struct literals: every derived fact spelt out.
fn literal_schema() -> Schema {
    let users = Table {
        name: QualifiedName::public("users"),
        columns: vec![
            Column {
                not_null: true,
                identity: Some(Identity::Always),
                ..column("id", "bigint")
            },
            Column {
                not_null: true,
                comment: Some("Where we write to them.".into()),
                ..column("email", "character varying(255)")
            },
            Column {
                not_null: true,
                default: Some("'member'".into()),
                data_type: DataType::named("public", "user_role"),
                ..column("role", "text")
            },
            column("org_id", "uuid"),
            Column {
                not_null: true,
                default: Some("0".into()),
                ..column("score", "numeric(10,2)")
            },
            Column {
                collation: Some("C".into()),
                ..column("name", "text")
            },
            Column {
                generated: Some("lower(name)".into()),
                ..column("name_lower", "text")
            },
            Column {
                not_null: true,
                ..column("legacy_id", "serial")
            },
            Column {
                not_null: true,
                default: Some("now()".into()),
                ..column("created_at", "timestamp with time zone")
            },
            column("deleted_at", "timestamp with time zone"),
        ],
        constraints: vec![
            constraint(
                "users_pkey",
                ConstraintKind::PrimaryKey {
                    columns: strings(&["id"]),
                    include: vec![],
                },
            ),
            constraint(
                "users_email_key",
                ConstraintKind::Unique {
                    columns: strings(&["email"]),
                    include: vec![],
                    nulls_not_distinct: false,
                },
            ),
            constraint(
                "users_org_id_fkey",
                ConstraintKind::ForeignKey {
                    columns: strings(&["org_id"]),
                    ref_table: QualifiedName::public("orgs"),
                    ref_columns: strings(&["id"]),
                    on_delete: FkAction::Cascade,
                    on_update: FkAction::NoAction,
                },
            ),
            constraint(
                "users_email_not_blank",
                ConstraintKind::Check {
                    expr: "email <> ''".into(),
                },
            ),
            constraint(
                "users_score_check",
                ConstraintKind::Check {
                    expr: "score >= 0".into(),
                },
            ),
        ],
        indexes: vec![
            index(
                "users_lower_idx",
                vec![element(IndexTarget::Expression("lower(email)".into()))],
            ),
            Index {
                unique: true,
                predicate: Some("deleted_at is null".into()),
                ..index(
                    "users_live_email_idx",
                    vec![element(IndexTarget::Column("email".into()))],
                )
            },
            Index {
                method: IndexMethod::Gin,
                ..index(
                    "users_to_tsvector_idx",
                    vec![element(IndexTarget::Expression(
                        "to_tsvector('english', name)".into(),
                    ))],
                )
            },
        ],
        comment: Some("People who log in.".into()),
        renamed_from: None,
        partition_by: None,
        partition_of: None,
        unlogged: false,
        storage: Vec::new(),
    };
    let orgs = Table {
        name: QualifiedName::public("orgs"),
        columns: vec![
            Column {
                not_null: true,
                default: Some("gen_random_uuid()".into()),
                ..column("id", "uuid")
            },
            Column {
                not_null: true,
                ..column("name", "text")
            },
        ],
        constraints: vec![
            constraint(
                "orgs_pkey",
                ConstraintKind::PrimaryKey {
                    columns: strings(&["id"]),
                    include: vec![],
                },
            ),
            constraint(
                "orgs_name_key",
                ConstraintKind::Unique {
                    columns: strings(&["name"]),
                    include: vec![],
                    nulls_not_distinct: false,
                },
            ),
        ],
        indexes: vec![],
        comment: None,
        renamed_from: None,
        partition_by: None,
        partition_of: None,
        unlogged: false,
        storage: Vec::new(),
    };
    let events = Table {
        name: QualifiedName::new("audit", "events"),
        columns: vec![
            Column {
                not_null: true,
                ..column("id", "bigserial")
            },
            Column {
                not_null: true,
                ..column("user_id", "bigint")
            },
            Column {
                not_null: true,
                default: Some("now()".into()),
                ..column("at", "timestamptz")
            },
        ],
        constraints: vec![
            constraint(
                "events_pkey",
                ConstraintKind::PrimaryKey {
                    columns: strings(&["id"]),
                    include: vec![],
                },
            ),
            Constraint {
                deferrable: true,
                initially_deferred: true,
                ..constraint(
                    "events_user_id_fkey",
                    ConstraintKind::ForeignKey {
                        columns: strings(&["user_id"]),
                        ref_table: QualifiedName::public("users"),
                        ref_columns: strings(&["id"]),
                        on_delete: FkAction::NoAction,
                        on_update: FkAction::NoAction,
                    },
                )
            },
        ],
        indexes: vec![index(
            "events_user_id_at_idx",
            vec![
                element(IndexTarget::Column("user_id".into())),
                IndexElement {
                    descending: true,
                    ..element(IndexTarget::Column("at".into()))
                },
            ],
        )],
        comment: None,
        renamed_from: None,
        partition_by: None,
        partition_of: None,
        unlogged: false,
        storage: Vec::new(),
    };
    Schema {
        extensions: vec![Extension {
            name: "pgcrypto".into(),
            schema: None,
            comment: Some("Random UUIDs.".into()),
        }],
        schemas: vec![Namespace {
            name: "audit".into(),
            comment: None,
        }],
        enums: vec![EnumType {
            name: QualifiedName::public("user_role"),
            values: strings(&["admin", "member", "guest"]),
            comment: None,
        }],
        domains: vec![Domain {
            name: QualifiedName::public("year"),
            data_type: ty("integer"),
            not_null: true,
            default: Some("2000".into()),
            collation: None,
            checks: vec![
                DomainCheck {
                    name: "year_check".into(),
                    expr: "VALUE >= 1901".into(),
                    validated: true,
                },
                DomainCheck {
                    name: "year_max".into(),
                    expr: "VALUE <= 2155".into(),
                    validated: true,
                },
            ],
            comment: Some("A year.".into()),
        }],
        composites: vec![CompositeType {
            name: QualifiedName::public("address"),
            attributes: vec![
                CompositeAttribute {
                    name: "street".into(),
                    data_type: ty("text"),
                    collation: Some("C".into()),
                    comment: Some("First line.".into()),
                },
                CompositeAttribute {
                    name: "zip".into(),
                    data_type: ty("varchar(10)"),
                    collation: None,
                    comment: None,
                },
            ],
            comment: None,
        }],
        ranges: vec![RangeType {
            name: QualifiedName::public("floatrange"),
            subtype: ty("double precision"),
            subtype_opclass: None,
            collation: None,
            subtype_diff: Some("float8mi".into()),
            multirange_type_name: None,
            comment: None,
        }],
        sequences: vec![Sequence {
            name: QualifiedName::public("invoice_numbers"),
            data_type: Some(ty("bigint")),
            increment: None,
            min_value: None,
            max_value: None,
            start: Some(1000),
            cache: Some(10),
            cycle: false,
            owned_by: None,
            comment: None,
        }],
        functions: vec![
            Function {
                name: QualifiedName::public("touch_updated_at"),
                is_procedure: false,
                args: vec![],
                returns: Some(Returns::Type(ty("trigger"))),
                language: "plpgsql".into(),
                body: "BEGIN RETURN NEW; END".into(),
                body_style: BodyStyle::Quoted,
                volatility: Volatility::Volatile,
                strict: false,
                security_definer: false,
                config: vec![],
                comment: None,
            },
            Function {
                name: QualifiedName::public("add"),
                is_procedure: false,
                args: vec![
                    FunctionArg {
                        mode: ArgMode::In,
                        name: Some("a".into()),
                        data_type: ty("integer"),
                        default: None,
                    },
                    FunctionArg {
                        mode: ArgMode::In,
                        name: Some("b".into()),
                        data_type: ty("integer"),
                        default: Some("1".into()),
                    },
                ],
                returns: Some(Returns::Type(ty("integer"))),
                language: "sql".into(),
                body: "SELECT a + b".into(),
                body_style: BodyStyle::Quoted,
                volatility: Volatility::Immutable,
                strict: true,
                security_definer: false,
                config: vec![],
                comment: None,
            },
        ],
        aggregates: vec![Aggregate {
            name: QualifiedName::public("total"),
            args: vec![ty("integer")],
            sfunc: QualifiedName::public("add"),
            stype: ty("integer"),
            finalfunc: None,
            initcond: Some("0".into()),
            comment: None,
        }],
        tables: vec![orgs, users, events],
        views: vec![
            View {
                name: QualifiedName::public("active_users"),
                columns: vec![],
                query: "SELECT id, email FROM users WHERE deleted_at IS NULL".into(),
                comment: None,
                column_types: vec![],
                materialized: false,
                with_data: true,
                indexes: vec![],
            },
            View {
                name: QualifiedName::public("user_domains"),
                columns: vec![],
                query: "SELECT id, split_part(email, '@', 2) AS domain FROM users".into(),
                comment: None,
                column_types: vec![],
                materialized: true,
                with_data: false,
                indexes: vec![Index {
                    name: "user_domains_domain".into(),
                    unique: false,
                    method: IndexMethod::Btree,
                    elements: vec![IndexElement {
                        target: IndexTarget::Column("domain".into()),
                        collation: None,
                        opclass: None,
                        descending: false,
                        nulls_first: None,
                    }],
                    include: vec![],
                    predicate: None,
                    nulls_not_distinct: false,
                    comment: Some("By domain.".into()),
                    valid: true,
                    storage: Vec::new(),
                }],
            },
        ],
        triggers: vec![Trigger {
            name: "users_touch".into(),
            table: QualifiedName::public("users"),
            timing: TriggerTiming::Before,
            events: vec![TriggerEvent::Update(vec![])],
            for_each_row: true,
            when: None,
            function: QualifiedName::public("touch_updated_at"),
            args: vec![],
            comment: None,
            old_table: None,
            new_table: None,
            constraint: None,
        }],
        row_security: vec![RowSecurity {
            table: QualifiedName::public("users"),
            force: true,
        }],
        policies: vec![RowPolicy {
            name: "users_self".into(),
            table: QualifiedName::public("users"),
            permissive: false,
            command: PolicyCommand::Select,
            roles: strings(&["app", "Ops Team"]),
            using: Some("id > 0".into()),
            with_check: None,
            comment: Some("Users see themselves.".into()),
        }],
        grants: vec![
            Grant {
                object: GrantObject::Table(QualifiedName::public("users")),
                privileges: vec![Privilege::Select],
                columns: vec![],
                roles: strings(&["app"]),
                with_grant_option: true,
                revoke: false,
            },
            Grant {
                object: GrantObject::Table(QualifiedName::public("users")),
                privileges: vec![Privilege::Update],
                columns: strings(&["email"]),
                roles: strings(&["app"]),
                with_grant_option: true,
                revoke: false,
            },
        ],
        default_privileges: vec![DefaultPrivileges {
            for_role: Some("app".into()),
            schema: "audit".into(),
            on: DefaultObjects::Sequences,
            privileges: vec![Privilege::Usage, Privilege::Select, Privilege::Update],
            roles: strings(&["Ops Team"]),
            with_grant_option: false,
        }],
    }
}

#[test]
fn same_output_as_struct_literals() {
    assert_eq!(*declared::SCHEMA, literal_schema());
}

#[test]
fn declared_schema_passes_the_shared_checks() {
    assert_eq!(pgdecl::check(&declared::SCHEMA), vec![]);
}

#[test]
fn name_constants_are_sql_ready() {
    assert_eq!(declared::users::TABLE, "users");
    assert_eq!(declared::users::email, "email");
    assert_eq!(declared::audit::events::TABLE, "audit.events");
    assert_eq!(declared::audit::events::at, "at");
}

/// Column names more than one table has are one constant, re-exported by each table module
/// (issue 12: compile time); the constants are the same `&str` constants in every way a
/// caller uses them: values, patterns, const contexts, glob imports, raw identifiers, tables
/// of another schema; a commented column keeps its own (documented) constant.
mod shared_columns {
    pgdecl::schema! {
        schema billing;
        table a { id int primary key, r#type text, only_a text }
        table b {
            id int primary key,
            r#type text,
            /// The note of b.
            note text,
        }
        table billing.c { id int primary key, note text }
    }
}

#[test]
fn shared_column_constants_behave_as_the_table_s_own() {
    use shared_columns::a::*;
    assert_eq!(TABLE, "a");
    assert_eq!((id, r#type, only_a), ("id", "type", "only_a"));
    assert_eq!(shared_columns::b::r#type, "type");
    assert_eq!(shared_columns::billing::c::id, "id");
    assert_eq!(shared_columns::billing::c::note, "note");
    assert_eq!(shared_columns::b::note, "note");
    const BOTH: [&str; 2] = [shared_columns::b::id, shared_columns::billing::c::id];
    assert_eq!(BOTH, ["id", "id"]);
    let kind = |column: &str| match column {
        shared_columns::b::id => "key",
        shared_columns::b::note => "note",
        _ => "other",
    };
    assert_eq!(
        (kind("id"), kind("note"), kind("x")),
        ("key", "note", "other")
    );
}

/// The cases where the builder used to derive names its own way: `INCLUDE` columns and
/// repeated key names in index and unique constraint names (now both take the one lowering
/// in schema-core).
mod naming_order {
    pgdecl::schema! {
        table t {
            a int references t (id),
            b int unique,
            id serial,
            check "a > 0",
            primary key (id) include (a),
            unique (a) include (b, a),
            index on ("lower(b::text)", "lower(a::text)") include (a),
            unique index on (b) include (id),
        }
    }
}

#[test]
fn same_names_as_the_builder_where_order_and_include_matter() {
    let built = Schema::builder()
        .table(
            TableDef::new("t")
                .column(
                    ColumnDef::new("a", ty("integer"))
                        .references(References::table("t").column("id")),
                )
                .column(ColumnDef::new("b", ty("integer")).unique())
                .column(ColumnDef::new("id", ty("serial")))
                .check("a > 0")
                .constraint(ConstraintDef::primary_key(["id"]).include(["a"]))
                .constraint(ConstraintDef::unique(["a"]).include(["b", "a"]))
                .index(
                    IndexDef::new()
                        .expression("lower(b::text)")
                        .expression("lower(a::text)")
                        .include(["a"]),
                )
                .index(IndexDef::on_columns(["b"]).unique().include(["id"])),
        )
        .build();
    assert_eq!(*naming_order::SCHEMA, built);
    let t = &built.tables[0];
    let names: Vec<&str> = t.constraints.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["t_a_fkey", "t_b_key", "t_a_check", "t_pkey", "t_a_b_a1_key"]
    );
    let indexes: Vec<&str> = t.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(indexes, ["t_lower_lower1_a_idx", "t_b_id_idx"]);
}

mod partitioned {
    pgdecl::schema! {
        table payment_2025 partition of payment for values from ("2025-01-01") to ("2026-01-01") {
            index on (amount),
            check "amount > 0",
        }
        table payment partition by range (paid_on) {
            id bigserial,
            paid_on date not null,
            amount numeric not null,
            primary key (paid_on, id),
        }
        table payment_rest partition of payment default partition by hash (id);
        table payment_rest_0 partition of payment_rest for values with (modulus 1, remainder 0);
    }
}

/// Partitions as the builder declares them: the same parent, bound and key, and the same
/// columns (the parent's, with what the parent's key implies) and derived names.
#[test]
fn same_partitions_as_the_builder() {
    use pgdecl::{PartitionBound, PartitionKey};
    let built = Schema::builder()
        .table(
            TableDef::new("payment_2025")
                .partition_of(
                    "payment",
                    PartitionBound::range(["'2025-01-01'"], ["'2026-01-01'"]),
                )
                .index(IndexDef::on_columns(["amount"]))
                .check("amount > 0"),
        )
        .table(
            TableDef::new("payment")
                .column(ColumnDef::new("id", ty("bigserial")))
                .column(ColumnDef::new("paid_on", ty("date")).not_null())
                .column(ColumnDef::new("amount", ty("numeric")).not_null())
                .primary_key(["paid_on", "id"])
                .partition_by(PartitionKey::range(["paid_on"])),
        )
        .table(
            TableDef::new("payment_rest")
                .partition_of("payment", PartitionBound::Default)
                .partition_by(PartitionKey::hash(["id"])),
        )
        .table(
            TableDef::new("payment_rest_0")
                .partition_of("payment_rest", PartitionBound::hash(1, 0)),
        )
        .build();
    assert_eq!(*partitioned::SCHEMA, built);
    let partition = &built.tables[0];
    assert_eq!(partition.columns, built.tables[1].columns);
    assert_eq!(partition.constraints[0].name, "payment_2025_amount_check");
    assert_eq!(partition.indexes[0].name, "payment_2025_amount_idx");
    assert_eq!(partitioned::payment_rest_0::paid_on, "paid_on");
}

mod declared_column_attributes {
    pgdecl::schema! {
        table documents {
            id   bigint primary key statistics 0,
            body text compression LZ4 storage external statistics -1,
            kind text with (n_distinct = -0.5, n_distinct_inherited = 20) statistics 50,
            n    integer storage plain,
            at   timestamp with time zone with (n_distinct = -1),
        }
    }
}

/// Column attribute options: `statistics -1` and a built-in type's own storage are no
/// declaration, the compression method folds to lower case.
#[test]
fn column_attributes_same_output_as_the_builder() {
    let built = Schema::builder()
        .table(
            TableDef::new("documents")
                .column(
                    ColumnDef::new("id", ty("bigint"))
                        .primary_key()
                        .statistics(0),
                )
                .column(
                    ColumnDef::new("body", ty("text"))
                        .compression("lz4")
                        .storage(pgdecl::model::Storage::External),
                )
                .column(
                    ColumnDef::new("kind", ty("text"))
                        .option("n_distinct", "-0.5")
                        .option("n_distinct_inherited", "20")
                        .statistics(50),
                )
                .column(ColumnDef::new("n", ty("integer")))
                .column(ColumnDef::new("at", ty("timestamptz")).option("n_distinct", "-1")),
        )
        .build();
    assert_eq!(*declared_column_attributes::SCHEMA, built);
    let body = &built.tables[0].columns[1];
    assert_eq!(body.statistics, None);
    assert_eq!(body.compression.as_deref(), Some("lz4"));
    assert_eq!(built.tables[0].columns[3].storage, None);
}
