//! Many databases against a real PostgreSQL: 50 databases converged 8 at a time (the scale), one bad
//! database failing alone, one result line each, the count of failures.

mod versions;

use schema_runtime::many::{converge_many, read_urls_file, run_many, ManyOptions};
use schema_runtime::testkit::TestServer;
use schema_runtime::{validate, Mode, Policy};
use versions::schema;

#[test]
fn many_databases_converge_with_bounded_jobs_and_one_failure_stops_nothing() {
    let server = TestServer::shared();
    let dbs: Vec<_> = (0..50)
        .map(|i| server.create_database(&format!("many_{i}")).unwrap())
        .collect();
    let mut urls: Vec<String> = dbs.iter().map(|d| d.url().to_string()).collect();
    // A database that does not exist, in the middle: its own failure only.
    let missing = urls[0].replace(dbs[0].name(), "pgdecl_no_such_database");
    urls.insert(25, missing);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("urls");
    std::fs::write(&file, format!("# tenants\n\n{}\n", urls.join("\n"))).unwrap();
    let urls = read_urls_file(&file).unwrap();
    assert_eq!(urls.len(), 51);

    let options = ManyOptions {
        jobs: 8,
        progress: true,
    };
    let report = converge_many(&urls, &schema(false), &Policy::new(Mode::Apply), options);
    assert_eq!(report.results.len(), 51);
    assert_eq!(report.failures(), 1, "{report}");
    assert_eq!(report.exit_code(), 1);
    assert!(report.results[25].failed());
    assert!(
        report.results[25].line().starts_with("FAILED"),
        "{}",
        report.results[25].line()
    );
    assert!(report.results[25]
        .line()
        .contains("pgdecl_no_such_database"));
    for (i, r) in report.results.iter().enumerate().filter(|(i, _)| *i != 25) {
        assert!(r.line().starts_with("ok"), "{i}: {}", r.line());
        // In the order given.
        assert_eq!(r.target, urls[i]);
    }
    let text = report.to_string();
    assert_eq!(text.lines().count(), 52);
    assert!(text.ends_with("51 database(s), 1 failed"), "{text}");
    for db in &dbs {
        validate(&mut db.connect(), &schema(false)).unwrap();
    }

    // At most `jobs` at a time: count the connections open at once.
    let open = std::sync::atomic::AtomicUsize::new(0);
    let peak = std::sync::atomic::AtomicUsize::new(0);
    let report = run_many(
        &urls[..8],
        ManyOptions {
            jobs: 3,
            progress: false,
        },
        &|client| {
            use std::sync::atomic::Ordering::SeqCst;
            let now = open.fetch_add(1, SeqCst) + 1;
            peak.fetch_max(now, SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(50));
            let r =
                schema_runtime::converge(client, &schema(false), &Policy::new(Mode::ValidateOnly));
            open.fetch_sub(1, SeqCst);
            r
        },
    );
    assert_eq!(report.failures(), 0, "{report}");
    let peak = peak.load(std::sync::atomic::Ordering::SeqCst);
    assert!((2..=3).contains(&peak), "peak {peak}");
}

#[test]
fn an_empty_urls_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("urls");
    std::fs::write(&file, "# nothing\n").unwrap();
    let err = read_urls_file(&file).unwrap_err();
    assert!(err.to_string().contains("one URL per line"), "{err}");
}
