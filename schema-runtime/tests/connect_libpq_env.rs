//! `connect` through the libpq environment variables alone, as `psql` with no arguments: one
//! test in its own binary, since it sets the process environment.

mod tls_support;

use schema_runtime::{connect, ErrorKind};
use tls_support::{server, uses_tls, PASSWORD};

#[test]
fn the_pg_variables_and_the_password_file_work_as_for_psql() {
    let s = server();
    let port = s.port.to_string();
    for var in [
        "PGHOST",
        "PGHOSTADDR",
        "PGPORT",
        "PGUSER",
        "PGPASSWORD",
        "PGDATABASE",
        "PGSSLMODE",
        "PGSSLROOTCERT",
        "PGSSLCERT",
        "PGSSLKEY",
        "PGPASSFILE",
        "PGAPPNAME",
        "PGCONNECT_TIMEOUT",
    ] {
        std::env::remove_var(var);
    }
    std::env::set_var("PGHOST", "localhost");
    std::env::set_var("PGPORT", &port);
    std::env::set_var("PGUSER", "app");
    std::env::set_var("PGPASSWORD", PASSWORD);
    std::env::set_var("PGDATABASE", "postgres");
    std::env::set_var("PGSSLMODE", "verify-full");
    std::env::set_var("PGSSLROOTCERT", s.file("ca.crt"));
    std::env::set_var("PGAPPNAME", "pgdecl-env-test");
    std::env::set_var("PGCONNECT_TIMEOUT", "10");

    // An empty string: only the environment.
    let mut client = connect("").unwrap();
    assert!(uses_tls(&mut client));
    let row = client
        .query_one(
            "SELECT current_user::text, current_setting('application_name')",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "app");
    assert_eq!(row.get::<_, String>(1), "pgdecl-env-test");

    // The string wins over the environment, setting by setting.
    let err = connect("dbname=no_such_db").map(|_| ()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingDatabase);
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "connecting to host localhost:{port} from PGHOST/PGPORT, as user app from PGUSER, database no_such_db from the connection string, sslmode verify-full from PGSSLMODE, sslrootcert {} (from PGSSLROOTCERT), password from PGPASSWORD:",
            s.file("ca.crt")
        )),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");

    // A wrong PGPASSWORD is named as the thing to fix.
    std::env::set_var("PGPASSWORD", "not-the-password");
    let text = connect("").map(|_| ()).unwrap_err().to_string();
    assert!(
        text.contains(
            "the server refused the password for user app (from PGUSER): correct PGPASSWORD"
        ),
        "{text}"
    );

    // No PGPASSWORD: the password file of PGPASSFILE, matched by host, port, database, user.
    std::env::remove_var("PGPASSWORD");
    let pgpass = s.files.join("env-pgpass");
    std::fs::write(
        &pgpass,
        format!("localhost:{port}:postgres:app:{PASSWORD}\n"),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::env::set_var("PGPASSFILE", &pgpass);
    std::env::set_var("PGHOST", "127.0.0.1");
    // The certificate names localhost, not 127.0.0.1: verify-full refuses...
    let err = connect("").map(|_| ()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    // ... and with the name it succeeds, with the password from the file.
    std::env::set_var("PGHOST", "localhost");
    connect("").unwrap();
    // The file's line is for database postgres only.
    let text = connect("dbname=template1")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        text.contains(&format!(
            "no password (none given, and no line of {} matches localhost:{port}:template1:app)",
            pgpass.display()
        )),
        "{text}"
    );
}
