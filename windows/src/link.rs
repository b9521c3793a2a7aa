//! Why a network link failed, read from the typed errors of the libraries (`std::io`,
//! `rustls`) rather than from their English text, so that a caller can word the failure in
//! its reader's language and keep the library's text as a detail.

use std::error::Error;
use std::io;

/// What went wrong on the link, as far as the typed errors tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkFailure {
    /// Nothing listens on the port (`ECONNREFUSED`).
    Refused,
    /// The peer reset the connection (`ECONNRESET`, `ECONNABORTED`).
    Reset,
    /// No route to the host or network.
    Unreachable,
    /// A time limit ran out.
    TimedOut,
    /// The peer closed the connection before the exchange ended.
    Closed,
    /// The peer does not speak TLS on this port (plain text, another protocol).
    TlsNotSpoken,
    /// The server's certificate is not signed by a trusted authority (or is itself a CA).
    TlsUntrusted,
    /// The server's certificate does not carry the name asked for.
    TlsWrongName,
    /// The server's certificate is expired or not valid yet.
    TlsExpired,
    /// Another TLS failure (alert, no common version or cipher).
    TlsOther,
    /// The peer answered, but not in the expected protocol.
    NotProtocol,
    /// Anything else.
    Other,
}

impl LinkFailure {
    /// Whether the failure is about TLS (the certificate or the handshake).
    pub fn is_tls(self) -> bool {
        matches!(
            self,
            LinkFailure::TlsNotSpoken
                | LinkFailure::TlsUntrusted
                | LinkFailure::TlsWrongName
                | LinkFailure::TlsExpired
                | LinkFailure::TlsOther
        )
    }
}

/// The failure an `io::ErrorKind` names, if it names one.
pub fn from_io_kind(kind: io::ErrorKind) -> Option<LinkFailure> {
    use io::ErrorKind as K;
    Some(match kind {
        K::ConnectionRefused => LinkFailure::Refused,
        K::ConnectionReset | K::ConnectionAborted => LinkFailure::Reset,
        K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown | K::AddrNotAvailable => {
            LinkFailure::Unreachable
        }
        K::TimedOut => LinkFailure::TimedOut,
        K::UnexpectedEof | K::BrokenPipe | K::NotConnected => LinkFailure::Closed,
        _ => return None,
    })
}

/// The failure a rustls error names.
pub fn from_tls(error: &rustls::Error) -> LinkFailure {
    use rustls::CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            C::NotValidForName | C::NotValidForNameContext { .. } => LinkFailure::TlsWrongName,
            C::Expired
            | C::ExpiredContext { .. }
            | C::NotValidYet
            | C::NotValidYetContext { .. } => LinkFailure::TlsExpired,
            _ => LinkFailure::TlsUntrusted,
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
            LinkFailure::TlsNotSpoken
        }
        _ => LinkFailure::TlsOther,
    }
}

/// The failure an `io::Error` names: the TLS error it wraps (tokio-rustls wraps them so), else
/// its kind.
pub fn from_io(error: &io::Error) -> Option<LinkFailure> {
    if let Some(tls) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return Some(from_tls(tls));
    }
    from_io_kind(error.kind())
}

/// The first failure named along `error`'s chain of sources (an `io::Error` or a rustls error
/// anywhere in it), else `Other`. The `io::Error` wrapped inside another `io::Error` is
/// looked at too (its `source` skips it).
pub fn classify(error: &(dyn Error + 'static)) -> LinkFailure {
    let mut next: Option<&(dyn Error + 'static)> = Some(error);
    let mut steps = 0;
    while let Some(current) = next {
        steps += 1;
        if steps > 32 {
            break;
        }
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return from_tls(tls);
        }
        if let Some(io) = current.downcast_ref::<io::Error>() {
            if let Some(failure) = from_io(io) {
                return failure;
            }
            if let Some(inner) = io.get_ref() {
                let inner: &(dyn Error + 'static) = inner;
                let found = classify(inner);
                if found != LinkFailure::Other {
                    return found;
                }
            }
        }
        next = current.source();
    }
    LinkFailure::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_kinds_and_wrapped_tls_errors_are_read() {
        let refused = io::Error::from_raw_os_error(111);
        assert_eq!(classify(&refused), LinkFailure::Refused);
        let reset = io::Error::from_raw_os_error(104);
        assert_eq!(classify(&reset), LinkFailure::Reset);
        let tls = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        assert_eq!(classify(&tls), LinkFailure::TlsUntrusted);
        let name = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName),
        );
        assert_eq!(classify(&name), LinkFailure::TlsWrongName);
        let plain = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
        );
        assert_eq!(classify(&plain), LinkFailure::TlsNotSpoken);
        // An io::Error inside an io::Error (its `source` skips the inner one).
        let nested = io::Error::other(io::Error::from_raw_os_error(111));
        assert_eq!(classify(&nested), LinkFailure::Refused);
        assert_eq!(classify(&io::Error::other("something")), LinkFailure::Other);
    }
}
