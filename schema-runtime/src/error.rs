//! Run-time errors: every failure of the live-database side, typed by cause with a stable
//! code, naming the cause and the fix, and never carrying a password.

use std::fmt;

use schema_core::check::Diagnostic;

/// Anything that can go wrong talking to a live database.
///
/// `Display` names what pgdecl was doing, what went wrong and what to do about it; `Debug`
/// prints the same, so `fn main() -> Result<(), Box<dyn Error>>` shows the cause and the fix
/// rather than a struct dump. [`source`](std::error::Error::source) is the underlying
/// `postgres::Error` or I/O error, when there is one.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A statement or connection failed; classified by SQLSTATE into [`Error::kind`].
    #[error("{context}: {detail}{}\n  help: {}", sqlstate_note(.sqlstate.as_deref()), .kind.fix())]
    Postgres {
        /// What pgdecl was doing, e.g. "reading the catalog".
        context: String,
        /// The class of failure.
        kind: ErrorKind,
        /// The server's SQLSTATE, when the server answered.
        sqlstate: Option<String>,
        /// The server's message (or the connection failure), passwords removed.
        detail: String,
        /// The error as the client library reported it.
        #[source]
        source: postgres::Error,
    },
    /// Reading or writing a file or stream failed.
    #[error("{context}: {detail}\n  help: {}", ErrorKind::Io.fix())]
    Io {
        /// What pgdecl was doing, e.g. "writing the output".
        context: String,
        /// The I/O error's message, passwords removed.
        detail: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The declared schema fails pgdecl's checks; nothing was read or changed.
    #[error("{}", invalid_schema_text(.diagnostics))]
    InvalidSchema {
        /// Every problem found, each as its code and its text naming the object.
        diagnostics: Vec<SchemaProblem>,
    },
    /// The server rejected a declared object: while canonicalizing the declaration (in scratch
    /// schemas) or applying a plan. Names the object, the statement, the server's message and
    /// SQLSTATE; see [`Error::rejected`].
    #[error("{context}: {} was rejected: {detail}{}\n  statement:\n{}\n  help: {}", .rejection.object, sqlstate_note(.sqlstate.as_deref()), indented(&.rejection.statement), .rejection.help)]
    Rejected {
        /// What pgdecl was doing, e.g. "canonicalizing the declaration".
        context: String,
        /// The class of failure, by SQLSTATE as for [`Error::Postgres`].
        kind: ErrorKind,
        /// The server's SQLSTATE.
        sqlstate: Option<String>,
        /// The server's message, passwords removed.
        detail: String,
        /// The object, the statement and the help (boxed: errors stay small).
        rejection: Box<Rejection>,
        /// The error as the client library reported it.
        #[source]
        source: postgres::Error,
    },
    /// A finding of pgdecl's own: drift in validate-only mode, bad input, a refused change.
    #[error("{context}: {detail}\n  help: {}", .kind.fix())]
    Reported {
        /// What pgdecl was doing.
        context: String,
        /// The class of failure.
        kind: ErrorKind,
        /// What went wrong, passwords removed.
        detail: String,
    },
    /// A connection could not be made: names the settings used and where each came from
    /// (never the password), the cause, and advice for that cause only.
    #[error("{context}: {detail}\n  help: {help}")]
    Connect {
        /// The target and settings, e.g. "connecting to host db:5432 from PGHOST/PGPORT, as
        /// user app from the connection string, ...".
        context: String,
        /// The class of failure.
        kind: ErrorKind,
        /// The server's SQLSTATE, when the server answered.
        sqlstate: Option<String>,
        /// The cause, per host tried; passwords removed.
        detail: String,
        /// What to do about the cause.
        help: String,
        /// The last attempt's error as the client library reported it.
        #[source]
        source: Option<postgres::Error>,
    },
}

/// What [`Error::Rejected`] says beyond the server's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The object, as a person names it: `table public.things, column n`, `view public.v`,
    /// `function public.f(integer)`.
    pub object: String,
    /// The statement the server rejected (the part of it around the error when long).
    pub statement: String,
    /// What to do about it.
    pub help: String,
}

/// One problem in a declared schema, as [`Error::InvalidSchema`] lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    /// The check that found it; prints as its stable kebab-case code, e.g. `fk-target-missing`.
    pub code: schema_core::check::Rule,
    /// The problem as a multi-line text: the code, the message, the object it is in (its
    /// location) and the help.
    pub text: String,
}

impl SchemaProblem {
    /// `diagnostic` as found in `schema`.
    pub fn new(diagnostic: &Diagnostic, schema: &schema_core::Schema) -> SchemaProblem {
        SchemaProblem {
            code: diagnostic.code,
            text: diagnostic.render(schema),
        }
    }
}

/// The classes of failure a caller may want to react to, each with a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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
    /// The declared schema fails pgdecl's checks.
    InvalidSchema,
    /// Reading or writing a file or stream failed.
    Io,
    /// The server ran out of a resource (SQLSTATE class 53): its lock table (a transaction
    /// creating thousands of objects takes a lock on each, beyond
    /// `max_locks_per_transaction`; scratch builds split themselves to stay under it, all but
    /// a partition tree or a view's relations), memory, disk or connections. Not the
    /// declaration's fault.
    ServerResources,
    /// TLS failed: a certificate not trusted or not for the host, a missing root certificate,
    /// a server without TLS.
    Tls,
    /// The whole run took longer than its limit (`PGDECL_RUN_TIMEOUT`, `Policy::run_timeout`).
    RunTimeout,
    /// The backup a policy requires before an apply failed or is missing: nothing was applied.
    Backup,
}

impl ErrorKind {
    /// The stable kebab-case code, e.g. `lock-timeout`: for scripts, logs and alerts.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Unreachable => "unreachable",
            ErrorKind::Authentication => "authentication",
            ErrorKind::MissingDatabase => "missing-database",
            ErrorKind::MissingPrivilege => "missing-privilege",
            ErrorKind::LockTimeout => "lock-timeout",
            ErrorKind::StatementTimeout => "statement-timeout",
            ErrorKind::Drift => "drift",
            ErrorKind::Refused => "refused",
            ErrorKind::Sql => "sql",
            ErrorKind::Invalid => "invalid",
            ErrorKind::InvalidSchema => "invalid-schema",
            ErrorKind::Io => "io",
            ErrorKind::ServerResources => "server-resources",
            ErrorKind::Tls => "tls",
            ErrorKind::RunTimeout => "run-timeout",
            ErrorKind::Backup => "backup-failed",
        }
    }

    /// What to do about it.
    pub fn fix(self) -> &'static str {
        match self {
            ErrorKind::Unreachable => "check the host, port and that the server is running and accepts connections (pg_isready)",
            ErrorKind::Authentication => "check the user name and password in the connection URL or PGPASSWORD, and pg_hba.conf",
            ErrorKind::MissingDatabase => "create the database first (createdb NAME), or fix the database name in the URL",
            ErrorKind::MissingPrivilege => "run as the owner of the schema objects, or GRANT the privilege named above to this role",
            ErrorKind::LockTimeout => "another session holds a conflicting lock (named above when known): end it or wait for it to finish, or raise PGDECL_LOCK_TIMEOUT (each wait) or PGDECL_LOCK_RETRIES (attempts)",
            ErrorKind::StatementTimeout => "the statement ran longer than statement_timeout; raise it for this run, or run the change by hand off-peak",
            ErrorKind::Drift => "apply the SQL listed above (or run with an apply policy)",
            ErrorKind::Refused => "review the listed changes; allow them explicitly if they are intended",
            ErrorKind::Sql => "see the server's message above",
            ErrorKind::Invalid => "correct the input named above",
            ErrorKind::InvalidSchema => "correct the declaration as each problem above says",
            ErrorKind::Io => "check that the file or stream named above can be written (a closed pipe, a full disk)",
            ErrorKind::ServerResources => "the server ran out of what the message names; nothing was changed. Out of shared memory (locks): a transaction creating or changing thousands of objects takes a lock on each (an apply of that many changes; in canonicalization, a piece that cannot be split: one partition tree, or what a view reads): lower PGDECL_SCRATCH_LOCKS if other sessions hold many locks, raise max_locks_per_transaction (postgresql.conf, needs a restart), or compute the canonical form on a server that allows it and ship it (PGDECL_CANONICAL_FILE, schema_runtime::canonical_form); out of memory, disk or connections: free them and run again",
            ErrorKind::Tls => "check sslmode and sslrootcert (in the connection string, or PGSSLMODE and PGSSLROOTCERT)",
            ErrorKind::RunTimeout => "nothing of the unfinished phase was applied; run it again off-peak, or raise PGDECL_RUN_TIMEOUT (Policy::run_timeout)",
            ErrorKind::Backup => "fix the backup command (PGDECL_BACKUP_COMMAND) so that it exits 0 and writes $PGDECL_BACKUP_FILE, or turn the requirement off (PGDECL_REQUIRE_BACKUP=false) where no backup is needed",
        }
    }
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
            Some(c) if c.code().starts_with("53") => ErrorKind::ServerResources,
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
                if let Some(h) = db.hint() {
                    s.push_str(&format!("; hint: {h}"));
                }
                s
            }
            // The top-level Display of a connect error is often just "error connecting to
            // server": the cause is further down the chain.
            None => chain_text(&e),
        };
        Error::Postgres {
            context: context.to_string(),
            kind,
            sqlstate,
            detail: redact(&detail),
            source: e,
        }
    }

    /// Wraps an I/O error.
    pub fn from_io(context: &str, e: std::io::Error) -> Error {
        Error::Io {
            context: context.to_string(),
            detail: redact(&chain_text(&e)),
            source: e,
        }
    }

    /// An error of `kind` with a message of pgdecl's own.
    pub fn new(kind: ErrorKind, context: &str, detail: impl Into<String>) -> Error {
        Error::Reported {
            context: context.to_string(),
            kind,
            detail: redact(&detail.into()),
        }
    }

    /// A failed connection (see [`Error::Connect`]).
    pub fn connection(
        kind: ErrorKind,
        context: &str,
        detail: String,
        help: String,
        sqlstate: Option<String>,
        source: Option<postgres::Error>,
    ) -> Error {
        Error::Connect {
            context: redact(context),
            kind,
            sqlstate,
            detail: redact(&detail),
            help: redact(&help),
            source,
        }
    }

    /// The declared schema's problems, in the order `check` found them.
    pub fn invalid_schema(diagnostics: Vec<SchemaProblem>) -> Error {
        Error::InvalidSchema { diagnostics }
    }

    /// The class of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Postgres { kind, .. }
            | Error::Reported { kind, .. }
            | Error::Rejected { kind, .. }
            | Error::Connect { kind, .. } => *kind,
            Error::Io { .. } => ErrorKind::Io,
            Error::InvalidSchema { .. } => ErrorKind::InvalidSchema,
        }
    }

    /// The stable kebab-case code of [`Error::kind`], e.g. `missing-privilege`.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// What to do about it.
    pub fn fix(&self) -> &'static str {
        self.kind().fix()
    }

    /// The server's SQLSTATE, when the server answered.
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            Error::Postgres { sqlstate, .. }
            | Error::Rejected { sqlstate, .. }
            | Error::Connect { sqlstate, .. } => sqlstate.as_deref(),
            _ => None,
        }
    }
}

/// Errors that name the declared object the server rejected.
impl Error {
    /// `e`, raised by the server while `context` ran `statement` for `object` (`table
    /// public.things, column n`), as an [`Error::Rejected`] with `help`. `help` is used for
    /// plain SQL errors; for a lock timeout, a missing privilege and the other classes the
    /// class's own fix is the advice. An error that did not come from the server (a lost
    /// connection) stays an [`Error::Postgres`].
    pub fn rejected(
        context: &str,
        object: impl Into<String>,
        statement: impl Into<String>,
        help: impl Into<String>,
        e: postgres::Error,
    ) -> Error {
        if e.as_db_error().is_none() {
            return Error::from_postgres(context, e);
        }
        match Error::from_postgres(context, e) {
            Error::Postgres {
                context,
                kind,
                sqlstate,
                detail,
                source,
            } => Error::Rejected {
                context,
                rejection: Box::new(Rejection {
                    object: object.into(),
                    statement: redact(&statement.into()),
                    help: if kind == ErrorKind::Sql {
                        help.into()
                    } else {
                        kind.fix().to_string()
                    },
                }),
                kind,
                sqlstate,
                detail,
                source,
            },
            other => other,
        }
    }

    /// The object the server rejected, for an [`Error::Rejected`].
    pub fn rejected_object(&self) -> Option<&str> {
        match self {
            Error::Rejected { rejection, .. } => Some(&rejection.object),
            _ => None,
        }
    }
}

/// `text` with every line indented four spaces, for a statement under its heading.
fn indented(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn sqlstate_note(sqlstate: Option<&str>) -> String {
    sqlstate
        .map(|code| format!(" [SQLSTATE {code}]"))
        .unwrap_or_default()
}

fn invalid_schema_text(problems: &[SchemaProblem]) -> String {
    let mut text = format!(
        "checking the declared schema: {} problem{} found, nothing was changed",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        text.push('\n');
        text.push_str(&problem.text);
    }
    text.push_str("\n  help: ");
    text.push_str(ErrorKind::InvalidSchema.fix());
    text
}

/// `err` and each of its sources, joined by `: `.
fn chain_text(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// `text` with every password replaced by `***`: the user-info password and a `password`
/// query parameter of `postgres://` (and any `scheme://`) URLs, also when the password holds
/// an unencoded `@`, `:` or `/`; `password = value` (bare with backslash escapes, or
/// single-quoted with backslash escapes) in `key=value` connection strings; and the value of
/// the `PGPASSWORD` environment variable wherever it appears verbatim. Every message, log line
/// and `Debug` output that may hold a connection string goes through here.
pub fn redact(text: &str) -> String {
    let pgpassword = std::env::var("PGPASSWORD").ok();
    redact_with(text, pgpassword.as_deref())
}

/// [`redact`] with the `PGPASSWORD` value passed in (so tests need not touch the process
/// environment). `known` is removed first, before the URL and keyword rules reshape the text.
fn redact_with(text: &str, known: Option<&str>) -> String {
    let text = match known {
        // Even a short password is removed: a garbled message is better than a leaked secret.
        Some(secret) if !secret.is_empty() => text.replace(secret, "***"),
        _ => text.to_owned(),
    };
    redact_keyword_password(&redact_urls(&text))
}

/// Redacts the password of every URL in `text`: `scheme://user:secret@host/...?password=...`.
///
/// The user info ends at the LAST `@` of the URL, not at the first `/`: a password with an
/// unencoded `@`, `/` or `:` (`postgres://u:p@ss/w:rd@host/db`) is removed whole. When the
/// path or query also holds an `@`, this removes more than the password, never less.
fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        out.push_str(&rest[..i + 3]);
        rest = &rest[i + 3..];
        let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (url, after) = rest.split_at(url_end);
        let host_and_path = match url.rfind('@') {
            Some(at) => {
                // The user name cannot hold an unencoded `:`; everything after the first `:`
                // up to the last `@` is the password.
                match url[..at].split_once(':') {
                    Some((user, _)) => out.push_str(&format!("{user}:***")),
                    None => out.push_str(&url[..at]),
                }
                out.push('@');
                &url[at + 1..]
            }
            None => url,
        };
        let authority_end = host_and_path
            .find(['/', '?', '#'])
            .unwrap_or(host_and_path.len());
        let (authority, path) = host_and_path.split_at(authority_end);
        out.push_str(authority);
        match path.split_once('?') {
            Some((head, query)) => {
                let query: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                            format!("{key}=***")
                        }
                        _ => pair.to_owned(),
                    })
                    .collect();
                out.push_str(&format!("{head}?{}", query.join("&")));
            }
            None => out.push_str(path),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Redacts `password = value` (and `PGPASSWORD=value`) where the key starts a word, the value
/// bare (up to unescaped white space) or single-quoted, both with backslash escapes.
fn redact_keyword_password(text: &str) -> String {
    // `PGPASSWORD=value` as a shell or an environment dump prints it.
    const KEYS: [&str; 2] = ["password", "pgpassword"];
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let mut at_word_start = true;
    while let Some((i, c)) = chars.next() {
        let key = KEYS.into_iter().find(|key| {
            at_word_start
                && text
                    .get(i..i + key.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(key))
        });
        if let Some(key) = key {
            let after = text[i + key.len()..].trim_start();
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
                    // libpq lets a backslash escape the next character (a space) in a bare
                    // value too.
                    let mut escaped = false;
                    value
                        .char_indices()
                        .find(|&(_, ch)| {
                            let end = ch.is_whitespace() && !escaped;
                            escaped = ch == '\\' && !escaped;
                            end
                        })
                        .map_or(value.len(), |(j, _)| j)
                };
                out.push_str(&text[i..i + key.len()]);
                out.push_str("=***");
                let resume = text.len() - value.len() + value_len;
                while chars.peek().is_some_and(|&(j, _)| j < resume) {
                    chars.next();
                }
                at_word_start = false;
                continue;
            }
        }
        out.push(c);
        // A key starts after white space or punctuation that cannot be part of a URL query
        // (whose parameters `redact_urls` already handled).
        at_word_start = c.is_whitespace() || matches!(c, '(' | '[' | ',' | ';' | '"' | '\'');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/x failed"),
            "postgres://app:***@db:5432/x failed"
        );
        assert_eq!(
            redact("host=db password=s3cret user=x"),
            "host=db password=*** user=x"
        );
        assert_eq!(redact("password='a b' x"), "password=*** x");
    }

    #[test]
    fn io_errors_keep_their_source_and_code() {
        let err = super::Error::from_io(
            "writing the output",
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe closed"),
        );
        assert_eq!(err.code(), "io");
        assert!(err
            .to_string()
            .starts_with("writing the output: pipe closed\n  help: "));
        let source = std::error::Error::source(&err).expect("a source");
        assert!(source.downcast_ref::<std::io::Error>().is_some());
    }

    #[test]
    fn reported_errors_print_cause_and_fix() {
        let err = super::Error::new(
            super::ErrorKind::Invalid,
            "reading PGDECL_MODE",
            "`x` is not a mode",
        );
        assert_eq!(err.code(), "invalid");
        assert_eq!(
            err.to_string(),
            "reading PGDECL_MODE: `x` is not a mode\n  help: correct the input named above"
        );
        assert!(std::error::Error::source(&err).is_none());
    }

    #[test]
    fn redacts_url_passwords() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example:5432/app?sslmode=disable"),
            "postgres://app:***@db.example:5432/app?sslmode=disable"
        );
        assert_eq!(
            redact("postgresql://app@host/db?password=s3cret&port=1"),
            "postgresql://app@host/db?password=***&port=1"
        );
        assert_eq!(redact("postgresql://host/db"), "postgresql://host/db");
    }

    #[test]
    fn redacts_keyword_passwords() {
        assert_eq!(
            redact("host=h password=s3cret user=u"),
            "host=h password=*** user=u"
        );
        assert_eq!(redact("password = 'a \\' b' user=u"), "password=*** user=u");
        assert_eq!(
            redact("user=password_holder dbname=x"),
            "user=password_holder dbname=x"
        );
    }

    #[test]
    fn redacts_urls_inside_messages() {
        assert_eq!(
            redact("could not connect to postgres://u:p@h/db?password=q (refused)"),
            "could not connect to postgres://u:***@h/db?password=*** (refused)"
        );
    }

    #[test]
    fn redacts_url_passwords_with_unencoded_at_colon_and_slash() {
        use super::redact_with;
        for (url, host) in [
            ("postgres://app:p@ss@db:5432/app", "@db:5432/app"),
            ("postgres://app:a:b@db/app", "@db/app"),
            ("postgres://app:pa/ss@db/app", "@db/app"),
            (
                "postgresql://app:x@y/z:w?q#r@db/app?sslmode=disable",
                "@db/app?sslmode=disable",
            ),
        ] {
            let text = redact_with(&format!("connecting to {url}: refused"), None);
            assert_eq!(
                text,
                format!(
                    "connecting to postgres{}://app:***{host}: refused",
                    if url.starts_with("postgresql") {
                        "ql"
                    } else {
                        ""
                    }
                )
            );
        }
        // A password-less URL with an `@` only after the host keeps its user and host.
        assert_eq!(
            redact_with("postgres://app@db/app", None),
            "postgres://app@db/app"
        );
    }

    #[test]
    fn redacts_keyword_passwords_with_escapes_and_quotes() {
        use super::redact_with;
        assert_eq!(
            redact_with(r"host=h password=a\ b\ c user=u", None),
            "host=h password=*** user=u"
        );
        assert_eq!(
            redact_with(r"host=h password='it\'s a secret' user=u", None),
            "host=h password=*** user=u"
        );
        assert_eq!(
            redact_with("PGPASSWORD=s3cret psql -h db", None),
            "PGPASSWORD=*** psql -h db"
        );
    }

    #[test]
    fn redacts_the_pgpassword_value_wherever_it_appears() {
        use super::redact_with;
        assert_eq!(
            redact_with(
                "role \"app\" with secret Tr0ub4dor rejected",
                Some("Tr0ub4dor")
            ),
            "role \"app\" with secret *** rejected"
        );
        assert_eq!(redact_with("nothing here", Some("")), "nothing here");
    }
}
