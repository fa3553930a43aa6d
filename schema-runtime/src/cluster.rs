//! Throwaway PostgreSQL servers for tests and examples.
//!
//! Tests that talk to a real server need one that is cheap, private and gone when the test
//! process ends. This module starts one from the locally installed PostgreSQL binaries
//! ([`TempCluster`]), or, when `DATABASE_URL` is set, uses an existing server instead
//! ([`TestServer`]). Either way each test gets its own database ([`TestDatabase`]), so tests
//! can run in parallel without seeing each other's objects.
//!
//! ```no_run
//! use schema_runtime::cluster::TestServer;
//!
//! // One server per test process: a throwaway cluster, or the one in DATABASE_URL.
//! let db = TestServer::shared().create_database("my_test").expect("test database");
//! let mut client = db.connect();
//! let one: i32 = client.query_one("select 1", &[]).unwrap().get(0);
//! assert_eq!(one, 1);
//!
//! // The command line tools of the same installation, already pointed at the database.
//! let out = db.pg_dump_command().arg("--schema-only").output().unwrap();
//! assert!(out.status.success());
//! ```
//!
//! # How the throwaway cluster works
//!
//! * Binaries come from `PG_BIN`, then `pg_config --bindir`, then the newest
//!   `/usr/lib/postgresql/*/bin` (Debian and Ubuntu keep `initdb` there, off `PATH`).
//! * `initdb` (trust authentication, superuser `postgres`, UTF8, C locale, no fsync) writes a
//!   data directory in a fresh temporary directory; the server listens only on a Unix socket in
//!   that directory, with durability switched off, since the data is thrown away.
//! * PostgreSQL refuses to run as root. When the test process is root, `initdb` and `postgres`
//!   run as the `postgres` OS user (through `setpriv`, or `runuser`), and the directories are
//!   handed to that user. Client tools keep running as root: they connect over the socket.
//! * The server must not outlive the test process, and test binaries never drop statics, so
//!   cleanup cannot rely on [`Drop`] alone. A tiny shell watchdog is started before anything
//!   else, holding the read end of a pipe whose write end only this process has. When this
//!   process exits, however it exits (even `SIGKILL`), the kernel closes the write end; the
//!   watchdog then stops the server (immediate shutdown) and deletes the temporary directory.
//!   Dropping a [`TempCluster`] closes the pipe too, and waits for the watchdog to finish.

pub use crate::error::redact_password;
use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use postgres::error::SqlState;
use postgres::{Client, NoTls};

/// How long [`TempCluster::start`] waits for the new server to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The port number of the throwaway server. It only names the socket file
/// (`.s.PGSQL.<port>`) inside a private directory, so it cannot clash with another server.
const PORT: u16 = 5432;

/// The superuser `initdb` creates, and the role test connections use.
const SUPERUSER: &str = "postgres";

/// The OS user the server runs as when the test process is root.
const OS_USER: &str = "postgres";

/// Unix socket paths are limited to about 107 bytes; stay well below.
const MAX_SOCKET_PATH: usize = 100;

/// Lines of server or `initdb` output to show in an error.
const TAIL_LINES: usize = 30;

/// Waits for this process to end (end of file on stdin), then stops the server and deletes
/// the cluster's directory. `$1` is that directory. Signals a terminal sends to its foreground
/// job (Ctrl-C, hang-up) are ignored: the watchdog lives in its own process group anyway, and
/// it must survive the test process to clean up after it.
const WATCHDOG: &str = r#"
trap '' INT HUP QUIT
read -r _ignored
[ -n "$1" ] || exit 1
pidfile="$1/data/postmaster.pid"
if [ -f "$pidfile" ]; then
    pid=$(head -n 1 "$pidfile")
    if [ -n "$pid" ]; then
        # Immediate shutdown. The postmaster removes its pid file once it and all its
        # children are gone; watch the file rather than the pid, which may be a zombie that
        # nobody has reaped yet.
        kill -QUIT "$pid" 2>/dev/null
        i=0
        while [ -f "$pidfile" ] && kill -0 "$pid" 2>/dev/null && [ "$i" -lt 200 ]; do
            sleep 0.05
            i=$((i + 1))
        done
        if [ -f "$pidfile" ] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null
        fi
    fi
fi
rm -rf -- "$1"
"#;

/// Everything that can go wrong starting or using a test server.
///
/// Each message says what failed and how to fix it. None of them contains a password:
/// connection strings are shown with their password replaced by `***`.
#[non_exhaustive]
pub enum ClusterError {
    /// No directory with the PostgreSQL server binaries (`initdb`, `postgres`) was found.
    NoBinaries {
        /// Where the search looked, and what it found there.
        searched: Vec<String>,
    },
    /// `PG_BIN` is set, but the directory lacks a program that is needed.
    BadPgBin {
        /// The value of `PG_BIN`.
        dir: PathBuf,
        /// The missing program.
        missing: String,
    },
    /// The test process runs as root, and there is no `postgres` OS user to run the server as.
    NoPostgresUser,
    /// The test process runs as root, and neither `setpriv` nor `runuser` is available to run
    /// the server as the `postgres` OS user.
    NoPrivilegeDrop,
    /// An operating system call failed (creating a directory, starting a program, ...).
    Io {
        /// What was being done.
        action: String,
        /// Why it failed.
        source: io::Error,
    },
    /// `initdb` failed.
    Initdb {
        /// Its exit status.
        status: ExitStatus,
        /// The end of its output.
        output: String,
    },
    /// The server exited while starting up.
    ServerExited {
        /// Its exit status.
        status: ExitStatus,
        /// The end of the server log.
        log_tail: String,
    },
    /// The server did not accept connections in time.
    StartTimeout {
        /// How long we waited.
        waited: Duration,
        /// The last connection error.
        last_error: String,
        /// The end of the server log.
        log_tail: String,
    },
    /// Connecting to the server failed.
    Connect {
        /// The connection string, password removed.
        target: String,
        /// Why it failed.
        source: postgres::Error,
    },
    /// The role in `DATABASE_URL` may not create databases, so tests cannot get their own.
    NoCreatedb {
        /// The role.
        role: String,
        /// The connection string, password removed.
        target: String,
    },
    /// A statement against the server failed.
    Sql {
        /// What was being done.
        action: String,
        /// The connection string, password removed.
        target: String,
        /// Why it failed.
        source: postgres::Error,
    },
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterError::NoBinaries { searched } => {
                write!(
                    f,
                    "no PostgreSQL binaries found: install postgresql (apt-get install -y \
                     postgresql) or set PG_BIN to the directory holding initdb"
                )?;
                for place in searched {
                    write!(f, "\n  looked at {place}")?;
                }
                Ok(())
            }
            ClusterError::BadPgBin { dir, missing } => write!(
                f,
                "PG_BIN is {} but it holds no `{missing}`: set PG_BIN to the directory holding \
                 initdb (for example the output of `pg_config --bindir`), or unset it",
                dir.display()
            ),
            ClusterError::NoPostgresUser => write!(
                f,
                "tests run as root, and PostgreSQL refuses to run as root, but there is no \
                 `{OS_USER}` OS user to run it as: install postgresql (which creates that \
                 user), create it (useradd --system {OS_USER}), or run the tests as a \
                 non-root user"
            ),
            ClusterError::NoPrivilegeDrop => write!(
                f,
                "tests run as root, and PostgreSQL refuses to run as root, but neither \
                 `setpriv` nor `runuser` is on PATH to run it as the `{OS_USER}` user: \
                 install util-linux, or run the tests as a non-root user"
            ),
            ClusterError::Io { action, source } => write!(f, "could not {action}: {source}"),
            ClusterError::Initdb { status, output } => write!(
                f,
                "initdb failed ({status}); its output ends with:\n{output}"
            ),
            ClusterError::ServerExited { status, log_tail } => write!(
                f,
                "the throwaway PostgreSQL server exited while starting ({status}); \
                 its log ends with:\n{log_tail}"
            ),
            ClusterError::StartTimeout {
                waited,
                last_error,
                log_tail,
            } => write!(
                f,
                "the throwaway PostgreSQL server did not accept connections within {}s \
                 (last error: {last_error}); its log ends with:\n{log_tail}",
                waited.as_secs()
            ),
            ClusterError::Connect { target, source } => write!(
                f,
                "could not connect to {target}: {}: check that the server is running \
                 and that DATABASE_URL (if set) is right",
                describe(source)
            ),
            ClusterError::NoCreatedb { role, target } => write!(
                f,
                "role `{role}` on {target} may not create databases, and each test needs its \
                 own: run `ALTER ROLE \"{role}\" CREATEDB` as a superuser, point DATABASE_URL \
                 at a role that can, or unset DATABASE_URL to use a throwaway server"
            ),
            ClusterError::Sql {
                action,
                target,
                source,
            } => write!(f, "could not {action} on {target}: {}", describe(source)),
        }
    }
}

// `unwrap()` and `expect()` in tests print the Debug form; make it the readable message
// (with its multi-line log tails) rather than a struct dump.
impl fmt::Debug for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for ClusterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClusterError::Io { source, .. } => Some(source),
            ClusterError::Connect { source, .. } | ClusterError::Sql { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A postgres error with its causes: its own Display says only "db error" or "error
/// connecting to server", and the useful part (the server's message, the OS error) is in
/// the source chain.
fn describe(err: &postgres::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn io_error(action: impl Into<String>) -> impl FnOnce(io::Error) -> ClusterError {
    let action = action.into();
    move |source| ClusterError::Io { action, source }
}

/// A directory holding PostgreSQL programs (`initdb`, `postgres`, `psql`, `pg_dump`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    dir: PathBuf,
}

impl PgBinaries {
    /// Finds the server binaries: the first of `PG_BIN`, `pg_config --bindir`, and the newest
    /// `/usr/lib/postgresql/*/bin` that holds `initdb` and `postgres`.
    ///
    /// A `PG_BIN` that lacks them is an error rather than skipped: it was set on purpose.
    pub fn find() -> Result<PgBinaries, ClusterError> {
        Self::search(&["initdb", "postgres"])
    }

    /// Like [`PgBinaries::find`], for a machine that may only have the client tools (`psql`,
    /// `pg_dump`): used with a server from `DATABASE_URL`.
    pub fn find_clients() -> Result<PgBinaries, ClusterError> {
        Self::search(&["psql", "pg_dump"])
    }

    /// Uses `dir` as is, without checking what it holds.
    pub fn at(dir: impl Into<PathBuf>) -> PgBinaries {
        PgBinaries { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of program `name` in this directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// A [`Command`] for program `name` in this directory, without arguments.
    pub fn command(&self, name: &str) -> Command {
        Command::new(self.path(name))
    }

    fn holds(dir: &Path, programs: &[&str]) -> Result<(), String> {
        match programs.iter().find(|p| !dir.join(p).is_file()) {
            Some(missing) => Err((*missing).to_owned()),
            None => Ok(()),
        }
    }

    fn search(programs: &[&str]) -> Result<PgBinaries, ClusterError> {
        let mut searched = Vec::new();

        if let Some(dir) = std::env::var_os("PG_BIN").filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            return match Self::holds(&dir, programs) {
                Ok(()) => Ok(PgBinaries { dir }),
                Err(missing) => Err(ClusterError::BadPgBin { dir, missing }),
            };
        }
        searched.push("PG_BIN (not set)".to_owned());

        // On Debian, /usr/bin/pg_config may come from libpq-dev and name a bindir that only
        // holds the client tools; such a directory is skipped, not taken.
        match Command::new("pg_config")
            .arg("--bindir")
            .stderr(Stdio::null())
            .output()
        {
            Ok(out) if out.status.success() => {
                let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
                match Self::holds(&dir, programs) {
                    Ok(()) => return Ok(PgBinaries { dir }),
                    Err(missing) => searched.push(format!(
                        "`pg_config --bindir` = {} (no `{missing}` there)",
                        dir.display()
                    )),
                }
            }
            Ok(out) => searched.push(format!("`pg_config --bindir` (failed: {})", out.status)),
            Err(err) => searched.push(format!("`pg_config --bindir` ({err})")),
        }

        let mut versions: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name();
                let version = name
                    .to_str()?
                    .split('.')
                    .map(|part| part.parse().ok())
                    .collect::<Option<Vec<u32>>>()?;
                Some((version, entry.path().join("bin")))
            })
            .collect();
        // Newest first, so that a machine with several majors uses the one it was upgraded to.
        versions.sort_by(|a, b| b.0.cmp(&a.0));
        for (_, dir) in &versions {
            if Self::holds(dir, programs).is_ok() {
                return Ok(PgBinaries { dir: dir.clone() });
            }
        }
        searched.push(if versions.is_empty() {
            "/usr/lib/postgresql/*/bin (none)".to_owned()
        } else {
            format!(
                "/usr/lib/postgresql/*/bin (none holds {})",
                programs.join(" and ")
            )
        });

        Err(ClusterError::NoBinaries { searched })
    }
}

/// A throwaway PostgreSQL cluster: its own data directory and server process, reachable only
/// through a Unix socket in a private temporary directory, as superuser `postgres` without
/// password.
///
/// Dropping it stops the server and deletes the directory; so does the end of the process if
/// it is never dropped (see the [module documentation](self)).
pub struct TempCluster {
    binaries: PgBinaries,
    dir: PathBuf,
    socket_dir: PathBuf,
    url: String,
    // Never read: dropping it is what stops the server (see `Guard`).
    _guard: Guard,
}

/// Owns the processes of a cluster, so that a half-started cluster is cleaned up too.
struct Guard {
    /// The write end of the watchdog's stdin; closing it starts the cleanup.
    pipe: Option<ChildStdin>,
    watchdog: Child,
    /// The server, or the `setpriv`/`runuser` wrapper running it.
    server: Option<Child>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        drop(self.pipe.take());
        let _ = self.watchdog.wait();
        if let Some(server) = &mut self.server {
            // The watchdog has stopped the server; reap it. Should the watchdog have been
            // killed, kill the server here rather than block.
            if !matches!(server.try_wait(), Ok(Some(_))) {
                let _ = server.kill();
                let _ = server.wait();
            }
        }
    }
}

/// The identity the server runs as when the test process is root.
struct OsUser {
    uid: u32,
    gid: u32,
}

impl TempCluster {
    /// Creates and starts a new cluster, and waits (up to 30 s) until it accepts connections.
    ///
    /// Takes a second or two: prefer [`TempCluster::shared`] or [`TestServer::shared`] in
    /// tests, and a database per test.
    pub fn start() -> Result<TempCluster, ClusterError> {
        let binaries = PgBinaries::find()?;
        let run_as = if is_root() {
            Some(postgres_os_user()?)
        } else {
            None
        };
        let wrapper = match run_as {
            Some(_) => Some(privilege_drop()?),
            None => None,
        };

        let dir = make_private_dir(run_as.is_some())?;
        let mut guard = spawn_watchdog(&dir)?;

        let data_dir = dir.join("data");
        let socket_dir = dir.join("socket");
        for sub in [&data_dir, &socket_dir] {
            fs::create_dir(sub).map_err(io_error(format!("create {}", sub.display())))?;
            if let Some(user) = &run_as {
                std::os::unix::fs::chown(sub, Some(user.uid), Some(user.gid))
                    .map_err(io_error(format!("chown {} to {OS_USER}", sub.display())))?;
            }
        }
        // initdb insists on 0700 or 0750 for the data directory; it fixes an existing one.
        set_mode(&data_dir, 0o700)?;
        set_mode(&socket_dir, 0o755)?;

        let as_server_user = |program: &Path| -> Command {
            let mut cmd = match &wrapper {
                Some(w) => {
                    let mut cmd = Command::new(&w[0]);
                    cmd.args(&w[1..]).arg(program);
                    cmd
                }
                None => Command::new(program),
            };
            // The server user may not be able to enter the test's working directory.
            cmd.current_dir(&dir);
            cmd
        };

        let initdb = as_server_user(&binaries.path("initdb"))
            .arg("-D")
            .arg(&data_dir)
            .args([
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .stdin(Stdio::null())
            .output()
            .map_err(io_error(format!(
                "run {}",
                binaries.path("initdb").display()
            )))?;
        if !initdb.status.success() {
            let mut output = String::from_utf8_lossy(&initdb.stdout).into_owned();
            output.push_str(&String::from_utf8_lossy(&initdb.stderr));
            return Err(ClusterError::Initdb {
                status: initdb.status,
                output: tail(&output, TAIL_LINES),
            });
        }

        let log_path = dir.join("server.log");
        let log = fs::File::create(&log_path)
            .map_err(io_error(format!("create {}", log_path.display())))?;
        let log2 = log
            .try_clone()
            .map_err(io_error("duplicate the server log handle"))?;
        let server = as_server_user(&binaries.path("postgres"))
            .arg("-D")
            .arg(&data_dir)
            .arg("-k")
            .arg(&socket_dir)
            .arg("-p")
            .arg(PORT.to_string())
            // No TCP at all: nothing to clash with, nothing reachable from outside.
            .args(["-c", "listen_addresses="])
            // The data is thrown away: durability only costs time.
            .args(["-c", "fsync=off"])
            .args(["-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off"])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            // Out of the terminal's foreground group: Ctrl-C on the tests should not make
            // the server log a shutdown; the watchdog stops it.
            .process_group(0)
            .spawn()
            .map_err(io_error(format!(
                "start {}",
                binaries.path("postgres").display()
            )))?;
        let server = guard.server.insert(server);

        let url = socket_url(&socket_dir, PORT, "postgres");
        wait_until_ready(server, &url, &log_path)?;

        Ok(TempCluster {
            binaries,
            dir,
            socket_dir,
            url,
            _guard: guard,
        })
    }

    /// The cluster of this process, started on first use.
    ///
    /// # Panics
    ///
    /// If the cluster cannot start, with the reason and the fix. Meant for tests, where
    /// that is the right outcome; use [`TempCluster::try_shared`] to handle the error.
    #[track_caller] // the panic names the test's line, not this one
    pub fn shared() -> &'static TempCluster {
        match Self::try_shared() {
            Ok(cluster) => cluster,
            Err(err) => panic!("cannot start a throwaway PostgreSQL server for tests: {err}"),
        }
    }

    /// The cluster of this process, started on first use, or the reason it could not start
    /// (the same error on every call: there is one attempt per process).
    pub fn try_shared() -> Result<&'static TempCluster, &'static ClusterError> {
        static SHARED: OnceLock<Result<TempCluster, ClusterError>> = OnceLock::new();
        SHARED.get_or_init(TempCluster::start).as_ref()
    }

    /// A connection URL for the `postgres` database, usable by [`postgres::Client::connect`]
    /// and by the command line tools alike.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A connection URL for database `dbname` of this cluster.
    pub fn url_for(&self, dbname: &str) -> String {
        database_url(&self.url, dbname)
    }

    /// Connects to the `postgres` database as superuser.
    pub fn connect(&self) -> Result<Client, ClusterError> {
        connect(&self.url)
    }

    /// Creates a database of its own for one test; see [`TestServer::create_database`].
    pub fn create_database(&self, prefix: &str) -> Result<TestDatabase, ClusterError> {
        create_database(&self.url, Some(&self.binaries), prefix)
    }

    /// The binaries the cluster runs from.
    pub fn binaries(&self) -> &PgBinaries {
        &self.binaries
    }

    /// A [`Command`] for program `name` (`psql`, `pg_dump`, ...) of the same installation,
    /// without arguments.
    pub fn bin(&self, name: &str) -> Command {
        self.binaries.command(name)
    }

    /// The temporary directory holding everything: `data/`, `socket/` and `server.log`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// The directory of the server's Unix socket (the `host` of a connection).
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The port, which only names the socket file in [`TempCluster::socket_dir`].
    pub fn port(&self) -> u16 {
        PORT
    }

    /// The server log.
    pub fn log_file(&self) -> PathBuf {
        self.dir.join("server.log")
    }
}

impl fmt::Debug for TempCluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TempCluster")
            .field("url", &self.url)
            .field("binaries", &self.binaries.dir)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

// Dropping the `guard` field does the work: it closes the watchdog's pipe and waits for the
// watchdog to stop the server and delete the directory.

/// Whether this process runs with effective user id 0.
fn is_root() -> bool {
    // /proc/self/status: "Uid:\t<real>\t<effective>\t<saved>\t<fs>".
    if let Ok(status) = fs::read_to_string("/proc/self/status") {
        if let Some(line) = status.lines().find(|l| l.starts_with("Uid:")) {
            return line.split_whitespace().nth(2) == Some("0");
        }
    }
    // No procfs (not Linux): ask id(1), which prints the effective uid.
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn postgres_os_user() -> Result<OsUser, ClusterError> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id")
            .args([flag, OS_USER])
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    match (id("-u"), id("-g")) {
        (Some(uid), Some(gid)) => Ok(OsUser { uid, gid }),
        _ => Err(ClusterError::NoPostgresUser),
    }
}

/// The command prefix that runs a program as the `postgres` OS user.
///
/// `setpriv` first: it changes identity and execs, so the child we hold is the server itself.
/// `runuser` stays around as the parent of the program; that works as well.
fn privilege_drop() -> Result<Vec<PathBuf>, ClusterError> {
    if let Some(setpriv) = find_on_path("setpriv") {
        return Ok(vec![
            setpriv,
            format!("--reuid={OS_USER}").into(),
            format!("--regid={OS_USER}").into(),
            "--init-groups".into(),
            "--".into(),
        ]);
    }
    if let Some(runuser) = find_on_path("runuser") {
        return Ok(vec![runuser, "-u".into(), OS_USER.into(), "--".into()]);
    }
    Err(ClusterError::NoPrivilegeDrop)
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    // runuser lives in /usr/sbin, which a non-login root shell may not have on PATH.
    let extra = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from);
    std::env::split_paths(&path)
        .chain(extra)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn set_mode(path: &Path, mode: u32) -> Result<(), ClusterError> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(io_error(format!("chmod {} {mode:o}", path.display())))
}

/// Creates a new directory for a cluster under the temporary directory.
///
/// When the server runs as another user (`traversable`), that user must be able to enter it.
fn make_private_dir(traversable: bool) -> Result<PathBuf, ClusterError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut base = std::env::temp_dir();
    // The socket path must stay short; a long TMPDIR (macOS, nested CI dirs) would break it.
    let longest = base.join("pgdecl-pg-4294967295-999-999999999/socket/.s.PGSQL.65535");
    if longest.as_os_str().len() > MAX_SOCKET_PATH {
        base = PathBuf::from("/tmp");
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!("pgdecl-pg-{}-{n}-{nanos}", std::process::id()));
        // create_dir fails if the name exists, so the directory is ours alone.
        match fs::create_dir(&dir) {
            Ok(()) => {
                set_mode(&dir, if traversable { 0o755 } else { 0o700 })?;
                return Ok(dir);
            }
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(io_error(format!("create {}", dir.display()))(err)),
        }
    }
}

fn spawn_watchdog(dir: &Path) -> Result<Guard, ClusterError> {
    let watchdog = Command::new("/bin/sh")
        .arg("-c")
        .arg(WATCHDOG)
        .arg("pgdecl-cluster-watchdog")
        .arg(dir)
        // std creates this pipe close-on-exec: no other child inherits the write end, so it
        // closes exactly when this process lets go of it.
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .current_dir("/")
        .process_group(0)
        .spawn();
    let mut watchdog = match watchdog {
        Ok(child) => child,
        Err(err) => {
            // Without a watchdog nothing would delete the directory: do it now.
            let _ = fs::remove_dir_all(dir);
            return Err(io_error("start the cleanup watchdog (/bin/sh)")(err));
        }
    };
    Ok(Guard {
        pipe: watchdog.stdin.take(),
        watchdog,
        server: None,
    })
}

fn wait_until_ready(server: &mut Child, url: &str, log: &Path) -> Result<(), ClusterError> {
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = server.try_wait() {
            return Err(ClusterError::ServerExited {
                status,
                log_tail: read_tail(log),
            });
        }
        let last_error = match Client::connect(url, NoTls) {
            Ok(_) => return Ok(()),
            Err(err) => describe(&err),
        };
        if started.elapsed() > START_TIMEOUT {
            return Err(ClusterError::StartTimeout {
                waited: START_TIMEOUT,
                last_error,
                log_tail: read_tail(log),
            });
        }
        thread::sleep(Duration::from_millis(20));
    }
}

fn read_tail(path: &Path) -> String {
    // The log of a failed start is short, but read only its end in case it is not.
    let mut buf = Vec::new();
    if let Ok(mut file) = fs::File::open(path) {
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = file.seek(SeekFrom::Start(len.saturating_sub(64 * 1024)));
        let _ = file.read_to_end(&mut buf);
    }
    tail(&String::from_utf8_lossy(&buf), TAIL_LINES)
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..]
        .iter()
        .map(|l| format!("  | {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A PostgreSQL server for tests: a [`TempCluster`], or the existing server `DATABASE_URL`
/// names. Tests ask it for databases of their own and need not know which one it is.
pub struct TestServer {
    kind: ServerKind,
}

enum ServerKind {
    Owned(TempCluster),
    Shared(&'static TempCluster),
    External {
        url: String,
        binaries: Option<PgBinaries>,
    },
}

impl TestServer {
    /// The server `DATABASE_URL` names if it is set (and not empty), else a new
    /// [`TempCluster`].
    pub fn from_env_or_start() -> Result<TestServer, ClusterError> {
        match database_url_from_env() {
            Some(url) => TestServer::external(&url),
            None => Ok(TestServer {
                kind: ServerKind::Owned(TempCluster::start()?),
            }),
        }
    }

    /// An existing server: `url` is a `postgres://` URL or a `key=value` connection string,
    /// for a role that may create databases (checked here, so that a missing privilege shows
    /// once, clearly, instead of in every test).
    ///
    /// The client tools come from [`PgBinaries::find_clients`], else from `PATH`.
    pub fn external(url: &str) -> Result<TestServer, ClusterError> {
        let mut client = connect(url)?;
        let row = client
            .query_one(
                "select current_user::text, rolcreatedb or rolsuper \
                 from pg_roles where rolname = current_user",
                &[],
            )
            .map_err(|source| ClusterError::Sql {
                action: "look up the privileges of the connecting role".to_owned(),
                target: redact_password(url),
                source,
            })?;
        let (role, can_create): (String, bool) = (row.get(0), row.get(1));
        if !can_create {
            return Err(ClusterError::NoCreatedb {
                role,
                target: redact_password(url),
            });
        }
        Ok(TestServer {
            kind: ServerKind::External {
                url: url.to_owned(),
                binaries: PgBinaries::find_clients().ok(),
            },
        })
    }

    /// The server of this process, chosen on first use: the one in `DATABASE_URL`, else
    /// [`TempCluster::shared`] (so both accessors share one cluster).
    ///
    /// # Panics
    ///
    /// If there is no usable server, with the reason and the fix. Meant for tests; use
    /// [`TestServer::try_shared`] to handle the error.
    #[track_caller] // the panic names the test's line, not this one
    pub fn shared() -> &'static TestServer {
        match Self::try_shared() {
            Ok(server) => server,
            Err(err) => panic!("no PostgreSQL server for tests: {err}"),
        }
    }

    /// The server of this process, chosen on first use, or the reason there is none (the
    /// same error on every call: there is one attempt per process).
    pub fn try_shared() -> Result<&'static TestServer, &'static ClusterError> {
        // `None` as the error: the shared cluster failed, and its own OnceLock holds why
        // (taking it out would need a second, different, attempt).
        static SHARED: OnceLock<Result<TestServer, Option<ClusterError>>> = OnceLock::new();
        let shared = SHARED.get_or_init(|| match database_url_from_env() {
            Some(url) => TestServer::external(&url).map_err(Some),
            None => match TempCluster::try_shared() {
                Ok(cluster) => Ok(TestServer {
                    kind: ServerKind::Shared(cluster),
                }),
                Err(_) => Err(None),
            },
        });
        match shared {
            Ok(server) => Ok(server),
            Err(Some(err)) => Err(err),
            Err(None) => Err(TempCluster::try_shared().expect_err("it failed to start before")),
        }
    }

    /// The throwaway cluster, unless the server came from `DATABASE_URL`.
    pub fn temp_cluster(&self) -> Option<&TempCluster> {
        match &self.kind {
            ServerKind::Owned(cluster) => Some(cluster),
            ServerKind::Shared(cluster) => Some(cluster),
            ServerKind::External { .. } => None,
        }
    }

    /// The connection string of the server's administrative database. It holds the password
    /// of `DATABASE_URL`, if any: show [`redact_password`] of it instead.
    pub fn url(&self) -> &str {
        match &self.kind {
            ServerKind::Owned(cluster) => cluster.url(),
            ServerKind::Shared(cluster) => cluster.url(),
            ServerKind::External { url, .. } => url,
        }
    }

    /// Connects to the server's administrative database.
    pub fn connect(&self) -> Result<Client, ClusterError> {
        connect(self.url())
    }

    /// Creates a database of its own for one test, named `<prefix>_<pid>_<n>` (the prefix
    /// lowercased, with characters other than `a-z0-9_` replaced by `_`), from `template0`,
    /// UTF8, C collation, so that tests see the same database whatever the server defaults.
    ///
    /// The database is dropped when the returned value is, unless the test is panicking:
    /// then it stays for inspection (on an external server; a throwaway cluster goes away
    /// with the process anyway).
    pub fn create_database(&self, prefix: &str) -> Result<TestDatabase, ClusterError> {
        match &self.kind {
            ServerKind::Owned(cluster) => cluster.create_database(prefix),
            ServerKind::Shared(cluster) => cluster.create_database(prefix),
            ServerKind::External { url, binaries } => {
                create_database(url, binaries.as_ref(), prefix)
            }
        }
    }
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ServerKind::External { url, .. } => f
                .debug_struct("TestServer")
                .field("url", &redact_password(url))
                .finish_non_exhaustive(),
            _ => f
                .debug_struct("TestServer")
                .field("cluster", &self.temp_cluster())
                .finish(),
        }
    }
}

fn database_url_from_env() -> Option<String> {
    std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty())
}

fn connect(url: &str) -> Result<Client, ClusterError> {
    Client::connect(url, NoTls).map_err(|source| ClusterError::Connect {
        target: redact_password(url),
        source,
    })
}

fn create_database(
    admin_url: &str,
    binaries: Option<&PgBinaries>,
    prefix: &str,
) -> Result<TestDatabase, ClusterError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut client = connect(admin_url)?;
    let prefix = sanitize_prefix(prefix);
    loop {
        let suffix = format!(
            "_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        // PostgreSQL truncates names to 63 bytes; truncate the prefix so the suffix,
        // which makes the name unique, survives. The prefix is ASCII, so any cut is valid.
        let keep = prefix.len().min(63 - suffix.len());
        let name = format!("{}{suffix}", &prefix[..keep]);
        let sql = format!(
            "CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' \
             LC_COLLATE 'C' LC_CTYPE 'C'"
        );
        match client.batch_execute(&sql) {
            Ok(()) => {
                return Ok(TestDatabase {
                    url: database_url(admin_url, &name),
                    name,
                    admin_url: admin_url.to_owned(),
                    binaries: binaries.cloned(),
                    keep: false,
                });
            }
            // Left over from an earlier run whose process had the same id, or made by
            // another machine sharing the server: take the next number.
            Err(err) if err.code() == Some(&SqlState::DUPLICATE_DATABASE) => continue,
            Err(err) if err.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                return Err(ClusterError::NoCreatedb {
                    role: current_user(&mut client).unwrap_or_else(|| "?".to_owned()),
                    target: redact_password(admin_url),
                });
            }
            Err(source) => {
                return Err(ClusterError::Sql {
                    action: format!("create database {name}"),
                    target: redact_password(admin_url),
                    source,
                })
            }
        }
    }
}

fn current_user(client: &mut Client) -> Option<String> {
    let row = client.query_one("select current_user::text", &[]).ok()?;
    row.get(0)
}

fn sanitize_prefix(prefix: &str) -> String {
    let mut out: String = prefix
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_') => c,
            _ => '_',
        })
        .collect();
    if out.is_empty() {
        out.push_str("test");
    }
    out
}

/// A database of its own for one test, on a [`TestServer`] or [`TempCluster`].
///
/// Dropped (with `DROP DATABASE ... WITH (FORCE)`) when this value is dropped, unless the
/// thread is panicking or [`TestDatabase::keep`] was called.
pub struct TestDatabase {
    name: String,
    url: String,
    admin_url: String,
    binaries: Option<PgBinaries>,
    keep: bool,
}

impl TestDatabase {
    /// The database name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A connection string for this database, usable by [`postgres::Client::connect`] and by
    /// the command line tools (`psql -d <url>`). For a throwaway cluster it looks like
    /// `postgresql://postgres@/name?host=/tmp/pgdecl-pg-.../socket&port=5432`.
    ///
    /// It holds the password of `DATABASE_URL`, if any: show [`redact_password`] of it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Connects to this database.
    ///
    /// # Panics
    ///
    /// If the connection fails, with the reason. Meant for tests; use
    /// [`TestDatabase::try_connect`] to handle the error.
    #[track_caller] // the panic names the test's line, not this one
    pub fn connect(&self) -> Client {
        match self.try_connect() {
            Ok(client) => client,
            Err(err) => panic!("test database {}: {err}", self.name),
        }
    }

    /// Connects to this database.
    pub fn try_connect(&self) -> Result<Client, ClusterError> {
        connect(&self.url)
    }

    /// A [`Command`] for program `name` of the server's installation (from `PATH` if that
    /// is not known, or lacks the program), without arguments.
    pub fn bin(&self, name: &str) -> Command {
        match &self.binaries {
            Some(b) if b.path(name).is_file() => b.command(name),
            _ => Command::new(name),
        }
    }

    /// `psql` connected to this database: no `~/.psqlrc` (`-X`), quiet, and stopping at the
    /// first error with a failing exit status (`ON_ERROR_STOP`), so that a test sees a
    /// failure. Add `-c <sql>`, `-f <file>` or stdin.
    pub fn psql_command(&self) -> Command {
        let mut cmd = self.bin("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(&self.url);
        cmd
    }

    /// `pg_dump` of this database, to stdout. Add options such as `--schema-only`.
    pub fn pg_dump_command(&self) -> Command {
        let mut cmd = self.bin("pg_dump");
        cmd.arg("-d").arg(&self.url);
        cmd
    }

    /// Leaves the database in place when this value is dropped, for inspection.
    pub fn keep(&mut self) {
        self.keep = true;
    }
}

impl fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestDatabase")
            .field("name", &self.name)
            .field("url", &redact_password(&self.url))
            .finish_non_exhaustive()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if thread::panicking() {
            eprintln!(
                "test failed: keeping database {} on {} for inspection",
                self.name,
                redact_password(&self.admin_url)
            );
            return;
        }
        // Best effort: a failure here must not hide the test's own result.
        let result = connect(&self.admin_url).and_then(|mut client| {
            let name = &self.name;
            // WITH (FORCE) (PostgreSQL 13+) ends connections the test left open.
            match client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            {
                Err(err) if err.code() == Some(&SqlState::SYNTAX_ERROR) => {
                    client.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                }
                other => other,
            }
            .map_err(|source| ClusterError::Sql {
                action: format!("drop database {name}"),
                target: redact_password(&self.admin_url),
                source,
            })
        });
        if let Err(err) = result {
            eprintln!("warning: {err}");
        }
    }
}

/// A libpq URL for database `dbname` on a server reached through the Unix socket in `socket_dir`.
fn socket_url(socket_dir: &Path, port: u16, dbname: &str) -> String {
    format!(
        "postgresql://{SUPERUSER}@/{dbname}?host={}&port={port}",
        percent_encode(socket_dir.as_os_str())
    )
}

/// Percent-encodes a query value, leaving `/` readable: libpq and rust-postgres both decode it.
fn percent_encode(value: &OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for &b in value.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `url` with its database replaced by `dbname`. Works for `postgres://` URLs (the path is
/// replaced and any `dbname` query parameter removed) and for `key=value` strings (a `dbname`
/// is appended: the last one wins, in libpq and rust-postgres alike).
fn database_url(url: &str, dbname: &str) -> String {
    let Some((scheme, rest)) = split_scheme(url) else {
        return format!("{url} dbname={dbname}");
    };
    // Same reading as rust-postgres: credentials end at the first '@', the host at the
    // first '/' or '?' after it, the path at '?'.
    let host_start = rest.find('@').map_or(0, |at| at + 1);
    let host_end = rest[host_start..]
        .find(['/', '?'])
        .map_or(rest.len(), |i| host_start + i);
    let after_host = &rest[host_end..];
    let query = after_host.find('?').map(|q| &after_host[q + 1..]);
    let mut out = format!("{scheme}{}/{dbname}", &rest[..host_end]);
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("dbname="))
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}

fn split_scheme(url: &str) -> Option<(&str, &str)> {
    ["postgresql://", "postgres://"]
        .into_iter()
        .find_map(|scheme| url.strip_prefix(scheme).map(|rest| (scheme, rest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_url_passwords() {
        assert_eq!(
            redact_password("postgres://app:s3cret@db.example:5432/app?sslmode=disable"),
            "postgres://app:***@db.example:5432/app?sslmode=disable"
        );
        assert_eq!(
            redact_password("postgresql://app@host/db?password=s3cret&port=1"),
            "postgresql://app@host/db?password=***&port=1"
        );
        assert_eq!(
            redact_password("postgresql://host/db"),
            "postgresql://host/db"
        );
    }

    #[test]
    fn redacts_keyword_passwords() {
        assert_eq!(
            redact_password("host=h password=s3cret user=u"),
            "host=h password=*** user=u"
        );
        assert_eq!(
            redact_password("password = 'a \\' b' user=u"),
            "password=*** user=u"
        );
        assert_eq!(
            redact_password("user=password_holder dbname=x"),
            "user=password_holder dbname=x"
        );
    }

    #[test]
    fn replaces_the_database() {
        assert_eq!(
            database_url("postgres://u:p@h:1/old?sslmode=disable&dbname=x", "new"),
            "postgres://u:p@h:1/new?sslmode=disable"
        );
        assert_eq!(database_url("postgres://h", "new"), "postgres://h/new");
        assert_eq!(
            database_url("postgresql://u@/old?host=/tmp/s&port=5", "new"),
            "postgresql://u@/new?host=/tmp/s&port=5"
        );
        assert_eq!(
            database_url("host=h user=u", "new"),
            "host=h user=u dbname=new"
        );
    }

    #[test]
    fn socket_urls_parse_for_rust_postgres() {
        let url = socket_url(Path::new("/tmp/a b/sock"), 5432, "db");
        assert_eq!(
            url,
            "postgresql://postgres@/db?host=/tmp/a%20b/sock&port=5432"
        );
        let config: postgres::Config = url.parse().unwrap();
        assert_eq!(config.get_dbname(), Some("db"));
        assert_eq!(config.get_user(), Some("postgres"));
        assert_eq!(
            config.get_hosts(),
            [postgres::config::Host::Unix("/tmp/a b/sock".into())]
        );
    }

    #[test]
    fn sanitizes_prefixes() {
        assert_eq!(sanitize_prefix("My-Test::case"), "my_test__case");
        assert_eq!(sanitize_prefix(""), "test");
    }
}
