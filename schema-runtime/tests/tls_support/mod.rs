//! A throwaway server with TLS for the connection tests: certificates made by the test (a CA,
//! the server's for `localhost` only, a client's for role `certuser`, and an unrelated CA),
//! TCP on 127.0.0.1, and a pg_hba.conf with password, TLS-only and certificate logins.

#![allow(dead_code)] // each test binary uses part of it

use std::path::PathBuf;
use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use schema_runtime::testkit::{ClusterOptions, TempCluster};

/// The password of role `app` (and of `tlsonly`).
pub const PASSWORD: &str = "pw-Zq9xK7";

pub struct TlsServer {
    pub cluster: TempCluster,
    pub port: u16,
    /// The client's files: ca.crt, other-ca.crt, client.crt, client.key.
    pub files: PathBuf,
}

impl TlsServer {
    /// The path of one of the client's files, as a string for connection strings.
    pub fn file(&self, name: &str) -> String {
        self.files.join(name).display().to_string()
    }
}

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A certificate for `names` (SANs) with common name `cn`, signed by `issuer`: (cert, key).
fn leaf(issuer: &CertifiedIssuer<'static, KeyPair>, cn: &str, names: &[&str]) -> (String, String) {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, issuer).unwrap();
    (cert.pem(), key.serialize_pem())
}

/// The server of this test binary, started on first use.
pub fn server() -> &'static TlsServer {
    static SERVER: OnceLock<TlsServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let ca = ca("pgdecl test CA");
        let other = ca_other();
        // `localhost` only: 127.0.0.1 is not a name of the certificate (verify-full refuses
        // it, verify-ca does not care).
        let (server_cert, server_key) = leaf(&ca, "localhost", &["localhost"]);
        let (client_cert, client_key) = leaf(&ca, "certuser", &[]);
        let cluster = TempCluster::start_with(
            &ClusterOptions::default()
                .tcp()
                .data_file("server.crt", server_cert)
                .data_file("server.key", server_key)
                .data_file("ca.crt", ca.pem())
                .setting("ssl", "on")
                .setting("ssl_cert_file", "server.crt")
                .setting("ssl_key_file", "server.key")
                .setting("ssl_ca_file", "ca.crt")
                .setting("password_encryption", "scram-sha-256")
                .hba(
                    "local all all trust\n\
                     hostssl all certuser 127.0.0.1/32 cert\n\
                     hostssl all tlsonly 127.0.0.1/32 scram-sha-256\n\
                     host all app 127.0.0.1/32 scram-sha-256\n",
                ),
        )
        .unwrap_or_else(|e| panic!("cannot start a TLS test server: {e}"));
        cluster
            .connect()
            .unwrap()
            .batch_execute(&format!(
                "CREATE ROLE app LOGIN CREATEDB PASSWORD '{PASSWORD}';
                 CREATE ROLE tlsonly LOGIN PASSWORD '{PASSWORD}';
                 CREATE ROLE certuser LOGIN;"
            ))
            .unwrap();
        let files = cluster.dir().join("client");
        std::fs::create_dir(&files).unwrap();
        std::fs::write(files.join("ca.crt"), ca.pem()).unwrap();
        std::fs::write(files.join("other-ca.crt"), other.pem()).unwrap();
        std::fs::write(files.join("client.crt"), client_cert).unwrap();
        std::fs::write(files.join("client.key"), client_key).unwrap();
        let port = cluster.tcp_port().expect("started with TCP");
        TlsServer {
            cluster,
            port,
            files,
        }
    })
}

fn ca_other() -> CertifiedIssuer<'static, KeyPair> {
    ca("some other CA")
}

/// Whether `client`'s connection is encrypted.
pub fn uses_tls(client: &mut postgres::Client) -> bool {
    client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}
