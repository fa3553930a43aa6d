//! The practice corpus: real-world schemas written by other projects (see the corpus's
//! README). Runs when the corpus is found: `PGDECL_CORPUS`, else `../shared/corpus` beside the
//! workspace (where CI has it); `PGDECL_CORPUS_ONLY=folder[,folder...]` narrows the run:
//!
//! ```text
//! PGDECL_CORPUS=../shared/corpus cargo test --test corpus -- --nocapture
//! ```
//!
//! For each pair A -> B of each folder's `PAIRS.json`: load A and B into two fresh databases
//! with the corpus's `load.sh`, have `pgdecl diff A B --allow-destructive` plan A -> B, apply
//! the plan to A with `psql -v ON_ERROR_STOP=1`, then require that `pgdecl diff A B` finds
//! nothing and that `pg_dump --schema-only` of A and B match up to statement order and the
//! physical order of columns. All pairs run; a table of the outcomes is printed at the end.
//! Pairs that do not converge yet are listed in [`EXPECTED_FAILURES`] with the reason: the
//! test fails on any other failure, and when a listed pair converges (remove it from the list
//! and the README).

mod corpus_support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use corpus_support::{corpus, failure_text, load, Outcomes};
use schema_runtime::testkit::{TestDatabase, TestServer};

/// Pairs that do not converge yet, as `folder: a -> b`, with the reason.
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

#[test]
fn corpus_pairs_converge() {
    let Some(corpus) = corpus() else {
        return;
    };
    let mut outcomes = Outcomes::default();
    for (folder, a, b) in corpus.pairs() {
        let name = corpus.name(&folder);
        let label = format!("{name}: {a} -> {b}");
        eprintln!("\n=== {label}");
        match run_pair(&corpus.load_sh, &folder, &name, &a, &b) {
            Ok(()) => outcomes.pass(&label),
            Err((step, detail)) => {
                eprintln!("{detail}");
                outcomes.fail(&label, step, &detail);
            }
        }
    }
    outcomes.finish("pairs converge", EXPECTED_FAILURES);
}

type StepResult<T> = Result<T, (&'static str, String)>;

/// `pgdecl inspect` of pagila (declarative partitioning: `payment` by month) prints the
/// partitioned table and each partition with its bound, and reports no partition as not
/// modelled. Runs when the corpus is found, like the pairs.
#[test]
fn pagila_inspect_prints_the_partitions() {
    let Some(corpus) = corpus() else {
        return;
    };
    let root = corpus.root;
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
