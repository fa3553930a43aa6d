//! The converge policy: what a run may do ([`Mode`], destructive changes) and its limits,
//! read from code or the environment, and the test each planned change must pass.

use std::time::Duration;

use schema_core::diff::{ChangeKind, Hazard};
use schema_core::Change;

use super::backup::BackupPolicy;
use super::env::{Env, OnFailure};
use super::ignore::IgnorePatterns;
use crate::error::{Error, ErrorKind};

/// What `converge` is allowed to do. Serializes in kebab case (`"apply-safe"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Apply every change the policy allows (development).
    Apply,
    /// Apply additive changes only; anything else is refused and listed (staging).
    ApplySafe,
    /// Change nothing; fail if the database differs (production).
    ValidateOnly,
    /// Change nothing; report the plan.
    PlanOnly,
    /// Skip the run: return at once without connecting or reading anything
    /// (`PGDECL_MODE=off`, the `SKIP_MIGRATIONS=1` switch of hand-built runners).
    Off,
}

impl Mode {
    /// Parses `apply`, `apply-safe`, `validate-only`, `plan-only`, `off`.
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "off" | "skip" => Some(Mode::Off),
            "apply" => Some(Mode::Apply),
            "apply-safe" | "safe" => Some(Mode::ApplySafe),
            "validate-only" | "validate" => Some(Mode::ValidateOnly),
            "plan-only" | "plan" => Some(Mode::PlanOnly),
            _ => None,
        }
    }

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Apply => "apply",
            Mode::ApplySafe => "apply-safe",
            Mode::ValidateOnly => "validate-only",
            Mode::PlanOnly => "plan-only",
            Mode::Off => "off",
        }
    }
}

/// How to converge: the mode, what is allowed, and the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Apply, apply-safe, validate-only or plan-only.
    pub mode: Mode,
    /// Allow changes that delete data or narrow types (drops, removed enum values, ...).
    pub allow_destructive: bool,
    /// In apply-safe, return `Ok` even when changes were withheld (the report still says the
    /// database is not in sync). Off by default: code that starts against a database missing a
    /// change it depends on (a rename, a type change) should not start.
    pub allow_withheld: bool,
    /// `lock_timeout` for each DDL statement: how long to wait for a table lock before giving
    /// up instead of queueing every query behind the DDL.
    pub lock_timeout: Duration,
    /// How many times a lock wait that hit `lock_timeout` (or a deadlock) is retried, after
    /// an exponential back-off with jitter, before the run fails naming the blocking
    /// sessions. 0 tries once.
    pub lock_retries: u32,
    /// The longest back-off between two lock attempts (the first is 0.1-0.2 s, each retry
    /// doubles it).
    pub lock_retry_max_delay: Duration,
    /// `statement_timeout` for each statement.
    pub statement_timeout: Duration,
    /// How long to wait for another deployer to finish.
    pub deploy_lock_timeout: Duration,
    /// Recorded in the history table and `application_name`.
    pub application_name: String,
    /// Schemas never read nor touched (besides system schemas and pgdecl's own).
    pub ignore_schemas: Vec<String>,
    // --- deploy lease (part "lease") ---
    /// How long the deploy lease stays valid past each renewal (on top of
    /// `statement_timeout`, since it is renewed between statements) when its holder stops
    /// renewing without its backend going away (a killed client behind PgBouncer).
    pub lease_ttl: Duration,
    /// Canonical forms computed ahead of time ([`crate::canonical_form`]); one matching the
    /// schema hash and server major version is used before `pgdecl.canonical_cache`.
    /// From `PGDECL_CANONICAL_FILE`, or [`Policy::with_canonical_forms`].
    pub canonical_forms: Vec<crate::CanonicalForm>,
    // --- environments and operations (issue 11; see `env`, `backup`, `ignore`) ---
    /// The environment whose profile this policy started from ([`Policy::for_env`],
    /// `PGDECL_ENV`); reported in audit events. `None` when no profile was chosen.
    pub environment: Option<Env>,
    /// The limit on the whole run (`PGDECL_RUN_TIMEOUT`), on top of the per-statement and
    /// lock limits: past it the run stops, rolling back its unfinished transaction, with a
    /// `run-timeout` error. `None`: no limit.
    pub run_timeout: Option<Duration>,
    /// The backup taken before an apply that has changes.
    pub backup: BackupPolicy,
    /// An apply with changes needs an approved plan (`PGDECL_REQUIRE_APPROVAL`, on in
    /// production): `converge`, which plans afresh, refuses it; the reviewed plan file is
    /// applied through the plan-file flow (`schema apply --plan FILE`).
    pub require_approval: bool,
    /// The approved plan file to apply (`PGDECL_APPROVED_PLAN`), for the plan-file flow.
    pub approved_plan: Option<std::path::PathBuf>,
    /// Create the database when it is missing (`PGDECL_CREATE_DATABASE`, on in development):
    /// see [`crate::converge::create_database_if_missing`]; done by
    /// [`converge_url`](crate::converge::converge_url) and the CLI, which hold the URL.
    pub create_database: bool,
    /// What a failed run does (`PGDECL_ON_FAILURE`): fail (the default), or continue with a
    /// report that carries the failure (development).
    pub on_failure: OnFailure,
    /// Live objects never dropped nor reported, by name pattern (`PGDECL_IGNORE`).
    pub ignore: IgnorePatterns,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            mode: Mode::ValidateOnly,
            allow_destructive: false,
            allow_withheld: false,
            lock_timeout: Duration::from_secs(5),
            lock_retries: 5,
            lock_retry_max_delay: Duration::from_secs(10),
            statement_timeout: Duration::from_secs(300),
            deploy_lock_timeout: Duration::from_secs(120),
            application_name: "pgdecl".to_string(),
            ignore_schemas: Vec::new(),
            lease_ttl: Duration::from_secs(30),
            canonical_forms: Vec::new(),
            environment: None,
            run_timeout: None,
            backup: BackupPolicy::none(),
            require_approval: false,
            approved_plan: None,
            create_database: false,
            on_failure: OnFailure::Fail,
            ignore: IgnorePatterns::default(),
        }
    }
}

impl Policy {
    /// A policy in `mode` with default limits.
    pub fn new(mode: Mode) -> Policy {
        Policy {
            mode,
            ..Policy::default()
        }
    }

    /// This policy with shipped canonical forms (see [`crate::canonical_form`]).
    pub fn with_canonical_forms(mut self, forms: Vec<crate::CanonicalForm>) -> Policy {
        self.canonical_forms = forms;
        self
    }

    /// Reads the policy from the environment: `PGDECL_MODE` (`apply`, `apply-safe`,
    /// `validate-only` (the default), `plan-only`), `PGDECL_ALLOW_DESTRUCTIVE` and
    /// `PGDECL_ALLOW_WITHHELD` (`1`/`true`/`yes`),
    /// `PGDECL_LOCK_TIMEOUT`, `PGDECL_LOCK_RETRIES` (a count), `PGDECL_LOCK_RETRY_MAX_DELAY`,
    /// `PGDECL_STATEMENT_TIMEOUT`, `PGDECL_DEPLOY_LOCK_TIMEOUT`,
    /// `PGDECL_LEASE_TTL` (`500ms`, `5s`, `2min`), `PGDECL_APPLICATION_NAME`, `PGDECL_IGNORE_SCHEMAS`
    /// (comma-separated), `PGDECL_CANONICAL_FILE` (a JSON file of canonical forms computed
    /// ahead of time). The default is validate-only: a production start that forgot to set
    /// anything changes nothing.
    ///
    /// `PGDECL_ENV` (`development`, `staging`, `production`) first picks the profile of
    /// [`Policy::for_env`]; each variable then overrides its field: `PGDECL_MODE` (also
    /// `off`), `PGDECL_RUN_TIMEOUT` (a duration, or `none`), `PGDECL_ALLOW_DESTRUCTIVE`,
    /// `PGDECL_REQUIRE_BACKUP`, `PGDECL_BACKUP_COMMAND`, `PGDECL_BACKUP_KIND`,
    /// `PGDECL_BACKUP_DIR`, `PGDECL_VERIFY_BACKUP`, `PGDECL_REQUIRE_APPROVAL`,
    /// `PGDECL_APPROVED_PLAN`, `PGDECL_CREATE_DATABASE`, `PGDECL_ON_FAILURE` (`fail`,
    /// `continue`), `PGDECL_IGNORE` (name patterns, see [`IgnorePatterns`]).
    pub fn from_env() -> Result<Policy, Error> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut p = match var("PGDECL_ENV") {
            Some(e) => Policy::for_env(Env::parse(&e).ok_or_else(|| {
                Error::new(
                    ErrorKind::Invalid,
                    "reading PGDECL_ENV",
                    format!("`{e}` is not an environment: use development, staging or production"),
                )
            })?),
            None => Policy::default(),
        };
        if let Some(m) = var("PGDECL_MODE") {
            p.mode = Mode::parse(&m).ok_or_else(|| {
                Error::new(
                    ErrorKind::Invalid,
                    "reading PGDECL_MODE",
                    format!(
                        "`{m}` is not a mode: use apply, apply-safe, validate-only, plan-only or off"
                    ),
                )
            })?;
        }
        p.read_operations_env(&var)?;
        if let Some(v) = var("PGDECL_ALLOW_DESTRUCTIVE") {
            p.allow_destructive = is_yes(&v);
        }
        if let Some(v) = var("PGDECL_ALLOW_WITHHELD") {
            p.allow_withheld = is_yes(&v);
        }
        for (key, slot) in [
            ("PGDECL_LOCK_TIMEOUT", &mut p.lock_timeout),
            ("PGDECL_LOCK_RETRY_MAX_DELAY", &mut p.lock_retry_max_delay),
            ("PGDECL_STATEMENT_TIMEOUT", &mut p.statement_timeout),
            ("PGDECL_DEPLOY_LOCK_TIMEOUT", &mut p.deploy_lock_timeout),
            ("PGDECL_LEASE_TTL", &mut p.lease_ttl),
        ] {
            if let Some(v) = var(key) {
                *slot = parse_duration(&v).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Invalid,
                        &format!("reading {key}"),
                        format!("`{v}` is not a duration: write e.g. 500ms, 5s or 2min"),
                    )
                })?;
            }
        }
        if let Some(v) = var("PGDECL_LOCK_RETRIES") {
            p.lock_retries = v.trim().parse().map_err(|_| {
                Error::new(
                    ErrorKind::Invalid,
                    "reading PGDECL_LOCK_RETRIES",
                    format!("`{v}` is not a number of retries: write e.g. 5 (0 tries once)"),
                )
            })?;
        }
        if let Some(v) = var("PGDECL_APPLICATION_NAME") {
            p.application_name = v;
        }
        if let Some(v) = var("PGDECL_IGNORE_SCHEMAS") {
            p.ignore_schemas = v.split(',').map(|s| s.trim().to_string()).collect();
        }
        if let Some(v) = var("PGDECL_CANONICAL_FILE") {
            p.canonical_forms = crate::CanonicalForm::read_file(std::path::Path::new(&v))?;
        }
        Ok(p)
    }
}

impl Policy {
    /// The overrides of the fields of issue 11 (environments, backups, approval, ...).
    fn read_operations_env(&mut self, var: &dyn Fn(&str) -> Option<String>) -> Result<(), Error> {
        if let Some(v) = var("PGDECL_RUN_TIMEOUT") {
            self.run_timeout = match v.trim().to_ascii_lowercase().as_str() {
                "none" | "off" | "0" => None,
                _ => Some(parse_duration(&v).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Invalid,
                        "reading PGDECL_RUN_TIMEOUT",
                        format!("`{v}` is not a duration: write e.g. 30s, 5min, or none"),
                    )
                })?),
            };
        }
        for (key, slot) in [
            ("PGDECL_REQUIRE_BACKUP", &mut self.backup.required),
            ("PGDECL_VERIFY_BACKUP", &mut self.backup.verify),
            ("PGDECL_REQUIRE_APPROVAL", &mut self.require_approval),
            ("PGDECL_CREATE_DATABASE", &mut self.create_database),
        ] {
            if let Some(v) = var(key) {
                *slot = parse_bool(key, &v)?;
            }
        }
        if let Some(v) = var("PGDECL_BACKUP_COMMAND") {
            self.backup.command = Some(v);
        }
        if let Some(v) = var("PGDECL_BACKUP_KIND") {
            self.backup.kind = v.trim().to_string();
        }
        if let Some(v) = var("PGDECL_BACKUP_DIR") {
            self.backup.dir = Some(v.into());
        }
        if let Some(v) = var("PGDECL_APPROVED_PLAN") {
            self.approved_plan = Some(v.into());
        }
        if let Some(v) = var("PGDECL_ON_FAILURE") {
            self.on_failure = OnFailure::parse(&v).ok_or_else(|| {
                Error::new(
                    ErrorKind::Invalid,
                    "reading PGDECL_ON_FAILURE",
                    format!("`{v}` is not an on-failure behaviour: use fail or continue"),
                )
            })?;
        }
        if let Some(v) = var("PGDECL_IGNORE") {
            self.ignore = IgnorePatterns::parse(&v);
        }
        Ok(())
    }
}

/// A yes/no variable: `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`; anything else is an
/// error naming the variable (a typo must not silently turn a safeguard off).
pub(crate) fn parse_bool(key: &str, v: &str) -> Result<bool, Error> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Error::new(
            ErrorKind::Invalid,
            &format!("reading {key}"),
            format!("`{v}` is not a yes/no value: write true or false"),
        )),
    }
}

/// `1`, `true` or `yes`, in any case.
fn is_yes(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes")
}

/// Parses `250ms`, `5s`, `2min`, `1h` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..split].parse().ok()?;
    match s[split..].trim() {
        "" | "s" | "sec" => Some(Duration::from_secs(n)),
        "ms" => Some(Duration::from_millis(n)),
        "m" | "min" => Some(Duration::from_secs(n * 60)),
        "h" => Some(Duration::from_secs(n * 3600)),
        _ => None,
    }
}

/// Whether the policy lets `change` run.
pub(super) fn permitted(change: &Change, policy: &Policy) -> bool {
    match policy.mode {
        Mode::Apply => !change.is_destructive() || policy.allow_destructive,
        Mode::ApplySafe => is_additive(change),
        Mode::ValidateOnly | Mode::PlanOnly | Mode::Off => false,
    }
}

/// Additive: creates something, or alters it without losing data, dropping or renaming what
/// running code still uses, narrowing a type, rewriting a table, or re-creating an object (a
/// rebuilt domain or range type is dropped and created again, and what uses it with it).
/// (A brief ACCESS EXCLUSIVE lock, as `ADD COLUMN` takes, is allowed: `lock_timeout` bounds
/// it.) Apply-safe runs only these.
pub fn is_additive(change: &Change) -> bool {
    matches!(change.kind, ChangeKind::Create | ChangeKind::Alter)
        && !change.hazards.iter().any(|h| {
            h.is_destructive()
                || matches!(
                    h,
                    Hazard::DropsObject
                        | Hazard::RewritesTable
                        | Hazard::NarrowsType
                        | Hazard::RecreatesObject
                )
        })
}
