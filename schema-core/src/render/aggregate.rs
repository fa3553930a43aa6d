//! Aggregates: `CREATE OR REPLACE AGGREGATE` (PostgreSQL 12+) and the signature `DROP` and
//! `COMMENT ON` take.

use std::fmt::{self, Display, Formatter};

use super::display::*;
use super::*;

/// An aggregate's identity: `public.group_concat(text)`.
pub struct AggregateSignature<'a>(pub &'a Aggregate);

impl Display for AggregateSignature<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let agg = self.0;
        write!(f, "{}(", agg.name)?;
        if agg.args.is_empty() {
            f.write_str("*")?;
        }
        for (i, arg) in agg.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            SqlType(arg).fmt(f)?;
        }
        f.write_str(")")
    }
}

pub(super) fn write_create_aggregate(
    f: &mut Formatter<'_>,
    agg: &Aggregate,
    pretty: bool,
) -> fmt::Result {
    let sep = if pretty { ",\n    " } else { ", " };
    let open = if pretty { " (\n    " } else { " (" };
    let close = if pretty { "\n)" } else { ")" };
    write!(
        f,
        "CREATE OR REPLACE AGGREGATE {}{open}SFUNC = {}{sep}STYPE = {}",
        AggregateSignature(agg),
        agg.sfunc,
        SqlType(&agg.stype)
    )?;
    if let Some(finalfunc) = &agg.finalfunc {
        write!(f, "{sep}FINALFUNC = {finalfunc}")?;
    }
    if let Some(initcond) = &agg.initcond {
        write!(f, "{sep}INITCOND = {}", Literal(initcond))?;
    }
    write!(f, "{close};")
}
