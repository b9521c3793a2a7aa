//! Credentials by name: environment variables, a mode-0600 credentials file, or a prompt.
//!
//! An inventory names a credential (`cred: lab-linux`, possibly `${candidate}`-templated);
//! passwords never appear on the command line, in the inventory, in logs, snapshots or
//! reports. Lookup order: `CONSTAT_CRED_<NAME>` (name upper-cased, other characters as `_`),
//! then the credentials file (YAML map `name: password`, refused unless mode 0600), then an
//! interactive prompt when stdin is a terminal.

use crate::errors::CliError;
use crate::i18n::{t, tf};
use crate::secret::Secret;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where credentials come from.
#[derive(Debug, Default)]
pub struct CredentialStore {
    file: BTreeMap<String, Secret>,
    file_path: Option<PathBuf>,
    prompted: Mutex<BTreeMap<String, Secret>>,
    refused: Mutex<std::collections::BTreeSet<String>>,
    allow_prompt: bool,
}

/// The environment variable that holds credential `name`.
pub fn env_var_name(name: &str) -> String {
    let upper: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("CONSTAT_CRED_{upper}")
}

impl CredentialStore {
    /// A store reading the environment, `file` if given, and prompting on a terminal.
    pub fn open(file: Option<&Path>) -> anyhow::Result<CredentialStore> {
        let mut store = CredentialStore {
            allow_prompt: std::io::stdin().is_terminal(),
            ..CredentialStore::default()
        };
        if let Some(path) = file {
            store.file = read_credentials_file(path)?;
            store.file_path = Some(path.to_owned());
        }
        Ok(store)
    }

    /// A store reading the environment and `file` if given, never prompting (a server: no
    /// one is at the terminal when a host needs a credential).
    pub fn without_prompt(file: Option<&Path>) -> anyhow::Result<CredentialStore> {
        let mut store = CredentialStore::open(file)?;
        store.allow_prompt = false;
        Ok(store)
    }

    /// Looks up every name once, before collection starts, so that prompts happen one after
    /// the other and never inside the concurrent host tasks. Missing names are left for the
    /// hosts that need them to report.
    pub fn prefetch<'a>(&self, names: impl IntoIterator<Item = &'a str>) {
        let mut unique: Vec<&str> = names.into_iter().collect();
        unique.sort_unstable();
        unique.dedup();
        for name in unique {
            let _ = self.get(name);
        }
    }

    /// The secret named `name`, or an error saying where it was looked for.
    pub fn get(&self, name: &str) -> anyhow::Result<Secret> {
        let var = env_var_name(name);
        if let Ok(value) = std::env::var(&var) {
            return Ok(Secret::new(value));
        }
        if let Some(secret) = self.file.get(name) {
            return Ok(secret.clone());
        }
        let mut prompted = self
            .prompted
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(secret) = prompted.get(name) {
            return Ok(secret.clone());
        }
        if self.allow_prompt
            && !self
                .refused
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(name)
        {
            let value = match rpassword::prompt_password(tf("cred.prompt", &[("name", &name)])) {
                Ok(value) => value,
                Err(e) => {
                    self.refused
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(name.to_owned());
                    return Err(e.into());
                }
            };
            let secret = Secret::new(value);
            prompted.insert(name.to_owned(), secret.clone());
            return Ok(secret);
        }
        let file = self
            .file_path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| t("cred.no_file").to_owned());
        Err(CliError::input(
            tf("cred.missing", &[("name", &name)]),
            tf("cred.missing_hint", &[("var", &var), ("file", &file)]),
        )
        .into())
    }
}

/// Reads a credentials file, refusing it unless only its owner can read it.
pub fn read_credentials_file(path: &Path) -> anyhow::Result<BTreeMap<String, Secret>> {
    let shown = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| {
        anyhow::Error::new(e).context(tf("cred.file_unreadable", &[("file", &shown)]))
    })?;
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(CliError::input(
            tf(
                "cred.file_mode",
                &[("file", &shown), ("mode", &format!("{mode:04o}"))],
            ),
            tf("cred.file_mode_hint", &[("file", &shown)]),
        )
        .into());
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::Error::new(e).context(tf("cred.file_unreadable", &[("file", &shown)]))
    })?;
    let options = serde_saphyr::options! { strict_booleans: true };
    let raw: BTreeMap<String, String> = serde_saphyr::from_str_with_options(&text, options)
        .map_err(|e| {
            // The parser's message may quote the offending line, which holds a password:
            // report only the position.
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            CliError::input(
                tf(
                    "cred.file_invalid",
                    &[("file", &shown), ("line", &line), ("column", &column)],
                ),
                t("cred.file_invalid_hint"),
            )
        })?;
    Ok(raw
        .into_iter()
        .map(|(name, value)| (name, Secret::new(value)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn write_file(dir: &Path, mode: u32, text: &str) -> PathBuf {
        let path = dir.join("credentials.yaml");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[test]
    fn a_group_readable_file_is_refused_with_the_chmod_fix() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        let dir = tempfile::tempdir().unwrap();
        let path = write_file(dir.path(), 0o640, "lab-linux: 'S3cret!'\n");
        let error = read_credentials_file(&path).unwrap_err();
        let cli = error.downcast_ref::<CliError>().unwrap();
        let shown = format!("{} | {}", cli.message, cli.hint.clone().unwrap_or_default())
            .replace(&dir.path().display().to_string(), "[DIR]");
        insta::assert_snapshot!(shown, @"le fichier d'identifiants [DIR]/credentials.yaml a les droits 0640 : il ne doit être lisible que par son propriétaire | chmod 600 [DIR]/credentials.yaml");
    }

    #[test]
    fn a_0600_file_is_read_and_its_secrets_are_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_file(dir.path(), 0o600, "lab-linux: 'S3cret!'\nother: no\n");
        let secrets = read_credentials_file(&path).unwrap();
        assert_eq!(secrets["lab-linux"].expose(), "S3cret!");
        assert_eq!(secrets["other"].expose(), "no");
        let debug = format!("{secrets:?}");
        assert!(!debug.contains("S3cret"), "{debug}");
    }

    #[test]
    fn an_invalid_file_error_does_not_quote_the_password() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_file(dir.path(), 0o600, "lab-linux: [S3cret!\n");
        let error = read_credentials_file(&path).unwrap_err();
        let text = format!("{error:#}");
        assert!(!text.contains("S3cret"), "{text}");
    }

    #[test]
    fn the_store_debug_never_shows_a_password() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_file(dir.path(), 0o600, "lab-linux: 'S3cret!'\n");
        let store = CredentialStore::open(Some(&path)).unwrap();
        assert_eq!(store.get("lab-linux").unwrap().expose(), "S3cret!");
        let debug = format!("{store:?}");
        assert!(
            debug.contains("***") && !debug.contains("S3cret"),
            "{debug}"
        );
    }

    #[test]
    fn env_var_names_are_upper_case_with_underscores() {
        assert_eq!(env_var_name("lab-linux"), "CONSTAT_CRED_LAB_LINUX");
        assert_eq!(env_var_name("c01.root"), "CONSTAT_CRED_C01_ROOT");
    }
}
