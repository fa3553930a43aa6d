//! What the corpus suites share: finding the practice corpus, its folders, versions and
//! pairs, loading a version, and the table of outcomes with the expected failures.

#![allow(dead_code)] // each suite uses its part

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use schema_runtime::testkit::TestDatabase;

/// The practice corpus: its root, `load.sh` and the folders to run.
pub struct Corpus {
    /// The corpus directory.
    pub root: PathBuf,
    /// Its loader.
    pub load_sh: PathBuf,
    /// The folders with a `PAIRS.json`, sorted, narrowed by `PGDECL_CORPUS_ONLY`.
    pub folders: Vec<PathBuf>,
}

/// The corpus: `PGDECL_CORPUS` when set (empty skips), else `../shared/corpus` beside the
/// workspace, where CI has it. `None` (and a note on stderr) when there is none.
pub fn corpus() -> Option<Corpus> {
    let root = match std::env::var_os("PGDECL_CORPUS") {
        Some(v) if v.is_empty() => {
            eprintln!("corpus: skipped (PGDECL_CORPUS is empty)");
            return None;
        }
        Some(v) => PathBuf::from(v),
        None => {
            let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
            if !beside.is_dir() {
                eprintln!(
                    "corpus: skipped (no {}; set PGDECL_CORPUS to the practice corpus)",
                    beside.display()
                );
                return None;
            }
            beside
        }
    };
    let only: Option<Vec<String>> = std::env::var("PGDECL_CORPUS_ONLY")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let load_sh = root.join("load.sh");
    assert!(load_sh.is_file(), "no load.sh in {}", root.display());
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("PAIRS.json").is_file())
        .filter(|p| {
            only.as_ref().map_or(true, |o| {
                o.iter()
                    .any(|f| p.file_name().is_some_and(|n| n == f.as_str()))
            })
        })
        .collect();
    folders.sort();
    assert!(
        !folders.is_empty(),
        "no folder with a PAIRS.json in {}",
        root.display()
    );
    Some(Corpus {
        root,
        load_sh,
        folders,
    })
}

impl Corpus {
    /// A folder's name.
    pub fn name(&self, folder: &Path) -> String {
        folder.file_name().unwrap().to_string_lossy().into_owned()
    }

    /// Every pair `(folder, a, b)` of every folder, in `PAIRS.json` order.
    pub fn pairs(&self) -> Vec<(PathBuf, String, String)> {
        let mut out = Vec::new();
        for folder in &self.folders {
            let name = self.name(folder);
            let text = std::fs::read_to_string(folder.join("PAIRS.json")).unwrap();
            let pairs: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}/PAIRS.json: {e}"));
            for pair in pairs
                .as_array()
                .unwrap_or_else(|| panic!("{name}/PAIRS.json: not a list"))
            {
                let version = |k: &str| -> String {
                    match &pair[k] {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Number(n) => n.to_string(),
                        other => panic!("{name}/PAIRS.json: bad `{k}`: {other}"),
                    }
                };
                out.push((folder.clone(), version("a"), version("b")));
            }
        }
        out
    }

    /// Every version any pair names, once, as `(folder, version)`.
    pub fn versions(&self) -> Vec<(PathBuf, String)> {
        let mut out: Vec<(PathBuf, String)> = Vec::new();
        for (folder, a, b) in self.pairs() {
            for v in [a, b] {
                if !out.iter().any(|(f, x)| *f == folder && *x == v) {
                    out.push((folder.clone(), v));
                }
            }
        }
        out
    }
}

/// `PATH` with the directory of the server's client programs first, for `load.sh`.
fn path_with_bindir(db: &TestDatabase) -> OsString {
    let psql = PathBuf::from(db.bin("psql").get_program());
    let mut dirs: Vec<PathBuf> = psql
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .into_iter()
        .collect();
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries without separators")
}

/// Loads `version` of `folder` into `db` with the corpus's `load.sh`.
pub fn load(load_sh: &Path, folder: &Path, db: &TestDatabase, version: &str) -> Result<(), String> {
    let out = Command::new("bash")
        .arg(load_sh)
        .arg(folder)
        .arg(db.url())
        .arg(version)
        .env("PATH", path_with_bindir(db))
        .output()
        .map_err(|e| format!("cannot run load.sh: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failure_text(&out))
    }
}

/// stderr (then stdout) of a failed program, with its exit status.
pub fn failure_text(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut text = stderr.trim().to_string();
    if text.is_empty() {
        text = stdout.trim().to_string();
    }
    if text.is_empty() {
        text = format!("exited with {}", out.status);
    }
    text
}

/// The first line that says what went wrong: an `ERROR:` line if there is one (psql prints
/// notices before it), else the first line that is not a notice.
pub fn first_line(text: &str) -> String {
    let lines = || text.lines().map(str::trim).filter(|l| !l.is_empty());
    let line = lines()
        .find(|l| l.contains("ERROR:") || l.contains("error") || l.starts_with("pgdecl:"))
        .or_else(|| lines().find(|l| !l.contains("NOTICE:")))
        .unwrap_or("");
    let mut short: String = line.chars().take(160).collect();
    if short.len() < line.len() {
        short.push_str(" ...");
    }
    short
}

/// The outcome of each case of a suite, printed as a table at the end.
#[derive(Default)]
pub struct Outcomes {
    rows: Vec<(String, Option<(String, String)>)>,
}

impl Outcomes {
    /// `label` passed.
    pub fn pass(&mut self, label: &str) {
        eprintln!("--- {label}: ok");
        self.rows.push((label.to_string(), None));
    }

    /// `label` failed at `step`; `detail`'s first line goes into the table.
    pub fn fail(&mut self, label: &str, step: &str, detail: &str) {
        eprintln!("--- {label}: FAILED at {step}: {detail}");
        self.rows.push((
            label.to_string(),
            Some((step.to_string(), first_line(detail))),
        ));
    }

    /// Prints the table and fails on any failure not in `expected` (`label`, reason), and on
    /// any case in `expected` that passes now.
    pub fn finish(&self, what: &str, expected: &[(&str, &str)]) {
        let width = self
            .rows
            .iter()
            .map(|r| r.0.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let mut table = format!("\n{:<width$}  {:<10}  first error line\n", "case", "step");
        for (label, failure) in &self.rows {
            let (step, line) = match failure {
                None => ("ok", String::new()),
                Some((step, line)) => (step.as_str(), line.clone()),
            };
            table.push_str(&format!("{label:<width$}  {step:<10}  {line}\n"));
        }
        let passed = self.rows.iter().filter(|r| r.1.is_none()).count();
        table.push_str(&format!("{passed} of {} {what}\n", self.rows.len()));
        eprintln!("{table}");
        let known = |label: &str| expected.iter().any(|(l, _)| *l == label);
        let unexpected: Vec<&str> = self
            .rows
            .iter()
            .filter(|r| r.1.is_some() && !known(&r.0))
            .map(|r| r.0.as_str())
            .collect();
        let fixed: Vec<&str> = self
            .rows
            .iter()
            .filter(|r| r.1.is_none() && known(&r.0))
            .map(|r| r.0.as_str())
            .collect();
        assert!(
            unexpected.is_empty(),
            "failed, and not listed as an expected failure: {unexpected:?}{table}"
        );
        assert!(
            fixed.is_empty(),
            "listed as expected failures but passing now (remove them from the list and the \
             README): {fixed:?}{table}"
        );
    }
}
