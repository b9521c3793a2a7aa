//! Listening: the data directory (0700, the SQLite file, the certificate), the store (that
//! SQLite file, or a shared PostgreSQL database), TLS or plain HTTP, and the accept loop. Every connection is bounded: a TLS handshake and a request's
//! headers must arrive within [`HANDSHAKE_SECS`], and at most [`MAX_CONNECTIONS`] are served
//! at once (beyond, new connections wait in the kernel's backlog).

use crate::auth::{MIN_PASSWORD_CHARS, hash_password};
use crate::client_addr::ClientAddr;
use crate::router::router;
use crate::state::{AppState, Limits, Settings, system_clock};
use crate::store::{PgStore, PgTarget, SqliteStore, Store, StoreError};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Time for a TLS handshake, and for a request's headers.
pub const HANDSHAKE_SECS: u64 = 10;
/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 512;
/// The database file's name in the data directory.
pub const DATABASE_FILE: &str = "constat.sqlite";

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address and port.
    pub listen: SocketAddr,
    /// Data directory.
    pub data_dir: PathBuf,
    /// A shared PostgreSQL database (several instances); `None`: the data directory's
    /// SQLite file.
    pub database: Option<PgTarget>,
    /// Plain HTTP (behind a reverse proxy that does TLS).
    pub plain_http: bool,
    /// Limits.
    pub limits: Limits,
}

/// What a started server tells its caller.
#[derive(Debug, Clone)]
pub struct Started {
    /// Address bound (the real port when 0 was asked).
    pub local_addr: SocketAddr,
    /// Certificate fingerprint under TLS.
    pub fingerprint: Option<String>,
    /// The database: the SQLite file, or the PostgreSQL URL without password.
    pub database: String,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// A file or the socket.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// TLS.
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    /// A template (a bug).
    #[error("templates: {0}")]
    Templates(String),
    /// A bad trainer account.
    #[error("{0}")]
    Account(String),
}

/// Opens the store: the PostgreSQL database when given, else the data directory's SQLite
/// file (the directory is created either way: it holds the certificate). Returns it with
/// how it may be shown (a path, or the URL without password).
pub async fn open_store(
    data_dir: &Path,
    database: Option<&PgTarget>,
) -> Result<(Arc<dyn Store>, String), ServeError> {
    crate::private_fs::create_private_dir(data_dir).map_err(|source| ServeError::Io {
        what: format!("cannot create the data directory {}", data_dir.display()),
        source,
    })?;
    match database {
        Some(target) => {
            let store = PgStore::connect(target.clone()).await?;
            Ok((Arc::new(store), target.shown().to_owned()))
        }
        None => {
            let path = data_dir.join(DATABASE_FILE);
            let store = SqliteStore::open(&path)?;
            Ok((Arc::new(store), path.display().to_string()))
        }
    }
}

/// Creates a trainer account in the server's database (`--create-trainer`).
pub async fn create_trainer(
    data_dir: &Path,
    database: Option<&PgTarget>,
    name: &str,
    password: &str,
    now: i64,
) -> Result<(), ServeError> {
    let (store, _) = open_store(data_dir, database).await?;
    let name = crate::pages::guard::clean_name(name, crate::pages::guard::MAX_NAME_CHARS)
        .ok_or_else(|| ServeError::Account(format!("invalid trainer name {name:?}")))?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServeError::Account(format!(
            "password too short: at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ServeError::Account(e.to_string()))?
        .map_err(|e| ServeError::Account(e.to_string()))?;
    store.create_trainer(name, hash, now).await?;
    Ok(())
}

/// Host names for a generated certificate: localhost, the machine's name, the listen address.
fn certificate_names(listen: &SocketAddr) -> Vec<String> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if let Ok(host) = std::fs::read_to_string("/etc/hostname") {
        let host = host.trim();
        if !host.is_empty()
            && host.len() < 64
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            names.push(host.to_owned());
        }
    }
    if !listen.ip().is_unspecified() && !listen.ip().is_loopback() {
        names.push(listen.ip().to_string());
    }
    names
}

/// Starts the server; `started` is called once it listens; then serves until the process ends.
pub async fn serve(config: ServeConfig, started: impl FnOnce(&Started)) -> Result<(), ServeError> {
    serve_with(config, None, started).await
}

/// [`serve`], with pull mode collecting through `pull` (its schedule runs in the
/// background).
pub async fn serve_with(
    config: ServeConfig,
    pull: Option<Arc<dyn crate::pull::PullEngine>>,
    started: impl FnOnce(&Started),
) -> Result<(), ServeError> {
    let (store, database) = open_store(&config.data_dir, config.database.as_ref()).await?;
    let tls = if config.plain_http {
        None
    } else {
        Some(crate::tls::load_or_create(
            &config.data_dir,
            certificate_names(&config.listen),
        )?)
    };
    let settings = Settings {
        tls: tls.is_some(),
        fingerprint: tls.as_ref().map(|t| t.fingerprint.clone()),
        limits: config.limits,
        clock: system_clock(),
    };
    let mut state =
        AppState::new(store, settings).map_err(|e| ServeError::Templates(e.to_string()))?;
    if let Some(engine) = pull {
        state = state.with_pull(engine);
        tokio::spawn(crate::pull::run_schedule(state.clone()));
    }
    let app = router(state);
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServeError::Io {
            what: format!("cannot listen on {}", config.listen),
            source,
        })?;
    let local_addr = listener.local_addr().map_err(|source| ServeError::Io {
        what: "cannot read the bound address".to_owned(),
        source,
    })?;
    started(&Started {
        local_addr,
        fingerprint: tls.as_ref().map(|t| t.fingerprint.clone()),
        database,
    });
    let acceptor = tls.map(|t| tokio_rustls::TlsAcceptor::from(t.config));
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
            return Ok(());
        };
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait a little, never stop serving.
            Err(e) => {
                eprintln!("constat serve: accept: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let _permit = permit;
            // The peer's address, for the login throttle (`ClientAddr`).
            let client = ClientAddr(Some(peer.ip()));
            let app = tower::ServiceExt::map_request(
                app,
                move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(client);
                    request
                },
            );
            let service = TowerToHyperService::new(app);
            let mut builder = auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(HANDSHAKE_SECS));
            let builder = builder.http1_only();
            match acceptor {
                Some(acceptor) => {
                    let handshake = tokio::time::timeout(
                        Duration::from_secs(HANDSHAKE_SECS),
                        acceptor.accept(stream),
                    );
                    if let Ok(Ok(tls)) = handshake.await {
                        let _ = builder.serve_connection(TokioIo::new(tls), service).await;
                    }
                }
                None => {
                    let _ = builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                }
            }
        });
    }
}
