//! Reading back the few catalog facts PostgreSQL only offers as text: function argument
//! lists, function results, trigger `WHEN` clauses, partition bounds and the expressions of a
//! partition key.

use schema_core::model::{ArgMode, FunctionArg, PartitionBound, Returns};
use schema_core::DataType;

/// The characters of `s` outside single and double quotes, each with its byte index and the
/// depth of parentheses and brackets after it (an opening one counts inside, a closing one
/// outside). The one scanner every text reader here uses.
fn outside_quotes(s: &str) -> impl Iterator<Item = (usize, char, i32)> + '_ {
    let (mut depth, mut in_single, mut in_double) = (0i32, false, false);
    s.char_indices().filter_map(move |(i, c)| match c {
        '\'' if !in_double => {
            in_single = !in_single;
            None
        }
        '"' if !in_single => {
            in_double = !in_double;
            None
        }
        _ if in_single || in_double => None,
        '(' | '[' => {
            depth += 1;
            Some((i, c, depth))
        }
        ')' | ']' => {
            depth -= 1;
            Some((i, c, depth))
        }
        _ => Some((i, c, depth)),
    })
}

/// True if `s` has balanced parentheses outside quotes (so `(s)` is one group).
pub fn balanced(s: &str) -> bool {
    let mut last = 0;
    for (_, _, depth) in outside_quotes(s) {
        if depth < 0 {
            return false;
        }
        last = depth;
    }
    last == 0
}

/// Splits `s` at commas that stand outside parentheses, brackets and quotes.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c, depth) in outside_quotes(s) {
        if c == ',' && depth == 0 {
            parts.push(&s[start..i]);
            start = i + 1;
        }
    }
    parts.push(&s[start..]);
    parts
}

/// `(inner) rest`: the contents of the parenthesized group `s` starts with, and what follows.
fn parenthesized(s: &str) -> Option<(&str, &str)> {
    if !s.starts_with('(') {
        return None;
    }
    let (close, _, _) = outside_quotes(s).find(|&(_, c, depth)| c == ')' && depth == 0)?;
    Some((&s[1..close], &s[close + 1..]))
}

/// The values of a bound list, `'a', 1, MINVALUE`, each trimmed.
fn bound_values(list: &str) -> Vec<String> {
    split_top_level(list)
        .into_iter()
        .map(|v| v.trim().to_string())
        .collect()
}

/// Parses `pg_get_expr(relpartbound, oid)`: `DEFAULT`, `FOR VALUES IN (...)`, `FOR VALUES
/// FROM (...) TO (...)` or `FOR VALUES WITH (modulus m, remainder r)`. Values stay as printed
/// (`'2022-01-01 00:00:00+00'`, `MINVALUE`, `NULL`).
pub fn partition_bound(text: &str) -> Option<PartitionBound> {
    let text = text.trim();
    if text == "DEFAULT" {
        return Some(PartitionBound::Default);
    }
    let spec = text.strip_prefix("FOR VALUES ")?;
    if let Some(rest) = spec.strip_prefix("IN ") {
        let (values, rest) = parenthesized(rest)?;
        return rest
            .trim()
            .is_empty()
            .then(|| PartitionBound::List(bound_values(values)));
    }
    if let Some(rest) = spec.strip_prefix("FROM ") {
        let (from, rest) = parenthesized(rest)?;
        let (to, rest) = parenthesized(rest.trim_start().strip_prefix("TO ")?)?;
        return rest.trim().is_empty().then(|| PartitionBound::Range {
            from: bound_values(from),
            to: bound_values(to),
        });
    }
    let (args, rest) = parenthesized(spec.strip_prefix("WITH ")?)?;
    if !rest.trim().is_empty() {
        return None;
    }
    let mut modulus = None;
    let mut remainder = None;
    for arg in split_top_level(args) {
        let (key, value) = arg.trim().split_once(' ')?;
        let value: u32 = value.trim().parse().ok()?;
        match key.to_ascii_lowercase().as_str() {
            "modulus" => modulus = Some(value),
            "remainder" => remainder = Some(value),
            _ => return None,
        }
    }
    Some(PartitionBound::Hash {
        modulus: modulus?,
        remainder: remainder?,
    })
}

/// The expressions of a list `pg_get_expr` printed (a partition key's `partexprs`), split at
/// the commas between them.
pub fn expression_list(text: &str) -> Vec<String> {
    split_top_level(text)
        .into_iter()
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect()
}

/// Splits at ` DEFAULT ` standing at top level (not inside quotes or parentheses).
fn split_default(s: &str) -> (&str, Option<&str>) {
    outside_quotes(s)
        .find(|&(i, c, depth)| c == ' ' && depth == 0 && s[i..].starts_with(" DEFAULT "))
        .map_or((s, None), |(i, _, _)| (&s[..i], Some(&s[i + 9..])))
}

/// Parses `pg_get_function_arguments` output: `a integer, b text DEFAULT 'x'::text,
/// OUT c boolean, VARIADIC d integer[]`. `None` if some argument cannot be read.
pub fn function_args(text: &str) -> Option<Vec<FunctionArg>> {
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    split_top_level(text)
        .into_iter()
        .map(|arg| {
            let (decl, default) = split_default(arg.trim());
            let mut decl = decl.trim();
            let mut mode = ArgMode::In;
            for (word, m) in [
                ("IN ", ArgMode::In),
                ("OUT ", ArgMode::Out),
                ("INOUT ", ArgMode::InOut),
                ("VARIADIC ", ArgMode::Variadic),
            ] {
                if let Some(rest) = decl.strip_prefix(word) {
                    mode = m;
                    decl = rest.trim_start();
                    break;
                }
            }
            let (name, data_type) = name_and_type(decl)?;
            Some(FunctionArg {
                mode,
                name,
                data_type,
                default: default.map(|d| d.trim().to_string()),
            })
        })
        .collect()
}

/// `name type` or just `type`: a built-in type name with spaces (`double precision`) is not
/// mistaken for a name followed by a type.
fn name_and_type(decl: &str) -> Option<(Option<String>, DataType)> {
    if let Some(t) = DataType::try_parse(decl) {
        if t.schema.is_none() || !decl.contains(' ') {
            return Some((None, t));
        }
    }
    let (name, ty) = split_name(decl)?;
    Some((Some(name), DataType::try_parse(ty)?))
}

/// Splits off a leading identifier, quoted (`"My Arg"`) or bare.
fn split_name(decl: &str) -> Option<(String, &str)> {
    if let Some(rest) = decl.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if matches!(chars.peek(), Some((_, '"'))) {
                    name.push('"');
                    chars.next();
                } else {
                    return Some((name, rest[i + 1..].trim_start()));
                }
            } else {
                name.push(c);
            }
        }
        None
    } else {
        let (name, ty) = decl.split_once(' ')?;
        Some((name.to_string(), ty.trim_start()))
    }
}

/// Parses `pg_get_function_result` output: `integer`, `SETOF bigint`,
/// `TABLE(id bigint, email text)`.
pub fn function_result(text: &str) -> Option<Returns> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("SETOF ") {
        return DataType::try_parse(rest).map(Returns::SetOf);
    }
    if let Some(inner) = text
        .strip_prefix("TABLE(")
        .and_then(|t| t.strip_suffix(')'))
    {
        let cols = split_top_level(inner)
            .into_iter()
            .map(|c| {
                let (name, ty) = split_name(c.trim())?;
                Some((name, DataType::try_parse(ty)?))
            })
            .collect::<Option<Vec<_>>>()?;
        return Some(Returns::Table(cols));
    }
    DataType::try_parse(text).map(Returns::Type)
}

/// The `WHEN` condition of a trigger, from `pg_get_triggerdef(oid, true)`, without its
/// parentheses.
pub fn trigger_when(def: &str) -> Option<String> {
    let start = [" FOR EACH ROW WHEN (", " FOR EACH STATEMENT WHEN ("]
        .iter()
        .find_map(|m| def.find(m).map(|i| i + m.len()))?;
    let rest = &def[start..];
    // `rest` starts inside the clause's parenthesis: it ends where the depth drops below zero.
    outside_quotes(rest)
        .find(|&(_, c, depth)| c == ')' && depth < 0)
        .map(|(i, _, _)| rest[..i].to_string())
}

/// Makes the array type explicit where PostgreSQL prints a cast of a whole array as a cast of
/// an `ARRAY[...]` constructor: `ARRAY['a'::character varying, 'b'::character varying]::text[]`
/// becomes `ARRAY['a'::character varying, 'b'::character varying]::character varying[]::text[]`.
///
/// The printed form does not parse back to the same expression: a cast written directly on an
/// `ARRAY[...]` constructor is applied to each element instead (`'a'::character varying::text`,
/// ...). With the constructor's own type named first, the outer cast applies to the array again,
/// as in the original. Only constructors whose elements are all literals printed with the same
/// type are rewritten (the type is then known); the caller checks the result with the server.
/// `None` when nothing was rewritten.
pub fn explicit_array_casts(expr: &str) -> Option<String> {
    let bytes = expr.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    for (i, c, _) in outside_quotes(expr) {
        // Past a rewritten constructor, and only at a word `ARRAY[`.
        if i < copied
            || c != 'A'
            || !expr[i..].starts_with("ARRAY[")
            || (i > 0 && is_ident_byte(bytes[i - 1]))
        {
            continue;
        }
        let Some(end) = closing_bracket(expr, i + 5) else {
            continue;
        };
        if !expr[end + 1..].starts_with("::") {
            continue;
        }
        if let Some(ty) = common_literal_type(&expr[i + 6..end]) {
            out.push_str(&expr[copied..=end]);
            out.push_str(&format!("::{ty}[]"));
            copied = end + 1;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&expr[copied..]);
    Some(out)
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'"' || b == b'.' || b >= 0x80
}

/// The index of the `]` that closes the `[` at `open`, outside quotes.
fn closing_bracket(s: &str, open: usize) -> Option<usize> {
    outside_quotes(&s[open..])
        .find(|&(_, c, depth)| matches!(c, ']' | ')') && depth == 0)
        .and_then(|(i, c, _)| (c == ']').then_some(open + i))
}

/// The type every element of `elements` (an `ARRAY[...]` body) is cast to, when each is a
/// string literal with one cast, all to the same type: `'a'::character varying, 'b'::character
/// varying` gives `character varying`.
fn common_literal_type(elements: &str) -> Option<&str> {
    let mut common: Option<&str> = None;
    for element in split_top_level(elements) {
        let element = element.trim();
        let rest = element.strip_prefix('\'')?;
        // The end of the literal: a quote not followed by another.
        let mut chars = rest.char_indices().peekable();
        let mut after = None;
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if matches!(chars.peek(), Some((_, '\''))) {
                    chars.next();
                } else {
                    after = Some(i + 1);
                    break;
                }
            }
        }
        let ty = rest[after?..].strip_prefix("::")?.trim();
        if ty.is_empty() || ty.contains("::") || ty.ends_with(']') || !balanced(ty) {
            return None;
        }
        match common {
            None => common = Some(ty),
            Some(t) if t == ty => {}
            Some(_) => return None,
        }
    }
    common
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_function_arguments() {
        let args = function_args(
            "a integer, b double precision DEFAULT 1.5, OUT c timestamp with time zone, \
             \"My Arg\" text DEFAULT 'a, b'::text, VARIADIC d integer[]",
        )
        .unwrap();
        assert_eq!(args.len(), 5);
        assert_eq!(args[0].name.as_deref(), Some("a"));
        assert_eq!(args[1].data_type.to_string(), "double precision");
        assert_eq!(args[1].default.as_deref(), Some("1.5"));
        assert_eq!(args[2].mode, ArgMode::Out);
        assert_eq!(args[2].data_type.to_string(), "timestamp with time zone");
        assert_eq!(args[3].name.as_deref(), Some("My Arg"));
        assert_eq!(args[3].default.as_deref(), Some("'a, b'::text"));
        assert_eq!(args[4].mode, ArgMode::Variadic);
        assert!(args[4].data_type.array);
        let unnamed = function_args("integer, double precision").unwrap();
        assert!(unnamed.iter().all(|a| a.name.is_none()));
    }

    #[test]
    fn makes_array_casts_explicit() {
        assert_eq!(
            explicit_array_casts(
                "(status)::text = ANY (ARRAY['a'::character varying, 'it''s'::character varying]::text[])"
            )
            .as_deref(),
            Some(
                "(status)::text = ANY (ARRAY['a'::character varying, 'it''s'::character varying]::character varying[]::text[])"
            )
        );
        // Two constructors; one with an element that is not a literal is left alone.
        assert_eq!(
            explicit_array_casts(
                "a::text = ANY (ARRAY['x'::bpchar]::text[]) OR b::text = ANY (ARRAY[c, 'y'::character varying]::text[])"
            )
            .as_deref(),
            Some(
                "a::text = ANY (ARRAY['x'::bpchar]::bpchar[]::text[]) OR b::text = ANY (ARRAY[c, 'y'::character varying]::text[])"
            )
        );
        // Mixed element types, no cast after the constructor, text inside literals.
        assert_eq!(
            explicit_array_casts("ARRAY['a'::text, 'b'::name]::text[]"),
            None
        );
        assert_eq!(
            explicit_array_casts("x = ANY (ARRAY['a'::text, 'b'::text])"),
            None
        );
        assert_eq!(
            explicit_array_casts("x = 'ARRAY[''a''::text]::text[]'"),
            None
        );
        assert_eq!(explicit_array_casts("MYARRAY['a'::text]::text[]"), None);
    }

    #[test]
    fn reads_partition_bounds() {
        assert_eq!(partition_bound("DEFAULT"), Some(PartitionBound::Default));
        assert_eq!(
            partition_bound(
                "FOR VALUES FROM ('2022-01-01 00:00:00+00', MINVALUE) TO ('it''s, (x)', MAXVALUE)"
            ),
            Some(PartitionBound::range(
                ["'2022-01-01 00:00:00+00'", "MINVALUE"],
                ["'it''s, (x)'", "MAXVALUE"]
            ))
        );
        assert_eq!(
            partition_bound("FOR VALUES IN ('x', NULL, '-5')"),
            Some(PartitionBound::list(["'x'", "NULL", "'-5'"]))
        );
        assert_eq!(
            partition_bound("FOR VALUES WITH (modulus 4, remainder 3)"),
            Some(PartitionBound::hash(4, 3))
        );
        assert_eq!(partition_bound("FOR VALUES FROM (1)"), None);
        assert_eq!(
            expression_list("lower(b), (a + 1), f('x, y')"),
            ["lower(b)", "(a + 1)", "f('x, y')"]
        );
    }

    #[test]
    fn reads_results_and_when() {
        assert!(matches!(
            function_result("SETOF bigint"),
            Some(Returns::SetOf(_))
        ));
        match function_result("TABLE(id bigint, email text)") {
            Some(Returns::Table(cols)) => assert_eq!(cols.len(), 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            trigger_when(
                "CREATE TRIGGER t AFTER UPDATE ON users FOR EACH ROW WHEN ((old.a IS DISTINCT FROM new.a)) EXECUTE FUNCTION f()"
            )
            .as_deref(),
            Some("(old.a IS DISTINCT FROM new.a)")
        );
    }
}
