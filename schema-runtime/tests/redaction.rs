//! Passwords never reach a message, whatever the shape of the URL that holds them.

use schema_runtime::connect;
use schema_runtime::testkit::TestServer;

#[test]
fn wrong_password_with_unencoded_at_and_slash_leaves_no_fragment() {
    let server = TestServer::shared();
    let Some(cluster) = server.temp_cluster() else {
        eprintln!("skipped: needs the throwaway cluster to change pg_hba.conf");
        return;
    };
    let db = server.create_database("redaction").unwrap();
    let mut admin = db.connect();
    admin
        .batch_execute("DO $$ BEGIN CREATE ROLE pw_redact LOGIN PASSWORD 'right@one/x'; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        .unwrap();
    // Require a password for this one role, ahead of the trust lines.
    let hba = cluster.data_dir().join("pg_hba.conf");
    let old = std::fs::read_to_string(&hba).unwrap();
    if !old.contains("pw_redact") {
        std::fs::write(&hba, format!("local all pw_redact scram-sha-256\n{old}")).unwrap();
        admin.batch_execute("SELECT pg_reload_conf()").unwrap();
    }

    // The wrong password, unencoded: every piece of it between the `@`, `/` and `:` must stay
    // out of the message, however the client library splits the URL.
    let fragments = ["qq7", "zz8", "yy9", "ww6"];
    let url = db
        .url()
        .replacen("postgres@", "pw_redact:qq7@zz8/yy9:ww6@", 1);
    let err = match connect(&url) {
        Ok(_) => panic!("a wrong password must not connect"),
        Err(e) => e,
    };
    for text in [err.to_string(), format!("{err:?}")] {
        for fragment in fragments {
            assert!(!text.contains(fragment), "{fragment} leaked: {text}");
        }
    }

    // The same role with its right password, percent-encoded, connects: the server really
    // checks passwords for it, so the failure above was the password's.
    let ok = db
        .url()
        .replacen("postgres@", "pw_redact:right%40one%2Fx@", 1);
    connect(&ok).unwrap();
}
