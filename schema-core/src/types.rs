//! Column and argument types, held in the canonical form PostgreSQL's `format_type` prints.
//!
//! One parser serves both sources: the macro parses what the user wrote (`int4`, `varchar(20)`,
//! `timestamptz`) and the runtime parses what the catalog prints (`integer`,
//! `character varying(20)`, `timestamp with time zone`); both land on the same value, so type
//! aliases never show up as differences.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ident::quote_ident;

/// A type: a built-in one by canonical name, or a named user or extension type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DataType {
    /// `None` for built-in types; the namespace of a user or extension type (enum, domain, `citext`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Canonical name: `integer`, `character varying`, `timestamp with time zone`, `serial`, or
    /// the user type's own name.
    pub name: String,
    /// Type modifiers: length, precision and scale (`numeric(10,2)` is `[10, 2]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<i32>,
    /// An array of the type. PostgreSQL does not enforce array dimensions, so `int[][]` is `int[]`.
    #[serde(default, skip_serializing_if = "crate::model::is_false")]
    pub array: bool,
}

/// Why a type name was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeError {
    /// No built-in type has this name (and it is not a valid user type name).
    Unknown {
        /// The name as written.
        name: String,
        /// The closest built-in name, if any is close.
        suggestion: Option<&'static str>,
    },
    /// The type exists but its length, precision or scale is invalid.
    BadModifier {
        /// The type's canonical name.
        name: String,
        /// What is wrong, e.g. "precision must be between 1 and 1000".
        message: String,
    },
}

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeError::Unknown { name, .. } => write!(f, "unknown type `{name}`"),
            TypeError::BadModifier { name, message } => write!(f, "invalid `{name}`: {message}"),
        }
    }
}

impl std::error::Error for TypeError {}

/// How a built-in type takes modifiers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mods {
    /// None allowed.
    None,
    /// `(n)`, 1..=max; `default` when omitted, if any.
    Length { max: i32, default: Option<i32> },
    /// `(p)` 0..=6 fractional-second precision.
    Precision,
    /// `numeric(p[, s])`.
    Numeric,
    /// `float(p)`: picks `real` or `double precision`.
    Float,
}

/// Built-in types: (spellings, canonical name, modifiers). The first spelling is canonical.
const BUILTINS: &[(&[&str], Mods)] = &[
    (&["smallint", "int2"], Mods::None),
    (&["integer", "int", "int4"], Mods::None),
    (&["bigint", "int8"], Mods::None),
    (&["smallserial", "serial2"], Mods::None),
    (&["serial", "serial4"], Mods::None),
    (&["bigserial", "serial8"], Mods::None),
    (&["real", "float4"], Mods::None),
    (&["double precision", "float8"], Mods::None),
    (&["float"], Mods::Float),
    (&["numeric", "decimal", "dec"], Mods::Numeric),
    (&["money"], Mods::None),
    (&["boolean", "bool"], Mods::None),
    (&["text"], Mods::None),
    (
        &["character varying", "varchar", "char varying"],
        Mods::Length {
            max: 10_485_760,
            default: None,
        },
    ),
    (
        &["character", "char"],
        Mods::Length {
            max: 10_485_760,
            default: Some(1),
        },
    ),
    (
        &["bpchar"],
        Mods::Length {
            max: 10_485_760,
            default: None,
        },
    ),
    (&["\"char\""], Mods::None),
    (&["name"], Mods::None),
    (&["bytea"], Mods::None),
    (&["date"], Mods::None),
    (&["time without time zone", "time"], Mods::Precision),
    (&["time with time zone", "timetz"], Mods::Precision),
    (
        &["timestamp without time zone", "timestamp"],
        Mods::Precision,
    ),
    (
        &["timestamp with time zone", "timestamptz"],
        Mods::Precision,
    ),
    (&["interval"], Mods::Precision),
    (&["uuid"], Mods::None),
    (&["json"], Mods::None),
    (&["jsonb"], Mods::None),
    (&["jsonpath"], Mods::None),
    (&["xml"], Mods::None),
    (&["inet"], Mods::None),
    (&["cidr"], Mods::None),
    (&["macaddr"], Mods::None),
    (&["macaddr8"], Mods::None),
    (
        &["bit"],
        Mods::Length {
            max: 83_886_080,
            default: Some(1),
        },
    ),
    (
        &["bit varying", "varbit"],
        Mods::Length {
            max: 83_886_080,
            default: None,
        },
    ),
    (&["tsvector"], Mods::None),
    (&["tsquery"], Mods::None),
    (&["point"], Mods::None),
    (&["line"], Mods::None),
    (&["lseg"], Mods::None),
    (&["box"], Mods::None),
    (&["path"], Mods::None),
    (&["polygon"], Mods::None),
    (&["circle"], Mods::None),
    (&["int4range"], Mods::None),
    (&["int8range"], Mods::None),
    (&["numrange"], Mods::None),
    (&["tsrange"], Mods::None),
    (&["tstzrange"], Mods::None),
    (&["daterange"], Mods::None),
    (&["int4multirange"], Mods::None),
    (&["int8multirange"], Mods::None),
    (&["nummultirange"], Mods::None),
    (&["tsmultirange"], Mods::None),
    (&["tstzmultirange"], Mods::None),
    (&["datemultirange"], Mods::None),
    (&["oid"], Mods::None),
    (&["regclass"], Mods::None),
    (&["regproc"], Mods::None),
    (&["regtype"], Mods::None),
    (&["pg_lsn"], Mods::None),
    (&["txid_snapshot"], Mods::None),
    (&["pg_snapshot"], Mods::None),
    // Pseudo-types: only meaningful as function argument or return types.
    (&["trigger"], Mods::None),
    (&["event_trigger"], Mods::None),
    (&["void"], Mods::None),
    (&["record"], Mods::None),
    (&["anyelement"], Mods::None),
    (&["anyarray"], Mods::None),
    (&["anynonarray"], Mods::None),
    (&["anyenum"], Mods::None),
    (&["anyrange"], Mods::None),
    (&["anycompatible"], Mods::None),
    (&["anycompatiblearray"], Mods::None),
    (&["internal"], Mods::None),
    (&["cstring"], Mods::None),
];

/// `interval` field restrictions, as `format_type` prints them after `interval `.
const INTERVAL_FIELDS: &[&str] = &[
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "year to month",
    "day to hour",
    "day to minute",
    "day to second",
    "hour to minute",
    "hour to second",
    "minute to second",
];

/// Types that extensions commonly provide: (type name, extension that provides it).
pub const EXTENSION_TYPES: &[(&str, &str)] = &[
    ("citext", "citext"),
    ("hstore", "hstore"),
    ("ltree", "ltree"),
    ("lquery", "ltree"),
    ("cube", "cube"),
    ("vector", "vector"),
    ("halfvec", "vector"),
    ("sparsevec", "vector"),
    ("geometry", "postgis"),
    ("geography", "postgis"),
];

impl DataType {
    /// A built-in type without modifiers, by canonical name (`"integer"`, `"text"`, ...).
    ///
    /// # Panics
    /// If `name` is not a canonical built-in name; use [`DataType::parse`] for user input.
    pub fn builtin(name: &str) -> DataType {
        let parsed = DataType::parse(name).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            parsed.schema.is_none(),
            "`{name}` is not a built-in type name"
        );
        parsed
    }

    /// A named user or extension type (enum, domain, `citext`, ...).
    pub fn named(schema: impl Into<String>, name: impl Into<String>) -> DataType {
        DataType {
            schema: Some(schema.into()),
            name: name.into(),
            modifiers: Vec::new(),
            array: false,
        }
    }

    /// The same type with modifiers, e.g. `DataType::builtin("numeric").with_modifiers(&[10, 2])`.
    pub fn with_modifiers(mut self, modifiers: &[i32]) -> DataType {
        self.modifiers = modifiers.to_vec();
        self
    }

    /// An array of this type.
    pub fn array_of(mut self) -> DataType {
        self.array = true;
        self
    }

    /// The element type, for an array.
    pub fn element(&self) -> DataType {
        DataType {
            array: false,
            ..self.clone()
        }
    }

    /// The qualified name of a user or extension type (of its elements, for an array): what
    /// a declared type, or a table's or view's row type, is looked up by. `None` when built in.
    pub fn user_name(&self) -> Option<crate::model::QualifiedName> {
        Some(crate::model::QualifiedName::new(
            self.schema.clone()?,
            self.name.clone(),
        ))
    }

    /// True for a user or extension type (not built in).
    pub fn is_user_type(&self) -> bool {
        self.schema.is_some()
    }

    /// True for `smallint`, `integer` and `bigint` (the types identity columns allow).
    pub fn is_integer(&self) -> bool {
        !self.array
            && self.schema.is_none()
            && matches!(self.name.as_str(), "smallint" | "integer" | "bigint")
    }

    /// For `smallserial`, `serial` and `bigserial`: the integer type the column really has.
    pub fn serial_base(&self) -> Option<DataType> {
        if self.array || self.schema.is_some() {
            return None;
        }
        let base = match self.name.as_str() {
            "smallserial" => "smallint",
            "serial" => "integer",
            "bigserial" => "bigint",
            _ => return None,
        };
        Some(DataType::builtin(base))
    }

    /// Parses a type as written in SQL or printed by `format_type`: aliases, modifiers,
    /// `with[out] time zone`, `interval` fields, trailing `[]`. Names that are not built in
    /// parse as user types (`schema.name` or `name`, the latter in `public`) when they are
    /// plain identifiers or quoted ones; the caller decides whether such a type exists.
    pub fn parse(input: &str) -> Result<DataType, TypeError> {
        Self::parse_with(input, true)
    }

    /// [`DataType::parse`] for a caller that only asks whether `input` is a type, as a reader
    /// trying `name type` against `type` does: no error, so no suggestion to look for (the
    /// edit distances to every built-in name were a quarter of reading a thousand functions).
    pub fn try_parse(input: &str) -> Option<DataType> {
        Self::parse_with(input, false).ok()
    }

    fn parse_with(input: &str, suggest: bool) -> Result<DataType, TypeError> {
        let unknown = |input: &str| unknown(input, suggest);
        let mut text = input.trim().to_string();
        let mut array = false;
        loop {
            let t = text.trim_end();
            if let Some(stripped) = t.strip_suffix(']') {
                match stripped.rfind('[') {
                    Some(open) => {
                        text = stripped[..open].to_string();
                        array = true;
                    }
                    None => return Err(unknown(input)),
                }
            } else if t
                .get(t.len().saturating_sub(6)..)
                .is_some_and(|end| t.len() > 6 && end.eq_ignore_ascii_case(" array"))
            {
                text = t[..t.len() - 6].to_string();
                array = true;
            } else {
                text = t.to_string();
                break;
            }
        }
        // Pull out the one parenthesised modifier list wherever it stands
        // (`timestamp(3) with time zone`, `interval day to second(3)`, `varchar(20)`).
        let mut modifiers = Vec::new();
        let mut words = text.clone();
        if let Some(open) = text.find('(') {
            let close = text[open..]
                .find(')')
                .map(|c| open + c)
                .ok_or_else(|| unknown(input))?;
            for part in text[open + 1..close].split(',') {
                let part = part.trim();
                let value: i32 = part.parse().map_err(|_| TypeError::BadModifier {
                    name: text[..open].trim().to_string(),
                    message: format!("`{part}` is not an integer"),
                })?;
                modifiers.push(value);
            }
            words = format!("{} {}", &text[..open], &text[close + 1..]);
        }
        let words: Vec<&str> = words.split_whitespace().collect();
        if words.is_empty() {
            return Err(unknown(input));
        }
        let lower = words.join(" ").to_ascii_lowercase();

        if let Some(field) = lower.strip_prefix("interval ") {
            if INTERVAL_FIELDS.contains(&field) {
                check_precision("interval", &modifiers)?;
                return Ok(DataType {
                    schema: None,
                    name: lower,
                    modifiers,
                    array,
                });
            }
        }
        for (spellings, mods) in BUILTINS {
            if spellings.contains(&lower.as_str()) {
                let canonical = spellings[0];
                let (name, modifiers) = apply_modifiers(canonical, *mods, modifiers)?;
                return Ok(DataType {
                    schema: None,
                    name,
                    modifiers,
                    array,
                });
            }
        }
        // A user type: `name` or `schema.name`, identifiers possibly quoted.
        if words.len() != 1 {
            return Err(unknown(input));
        }
        let qualified = parse_qualified(words[0]).ok_or_else(|| unknown(input))?;
        Ok(DataType {
            schema: Some(qualified.0),
            name: qualified.1,
            modifiers,
            array,
        })
    }
}

/// All built-in spellings, for "did you mean" suggestions and documentation.
pub fn builtin_type_names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().flat_map(|(names, _)| names.iter().copied())
}

/// The extension that provides the type `name`, for the common ones.
pub fn extension_for_type(name: &str) -> Option<&'static str> {
    EXTENSION_TYPES
        .iter()
        .find(|(ty, _)| *ty == name)
        .map(|(_, ext)| *ext)
}

fn unknown(input: &str, suggest: bool) -> TypeError {
    let name = input.trim().to_string();
    if !suggest {
        return TypeError::Unknown {
            name,
            suggestion: None,
        };
    }
    let lower = name.to_ascii_lowercase();
    let suggestion = builtin_type_names()
        .map(|cand| (crate::suggest::edit_distance(&lower, cand), cand))
        .filter(|(d, cand)| *d <= 2.max(cand.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c);
    TypeError::Unknown { name, suggestion }
}

fn bad(name: &str, message: impl Into<String>) -> TypeError {
    TypeError::BadModifier {
        name: name.to_string(),
        message: message.into(),
    }
}

fn check_precision(name: &str, modifiers: &[i32]) -> Result<(), TypeError> {
    match modifiers {
        [] => Ok(()),
        [p] if (0..=6).contains(p) => Ok(()),
        [p] => Err(bad(
            name,
            format!("precision {p} is out of range: it must be between 0 and 6"),
        )),
        _ => Err(bad(name, "takes at most one precision")),
    }
}

fn apply_modifiers(
    canonical: &str,
    mods: Mods,
    modifiers: Vec<i32>,
) -> Result<(String, Vec<i32>), TypeError> {
    let name = canonical.to_string();
    match mods {
        Mods::None if modifiers.is_empty() => Ok((name, modifiers)),
        Mods::None => Err(bad(canonical, "takes no length or precision")),
        Mods::Precision => check_precision(canonical, &modifiers).map(|()| (name, modifiers)),
        Mods::Length { max, default } => match modifiers.as_slice() {
            [] => Ok((name, default.into_iter().collect())),
            [n] if (1..=max).contains(n) => Ok((name, modifiers)),
            [n] => Err(bad(
                canonical,
                format!("length {n} is out of range: it must be between 1 and {max}"),
            )),
            _ => Err(bad(canonical, "takes at most one length")),
        },
        Mods::Numeric => match modifiers.as_slice() {
            [] => Ok((name, modifiers)),
            [p] | [p, _] if !(1..=1000).contains(p) => Err(bad(
                canonical,
                format!("precision {p} is out of range: it must be between 1 and 1000"),
            )),
            [p] => Ok((name, vec![*p, 0])),
            [_, s] if !(-1000..=1000).contains(s) => Err(bad(
                canonical,
                format!("scale {s} is out of range: it must be between -1000 and 1000"),
            )),
            [_, _] => Ok((name, modifiers)),
            _ => Err(bad(canonical, "takes at most a precision and a scale")),
        },
        Mods::Float => match modifiers.as_slice() {
            [] => Ok(("double precision".into(), vec![])),
            [p] if (1..=24).contains(p) => Ok(("real".into(), vec![])),
            [p] if (25..=53).contains(p) => Ok(("double precision".into(), vec![])),
            [p] => Err(bad(
                "float",
                format!("precision {p} is out of range: it must be between 1 and 53"),
            )),
            _ => Err(bad("float", "takes at most one precision")),
        },
    }
}

/// Splits `a.b`, `"A"."b c"` or `b` (in `public`) into (schema, name).
fn parse_qualified(text: &str) -> Option<(String, String)> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let (part, after) = if let Some(stripped) = rest.strip_prefix('"') {
            // Quoted identifier: `""` stands for one `"`.
            let mut out = String::new();
            let mut chars = stripped.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if matches!(chars.peek(), Some((_, '"'))) {
                        out.push('"');
                        chars.next();
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    out.push(c);
                }
            }
            (out, &stripped[end?..])
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            let word = &rest[..end];
            let valid = word
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && word
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
            if !valid {
                return None;
            }
            (word.to_string(), &rest[end..])
        };
        parts.push(part);
        match after.strip_prefix('.') {
            Some(next) => rest = next,
            None if after.is_empty() => break,
            None => return None,
        }
    }
    match parts.len() {
        1 => Some((crate::model::DEFAULT_SCHEMA.to_string(), parts.pop()?)),
        2 => {
            let name = parts.pop()?;
            Some((parts.pop()?, name))
        }
        _ => None,
    }
}

impl fmt::Display for DataType {
    /// Prints as `format_type` does: `character varying(20)`, `timestamp(3) with time zone`,
    /// `numeric(10,2)`, `integer[]`; user types quoted and qualified outside `public`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(schema) => {
                if schema != crate::model::DEFAULT_SCHEMA {
                    write!(f, "{}.", quote_ident(schema))?;
                }
                write!(f, "{}", quote_ident(&self.name))?;
                write_mods(f, &self.modifiers)?;
            }
            None => {
                // The modifier goes after the first word for time types
                // (`timestamp(3) with time zone`) and at the end otherwise.
                let split = ["time ", "timestamp "]
                    .iter()
                    .find(|p| self.name.starts_with(*p))
                    .map(|p| p.len() - 1);
                match split {
                    Some(at) if !self.modifiers.is_empty() => {
                        f.write_str(&self.name[..at])?;
                        write_mods(f, &self.modifiers)?;
                        f.write_str(&self.name[at..])?;
                    }
                    _ => {
                        f.write_str(&self.name)?;
                        write_mods(f, &self.modifiers)?;
                    }
                }
            }
        }
        if self.array {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

fn write_mods(f: &mut fmt::Formatter<'_>, modifiers: &[i32]) -> fmt::Result {
    if modifiers.is_empty() {
        return Ok(());
    }
    f.write_str("(")?;
    for (i, m) in modifiers.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        write!(f, "{m}")?;
    }
    f.write_str(")")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        DataType::parse(s).unwrap().to_string()
    }

    #[test]
    fn aliases_print_as_format_type() {
        assert_eq!(canon("int4"), "integer");
        assert_eq!(canon("INT"), "integer");
        assert_eq!(canon("int8"), "bigint");
        assert_eq!(canon("varchar(255)"), "character varying(255)");
        assert_eq!(canon("character varying ( 255 )"), "character varying(255)");
        assert_eq!(canon("timestamptz"), "timestamp with time zone");
        assert_eq!(canon("timestamptz(3)"), "timestamp(3) with time zone");
        assert_eq!(
            canon("timestamp(3) with time zone"),
            "timestamp(3) with time zone"
        );
        assert_eq!(canon("timestamp"), "timestamp without time zone");
        assert_eq!(canon("time(2)"), "time(2) without time zone");
        assert_eq!(canon("decimal(10)"), "numeric(10,0)");
        assert_eq!(canon("numeric(10, 2)"), "numeric(10,2)");
        assert_eq!(canon("float"), "double precision");
        assert_eq!(canon("float(10)"), "real");
        assert_eq!(canon("bool"), "boolean");
        assert_eq!(canon("char"), "character(1)");
        assert_eq!(canon("bit"), "bit(1)");
        assert_eq!(canon("varbit(3)"), "bit varying(3)");
        assert_eq!(canon("int[][]"), "integer[]");
        assert_eq!(canon("text[3]"), "text[]");
        assert_eq!(
            canon("interval day to second(3)"),
            "interval day to second(3)"
        );
        assert_eq!(canon("citext"), "citext");
        assert_eq!(canon("audit.\"Level\"[]"), "audit.\"Level\"[]");
    }

    #[test]
    fn rejects_bad_modifiers_and_names() {
        assert!(matches!(
            DataType::parse("varchar(0)"),
            Err(TypeError::BadModifier { .. })
        ));
        assert!(matches!(
            DataType::parse("numeric(2000,1)"),
            Err(TypeError::BadModifier { .. })
        ));
        assert!(matches!(
            DataType::parse("timestamp(7)"),
            Err(TypeError::BadModifier { .. })
        ));
        assert!(matches!(
            DataType::parse("text(5)"),
            Err(TypeError::BadModifier { .. })
        ));
        match DataType::parse("intger") {
            Ok(t) => assert!(t.is_user_type()),
            Err(e) => panic!("{e}"),
        }
        match DataType::parse("double precison") {
            Err(TypeError::Unknown { suggestion, .. }) => {
                assert_eq!(suggestion, Some("double precision"))
            }
            other => panic!("{other:?}"),
        }
    }
}
