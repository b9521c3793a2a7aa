//! A library's failure (std::io, russh, ldap3 through constat-windows, reqwest) in the
//! reader's language: our own phrase first, chosen from the library's typed error (its
//! variant, `io::ErrorKind`, the TLS error it wraps), never from its English text; then the
//! library's own text as a detail (« (détail : …) »), which may stay in English.

use crate::i18n::{t, tf};
use constat_windows::error::BindFailure;
use constat_windows::link::{self, LinkFailure};

/// `phrase (détail : detail)`, or the phrase alone when the detail adds nothing.
pub(crate) fn detailed(phrase: &str, detail: &str) -> String {
    let detail = detail.trim();
    if detail.is_empty() || detail == phrase {
        return phrase.to_owned();
    }
    tf("cause.detail", &[("phrase", &phrase), ("detail", &detail)])
}

/// Our phrase for a link failure.
pub(crate) fn link_phrase(failure: LinkFailure) -> &'static str {
    match failure {
        LinkFailure::Refused => t("cause.refused"),
        LinkFailure::Reset => t("cause.reset"),
        LinkFailure::Unreachable => t("cause.unreachable"),
        LinkFailure::TimedOut => t("cause.timed_out"),
        LinkFailure::Closed => t("cause.closed"),
        LinkFailure::TlsNotSpoken => t("cause.tls_not_spoken"),
        LinkFailure::TlsUntrusted => t("cause.tls_untrusted"),
        LinkFailure::TlsWrongName => t("cause.tls_wrong_name"),
        LinkFailure::TlsExpired => t("cause.tls_expired"),
        LinkFailure::TlsOther => t("cause.tls_other"),
        LinkFailure::NotProtocol => t("cause.not_protocol"),
        _ => t("cause.link_other"),
    }
}

/// A link failure with the library's text as its detail.
pub(crate) fn link(failure: LinkFailure, detail: &str) -> String {
    detailed(link_phrase(failure), detail)
}

/// An I/O error: what its kind (or the TLS error it wraps) says, then its text.
pub fn io(error: &std::io::Error) -> String {
    let phrase = match link::from_io(error) {
        Some(failure) => link_phrase(failure),
        None => match error.kind() {
            std::io::ErrorKind::NotFound => t("cause.not_found"),
            std::io::ErrorKind::PermissionDenied => t("cause.permission_denied"),
            _ => t("cause.io"),
        },
    };
    detailed(phrase, &error.to_string())
}

/// A russh failure: its variant (the I/O error it wraps) says which phrase.
pub(crate) fn russh(error: &russh::Error) -> String {
    use russh::Error as E;
    let phrase = match error {
        E::IO(io) => return self::io(io),
        E::Disconnect | E::HUP | E::RecvError | E::SendError => t("cause.ssh_closed"),
        E::ConnectionTimeout | E::KeepaliveTimeout | E::InactivityTimeout | E::Elapsed(_) => {
            t("cause.timed_out")
        }
        E::Version => t("cause.ssh_not_ssh"),
        E::NoCommonAlgo { .. } | E::UnknownAlgo => t("cause.ssh_no_common_algo"),
        E::Kex
        | E::KexInit
        | E::WrongServerSig
        | E::PacketAuth
        | E::DecryptionError
        | E::StrictKeyExchangeViolation { .. } => t("cause.ssh_kex"),
        E::UnknownKey | E::KeyChanged { .. } => t("cause.ssh_host_key"),
        E::ChannelOpenFailure(_) | E::RequestDenied | E::WrongChannel => {
            t("cause.ssh_channel_refused")
        }
        E::NoAuthMethod | E::UnsupportedAuthMethod | E::NotAuthenticated => {
            t("cause.ssh_auth_method")
        }
        _ => t("cause.ssh_protocol"),
    };
    detailed(phrase, &error.to_string())
}

/// A private key file that could not be loaded.
pub(crate) fn key_file(error: &russh::keys::Error) -> String {
    use russh::keys::Error as E;
    match error {
        E::IO(io) => self::io(io),
        E::KeyIsEncrypted => detailed(t("cause.key_encrypted"), &error.to_string()),
        _ => detailed(t("cause.key_invalid"), &error.to_string()),
    }
}

/// What an HTTP client's failure says about the link, and our phrase for it: the I/O or TLS
/// error in its chain of sources, else its own flags (time limit, connection).
pub(crate) fn http(error: &reqwest::Error) -> (LinkFailure, &'static str) {
    let mut failure = link::classify(error);
    if failure == LinkFailure::Other {
        if error.is_timeout() {
            failure = LinkFailure::TimedOut;
        } else if error.is_body() || error.is_request() && !error.is_connect() {
            // The connection was made and then broke off without an HTTP answer.
            return (LinkFailure::Other, t("cause.http_broken"));
        }
    }
    (failure, link_phrase(failure))
}

/// Our phrase for an API answer that is not what the API sends: an HTTP status out of 2xx, a
/// body that is not JSON, or JSON of another shape.
pub(crate) fn answer(status: u16, body: &[u8]) -> String {
    if !(200..300).contains(&status) {
        tf("cause.http_status", &[("status", &status)])
    } else if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
        t("cause.not_json").to_owned()
    } else {
        t("cause.unexpected_answer").to_owned()
    }
}

/// Our phrase for answers an API reader could not use: not JSON when one of them is not,
/// else JSON of another shape.
pub(crate) fn shape(bodies: &[&[u8]]) -> String {
    match bodies
        .iter()
        .find(|b| serde_json::from_slice::<serde::de::IgnoredAny>(b).is_err())
    {
        Some(body) => answer(200, body),
        None => t("cause.unexpected_answer").to_owned(),
    }
}

/// A host's output that is not a snapshot: what is wrong, then the parser's text.
pub fn snapshot(error: &constat_snapshot::SnapshotError, text: &str) -> String {
    use constat_snapshot::SnapshotError as E;
    let phrase = match error {
        E::Json { line, column, .. }
            if serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() =>
        {
            tf(
                "cause.snapshot_not_json",
                &[("line", line), ("column", column)],
            )
        }
        E::Json { line, column, .. } => tf(
            "cause.snapshot_shape",
            &[("line", line), ("column", column)],
        ),
        E::NotASnapshot => t("cause.snapshot_no_version").to_owned(),
        E::Version { found } => tf(
            "cause.snapshot_version",
            &[
                ("found", found),
                ("expected", &constat_snapshot::SCHEMA_VERSION),
            ],
        ),
        _ => t("cause.snapshot_shape_any").to_owned(),
    };
    detailed(&phrase, &error.to_string())
}

/// Our phrase for a refused LDAP bind.
pub(crate) fn bind_phrase(failure: BindFailure) -> String {
    match failure {
        BindFailure::InvalidCredentials => t("cause.ldap_invalid_credentials").to_owned(),
        BindFailure::TlsRequired => t("cause.ldap_tls_required").to_owned(),
        BindFailure::Result(code) => tf("cause.ldap_result", &[("code", &code)]),
        BindFailure::Link(LinkFailure::Closed) => t("cause.ldap_closed").to_owned(),
        BindFailure::Link(failure) => link_phrase(failure).to_owned(),
        _ => t("cause.link_other").to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Real failures met on loopback (a closed port, a port that resets, a peer that is not
    //! TLS), worded in both languages: the phrase read first is never the library's English.
    use super::*;
    use crate::i18n::{Lang, set_lang, with_lang};
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    use crate::one_language::assert_french_first;

    fn closed_port() -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        port
    }

    /// A listener that accepts `count` connections and resets each: it closes without
    /// reading what the client sent, so the kernel answers with a reset.
    fn resetting_port(count: usize) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(count) {
                let Ok(stream) = stream else { continue };
                std::thread::sleep(std::time::Duration::from_millis(100));
                drop(stream);
            }
        });
        port
    }

    /// A listener that answers every connection with plain HTTP text (not TLS, SSH or LDAP).
    fn plain_text_port(count: usize) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(count) {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_millis(300)));
                let mut buffer = [0u8; 1024];
                let _ = stream.read(&mut buffer);
                let _ = stream.write_all(b"HTTP/1.0 200 OK\r\n\r\nnot this protocol\r\n");
            }
        });
        port
    }

    fn both(work: impl Fn() -> String) -> String {
        let fr = with_lang(Lang::Fr, &work);
        let en = with_lang(Lang::En, &work);
        assert_french_first(&fr);
        format!("fr: {fr}\nen: {en}")
    }

    /// Ports differ per run.
    fn redact(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(index) = rest.find("127.0.0.1:") {
            out.push_str(&rest[..index + "127.0.0.1:".len()]);
            rest = &rest[index + "127.0.0.1:".len()..];
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            out.push_str("PORT");
            rest = &rest[digits..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn io_errors_met_on_loopback() {
        let refused = TcpStream::connect(("127.0.0.1", closed_port())).unwrap_err();
        let refused = both(|| io(&refused));
        let port = resetting_port(1);
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(b"unread").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        let mut buffer = [0u8; 16];
        let reset = stream.read(&mut buffer).unwrap_err();
        let reset = both(|| io(&reset));
        insta::assert_snapshot!(format!("{refused}\n{reset}"));
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn russh_errors_met_on_loopback() {
        let rt = runtime();
        let connect = |port: u16| {
            rt.block_on(async {
                let config = std::sync::Arc::new(russh::client::Config::default());
                russh::client::connect(config, ("127.0.0.1", port), AcceptAll)
                    .await
                    .err()
                    .unwrap()
            })
        };
        let refused = connect(closed_port());
        let not_ssh = connect(plain_text_port(1));
        let texts = [&refused, &not_ssh]
            .iter()
            .map(|e| both(|| russh(e)))
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(redact(&texts));
    }

    struct AcceptAll;
    impl russh::client::Handler for AcceptAll {
        type Error = russh::Error;
        async fn check_server_key(
            &mut self,
            _key: &russh::keys::PublicKeyOrCertificate,
        ) -> Result<bool, Self::Error> {
            Ok(true)
        }
    }

    #[test]
    fn http_errors_met_on_loopback() {
        let rt = runtime();
        let get = |url: String| {
            rt.block_on(async {
                let client = reqwest::Client::builder().no_proxy().build().unwrap();
                client.get(url).send().await.err().unwrap()
            })
        };
        let cases = [
            (
                "closed",
                get(format!("http://127.0.0.1:{}/", closed_port())),
            ),
            (
                "resets",
                get(format!("http://127.0.0.1:{}/", resetting_port(4))),
            ),
            (
                "not TLS",
                get(format!("https://127.0.0.1:{}/", plain_text_port(4))),
            ),
        ];
        let texts = cases
            .iter()
            .map(|(what, e)| {
                let (failure, _) = http(e);
                format!("{what} ({failure:?}):\n{}", both(|| http(e).1.to_owned()))
            })
            .collect::<Vec<_>>()
            .join("\n");
        insta::assert_snapshot!(texts);
    }

    #[test]
    fn ldap_binds_are_worded() {
        set_lang(Lang::Fr);
        let texts = [
            BindFailure::InvalidCredentials,
            BindFailure::TlsRequired,
            BindFailure::Result(53),
            BindFailure::Link(LinkFailure::Closed),
            BindFailure::Link(LinkFailure::Reset),
        ]
        .into_iter()
        .map(|f| both(|| bind_phrase(f)))
        .collect::<Vec<_>>()
        .join("\n");
        insta::assert_snapshot!(texts);
    }

    #[test]
    fn outputs_that_are_no_snapshot_are_worded() {
        let texts = [
            "Segmentation fault? not JSON",
            "{}",
            r#"{"schema_version": 99}"#,
            r#"{"schema_version": 1, "sections": 3}"#,
        ]
        .iter()
        .map(|text| {
            let error = constat_snapshot::Snapshot::from_json(text).unwrap_err();
            both(|| snapshot(&error, text))
        })
        .collect::<Vec<_>>()
        .join("\n");
        insta::assert_snapshot!(texts);
    }

    #[test]
    fn the_check_catches_an_english_library_message() {
        let caught = std::panic::catch_unwind(|| {
            assert_french_first("connexion impossible : Connection refused (os error 111)")
        });
        assert!(caught.is_err());
        assert_french_first("connexion refusée (détail : Connection refused (os error 111))");
    }
}
