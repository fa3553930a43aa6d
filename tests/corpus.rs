//! The practice corpus: real-world schemas written by other projects (see the corpus's
//! README). Opt-in, since the corpus lives outside the repository:
//!
//! ```text
//! PGDECL_CORPUS=../shared/corpus cargo test --test corpus -- --nocapture
//! ```
//!
//! `PGDECL_CORPUS_ONLY=folder[,folder...]` narrows the run to some folders.
//!
//! For each pair A -> B of each folder's `PAIRS.json`: load A and B into two fresh databases
//! with the corpus's `load.sh`, have `pgdecl diff A B --allow-destructive` plan A -> B, apply
//! the plan to A with `psql -v ON_ERROR_STOP=1`, then require that `pgdecl diff A B` finds
//! nothing and that `pg_dump --schema-only` of A and B match up to statement order and the
//! physical order of columns. All pairs run; a table of the outcomes is printed at the end and
//! the test fails if any pair did not converge.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use schema_runtime::testkit::{TestDatabase, TestServer};

/// One pair's outcome: `None` if it converged, else the step that failed and the first line
/// of the error.
struct Outcome {
    pair: String,
    failure: Option<(&'static str, String)>,
}

#[test]
fn corpus_pairs_converge() {
    let Some(root) = std::env::var_os("PGDECL_CORPUS").filter(|v| !v.is_empty()) else {
        eprintln!("corpus: skipped (set PGDECL_CORPUS to the practice corpus directory to run it)");
        return;
    };
    let root = PathBuf::from(root);
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

    let mut outcomes = Vec::new();
    for folder in &folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
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
            let (a, b) = (version("a"), version("b"));
            let label = format!("{name}: {a} -> {b}");
            eprintln!("\n=== {label}");
            let failure = run_pair(&load_sh, folder, &name, &a, &b).err();
            if let Some((step, detail)) = &failure {
                eprintln!("--- {label}: FAILED at {step}\n{detail}");
            } else {
                eprintln!("--- {label}: converged");
            }
            outcomes.push(Outcome {
                pair: label,
                failure: failure.map(|(step, detail)| (step, first_line(&detail))),
            });
        }
    }

    let width = outcomes
        .iter()
        .map(|o| o.pair.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut table = format!("\n{:<width$}  {:<10}  first error line\n", "pair", "step");
    for o in &outcomes {
        let (step, line) = match &o.failure {
            None => ("ok", String::new()),
            Some((step, line)) => (*step, line.clone()),
        };
        table.push_str(&format!("{:<width$}  {:<10}  {}\n", o.pair, step, line));
    }
    let failed = outcomes.iter().filter(|o| o.failure.is_some()).count();
    table.push_str(&format!(
        "{} of {} pairs converge\n",
        outcomes.len() - failed,
        outcomes.len()
    ));
    eprintln!("{table}");
    assert_eq!(
        failed, 0,
        "{failed} corpus pair(s) did not converge:{table}"
    );
}

type StepResult<T> = Result<T, (&'static str, String)>;

/// `pgdecl inspect` of pagila (declarative partitioning: `payment` by month) prints the
/// partitioned table and each partition with its bound, and reports no partition as not
/// modelled. Opt-in like the pairs (`PGDECL_CORPUS`).
#[test]
fn pagila_inspect_prints_the_partitions() {
    let Some(root) = std::env::var_os("PGDECL_CORPUS").filter(|v| !v.is_empty()) else {
        eprintln!("corpus: skipped (set PGDECL_CORPUS to the practice corpus directory to run it)");
        return;
    };
    let root = PathBuf::from(root);
    let folder = root.join("pagila");
    if !folder.join("versions/v2022.sql").is_file() {
        eprintln!("corpus: no pagila/versions/v2022.sql, skipped");
        return;
    }
    let db = TestServer::shared()
        .create_database("corpus_pagila_inspect")
        .unwrap();
    load(&root.join("load.sh"), &folder, &db, "v2022").unwrap();
    let out = pgdecl(&["inspect", db.url()]);
    assert!(out.status.success(), "{}", failure_text(&out));
    let source = String::from_utf8_lossy(&out.stdout);
    assert!(
        source.contains("table payment partition by range (payment_date) {"),
        "{source}"
    );
    for month in 1..=7 {
        let line = format!(
            "table payment_p2022_{month:02} partition of payment for values from (\"2022-{month:02}-01"
        );
        assert!(source.contains(&line), "no `{line}` in:\n{source}");
    }
    assert!(
        !source
            .lines()
            .any(|l| l.starts_with("//") && l.contains("partition")),
        "{source}"
    );
}

/// Loads, plans, applies and compares one pair. The databases are kept for inspection when
/// the pair fails (on an external server; a throwaway cluster goes away with the process).
fn run_pair(load_sh: &Path, folder: &Path, name: &str, a: &str, b: &str) -> StepResult<()> {
    let server = TestServer::shared();
    let mut db_a = server
        .create_database(&format!("corpus_{name}_a"))
        .map_err(|e| ("create-db", e.to_string()))?;
    let mut db_b = server
        .create_database(&format!("corpus_{name}_b"))
        .map_err(|e| ("create-db", e.to_string()))?;
    let result = converge_pair(load_sh, folder, a, b, &db_a, &db_b);
    if result.is_err() {
        db_a.keep();
        db_b.keep();
        eprintln!("(databases kept: {} and {})", db_a.name(), db_b.name());
    }
    result
}

fn converge_pair(
    load_sh: &Path,
    folder: &Path,
    a: &str,
    b: &str,
    db_a: &TestDatabase,
    db_b: &TestDatabase,
) -> StepResult<()> {
    load(load_sh, folder, db_a, a).map_err(|e| ("load A", e))?;
    load(load_sh, folder, db_b, b).map_err(|e| ("load B", e))?;

    let plan = pgdecl(&["diff", db_a.url(), db_b.url(), "--allow-destructive"]);
    let sql = String::from_utf8_lossy(&plan.stdout).into_owned();
    match plan.status.code() {
        Some(0) | Some(2) => {}
        _ => return Err(("diff", failure_text(&plan))),
    }
    eprintln!("plan: {} line(s)", sql.lines().count());
    if std::env::var_os("PGDECL_CORPUS_SHOW_PLAN").is_some() {
        eprintln!("{sql}");
    }

    let applied = run_with_stdin(
        db_a.bin("psql")
            .args(["-v", "ON_ERROR_STOP=1", "-X", "-q", "-f", "-", "-d"])
            .arg(db_a.url()),
        &sql,
    );
    if !applied.status.success() {
        return Err((
            "apply",
            format!("{}\n--- plan ---\n{sql}", failure_text(&applied)),
        ));
    }

    let replan = pgdecl(&["diff", db_a.url(), db_b.url()]);
    if replan.status.code() != Some(0) {
        let mut text = failure_text(&replan);
        let out = String::from_utf8_lossy(&replan.stdout);
        if !out.trim().is_empty() {
            text = format!("{}\n{text}", out.trim_end());
        }
        return Err(("re-diff", format!("{text}\n--- first plan ---\n{sql}")));
    }

    let dump_a = normalize_dump(&dump(db_a).map_err(|e| ("dump", e))?);
    let dump_b = normalize_dump(&dump(db_b).map_err(|e| ("dump", e))?);
    if dump_a != dump_b {
        return Err(("dump", dump_difference(&dump_a, &dump_b)));
    }
    Ok(())
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

fn load(load_sh: &Path, folder: &Path, db: &TestDatabase, version: &str) -> Result<(), String> {
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

fn pgdecl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgdecl"))
        .args(args)
        .output()
        .expect("the pgdecl binary runs")
}

fn run_with_stdin(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("the program finishes");
    let _ = writer.join();
    out
}

fn dump(db: &TestDatabase) -> Result<String, String> {
    let out = db
        .pg_dump_command()
        .args(["--schema-only", "--no-owner", "--no-privileges"])
        .output()
        .map_err(|e| format!("cannot run pg_dump: {e}"))?;
    if !out.status.success() {
        return Err(failure_text(&out));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("pg_dump output is not UTF-8: {e}"))
}

/// stderr (then stdout) of a failed program, with its exit status.
fn failure_text(out: &Output) -> String {
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
fn first_line(text: &str) -> String {
    let lines = || text.lines().map(str::trim).filter(|l| !l.is_empty());
    let line = lines()
        .find(|l| l.contains("ERROR:") || l.starts_with("pgdecl:"))
        .or_else(|| lines().find(|l| !l.contains("NOTICE:")))
        .unwrap_or("");
    let mut short: String = line.chars().take(160).collect();
    if short.len() < line.len() {
        short.push_str(" ...");
    }
    short
}

/// The statements of a `pg_dump --schema-only`, normalized and sorted: comments, blank
/// lines, `SET`/`set_config` and psql meta-commands left out; the column lines of each
/// `CREATE TABLE` sorted (physical order does not count).
fn normalize_dump(dump: &str) -> Vec<String> {
    let without_meta: String = dump
        .lines()
        .filter(|l| !l.starts_with('\\'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut statements: Vec<String> = split_statements(&without_meta)
        .into_iter()
        .map(|s| {
            s.lines()
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| {
            !s.is_empty()
                && !s.starts_with("SET ")
                && !s.starts_with("SELECT pg_catalog.set_config(")
        })
        .map(|s| sort_table_columns(&s))
        .collect();
    statements.sort();
    statements
}

/// Splits SQL text at top-level semicolons (outside quotes, dollar quotes and comments),
/// dropping `--` comments; each statement keeps its trailing `;`.
fn split_statements(sql: &str) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '-' if chars.get(i + 1) == Some(&'-') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '\'' | '"' => {
                cur.push(c);
                i += 1;
                while i < chars.len() {
                    cur.push(chars[i]);
                    i += 1;
                    if chars[i - 1] == c {
                        if chars.get(i) == Some(&c) {
                            cur.push(c);
                            i += 1;
                        } else {
                            break;
                        }
                    }
                }
                continue;
            }
            '$' => {
                // A dollar quote `$tag$ ... $tag$` (tag: letters, digits, underscores).
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                let prev_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
                if j < chars.len()
                    && chars[j] == '$'
                    && !prev_ident
                    && !chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
                {
                    let tag: String = chars[i..=j].iter().collect();
                    cur.push_str(&tag);
                    i = j + 1;
                    let rest: String = chars[i..].iter().collect();
                    match rest.find(&tag) {
                        Some(end) => {
                            cur.push_str(&rest[..end + tag.len()]);
                            i += rest[..end + tag.len()].chars().count();
                        }
                        None => {
                            cur.push_str(&rest);
                            i = chars.len();
                        }
                    }
                    continue;
                }
                cur.push(c);
            }
            ';' => {
                cur.push(';');
                out.push(std::mem::take(&mut cur).trim().to_string());
            }
            _ => cur.push(c),
        }
        i += 1;
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Sorts the element lines of a `CREATE [UNLOGGED] TABLE name (\n ... \n)` statement, with
/// their trailing commas removed.
fn sort_table_columns(stmt: &str) -> String {
    let lines: Vec<&str> = stmt.lines().collect();
    let is_table = lines.first().is_some_and(|l| {
        (l.starts_with("CREATE TABLE ") || l.starts_with("CREATE UNLOGGED TABLE "))
            && l.ends_with('(')
    });
    if !is_table {
        return stmt.to_string();
    }
    let Some(close) = lines.iter().position(|l| l.starts_with(')')) else {
        return stmt.to_string();
    };
    let mut body: Vec<String> = lines[1..close]
        .iter()
        .map(|l| l.trim_end_matches(',').to_string())
        .collect();
    body.sort();
    let mut out = vec![lines[0].to_string()];
    out.extend(body);
    out.extend(lines[close..].iter().map(|l| l.to_string()));
    out.join("\n")
}

/// The statements found in only one of the two dumps: a statement of A and one of B that
/// share their first line are shown as a line diff, the others whole.
fn dump_difference(a: &[String], b: &[String]) -> String {
    let only_a: Vec<&String> = a.iter().filter(|s| !b.contains(s)).collect();
    let only_b: Vec<&String> = b.iter().filter(|s| !a.contains(s)).collect();
    let head = |s: &str| s.lines().next().unwrap_or("").to_string();
    let mut b_by_head: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for s in &only_b {
        b_by_head.entry(head(s)).or_default().push(s);
    }
    let mut out = format!(
        "pg_dump differs: {} statement(s) only in the migrated A (-), {} only in B (+)\n",
        only_a.len(),
        only_b.len()
    );
    for s in &only_a {
        match b_by_head.get_mut(&head(s)).and_then(|v| v.pop()) {
            Some(t) => {
                out.push_str(&format!("@@ {}\n", head(s)));
                let (la, lb): (Vec<&str>, Vec<&str>) = (s.lines().collect(), t.lines().collect());
                for l in &la[1..] {
                    if !lb.contains(l) {
                        out.push_str(&format!("- {l}\n"));
                    }
                }
                for l in &lb[1..] {
                    if !la.contains(l) {
                        out.push_str(&format!("+ {l}\n"));
                    }
                }
            }
            None => {
                for l in s.lines() {
                    out.push_str(&format!("- {l}\n"));
                }
            }
        }
    }
    for rest in b_by_head.values() {
        for s in rest {
            for l in s.lines() {
                out.push_str(&format!("+ {l}\n"));
            }
        }
    }
    out
}

#[test]
fn dump_normalization() {
    let dump = "--\n-- Name: t; Type: TABLE\n--\n\nSET search_path = '';\n\
        SELECT pg_catalog.set_config('search_path', '', false);\n\\restrict abc\n\
        CREATE TABLE public.t (\n    b text,\n    a integer NOT NULL\n);\n\n\
        CREATE FUNCTION public.f() RETURNS integer\n    LANGUAGE sql\n    AS $_$ select 1; -- x\n$_$;\n";
    let n = normalize_dump(dump);
    assert_eq!(
        n,
        vec![
            "CREATE FUNCTION public.f() RETURNS integer\n    LANGUAGE sql\n    AS $_$ select 1; -- x\n$_$;"
                .to_string(),
            "CREATE TABLE public.t (\n    a integer NOT NULL\n    b text\n);".to_string(),
        ]
    );
    assert_eq!(split_statements("select 'a;''b'; select \"x;\";").len(), 2);
}
