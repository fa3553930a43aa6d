//! Functions and procedures: arguments, return types, signatures, `SET` options and
//! `CREATE OR REPLACE FUNCTION`.

use std::fmt::{self, Display, Formatter, Write as _};

use crate::ident::dollar_quote;

use super::display::*;
use super::*;

impl Display for FunctionArg {
    /// `[mode] [name] type [DEFAULT expr]`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.mode != ArgMode::In {
            write!(f, "{} ", self.mode.sql())?;
        }
        if let Some(name) = &self.name {
            write!(f, "{} ", Ident(name))?;
        }
        SqlType(&self.data_type).fmt(f)?;
        if let Some(default) = &self.default {
            write!(f, " DEFAULT {}", Fragment(default))?;
        }
        Ok(())
    }
}

impl Display for Returns {
    /// `RETURNS type`, `RETURNS SETOF type` or `RETURNS TABLE (name type, ...)`.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Returns::Type(ty) => write!(f, "RETURNS {}", SqlType(ty)),
            Returns::SetOf(ty) => write!(f, "RETURNS SETOF {}", SqlType(ty)),
            Returns::Table(columns) => {
                f.write_str("RETURNS TABLE (")?;
                for (i, (name, ty)) in columns.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} {}", Ident(name), SqlType(ty))?;
                }
                f.write_char(')')
            }
        }
    }
}

/// A function's identity as `DROP FUNCTION` and `COMMENT ON FUNCTION` take it:
/// `public.add(integer, integer)`. Functions are identified by their input arguments;
/// procedures by all of them with their modes (`p(INOUT integer, OUT boolean)`), which
/// PostgreSQL 14+ accepts whatever the procedure's OUT arguments.
pub struct FunctionSignature<'a>(pub &'a Function);

impl Display for FunctionSignature<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let func = self.0;
        write!(f, "{}(", func.name)?;
        let mut first = true;
        for arg in &func.args {
            if !func.is_procedure && arg.mode == ArgMode::Out {
                continue;
            }
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            if arg.mode != ArgMode::In {
                write!(f, "{} ", arg.mode.sql())?;
            }
            SqlType(&arg.data_type).fmt(f)?;
        }
        f.write_char(')')
    }
}

impl Function {
    /// `FUNCTION` or `PROCEDURE`.
    pub fn keyword(&self) -> &'static str {
        if self.is_procedure {
            "PROCEDURE"
        } else {
            "FUNCTION"
        }
    }
}

/// Settings whose value is a list of names (`GUC_LIST_QUOTE` in PostgreSQL): each element must
/// be its own literal, or `SET search_path = 'a, b'` would name one schema called `a, b`.
const LIST_SETTINGS: &[&str] = &[
    "search_path",
    "temp_tablespaces",
    "session_preload_libraries",
    "shared_preload_libraries",
    "local_preload_libraries",
];

/// `SET name TO value`, as a function option. `value` is what `pg_proc.proconfig` holds
/// after the `=`: for list settings, elements separated by commas, double-quoted where needed.
struct SetOption<'a>(&'a str, &'a str);

impl Display for SetOption<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let (name, value) = (self.0, self.1);
        write!(f, "SET {} TO ", Ident(name))?;
        if !LIST_SETTINGS.contains(&name.to_ascii_lowercase().as_str()) || value.trim().is_empty() {
            return Literal(value).fmt(f);
        }
        for (i, element) in split_list_setting(value).iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            Literal(element).fmt(f)?;
        }
        Ok(())
    }
}

/// Splits `"$user", public` into `$user` and `public`: commas outside double quotes separate,
/// double quotes are removed (`""` inside them stands for `"`).
pub(crate) fn split_list_setting(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            ',' if !quoted => {
                out.push(finish_element(&current, was_quoted));
                current.clear();
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    out.push(finish_element(&current, was_quoted));
    out
}

fn finish_element(text: &str, was_quoted: bool) -> String {
    if was_quoted {
        text.to_string()
    } else {
        text.trim().to_string()
    }
}

pub(super) fn write_create_function(
    f: &mut Formatter<'_>,
    func: &Function,
    pretty: bool,
) -> fmt::Result {
    let sep = if pretty { "\n    " } else { " " };
    write!(
        f,
        "CREATE OR REPLACE {} {}({})",
        func.keyword(),
        func.name,
        display_comma_separated(&func.args)
    )?;
    if let Some(returns) = &func.returns {
        write!(f, "{sep}{returns}")?;
    }
    write!(
        f,
        "{sep}LANGUAGE {}",
        Ident(&func.language.to_ascii_lowercase())
    )?;
    if !func.is_procedure {
        if func.volatility != Volatility::Volatile {
            write!(f, "{sep}{}", func.volatility.sql())?;
        }
        if func.strict {
            write!(f, "{sep}STRICT")?;
        }
    }
    if func.security_definer {
        write!(f, "{sep}SECURITY DEFINER")?;
    }
    for (name, value) in &func.config {
        write!(f, "{sep}{}", SetOption(name, value))?;
    }
    match func.body_style {
        BodyStyle::Quoted => write!(f, "{sep}AS {};", dollar_quote(&func.body)),
        // Not quoted: the server parses the body here, as the statement's own SQL.
        BodyStyle::Return => {
            let expr = func.body.trim();
            write!(f, "{sep}RETURN {expr}{}", terminator(expr))
        }
        BodyStyle::Atomic => {
            let statements = func.body.trim();
            if statements.is_empty() {
                return write!(f, "{sep}BEGIN ATOMIC END;");
            }
            let end = if statements.ends_with(';') {
                ""
            } else {
                terminator(statements)
            };
            // `END` on a line of its own: the last statement may end in a `--` comment.
            write!(f, "{sep}BEGIN ATOMIC\n{statements}{end}\nEND;")
        }
    }
}

/// The `;` that ends SQL `text`, on a line of its own when the last line has a `--` that may
/// open a comment (which would swallow it).
fn terminator(text: &str) -> &'static str {
    if text.lines().last().is_some_and(|line| line.contains("--")) {
        "\n;"
    } else {
        ";"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_settings_split_into_literals() {
        assert_eq!(
            SetOption("search_path", "public, pg_temp").to_string(),
            "SET search_path TO 'public', 'pg_temp'"
        );
        assert_eq!(
            SetOption("search_path", "\"$user\", public").to_string(),
            "SET search_path TO '$user', 'public'"
        );
        assert_eq!(
            SetOption("search_path", "\"a, b\"").to_string(),
            "SET search_path TO 'a, b'"
        );
        assert_eq!(
            SetOption("work_mem", "64MB").to_string(),
            "SET work_mem TO '64MB'"
        );
    }
}
