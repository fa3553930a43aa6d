//! The test-server harness against a real PostgreSQL: databases are separate, the client tools
//! reach them, and a throwaway cluster never outlives its process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use schema_runtime::testkit::{PgBinaries, TempCluster, TestServer};

/// Names the mode of this test binary when it is re-run as a child process by the tests
/// that check cleanup at process exit.
const CHILD_ENV: &str = "PGDECL_CLUSTER_TEST_CHILD";

fn exists(client: &mut postgres::Client, table: &str) -> bool {
    client
        .query_one("select to_regclass($1) is not null", &[&table])
        .unwrap()
        .get(0)
}

#[test]
fn each_test_database_is_its_own() {
    let server = TestServer::shared();
    let one = server.create_database("cluster_distinct").unwrap();
    let two = server.create_database("cluster_distinct").unwrap();
    assert_ne!(one.name(), two.name());
    assert!(
        one.name().starts_with("cluster_distinct_"),
        "{}",
        one.name()
    );

    let mut c1 = one.connect();
    let mut c2 = two.connect();
    for (client, db) in [(&mut c1, &one), (&mut c2, &two)] {
        let row = client
            .query_one("select 1, current_database()::text", &[])
            .unwrap();
        assert_eq!(row.get::<_, i32>(0), 1);
        assert_eq!(row.get::<_, String>(1), db.name());
    }

    c1.batch_execute("create table only_in_one (id int)")
        .unwrap();
    assert!(exists(&mut c1, "only_in_one"));
    assert!(!exists(&mut c2, "only_in_one"));
}

#[test]
fn psql_and_pg_dump_reach_the_database() {
    let db = TestServer::shared()
        .create_database("cluster_tools")
        .unwrap();
    db.connect()
        .batch_execute("create table dumped (id bigint primary key, note text not null)")
        .unwrap();

    let out = db
        .psql_command()
        .args(["-At", "-c", "select current_database()"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), db.name());

    // ON_ERROR_STOP: a failing statement must fail the command.
    let out = db
        .psql_command()
        .args(["-c", "select * from no_such_table"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_table"));

    let out = db
        .pg_dump_command()
        .args(["--schema-only", "--no-owner"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump = String::from_utf8(out.stdout).unwrap();
    assert!(dump.contains("CREATE TABLE public.dumped ("), "{dump}");
    assert!(dump.contains("note text NOT NULL"), "{dump}");
}

#[test]
fn dropping_a_test_database_drops_it() {
    let server = TestServer::shared();
    let db = server.create_database("cluster_drop").unwrap();
    let name = db.name().to_owned();
    // A connection left open must not stop the drop.
    let _open = db.connect();
    drop(db);
    let count: i64 = server
        .connect()
        .unwrap()
        .query_one(
            "select count(*) from pg_database where datname = $1",
            &[&name],
        )
        .unwrap()
        .get(0);
    assert_eq!(count, 0, "database {name} still exists");
}

/// The throwaway-cluster tests need local server binaries. With DATABASE_URL set the suite
/// may run on a machine without them; elsewhere a missing binary is a failure.
fn local_binaries_expected() -> bool {
    if std::env::var_os("DATABASE_URL").is_some_and(|u| !u.is_empty()) {
        if let Err(err) = PgBinaries::find() {
            eprintln!("skipped: DATABASE_URL is set and {err}");
            return false;
        }
    }
    true
}

fn postmaster_pid(data_dir: &Path) -> u32 {
    let pidfile = std::fs::read_to_string(data_dir.join("postmaster.pid")).unwrap();
    pidfile.lines().next().unwrap().trim().parse().unwrap()
}

/// Whether process `pid` runs. A zombie does not: it is gone but for its exit status, which
/// its parent (possibly an init that never reaps) has not collected.
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // "pid (comm) S ...": the state follows the last ')'.
        Ok(stat) => {
            let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start());
            !matches!(state.and_then(|s| s.chars().next()), Some('Z' | 'X'))
        }
        Err(_) => false,
    }
}

/// The server processes: the postmaster and its children (checkpointer, walwriter, ...).
fn server_processes(postmaster: u32) -> Vec<u32> {
    let mut pids = vec![postmaster];
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(postmaster) {
            pids.push(pid);
        }
    }
    pids
}

/// Waits up to 5 s for the processes to end and the directory to disappear; returns how long
/// that took, or panics naming what is left.
fn assert_cleaned_up(pids: &[u32], dir: &Path) -> Duration {
    let start = Instant::now();
    loop {
        let left: Vec<u32> = pids.iter().copied().filter(|&p| alive(p)).collect();
        if left.is_empty() && !dir.exists() {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "after 5 s, server processes {left:?} still run and/or {} still exists",
            dir.display()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn dropping_a_temp_cluster_stops_it_and_removes_its_directory() {
    if !local_binaries_expected() {
        return;
    }
    let cluster = TempCluster::start().unwrap();
    let dir = cluster.dir().to_owned();
    assert!(cluster.socket_dir().starts_with(&dir));
    cluster
        .connect()
        .unwrap()
        .batch_execute("select 1")
        .unwrap();
    let pids = server_processes(postmaster_pid(&cluster.data_dir()));
    assert!(
        pids.len() > 1,
        "expected the postmaster's children too: {pids:?}"
    );

    drop(cluster);
    // Drop waits for the cleanup, so nothing should be left right away.
    let took = assert_cleaned_up(&pids, &dir);
    assert!(
        took < Duration::from_millis(500),
        "cleanup after drop took {took:?}"
    );
}

/// Kills the child on the way out, should an assertion fail before the test does.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs this test binary again, as a process that starts the shared cluster and then ends as
/// `mode` says, and checks that the server and its directory go with it.
fn check_cleanup_when_process_ends(mode: &str) {
    if !local_binaries_expected() {
        return;
    }
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_process_entry",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);

    let mut dir = None;
    let mut pid = None;
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        // libtest may have printed "test child_process_entry ... " on the same line.
        if let Some((_, d)) = line.split_once("PGDECL_DIR=") {
            dir = Some(PathBuf::from(d));
        } else if let Some((_, p)) = line.split_once("PGDECL_PID=") {
            pid = Some(p.parse::<u32>().unwrap());
        }
        if dir.is_some() && pid.is_some() {
            break;
        }
    }
    let (dir, pid) = (
        dir.expect("the child printed no directory"),
        pid.expect("the child printed no postmaster pid"),
    );
    // Some children may be on their way out already (the backend of the connection that
    // saw the server ready): only the postmaster must be running now.
    let pids = server_processes(pid);
    assert!(alive(pid), "the postmaster {pid} does not run");
    assert!(dir.join("data").is_dir());

    match mode {
        "kill" => {
            child.0.kill().unwrap();
            child.0.wait().unwrap();
        }
        _ => {
            // Read to the end: a closed pipe would make the child's last prints fail it.
            let rest: Vec<String> = lines.map(Result::unwrap).collect();
            let status = child.0.wait().unwrap();
            assert!(status.success(), "child: {status}\n{}", rest.join("\n"));
        }
    }
    let took = assert_cleaned_up(&pids, &dir);
    assert!(took < Duration::from_secs(2), "cleanup took {took:?}");
}

#[test]
fn the_cluster_goes_when_its_process_exits() {
    check_cleanup_when_process_ends("exit");
}

#[test]
fn the_cluster_goes_when_its_process_is_killed() {
    check_cleanup_when_process_ends("kill");
}

/// Not a test of its own: the body of the child process of the two tests above. In a normal
/// run, without the environment variable, it does nothing.
#[test]
fn child_process_entry() {
    let Ok(mode) = std::env::var(CHILD_ENV) else {
        return;
    };
    let cluster = TempCluster::shared();
    println!("PGDECL_DIR={}", cluster.dir().display());
    println!("PGDECL_PID={}", postmaster_pid(&cluster.data_dir()));
    if mode == "kill" {
        // Wait to be killed (the parent kills it at once; the bound is for a parent that died).
        thread::sleep(Duration::from_secs(120));
    }
    // "exit": return, and let the process end without dropping the static cluster.
}
