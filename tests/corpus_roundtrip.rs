//! Every version of every schema of the practice corpus round-trips: `pgdecl inspect` leaves
//! nothing out as not modelled, the `schema!` source it prints compiles in a crate of its own,
//! and the plan of that crate against the same database is empty.
//!
//! Runs when the corpus is found: `PGDECL_CORPUS`, else `../shared/corpus` beside the
//! workspace (where CI has it); `PGDECL_CORPUS_ONLY=folder[,folder...]` narrows the run. The
//! sources of all versions are compiled together, as the binaries of one generated crate (its
//! own target directory under `target/tmp`, so the dependencies build once), then each binary
//! plans against its version's database. A table of the outcomes is printed at the end.
//!
//! Versions that do not round-trip yet are listed in [`EXPECTED_FAILURES`] with the reason:
//! the test fails if any other version fails, and also if a listed one now passes (remove it
//! from the list and from the README).

mod corpus_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use corpus_support::{corpus, first_line, load, Outcomes};
use pgdecl::runtime::introspect::{introspect, Scope};
use pgdecl::runtime::source::to_schema_source;
use schema_runtime::testkit::{TestDatabase, TestServer};

/// Versions that do not round-trip yet, as `folder@version`, with what is missing.
const EXPECTED_FAILURES: &[(&str, &str)] = &[];

#[test]
fn corpus_versions_round_trip() {
    let Some(corpus) = corpus() else {
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus_roundtrip");
    let bins = dir.join("src").join("bin");
    let _ = std::fs::remove_dir_all(&bins);
    std::fs::create_dir_all(&bins).unwrap();

    // Load and inspect each version; keep the databases until their binaries ran.
    let mut outcomes = Outcomes::default();
    let mut pending: Vec<(String, String, TestDatabase)> = Vec::new();
    for (folder, version) in corpus.versions() {
        let label = format!("{}@{version}", corpus.name(&folder));
        eprintln!("=== {label}");
        let db = TestServer::shared()
            .create_database(&format!("corpus_rt_{}", corpus.name(&folder)))
            .unwrap();
        if let Err(e) = load(&corpus.load_sh, &folder, &db, &version) {
            outcomes.fail(&label, "load", &e);
            continue;
        }
        let found = match introspect(&mut db.connect(), &Scope::default()) {
            Ok(found) => found,
            Err(e) => {
                outcomes.fail(&label, "inspect", &e.to_string());
                continue;
            }
        };
        if !found.unmodeled.is_empty() {
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            for u in &found.unmodeled {
                *kinds.entry(u.kind.as_str()).or_default() += 1;
            }
            let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
            eprintln!("not modelled: {:?}", found.unmodeled);
            outcomes.fail(&label, "unmodelled", &list.join(", "));
            continue;
        }
        let bin = bin_name(&label);
        std::fs::write(
            bins.join(format!("{bin}.rs")),
            format!(
                "mod declared {{\n{}}}\n\n\
                 fn main() {{\n\
                 \x20   let url = std::env::args().nth(1).expect(\"a database URL\");\n\
                 \x20   let mut client = pgdecl::runtime::connect(&url).expect(\"connect\");\n\
                 \x20   let plan = pgdecl::runtime::plan(&mut client, &declared::SCHEMA, &[]).unwrap_or_else(|e| {{ eprintln!(\"pgdecl: {{e}}\"); std::process::exit(1) }});\n\
                 \x20   if !plan.changes.is_empty() {{\n\
                 \x20       eprintln!(\"the plan is not empty:\\n{{}}\", plan.to_sql());\n\
                 \x20       std::process::exit(1);\n\
                 \x20   }}\n\
                 }}\n",
                to_schema_source(&found.schema)
            ),
        )
        .unwrap();
        pending.push((label, bin, db));
    }

    if !pending.is_empty() {
        // No binary of an earlier run may pass for one that does not build now.
        for (_, bin, _) in &pending {
            let _ = std::fs::remove_file(dir.join("target/debug").join(bin));
        }
        let errors = build(&dir);
        for (label, bin, db) in &pending {
            if let Some(error) = errors.get(bin) {
                eprintln!("--- {label}: does not compile\n{error}");
                outcomes.fail(label, "compile", first_line(error).as_str());
                continue;
            }
            let out = Command::new(dir.join("target/debug").join(bin))
                .arg(db.url())
                .output()
                .expect("the binary runs");
            if out.status.success() {
                outcomes.pass(label);
            } else {
                let text = String::from_utf8_lossy(&out.stderr).into_owned();
                eprintln!("--- {label}: plan not empty\n{text}");
                outcomes.fail(label, "plan", &first_line(&text));
            }
        }
    }
    outcomes.finish("versions round-trip", EXPECTED_FAILURES);
}

/// A binary name for `folder@version`.
fn bin_name(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Builds every binary of the generated crate in `dir`, going on past failures; returns the
/// compiler's errors by binary.
fn build(dir: &Path) -> BTreeMap<String, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"corpus-roundtrip\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\npgdecl = {{ path = {:?} }}\n\n[workspace]\n",
            root.display().to_string()
        ),
    )
    .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "build",
            "--bins",
            "--keep-going",
            "--quiet",
            "--message-format=short",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for line in stderr.lines() {
        // `src/bin/NAME.rs:12:5: error: ...`
        let Some(rest) = line.strip_prefix("src/bin/") else {
            continue;
        };
        let Some((name, _)) = rest.split_once(".rs:") else {
            continue;
        };
        if line.contains(": error") {
            let e = errors.entry(name.to_string()).or_default();
            e.push_str(line);
            e.push('\n');
        }
    }
    // A binary that did not build and has no error line of its own (a dependency failed).
    for entry in std::fs::read_dir(dir.join("src/bin")).unwrap().flatten() {
        let name = entry
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !dir.join("target/debug").join(&name).is_file() {
            errors
                .entry(name)
                .or_insert_with(|| format!("not built:\n{stderr}"));
        }
    }
    errors
}
