//! Partition bound values as the partition rules compare them: where the macro can tell the
//! order of two values without a server (numbers on numeric keys, ISO dates and timestamps on
//! date and time keys, `MINVALUE` / `MAXVALUE` anywhere), and otherwise not at all, so a rule
//! never reports an overlap it cannot be sure of.

use std::cmp::Ordering;

use crate::types::DataType;

/// A bound value, classified from its SQL text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// `MINVALUE`.
    Min,
    /// `MAXVALUE`.
    Max,
    /// `NULL`.
    Null,
    /// A number, bare or quoted (PostgreSQL prints negative ones quoted): `(negative,
    /// integer digits without leading zeros, fraction digits without trailing zeros)`.
    Number(bool, String, String),
    /// The contents of a quoted literal that is not a number.
    Text(String),
    /// Anything else (`true`, a call, an `E''` string), compared by its text only.
    Other(String),
}

impl Value {
    /// Classifies `sql`.
    pub(crate) fn of(sql: &str) -> Value {
        let t = sql.trim();
        match t.to_ascii_uppercase().as_str() {
            "MINVALUE" => return Value::Min,
            "MAXVALUE" => return Value::Max,
            "NULL" => return Value::Null,
            _ => {}
        }
        if let Some(n) = number(t) {
            return n;
        }
        if let Some(text) = quoted(t) {
            return number(&text).unwrap_or(Value::Text(text));
        }
        Value::Other(t.to_string())
    }
}

/// The contents of `'...'` (doubled quotes undone), if `t` is exactly one such literal.
fn quoted(t: &str) -> Option<String> {
    let inner = t.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Inside, a quote only comes doubled.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// A plain decimal number: `-12`, `3.50`, `.5`.
fn number(t: &str) -> Option<Value> {
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let int = int.trim_start_matches('0').to_string();
    let frac = frac.trim_end_matches('0').to_string();
    // Minus zero is zero.
    let negative = negative && !(int.is_empty() && frac.is_empty());
    Some(Value::Number(negative, int, frac))
}

/// What the key column's type lets the macro compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// Integer and decimal types: numbers compare.
    Numeric,
    /// `date`: ISO dates compare.
    Date,
    /// `timestamp`: ISO timestamps compare.
    Timestamp,
    /// `timestamptz`: ISO timestamps compare when both carry the same offset, or none.
    TimestampTz,
    /// Anything else: only identical values are known to be equal.
    Opaque,
}

impl KeyKind {
    /// The kind of a key over a column of type `ty` (`None`: an expression).
    pub(crate) fn of(ty: Option<&DataType>) -> KeyKind {
        let Some(ty) = ty.filter(|t| t.schema.is_none() && !t.array) else {
            return KeyKind::Opaque;
        };
        let ty = ty.serial_base().unwrap_or_else(|| ty.clone());
        match ty.name.as_str() {
            "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision" => {
                KeyKind::Numeric
            }
            "date" => KeyKind::Date,
            n if n.starts_with("timestamp") && n.ends_with("without time zone") => {
                KeyKind::Timestamp
            }
            n if n.starts_with("timestamp") && n.ends_with("with time zone") => {
                KeyKind::TimestampTz
            }
            _ => KeyKind::Opaque,
        }
    }
}

/// The order of two values of a key of `kind`, when the macro can know it.
pub(crate) fn compare(a: &Value, b: &Value, kind: KeyKind) -> Option<Ordering> {
    use Value::*;
    match (a, b) {
        (Min, Min) | (Max, Max) => Some(Ordering::Equal),
        (Min, _) | (_, Max) => Some(Ordering::Less),
        (_, Min) | (Max, _) => Some(Ordering::Greater),
        (Number(..), Number(..)) if kind == KeyKind::Numeric => Some(compare_numbers(a, b)),
        (Text(x), Text(y)) => match kind {
            KeyKind::Date | KeyKind::Timestamp | KeyKind::TimestampTz => {
                let (x, xz) = iso_timestamp(x, kind == KeyKind::Date)?;
                let (y, yz) = iso_timestamp(y, kind == KeyKind::Date)?;
                (xz == yz).then(|| x.cmp(&y))
            }
            _ => (x == y).then_some(Ordering::Equal),
        },
        _ => (a == b).then_some(Ordering::Equal),
    }
}

fn compare_numbers(a: &Value, b: &Value) -> Ordering {
    let (Value::Number(an, ai, af), Value::Number(bn, bi, bf)) = (a, b) else {
        return Ordering::Equal;
    };
    let magnitude = ai
        .len()
        .cmp(&bi.len())
        .then_with(|| ai.cmp(bi))
        .then_with(|| af.cmp(bf));
    match (an, bn) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

/// `YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][zone]` as a fixed-width sortable string and its zone
/// text; for a date only the date part is taken. `None` for anything else (`today`,
/// `infinity`, other orders).
fn iso_timestamp(s: &str, date_only: bool) -> Option<(String, String)> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10))
    {
        return None;
    }
    let date = &s[..10];
    let rest = &s[10..];
    if date_only {
        return rest.is_empty().then(|| (date.to_string(), String::new()));
    }
    let rest = rest.strip_prefix(['T', ' ']).unwrap_or(rest);
    // The time: digits, `:` and `.`; what follows is the zone.
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(end);
    let mut parts = time.split(['.']);
    let hms = parts.next().unwrap_or("");
    let fraction = parts.next().unwrap_or("");
    if parts.next().is_some() {
        return None;
    }
    let mut fields: Vec<&str> = if hms.is_empty() {
        Vec::new()
    } else {
        hms.split(':').collect()
    };
    if fields.len() > 3 || fields.iter().any(|f| f.len() != 2) {
        return None;
    }
    while fields.len() < 3 {
        fields.push("00");
    }
    Some((
        format!("{date} {} {fraction:0<6}", fields.join(":")),
        zone.trim().to_string(),
    ))
}

/// The order of two tuples of values (range bounds), element by element; `None` as soon as
/// an element that decides cannot be compared.
pub(crate) fn compare_tuples(a: &[Value], b: &[Value], kinds: &[KeyKind]) -> Option<Ordering> {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        let kind = kinds.get(i).copied().unwrap_or(KeyKind::Opaque);
        match compare(x, y, kind)? {
            Ordering::Equal => continue,
            other => return Some(other),
        }
    }
    Some(a.len().cmp(&b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::of(s)
    }

    #[test]
    fn numbers_compare_exactly() {
        let k = KeyKind::Numeric;
        assert_eq!(compare(&v("10"), &v("9"), k), Some(Ordering::Greater));
        assert_eq!(compare(&v("'-5'"), &v("-4"), k), Some(Ordering::Less));
        assert_eq!(compare(&v("1.50"), &v("1.5"), k), Some(Ordering::Equal));
        assert_eq!(compare(&v("-0"), &v("0"), k), Some(Ordering::Equal));
        assert_eq!(
            compare(&v("9007199254740993"), &v("9007199254740992"), k),
            Some(Ordering::Greater)
        );
        assert_eq!(compare(&v("1"), &v("2"), KeyKind::Opaque), None);
        assert_eq!(compare(&v("MINVALUE"), &v("2"), k), Some(Ordering::Less));
        assert_eq!(compare(&v("maxvalue"), &v("2"), k), Some(Ordering::Greater));
    }

    #[test]
    fn dates_and_timestamps_compare_when_iso() {
        let d = KeyKind::Date;
        assert_eq!(
            compare(&v("'2022-01-01'"), &v("'2022-02-01'"), d),
            Some(Ordering::Less)
        );
        assert_eq!(compare(&v("'today'"), &v("'2022-02-01'"), d), None);
        let t = KeyKind::TimestampTz;
        assert_eq!(
            compare(
                &v("'2022-01-01 00:00:00+00'"),
                &v("'2022-01-01 00:00:00.5+00'"),
                t
            ),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&v("'2022-01-01'"), &v("'2022-01-01 00:00'"), t),
            Some(Ordering::Equal)
        );
        // Different offsets: the macro cannot tell.
        assert_eq!(
            compare(
                &v("'2022-03-01 00:00:00+00'"),
                &v("'2022-04-01 01:00:00+01'"),
                t
            ),
            None
        );
        assert_eq!(
            compare(&v("'a'"), &v("'a'"), KeyKind::Opaque),
            Some(Ordering::Equal)
        );
        assert_eq!(compare(&v("'a'"), &v("'b'"), KeyKind::Opaque), None);
    }

    #[test]
    fn tuples_compare_element_by_element() {
        let kinds = [KeyKind::Numeric, KeyKind::Opaque];
        let t = |a: &str, b: &str| vec![v(a), v(b)];
        assert_eq!(
            compare_tuples(&t("1", "'x'"), &t("2", "'a'"), &kinds),
            Some(Ordering::Less)
        );
        assert_eq!(compare_tuples(&t("1", "'x'"), &t("1", "'a'"), &kinds), None);
        assert_eq!(
            compare_tuples(&t("1", "MINVALUE"), &t("1", "'a'"), &kinds),
            Some(Ordering::Less)
        );
    }
}
