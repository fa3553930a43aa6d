//! A real PgBouncer in transaction pooling mode in front of a [`TempCluster`], so tests can
//! prove that pgdecl keeps no state on a server connection between its transactions (PgBouncer
//! hands that connection to another client as soon as a transaction ends).
//!
//! It listens only on a Unix socket in a directory of the cluster's temporary directory (no TCP
//! port to clash with), authenticates with `trust` like the cluster, and runs as the same OS
//! user as the server (PgBouncer refuses to run as root). Like the server, it must not outlive
//! the test process: it runs under a tiny shell that reads a pipe only this process writes, and
//! stops PgBouncer when that pipe closes (on drop, or when the process dies, even by `SIGKILL`).

use std::fs;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use postgres::Client;

use super::cluster::{
    find_on_path, is_root, postgres_os_user, privilege_drop, read_tail, set_mode, TempCluster,
    OS_USER, PORT,
};
use super::database::socket_url;
use super::error::{io_error, ClusterError};
use super::server::connect;

/// The port in the name of PgBouncer's socket file (`.s.PGSQL.<port>`); nothing listens on
/// TCP, so any number does.
const BOUNCER_PORT: u16 = 6432;

/// How long PgBouncer may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// Runs PgBouncer (`$0`, config `$1`) in the background and stops it when stdin closes.
const KEEPER: &str = r#"
"$0" "$1" </dev/null &
pid=$!
cat >/dev/null
kill "$pid" 2>/dev/null
wait "$pid"
"#;

/// A PgBouncer in transaction pooling mode in front of a [`TempCluster`]; stopped on drop.
pub struct PgBouncer {
    dir: PathBuf,
    pipe: Option<ChildStdin>,
    keeper: Child,
}

impl PgBouncer {
    /// Starts PgBouncer in front of `cluster`, with `pool_size` server connections per
    /// database and user (`default_pool_size`), and waits until it accepts connections.
    ///
    /// Fails with [`ClusterError::NoPgBouncer`] when no `pgbouncer` binary is installed (its
    /// message says how to install one).
    pub fn start(cluster: &TempCluster, pool_size: u32) -> Result<PgBouncer, ClusterError> {
        let binary = find_pgbouncer()?;
        let dir = cluster.dir().join("pgbouncer");
        fs::create_dir(&dir).map_err(io_error(format!("create {}", dir.display())))?;
        let wrapper = if is_root() {
            let user = postgres_os_user()?;
            std::os::unix::fs::chown(&dir, Some(user.uid), Some(user.gid))
                .map_err(io_error(format!("chown {} to {OS_USER}", dir.display())))?;
            Some(privilege_drop()?)
        } else {
            None
        };
        set_mode(&dir, 0o755)?;

        // trust, like the cluster; PgBouncer still wants the user names in auth_file.
        let userlist = dir.join("userlist.txt");
        write(&userlist, "\"postgres\" \"\"\n")?;
        let config = dir.join("pgbouncer.ini");
        let log = dir.join("pgbouncer.log");
        write(
            &config,
            &format!(
                "[databases]\n\
                 * = host={socket} port={PORT}\n\
                 [pgbouncer]\n\
                 listen_addr =\n\
                 listen_port = {BOUNCER_PORT}\n\
                 unix_socket_dir = {dir}\n\
                 auth_type = trust\n\
                 auth_file = {userlist}\n\
                 pool_mode = transaction\n\
                 default_pool_size = {pool_size}\n\
                 max_client_conn = 200\n\
                 logfile = {log}\n\
                 ignore_startup_parameters = extra_float_digits\n",
                socket = cluster.socket_dir().display(),
                dir = dir.display(),
                userlist = userlist.display(),
                log = log.display(),
            ),
        )?;

        let mut cmd = match &wrapper {
            Some(w) => {
                let mut cmd = Command::new(&w[0]);
                cmd.args(&w[1..]).arg("sh");
                cmd
            }
            None => Command::new("sh"),
        };
        let mut keeper = cmd
            .arg("-c")
            .arg(KEEPER)
            .arg(&binary)
            .arg(&config)
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(io_error(format!("start {}", binary.display())))?;
        let pipe = keeper.stdin.take();
        let bouncer = PgBouncer { dir, pipe, keeper };
        bouncer.wait_until_ready(&log)?;
        Ok(bouncer)
    }

    /// The connection string of database `dbname` through PgBouncer.
    pub fn url_for(&self, dbname: &str) -> String {
        socket_url(&self.dir, BOUNCER_PORT, dbname)
    }

    /// Connects to database `dbname` through PgBouncer.
    pub fn connect(&self, dbname: &str) -> Result<Client, ClusterError> {
        connect(&self.url_for(dbname))
    }

    fn wait_until_ready(&self, log: &Path) -> Result<(), ClusterError> {
        let started = Instant::now();
        loop {
            // A connection through it proves both that it listens and that it reaches the server.
            match connect(&self.url_for("postgres")) {
                Ok(_) => return Ok(()),
                Err(err) if started.elapsed() > START_TIMEOUT => {
                    return Err(ClusterError::PgBouncerStart {
                        last_error: err.to_string(),
                        log_tail: read_tail(log),
                    })
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        // Closing the pipe makes the keeper stop PgBouncer; then reap the keeper.
        drop(self.pipe.take());
        let _ = self.keeper.wait();
    }
}

fn write(path: &Path, text: &str) -> Result<(), ClusterError> {
    fs::File::create(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(io_error(format!("write {}", path.display())))?;
    set_mode(path, 0o644)
}

/// `PGBOUNCER` if set, else `pgbouncer` on `PATH` or in the sbin directories (Debian installs
/// it in /usr/sbin).
fn find_pgbouncer() -> Result<PathBuf, ClusterError> {
    if let Some(path) = std::env::var_os("PGBOUNCER").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    find_on_path("pgbouncer").ok_or(ClusterError::NoPgBouncer)
}
