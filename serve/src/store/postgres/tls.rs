//! TLS to PostgreSQL with rustls (ring). `sslmode=require`, as in libpq: the session is
//! encrypted and a server without TLS is refused, but the server's certificate is not
//! verified (handshake signatures still are). `sslmode=verify-full`: the certificate must
//! chain to the CA file given (`--database-ca`) or else to the system's roots, and name the
//! host of the URL (rustls' WebPKI verifier).

use crate::cert_check::{AnyCertificate, Checked};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::ServerName;
use std::future::Future;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};

/// Makes TLS connections for tokio-postgres (used only when the `sslmode` asks for TLS).
#[derive(Clone)]
pub(crate) struct RustlsConnector {
    config: Arc<rustls::ClientConfig>,
}

impl RustlsConnector {
    /// A connector accepting any certificate (`sslmode=require`), with ring and the safe
    /// default protocol versions.
    pub(crate) fn new() -> RustlsConnector {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            // ring's provider supports the default versions: this cannot fail.
            .unwrap_or_else(|_| unreachable!("ring supports TLS 1.2 and 1.3"))
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Checked::new(AnyCertificate, provider)))
            .with_no_client_auth();
        RustlsConnector {
            config: Arc::new(config),
        }
    }

    /// A connector verifying the server (`sslmode=verify-full`): its certificate chains to
    /// the CA file's certificates, else to the system's roots, and names the host.
    pub(crate) fn verified(ca_file: Option<&Path>) -> Result<RustlsConnector, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = crate::cert_check::roots(ca_file)?;
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
                .build()
                .map_err(|e| format!("cannot verify with these CA certificates: {e}"))?;
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap_or_else(|_| unreachable!("ring supports TLS 1.2 and 1.3"))
            .with_webpki_verifier(verifier)
            .with_no_client_auth();
        Ok(RustlsConnector {
            config: Arc::new(config),
        })
    }
}

impl Default for RustlsConnector {
    fn default() -> RustlsConnector {
        RustlsConnector::new()
    }
}

impl<S> MakeTlsConnect<S> for RustlsConnector
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnect;
    type Error = io::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RustlsConnect, io::Error> {
        let name = ServerName::try_from(domain.to_owned())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        Ok(RustlsConnect {
            config: Arc::clone(&self.config),
            name,
        })
    }
}

/// One TLS handshake to make.
pub(crate) struct RustlsConnect {
    config: Arc<rustls::ClientConfig>,
    name: ServerName<'static>,
}

impl<S> TlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<RustlsStream<S>>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let connector = tokio_rustls::TlsConnector::from(self.config);
            let tls = connector.connect(self.name, stream).await?;
            Ok(RustlsStream(Box::new(tls)))
        })
    }
}

/// An encrypted connection to PostgreSQL.
pub(crate) struct RustlsStream<S>(Box<tokio_rustls::client::TlsStream<S>>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
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

impl<S: AsyncRead + AsyncWrite + Unpin> tokio_postgres::tls::TlsStream for RustlsStream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        // SCRAM then runs without channel binding (`SCRAM-SHA-256`, not `-PLUS`): with
        // `require` the certificate is not verified anyway; with `verify-full` the verified
        // certificate already authenticates the server.
        ChannelBinding::none()
    }
}
