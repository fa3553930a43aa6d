//! Functions beyond the basics: SQL-standard bodies (`RETURN`, `BEGIN ATOMIC`) that name tables,
//! views and other functions, overloads, `returns void` and the empty bodies PostgreSQL takes,
//! and statement-level triggers: the fixture, and diff cases (see [`super::cases`] for the
//! shape).

use schema_core::builder::*;
use schema_core::*;

use super::cases::Case;
use super::ty;

fn users(email: &str) -> TableDef {
    TableDef::new("users")
        .column(ColumnDef::new("id", ty("bigint")).primary_key())
        .column(ColumnDef::new("email", ty(email)).not_null())
        .column(ColumnDef::new("score", ty("numeric")))
}

fn clamp_score(body: &str) -> Function {
    Function::new("clamp_score")
        .arg(FunctionArg::new("s", ty("numeric")))
        .returns(ty("numeric"))
        .immutable()
        .return_sql(body)
}

fn email_of() -> Function {
    Function::new("email_of")
        .arg(FunctionArg::new("uid", ty("bigint")))
        .returns(ty("text"))
        .stable()
        .begin_atomic("SELECT email FROM users WHERE id = uid;")
}

fn describe(input: &str) -> Function {
    Function::new("describe")
        .arg(FunctionArg::unnamed(ty(input)))
        .returns(ty("text"))
        .immutable()
        .return_sql(format!("'{input} ' || $1"))
}

fn log_statement() -> Function {
    Function::new("log_statement")
        .returns(ty("trigger"))
        .language("plpgsql")
        .body("BEGIN RETURN NULL; END")
}

/// Every shape: a `RETURN` body a table's check calls (created before the table), bodies that
/// read a table and a view (created after them), one that calls those, a procedure, overloads
/// (one with a comment), `returns void` with empty bodies, and statement-level triggers.
pub fn sql_functions() -> Schema {
    Schema::builder()
        .table(users("text").check("clamp_score(score) >= 0"))
        .view(View::new("emails", "SELECT id, email FROM users"))
        .function(clamp_score("greatest(s, 0)"))
        .function(email_of())
        .function(
            Function::new("email_count")
                .returns(ty("bigint"))
                .stable()
                .return_sql("(SELECT count(*) FROM emails)"),
        )
        .function(
            Function::new("totals")
                .returns(ty("bigint"))
                .stable()
                .begin_atomic("SELECT email_count() + length(email_of(1));"),
        )
        .function(
            Function::procedure("forget")
                .arg(FunctionArg::new("uid", ty("bigint")))
                .begin_atomic("DELETE FROM users WHERE id = uid; SELECT 1;"),
        )
        .function(describe("integer").comment("describes a number"))
        .function(describe("text"))
        .function(Function::new("nothing").returns(ty("void")).body(""))
        .function(
            Function::new("nothing_atomic")
                .returns(ty("void"))
                .begin_atomic(""),
        )
        .function(
            Function::new("nothing_plpgsql")
                .returns(ty("void"))
                .language("plpgsql")
                .body("BEGIN END"),
        )
        .function(Function::procedure("noop").body(""))
        .function(log_statement())
        .trigger(
            Trigger::new("users_changed", "users", "log_statement")
                .after()
                .on(TriggerEvent::Insert)
                .on(TriggerEvent::Update(vec![]))
                .on(TriggerEvent::Delete)
                .for_each_statement(),
        )
        .trigger(
            Trigger::new("users_truncated", "users", "log_statement")
                .before()
                .on(TriggerEvent::Truncate)
                .for_each_statement(),
        )
        .build()
}

fn case(name: &'static str, current: Schema, desired: Schema) -> Case {
    Case {
        name,
        current,
        desired,
        dump_equal: true,
    }
}

/// Every case of this file.
pub fn all() -> Vec<Case> {
    let with = |table: TableDef, functions: Vec<Function>, views: Vec<View>| {
        let mut b = Schema::builder().table(table);
        for v in views {
            b = b.view(v);
        }
        for f in functions {
            b = b.function(f);
        }
        b.build()
    };
    let email_count = || {
        Function::new("email_count")
            .returns(ty("bigint"))
            .stable()
            .return_sql("(SELECT count(*) FROM emails WHERE email <> '')")
    };
    let trigger = |row: bool| {
        let t = Trigger::new("users_changed", "users", "log_statement")
            .after()
            .on(TriggerEvent::Update(vec![]));
        let t = if row {
            t.for_each_row()
        } else {
            t.for_each_statement()
        };
        Schema::builder()
            .table(users("text"))
            .function(log_statement())
            .trigger(t)
            .build()
    };
    vec![
        case("functions_sql_create", Schema::default(), sql_functions()),
        // A changed body is replaced in place.
        case(
            "function_sql_body_change",
            with(users("text"), vec![clamp_score("greatest(s, 0)")], vec![]),
            with(users("text"), vec![clamp_score("greatest(s, 1)")], vec![]),
        ),
        // PostgreSQL refuses to change the type of a column an SQL-standard body uses: the
        // function is dropped first and created again after.
        case(
            "function_sql_body_column_type",
            with(users("text"), vec![email_of()], vec![]),
            with(users("varchar(200)"), vec![email_of()], vec![]),
        ),
        // ... nor drops a view one reads: a view rebuilt takes the function with it.
        case(
            "function_sql_body_view_rebuilt",
            with(
                users("text"),
                vec![email_count()],
                vec![View::new("emails", "SELECT id, email FROM users")],
            ),
            with(
                users("text"),
                vec![email_count()],
                vec![View::new("emails", "SELECT email FROM users")],
            ),
        ),
        // Dropping one overload leaves the other alone.
        case(
            "function_overload_drop",
            with(
                users("text"),
                vec![describe("integer"), describe("text")],
                vec![],
            ),
            with(users("text"), vec![describe("text")], vec![]),
        ),
        // A row trigger becomes a statement trigger: replaced in place.
        case("trigger_statement_level", trigger(true), trigger(false)),
    ]
}
