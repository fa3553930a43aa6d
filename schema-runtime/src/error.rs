//! Run-time errors that name the cause and the fix, and never carry a password.

use std::fmt;

/// Anything that can go wrong talking to a live database.
///
/// `Debug` prints the same as `Display`, so `fn main() -> Result<(), Box<dyn Error>>` shows
/// the cause and the fix rather than a struct dump.
pub struct Error {
    /// What pgdecl was doing, e.g. "reading the catalog".
    pub context: String,
    /// What went wrong.
    pub kind: ErrorKind,
    /// The server's SQLSTATE, when the server answered.
    pub sqlstate: Option<String>,
    /// The underlying message, passwords removed.
    pub detail: String,
}

/// The classes of failure a caller may want to react to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The server could not be reached.
    Unreachable,
    /// Authentication failed.
    Authentication,
    /// The database does not exist.
    MissingDatabase,
    /// The role lacks a privilege.
    MissingPrivilege,
    /// `lock_timeout` expired.
    LockTimeout,
    /// `statement_timeout` expired, or the statement was cancelled.
    StatementTimeout,
    /// The schema differs from the declaration (validate-only).
    Drift,
    /// A change was withheld by the policy.
    Refused,
    /// Any other SQL error.
    Sql,
    /// Bad input: a URL, a declaration, an option.
    Invalid,
}

impl Error {
    /// Wraps a `postgres` error, classifying it by SQLSTATE.
    pub fn from_postgres(context: &str, e: postgres::Error) -> Error {
        use postgres::error::SqlState;
        let sqlstate = e.code().map(|c| c.code().to_string());
        let kind = match e.code() {
            Some(c)
                if *c == SqlState::INVALID_PASSWORD
                    || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
            {
                ErrorKind::Authentication
            }
            Some(c) if *c == SqlState::INVALID_CATALOG_NAME => ErrorKind::MissingDatabase,
            Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => ErrorKind::MissingPrivilege,
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => ErrorKind::LockTimeout,
            Some(c) if *c == SqlState::QUERY_CANCELED => ErrorKind::StatementTimeout,
            Some(_) => ErrorKind::Sql,
            None if e.is_closed() || e.as_db_error().is_none() => ErrorKind::Unreachable,
            None => ErrorKind::Sql,
        };
        let detail = match e.as_db_error() {
            Some(db) => {
                let mut s = db.message().to_string();
                if let Some(d) = db.detail() {
                    s.push_str(&format!(" ({d})"));
                }
                s
            }
            None => {
                // Walk the source chain: the top-level Display of a connect error is often just
                // "error connecting to server".
                let mut s = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(inner) = src {
                    s.push_str(": ");
                    s.push_str(&inner.to_string());
                    src = inner.source();
                }
                s
            }
        };
        Error {
            context: context.to_string(),
            kind,
            sqlstate,
            detail: redact(&detail),
        }
    }

    /// An error of `kind` with a message of pgdecl's own.
    pub fn new(kind: ErrorKind, context: &str, detail: impl Into<String>) -> Error {
        Error {
            context: context.to_string(),
            kind,
            sqlstate: None,
            detail: redact(&detail.into()),
        }
    }

    /// What to do about it.
    pub fn fix(&self) -> &'static str {
        match self.kind {
            ErrorKind::Unreachable => "check the host, port and that the server is running and accepts connections (pg_isready)",
            ErrorKind::Authentication => "check the user name and password in the connection URL or PGPASSWORD, and pg_hba.conf",
            ErrorKind::MissingDatabase => "create the database first (createdb NAME), or fix the database name in the URL",
            ErrorKind::MissingPrivilege => "run as the owner of the schema objects, or GRANT the privilege named above to this role",
            ErrorKind::LockTimeout => "another session holds a conflicting lock (a long transaction or another deployer); retry, or raise lock_timeout",
            ErrorKind::StatementTimeout => "the statement ran longer than statement_timeout; raise it for this run, or run the change by hand off-peak",
            ErrorKind::Drift => "apply the SQL listed above (or run with an apply policy)",
            ErrorKind::Refused => "review the listed changes; allow them explicitly if they are intended",
            ErrorKind::Sql => "see the server's message above",
            ErrorKind::Invalid => "correct the input named above",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.context, self.detail)?;
        if let Some(code) = &self.sqlstate {
            write!(f, " [SQLSTATE {code}]")?;
        }
        write!(f, "\n  help: {}", self.fix())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

/// Removes anything that looks like a password from a message: `password=...` in conninfo
/// strings and `user:secret@` in URLs.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // URLs: scheme://user:password@host
    while let Some(i) = rest.find("://") {
        out.push_str(&rest[..i + 3]);
        rest = &rest[i + 3..];
        let end = rest
            .find(|c: char| c == '/' || c.is_whitespace())
            .unwrap_or(rest.len());
        if let Some(at) = rest[..end].rfind('@') {
            let userinfo = &rest[..at];
            match userinfo.split_once(':') {
                Some((user, _)) => out.push_str(&format!("{user}:***")),
                None => out.push_str(userinfo),
            }
            rest = &rest[at..];
        }
    }
    out.push_str(rest);
    // conninfo: password=secret or password='se cret'
    let lower = out.to_ascii_lowercase();
    if let Some(i) = lower.find("password=") {
        let start = i + "password=".len();
        let tail = &out[start..];
        let end = if let Some(quoted) = tail.strip_prefix('\'') {
            quoted.find('\'').map_or(tail.len(), |j| j + 2)
        } else {
            tail.find(char::is_whitespace).unwrap_or(tail.len())
        };
        out = format!("{}***{}", &out[..start], &out[start + end..]);
    }
    out
}

/// `conninfo` (a `postgres://` URL or a `key=value` string) with any password replaced by
/// `***`, for messages and logs.
pub fn redact_password(conninfo: &str) -> String {
    match ["postgresql://", "postgres://"]
        .into_iter()
        .find_map(|scheme| conninfo.strip_prefix(scheme).map(|rest| (scheme, rest)))
    {
        Some((scheme, rest)) => {
            let (creds_end, rest_start) = match rest.find('@') {
                Some(at) => (at, at),
                None => (0, 0),
            };
            let creds = &rest[..creds_end];
            let creds = match creds.split_once(':') {
                Some((user, _)) => format!("{user}:***"),
                None => creds.to_owned(),
            };
            let rest = &rest[rest_start..];
            let rest = match rest.split_once('?') {
                Some((head, query)) => {
                    let query: Vec<String> = query
                        .split('&')
                        .map(|pair| match pair.split_once('=') {
                            Some(("password", _)) => "password=***".to_owned(),
                            _ => pair.to_owned(),
                        })
                        .collect();
                    format!("{head}?{}", query.join("&"))
                }
                None => rest.to_owned(),
            };
            format!("{scheme}{creds}{rest}")
        }
        None => redact_keyword_password(conninfo),
    }
}

/// Redacts `password = value` in a `key=value` connection string, where the value may be
/// single-quoted with backslash escapes.
fn redact_keyword_password(conninfo: &str) -> String {
    let mut out = String::with_capacity(conninfo.len());
    let mut chars = conninfo.char_indices().peekable();
    let mut at_word_start = true;
    while let Some((i, c)) = chars.next() {
        if at_word_start && conninfo[i..].starts_with("password") {
            // Is it the keyword `password`, followed by optional spaces and '='?
            let after = conninfo[i + "password".len()..].trim_start();
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start();
                let value_len = if let Some(quoted) = value.strip_prefix('\'') {
                    let mut escaped = false;
                    let end = quoted
                        .char_indices()
                        .find(|&(_, ch)| {
                            let close = ch == '\'' && !escaped;
                            escaped = ch == '\\' && !escaped;
                            close
                        })
                        .map_or(quoted.len(), |(j, _)| j + 1);
                    1 + end
                } else {
                    value.find(char::is_whitespace).unwrap_or(value.len())
                };
                out.push_str("password=***");
                let resume = conninfo.len() - value.len() + value_len;
                while chars.peek().is_some_and(|&(j, _)| j < resume) {
                    chars.next();
                }
                at_word_start = false;
                continue;
            }
        }
        out.push(c);
        at_word_start = c.is_whitespace();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(
            super::redact("postgres://app:s3cret@db:5432/x failed"),
            "postgres://app:***@db:5432/x failed"
        );
        assert_eq!(
            super::redact("host=db password=s3cret user=x"),
            "host=db password=*** user=x"
        );
        assert_eq!(super::redact("password='a b' x"), "password=*** x");
    }
}
