//! Functions and procedures (`pg_proc`), read into
//! [`Schema::functions`](schema_core::model::Schema::functions), and plain aggregates (from
//! `pg_aggregate`, in the same round trip) into
//! [`Schema::aggregates`](schema_core::model::Schema::aggregates); window functions, other
//! aggregates and signatures the model cannot hold are reported. The constructor functions of
//! a range type and its multirange type belong to the type (an internal dependency) and are
//! left out.

use postgres::GenericClient;
use postgres::Row;
use schema_core::model::{Aggregate, BodyStyle, Function, QualifiedName, Volatility};
use schema_core::DataType;

use super::{description_join, not_ext, qualified, Catalog, Filter, Found, NAMESPACE_FILTER};
use crate::error::Error;

/// The query [`read`] runs: posted ahead to the read's second connection (see
/// [`super::jobs`]).
pub(super) fn sql() -> String {
    format!(
        "SELECT n.nspname::text, p.proname::text, p.prokind::text,
                pg_catalog.pg_get_function_arguments(p.oid),
                CASE WHEN p.prokind = 'f' THEN pg_catalog.pg_get_function_result(p.oid) END,
                l.lanname::text, p.prosrc, p.provolatile::text, p.proisstrict, p.prosecdef,
                COALESCE(p.proconfig, '{{}}'::text[]),
                d.description,
                ag.aggkind::text, sfn.nspname::text, sf.proname::text,
                ffn.nspname::text, ff.proname::text,
                pg_catalog.format_type(ag.aggtranstype, NULL), ag.agginitval,
                (ag.aggcombinefn <> 0 OR ag.aggserialfn <> 0 OR ag.aggdeserialfn <> 0
                 OR ag.aggmtransfn <> 0 OR ag.aggsortop <> 0 OR ag.aggfinalextra
                 OR ag.aggfinalmodify <> 'r' OR ag.aggtransspace <> 0
                 OR p.proparallel <> 'u'),
                CASE WHEN p.prosqlbody IS NOT NULL
                     THEN pg_catalog.pg_get_function_sqlbody(p.oid) END
         FROM pg_catalog.pg_proc p
         JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
         JOIN pg_catalog.pg_language l ON l.oid = p.prolang
         LEFT JOIN pg_catalog.pg_aggregate ag ON ag.aggfnoid = p.oid
         LEFT JOIN pg_catalog.pg_proc sf ON sf.oid = ag.aggtransfn
         LEFT JOIN pg_catalog.pg_namespace sfn ON sfn.oid = sf.pronamespace
         LEFT JOIN pg_catalog.pg_proc ff ON ff.oid = ag.aggfinalfn
         LEFT JOIN pg_catalog.pg_namespace ffn ON ffn.oid = ff.pronamespace
         {}
         WHERE {NAMESPACE_FILTER} AND {}
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                             AND d.objid = p.oid AND d.deptype = 'i'
                             AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass)
         ORDER BY n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)",
        description_join("d", "pg_proc", "p.oid", "0"),
        not_ext("pg_proc", "p.oid")
    )
}

/// Reads every user function and procedure in one round trip.
pub(super) fn read<C: GenericClient>(
    cat: &mut Catalog<'_, C>,
    filter: Filter<'_>,
    found: &mut Found,
) -> Result<(), Error> {
    let sql = sql();
    for row in cat.query(&sql, filter)? {
        let name = QualifiedName::new(row.get::<_, String>(0), row.get::<_, String>(1));
        let kind: String = row.get(2);
        if kind == "a" {
            aggregate(&row, name, found);
            continue;
        }
        if kind == "w" {
            found.unmodeled("window function", qualified(&name));
            continue;
        }
        let args_text: String = row.get(3);
        let Some(args) = crate::parse::function_args(&args_text) else {
            found.unmodeled(
                format!("function with arguments pgdecl cannot read ({args_text})"),
                qualified(&name),
            );
            continue;
        };
        let returns = match row.get::<_, Option<String>>(4) {
            Some(text) => match crate::parse::function_result(&text) {
                Some(r) => Some(r),
                None => {
                    found.unmodeled(format!("function returning {text}"), qualified(&name));
                    continue;
                }
            },
            None => None,
        };
        let config = row
            .get::<_, Vec<String>>(10)
            .into_iter()
            .map(|c| match c.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (c, String::new()),
            })
            .collect();
        let (body_style, body) = match row.get::<_, Option<String>>(20) {
            Some(printed) => sql_body(&printed),
            None => (
                BodyStyle::Quoted,
                row.get::<_, Option<String>>(6).unwrap_or_default(),
            ),
        };
        found.schema.functions.push(Function {
            name,
            is_procedure: kind == "p",
            args,
            returns,
            language: row.get(5),
            body,
            body_style,
            volatility: match row.get::<_, String>(7).as_str() {
                "i" => Volatility::Immutable,
                "s" => Volatility::Stable,
                _ => Volatility::Volatile,
            },
            strict: row.get(8),
            security_definer: row.get(9),
            config,
            comment: row.get(11),
        });
    }
    Ok(())
}

/// An SQL-standard body as `pg_get_function_sqlbody` prints it (`RETURN (a + 1)`, `BEGIN
/// ATOMIC\n SELECT 1;\n END`): its style and the text after `RETURN` or between `BEGIN
/// ATOMIC` and `END`.
fn sql_body(printed: &str) -> (BodyStyle, String) {
    let text = printed.trim();
    if let Some(expr) = text.strip_prefix("RETURN ") {
        return (BodyStyle::Return, expr.trim().to_string());
    }
    let statements = text
        .strip_prefix("BEGIN ATOMIC")
        .and_then(|rest| rest.strip_suffix("END"))
        .unwrap_or(text);
    (BodyStyle::Atomic, statements.trim().to_string())
}

/// An aggregate's row: a plain aggregate with the options the model holds is read, any
/// other is reported.
fn aggregate(row: &Row, name: QualifiedName, found: &mut Found) {
    let plain = row.get::<_, Option<String>>(12).as_deref() == Some("n");
    let other_options = row.get::<_, Option<bool>>(19).unwrap_or(true);
    if !plain || other_options {
        found.unmodeled(
            if plain {
                "aggregate with options pgdecl does not model"
            } else {
                "ordered-set aggregate"
            },
            qualified(&name),
        );
        return;
    }
    let args_text: String = row.get(3);
    let args = if args_text.trim() == "*" {
        Some(Vec::new())
    } else {
        crate::parse::function_args(&args_text)
            .map(|args| args.into_iter().map(|a| a.data_type).collect::<Vec<_>>())
    };
    let function = |schema: usize, proc: usize| {
        Some(QualifiedName::new(
            row.get::<_, Option<String>>(schema)?,
            row.get::<_, Option<String>>(proc)?,
        ))
    };
    let stype = row.get::<_, Option<String>>(17).unwrap_or_default();
    let (Some(args), Some(sfunc), Ok(stype)) = (args, function(13, 14), DataType::parse(&stype))
    else {
        found.unmodeled(
            format!("aggregate pgdecl cannot read ({args_text})"),
            qualified(&name),
        );
        return;
    };
    found.schema.aggregates.push(Aggregate {
        name,
        args,
        sfunc,
        stype,
        finalfunc: function(15, 16),
        initcond: row.get(18),
        comment: row.get(11),
    });
}
