//! Which value each connection setting takes, and where it came from: the connection string,
//! then the `PG*` environment variables, then libpq's defaults, the same precedence as
//! `psql`. The origin travels with the value so a failed connection can say which setting to
//! fix.

use std::fmt;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::conninfo;
use crate::error::{Error, ErrorKind};

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// The connection string (URL or `key=value`).
    ConnString,
    /// An environment variable, e.g. `PGHOST`.
    Env(&'static str),
    /// libpq's default.
    Default,
    /// A line of the password file.
    PassFile {
        /// The file.
        path: PathBuf,
        /// Its 1-based line number.
        line: usize,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::ConnString => f.write_str("from the connection string"),
            Origin::Env(name) => write!(f, "from {name}"),
            Origin::Default => f.write_str("by default"),
            Origin::PassFile { path, line } => write!(f, "from {} line {line}", path.display()),
        }
    }
}

/// A setting's value and its [`Origin`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub origin: Origin,
}

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plain first; TLS if the server refuses a plain connection.
    Allow,
    /// TLS if the server offers it, plain otherwise (libpq's default).
    Prefer,
    /// TLS, without checking the server's certificate unless a root certificate is given
    /// (then as `verify-ca`, as libpq does).
    Require,
    /// TLS, the certificate signed by a CA in `sslrootcert`.
    VerifyCa,
    /// TLS, the certificate signed by a CA in `sslrootcert` and issued for the host name.
    VerifyFull,
}

impl SslMode {
    /// libpq's spelling.
    pub fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(text: &str) -> Option<SslMode> {
        Some(match text {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }
}

/// Where the trusted CA certificates come from (`sslrootcert`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCert {
    /// A PEM file of CA certificates.
    File(PathBuf),
    /// `sslrootcert=system`: the operating system's trusted CAs.
    System,
}

/// One server to try: a TCP host or a Unix socket directory, and a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The host name or address (also the name TLS verifies), or the socket directory.
    pub host: Host,
    /// `hostaddr`: the address to connect to instead of looking `host` up.
    pub hostaddr: Option<IpAddr>,
    /// The port (for a socket, the number in its file name).
    pub port: u16,
}

/// A server's host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A host name or IP address.
    Tcp(String),
    /// A Unix socket directory.
    Socket(PathBuf),
    /// Only `hostaddr` was given.
    None,
}

impl Target {
    /// True for a Unix socket: libpq never uses TLS on one, whatever `sslmode` says.
    pub fn is_socket(&self) -> bool {
        matches!(self.host, Host::Socket(_))
    }

    /// The host as the password file compares it: `localhost` for a Unix socket.
    pub(crate) fn pgpass_host(&self) -> String {
        match (&self.host, self.hostaddr) {
            (Host::Tcp(name), _) => name.clone(),
            (Host::None, Some(addr)) => addr.to_string(),
            _ => "localhost".to_owned(),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.host, self.hostaddr) {
            (Host::Socket(dir), _) => write!(
                f,
                "Unix socket {}",
                dir.join(format!(".s.PGSQL.{}", self.port)).display()
            ),
            (Host::Tcp(name), Some(addr)) => {
                write!(f, "host {name} (address {addr}) port {}", self.port)
            }
            (Host::Tcp(name), None) if name.contains(':') => {
                write!(f, "host [{name}]:{}", self.port)
            }
            (Host::Tcp(name), None) => write!(f, "host {name}:{}", self.port),
            (Host::None, Some(addr)) => write!(f, "address {addr} port {}", self.port),
            (Host::None, None) => write!(f, "port {}", self.port),
        }
    }
}

/// Every connection setting, resolved: the connection string over the environment over
/// the defaults, each value with its [`Origin`].
///
/// ```no_run
/// use schema_runtime::connect::ConnectSettings;
///
/// // What psql would use with no arguments: only the PG* variables and the defaults.
/// let settings = ConnectSettings::from_conninfo("")?;
/// println!("{}", settings.describe());
/// let mut client = settings.connect()?;
/// # Ok::<(), schema_runtime::Error>(())
/// ```
///
/// `Debug` prints [`ConnectSettings::describe`]: never the password.
#[derive(Clone)]
pub struct ConnectSettings {
    pub(crate) targets: Vec<Target>,
    pub(crate) host_origin: Origin,
    pub(crate) port_origin: Origin,
    pub(crate) user: Setting<String>,
    pub(crate) dbname: Setting<String>,
    pub(crate) password: Option<Setting<String>>,
    pub(crate) passfile: Option<Setting<PathBuf>>,
    pub(crate) connect_timeout: Option<Setting<Duration>>,
    pub(crate) application_name: Option<String>,
    pub(crate) options: Option<String>,
    pub(crate) sslmode: Setting<SslMode>,
    pub(crate) sslrootcert: Option<Setting<RootCert>>,
    pub(crate) sslcert: Option<Setting<PathBuf>>,
    pub(crate) sslkey: Option<Setting<PathBuf>>,
    pub(crate) ssl_direct: bool,
    pub(crate) target_session_attrs: postgres::config::TargetSessionAttrs,
    pub(crate) channel_binding: postgres::config::ChannelBinding,
    pub(crate) random_order: bool,
    pub(crate) keepalives: Option<bool>,
    pub(crate) keepalives_idle: Option<Duration>,
    pub(crate) tcp_user_timeout: Option<Duration>,
}

impl fmt::Debug for ConnectSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The settings pgdecl reads, each with its environment variable when libpq has one.
const SETTINGS: &[(&str, Option<&str>)] = &[
    ("host", Some("PGHOST")),
    ("hostaddr", Some("PGHOSTADDR")),
    ("port", Some("PGPORT")),
    ("dbname", Some("PGDATABASE")),
    ("user", Some("PGUSER")),
    ("password", Some("PGPASSWORD")),
    ("passfile", Some("PGPASSFILE")),
    ("connect_timeout", Some("PGCONNECT_TIMEOUT")),
    ("application_name", Some("PGAPPNAME")),
    ("fallback_application_name", None),
    ("options", Some("PGOPTIONS")),
    ("sslmode", Some("PGSSLMODE")),
    ("sslrootcert", Some("PGSSLROOTCERT")),
    ("sslcert", Some("PGSSLCERT")),
    ("sslkey", Some("PGSSLKEY")),
    ("sslnegotiation", Some("PGSSLNEGOTIATION")),
    ("target_session_attrs", Some("PGTARGETSESSIONATTRS")),
    ("channel_binding", Some("PGCHANNELBINDING")),
    ("load_balance_hosts", Some("PGLOADBALANCEHOSTS")),
    ("keepalives", None),
    ("keepalives_idle", None),
    ("tcp_user_timeout", None),
    // Accepted for compatibility; they change nothing here (see `check_inert`).
    ("gssencmode", Some("PGGSSENCMODE")),
    ("sslcompression", None),
    ("sslsni", None),
    ("client_encoding", Some("PGCLIENTENCODING")),
];

/// libpq settings pgdecl does not implement: named as such rather than as unknown.
const UNSUPPORTED: &[&str] = &[
    "service",
    "servicefile",
    "sslpassword",
    "sslcrl",
    "sslcrldir",
    "sslcertmode",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "requirepeer",
    "require_auth",
    "keepalives_interval",
    "keepalives_count",
    "replication",
];

/// The process environment, or a map in tests.
pub(crate) trait Environment {
    /// The variable's value; unset and empty are the same (as for libpq's defaults).
    fn var(&self, name: &str) -> Option<String>;
    /// The operating-system user name (libpq's default user).
    fn os_user(&self) -> Option<String>;
}

/// The real process environment.
pub(crate) struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }

    fn os_user(&self) -> Option<String> {
        whoami::username().ok().filter(|u| !u.is_empty())
    }
}

impl ConnectSettings {
    /// Resolves `conninfo` (a `postgresql://` URL, a `key=value` string, or empty for "only
    /// the environment") against the `PG*` variables of this process and libpq's defaults.
    pub fn from_conninfo(conninfo: &str) -> Result<ConnectSettings, Error> {
        ConnectSettings::resolve(conninfo, &ProcessEnv)
    }

    pub(crate) fn resolve(conninfo: &str, env: &dyn Environment) -> Result<ConnectSettings, Error> {
        let invalid = |detail: String| {
            Error::new(
                ErrorKind::Invalid,
                "reading the connection settings",
                detail,
            )
        };
        let pairs = conninfo::parse(conninfo).map_err(invalid)?;
        for (key, _) in &pairs {
            if !SETTINGS.iter().any(|(k, _)| k == key) {
                return Err(invalid(if UNSUPPORTED.contains(&key.as_str()) {
                    format!("`{key}` is a libpq setting pgdecl does not support; remove it from the connection string")
                } else {
                    format!(
                        "unknown setting `{key}` in the connection string (known: {})",
                        SETTINGS
                            .iter()
                            .map(|(k, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }));
            }
        }
        // The connection string, then the variable; empty values count as unset, so
        // `PGHOST=` and `host=''` mean the default, as they do for libpq.
        let get = |key: &str| -> Option<Setting<String>> {
            let from_string = pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone());
            match from_string {
                Some(value) if !value.is_empty() => Some(Setting {
                    value,
                    origin: Origin::ConnString,
                }),
                _ => SETTINGS
                    .iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, var)| *var)
                    .and_then(|var| {
                        env.var(var).map(|value| Setting {
                            value,
                            origin: Origin::Env(var),
                        })
                    }),
            }
        };
        let bad = |s: &Setting<String>, key: &str, expected: &str| {
            invalid(format!(
                "{key}={} ({}) is not {expected}",
                s.value, s.origin
            ))
        };

        check_inert(&get)?;

        let home = env.var("HOME").map(PathBuf::from);
        let user = match get("user") {
            Some(user) => user,
            None => Setting {
                value: env.os_user().ok_or_else(|| {
                    invalid("no user name: set user in the connection string or PGUSER (the operating-system user name could not be read)".to_owned())
                })?,
                origin: Origin::Default,
            },
        };
        let dbname = get("dbname").unwrap_or_else(|| Setting {
            value: user.value.clone(),
            origin: Origin::Default,
        });

        // Hosts, addresses and ports are lists of the same length (or one port for all).
        let host = get("host");
        let hostaddr = get("hostaddr");
        let port = get("port");
        let hosts: Vec<String> = host
            .as_ref()
            .map(|h| h.value.split(',').map(|s| s.trim().to_owned()).collect())
            .unwrap_or_default();
        let addrs: Vec<Option<IpAddr>> = match &hostaddr {
            Some(s) => s
                .value
                .split(',')
                .map(|a| match a.trim() {
                    "" => Ok(None),
                    a => a
                        .parse()
                        .map(Some)
                        .map_err(|_| bad(s, "hostaddr", "a list of IP addresses")),
                })
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        if !hosts.is_empty() && !addrs.is_empty() && hosts.len() != addrs.len() {
            return Err(invalid(format!(
                "{} hosts but {} hostaddrs: give one address per host",
                hosts.len(),
                addrs.len()
            )));
        }
        let count = hosts.len().max(addrs.len()).max(1);
        let ports = match &port {
            Some(s) => ports(s, count)?,
            None => vec![5432; count],
        };
        let targets = (0..count)
            .map(|i| {
                let hostaddr = addrs.get(i).copied().flatten();
                let host = match hosts.get(i).map(String::as_str) {
                    Some(h) if h.starts_with('/') => Host::Socket(PathBuf::from(h)),
                    Some(h) if !h.is_empty() => Host::Tcp(h.to_owned()),
                    _ if hostaddr.is_some() => Host::None,
                    _ => default_host(ports[i]),
                };
                Target {
                    host,
                    hostaddr,
                    port: ports[i],
                }
            })
            .collect();
        let origin_of = |s: &Option<Setting<String>>| {
            s.as_ref()
                .map(|s| s.origin.clone())
                .unwrap_or(Origin::Default)
        };
        let host_origin = match (&host, &hostaddr) {
            (None, Some(addr)) => addr.origin.clone(),
            _ => origin_of(&host),
        };

        let connect_timeout = match get("connect_timeout") {
            Some(s) => match s.value.trim().parse::<i64>() {
                // libpq: zero, negative or unset waits forever; less than 2 s means 2 s.
                Ok(secs) if secs <= 0 => None,
                Ok(secs) => Some(Setting {
                    value: Duration::from_secs(secs.max(2) as u64),
                    origin: s.origin,
                }),
                Err(_) => return Err(bad(&s, "connect_timeout", "a number of seconds")),
            },
            None => None,
        };

        let sslrootcert = get("sslrootcert").map(|s| Setting {
            value: if s.value == "system" {
                RootCert::System
            } else {
                RootCert::File(expand_home(&s.value, home.as_deref()))
            },
            origin: s.origin,
        });
        let sslmode = match get("sslmode") {
            Some(s) => Setting {
                value: SslMode::parse(&s.value).ok_or_else(|| {
                    bad(
                        &s,
                        "sslmode",
                        "one of disable, allow, prefer, require, verify-ca, verify-full",
                    )
                })?,
                origin: s.origin,
            },
            // libpq 16: the system's CAs are only worth anything with the host name checked.
            None if matches!(
                sslrootcert,
                Some(Setting {
                    value: RootCert::System,
                    ..
                })
            ) =>
            {
                Setting {
                    value: SslMode::VerifyFull,
                    origin: Origin::Default,
                }
            }
            None => Setting {
                value: SslMode::Prefer,
                origin: Origin::Default,
            },
        };
        if let Some(root) = &sslrootcert {
            if root.value == RootCert::System && sslmode.value != SslMode::VerifyFull {
                return Err(invalid(format!(
                    "sslmode {} ({}) may not be used with sslrootcert=system ({}): the system's CAs vouch for any host they signed for, so only verify-full protects you; use sslmode=verify-full",
                    sslmode.value.name(),
                    sslmode.origin,
                    root.origin
                )));
            }
        }
        // libpq's default files, used when they exist.
        let postgresql_dir = home.as_deref().map(|h| h.join(".postgresql"));
        let default_file = |name: &str| -> Option<Setting<PathBuf>> {
            let path = postgresql_dir.as_ref()?.join(name);
            path.is_file().then_some(Setting {
                value: path,
                origin: Origin::Default,
            })
        };
        let sslrootcert = sslrootcert.or_else(|| {
            default_file("root.crt").map(|s| Setting {
                value: RootCert::File(s.value),
                origin: s.origin,
            })
        });
        let path_setting = |key: &str| {
            get(key).map(|s| Setting {
                value: expand_home(&s.value, home.as_deref()),
                origin: s.origin,
            })
        };
        let sslcert = path_setting("sslcert").or_else(|| default_file("postgresql.crt"));
        let sslkey = path_setting("sslkey").or_else(|| default_file("postgresql.key"));

        let ssl_direct = match get("sslnegotiation") {
            None => false,
            Some(s) => match s.value.as_str() {
                "postgres" => false,
                "direct" if sslmode.value >= SslMode::Require => true,
                "direct" => {
                    return Err(invalid(format!(
                        "sslnegotiation=direct ({}) needs sslmode require or stronger, not {} ({})",
                        s.origin,
                        sslmode.value.name(),
                        sslmode.origin
                    )))
                }
                _ => return Err(bad(&s, "sslnegotiation", "postgres or direct")),
            },
        };
        use postgres::config::{ChannelBinding, TargetSessionAttrs};
        let target_session_attrs = match get("target_session_attrs") {
            None => TargetSessionAttrs::Any,
            Some(s) => match s.value.as_str() {
                "any" => TargetSessionAttrs::Any,
                "read-write" => TargetSessionAttrs::ReadWrite,
                "read-only" => TargetSessionAttrs::ReadOnly,
                _ => {
                    return Err(bad(
                        &s,
                        "target_session_attrs",
                        "any, read-write or read-only",
                    ))
                }
            },
        };
        let channel_binding = match get("channel_binding") {
            None => ChannelBinding::Prefer,
            Some(s) => match s.value.as_str() {
                "disable" => ChannelBinding::Disable,
                "prefer" => ChannelBinding::Prefer,
                "require" => ChannelBinding::Require,
                _ => return Err(bad(&s, "channel_binding", "disable, prefer or require")),
            },
        };
        let random_order = match get("load_balance_hosts") {
            None => false,
            Some(s) => match s.value.as_str() {
                "disable" => false,
                "random" => true,
                _ => return Err(bad(&s, "load_balance_hosts", "disable or random")),
            },
        };
        let seconds = |key: &str| -> Result<Option<Duration>, Error> {
            match get(key) {
                None => Ok(None),
                Some(s) => s
                    .value
                    .trim()
                    .parse::<u64>()
                    .map(|n| Some(Duration::from_secs(n)))
                    .map_err(|_| bad(&s, key, "a number of seconds")),
            }
        };
        let keepalives = match get("keepalives") {
            None => None,
            Some(s) => match s.value.as_str() {
                "1" => Some(true),
                "0" => Some(false),
                _ => return Err(bad(&s, "keepalives", "0 or 1")),
            },
        };
        let keepalives_idle = seconds("keepalives_idle")?;
        let tcp_user_timeout = match get("tcp_user_timeout") {
            None => None,
            Some(s) => Some(
                s.value
                    .trim()
                    .parse::<u64>()
                    .map(Duration::from_millis)
                    .map_err(|_| bad(&s, "tcp_user_timeout", "a number of milliseconds"))?,
            ),
        };

        Ok(ConnectSettings {
            targets,
            host_origin,
            port_origin: origin_of(&port),
            password: get("password"),
            passfile: path_setting("passfile").or_else(|| {
                super::pgpass::default_path(home.as_deref()).map(|p| Setting {
                    value: p,
                    origin: Origin::Default,
                })
            }),
            user,
            dbname,
            connect_timeout,
            application_name: get("application_name")
                .or_else(|| get("fallback_application_name"))
                .map(|s| s.value),
            options: get("options").map(|s| s.value),
            sslmode,
            sslrootcert,
            sslcert,
            sslkey,
            ssl_direct,
            target_session_attrs,
            channel_binding,
            random_order,
            keepalives,
            keepalives_idle,
            tcp_user_timeout,
        })
    }

    /// The servers to try, in order.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The user name and where it came from.
    pub fn user(&self) -> &Setting<String> {
        &self.user
    }

    /// The database name and where it came from.
    pub fn dbname(&self) -> &Setting<String> {
        &self.dbname
    }

    /// `sslmode` and where it came from.
    pub fn sslmode(&self) -> &Setting<SslMode> {
        &self.sslmode
    }

    /// `sslrootcert` (given, or `~/.postgresql/root.crt` when that exists).
    pub fn sslrootcert(&self) -> Option<&Setting<RootCert>> {
        self.sslrootcert.as_ref()
    }

    /// Where the password comes from, without the password: `from PGPASSWORD`, or the
    /// password file that will be searched.
    pub fn password_origin(&self) -> Option<&Origin> {
        self.password.as_ref().map(|p| &p.origin)
    }

    /// One line naming every setting and its origin, never the password: for logs and
    /// error messages.
    pub fn describe(&self) -> String {
        let targets: Vec<String> = self.targets.iter().map(|t| t.to_string()).collect();
        let mut text = format!(
            "{} {}, user {} {}, database {} {}, sslmode {} {}",
            targets.join(", "),
            self.host_port_origin(),
            self.user.value,
            self.user.origin,
            self.dbname.value,
            self.dbname.origin,
            self.sslmode.value.name(),
            self.sslmode.origin
        );
        if let Some(root) = &self.sslrootcert {
            match &root.value {
                RootCert::File(path) => {
                    text.push_str(&format!(", sslrootcert {} {}", path.display(), root.origin))
                }
                RootCert::System => text.push_str(&format!(", sslrootcert=system {}", root.origin)),
            }
        }
        text
    }

    /// Where the host and port came from, as one phrase: `from PGHOST/PGPORT`.
    pub(crate) fn host_port_origin(&self) -> String {
        match (&self.host_origin, &self.port_origin) {
            (Origin::Env(h), Origin::Env(p)) => format!("from {h}/{p}"),
            (h, p) if h == p => h.to_string(),
            (h, Origin::Default) => format!("{h}, default port"),
            (Origin::Default, p) => format!("default host, port {p}"),
            (h, p) => format!("{h}, port {p}"),
        }
    }
}

/// The `port` list for `count` hosts: one port for all, or one per host (empty: 5432).
fn ports(setting: &Setting<String>, count: usize) -> Result<Vec<u16>, Error> {
    let invalid = |detail: String| {
        Error::new(
            ErrorKind::Invalid,
            "reading the connection settings",
            detail,
        )
    };
    let mut list = Vec::new();
    for port in setting.value.split(',').map(str::trim) {
        list.push(match port {
            "" => 5432,
            port => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| {
                    invalid(format!(
                        "port={} ({}) is not a port number (or a list of them)",
                        setting.value, setting.origin
                    ))
                })?,
        });
    }
    match list.len() {
        1 => Ok(vec![list[0]; count]),
        n if n == count => Ok(list),
        n => Err(invalid(format!(
            "{n} port numbers ({}) for {count} hosts: give one port, or one per host",
            setting.origin
        ))),
    }
}

/// Rejects the accepted-but-inert settings whose value asks for something pgdecl cannot do.
fn check_inert(get: &dyn Fn(&str) -> Option<Setting<String>>) -> Result<(), Error> {
    if let Some(s) = get("gssencmode") {
        if s.value == "require" {
            return Err(Error::new(
                ErrorKind::Invalid,
                "reading the connection settings",
                format!(
                    "gssencmode=require ({}): pgdecl does not support GSSAPI encryption; use TLS (sslmode) instead",
                    s.origin
                ),
            ));
        }
    }
    if let Some(s) = get("client_encoding") {
        if !s.value.eq_ignore_ascii_case("utf8") && !s.value.eq_ignore_ascii_case("utf-8") {
            return Err(Error::new(
                ErrorKind::Invalid,
                "reading the connection settings",
                format!(
                    "client_encoding={} ({}): pgdecl always talks UTF8 to the server; unset it",
                    s.value, s.origin
                ),
            ));
        }
    }
    Ok(())
}

/// `~/x` as libpq reads it in file settings.
fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// libpq's default host: the Unix socket directory the server's packages use (Debian's
/// `/var/run/postgresql`, upstream's `/tmp`), the one that holds the port's socket first;
/// `localhost` where there are no Unix sockets.
fn default_host(port: u16) -> Host {
    if cfg!(unix) {
        let dirs = ["/var/run/postgresql", "/tmp"];
        let socket = format!(".s.PGSQL.{port}");
        let dir = dirs
            .iter()
            .find(|d| Path::new(d).join(&socket).exists())
            .or_else(|| dirs.iter().find(|d| Path::new(d).is_dir()))
            .unwrap_or(&"/tmp");
        Host::Socket(PathBuf::from(dir))
    } else {
        Host::Tcp("localhost".to_owned())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A fixed environment for tests.
    pub(crate) struct MapEnv(pub(crate) HashMap<&'static str, String>);

    impl Environment for MapEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).filter(|v| !v.is_empty()).cloned()
        }
        fn os_user(&self) -> Option<String> {
            Some("osuser".to_owned())
        }
    }

    pub(crate) fn env(vars: &[(&'static str, &str)]) -> MapEnv {
        MapEnv(vars.iter().map(|(k, v)| (*k, v.to_string())).collect())
    }

    fn resolve(conninfo: &str, vars: &[(&'static str, &str)]) -> ConnectSettings {
        ConnectSettings::resolve(conninfo, &env(vars)).unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(conninfo: &str, vars: &[(&'static str, &str)]) -> String {
        ConnectSettings::resolve(conninfo, &env(vars))
            .map(|_| ())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn string_over_environment_over_defaults() {
        let s = resolve(
            "postgresql://app@db.example/appdb",
            &[
                ("PGHOST", "ignored"),
                ("PGPORT", "6543"),
                ("PGUSER", "ignored"),
                ("PGPASSWORD", "pw"),
                ("PGSSLMODE", "require"),
                ("PGAPPNAME", "svc"),
                ("PGCONNECT_TIMEOUT", "1"),
            ],
        );
        assert_eq!(
            s.targets,
            [Target {
                host: Host::Tcp("db.example".into()),
                hostaddr: None,
                port: 6543
            }]
        );
        assert_eq!(
            s.host_port_origin(),
            "from the connection string, port from PGPORT"
        );
        assert_eq!(s.user.value, "app");
        assert_eq!(s.user.origin, Origin::ConnString);
        assert_eq!(s.dbname.value, "appdb");
        assert_eq!(
            s.password,
            Some(Setting {
                value: "pw".into(),
                origin: Origin::Env("PGPASSWORD")
            })
        );
        assert_eq!(s.sslmode.value, SslMode::Require);
        assert_eq!(s.sslmode.origin, Origin::Env("PGSSLMODE"));
        assert_eq!(s.application_name.as_deref(), Some("svc"));
        // libpq rounds a timeout under 2 s up to 2 s.
        assert_eq!(
            s.connect_timeout.map(|t| t.value),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn an_empty_string_means_only_the_environment() {
        let s = resolve(
            "",
            &[
                ("PGHOST", "127.0.0.1"),
                ("PGPORT", "5588"),
                ("PGUSER", "app"),
                ("PGDATABASE", "libpq_db"),
                ("HOME", "/nonexistent-home"),
            ],
        );
        assert_eq!(s.targets[0].to_string(), "host 127.0.0.1:5588");
        assert_eq!(s.host_port_origin(), "from PGHOST/PGPORT");
        assert_eq!(s.dbname.origin, Origin::Env("PGDATABASE"));
        assert_eq!(s.sslmode.value, SslMode::Prefer);
        assert_eq!(
            s.passfile.map(|p| p.value),
            Some(PathBuf::from("/nonexistent-home/.pgpass"))
        );
        assert!(s.sslrootcert.is_none());
    }

    #[test]
    fn defaults_are_psqls() {
        let s = resolve("", &[]);
        assert_eq!(s.user.value, "osuser");
        assert_eq!(s.user.origin, Origin::Default);
        // The database defaults to the user name.
        assert_eq!(s.dbname.value, "osuser");
        assert_eq!(s.targets.len(), 1);
        assert!(s.targets[0].is_socket());
        assert_eq!(s.targets[0].port, 5432);
        assert_eq!(s.targets[0].pgpass_host(), "localhost");
    }

    #[test]
    fn host_lists_sockets_and_ports() {
        let s = resolve("host=a,/tmp/sock,::1 port=1,2,3", &[]);
        assert_eq!(
            s.targets.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            [
                "host a:1",
                "Unix socket /tmp/sock/.s.PGSQL.2",
                "host [::1]:3"
            ]
        );
        let s = resolve("postgresql://a,b:7/db", &[("PGPORT", "9")]);
        assert_eq!(
            s.targets.iter().map(|t| t.port).collect::<Vec<_>>(),
            [5432, 7]
        );
        let s = resolve("host=a,b", &[("PGPORT", "9")]);
        assert_eq!(s.targets.iter().map(|t| t.port).collect::<Vec<_>>(), [9, 9]);
        let s = resolve("hostaddr=127.0.0.1 host=localhost", &[]);
        assert_eq!(
            s.targets[0].to_string(),
            "host localhost (address 127.0.0.1) port 5432"
        );
        assert!(error("host=a,b port=1,2,3", &[]).contains("3 port numbers"));
        assert!(error("hostaddr=nope", &[])
            .contains("hostaddr=nope (from the connection string) is not a list of IP addresses"));
    }

    #[test]
    fn ssl_settings_follow_libpq() {
        let s = resolve(
            "sslrootcert=~/ca.pem sslcert=/c.pem sslkey=/k.pem sslmode=verify-ca",
            &[("HOME", "/home/me")],
        );
        assert_eq!(
            s.sslrootcert.map(|r| r.value),
            Some(RootCert::File("/home/me/ca.pem".into()))
        );
        assert_eq!(s.sslcert.map(|r| r.value), Some("/c.pem".into()));
        assert_eq!(s.sslkey.map(|r| r.value), Some("/k.pem".into()));
        // sslrootcert=system: verify-full by default, weaker modes refused.
        let s = resolve("", &[("PGSSLROOTCERT", "system")]);
        assert_eq!(s.sslmode.value, SslMode::VerifyFull);
        let err = error("sslmode=require sslrootcert=system", &[]);
        assert!(err.contains("use sslmode=verify-full"), "{err}");
        let err = error("", &[("PGSSLMODE", "verify")]);
        assert!(
            err.contains("sslmode=verify (from PGSSLMODE) is not one of"),
            "{err}"
        );
    }

    #[test]
    fn unknown_and_unsupported_settings_are_named() {
        let err = error("host=h colour=blue", &[]);
        assert!(err.contains("unknown setting `colour`"), "{err}");
        let err = error("service=prod", &[]);
        assert!(
            err.contains("`service` is a libpq setting pgdecl does not support"),
            "{err}"
        );
        let err = error("postgresql://h/db?sslmode=require&password=x&foo=1", &[]);
        assert!(err.contains("unknown setting `foo`"), "{err}");
        let err = error("postgresql://h/db?port=abc", &[]);
        assert!(
            err.contains("port=abc (from the connection string) is not a port number"),
            "{err}"
        );
    }

    #[test]
    fn describe_never_shows_the_password() {
        let s = resolve("postgresql://u:hunter2@h:1/d", &[]);
        let text = s.describe();
        assert!(!text.contains("hunter2"), "{text}");
        assert_eq!(
            text,
            "host h:1 from the connection string, user u from the connection string, database d from the connection string, sslmode prefer by default"
        );
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
