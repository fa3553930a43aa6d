//! Range types: `CREATE TYPE ... AS RANGE (...)`, guarded. PostgreSQL cannot alter a range's
//! definition, so the diff rebuilds it instead.

use std::fmt::{self, Formatter};

use crate::ident::dollar_quote;

use super::display::*;
use super::user_type::write_guarded_create;
use super::*;

pub(super) fn write_create_range(
    f: &mut Formatter<'_>,
    r: &RangeType,
    pretty: bool,
) -> fmt::Result {
    let create = DisplayFn(|f: &mut Formatter<'_>| {
        write!(
            f,
            "CREATE TYPE {} AS RANGE (SUBTYPE = {}",
            r.name,
            SqlType(&r.subtype)
        )?;
        if let Some(opclass) = &r.subtype_opclass {
            write!(f, ", SUBTYPE_OPCLASS = {}", Ident(opclass))?;
        }
        if let Some(collation) = &r.collation {
            write!(f, ", COLLATION = {}", Ident(collation))?;
        }
        if let Some(diff) = &r.subtype_diff {
            write!(f, ", SUBTYPE_DIFF = {}", Fragment(diff))?;
        }
        if let Some(multirange) = &r.multirange_type_name {
            write!(f, ", MULTIRANGE_TYPE_NAME = {multirange}")?;
        }
        f.write_str(");")
    });
    write_guarded_create(f, pretty, &r.name, &create)
}

/// Renames the constructor functions of a range type that was renamed away (named like the
/// range and its multirange type), so a new range of the old name can create its own: a `DO`
/// block over the functions that belong (internal dependency) to the renamed types.
pub(super) fn write_rename_range_constructors(
    f: &mut Formatter<'_>,
    pretty: bool,
    schema: &str,
    renames: &[(String, String)],
) -> fmt::Result {
    let types: Vec<Literal<'_>> = renames.iter().map(|(_, to)| Literal(to)).collect();
    let names: Vec<Literal<'_>> = renames.iter().map(|(from, _)| Literal(from)).collect();
    let mut cases = String::new();
    for (from, to) in renames {
        cases.push_str(&format!(" WHEN {} THEN {}", Literal(from), Literal(to)));
    }
    let query = format!(
        "SELECT p.oid::pg_catalog.regprocedure AS f, CASE p.proname{cases} END AS t \
         FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_depend d \
         ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'i' \
         JOIN pg_catalog.pg_type t ON t.oid = d.refobjid \
         JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = {} AND t.typname IN ({}) AND p.proname IN ({})",
        Literal(schema),
        display_comma_separated(&types),
        display_comma_separated(&names)
    );
    let rename = "EXECUTE pg_catalog.format('ALTER FUNCTION %s RENAME TO %I', r.f, r.t);";
    let body = if pretty {
        format!("\nDECLARE r record;\nBEGIN\n    FOR r IN {query}\n    LOOP\n        {rename}\n    END LOOP;\nEND\n")
    } else {
        format!(" DECLARE r record; BEGIN FOR r IN {query} LOOP {rename} END LOOP; END ")
    };
    write!(f, "DO {};", dollar_quote(&body))
}
