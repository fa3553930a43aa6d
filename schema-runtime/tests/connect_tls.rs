//! `connect` against a real server with TLS, certificates made by the test: libpq's sslmode
//! semantics, client certificates, the password file, and errors that name the settings used
//! and give advice for the actual cause.

mod tls_support;

use schema_runtime::{connect, ErrorKind};
use tls_support::{server, uses_tls, PASSWORD};

/// `key=value` settings for role `app` on the test server at `host`, plus `extra`.
fn app(host: &str, extra: &str) -> String {
    let s = server();
    format!(
        "host={host} port={} user=app password={PASSWORD} dbname=postgres passfile=/nonexistent {extra}",
        s.port
    )
}

fn error_of(conninfo: &str) -> schema_runtime::Error {
    match connect(conninfo) {
        Ok(_) => panic!("connected, but should not have: {conninfo}"),
        Err(e) => e,
    }
}

#[test]
fn verify_full_with_the_servers_ca_connects_encrypted() {
    let s = server();
    let mut client = connect(&app(
        "localhost",
        &format!("sslmode=verify-full sslrootcert={}", s.file("ca.crt")),
    ))
    .unwrap();
    assert!(uses_tls(&mut client));

    // The same as a URL, as DATABASE_URL would hold it.
    let url = format!(
        "postgresql://app:{PASSWORD}@localhost:{}/postgres?sslmode=verify-full&sslrootcert={}",
        s.port,
        s.file("ca.crt")
    );
    assert!(uses_tls(&mut connect(&url).unwrap()));
}

#[test]
fn scram_channel_binding_over_tls() {
    let s = server();
    // channel_binding=require fails unless SCRAM-SHA-256-PLUS with the certificate's hash
    // succeeded.
    let mut client = connect(&app(
        "localhost",
        &format!(
            "sslmode=verify-full sslrootcert={} channel_binding=require",
            s.file("ca.crt")
        ),
    ))
    .unwrap();
    assert!(uses_tls(&mut client));
}

#[test]
fn verify_full_refuses_a_certificate_from_another_ca() {
    let s = server();
    let other = s.file("other-ca.crt");
    let err = error_of(&app(
        "localhost",
        &format!("sslmode=verify-full sslrootcert={other}"),
    ));
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "connecting to host localhost:{} from the connection string",
            s.port
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "help: the server's certificate is not signed by a CA in sslrootcert {other} (from the connection string)"
        )),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");
    // The advice is for this cause only.
    let help = text.split("help:").nth(1).unwrap();
    assert!(!help.contains("pg_isready"), "{text}");
    assert!(!help.contains("password"), "{text}");

    // require with a root certificate checks it, as libpq does.
    let err = error_of(&app(
        "localhost",
        &format!("sslmode=require sslrootcert={other}"),
    ));
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
}

#[test]
fn verify_full_checks_the_host_name_and_verify_ca_does_not() {
    let s = server();
    let ca = s.file("ca.crt");
    // The certificate names localhost only.
    let err = error_of(&app(
        "127.0.0.1",
        &format!("sslmode=verify-full sslrootcert={ca}"),
    ));
    assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
    assert!(
        err.to_string()
            .contains("the server's certificate is not issued for 127.0.0.1"),
        "{err}"
    );
    let mut client = connect(&app(
        "127.0.0.1",
        &format!("sslmode=verify-ca sslrootcert={ca}"),
    ))
    .unwrap();
    assert!(uses_tls(&mut client));
}

#[test]
fn require_without_a_root_certificate_encrypts_without_checking() {
    let mut client = connect(&app("127.0.0.1", "sslmode=require")).unwrap();
    assert!(uses_tls(&mut client));
    // prefer (the default) uses TLS when the server has it.
    assert!(uses_tls(&mut connect(&app("localhost", "")).unwrap()));
}

#[test]
fn prefer_falls_back_to_plain_when_the_certificate_fails_as_libpq_does() {
    let s = server();
    let mut client = connect(&app(
        "localhost",
        &format!("sslmode=prefer sslrootcert={}", s.file("other-ca.crt")),
    ))
    .unwrap();
    assert!(!uses_tls(&mut client));
}

#[test]
fn verify_modes_need_a_root_certificate() {
    let err = error_of(&app("localhost", "sslmode=verify-full"));
    assert_eq!(err.kind(), ErrorKind::Tls);
    let text = err.to_string();
    assert!(
        text.contains("sslmode verify-full (from the connection string) checks the server's certificate against a trusted CA, and none is given"),
        "{text}"
    );
    assert!(text.contains("sslrootcert"), "{text}");
}

#[test]
fn a_tls_only_user_is_told_to_use_tls() {
    let tlsonly = |extra: &str| {
        format!(
            "host=127.0.0.1 port={} user=tlsonly password={PASSWORD} dbname=postgres {extra}",
            server().port
        )
    };
    let err = error_of(&tlsonly("sslmode=disable"));
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    assert_eq!(err.sqlstate(), Some("28000"));
    let text = err.to_string();
    assert!(text.contains("no pg_hba.conf entry"), "{text}");
    assert!(
        text.contains("help: the server accepts this user and database only over TLS"),
        "{text}"
    );
    assert!(text.contains("use sslmode=require or stronger"), "{text}");
    // allow: plain first, then TLS when the server refused.
    assert!(uses_tls(&mut connect(&tlsonly("sslmode=allow")).unwrap()));
}

#[test]
fn client_certificate_authentication() {
    let s = server();
    let certuser = |extra: &str| {
        format!(
            "host=localhost port={} user=certuser dbname=postgres sslmode=verify-full sslrootcert={} {extra}",
            s.port,
            s.file("ca.crt")
        )
    };
    let mut client = connect(&certuser(&format!(
        "sslcert={} sslkey={}",
        s.file("client.crt"),
        s.file("client.key")
    )))
    .unwrap();
    assert!(uses_tls(&mut client));
    let user: String = client.query_one("SELECT current_user", &[]).unwrap().get(0);
    assert_eq!(user, "certuser");

    let err = error_of(&certuser(""));
    let text = err.to_string();
    assert!(
        text.contains("help: the server wants a client certificate"),
        "{text}"
    );
    assert!(text.contains("set sslcert and sslkey"), "{text}");
}

#[test]
fn wrong_and_missing_passwords_name_their_source() {
    let s = server();
    let err = error_of(&format!(
        "host=127.0.0.1 port={} user=app password=wrong dbname=postgres",
        s.port
    ));
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("password from the connection string"),
        "{text}"
    );
    assert!(
        text.contains("correct the password in the connection string"),
        "{text}"
    );
    assert!(!text.contains("wrong"), "{text}");
    assert!(!text.contains("pg_isready"), "{text}");

    let err = error_of(&format!(
        "host=127.0.0.1 port={} user=app dbname=postgres passfile=/nonexistent/pgpass",
        s.port
    ));
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("the server asked for a password for user app and none was given"),
        "{text}"
    );
    assert!(
        text.contains("no password (none given, and no password file /nonexistent/pgpass)"),
        "{text}"
    );
}

#[test]
fn the_password_file_is_used_and_named() {
    use std::os::unix::fs::PermissionsExt;
    let s = server();
    let file = s.files.join(format!("pgpass-{}", line!()));
    let write = |text: &str, mode: u32| {
        std::fs::write(&file, text).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    let conninfo = format!(
        "postgresql://app@127.0.0.1:{}/postgres?passfile={}&sslmode=disable",
        s.port,
        file.display()
    );
    write(
        &format!(
            "# test\nother:*:*:*:nope\n127.0.0.1:{}:postgres:app:{PASSWORD}\n",
            s.port
        ),
        0o600,
    );
    connect(&conninfo).unwrap();

    write(&format!("*:{}:*:app:not-it\n", s.port), 0o600);
    let text = error_of(&conninfo).to_string();
    assert!(
        text.contains(&format!("password from {} line 1", file.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "the server refused the password from line 1 of {} for user app",
            file.display()
        )),
        "{text}"
    );
    assert!(!text.contains("not-it"), "{text}");

    // Readable by others: ignored, as libpq does, and the error says why.
    write(&format!("*:*:*:*:{PASSWORD}\n"), 0o644);
    let text = error_of(&conninfo).to_string();
    assert!(text.contains("group or world access"), "{text}");
    assert!(text.contains("chmod 0600"), "{text}");
}

#[test]
fn a_missing_database_and_a_refused_port_get_their_own_advice() {
    let s = server();
    let err = error_of(&format!(
        "host=127.0.0.1 port={} user=app password={PASSWORD} dbname=no_such_db",
        s.port
    ));
    assert_eq!(err.kind(), ErrorKind::MissingDatabase, "{err}");
    let text = err.to_string();
    assert!(
        text.contains("help: database no_such_db (from the connection string) does not exist"),
        "{text}"
    );

    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = error_of(&format!(
        "host=127.0.0.1 port={port} user=app password=x dbname=postgres connect_timeout=5"
    ));
    assert_eq!(err.kind(), ErrorKind::Unreachable, "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "help: nothing accepts connections at host 127.0.0.1:{port} (from the connection string)"
        )),
        "{text}"
    );
    let help = text.split("help:").nth(1).unwrap();
    assert!(!help.contains("password"), "{text}");

    // Two hosts: the second works.
    let mut client = connect(&format!(
        "host=127.0.0.1,localhost port={port},{} user=app password={PASSWORD} dbname=postgres",
        s.port
    ))
    .unwrap();
    let one: i32 = client.query_one("SELECT 1", &[]).unwrap().get(0);
    assert_eq!(one, 1);
}
