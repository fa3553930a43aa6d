//! A throwaway cluster: `initdb`, a private socket directory, the server process, and the
//! watchdog that removes both when the test process ends.

use std::fmt;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use postgres::{Client, NoTls};

use super::{binaries::*, database::*, error::*, server::*};

/// How long [`TempCluster::start`] waits for the new server to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The port number of the throwaway server. It only names the socket file
/// (`.s.PGSQL.<port>`) inside a private directory, so it cannot clash with another server.
pub(super) const PORT: u16 = 5432;

/// The superuser `initdb` creates, and the role test connections use.
pub(super) const SUPERUSER: &str = "postgres";

/// The OS user the server runs as when the test process is root.
pub(super) const OS_USER: &str = "postgres";

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
    port: u16,
    tcp: bool,
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
pub(super) struct OsUser {
    pub(super) uid: u32,
    pub(super) gid: u32,
}

impl TempCluster {
    /// Creates and starts a new cluster, and waits (up to 30 s) until it accepts connections.
    ///
    /// Takes a second or two: prefer [`TempCluster::shared`] or [`TestServer::shared`] in
    /// tests, and a database per test.
    pub fn start() -> Result<TempCluster, ClusterError> {
        TempCluster::start_with(&ClusterOptions::default())
    }

    /// [`TempCluster::start`] with `options`: TCP on 127.0.0.1, server settings, files in
    /// the data directory (certificates), and a `pg_hba.conf` of the test's own.
    pub fn start_with(options: &ClusterOptions) -> Result<TempCluster, ClusterError> {
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

        for (name, contents) in &options.files {
            let path = data_dir.join(name);
            fs::write(&path, contents).map_err(io_error(format!("write {}", path.display())))?;
            // The server refuses a private key that others may read.
            set_mode(&path, 0o600)?;
            if let Some(user) = &run_as {
                std::os::unix::fs::chown(&path, Some(user.uid), Some(user.gid))
                    .map_err(io_error(format!("chown {} to {OS_USER}", path.display())))?;
            }
        }
        if let Some(hba) = &options.hba {
            let path = data_dir.join("pg_hba.conf");
            fs::write(&path, hba).map_err(io_error(format!("write {}", path.display())))?;
        }
        let port = if options.tcp { free_tcp_port()? } else { PORT };

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
            .arg(port.to_string())
            // By default no TCP at all: nothing to clash with, nothing reachable from outside.
            .args([
                "-c",
                if options.tcp {
                    "listen_addresses=127.0.0.1"
                } else {
                    "listen_addresses="
                },
            ])
            .args(
                options
                    .settings
                    .iter()
                    .flat_map(|(name, value)| ["-c".to_owned(), format!("{name}={value}")]),
            )
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

        let url = socket_url(&socket_dir, port, "postgres");
        wait_until_ready(server, &url, &log_path)?;

        Ok(TempCluster {
            binaries,
            dir,
            socket_dir,
            url,
            port,
            tcp: options.tcp,
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

    /// The port: it names the socket file in [`TempCluster::socket_dir`], and, for a cluster
    /// started with [`ClusterOptions::tcp`], is the TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The TCP port on 127.0.0.1, for a cluster started with [`ClusterOptions::tcp`].
    pub fn tcp_port(&self) -> Option<u16> {
        self.tcp.then_some(self.port)
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
pub(super) fn is_root() -> bool {
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

pub(super) fn postgres_os_user() -> Result<OsUser, ClusterError> {
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
pub(super) fn privilege_drop() -> Result<Vec<PathBuf>, ClusterError> {
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

pub(super) fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    // runuser lives in /usr/sbin, which a non-login root shell may not have on PATH.
    let extra = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from);
    std::env::split_paths(&path)
        .chain(extra)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

pub(super) fn set_mode(path: &Path, mode: u32) -> Result<(), ClusterError> {
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

pub(super) fn read_tail(path: &Path) -> String {
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

/// What a [`TempCluster::start_with`] cluster has beyond the defaults. For tests of
/// connections: TCP, TLS (certificate files and `ssl=on`), authentication rules.
///
/// ```no_run
/// use schema_runtime::testkit::{ClusterOptions, TempCluster};
///
/// # let (cert_pem, key_pem) = (String::new(), String::new());
/// let cluster = TempCluster::start_with(
///     &ClusterOptions::default()
///         .tcp()
///         .data_file("server.crt", cert_pem)
///         .data_file("server.key", key_pem)
///         .setting("ssl", "on")
///         .hba("local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n"),
/// )?;
/// let port = cluster.tcp_port().expect("listens on TCP");
/// # Ok::<(), schema_runtime::testkit::ClusterError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    tcp: bool,
    settings: Vec<(String, String)>,
    files: Vec<(String, Vec<u8>)>,
    hba: Option<String>,
}

impl ClusterOptions {
    /// Listen on 127.0.0.1 too, on a free port (see [`TempCluster::tcp_port`]).
    pub fn tcp(mut self) -> ClusterOptions {
        self.tcp = true;
        self
    }

    /// A server setting, passed as `-c name=value` (`ssl`, `ssl_cert_file`, ...).
    pub fn setting(mut self, name: &str, value: &str) -> ClusterOptions {
        self.settings.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A file written into the data directory before the server starts, mode 0600 and owned
    /// by the server's OS user (so a private key is accepted); relative paths in settings
    /// such as `ssl_cert_file` are read from there.
    pub fn data_file(mut self, name: &str, contents: impl Into<Vec<u8>>) -> ClusterOptions {
        self.files.push((name.to_owned(), contents.into()));
        self
    }

    /// The whole `pg_hba.conf`, instead of `initdb`'s (trust for everyone). Keep a
    /// `local all all trust` line: the harness connects over the socket as `postgres`.
    pub fn hba(mut self, contents: &str) -> ClusterOptions {
        self.hba = Some(contents.to_owned());
        self
    }
}

/// A TCP port on 127.0.0.1 that nobody listens on now (the kernel's pick).
fn free_tcp_port() -> Result<u16, ClusterError> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(io_error("find a free TCP port on 127.0.0.1"))
}
