//! The backup before an apply: a shell command (`PGDECL_BACKUP_COMMAND`, e.g.
//! `pg_dump -Fc -f "$PGDECL_BACKUP_FILE"`) or a Rust callback runs once the run knows it has
//! changes to apply, before the first of them, outside the converge transaction (a dump must
//! not wait for the locks the run holds). Its outcome goes into the run's history row and its
//! audit event; a failed or missing backup refuses the apply.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use postgres::types::Type;
use postgres::{Client, GenericClient};

use super::lease::Lease;
use super::policy::Policy;
use crate::error::{redact, Error, ErrorKind};

/// What the policy asks for before an apply that has changes.
#[derive(Clone, PartialEq, Eq)]
pub struct BackupPolicy {
    /// An apply with changes is refused unless a backup succeeded first
    /// (`PGDECL_REQUIRE_BACKUP`). When false, a configured command still runs, and its failure
    /// still refuses the apply.
    pub required: bool,
    /// A label for the kind of backup (`full`, `incremental`, `none`), handed to the command as
    /// `PGDECL_BACKUP_KIND` and recorded (`PGDECL_BACKUP_KIND`).
    pub kind: String,
    /// Check the result before applying (`PGDECL_VERIFY_BACKUP`): the file
    /// `$PGDECL_BACKUP_FILE` exists and is not empty, and a custom-format archive (`pg_dump
    /// -Fc`) lists cleanly with `pg_restore --list` when `pg_restore` is on the `PATH`.
    pub verify: bool,
    /// The shell command (run with `sh -c`), `PGDECL_BACKUP_COMMAND`. It gets
    /// `PGDECL_BACKUP_FILE`, `PGDECL_BACKUP_KIND` and `PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGDATABASE` (and `PGPASSWORD` when known) of the database being changed.
    pub command: Option<String>,
    /// A Rust callback, run instead of `command` when set.
    pub hook: Option<BackupHook>,
    /// The directory the backup file is named in (`PGDECL_BACKUP_DIR`; default
    /// `$TMPDIR/pgdecl-backups`).
    pub dir: Option<PathBuf>,
    /// The connection the backup is taken from, as a URL (its password is exported as
    /// `PGPASSWORD`, never printed). Unset, pgdecl asks the server for its socket or address,
    /// port, user and database, and the password comes from the environment (`PGPASSWORD`,
    /// `~/.pgpass`). [`converge_url`](super::converge_url) sets it.
    pub url: Option<String>,
}

impl std::fmt::Debug for BackupPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupPolicy")
            .field("required", &self.required)
            .field("kind", &self.kind)
            .field("verify", &self.verify)
            .field("command", &self.command)
            .field("hook", &self.hook)
            .field("dir", &self.dir)
            .field("url", &self.url.as_deref().map(redact))
            .finish()
    }
}

impl Default for BackupPolicy {
    fn default() -> Self {
        BackupPolicy::none()
    }
}

impl BackupPolicy {
    /// No backup required (a configured command still runs).
    pub fn none() -> BackupPolicy {
        BackupPolicy {
            required: false,
            kind: "none".to_string(),
            verify: false,
            command: None,
            hook: None,
            dir: None,
            url: None,
        }
    }

    /// A backup labelled `kind` is required before an apply, checked when `verify`.
    pub fn required(kind: &str, verify: bool) -> BackupPolicy {
        BackupPolicy {
            required: true,
            kind: kind.to_string(),
            verify,
            ..BackupPolicy::none()
        }
    }

    /// True when a backup runs before an apply with changes: required, or configured.
    pub fn wanted(&self) -> bool {
        self.required || self.command.is_some() || self.hook.is_some()
    }
}

/// Where a backup is taken from and written to, as handed to a [`BackupHook`].
#[derive(Clone, PartialEq, Eq)]
pub struct BackupRequest {
    /// The file to write (`PGDECL_BACKUP_FILE`).
    pub file: PathBuf,
    /// The policy's label (`PGDECL_BACKUP_KIND`).
    pub kind: String,
    /// The server's host, or its Unix socket directory (`PGHOST`).
    pub host: String,
    /// The port (`PGPORT`).
    pub port: u16,
    /// The role (`PGUSER`).
    pub user: String,
    /// The database (`PGDATABASE`).
    pub database: String,
    /// The password, when the connection URL held one (`PGPASSWORD`).
    pub password: Option<String>,
}

impl std::fmt::Debug for BackupRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupRequest")
            .field("file", &self.file)
            .field("kind", &self.kind)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("database", &self.database)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

/// The callback form of the backup: takes the backup `request` describes; `Err` with a message
/// refuses the apply.
type HookFn = dyn Fn(&BackupRequest) -> Result<(), String> + Send + Sync;

/// A Rust backup callback on [`BackupPolicy::hook`]. Two hooks are equal when they are the
/// same callback.
#[derive(Clone)]
pub struct BackupHook(Arc<HookFn>);

impl BackupHook {
    /// Wraps `f`.
    pub fn new(f: impl Fn(&BackupRequest) -> Result<(), String> + Send + Sync + 'static) -> Self {
        BackupHook(Arc::new(f))
    }
}

impl std::fmt::Debug for BackupHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupHook(..)")
    }
}

impl PartialEq for BackupHook {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for BackupHook {}

/// How the backup went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BackupStatus {
    /// It ran and (when asked) was verified.
    Ok,
    /// It failed, or was required and not configured: the apply was refused.
    Failed,
    /// None was taken: not required and none configured, or nothing to apply.
    Skipped,
}

impl BackupStatus {
    /// `ok`, `failed` or `skipped`, as recorded in `pgdecl.history.backup_status`.
    pub fn name(self) -> &'static str {
        match self {
            BackupStatus::Ok => "ok",
            BackupStatus::Failed => "failed",
            BackupStatus::Skipped => "skipped",
        }
    }
}

/// The outcome of the backup before an apply, recorded in `pgdecl.history` and the audit event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupOutcome {
    /// `ok`, `failed` or `skipped`.
    pub status: BackupStatus,
    /// The policy's label (`full`, `incremental`, `none`).
    pub kind: String,
    /// The file written, when there is one.
    pub file: Option<String>,
    /// Its size in bytes.
    pub size_bytes: Option<u64>,
    /// How long the backup took.
    pub duration_ms: u64,
    /// Why it was skipped or failed.
    pub detail: Option<String>,
}

impl BackupOutcome {
    /// A backup that was not taken, and why.
    pub fn skipped(kind: &str, why: &str) -> BackupOutcome {
        BackupOutcome {
            status: BackupStatus::Skipped,
            kind: kind.to_string(),
            file: None,
            size_bytes: None,
            duration_ms: 0,
            detail: Some(why.to_string()),
        }
    }
}

/// Takes the backup the policy asks for. `Err` holds the failed outcome (to record) and the
/// error that refuses the apply. `deadline` bounds a command (it is killed at the run's
/// limit); while it runs, the deploy `lease` is renewed every few seconds, so a long dump
/// does not let another deployer in.
pub(super) fn take(
    client: &mut Client,
    policy: &Policy,
    lease: Option<&Lease>,
    deadline: Option<Instant>,
) -> Result<BackupOutcome, Box<(BackupOutcome, Error)>> {
    let started = Instant::now();
    let backup = &policy.backup;
    let fail = |detail: String, started: Instant, file: Option<&Path>| {
        let outcome = BackupOutcome {
            status: BackupStatus::Failed,
            kind: backup.kind.clone(),
            file: file.map(|f| f.display().to_string()),
            size_bytes: None,
            duration_ms: millis(started.elapsed()),
            detail: Some(redact(&detail)),
        };
        let err = Error::new(
            ErrorKind::Backup,
            "taking the backup before the apply",
            detail,
        );
        Box::new((outcome, err))
    };
    if backup.command.is_none() && backup.hook.is_none() {
        let env = policy
            .environment
            .map(|e| format!("the {e} profile"))
            .unwrap_or_else(|| "the policy".to_string());
        return Err(fail(
            format!(
                "{env} requires a backup before an apply (PGDECL_REQUIRE_BACKUP) and none is \
                 configured: nothing was applied. Set PGDECL_BACKUP_COMMAND, e.g. \
                 `pg_dump -Fc -f \"$PGDECL_BACKUP_FILE\"`, or Policy::backup.hook"
            ),
            started,
            None,
        ));
    }
    let request = match request(client, backup) {
        Ok(r) => r,
        Err(e) => return Err(fail(e.to_string(), started, None)),
    };
    tracing::info!(kind = %backup.kind, file = %request.file.display(), "taking the backup before the apply");
    let ran = match (&backup.hook, &backup.command) {
        (Some(hook), _) => (hook.0)(&request).map_err(|m| format!("the backup hook failed: {m}")),
        (None, Some(command)) => {
            let mut heartbeat = || lease.map_or(Ok(()), |lease| lease.renew(client));
            run_command(command, &request, deadline, &mut heartbeat)
        }
        (None, None) => unreachable!("checked above"),
    };
    if let Err(detail) = ran {
        return Err(fail(
            format!("{detail}; nothing was applied"),
            started,
            Some(&request.file),
        ));
    }
    let size = std::fs::metadata(&request.file).ok().map(|m| m.len());
    if backup.verify {
        if let Err(detail) = verify(&request.file, size) {
            return Err(fail(
                format!("{detail}; nothing was applied"),
                started,
                Some(&request.file),
            ));
        }
    }
    let outcome = BackupOutcome {
        status: BackupStatus::Ok,
        kind: backup.kind.clone(),
        file: size.map(|_| request.file.display().to_string()),
        size_bytes: size,
        duration_ms: millis(started.elapsed()),
        detail: None,
    };
    tracing::info!(
        file = ?outcome.file,
        size_bytes = ?outcome.size_bytes,
        duration_ms = outcome.duration_ms,
        "backup taken"
    );
    Ok(outcome)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// The backup's file name and the connection parameters of the database being changed:
/// from the policy's URL where it has them, else as the server reports them.
fn request(client: &mut Client, backup: &BackupPolicy) -> Result<BackupRequest, Error> {
    let row = client
        .query_typed(
            "SELECT current_database()::text, current_user::text, current_setting('port'),
                    host(inet_server_addr()), current_setting('unix_socket_directories')",
            &[],
        )
        .map_err(|e| Error::from_postgres("reading the connection for the backup", e))?;
    let row = &row[0];
    let database: String = row.get(0);
    let user: String = row.get(1);
    let port: u16 = row.get::<_, String>(2).parse().unwrap_or(5432);
    let socket_dir = row
        .get::<_, String>(4)
        .split(',')
        .next()
        .unwrap_or("/tmp")
        .trim()
        .to_string();
    let host = row.get::<_, Option<String>>(3).unwrap_or(socket_dir);
    let mut request = BackupRequest {
        file: PathBuf::new(),
        kind: backup.kind.clone(),
        host,
        port,
        user,
        database,
        password: None,
    };
    if let Some(url) = &backup.url {
        if let Ok(config) = url.parse::<postgres::Config>() {
            if let Some(host) = config.get_hosts().first() {
                request.host = match host {
                    postgres::config::Host::Tcp(h) => h.clone(),
                    #[cfg(unix)]
                    postgres::config::Host::Unix(p) => p.display().to_string(),
                };
            }
            if let Some(port) = config.get_ports().first() {
                request.port = *port;
            }
            request.password = config
                .get_password()
                .map(|p| String::from_utf8_lossy(p).into_owned());
        }
    }
    let dir = backup
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("pgdecl-backups"));
    std::fs::create_dir_all(&dir).map_err(|e| {
        Error::from_io(
            &format!("creating the backup directory {}", dir.display()),
            e,
        )
    })?;
    let safe: String = request
        .database
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    request.file = dir.join(format!(
        "{safe}-{}-{}.dump",
        super::audit::timestamp_compact(std::time::SystemTime::now()),
        std::process::id()
    ));
    Ok(request)
}

/// Runs `command` with `sh -c`, its environment set for `request`. `Err` names the exit
/// status and the tail of its stderr (passwords removed).
fn run_command(
    command: &str,
    request: &BackupRequest,
    deadline: Option<Instant>,
    heartbeat: &mut dyn FnMut() -> Result<(), Error>,
) -> Result<(), String> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .env("PGDECL_BACKUP_FILE", &request.file)
        .env("PGDECL_BACKUP_KIND", &request.kind)
        .env("PGHOST", &request.host)
        .env("PGPORT", request.port.to_string())
        .env("PGUSER", &request.user)
        .env("PGDATABASE", &request.database)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(password) = &request.password {
        cmd.env("PGPASSWORD", password);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("the backup command `{command}` could not start: {e}"))?;
    // Read stderr on a thread of its own: a chatty command must not block on a full pipe.
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        stderr.read_to_end(&mut text).ok();
        String::from_utf8_lossy(&text).into_owned()
    });
    let mut beat = Instant::now();
    let status = loop {
        if beat.elapsed() >= Duration::from_secs(5) {
            beat = Instant::now();
            if let Err(e) = heartbeat() {
                child.kill().ok();
                child.wait().ok();
                break Err(format!(
                    "the deploy lease was lost while the backup ran ({e}); the backup was stopped"
                ));
            }
        }
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if deadline.is_some_and(|d| Instant::now() >= d) => {
                child.kill().ok();
                child.wait().ok();
                break Err(
                    "the backup command was still running at the run's time limit \
                           (PGDECL_RUN_TIMEOUT) and was stopped"
                        .to_string(),
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => break Err(format!("waiting for the backup command: {e}")),
        }
    };
    let stderr = reader.join().unwrap_or_default();
    let mut tail = tail(&stderr);
    if let Some(password) = request.password.as_deref().filter(|p| !p.is_empty()) {
        tail = tail.replace(password, "***");
    }
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!(
            "the backup command `{command}` failed ({status}){}",
            if tail.is_empty() {
                String::new()
            } else {
                format!("; its stderr ends with:\n{tail}")
            }
        )),
        Err(e) => Err(e),
    }
}

/// The last lines of `text` (at most 10 lines, 2000 characters), passwords removed.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let mut out = lines[lines.len().saturating_sub(10)..].join("\n");
    if out.len() > 2000 {
        let cut = out.len() - 2000;
        let cut = (cut..out.len())
            .find(|&i| out.is_char_boundary(i))
            .unwrap_or(0);
        out = out[cut..].to_string();
    }
    redact(&out)
}

/// The verification of a backup file: present, not empty, and a custom-format archive must
/// list cleanly with `pg_restore --list` (skipped when `pg_restore` is not on the `PATH`).
fn verify(file: &Path, size: Option<u64>) -> Result<(), String> {
    match size {
        None => {
            return Err(format!(
                "the backup command exited 0 but wrote no file at {} ($PGDECL_BACKUP_FILE)",
                file.display()
            ))
        }
        Some(0) => return Err(format!("the backup file {} is empty", file.display())),
        Some(_) => {}
    }
    let mut magic = [0u8; 5];
    let custom = std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"PGDMP";
    if custom {
        match Command::new("pg_restore")
            .arg("--list")
            .arg(file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
        {
            Ok(out) if out.status.success() => {}
            Ok(out) => {
                return Err(format!(
                    "the backup file {} does not read back: pg_restore --list failed ({}): {}",
                    file.display(),
                    out.status,
                    tail(&String::from_utf8_lossy(&out.stderr))
                ))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tracing::debug!("pg_restore not on PATH: the archive's listing is not checked");
            }
            Err(e) => return Err(format!("running pg_restore --list: {e}")),
        }
    }
    Ok(())
}

/// Writes `outcome` into the history row `id` (its own statement, so the row's insert stays
/// as the history module writes it).
pub(super) fn record(
    client: &mut impl GenericClient,
    id: i64,
    outcome: &BackupOutcome,
) -> Result<(), Error> {
    let size = outcome
        .size_bytes
        .map(|s| i64::try_from(s).unwrap_or(i64::MAX));
    let duration = i64::try_from(outcome.duration_ms).unwrap_or(i64::MAX);
    client
        .query_typed(
            "UPDATE pgdecl.history SET backup_status = $2, backup_kind = $3, backup_file = $4,
                    backup_size_bytes = $5, backup_duration_ms = $6
             WHERE id = $1",
            &[
                (&id, Type::INT8),
                (&outcome.status.name(), Type::TEXT),
                (&outcome.kind, Type::TEXT),
                (&outcome.file, Type::TEXT),
                (&size, Type::INT8),
                (&duration, Type::INT8),
            ],
        )
        .map(|_| ())
        .map_err(|e| Error::from_postgres("recording the backup in pgdecl.history", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_keep_the_last_lines_without_passwords() {
        let text: String = (0..30).map(|i| format!("line {i}\n")).collect();
        let t = tail(&text);
        assert!(t.starts_with("line 20") && t.ends_with("line 29"), "{t}");
        assert_eq!(
            tail("postgres://u:pw@h/db failed"),
            "postgres://u:***@h/db failed"
        );
    }

    #[test]
    fn debug_hides_secrets() {
        let policy = BackupPolicy {
            url: Some("postgres://u:s3cret@h/db".into()),
            ..BackupPolicy::none()
        };
        assert!(!format!("{policy:?}").contains("s3cret"));
        let request = BackupRequest {
            file: "f".into(),
            kind: "full".into(),
            host: "h".into(),
            port: 1,
            user: "u".into(),
            database: "d".into(),
            password: Some("s3cret".into()),
        };
        assert!(!format!("{request:?}").contains("s3cret"));
    }
}
