//! TLS with rustls (the `ring` provider; no OpenSSL): the client configuration `sslmode`,
//! `sslrootcert`, `sslcert` and `sslkey` call for, and the connector the `postgres` crate
//! drives.
//!
//! How much is verified follows libpq: `verify-full` checks the chain and the host name,
//! `verify-ca` only the chain, and `require`/`prefer`/`allow` nothing, unless a root
//! certificate is given (or `~/.postgresql/root.crt` exists), when they check the chain as
//! `verify-ca` does.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
use postgres::Socket;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::settings::{ConnectSettings, RootCert, Setting, SslMode};
use crate::error::{Error, ErrorKind};

/// What the client checks of the server's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verify {
    /// Nothing: encryption without authentication (`require` without a root certificate).
    Nothing,
    /// The chain up to a trusted CA, not the host name (`verify-ca`).
    Chain,
    /// The chain and the host name (`verify-full`).
    Full,
}

impl ConnectSettings {
    /// What the server's certificate is checked for, by `sslmode` and whether a root
    /// certificate is configured; `Err` for verify-ca/verify-full without one.
    pub(crate) fn verification(&self) -> Result<Verify, Error> {
        match (self.sslmode.value, &self.sslrootcert) {
            (SslMode::VerifyFull, Some(_)) => Ok(Verify::Full),
            (SslMode::VerifyCa, Some(_)) => Ok(Verify::Chain),
            (SslMode::VerifyFull | SslMode::VerifyCa, None) => Err(Error::new(
                ErrorKind::Tls,
                "setting up TLS",
                format!(
                    "sslmode {} ({}) checks the server's certificate against a trusted CA, and none is given: \
                     set sslrootcert (or PGSSLROOTCERT) to the CA's certificate file, or to `system` for the \
                     operating system's trusted CAs (or put it in ~/.postgresql/root.crt); or use \
                     sslmode=require to encrypt without checking the server",
                    self.sslmode.value.name(),
                    self.sslmode.origin
                ),
            )),
            // libpq checks the chain whenever a root certificate is there.
            (_, Some(_)) => Ok(Verify::Chain),
            (_, None) => Ok(Verify::Nothing),
        }
    }

    /// The rustls configuration, or `None` for `sslmode=disable`.
    pub(crate) fn tls_config(&self) -> Result<Option<Arc<ClientConfig>>, Error> {
        if self.sslmode.value == SslMode::Disable {
            return Ok(None);
        }
        let verify = self.verification()?;
        // ring rather than aws-lc-rs (rustls' default) keeps the build free of cmake and a
        // large C library. rustls 0.23.48 deprecates ring's provider only for lacking
        // post-quantum key exchange, which PostgreSQL's OpenSSL does not require.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier: Arc<dyn ServerCertVerifier> = match verify {
            Verify::Nothing => Arc::new(NoVerification(provider.clone())),
            Verify::Chain | Verify::Full => {
                let root = self
                    .sslrootcert
                    .as_ref()
                    .expect("checked by verification()");
                let roots = load_roots(root)?;
                let webpki =
                    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                        .build()
                        .map_err(|e| {
                            tls_setup(format!("sslrootcert {}: {e}", describe_root(root)))
                        })?;
                match verify {
                    Verify::Full => webpki,
                    _ => Arc::new(ChainOnly(webpki)),
                }
            }
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_setup(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let mut config = match (&self.sslcert, &self.sslkey) {
            (Some(cert), key) => {
                let chain = load_certs(cert, "sslcert")?;
                let key = match key {
                    Some(key) => key.clone(),
                    None => {
                        return Err(tls_setup(format!(
                            "sslcert {} ({}) is given without sslkey: set sslkey (or PGSSLKEY) to its private key file",
                            cert.value.display(),
                            cert.origin
                        )))
                    }
                };
                let private = load_key(&key)?;
                builder.with_client_auth_cert(chain, private).map_err(|e| {
                    tls_setup(format!(
                        "sslcert {} and sslkey {} do not make a client certificate: {e}",
                        cert.value.display(),
                        key.value.display()
                    ))
                })?
            }
            (None, _) => builder.with_no_client_auth(),
        };
        // PostgreSQL 17 accepts (and with sslnegotiation=direct requires) the ALPN name;
        // older servers ignore it.
        config.alpn_protocols = vec![b"postgresql".to_vec()];
        Ok(Some(Arc::new(config)))
    }
}

fn tls_setup(detail: String) -> Error {
    Error::new(ErrorKind::Tls, "setting up TLS", detail)
}

pub(crate) fn describe_root(root: &Setting<RootCert>) -> String {
    match &root.value {
        RootCert::File(path) => format!("{} ({})", path.display(), root.origin),
        RootCert::System => format!("system ({})", root.origin),
    }
}

fn load_roots(root: &Setting<RootCert>) -> Result<RootCertStore, Error> {
    let mut store = RootCertStore::empty();
    let files = match &root.value {
        RootCert::File(path) => vec![path.clone()],
        RootCert::System => {
            let found = system_bundles();
            if found.is_empty() {
                return Err(tls_setup(format!(
                    "sslrootcert=system ({}): no CA bundle found (looked at SSL_CERT_FILE and {}); install the \
                     ca-certificates package, or set sslrootcert to a CA file",
                    root.origin,
                    SYSTEM_BUNDLES.join(", ")
                )));
            }
            found
        }
    };
    for file in files {
        let certs = load_certs(
            &Setting {
                value: file.clone(),
                origin: root.origin.clone(),
            },
            "sslrootcert",
        )?;
        let (_, unusable) = store.add_parsable_certificates(certs);
        if store.is_empty() {
            return Err(tls_setup(format!(
                "sslrootcert {} ({}) holds no usable CA certificate ({unusable} could not be read)",
                file.display(),
                root.origin
            )));
        }
    }
    Ok(store)
}

/// The CA bundles the operating system keeps, as OpenSSL would find them (what libpq's
/// `sslrootcert=system` uses): `SSL_CERT_FILE`, else the first bundle of the usual places.
/// Read directly, so that no OpenSSL-named crate is needed.
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",   // Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",             // openSUSE
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // RHEL 7+
    "/etc/ssl/cert.pem",                  // Alpine, macOS, BSDs
];

fn system_bundles() -> Vec<PathBuf> {
    if let Some(file) = std::env::var_os("SSL_CERT_FILE").filter(|f| !f.is_empty()) {
        return vec![PathBuf::from(file)];
    }
    SYSTEM_BUNDLES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .into_iter()
        .collect()
}

fn load_certs(file: &Setting<PathBuf>, key: &str) -> Result<Vec<CertificateDer<'static>>, Error> {
    let unreadable = |e: &dyn std::fmt::Display| {
        tls_setup(format!(
            "{key} {} ({}): cannot read it as PEM certificates: {e}",
            file.value.display(),
            file.origin
        ))
    };
    let certs = CertificateDer::pem_file_iter(&file.value)
        .map_err(|e| unreadable(&pem_error(&file.value, e)))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| unreadable(&pem_error(&file.value, e)))?;
    if certs.is_empty() {
        return Err(unreadable(&"no `BEGIN CERTIFICATE` block in it"));
    }
    Ok(certs)
}

fn load_key(file: &Setting<PathBuf>) -> Result<PrivateKeyDer<'static>, Error> {
    PrivateKeyDer::from_pem_file(&file.value).map_err(|e| {
        tls_setup(format!(
            "sslkey {} ({}): cannot read a PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted) from it: {}",
            file.value.display(),
            file.origin,
            pem_error(&file.value, e)
        ))
    })
}

fn pem_error(path: &Path, e: rustls::pki_types::pem::Error) -> String {
    match e {
        rustls::pki_types::pem::Error::Io(io) => io.to_string(),
        rustls::pki_types::pem::Error::NoItemsFound => "no PEM block of that kind in it".to_owned(),
        other => format!("{other:?} in {}", path.display()),
    }
}

/// `require` without a root certificate: encrypted, the server not authenticated (libpq's
/// behaviour). The handshake signatures are still checked, so the peer holds the key of the
/// certificate it sent.
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted CA; the name in the certificate may differ
/// from the host. webpki checks the chain before the name, so a name mismatch is the only
/// error left once the chain is good.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// The `postgres` crate's TLS hook, over rustls. A configuration of `None` (sslmode=disable)
/// never negotiates TLS.
#[derive(Clone)]
pub(crate) struct RustlsConnector(pub(crate) Option<Arc<ClientConfig>>);

impl MakeTlsConnect<Socket> for RustlsConnector {
    type Stream = RustlsStream;
    type TlsConnect = RustlsConnect;
    type Error = io::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RustlsConnect, io::Error> {
        // The name is checked in `connect`: this is called for Unix sockets too (with an
        // empty name), where no TLS follows.
        Ok(RustlsConnect {
            config: self.0.clone(),
            hostname: domain.to_owned(),
        })
    }
}

/// One connection's TLS handshake.
pub(crate) struct RustlsConnect {
    config: Option<Arc<ClientConfig>>,
    hostname: String,
}

impl TlsConnect<Socket> for RustlsConnect {
    type Stream = RustlsStream;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        Box::pin(async move {
            let config = self.config.ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "TLS is disabled (sslmode=disable)",
                )
            })?;
            let name = ServerName::try_from(self.hostname.clone()).map_err(|_| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("`{}` is not a host name TLS can verify", self.hostname),
                )
            })?;
            let stream = tokio_rustls::TlsConnector::from(config)
                .connect(name, stream)
                .await?;
            Ok(RustlsStream(Box::new(stream)))
        })
    }
}

/// A TLS connection to the server.
pub(crate) struct RustlsStream(Box<tokio_rustls::client::TlsStream<Socket>>);

impl TlsStream for RustlsStream {
    /// `tls-server-end-point` (RFC 5929), for SCRAM-SHA-256-PLUS: the server certificate
    /// hashed with its signature's hash (SHA-1 and MD5 upgraded to SHA-256). A signature
    /// whose hash is not in its algorithm identifier (RSA-PSS, Ed25519) gives none, and
    /// `channel_binding=prefer` (the default) falls back to plain SCRAM-SHA-256.
    fn channel_binding(&self) -> ChannelBinding {
        use sha2::Digest;
        let (_, session) = self.0.get_ref();
        let Some(cert) = session.peer_certificates().and_then(|c| c.first()) else {
            return ChannelBinding::none();
        };
        match signature_oid(cert).and_then(end_point_hash) {
            Some(EndPointHash::Sha256) => {
                ChannelBinding::tls_server_end_point(sha2::Sha256::digest(cert).to_vec())
            }
            Some(EndPointHash::Sha384) => {
                ChannelBinding::tls_server_end_point(sha2::Sha384::digest(cert).to_vec())
            }
            Some(EndPointHash::Sha512) => {
                ChannelBinding::tls_server_end_point(sha2::Sha512::digest(cert).to_vec())
            }
            None => ChannelBinding::none(),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum EndPointHash {
    Sha256,
    Sha384,
    Sha512,
}

/// The hash `tls-server-end-point` uses for a certificate signed with `oid` (DER contents).
fn end_point_hash(oid: &[u8]) -> Option<EndPointHash> {
    const RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01]; // 1.2.840.113549.1.1
    const ECDSA_SHA2: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03]; // 1.2.840.10045.4.3
    const ECDSA_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01]; // 1.2.840.10045.4.1
    match oid {
        [prefix @ .., last] if prefix == RSA => match last {
            // md5, sha1, sha256 with RSA
            0x04 | 0x05 | 0x0b => Some(EndPointHash::Sha256),
            0x0c => Some(EndPointHash::Sha384),
            0x0d => Some(EndPointHash::Sha512),
            _ => None,
        },
        [prefix @ .., last] if prefix == ECDSA_SHA2 => match last {
            0x02 => Some(EndPointHash::Sha256),
            0x03 => Some(EndPointHash::Sha384),
            0x04 => Some(EndPointHash::Sha512),
            _ => None,
        },
        _ if oid == ECDSA_SHA1 => Some(EndPointHash::Sha256),
        _ => None,
    }
}

/// The signature algorithm's OID of a DER certificate:
/// `SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID, .. }, .. }`.
fn signature_oid(cert: &[u8]) -> Option<&[u8]> {
    let (0x30, body, _) = der_element(cert)? else {
        return None;
    };
    let (0x30, _tbs, rest) = der_element(body)? else {
        return None;
    };
    let (0x30, algorithm, _) = der_element(rest)? else {
        return None;
    };
    match der_element(algorithm)? {
        (0x06, oid, _) => Some(oid),
        _ => None,
    }
}

/// One DER element: its tag, its contents, and what follows it.
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let tag = *input.first()?;
    let first = *input.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for byte in input.get(2..2 + n)? {
            len = (len << 8) | usize::from(*byte);
        }
        (len, 2 + n)
    };
    let contents = input.get(header..header.checked_add(len)?)?;
    Some((tag, contents, &input[header + len..]))
}

impl AsyncRead for RustlsStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for RustlsStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_shutdown(cx)
    }
}

/// The TLS error in `err`'s chain, if the failure was the handshake's.
pub(crate) fn rustls_error<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        // `io::Error::source` skips the error it wraps: look at that one first.
        if let Some(inner) = e.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
                return Some(tls);
            }
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_hashes_for_channel_binding() {
        // sha256WithRSAEncryption, ecdsa-with-SHA384, sha1WithRSAEncryption, Ed25519.
        let rsa256 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
        let ecdsa384 = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
        let rsa1 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
        let ed25519 = [0x2b, 0x65, 0x70];
        assert_eq!(end_point_hash(&rsa256), Some(EndPointHash::Sha256));
        assert_eq!(end_point_hash(&ecdsa384), Some(EndPointHash::Sha384));
        assert_eq!(end_point_hash(&rsa1), Some(EndPointHash::Sha256));
        assert_eq!(end_point_hash(&ed25519), None);
    }

    #[test]
    fn reads_the_signature_algorithm_of_a_certificate() {
        // SEQUENCE { SEQUENCE { INTEGER 1 }, SEQUENCE { OID ecdsa-with-SHA256 }, BIT STRING }
        let oid = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
        let mut alg = vec![0x06, oid.len() as u8];
        alg.extend_from_slice(&oid);
        let mut body = vec![0x30, 0x03, 0x02, 0x01, 0x01, 0x30, alg.len() as u8];
        body.extend_from_slice(&alg);
        body.extend_from_slice(&[0x03, 0x01, 0x00]);
        let mut cert = vec![0x30, body.len() as u8];
        cert.extend_from_slice(&body);
        assert_eq!(signature_oid(&cert), Some(&oid[..]));
        assert_eq!(signature_oid(&cert[..cert.len() - 4]), None);
        assert_eq!(der_element(&[0x30, 0x85, 0, 0, 0, 0, 1]), None);
    }
}
