//! A company server behind TLS (a load balancer or reverse proxy in front
//! of `stint serve`, as docs and the README show with `https://`): the
//! real `stint` binary signs in and syncs over HTTPS, trusting the
//! system's certificate store (here a test authority handed in through
//! `SSL_CERT_FILE`, which the store reads), and refuses a server whose
//! certificate nobody it trusts has signed.

#[allow(unused_macros)]
mod util;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types::PrivateKeyDer};
use util::{Backend, PASSWORD, Server};

const EMP: &str = "emp@acme.test";

/// A certificate authority's PEM and a TLS front for `localhost` signed by
/// it, forwarding every connection to `backend` (host:port).
async fn tls_front(backend: String) -> (String, u16) {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().expect("server key");
    let cert = CertificateParams::new(vec!["localhost".to_string()])
        .expect("server params")
        .signed_by(&key, &issuer)
        .expect("server certificate");

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("server TLS config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let backend = backend.clone();
            tokio::spawn(async move {
                // A refused handshake (the untrusting client) just ends here.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut plain) = TcpStream::connect(&backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (ca_cert.pem(), port)
}

/// Runs `stint` with `args` on `dir`, trusting what `SSL_CERT_FILE` names
/// (and nothing of this machine's own store: `SSL_CERT_DIR` is emptied).
fn stint(dir: &Path, cert_file: &Path, args: &[&str]) -> Output {
    Command::new(util::stint_bin())
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("SSL_CERT_FILE", cert_file)
        .env("SSL_CERT_DIR", "")
        .output()
        .expect("run stint")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_in_and_syncs_over_https_and_refuses_an_untrusted_certificate() {
    let server = Server::start(Backend::Sqlite).await;
    server.user(EMP, &[]).await;
    let backend = server.base.trim_start_matches("http://").to_string();
    let (ca_pem, port) = tls_front(backend).await;
    let url = format!("https://localhost:{port}");
    let tmp = tempfile::tempdir().expect("temp dir");
    let trusted = tmp.path().join("ca.pem");
    std::fs::write(&trusted, ca_pem).expect("write CA");
    // Any valid PEM that is not our authority.
    let (other_pem, _) = tls_front("127.0.0.1:9".into()).await;
    let untrusted = tmp.path().join("other-ca.pem");
    std::fs::write(&untrusted, other_pem).expect("write other CA");

    let login = [
        "login",
        "--server",
        &url,
        "--email",
        EMP,
        "--password",
        PASSWORD,
    ];
    let dir = tmp.path().join("refused");
    let out = tokio::task::block_in_place(|| stint(&dir, &untrusted, &login));
    assert!(!out.status.success(), "an untrusted certificate is refused");
    let said = text(&out).to_lowercase();
    assert!(said.contains("certificate"), "says why: {said}");

    let dir = tmp.path().join("trusted");
    let out = tokio::task::block_in_place(|| stint(&dir, &trusted, &login));
    assert!(out.status.success(), "login over https: {}", text(&out));
    let out = tokio::task::block_in_place(|| stint(&dir, &trusted, &["sync"]));
    assert!(out.status.success(), "sync over https: {}", text(&out));
}
