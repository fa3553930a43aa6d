//! Connecting as libpq and `psql` do: the connection string (a `postgresql://` URL or a
//! `key=value` string, possibly empty) over the `PG*` environment variables over libpq's
//! defaults, the password file, host lists, Unix sockets, and TLS with rustls. A failed
//! connection names the settings it used and where each came from (never the password), and
//! gives advice for the cause it met only.
//!
//! Split by concern: `conninfo` (the two string syntaxes), `settings` (precedence and
//! origins), `pgpass` (the password file), `tls` (rustls), and here the attempts and the
//! diagnosis of a failure.

mod conninfo;
mod pgpass;
mod settings;
mod tls;

use std::path::{Path, PathBuf};

use postgres::Client;

use crate::error::{Error, ErrorKind};
pub use settings::{ConnectSettings, Host, Origin, RootCert, Setting, SslMode, Target};

/// Connects as `psql` would with the same connection string and environment.
///
/// `conninfo` is a `postgresql://` (or `postgres://`) URL, a libpq `key=value` string, or
/// empty: then only the `PG*` variables and the defaults count, as for `psql` with no
/// arguments. Settings in the string win over `PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
/// `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGSSLCERT`, `PGSSLKEY`, `PGAPPNAME`,
/// `PGCONNECT_TIMEOUT`, `PGPASSFILE` (and the other libpq variables), which win over the
/// defaults (the Unix socket, port 5432, the OS user, a database named as the user,
/// `sslmode=prefer`). Without a password, the password file (`PGPASSFILE`, `passfile`, else
/// `~/.pgpass`) is searched with libpq's rules. Several hosts (`host=a,b`) are tried in turn.
///
/// TLS uses rustls: `sslmode` `disable`, `allow`, `prefer` (the default), `require`,
/// `verify-ca` and `verify-full` mean what they mean to libpq (`require` with a root
/// certificate checks it as `verify-ca` does); `sslrootcert` is a PEM file or `system`;
/// `sslcert`/`sslkey` give a client certificate.
///
/// ```no_run
/// let mut client = schema_runtime::connect(
///     "postgresql://app@db.example/app?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem",
/// )?;
/// // Or with PGHOST, PGUSER, PGDATABASE, ... and ~/.pgpass only:
/// let mut client = schema_runtime::connect("")?;
/// # Ok::<(), schema_runtime::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::Invalid`] for a malformed string or value, [`ErrorKind::Tls`] for a
/// certificate problem, and for a failed connection [`ErrorKind::Unreachable`],
/// [`ErrorKind::Authentication`], [`ErrorKind::MissingDatabase`] or [`ErrorKind::Tls`],
/// with the settings used, their origins, and what to do about the actual cause.
pub fn connect(conninfo: &str) -> Result<Client, Error> {
    ConnectSettings::from_conninfo(conninfo)?.connect()
}

/// Where a connection's password came from, or why there is none.
#[derive(Debug, Clone)]
enum PasswordSource {
    /// The connection string or `PGPASSWORD`.
    Setting(Origin),
    /// A line of the password file.
    File { path: PathBuf, line: usize },
    /// None was found; the password file and why it gave nothing.
    Missing {
        file: Option<PathBuf>,
        why: Option<pgpass::Missing>,
    },
}

/// One failed attempt.
struct Failure<'a> {
    target: &'a Target,
    password: PasswordSource,
    error: postgres::Error,
}

impl ConnectSettings {
    /// Connects: each target in turn, with the TLS `sslmode` asks for; the first that works.
    pub fn connect(&self) -> Result<Client, Error> {
        // libpq never uses TLS on a Unix socket: its certificates are not needed there.
        let tls = if self.targets.iter().any(|t| !t.is_socket()) {
            self.tls_config()?
        } else {
            None
        };
        let mut order: Vec<&Target> = self.targets.iter().collect();
        if self.random_order {
            shuffle(&mut order);
        }
        let mut failures = Vec::new();
        for target in order {
            let (password, source) = self.password_for(target);
            match self.attempt(target, password.as_deref(), &tls) {
                Ok(client) => {
                    tracing::debug!(target = %target, "connected");
                    return Ok(client);
                }
                Err(error) => failures.push(Failure {
                    target,
                    password: source,
                    error,
                }),
            }
        }
        Err(self.failure_error(failures))
    }

    /// The password for `target`: the setting, else the password file's matching line.
    fn password_for(&self, target: &Target) -> (Option<String>, PasswordSource) {
        if let Some(password) = &self.password {
            return (
                Some(password.value.clone()),
                PasswordSource::Setting(password.origin.clone()),
            );
        }
        let Some(file) = &self.passfile else {
            return (
                None,
                PasswordSource::Missing {
                    file: None,
                    why: None,
                },
            );
        };
        let host = target.pgpass_host();
        let port = target.port.to_string();
        let key = pgpass::Key {
            host: &host,
            port: &port,
            dbname: &self.dbname.value,
            user: &self.user.value,
        };
        match pgpass::lookup(&file.value, &key) {
            Ok(found) => (
                Some(found.password),
                PasswordSource::File {
                    path: file.value.clone(),
                    line: found.line,
                },
            ),
            Err(why) => (
                None,
                PasswordSource::Missing {
                    file: Some(file.value.clone()),
                    why: Some(why),
                },
            ),
        }
    }

    /// One target, with libpq's TLS fallbacks: `prefer` tries plain after a failed
    /// handshake, `allow` tries TLS after the server refused a plain connection.
    fn attempt(
        &self,
        target: &Target,
        password: Option<&str>,
        tls: &Option<std::sync::Arc<rustls::ClientConfig>>,
    ) -> Result<Client, postgres::Error> {
        use postgres::config::SslMode as Mode;
        let mut config = postgres::Config::new();
        config.user(&self.user.value).dbname(&self.dbname.value);
        if let Some(password) = password {
            config.password(password);
        }
        match &target.host {
            Host::Tcp(name) => {
                config.host(name);
            }
            Host::Socket(dir) => {
                config.host_path(dir);
            }
            Host::None => {}
        }
        if let Some(addr) = target.hostaddr {
            config.hostaddr(addr);
        }
        config.port(target.port);
        if let Some(timeout) = &self.connect_timeout {
            config.connect_timeout(timeout.value);
        }
        if let Some(name) = &self.application_name {
            config.application_name(name);
        }
        if let Some(options) = &self.options {
            config.options(options);
        }
        if let Some(on) = self.keepalives {
            config.keepalives(on);
        }
        if let Some(idle) = self.keepalives_idle {
            config.keepalives_idle(idle);
        }
        if let Some(timeout) = self.tcp_user_timeout {
            config.tcp_user_timeout(timeout);
        }
        config
            .target_session_attrs(self.target_session_attrs)
            .channel_binding(self.channel_binding);
        if self.ssl_direct {
            config.ssl_negotiation(postgres::config::SslNegotiation::Direct);
        }
        let connector = tls::RustlsConnector(tls.clone());
        let run = |config: &mut postgres::Config, mode: Mode| {
            config.ssl_mode(mode);
            config.connect(connector.clone())
        };
        if target.is_socket() {
            return run(&mut config, Mode::Disable);
        }
        match self.sslmode.value {
            SslMode::Disable => run(&mut config, Mode::Disable),
            SslMode::Allow => run(&mut config, Mode::Disable).or_else(|plain| {
                if plain.as_db_error().is_some() {
                    run(&mut config, Mode::Require)
                } else {
                    Err(plain)
                }
            }),
            SslMode::Prefer => run(&mut config, Mode::Prefer).or_else(|encrypted| {
                if is_tls_failure(&encrypted) {
                    tracing::debug!(target = %target, error = %encrypted, "TLS failed; trying without (sslmode=prefer)");
                    run(&mut config, Mode::Disable)
                } else {
                    Err(encrypted)
                }
            }),
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                run(&mut config, Mode::Require)
            }
        }
    }

    /// The error for failed attempts: the settings, each target's cause, and advice for
    /// the causes met.
    fn failure_error(&self, failures: Vec<Failure<'_>>) -> Error {
        let mut context = String::from("connecting to ");
        let single = failures.len() == 1;
        if single {
            context.push_str(&format!(
                "{} {}, ",
                failures[0].target,
                self.host_port_origin()
            ));
        }
        context.push_str(&format!(
            "as user {} {}, database {} {}, sslmode {} {}",
            self.user.value,
            self.user.origin,
            self.dbname.value,
            self.dbname.origin,
            self.sslmode.value.name(),
            self.sslmode.origin
        ));
        if let Some(root) = &self.sslrootcert {
            context.push_str(&format!(", sslrootcert {}", tls::describe_root(root)));
        }
        if single {
            context.push_str(&format!(
                ", {}",
                self.describe_password(failures[0].target, &failures[0].password)
            ));
        } else {
            context.push_str(&format!(
                ", {} hosts {}",
                failures.len(),
                self.host_port_origin()
            ));
        }
        let mut details = Vec::new();
        let mut helps: Vec<String> = Vec::new();
        let mut kind = ErrorKind::Unreachable;
        let mut sqlstate = None;
        for failure in &failures {
            let diagnosis = self.diagnose(failure);
            kind = diagnosis.kind;
            sqlstate = failure.error.code().map(|c| c.code().to_owned());
            let cause = match failure.error.code() {
                Some(code) => format!("{} [SQLSTATE {}]", diagnosis.cause, code.code()),
                None => diagnosis.cause,
            };
            details.push(if single {
                cause
            } else {
                format!(
                    "\n  {}, {}: {cause}",
                    failure.target,
                    self.describe_password(failure.target, &failure.password)
                )
            });
            if !helps.contains(&diagnosis.help) {
                helps.push(diagnosis.help);
            }
        }
        let source = failures.into_iter().last().map(|f| f.error);
        Error::connection(
            kind,
            &context,
            details.concat(),
            helps.join("\n  help: "),
            sqlstate,
            source,
        )
    }

    fn describe_password(&self, target: &Target, source: &PasswordSource) -> String {
        match source {
            PasswordSource::Setting(origin) => format!("password {origin}"),
            PasswordSource::File { path, line } => {
                format!("password from {} line {line}", self.show_path(path))
            }
            PasswordSource::Missing { file: None, .. } => "no password".to_owned(),
            PasswordSource::Missing {
                file: Some(path),
                why,
            } => {
                let path = self.show_path(path);
                match why {
                    Some(pgpass::Missing::NoFile) | None => {
                        format!("no password (none given, and no password file {path})")
                    }
                    Some(pgpass::Missing::NoMatch) => format!(
                        "no password (none given, and no line of {path} matches {}:{}:{}:{})",
                        target.pgpass_host(),
                        target.port,
                        self.dbname.value,
                        self.user.value
                    ),
                    Some(pgpass::Missing::Ignored(reason)) => {
                        format!("no password (none given, and {path} was ignored: {reason})")
                    }
                    Some(pgpass::Missing::Unreadable(e)) => {
                        format!("no password (none given, and {path} could not be read: {e})")
                    }
                }
            }
        }
    }

    /// `path` with the home directory shown as `~`.
    fn show_path(&self, path: &Path) -> String {
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            if let Ok(rest) = path.strip_prefix(&home) {
                return format!("~/{}", rest.display());
            }
        }
        path.display().to_string()
    }

    /// The class, the cause in words and the one piece of advice for a failed attempt.
    fn diagnose(&self, failure: &Failure<'_>) -> Diagnosis {
        use postgres::error::SqlState;
        let target = failure.target;
        let err = &failure.error;
        if let Some(db) = err.as_db_error() {
            let message = db.message().to_owned();
            let code = db.code();
            let (kind, help) = if *code == SqlState::INVALID_PASSWORD {
                (
                    ErrorKind::Authentication,
                    self.wrong_password_help(&failure.password),
                )
            } else if *code == SqlState::INVALID_CATALOG_NAME {
                (
                    ErrorKind::MissingDatabase,
                    format!(
                        "database {} ({}) does not exist on {target}: create it (createdb {}), or fix the database name (dbname in the connection string, or PGDATABASE)",
                        self.dbname.value, self.dbname.origin, self.dbname.value
                    ),
                )
            } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                && message.contains("pg_hba.conf")
            {
                let help = if message.contains("no encryption") {
                    format!(
                        "the server accepts this user and database only over TLS (a hostssl line in pg_hba.conf), and sslmode {} ({}) connected without: use sslmode=require or stronger",
                        self.sslmode.value.name(),
                        self.sslmode.origin
                    )
                } else {
                    "the server's pg_hba.conf has no line for this host, user, database and encryption: add one (and reload the server), or connect as a user it lets in".to_owned()
                };
                (ErrorKind::Authentication, help)
            } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                && message.contains("certificate")
            {
                (ErrorKind::Authentication, self.client_cert_help())
            } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                && message.starts_with("role ")
            {
                (
                    ErrorKind::Authentication,
                    format!(
                        "user {} ({}) does not exist on the server: create the role (CREATE ROLE ... LOGIN), or fix the user name (user in the connection string, or PGUSER)",
                        self.user.value, self.user.origin
                    ),
                )
            } else if *code == SqlState::CANNOT_CONNECT_NOW {
                (
                    ErrorKind::Unreachable,
                    "the server is starting up, shutting down or in recovery: retry when it is ready (pg_isready)".to_owned(),
                )
            } else if *code == SqlState::TOO_MANY_CONNECTIONS {
                (
                    ErrorKind::Unreachable,
                    "the server has no free connection slot (max_connections): retry later, or close idle connections".to_owned(),
                )
            } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
                (
                    ErrorKind::MissingPrivilege,
                    format!(
                        "user {} may not connect to database {}: GRANT CONNECT ON DATABASE {} TO {} (as its owner)",
                        self.user.value, self.dbname.value, self.dbname.value, self.user.value
                    ),
                )
            } else {
                (ErrorKind::Sql, ErrorKind::Sql.fix().to_owned())
            };
            let mut cause = message;
            if let Some(detail) = db.detail() {
                cause.push_str(&format!(" ({detail})"));
            }
            return Diagnosis { kind, cause, help };
        }

        let chain = chain_text(err);
        if let Some(tls_err) = tls::rustls_error(err) {
            return Diagnosis {
                kind: ErrorKind::Tls,
                cause: format!("TLS handshake failed: {tls_err}"),
                help: self.tls_help(target, tls_err),
            };
        }
        if chain.contains("server does not support TLS") {
            return Diagnosis {
                kind: ErrorKind::Tls,
                cause: "the server does not accept TLS connections".to_owned(),
                help: format!(
                    "sslmode {} ({}) requires TLS, and the server at {target} has ssl = off: turn ssl on in its postgresql.conf (with ssl_cert_file and ssl_key_file), or use sslmode=prefer",
                    self.sslmode.value.name(),
                    self.sslmode.origin
                ),
            };
        }
        if chain.contains("password missing") {
            return Diagnosis {
                kind: ErrorKind::Authentication,
                cause: format!(
                    "the server asked for a password for user {} and none was given",
                    self.user.value
                ),
                help: self.missing_password_help(&failure.password),
            };
        }
        if chain.contains("TLS handshake") || chain.contains("not a host name TLS can verify") {
            return Diagnosis {
                kind: ErrorKind::Tls,
                cause: chain,
                help: format!(
                    "check sslmode {} ({}) and the host name: TLS needs a host name or address to verify",
                    self.sslmode.value.name(),
                    self.sslmode.origin
                ),
            };
        }
        let io_kind = io_error_kind(err);
        let (host, port) = (host_for_tools(target), target.port);
        let help = match io_kind {
            Some(std::io::ErrorKind::ConnectionRefused) => format!(
                "nothing accepts connections at {target} ({}): is the server running there? (pg_isready -h {host} -p {port}; check listen_addresses and port in its postgresql.conf)",
                self.host_port_origin()
            ),
            Some(std::io::ErrorKind::NotFound) if target.is_socket() => format!(
                "no server socket at {target}: is a server running on this machine with that port and unix_socket_directories? Otherwise set host (or PGHOST) to the server's address"
            ),
            Some(std::io::ErrorKind::TimedOut) => format!(
                "{target} did not answer in time{}: check the host and port ({}), and firewalls",
                self.connect_timeout
                    .as_ref()
                    .map(|t| format!(" (connect_timeout {} s {})", t.value.as_secs(), t.origin))
                    .unwrap_or_default(),
                self.host_port_origin()
            ),
            Some(std::io::ErrorKind::PermissionDenied) if chain.contains("does not allow writes") => {
                "the server is read-only (a standby) and target_session_attrs asks for read-write: connect to the primary".to_owned()
            }
            _ if chain.contains("timeout") => format!(
                "{target} did not answer in time: check the host and port ({}), and firewalls",
                self.host_port_origin()
            ),
            _ if chain.contains("lookup") || chain.contains("resolve") => format!(
                "the host name {host} ({}) could not be resolved: check it",
                self.host_port_origin()
            ),
            _ => format!(
                "check that the server at {target} ({}) is running and reachable (pg_isready -h {host} -p {port})",
                self.host_port_origin()
            ),
        };
        Diagnosis {
            kind: ErrorKind::Unreachable,
            cause: chain,
            help,
        }
    }

    fn wrong_password_help(&self, source: &PasswordSource) -> String {
        let user = format!("user {} ({})", self.user.value, self.user.origin);
        match source {
            PasswordSource::File { path, line } => format!(
                "the server refused the password from line {line} of {} for {user}: correct that line",
                self.show_path(path)
            ),
            PasswordSource::Setting(Origin::Env(var)) => {
                format!("the server refused the password for {user}: correct {var}")
            }
            PasswordSource::Setting(_) => format!(
                "the server refused the password for {user}: correct the password in the connection string"
            ),
            PasswordSource::Missing { .. } => {
                format!("the server refused the login for {user}: check the user name and pg_hba.conf")
            }
        }
    }

    fn missing_password_help(&self, source: &PasswordSource) -> String {
        let file = match source {
            PasswordSource::Missing {
                file: Some(path),
                why,
            } => {
                let path = self.show_path(path);
                match why {
                    Some(pgpass::Missing::Ignored(reason)) => {
                        format!("; {path} was ignored: {reason}")
                    }
                    Some(pgpass::Missing::NoMatch) => format!(
                        "; no line of {path} matches this connection (host:port:database:user:password, * for any)"
                    ),
                    Some(pgpass::Missing::Unreadable(e)) => {
                        format!("; {path} could not be read: {e}")
                    }
                    Some(pgpass::Missing::NoFile) | None => String::new(),
                }
            }
            _ => String::new(),
        };
        format!(
            "give the password in the connection string, in PGPASSWORD, or in a password file (PGPASSFILE, else ~/.pgpass, mode 0600){file}"
        )
    }

    fn client_cert_help(&self) -> String {
        match &self.sslcert {
            Some(cert) => format!(
                "the server did not accept the client certificate sslcert {} ({}): it must be signed by a CA in the server's ssl_ca_file, and its CN must be the user name {} (or mapped to it in pg_ident.conf)",
                cert.value.display(),
                cert.origin,
                self.user.value
            ),
            None => "the server wants a client certificate (a `cert` line in pg_hba.conf): set sslcert and sslkey (or PGSSLCERT/PGSSLKEY) to a certificate whose CN is the user name, signed by a CA in the server's ssl_ca_file".to_owned(),
        }
    }

    fn tls_help(&self, target: &Target, err: &rustls::Error) -> String {
        use rustls::{AlertDescription, CertificateError};
        let root = self
            .sslrootcert
            .as_ref()
            .map(tls::describe_root)
            .unwrap_or_else(|| "(none)".to_owned());
        let mode = format!(
            "sslmode {} {}",
            self.sslmode.value.name(),
            self.sslmode.origin
        );
        match err {
            rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer | CertificateError::BadSignature,
            ) => format!(
                "the server's certificate is not signed by a CA in sslrootcert {root}: set sslrootcert (or PGSSLROOTCERT) to the certificate of the CA that issued the server's certificate"
            ),
            rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            ) => format!(
                "the server's certificate is not issued for {}: connect with a host name the certificate names, or use sslmode=verify-ca to check only the CA",
                host_for_tools(target)
            ),
            rustls::Error::InvalidCertificate(
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. },
            ) => "the server's certificate is expired or not yet valid: renew it on the server, or check this machine's clock".to_owned(),
            rustls::Error::AlertReceived(
                AlertDescription::CertificateRequired | AlertDescription::HandshakeFailure,
            ) if self.sslcert.is_none() => self.client_cert_help(),
            rustls::Error::AlertReceived(
                AlertDescription::BadCertificate
                | AlertDescription::UnknownCA
                | AlertDescription::CertificateUnknown
                | AlertDescription::CertificateExpired
                | AlertDescription::AccessDenied,
            ) => self.client_cert_help(),
            _ => format!("check {mode} and sslrootcert {root}"),
        }
    }
}

struct Diagnosis {
    kind: ErrorKind,
    cause: String,
    help: String,
}

/// A host for `pg_isready -h`: the name, the socket directory, or the address.
fn host_for_tools(target: &Target) -> String {
    match (&target.host, target.hostaddr) {
        (Host::Tcp(name), _) => name.clone(),
        (Host::Socket(dir), _) => dir.display().to_string(),
        (Host::None, Some(addr)) => addr.to_string(),
        (Host::None, None) => "localhost".to_owned(),
    }
}

/// True when the attempt failed in the TLS handshake (not in connecting or logging in).
fn is_tls_failure(err: &postgres::Error) -> bool {
    err.as_db_error().is_none()
        && (tls::rustls_error(err).is_some() || err.to_string().contains("TLS handshake"))
}

/// The I/O error kind at the bottom of `err`'s chain.
fn io_error_kind(err: &postgres::Error) -> Option<std::io::ErrorKind> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        current = e.source();
    }
    None
}

/// `err` and its sources, joined by `: `, without repeating a message its source repeats.
fn chain_text(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let next = inner.to_string();
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = inner.source();
    }
    text
}

/// A cheap shuffle for `load_balance_hosts=random`: the order only spreads load.
fn shuffle<T>(items: &mut [T]) {
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64 ^ d.as_secs())
        .unwrap_or(0x9e37_79b9)
        | 1;
    for i in (1..items.len()).rev() {
        // xorshift64
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        items.swap(i, (seed % (i as u64 + 1)) as usize);
    }
}
