//! Diff cases as data, in sqldef's shape: a current and a desired schema. Each runs in three
//! phases: `diff(current, desired)` is the up plan, `diff(desired, desired)` is empty,
//! `diff(desired, current)` is the down plan. The snapshot tests record both plans; the
//! real-PostgreSQL test applies them and compares `pg_dump` with a fresh build.

use schema_core::builder::*;
use schema_core::*;

use super::ty;

/// One diff case.
pub struct Case {
    /// Snapshot name.
    pub name: &'static str,
    /// The schema before.
    pub current: Schema,
    /// The schema after.
    pub desired: Schema,
    /// False when a migrated database legitimately differs from a fresh build in `pg_dump`
    /// (a column added at the end that is declared in the middle, a rebuilt enum's column
    /// order, ...): the real-server test then only checks that the plans run and converge.
    pub dump_equal: bool,
}

fn case(name: &'static str, current: Schema, desired: Schema) -> Case {
    Case {
        name,
        current,
        desired,
        dump_equal: true,
    }
}

fn users(extra: impl FnOnce(TableDef) -> TableDef) -> TableDef {
    extra(
        TableDef::new("users")
            .column(ColumnDef::new("id", ty("bigint")).primary_key())
            .column(ColumnDef::new("email", ty("text")).not_null()),
    )
}

fn one_table(table: TableDef) -> Schema {
    Schema::builder().table(table).build()
}

/// Every case. One `push` per case, with the helpers each group needs defined next to it.
#[allow(clippy::vec_init_then_push)]
pub fn all() -> Vec<Case> {
    let mut cases = Vec::new();

    // --- schemas and extensions -----------------------------------------------------------
    cases.push(case(
        "schema_create",
        Schema::default(),
        Schema::builder()
            .schema(Namespace::new("audit").comment("audit trail"))
            .build(),
    ));
    cases.push(case(
        "extension_create",
        Schema::default(),
        Schema::builder()
            .schema("ext")
            .extension(Extension::new("pgcrypto").schema("ext"))
            .build(),
    ));
    cases.push(case(
        "extension_schema",
        Schema::builder()
            .schema("ext")
            .extension(Extension::new("pg_trgm").schema("public"))
            .build(),
        Schema::builder()
            .schema("ext")
            .extension(Extension::new("pg_trgm").schema("ext"))
            .build(),
    ));

    // --- enums ------------------------------------------------------------------------------
    cases.push(case(
        "enum_create",
        Schema::default(),
        Schema::builder()
            .enum_type("mood", ["sad", "ok", "happy"])
            .build(),
    ));
    cases.push(case(
        "enum_add_values",
        Schema::builder()
            .enum_type("mood", ["sad", "happy"])
            .build(),
        Schema::builder()
            .enum_type("mood", ["awful", "sad", "ok", "happy", "ecstatic"])
            .build(),
    ));
    let mood_table = |labels: &[&str]| {
        Schema::builder()
            .enum_type("mood", labels.to_vec())
            .table(
                TableDef::new("people")
                    .column(ColumnDef::new("id", ty("bigint")).primary_key())
                    .column(
                        ColumnDef::new("mood", ty("mood"))
                            .not_null()
                            .default_sql("'ok'"),
                    )
                    .column(ColumnDef::new("history", ty("mood[]"))),
            )
            .view(View::new("moods", "SELECT id, mood FROM people"))
            .function(
                Function::new("is_ok")
                    .arg(FunctionArg::new("m", ty("mood")))
                    .returns(ty("boolean"))
                    .immutable()
                    .body("SELECT m = 'ok'"),
            )
            .build()
    };
    cases.push(case(
        "enum_remove_value",
        mood_table(&["sad", "ok", "happy"]),
        mood_table(&["ok", "happy"]),
    ));
    cases.push(case(
        "enum_reorder",
        Schema::builder().enum_type("mood", ["sad", "ok"]).build(),
        Schema::builder().enum_type("mood", ["ok", "sad"]).build(),
    ));

    // --- sequences ----------------------------------------------------------------------------
    cases.push(case(
        "sequence_create",
        one_table(TableDef::new("counters").column(ColumnDef::new("n", ty("bigint")))),
        Schema::builder()
            .sequence(
                Sequence::new("invoice_numbers")
                    .start(1000)
                    .min_value(1000)
                    .cache(10)
                    .owned_by("counters", "n")
                    .comment("numbers"),
            )
            .table(TableDef::new("counters").column(ColumnDef::new("n", ty("bigint"))))
            .build(),
    ));
    cases.push(case(
        "sequence_alter",
        Schema::builder()
            .sequence(Sequence::new("s").data_type(ty("integer")).increment(1))
            .build(),
        Schema::builder()
            .sequence(
                Sequence::new("s")
                    .data_type(ty("bigint"))
                    .increment(5)
                    .max_value(1_000_000)
                    .cycle(),
            )
            .build(),
    ));
    cases.push(case(
        "sequence_defaults_are_not_changes",
        Schema::builder().sequence(Sequence::new("s")).build(),
        Schema::builder()
            .sequence(
                Sequence::new("s")
                    .data_type(ty("int8"))
                    .increment(1)
                    .min_value(1)
                    .start(1)
                    .cache(1),
            )
            .build(),
    ));

    // --- tables -------------------------------------------------------------------------------
    cases.push(case(
        "table_create",
        Schema::default(),
        Schema::builder()
            .table(
                TableDef::new("orgs")
                    .column(ColumnDef::new("id", ty("uuid")).primary_key())
                    .comment("organisations"),
            )
            .table(
                users(|t| {
                    t.column(
                        ColumnDef::new("org_id", ty("uuid"))
                            .references(References::table("orgs").on_delete(FkAction::Cascade)),
                    )
                    .index(IndexDef::on_columns(["org_id"]))
                })
                .comment("people"),
            )
            .build(),
    ));
    cases.push(case(
        "table_rename",
        one_table(users(|t| t.index(IndexDef::on_columns(["email"])))),
        one_table(
            TableDef::new("accounts")
                .renamed_from("users")
                .column(
                    ColumnDef::new("id", ty("bigint"))
                        .constraint("users_pkey")
                        .primary_key(),
                )
                .column(ColumnDef::new("email", ty("text")).not_null())
                .index(IndexDef::on_columns(["email"]).named("users_email_idx")),
        ),
    ));
    cases.push(case(
        "table_rename_referenced",
        Schema::builder()
            .table(users(|t| t))
            .table(
                TableDef::new("posts")
                    .column(ColumnDef::new("id", ty("bigint")).primary_key())
                    .column(ColumnDef::new("author", ty("bigint")).references("users")),
            )
            .build(),
        Schema::builder()
            .table(
                TableDef::new("people")
                    .renamed_from("users")
                    .column(
                        ColumnDef::new("id", ty("bigint"))
                            .constraint("users_pkey")
                            .primary_key(),
                    )
                    .column(ColumnDef::new("email", ty("text")).not_null()),
            )
            .table(
                TableDef::new("posts")
                    .column(ColumnDef::new("id", ty("bigint")).primary_key())
                    .column(ColumnDef::new("author", ty("bigint")).references("people")),
            )
            .build(),
    ));
    cases.push(case(
        "table_with_fk_cycle_drop",
        Schema::default(),
        Schema::builder()
            .table(
                TableDef::new("a")
                    .column(ColumnDef::new("id", ty("int")).primary_key())
                    .column(ColumnDef::new("b_id", ty("int")).references("b")),
            )
            .table(
                TableDef::new("b")
                    .column(ColumnDef::new("id", ty("int")).primary_key())
                    .column(ColumnDef::new("a_id", ty("int")).references("a")),
            )
            .build(),
    ));

    // --- columns ------------------------------------------------------------------------------
    cases.push(case(
        "column_add",
        one_table(users(|t| t)),
        one_table(users(|t| {
            t.column(ColumnDef::new("nickname", ty("text")).comment("optional"))
                .column(
                    ColumnDef::new("score", ty("integer"))
                        .not_null()
                        .default_sql("0"),
                )
                .column(ColumnDef::new("required", ty("text")).not_null())
                .column(ColumnDef::new("token", ty("uuid")).default_sql("gen_random_uuid()"))
                .column(ColumnDef::new("seq", ty("bigserial")))
                .column(ColumnDef::new("n", ty("int")).identity(Identity::ByDefault))
                .column(ColumnDef::new("lower_email", ty("text")).generated_stored("lower(email)"))
        })),
    ));
    // A foreign key onto columns that a unique index (not a constraint) covers: the index
    // comes first, in a plan as in a whole-schema script (pg_dump's order).
    let codes = |index: bool| {
        let t = TableDef::new("codes").column(ColumnDef::new("code", ty("text")).not_null());
        if index {
            t.index(
                IndexDef::on_columns(["code"])
                    .named("codes_code_idx")
                    .unique(),
            )
        } else {
            t
        }
    };
    cases.push(case(
        "foreign_key_onto_unique_index",
        one_table(codes(false)),
        Schema::builder()
            .table(codes(true))
            .table(
                TableDef::new("uses").column(
                    ColumnDef::new("code", ty("text"))
                        .references(References::table("codes").columns(["code"])),
                ),
            )
            .build(),
    ));
    cases.push(case(
        "column_rename",
        one_table(users(|t| {
            t.column(ColumnDef::new("nick", ty("text")).check("nick <> ''"))
                .column(ColumnDef::new("Shout", ty("text")).generated_stored("upper(nick)"))
                .index(IndexDef::on_columns(["nick"]))
                .index(
                    IndexDef::new()
                        .named("users_lower_nick_idx")
                        .expression("lower(nick)")
                        .where_sql("nick IS NOT NULL"),
                )
        })),
        one_table(users(|t| {
            t.column(
                ColumnDef::new("nickname", ty("text"))
                    .renamed_from("nick")
                    .constraint("users_nick_check")
                    .check("nickname <> ''"),
            )
            .column(ColumnDef::new("Shout", ty("text")).generated_stored("upper(nickname)"))
            .index(IndexDef::on_columns(["nickname"]).named("users_nick_idx"))
            .index(
                IndexDef::new()
                    .named("users_lower_nick_idx")
                    .expression("lower(nickname)")
                    .where_sql("nickname IS NOT NULL"),
            )
        })),
    ));
    cases.push(case(
        "column_drop_under_view",
        Schema::builder()
            .table(users(|t| t.column(ColumnDef::new("legacy", ty("text")))))
            .view(View::new("legacy_users", "SELECT id, legacy FROM users"))
            .view(View::new("emails", "SELECT email FROM users"))
            .build(),
        Schema::builder()
            .table(users(|t| t))
            .view(View::new("legacy_users", "SELECT id FROM users"))
            .view(View::new("emails", "SELECT email FROM users"))
            .build(),
    ));
    cases.push(case(
        "column_types",
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("varchar(50)")))
                .column(ColumnDef::new("b", ty("varchar(100)")))
                .column(ColumnDef::new("c", ty("integer")))
                .column(ColumnDef::new("d", ty("text")))
                .column(ColumnDef::new("e", ty("varchar(20)")))
                .column(ColumnDef::new("f", ty("numeric(10,2)")))
                .column(ColumnDef::new("g", ty("text")))
                .column(ColumnDef::new("h", ty("timestamp")))
                .column(ColumnDef::new("i", ty("text")).default_sql("'1'"))
        })),
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("varchar(100)")))
                .column(ColumnDef::new("b", ty("varchar(50)")))
                .column(ColumnDef::new("c", ty("bigint")))
                .column(ColumnDef::new("d", ty("integer")))
                .column(ColumnDef::new("e", ty("text")))
                .column(ColumnDef::new("f", ty("numeric(12,2)")))
                .column(ColumnDef::new("g", ty("text")).collate("C"))
                .column(ColumnDef::new("h", ty("timestamptz")))
                .column(ColumnDef::new("i", ty("integer")).default_sql("1"))
        })),
    ));
    // No cast from `time` to `timestamp`: `starts` declares how its values convert; `ends`
    // does not, so it changes only on an empty table (a guarded DO block), hazard needs-using.
    cases.push(case(
        "column_type_needs_using",
        one_table(
            TableDef::new("shifts")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(ColumnDef::new("starts", ty("time")).not_null())
                .column(ColumnDef::new("ends", ty("time"))),
        ),
        one_table(
            TableDef::new("shifts")
                .column(ColumnDef::new("id", ty("bigint")).primary_key())
                .column(
                    ColumnDef::new("starts", ty("timestamp"))
                        .not_null()
                        .using("current_date + starts"),
                )
                .column(ColumnDef::new("ends", ty("timestamp"))),
        ),
    ));
    // A serial column whose sequence becomes a declared one (bigint, the column bigint): the
    // sequence is altered in place, never dropped; and back.
    cases.push(case(
        "serial_to_declared_sequence",
        one_table(
            TableDef::new("robots")
                .column(ColumnDef::new("id", ty("serial")).primary_key())
                .column(ColumnDef::new("name", ty("text"))),
        ),
        Schema::builder()
            .sequence(
                Sequence::new("robots_id_seq")
                    .data_type(ty("bigint"))
                    .owned_by("robots", "id"),
            )
            .table(
                TableDef::new("robots")
                    .column(
                        ColumnDef::new("id", ty("bigint"))
                            .primary_key()
                            .default_sql("nextval('robots_id_seq'::regclass)"),
                    )
                    .column(ColumnDef::new("name", ty("text"))),
            )
            .build(),
    ));
    // A serial column becomes an identity and back; a declared sequence owned by the column
    // becomes an identity and back: one swap that carries the generator's position over.
    let robots = |id: ColumnDef| {
        TableDef::new("robots")
            .column(id.primary_key())
            .column(ColumnDef::new("name", ty("text")))
    };
    cases.push(case(
        "serial_to_identity",
        one_table(robots(ColumnDef::new("id", ty("serial")))),
        one_table(robots(
            ColumnDef::new("id", ty("integer")).identity(Identity::Always),
        )),
    ));
    cases.push(case(
        "declared_sequence_to_identity",
        Schema::builder()
            .sequence(
                Sequence::new("robots_id_seq")
                    .data_type(ty("bigint"))
                    .owned_by("robots", "id"),
            )
            .table(robots(
                ColumnDef::new("id", ty("bigint"))
                    .default_sql("nextval('robots_id_seq'::regclass)"),
            ))
            .build(),
        one_table(robots(
            ColumnDef::new("id", ty("bigint")).identity(Identity::ByDefault),
        )),
    ));
    cases.push(case(
        "column_nullability_and_defaults",
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("text")))
                .column(ColumnDef::new("b", ty("text")).not_null())
                .column(ColumnDef::new("c", ty("text")).default_sql("'x'"))
                .column(ColumnDef::new("d", ty("timestamptz")))
        })),
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("text")).not_null())
                .column(ColumnDef::new("b", ty("text")))
                .column(ColumnDef::new("c", ty("text")).default_sql("'y'"))
                .column(ColumnDef::new("d", ty("timestamptz")).default_sql("now()"))
        })),
    ));
    cases.push(case(
        "column_identity",
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("int")).not_null())
                .column(ColumnDef::new("b", ty("int")).identity(Identity::Always))
                .column(ColumnDef::new("c", ty("int")).identity(Identity::Always))
        })),
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("int")).identity(Identity::ByDefault))
                .column(ColumnDef::new("b", ty("int")).identity(Identity::ByDefault))
                .column(ColumnDef::new("c", ty("int")).not_null())
        })),
    ));
    cases.push(case(
        "column_serial",
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("serial")))
                .column(ColumnDef::new("b", ty("integer")).not_null())
        })),
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("bigserial")))
                .column(ColumnDef::new("b", ty("serial")))
        })),
    ));
    cases.push(case(
        "column_generated",
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("text")).generated_stored("lower(email)"))
                .column(ColumnDef::new("b", ty("text")).generated_stored("upper(email)"))
        })),
        one_table(users(|t| {
            t.column(ColumnDef::new("a", ty("text")))
                .column(ColumnDef::new("b", ty("text")).generated_stored("md5(email)"))
        })),
    ));

    // --- constraints --------------------------------------------------------------------------
    let orgs = || TableDef::new("orgs").column(ColumnDef::new("id", ty("bigint")).primary_key());
    cases.push(case(
        "constraint_add_to_existing",
        Schema::builder()
            .table(orgs())
            .table(users(|t| {
                t.column(ColumnDef::new("org_id", ty("bigint")))
                    .column(ColumnDef::new("age", ty("int")))
                    .column(ColumnDef::new("code", ty("text")))
            }))
            .build(),
        Schema::builder()
            .table(orgs())
            .table(users(|t| {
                t.column(ColumnDef::new("org_id", ty("bigint")).references("orgs"))
                    .column(ColumnDef::new("age", ty("int")).check("age >= 0"))
                    .column(ColumnDef::new("code", ty("text")).unique_nulls_not_distinct())
                    .constraint(
                        ConstraintDef::unique(["email"])
                            .include(["code"])
                            .comment("one per email"),
                    )
            }))
            .build(),
    ));
    cases.push(case(
        "constraint_change",
        one_table(users(|t| {
            t.column(ColumnDef::new("age", ty("int")).check("age >= 0"))
        })),
        one_table(users(|t| {
            t.column(ColumnDef::new("age", ty("int")).check("age >= 18"))
        })),
    ));
    cases.push(case(
        "constraint_primary_key_change",
        Schema::builder()
            .table(
                TableDef::new("t")
                    .column(ColumnDef::new("a", ty("int")).not_null())
                    .column(ColumnDef::new("b", ty("int")).not_null())
                    .primary_key(["a"]),
            )
            .table(
                TableDef::new("r")
                    .column(ColumnDef::new("a", ty("int")))
                    .foreign_key(["a"], References::table("t").column("a")),
            )
            .build(),
        Schema::builder()
            .table(
                TableDef::new("t")
                    .column(ColumnDef::new("a", ty("int")).not_null())
                    .column(ColumnDef::new("b", ty("int")).not_null())
                    .primary_key(["a", "b"])
                    .unique(["a"]),
            )
            .table(
                TableDef::new("r")
                    .column(ColumnDef::new("a", ty("int")))
                    .foreign_key(["a"], References::table("t").column("a")),
            )
            .build(),
    ));

    // Exclusion constraints: created with their table, added to one that exists (one
    // statement that builds the index under the table's lock), changed (dropped and added).
    let bookings = |extra: fn(TableDef) -> TableDef| {
        Schema::builder()
            .extension(Extension::new("btree_gist"))
            .table(extra(
                TableDef::new("bookings")
                    .column(ColumnDef::new("id", ty("bigint")).primary_key())
                    .column(ColumnDef::new("room", ty("integer")).not_null())
                    .column(ColumnDef::new("during", ty("tstzrange")).not_null())
                    .column(ColumnDef::new("cancelled", ty("boolean")).not_null()),
            ))
            .build()
    };
    cases.push(case(
        "exclusion_create",
        Schema::default(),
        bookings(|t| {
            t.constraint(
                ConstraintDef::exclude(
                    IndexMethod::Gist,
                    [
                        ExclusionElement::column("room", "="),
                        ExclusionElement::column("during", "&&"),
                    ],
                )
                .where_sql("NOT cancelled")
                .comment("one booking per room at a time"),
            )
        }),
    ));
    cases.push(case(
        "exclusion_add_and_change",
        bookings(|t| t),
        bookings(|t| {
            t.constraint(
                ConstraintDef::exclude(
                    IndexMethod::Gist,
                    [
                        ExclusionElement::column("room", "="),
                        ExclusionElement::column("during", "&&"),
                    ],
                )
                .named("bookings_no_overlap")
                .include(["id"]),
            )
            .constraint(
                ConstraintDef::exclude(
                    IndexMethod::Gist,
                    [ExclusionElement::expression(
                        "tstzrange(lower(during), upper(during))",
                        "&&",
                    )],
                )
                .named("bookings_span_excl")
                .initially_deferred(),
            )
        }),
    ));
    cases.push(case(
        "exclusion_change",
        bookings(|t| {
            t.constraint(
                ConstraintDef::exclude(
                    IndexMethod::Gist,
                    [
                        ExclusionElement::column("room", "="),
                        ExclusionElement::column("during", "&&"),
                    ],
                )
                .named("bookings_no_overlap"),
            )
        }),
        bookings(|t| {
            t.constraint(
                ConstraintDef::exclude(
                    IndexMethod::Gist,
                    [
                        ExclusionElement::column("room", "="),
                        ExclusionElement::column("during", "&&"),
                    ],
                )
                .named("bookings_no_overlap")
                .where_sql("NOT cancelled"),
            )
        }),
    ));

    // `not valid` declared: added `NOT VALID` and never validated; a constraint the
    // declaration marks valid is validated in a step of its own.
    cases.push(case(
        "constraint_not_valid_declared",
        Schema::builder()
            .table(orgs())
            .table(users(|t| {
                t.column(ColumnDef::new("org_id", ty("bigint")))
                    .column(ColumnDef::new("age", ty("int")))
            }))
            .build(),
        Schema::builder()
            .table(orgs())
            .table(users(|t| {
                t.column(
                    ColumnDef::new("org_id", ty("bigint"))
                        .references("orgs")
                        .not_valid(),
                )
                .column(
                    ColumnDef::new("age", ty("int"))
                        .check("age >= 0")
                        .not_valid(),
                )
                .constraint(ConstraintDef::check("email <> ''").named("users_email_check"))
            }))
            .build(),
    ));
    cases.push(case(
        "constraint_not_valid_new_table",
        Schema::builder().table(orgs()).build(),
        Schema::builder()
            .table(orgs())
            .table(users(|t| {
                t.column(
                    ColumnDef::new("org_id", ty("bigint"))
                        .references("orgs")
                        .not_valid(),
                )
                .column(
                    ColumnDef::new("age", ty("int"))
                        .check("age >= 0")
                        .not_valid(),
                )
            }))
            .build(),
    ));

    // Unlogged tables: created so, and switched either way (a rewrite).
    let sessions = || {
        TableDef::new("sessions")
            .column(ColumnDef::new("id", ty("uuid")).primary_key())
            .column(ColumnDef::new("data", ty("jsonb")))
    };
    let events = || TableDef::new("events").column(ColumnDef::new("at", ty("timestamptz")));
    cases.push(case(
        "table_unlogged",
        Schema::builder()
            .table(sessions())
            .table(events().unlogged())
            .build(),
        Schema::builder()
            .table(sessions().unlogged())
            .table(events())
            .build(),
    ));

    // Storage parameters: set, changed and reset in place on tables and indexes (compared by
    // name, in any order), on a partition too.
    let hot = |storage: &[(&str, &str)], index_storage: &[(&str, &str)]| {
        let mut t = TableDef::new("hot")
            .column(ColumnDef::new("id", ty("bigint")).primary_key())
            .column(ColumnDef::new("n", ty("int")));
        for (k, v) in storage {
            t = t.storage(*k, *v);
        }
        let mut index = IndexDef::on_columns(["n"]).named("hot_n_idx");
        for (k, v) in index_storage {
            index = index.storage(*k, *v);
        }
        Schema::builder().table(t.index(index)).build()
    };
    cases.push(case(
        "table_storage_parameters",
        hot(
            &[("fillfactor", "90"), ("autovacuum_enabled", "false")],
            &[],
        ),
        hot(
            &[
                ("autovacuum_vacuum_scale_factor", "0.01"),
                ("fillfactor", "70"),
                ("toast.autovacuum_enabled", "false"),
            ],
            &[("fillfactor", "80")],
        ),
    ));
    let metrics = |partition: TableDef| {
        Schema::builder()
            .table(
                TableDef::new("metrics")
                    .column(ColumnDef::new("at", ty("date")).not_null())
                    .partition_by(PartitionKey::range(["at"])),
            )
            .table(partition)
            .build()
    };
    let partition = || {
        TableDef::new("metrics_2025").partition_of(
            "metrics",
            PartitionBound::range(["'2025-01-01'"], ["'2026-01-01'"]),
        )
    };
    cases.push(case(
        "partition_storage_parameters",
        metrics(partition()),
        metrics(partition().storage("fillfactor", "50")),
    ));

    // Column attribute options: storage, compression, statistics target and attribute options
    // set on existing columns, changed, reset (the reverse direction), and declared on a new
    // table and a new column.
    let docs = |body: ColumnDef, score: ColumnDef, extra: bool| {
        let mut t = TableDef::new("docs")
            .column(ColumnDef::new("id", ty("bigint")).primary_key())
            .column(body)
            .column(score);
        if extra {
            t = t.column(
                ColumnDef::new("tag", ty("text"))
                    .storage(model::Storage::Main)
                    .statistics(50),
            );
        }
        Schema::builder().table(t).build()
    };
    let body = || ColumnDef::new("body", ty("text"));
    let score = || ColumnDef::new("score", ty("int"));
    cases.push(case(
        "column_attributes",
        docs(body(), score(), false),
        docs(
            body()
                .storage(model::Storage::External)
                .compression("lz4")
                .statistics(500)
                .option("n_distinct", "-0.5"),
            score().statistics(0).option("n_distinct", "100"),
            true,
        ),
    ));
    cases.push(case(
        "column_attributes_changed",
        docs(
            body()
                .storage(model::Storage::External)
                .compression("lz4")
                .statistics(500)
                .option("n_distinct", "-0.5"),
            score().option("n_distinct", "100"),
            false,
        ),
        docs(
            body()
                .storage(model::Storage::Main)
                .compression("pglz")
                .statistics(1000)
                .option("n_distinct_inherited", "10"),
            score().storage(model::Storage::Plain).statistics(10),
            false,
        ),
    ));
    cases.push(case(
        "column_attributes_new_table",
        Schema::builder().build(),
        docs(
            body()
                .storage(model::Storage::External)
                .compression("lz4")
                .option("n_distinct", "-1"),
            score().statistics(200),
            false,
        ),
    ));

    // A new type takes its own storage: the declared one is set again after the retype.
    cases.push(case(
        "column_attributes_retyped",
        docs(
            ColumnDef::new("body", ty("varchar(100)")).storage(model::Storage::External),
            score(),
            false,
        ),
        docs(body().storage(model::Storage::External), score(), false),
    ));

    // On a partitioned table, the partitions' columns follow their parent's (created before or
    // after it).
    let readings = |body: ColumnDef, partitions: &[&'static str]| {
        let mut b = Schema::builder().table(
            TableDef::new("readings")
                .column(ColumnDef::new("at", ty("date")).not_null())
                .column(body)
                .partition_by(PartitionKey::range(["at"])),
        );
        for year in partitions {
            let next = (year.parse::<i32>().unwrap() + 1).to_string();
            b = b.table(
                TableDef::new(format!("readings_{year}").as_str()).partition_of(
                    "readings",
                    PartitionBound::range([format!("'{year}-01-01'")], [format!("'{next}-01-01'")]),
                ),
            );
        }
        b.build()
    };
    let reading = || ColumnDef::new("body", ty("text"));
    let declared = || {
        reading()
            .storage(model::Storage::External)
            .compression("pglz")
            .statistics(100)
            .option("n_distinct", "-0.2")
    };
    cases.push(case(
        "column_attributes_partitioned",
        readings(reading(), &["2025"]),
        readings(declared(), &["2025", "2026"]),
    ));

    // --- indexes ------------------------------------------------------------------------------
    cases.push(case(
        "index_changes",
        one_table(users(|t| {
            t.column(ColumnDef::new("name", ty("text")))
                .index(IndexDef::on_columns(["name"]))
                .index(IndexDef::new().named("users_gone_idx").column("email"))
        })),
        one_table(users(|t| {
            t.column(ColumnDef::new("name", ty("text")))
                .index(
                    IndexDef::new()
                        .named("users_name_idx")
                        .column("name")
                        .where_sql("name IS NOT NULL"),
                )
                .index(
                    IndexDef::new()
                        .unique()
                        .expression("lower(email)")
                        .comment("case-insensitive"),
                )
        })),
    ));

    // --- functions ----------------------------------------------------------------------------
    let add = |body: &str, returns: &str| {
        Function::new("add")
            .arg(FunctionArg::new("a", ty("integer")))
            .arg(FunctionArg::new("b", ty("integer")))
            .returns(ty(returns))
            .immutable()
            .body(body.to_string())
    };
    cases.push(case(
        "function_replace",
        Schema::builder()
            .function(add("SELECT a + b", "integer"))
            .build(),
        Schema::builder()
            .function(add("SELECT b + a", "integer").strict().comment("adds"))
            .build(),
    ));
    cases.push(case(
        "function_return_type",
        Schema::builder()
            .function(add("SELECT a + b", "integer"))
            .build(),
        Schema::builder()
            .function(add("SELECT a + b", "bigint"))
            .build(),
    ));
    cases.push(case(
        "function_signature",
        Schema::builder()
            .function(add("SELECT a + b", "integer"))
            .build(),
        Schema::builder()
            .function(
                Function::new("add")
                    .arg(FunctionArg::new("a", ty("bigint")))
                    .arg(FunctionArg::new("b", ty("bigint")))
                    .returns(ty("bigint"))
                    .body("SELECT a + b"),
            )
            .build(),
    ));
    // A function whose result type changes is dropped and created again: everything that
    // calls it (a default, a check, an index, a view, a policy) goes before and comes back
    // after, in both directions.
    let scored = |returns: &str| {
        Schema::builder()
            .function(
                Function::new("score")
                    .arg(FunctionArg::new("n", ty("integer")))
                    .returns(ty(returns))
                    .immutable()
                    .body("SELECT n * 2"),
            )
            .table(
                TableDef::new("games")
                    .column(ColumnDef::new("id", ty("integer")).primary_key())
                    .column(
                        ColumnDef::new("n", ty("integer"))
                            .default_sql("score(1)")
                            .check("score(n) >= 0"),
                    )
                    .index(
                        IndexDef::new()
                            .named("games_score_idx")
                            .expression("score(n)"),
                    ),
            )
            .view(View::new("game_scores", "SELECT id, score(n) AS s FROM games").comment("scores"))
            .row_security(RowSecurity::on("games"))
            .policy(RowPolicy::new("games_scored", "games").using_sql("score(n) > 0"))
            .build()
    };
    cases.push(case(
        "function_return_type_with_dependents",
        scored("integer"),
        scored("bigint"),
    ));
    // An overload replaces the old function (other argument types): the callers, whose text
    // stays, move to it before the old one is dropped.
    let counted = |arg: &str| {
        Schema::builder()
            .function(
                Function::new("bump")
                    .arg(FunctionArg::new("n", ty(arg)))
                    .returns(ty(arg))
                    .immutable()
                    .body("SELECT n + 1"),
            )
            .table(
                TableDef::new("counters")
                    .column(ColumnDef::new("id", ty("integer")).primary_key())
                    .column(
                        ColumnDef::new("n", ty("integer"))
                            .default_sql("bump(1)")
                            .check("bump(n) > 0"),
                    ),
            )
            .build()
    };
    cases.push(case(
        "function_overload_with_callers",
        counted("integer"),
        counted("bigint"),
    ));
    let touch = |function: &str| {
        Schema::builder()
            .table(users(|t| {
                t.column(ColumnDef::new("updated_at", ty("timestamptz")))
            }))
            .function(
                Function::new(function)
                    .returns(ty("trigger"))
                    .language("plpgsql")
                    .body("BEGIN NEW.updated_at := now(); RETURN NEW; END"),
            )
            .trigger(
                Trigger::new("users_touch", "users", function)
                    .before()
                    .on(TriggerEvent::Update(vec![]))
                    .for_each_row(),
            )
            .build()
    };
    // The old function goes away while a trigger still calls it: the trigger must move first.
    cases.push(case(
        "function_replaced_under_trigger",
        touch("touch"),
        touch("touch_updated_at"),
    ));
    cases.push(case(
        "procedure_create",
        Schema::default(),
        Schema::builder()
            .function(
                Function::procedure("archive")
                    .arg(FunctionArg::new("n", ty("integer")).mode(ArgMode::InOut))
                    .language("plpgsql")
                    .body("BEGIN n := n + 1; END"),
            )
            .build(),
    ));

    // --- triggers -----------------------------------------------------------------------------
    let audited = |trigger: Trigger| {
        Schema::builder()
            .table(users(|t| t.column(ColumnDef::new("role", ty("text")))))
            .function(
                Function::new("audit")
                    .returns(ty("trigger"))
                    .language("plpgsql")
                    .body("BEGIN RETURN NULL; END"),
            )
            .trigger(trigger)
            .build()
    };
    cases.push(case(
        "trigger_change",
        audited(
            Trigger::new("users_audit", "users", "audit")
                .after()
                .on(TriggerEvent::Insert)
                .for_each_row(),
        ),
        audited(
            Trigger::new("users_audit", "users", "audit")
                .after()
                .on(TriggerEvent::Insert)
                .on(TriggerEvent::Update(vec!["role".into()]))
                .for_each_row()
                .args(["users"])
                .comment("who did what"),
        ),
    ));
    // A plain trigger gains a transition table (replaced in place); a constraint trigger changes
    // when it fires (dropped and created: PostgreSQL cannot replace one).
    let audited_twice = |a: Trigger, b: Trigger| {
        Schema::builder()
            .table(users(|t| t.column(ColumnDef::new("role", ty("text")))))
            .function(
                Function::new("audit")
                    .returns(ty("trigger"))
                    .language("plpgsql")
                    .body("BEGIN RETURN NULL; END"),
            )
            .trigger(a)
            .trigger(b)
            .build()
    };
    let check = |timing| {
        Trigger::new("users_check", "users", "audit")
            .on(TriggerEvent::Insert)
            .constraint(timing)
    };
    let statement_audit = || {
        Trigger::new("users_audit", "users", "audit")
            .after()
            .on(TriggerEvent::Update(vec![]))
            .for_each_statement()
    };
    cases.push(case(
        "trigger_transition_and_constraint",
        audited_twice(statement_audit(), check(ConstraintTiming::NotDeferrable)),
        audited_twice(
            statement_audit()
                .old_table("before_rows")
                .new_table("after_rows"),
            check(ConstraintTiming::InitiallyDeferred),
        ),
    ));
    cases.push(case(
        "trigger_column_type_change",
        Schema::builder()
            .table(users(|t| {
                t.column(ColumnDef::new("role", ty("varchar(10)")))
            }))
            .function(
                Function::new("audit")
                    .returns(ty("trigger"))
                    .language("plpgsql")
                    .body("BEGIN RETURN NULL; END"),
            )
            .trigger(
                Trigger::new("users_role", "users", "audit")
                    .after()
                    .on(TriggerEvent::Update(vec!["role".into()]))
                    .for_each_row()
                    .when_sql("OLD.role IS DISTINCT FROM NEW.role"),
            )
            .build(),
        Schema::builder()
            .table(users(|t| t.column(ColumnDef::new("role", ty("integer")))))
            .function(
                Function::new("audit")
                    .returns(ty("trigger"))
                    .language("plpgsql")
                    .body("BEGIN RETURN NULL; END"),
            )
            .trigger(
                Trigger::new("users_role", "users", "audit")
                    .after()
                    .on(TriggerEvent::Update(vec!["role".into()]))
                    .for_each_row()
                    .when_sql("OLD.role IS DISTINCT FROM NEW.role"),
            )
            .build(),
    ));

    // --- views --------------------------------------------------------------------------------
    let with_views = |table: TableDef, views: Vec<View>| {
        let mut b = Schema::builder().table(table);
        for v in views {
            b = b.view(v);
        }
        b.build()
    };
    cases.push(case(
        "view_replace_compatible",
        with_views(
            users(|t| t),
            vec![View::new("emails", "SELECT id FROM users")],
        ),
        with_views(
            users(|t| t),
            vec![View::new("emails", "SELECT id, email FROM users").comment("all emails")],
        ),
    ));
    cases.push(case(
        "view_incompatible_with_dependent",
        with_views(
            users(|t| t),
            vec![
                View::new("emails", "SELECT id, email FROM users"),
                View::new("email_count", "SELECT count(*) AS n FROM emails"),
            ],
        ),
        with_views(
            users(|t| t),
            vec![
                View::new("emails", "SELECT email FROM users"),
                View::new("email_count", "SELECT count(*) AS n FROM emails"),
            ],
        ),
    ));
    // Declared before the view it reads: created after it, dropped before it.
    cases.push(case(
        "view_declared_before_its_source",
        with_views(users(|t| t), vec![]),
        with_views(
            users(|t| t),
            vec![
                View::new("email_count", "SELECT count(*) AS n FROM emails"),
                View::new("emails", "SELECT id, email FROM users"),
            ],
        ),
    ));
    cases.push(case(
        "view_on_retyped_column",
        with_views(
            users(|t| t.column(ColumnDef::new("score", ty("integer")))),
            vec![
                View::new("scores", "SELECT id, score FROM users"),
                View::new("top", "SELECT id FROM scores WHERE score > 10"),
                View::new("unrelated", "SELECT 1 AS one"),
            ],
        ),
        with_views(
            users(|t| t.column(ColumnDef::new("score", ty("bigint")))),
            vec![
                View::new("scores", "SELECT id, score FROM users"),
                View::new("top", "SELECT id FROM scores WHERE score > 10"),
                View::new("unrelated", "SELECT 1 AS one"),
            ],
        ),
    ));

    // --- materialized views ------------------------------------------------------------------
    let counts = |query: &str| {
        View::materialized("email_counts", query)
            .index(
                "email_counts_domain",
                IndexDef::on_columns(["domain"]).unique(),
            )
            .comment("per domain")
    };
    cases.push(case(
        "matview_create",
        with_views(users(|t| t), vec![]),
        with_views(
            users(|t| t),
            vec![
                // Declared before the materialized view it reads.
                View::new("big_domains", "SELECT domain FROM email_counts WHERE n > 10"),
                counts("SELECT split_part(email, '@', 2) AS domain, count(*) AS n FROM users GROUP BY 1"),
                View::materialized("user_ids", "SELECT id FROM users").with_no_data(),
            ],
        ),
    ));
    // A changed query: dropped (with the view over it) and created again with its index.
    cases.push(case(
        "matview_query_change",
        with_views(
            users(|t| t),
            vec![
                counts("SELECT split_part(email, '@', 2) AS domain, count(*) AS n FROM users GROUP BY 1"),
                View::new("big_domains", "SELECT domain FROM email_counts WHERE n > 10"),
            ],
        ),
        with_views(
            users(|t| t),
            vec![
                counts("SELECT lower(split_part(email, '@', 2)) AS domain, count(*) AS n FROM users GROUP BY 1"),
                View::new("big_domains", "SELECT domain FROM email_counts WHERE n > 10"),
            ],
        ),
    ));
    // Views and materialized views in one chain: a view that cannot be replaced rebuilds the
    // materialized view over it and the view over that.
    cases.push(case(
        "matview_chain_rebuilt",
        with_views(
            users(|t| t),
            vec![
                View::new("mails", "SELECT id, email FROM users"),
                View::materialized("mail_ids", "SELECT id FROM mails")
                    .index("mail_ids_id", IndexDef::on_columns(["id"])),
                View::new("mail_count", "SELECT count(*) AS n FROM mail_ids"),
            ],
        ),
        with_views(
            users(|t| t),
            vec![
                View::new("mails", "SELECT id FROM users"),
                View::materialized("mail_ids", "SELECT id FROM mails")
                    .index("mail_ids_id", IndexDef::on_columns(["id"])),
                View::new("mail_count", "SELECT count(*) AS n FROM mail_ids"),
            ],
        ),
    ));
    // Only the indexes change: the view stays, its rows too.
    cases.push(case(
        "matview_indexes",
        with_views(
            users(|t| t),
            vec![View::materialized("mails", "SELECT id, email FROM users")
                .index("mails_id", IndexDef::on_columns(["id"]))
                .index("mails_email", IndexDef::on_columns(["email"]))],
        ),
        with_views(
            users(|t| t),
            vec![View::materialized("mails", "SELECT id, email FROM users")
                .index("mails_id", IndexDef::on_columns(["id"]).unique())
                .index(
                    "mails_lower_email",
                    IndexDef::new()
                        .expression("lower(email)")
                        .comment("case-insensitive"),
                )],
        ),
    ));

    // --- aggregates ---------------------------------------------------------------------------
    let concat_step = Function::new("_concat")
        .arg(FunctionArg::unnamed(ty("text")))
        .arg(FunctionArg::unnamed(ty("text")))
        .returns(ty("text"))
        .immutable()
        .body("SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END");
    let count_step = Function::new("_count_step")
        .arg(FunctionArg::unnamed(ty("bigint")))
        .arg(FunctionArg::unnamed(ty("text")))
        .returns(ty("bigint"))
        .immutable()
        .body("SELECT $1 + 1");
    let count_step_int = Function::new("_count_step")
        .arg(FunctionArg::unnamed(ty("integer")))
        .arg(FunctionArg::unnamed(ty("text")))
        .returns(ty("integer"))
        .immutable()
        .body("SELECT $1 + 1");
    let aggregates = |functions: Vec<Function>, aggs: Vec<Aggregate>, views: Vec<View>| {
        let mut b = Schema::builder().table(users(|t| t));
        for f in functions {
            b = b.function(f);
        }
        for a in aggs {
            b = b.aggregate(a);
        }
        for v in views {
            b = b.view(v);
        }
        b.build()
    };
    let group_concat = || Aggregate::new("group_concat", [ty("text")], "_concat", ty("text"));
    let text_count =
        |stype: &str| Aggregate::new("text_count", [ty("text")], "_count_step", ty(stype));
    let counts_view = || View::new("email_total", "SELECT text_count(email) AS n FROM users");
    cases.push(case(
        "aggregate_create",
        aggregates(vec![], vec![], vec![]),
        aggregates(
            vec![concat_step.clone()],
            vec![group_concat().comment("comma-separated")],
            vec![View::new(
                "all_emails",
                "SELECT group_concat(email) AS emails FROM users",
            )],
        ),
    ));
    // An initial condition changes in place; a state type changes by a drop and a re-create,
    // with the view that calls the aggregate and the state function it calls.
    cases.push(case(
        "aggregate_change",
        aggregates(
            vec![concat_step.clone(), count_step],
            vec![group_concat(), text_count("bigint").initcond("0")],
            vec![counts_view()],
        ),
        aggregates(
            vec![concat_step, count_step_int],
            vec![
                group_concat().initcond("none"),
                text_count("integer").initcond("0"),
            ],
            vec![counts_view()],
        ),
    ));

    // --- comments -----------------------------------------------------------------------------
    cases.push(case(
        "comments",
        one_table(users(|t| {
            t.comment("before")
                .column(ColumnDef::new("bio", ty("text")).comment("old"))
                .check("email <> ''")
                .index(IndexDef::on_columns(["email"]).comment("idx"))
        })),
        one_table(users(|t| {
            t.column(ColumnDef::new("bio", ty("text")).comment("it's new"))
                .constraint(ConstraintDef::check("email <> ''").comment("not blank"))
                .index(IndexDef::on_columns(["email"]))
        })),
    ));

    // --- hostile names ------------------------------------------------------------------------
    cases.push(case(
        "hostile_names",
        Schema::builder()
            .schema("Weird \"Schema\"")
            .table(
                TableDef::new(QualifiedName::new(
                    "Weird \"Schema\"",
                    "t'; DROP TABLE x; --",
                ))
                .column(ColumnDef::new("select", ty("text")))
                .column(ColumnDef::new("Old$$Name", ty("text"))),
            )
            .build(),
        Schema::builder()
            .schema("Weird \"Schema\"")
            .table(
                TableDef::new(QualifiedName::new(
                    "Weird \"Schema\"",
                    "t'; DROP TABLE x; --",
                ))
                .column(
                    ColumnDef::new("select", ty("text"))
                        .not_null()
                        .default_sql("'$$'"),
                )
                .column(ColumnDef::new("New'Name", ty("text")).renamed_from("Old$$Name"))
                .check("\"select\" <> 'x'")
                .comment("$$ it's"),
            )
            .build(),
    ));

    // --- partitions ------------------------------------------------------------------------
    // `metrics` partitioned by range over a date, `extra` adding partitions and the like.
    let metrics = |key: PartitionKey, extra: &dyn Fn(SchemaBuilder) -> SchemaBuilder| {
        extra(
            Schema::builder().table(
                TableDef::new("metrics")
                    .column(ColumnDef::new("id", ty("bigint")).not_null())
                    .column(ColumnDef::new("recorded_on", ty("date")).not_null())
                    .column(ColumnDef::new("device", ty("text")))
                    .partition_by(key),
            ),
        )
        .build()
    };
    let by_day = || PartitionKey::range(["recorded_on"]);
    let year = |y: u32| {
        TableDef::new(format!("metrics_{y}").as_str()).partition_of(
            "metrics",
            PartitionBound::range([format!("'{y}-01-01'")], [format!("'{}-01-01'", y + 1)]),
        )
    };
    cases.push(case(
        "partition_create",
        Schema::default(),
        super::partitions(),
    ));
    // A new partition locks its parent, and scans the default partition when there is one.
    let rest = || TableDef::new("metrics_rest").partition_of("metrics", PartitionBound::Default);
    cases.push(case(
        "partition_add",
        metrics(by_day(), &|b| b.table(year(2025)).table(rest())),
        metrics(by_day(), &|b| {
            b.table(year(2025))
                .table(year(2026).index(IndexDef::on_columns(["device"])))
                .table(rest())
        }),
    ));
    // Indexes and keys of a partitioned table are built in one transactional statement each,
    // never concurrently and never `USING INDEX`; a foreign key from it is never `NOT VALID`.
    let keyed = |keys: bool| {
        let mut b = Schema::builder().table(
            TableDef::new("devices").column(ColumnDef::new("name", ty("text")).primary_key()),
        );
        let mut parent = TableDef::new("metrics")
            .column(ColumnDef::new("id", ty("bigint")).not_null())
            .column(ColumnDef::new("recorded_on", ty("date")).not_null())
            .column(ColumnDef::new("device", ty("text")))
            .partition_by(by_day());
        if keys {
            parent = parent
                .primary_key(["recorded_on", "id"])
                .unique(["device", "recorded_on"])
                .foreign_key(["device"], References::table("devices"))
                .check("id > 0")
                .index(IndexDef::on_columns(["device"]))
                .index(
                    IndexDef::on_columns(["id", "recorded_on"])
                        .unique()
                        .include(["device"])
                        .named("metrics_id_day"),
                );
        }
        b = b.table(parent).table(year(2025));
        b.build()
    };
    cases.push(case(
        "partition_parent_index_and_keys",
        keyed(false),
        keyed(true),
    ));
    cases.push(case(
        "partition_bound_change",
        metrics(by_day(), &|b| b.table(year(2025))),
        metrics(by_day(), &|b| {
            b.table(TableDef::new("metrics_2025").partition_of(
                "metrics",
                PartitionBound::range(["'2025-01-01'"], ["'2027-01-01'"]),
            ))
        }),
    ));
    // A table that becomes a partition is attached; the down plan detaches it. (A parent
    // with keys or indexes would leave copies of them on the detached table, which no plan
    // put there: see the README's partitioning section.)
    let plain_2025 = || {
        TableDef::new("metrics_2025")
            .column(ColumnDef::new("id", ty("bigint")).not_null())
            .column(ColumnDef::new("recorded_on", ty("date")).not_null())
            .column(ColumnDef::new("device", ty("text")))
    };
    cases.push(case(
        "partition_attach",
        metrics(by_day(), &|b| b.table(plain_2025())),
        metrics(by_day(), &|b| b.table(year(2025))),
    ));
    // A partition of a table a foreign key references is detached before it is dropped
    // (PostgreSQL refuses to drop it while attached).
    let sightings = || {
        TableDef::new("sightings")
            .column(ColumnDef::new("metric_day", ty("date")))
            .column(ColumnDef::new("metric_id", ty("bigint")))
            .foreign_key(["metric_day", "metric_id"], References::table("metrics"))
    };
    let keyed_metrics = |key: PartitionKey, extra: &dyn Fn(SchemaBuilder) -> SchemaBuilder| {
        extra(
            Schema::builder()
                .table(
                    TableDef::new("metrics")
                        .column(ColumnDef::new("id", ty("bigint")).not_null())
                        .column(ColumnDef::new("recorded_on", ty("date")).not_null())
                        .primary_key(["recorded_on", "id"])
                        .partition_by(key),
                )
                .table(sightings()),
        )
        .build()
    };
    cases.push(case(
        "partition_drop_referenced",
        keyed_metrics(by_day(), &|b| b.table(year(2025)).table(year(2026))),
        keyed_metrics(by_day(), &|b| b.table(year(2026))),
    ));
    // PostgreSQL cannot change a partition key, nor partition a table that exists: the table
    // is dropped and created again, with its partitions.
    cases.push(case(
        "partition_key_change",
        metrics(by_day(), &|b| b.table(year(2025))),
        metrics(PartitionKey::hash(["id"]), &|b| {
            b.table(TableDef::new("metrics_0").partition_of("metrics", PartitionBound::hash(1, 0)))
        }),
    ));
    cases.push(case(
        "table_becomes_partitioned",
        Schema::builder().table(plain_2025()).build(),
        Schema::builder()
            .table(plain_2025().partition_by(PartitionKey::list("device")))
            .table(
                TableDef::new("metrics_2025_a")
                    .partition_of("metrics_2025", PartitionBound::list(["'a'"])),
            )
            .build(),
    ));

    cases.extend(super::user_type_cases::all());
    cases.extend(super::policies::all());
    cases.extend(super::grants::all());
    cases.extend(super::sql_functions::all());
    cases
}
