//! Range types: `CREATE TYPE ... AS RANGE (...)`, guarded. PostgreSQL cannot alter a range's
//! definition, so the diff rebuilds it instead.

use std::fmt::{self, Formatter};

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
