//! Finding the PostgreSQL programs a throwaway cluster and the tests run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::error::*;

/// A directory holding PostgreSQL programs (`initdb`, `postgres`, `psql`, `pg_dump`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    pub(super) dir: PathBuf,
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
