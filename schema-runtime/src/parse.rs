//! Reading back the few catalog facts PostgreSQL only offers as text: function argument
//! lists, function results and trigger `WHEN` clauses.

use schema_core::model::{ArgMode, FunctionArg, Returns};
use schema_core::DataType;

/// True if `s` has balanced parentheses outside quotes (so `(s)` is one group).
pub fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_single = false;
    let mut in_double = false;
    for c in s.chars() {
        match c {
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '(' if !in_single && !in_double => depth += 1,
            ')' if !in_single && !in_double => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// Splits `s` at `sep` (or at commas when `None`) where not inside parentheses, brackets
/// or quotes.
fn split_top_level(s: &str, sep: Option<char>) -> Vec<&str> {
    let sep = sep.unwrap_or(',');
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let (mut in_single, mut in_double) = (false, false);
    for (i, c) in s.char_indices() {
        match c {
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '(' | '[' if !in_single && !in_double => depth += 1,
            ')' | ']' if !in_single && !in_double => depth -= 1,
            c if c == sep && depth == 0 && !in_single && !in_double => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Finds ` DEFAULT ` at top level (not inside quotes or parentheses).
fn split_default(s: &str) -> (&str, Option<&str>) {
    let (mut depth, mut in_single, mut in_double) = (0i32, false, false);
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        match c {
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '(' if !in_single && !in_double => depth += 1,
            ')' if !in_single && !in_double => depth -= 1,
            ' ' if depth == 0
                && !in_single
                && !in_double
                && bytes[i..].starts_with(b" DEFAULT ") =>
            {
                return (&s[..i], Some(&s[i + 9..]));
            }
            _ => {}
        }
    }
    (s, None)
}

/// Parses `pg_get_function_arguments` output: `a integer, b text DEFAULT 'x'::text,
/// OUT c boolean, VARIADIC d integer[]`. `None` if some argument cannot be read.
pub fn function_args(text: &str) -> Option<Vec<FunctionArg>> {
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    split_top_level(text, None)
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
    if let Ok(t) = DataType::parse(decl) {
        if t.schema.is_none() || !decl.contains(' ') {
            return Some((None, t));
        }
    }
    let (name, ty) = split_name(decl)?;
    Some((Some(name), DataType::parse(ty).ok()?))
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
        return DataType::parse(rest).ok().map(Returns::SetOf);
    }
    if let Some(inner) = text
        .strip_prefix("TABLE(")
        .and_then(|t| t.strip_suffix(')'))
    {
        let cols = split_top_level(inner, None)
            .into_iter()
            .map(|c| {
                let (name, ty) = split_name(c.trim())?;
                Some((name, DataType::parse(ty).ok()?))
            })
            .collect::<Option<Vec<_>>>()?;
        return Some(Returns::Table(cols));
    }
    DataType::parse(text).ok().map(Returns::Type)
}

/// The `WHEN` condition of a trigger, from `pg_get_triggerdef(oid, true)`, without its
/// parentheses.
pub fn trigger_when(def: &str) -> Option<String> {
    let start = [" FOR EACH ROW WHEN (", " FOR EACH STATEMENT WHEN ("]
        .iter()
        .find_map(|m| def.find(m).map(|i| i + m.len()))?;
    let rest = &def[start..];
    let (mut depth, mut in_single, mut in_double) = (1i32, false, false);
    for (i, c) in rest.char_indices() {
        match c {
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '(' if !in_single && !in_double => depth += 1,
            ')' if !in_single && !in_double => {
                depth -= 1;
                if depth == 0 {
                    return Some(rest[..i].to_string());
                }
            }
            _ => {}
        }
    }
    None
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
