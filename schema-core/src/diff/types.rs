//! What a column type change costs: rewrite, narrowing, whether `USING` is needed.

use crate::types::DataType;

/// What changing a column's type from `old` to `new` costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TypeChange {
    /// The table is rewritten (not binary coercible).
    pub(super) rewrite: bool,
    /// Some values may not convert, or lose information.
    pub(super) narrowing: bool,
    /// No assignment cast exists: the server needs `USING col::new`.
    pub(super) needs_using: bool,
    /// Not even an explicit cast exists (`time` to `timestamp`): existing values need an
    /// expression the declaration gives (`using`).
    pub(super) no_cast: bool,
}

pub(super) const STRING_TYPES: &[&str] = &["text", "character varying", "character"];
pub(super) const NUMERIC_TYPES: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "real",
    "double precision",
];
pub(super) const DATETIME_TYPES: &[&str] = &[
    "date",
    "timestamp without time zone",
    "timestamp with time zone",
];

pub(super) fn type_change(old: &DataType, new: &DataType) -> TypeChange {
    let builtin = |t: &DataType| t.schema.is_none();
    let (o, n) = (old.name.as_str(), new.name.as_str());
    if old.array != new.array {
        // A text value converts to any array (`'{a,b}'`) and any array to text, by I/O.
        let via_text = (builtin(old) && !old.array && STRING_TYPES.contains(&o))
            || (builtin(new) && !new.array && STRING_TYPES.contains(&n));
        return TypeChange {
            rewrite: true,
            narrowing: true,
            needs_using: true,
            no_cast: builtin(old) && builtin(new) && !via_text,
        };
    }
    // Same type, other modifiers.
    if old.schema == new.schema && o == n {
        let (om, nm) = (&old.modifiers, &new.modifiers);
        let widening_length = match (om.first(), nm.first()) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => b >= a,
        };
        return match o {
            "character varying" | "bit varying" => TypeChange {
                rewrite: !widening_length,
                narrowing: !widening_length,
                needs_using: false,
                no_cast: false,
            },
            "time without time zone"
            | "time with time zone"
            | "timestamp without time zone"
            | "timestamp with time zone"
            | "interval" => TypeChange {
                rewrite: !widening_length,
                narrowing: !widening_length,
                needs_using: false,
                no_cast: false,
            },
            "numeric" => {
                let (rewrite, narrowing) = match (om.as_slice(), nm.as_slice()) {
                    (_, []) => (false, false),
                    ([], _) => (true, true),
                    ([p, s], [p2, s2]) => (!(s2 == s && p2 >= p), p2 - s2 < p - s || s2 < s),
                    _ => (true, true),
                };
                TypeChange {
                    rewrite,
                    narrowing,
                    needs_using: false,
                    no_cast: false,
                }
            }
            _ => TypeChange {
                rewrite: true,
                narrowing: !(builtin(old) && widening_length && o == "character"),
                needs_using: false,
                no_cast: false,
            },
        };
    }
    if builtin(old) && builtin(new) {
        let unlimited = |t: &DataType| t.modifiers.is_empty();
        // Binary coercible: no rewrite.
        let coercible = (o == "character varying" && n == "text")
            || (o == "text" && n == "character varying" && unlimited(new))
            || (o == "cidr" && n == "inet")
            || (o == "xml" && n == "text");
        let to_string = STRING_TYPES.contains(&n);
        let widening = coercible
            || (to_string && unlimited(new) && n != "character")
            || numeric_widening(o, n, new)
            || (o == "real" && n == "double precision")
            || (o == "date" && DATETIME_TYPES.contains(&n))
            || (o == "timestamp without time zone" && n == "timestamp with time zone");
        let assignment_cast = to_string
            || (STRING_TYPES.contains(&o) && STRING_TYPES.contains(&n))
            || (NUMERIC_TYPES.contains(&o) && NUMERIC_TYPES.contains(&n))
            || (DATETIME_TYPES.contains(&o) && DATETIME_TYPES.contains(&n))
            || (o.starts_with("time ") && n.starts_with("time "))
            || (o == "cidr" && n == "inet")
            || (o == "json" && n == "jsonb")
            || (o == "bit" && n == "bit varying")
            || (o == "bit varying" && n == "bit");
        return TypeChange {
            rewrite: !coercible,
            narrowing: !widening,
            needs_using: !assignment_cast,
            no_cast: !assignment_cast && !explicit_cast(o, n),
        };
    }
    // A user type on either side: enum to text is an assignment cast, anything else needs USING.
    let to_string = builtin(new) && STRING_TYPES.contains(&n);
    // Whether a cast exists between user types is the server's to say: `USING col::new`.
    TypeChange {
        rewrite: true,
        narrowing: !(to_string && new.modifiers.is_empty() && n != "character"),
        needs_using: !to_string,
        no_cast: false,
    }
}

/// True when PostgreSQL has an explicit cast (or an I/O conversion) from built-in type `o` to
/// `n` (`pg_cast`, besides the assignment casts): `USING col::n` converts the values. Any type
/// converts to and from the string types by I/O.
fn explicit_cast(o: &str, n: &str) -> bool {
    let pair = |from: &[&str], to: &[&str]| from.contains(&o) && to.contains(&n);
    const TIMES: &[&str] = &["time without time zone", "time with time zone"];
    const INTS: &[&str] = &["integer", "bigint"];
    const BITS: &[&str] = &["bit", "bit varying"];
    STRING_TYPES.contains(&o)
        || STRING_TYPES.contains(&n)
        || pair(NUMERIC_TYPES, NUMERIC_TYPES)
        || pair(DATETIME_TYPES, DATETIME_TYPES)
        || pair(
            &[
                "timestamp without time zone",
                "timestamp with time zone",
                "time without time zone",
                "time with time zone",
                "interval",
            ],
            &["time without time zone"],
        )
        || pair(
            &["timestamp with time zone", "time without time zone"],
            TIMES,
        )
        || (o == "time without time zone" && n == "interval")
        || pair(&["integer"], &["boolean"])
        || pair(&["boolean"], &["integer"])
        || pair(&["json", "jsonb"], &["json", "jsonb"])
        || pair(&["jsonb"], &["boolean"])
        || pair(&["jsonb"], NUMERIC_TYPES)
        || pair(INTS, BITS)
        || pair(BITS, INTS)
        || pair(BITS, BITS)
        || pair(&["money"], &["numeric"])
        || pair(&["numeric", "integer", "bigint"], &["money"])
        || pair(&["inet", "cidr"], &["inet", "cidr"])
        || pair(&["macaddr", "macaddr8"], &["macaddr", "macaddr8"])
}

pub(super) fn numeric_widening(o: &str, n: &str, new: &DataType) -> bool {
    let rank = |t: &str| match t {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        _ => None,
    };
    match (rank(o), rank(n)) {
        (Some(a), Some(b)) => b >= a,
        (Some(_), None) if n == "numeric" => new.modifiers.is_empty(),
        (Some(a), None) if n == "double precision" => a <= 2,
        _ => false,
    }
}
