//! Environments: `PGDECL_ENV=development|staging|production` (or [`Policy::for_env`]) picks
//! a profile of the policy, the way migration wrappers run one strategy per environment;
//! every field of it can then be overridden by its own variable ([`Policy::from_env`]).

use std::time::Duration;

use super::backup::BackupPolicy;
use super::policy::{Mode, Policy};

/// A deployment environment, each with its profile (see [`Policy::for_env`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Env {
    /// Apply everything, destructive changes too; 30 s; no backup; creates the database;
    /// a failure is logged and the service starts.
    Development,
    /// Additive changes only; 300 s; a backup (labelled `incremental`) before an apply.
    Staging,
    /// Validate only; 900 s; a verified `full` backup and an approved plan before an apply.
    Production,
}

impl Env {
    /// Parses `development` (`dev`), `staging` (`stage`), `production` (`prod`), in any case.
    pub fn parse(s: &str) -> Option<Env> {
        match s.trim().to_ascii_lowercase().as_str() {
            "development" | "dev" | "develop" => Some(Env::Development),
            "staging" | "stage" => Some(Env::Staging),
            "production" | "prod" => Some(Env::Production),
            _ => None,
        }
    }

    /// The lower-case name, as audit events and logs print it.
    pub fn name(self) -> &'static str {
        match self {
            Env::Development => "development",
            Env::Staging => "staging",
            Env::Production => "production",
        }
    }
}

impl std::fmt::Display for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What `converge` does when the run fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnFailure {
    /// Return the error: the service does not start (staging, production, and the default).
    #[default]
    Fail,
    /// Log the error (tracing, level error) and return `Ok` with a [`Report`](super::Report)
    /// whose `failure` says what went wrong: the service starts against the database as it
    /// is (development).
    Continue,
}

impl OnFailure {
    /// Parses `fail` or `continue`.
    pub fn parse(s: &str) -> Option<OnFailure> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fail" | "stop" => Some(OnFailure::Fail),
            "continue" | "ignore" => Some(OnFailure::Continue),
            _ => None,
        }
    }

    /// `fail` or `continue`.
    pub fn name(self) -> &'static str {
        match self {
            OnFailure::Fail => "fail",
            OnFailure::Continue => "continue",
        }
    }
}

impl Policy {
    /// The profile of `env`, every other field at its default:
    ///
    /// | | development | staging | production |
    /// |---|---|---|---|
    /// | mode | apply | apply-safe | validate-only |
    /// | run timeout | 30 s | 300 s | 900 s |
    /// | destructive changes | allowed | withheld | withheld |
    /// | backup before an apply | no | yes, `incremental` | yes, `full`, verified |
    /// | approved plan needed to apply | no | no | yes |
    /// | create the database | yes | no | no |
    /// | on failure | continue | fail | fail |
    ///
    /// Development applies everything, drops included, because the teams do exactly
    /// that on a developer's database; a developer pointing it at shared data sets
    /// `PGDECL_ALLOW_DESTRUCTIVE=false`.
    pub fn for_env(env: Env) -> Policy {
        let base = Policy {
            environment: Some(env),
            ..Policy::default()
        };
        match env {
            Env::Development => Policy {
                mode: Mode::Apply,
                run_timeout: Some(Duration::from_secs(30)),
                allow_destructive: true,
                backup: BackupPolicy::none(),
                require_approval: false,
                create_database: true,
                on_failure: OnFailure::Continue,
                ..base
            },
            Env::Staging => Policy {
                mode: Mode::ApplySafe,
                run_timeout: Some(Duration::from_secs(300)),
                allow_destructive: false,
                backup: BackupPolicy::required("incremental", false),
                require_approval: false,
                create_database: false,
                on_failure: OnFailure::Fail,
                ..base
            },
            Env::Production => Policy {
                mode: Mode::ValidateOnly,
                run_timeout: Some(Duration::from_secs(900)),
                allow_destructive: false,
                backup: BackupPolicy::required("full", true),
                require_approval: true,
                create_database: false,
                on_failure: OnFailure::Fail,
                ..base
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles() {
        let dev = Policy::for_env(Env::Development);
        assert_eq!(dev.mode, Mode::Apply);
        assert!(dev.allow_destructive && dev.create_database);
        assert_eq!(dev.on_failure, OnFailure::Continue);
        assert!(!dev.backup.required);
        let staging = Policy::for_env(Env::Staging);
        assert_eq!(staging.mode, Mode::ApplySafe);
        assert_eq!(staging.run_timeout, Some(Duration::from_secs(300)));
        assert_eq!(staging.backup.kind, "incremental");
        let prod = Policy::for_env(Env::Production);
        assert_eq!(prod.mode, Mode::ValidateOnly);
        assert!(prod.require_approval && prod.backup.required && prod.backup.verify);
        assert_eq!(prod.environment, Some(Env::Production));
        assert_eq!(Env::parse("PROD"), Some(Env::Production));
        assert_eq!(Env::parse("qa"), None);
    }
}
