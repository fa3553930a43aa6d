pgdecl::schema! {
    table users { id bigint primary key, email text, score numeric }

    function touch_updated_at() returns trigger language plpgsql as r#"
        BEGIN NEW.updated_at := now(); RETURN NEW; END
    "#;

    function add(a integer, b integer default 1) returns integer language sql immutable strict as "SELECT a + b";

    /// The best users.
    function active_users(min_score numeric) returns table (id bigint, email text) language sql stable
        as "SELECT id, email FROM users WHERE score >= min_score";

    function user_ids() returns setof bigint language sql stable security definer
        set search_path = "public, pg_temp" set work_mem = 64 as "SELECT id FROM users";

    function total(variadic xs integer[]) returns bigint language sql security invoker volatile
        as "SELECT sum(x) FROM unnest(xs) x";

    function split(in full text, out first text, out rest text) language sql
        as "SELECT split_part(full, ' ', 1), substr(full, strpos(full, ' ') + 1)";

    function add(double precision, double precision) returns double precision language SQL
        as "SELECT $1 + $2";

    procedure archive(inout n integer, out done boolean) language plpgsql as "BEGIN done := true; END";

    // SQL-standard bodies: parsed by the server at creation.
    function add_one(a integer) returns integer language sql immutable return "a + 1";
    function user_count() returns bigint language sql stable
        begin atomic "SELECT 1; SELECT count(*) FROM users;";
    procedure forget(n bigint) language sql begin atomic "DELETE FROM users WHERE id = n;";

    // Empty bodies where PostgreSQL takes them: nothing is returned.
    function nothing() returns void language sql as "";
    function nothing_atomic() returns void language sql begin atomic "";
    function nothing_plpgsql() returns void language plpgsql as "BEGIN END";
    procedure noop() language sql as "";
}

use pgdecl::{ArgMode, BodyStyle, DataType, Returns, Volatility};

fn main() {
    let f = &SCHEMA.functions;
    assert_eq!(f.len(), 15);
    assert_eq!(f[0].returns, Some(Returns::Type(DataType::builtin("trigger"))));
    assert!(f[0].body.contains("RETURN NEW"));
    assert_eq!(f[1].volatility, Volatility::Immutable);
    assert!(f[1].strict);
    assert_eq!(f[1].args[1].default.as_deref(), Some("1"));
    assert_eq!(f[2].comment.as_deref(), Some("The best users."));
    assert_eq!(
        f[2].returns,
        Some(Returns::Table(vec![
            ("id".into(), DataType::builtin("bigint")),
            ("email".into(), DataType::builtin("text")),
        ]))
    );
    assert_eq!(f[3].returns, Some(Returns::SetOf(DataType::builtin("bigint"))));
    assert!(f[3].security_definer);
    assert_eq!(
        f[3].config,
        [
            ("search_path".to_string(), "public, pg_temp".to_string()),
            ("work_mem".to_string(), "64".to_string()),
        ]
    );
    assert_eq!(f[4].args[0].mode, ArgMode::Variadic);
    assert_eq!(f[4].args[0].data_type, DataType::builtin("integer").array_of());
    assert_eq!(f[5].returns, None);
    assert_eq!(f[5].args[1].mode, ArgMode::Out);
    assert_eq!(f[6].args[0].name, None);
    assert_eq!(f[6].args[0].data_type, DataType::builtin("double precision"));
    assert_eq!(f[6].language, "sql");
    assert!(f[7].is_procedure);
    assert_eq!(f[7].args[0].mode, ArgMode::InOut);
    assert_eq!(f[8].body_style, BodyStyle::Return);
    assert_eq!(f[8].body, "a + 1");
    assert_eq!(f[9].body_style, BodyStyle::Atomic);
    assert!(f[10].is_procedure && f[10].body_style == BodyStyle::Atomic);
    assert_eq!(f[11].returns, Some(Returns::Type(DataType::builtin("void"))));
    assert_eq!(f[11].body, "");
    assert_eq!(f[12].body_style, BodyStyle::Atomic);
    assert_eq!(f[14].body_style, BodyStyle::Quoted);
    assert!(pgdecl::check(&SCHEMA).is_empty());
}
