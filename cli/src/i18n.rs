//! User-facing messages in French (default) and English (`--lang en`).
//!
//! Every message the user can see goes through [`t`] or [`tf`] with a key of [`CATALOGUE`].
//! Placeholders are `{name}`; [`tf`] replaces them. A test checks that every entry has both
//! languages with the same placeholders, and that every key used in the sources exists.

use clap::ValueEnum;
use constat_checker_core::i18n::catalogue::{Catalogue, fill};
use std::fmt::Display;
use std::sync::atomic::{AtomicU8, Ordering};

/// Language of user-facing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Lang {
    /// Français (par défaut).
    #[default]
    Fr,
    /// English.
    En,
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// Sets the language for the rest of the process.
pub fn set_lang(lang: Lang) {
    LANG.store(
        match lang {
            Lang::Fr => 0,
            Lang::En => 1,
        },
        Ordering::Relaxed,
    );
}

thread_local! {
    /// A language for this thread only ([`with_lang`]), over the process's.
    static THREAD_LANG: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Runs `work` with `lang` as this thread's language (`constat serve` checks an uploaded
/// inventory in the reader's language, whatever the server's `--lang`).
pub fn with_lang<T>(lang: Lang, work: impl FnOnce() -> T) -> T {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREAD_LANG.set(self.0);
        }
    }
    let _restore = Restore(THREAD_LANG.replace(Some(lang)));
    work()
}

/// The current language.
pub fn lang() -> Lang {
    if let Some(lang) = THREAD_LANG.get() {
        return lang;
    }
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Fr,
    }
}

/// `fr` or `en` (an `Accept-Language` value).
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

/// The message for `key` in the current language (the key itself when unknown, which a test
/// prevents).
pub fn t(key: &str) -> &'static str {
    let lang = match lang() {
        Lang::Fr => constat_checker_core::i18n::Lang::Fr,
        Lang::En => constat_checker_core::i18n::Lang::En,
    };
    CATALOGUE.text(lang, key).unwrap_or("(message manquant)")
}

/// The message for `key` with `{name}` placeholders replaced.
pub fn tf(key: &str, args: &[(&str, &dyn Display)]) -> String {
    fill(t(key), args)
}

/// French texts of the operating system's error messages (`strerror`, as Rust prints them),
/// so that « Connection refused (os error 111) » never shows in French mode.
const OS_ERRORS_FR: &[(&str, &str)] = &[
    (
        "No such file or directory",
        "fichier ou dossier introuvable",
    ),
    ("Permission denied", "permission refusée"),
    ("Operation not permitted", "opération non permise"),
    ("Connection refused", "connexion refusée"),
    (
        "Connection reset by peer",
        "connexion réinitialisée par l'hôte distant",
    ),
    ("Connection timed out", "délai de connexion dépassé"),
    ("No route to host", "aucune route vers l'hôte"),
    ("Network is unreachable", "réseau injoignable"),
    ("Host is down", "hôte arrêté"),
    ("File exists", "le fichier existe déjà"),
    ("Not a directory", "ce n'est pas un dossier"),
    ("Is a directory", "c'est un dossier"),
    ("Directory not empty", "dossier non vide"),
    ("No space left on device", "plus de place sur le disque"),
    (
        "Read-only file system",
        "système de fichiers en lecture seule",
    ),
    ("Broken pipe", "tube fermé"),
    ("Too many open files", "trop de fichiers ouverts"),
    ("Address already in use", "adresse déjà utilisée"),
    (
        "Cannot assign requested address",
        "adresse demandée indisponible",
    ),
    ("Name or service not known", "nom ou service inconnu"),
    (
        "Temporary failure in name resolution",
        "échec temporaire de la résolution de noms",
    ),
    (
        "failed to lookup address information",
        "échec de la résolution de l'adresse",
    ),
    ("Invalid argument", "argument invalide"),
    ("File name too long", "nom de fichier trop long"),
    ("Input/output error", "erreur d'entrée/sortie"),
    ("os error", "erreur système"),
];

/// `text` with the operating system's English error messages in the current language.
/// A French text of them (a message recorded by a French run, read with `--lang en`) is
/// put back in English.
pub fn os_errors(text: &str) -> String {
    let mut out = text.to_owned();
    for (english, french) in OS_ERRORS_FR {
        let (from, to) = match lang() {
            Lang::Fr => (english, french),
            Lang::En => (french, english),
        };
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// `(key, français, English)`.
pub const CATALOGUE: Catalogue = Catalogue(&[
    (
        "pack.unreadable",
        "pack {pack} introuvable : ni pack intégré ni fichier lisible",
        "pack {pack} not found: neither an embedded pack nor a readable file",
    ),
    (
        "pack.unreadable_hint",
        "donnez un chemin de fichier YAML ou un pack intégré : {ids}",
        "give a YAML file path or an embedded pack: {ids}",
    ),
    (
        "pack.invalid",
        "le pack {pack} contient {count} erreur(s) :",
        "pack {pack} has {count} error(s):",
    ),
    (
        "pack.invalid_hint",
        "corrigez chaque erreur à la ligne et colonne indiquées ; `constat schema pack` donne le schéma pour l'éditeur",
        "fix each error at the line and column shown; `constat schema pack` prints the schema for your editor",
    ),
    (
        "pack.ok",
        "{file} : pack {id} valide ({checks} contrôles)",
        "{file}: pack {id} valid ({checks} checks)",
    ),
    (
        "grade.bad_pair",
        "valeur « {value} » invalide : attendu ROLE=FICHIER ou NOM=VALEUR",
        "invalid value \"{value}\": expected ROLE=FILE or NAME=VALUE",
    ),
    (
        "grade.bad_pair_hint",
        "exemple : --snapshot linux=srv-lnx.json",
        "example: --snapshot linux=srv-lnx.json",
    ),
    (
        "grade.snapshot_unreadable",
        "impossible de lire l'instantané {file}",
        "cannot read the snapshot {file}",
    ),
    (
        "grade.snapshot_unreadable_hint",
        "relevez l'hôte avec `constat collect` ou `constat-agent collect --out FICHIER`",
        "collect the host with `constat collect` or `constat-agent collect --out FILE`",
    ),
    (
        "grade.snapshot_invalid",
        "instantané {file} invalide : {error}",
        "invalid snapshot {file}: {error}",
    ),
    (
        "grade.unknown_role",
        "le rôle {role} n'existe pas dans le pack {pack}",
        "role {role} does not exist in pack {pack}",
    ),
    (
        "grade.unknown_role_hint",
        "rôles du pack : {roles}",
        "roles of the pack: {roles}",
    ),
    (
        "grade.written",
        "rapports écrits dans {dir} (report.html, report.json, report.md)",
        "reports written to {dir} (report.html, report.json, report.md)",
    ),
    (
        "check.active_refused",
        "le pack {pack} n'autorise pas les tests actifs : aucun script ne sera exécuté",
        "pack {pack} does not allow active tests: no script will be run",
    ),
    (
        "check.active_refused_hint",
        "retirez --active-tests, ou ajoutez `active_tests: true` sous `pack:` si le pack doit exécuter des scripts",
        "drop --active-tests, or add `active_tests: true` under `pack:` if the pack must run scripts",
    ),
    (
        "serve.no_data_dir",
        "pas de dossier de données : ni --data, ni XDG_DATA_HOME, ni HOME",
        "no data directory: neither --data, XDG_DATA_HOME nor HOME",
    ),
    (
        "serve.no_data_dir_hint",
        "passez --data DOSSIER",
        "pass --data DIR",
    ),
    (
        "serve.password_prompt",
        "Mot de passe du formateur : ",
        "Trainer password: ",
    ),
    (
        "serve.password_again",
        "Mot de passe (encore) : ",
        "Password (again): ",
    ),
    (
        "serve.password_mismatch",
        "les deux mots de passe diffèrent",
        "the two passwords differ",
    ),
    (
        "serve.password_hint",
        "au moins 10 caractères, tapés deux fois (ou sur la première ligne de l'entrée standard)",
        "at least 10 characters, typed twice (or on the first line of standard input)",
    ),
    (
        "serve.create_failed",
        "compte formateur non créé : {error}",
        "trainer account not created: {error}",
    ),
    (
        "serve.trainer_created",
        "compte formateur « {name} » créé dans {data}",
        "trainer account “{name}” created in {data}",
    ),
    (
        "serve.listening",
        "constat serve écoute sur {url} (base {db})",
        "constat serve listening on {url} (database {db})",
    ),
    (
        "serve.fingerprint",
        "empreinte SHA-256 du certificat (pour --pin) : {fingerprint}",
        "certificate SHA-256 fingerprint (for --pin): {fingerprint}",
    ),
    (
        "serve.bad_database",
        "--database refusé : {error}",
        "--database refused: {error}",
    ),
    (
        "serve.bad_database_hint",
        "écrivez postgres://UTILISATEUR@HÔTE:PORT/BASE (ajoutez ?sslmode=require pour TLS, ?sslmode=verify-full avec --database-ca FICHIER pour vérifier le serveur) ; le mot de passe va dans PGPASSWORD ou un identifiant nommé par --database-cred",
        "write postgres://USER@HOST:PORT/DATABASE (add ?sslmode=require for TLS, ?sslmode=verify-full with --database-ca FILE to verify the server); the password goes in PGPASSWORD or a credential named by --database-cred",
    ),
    (
        "serve.failed",
        "constat serve n'a pas démarré : {error}",
        "constat serve did not start: {error}",
    ),
    (
        "serve.failed_hint",
        "vérifiez --listen (port libre ?), les droits sur --data et, avec --database, que PostgreSQL répond",
        "check --listen (port free?), the rights on --data and, with --database, that PostgreSQL answers",
    ),
    (
        "serve.credentials",
        "fichier d'identifiants du relevé par SSH refusé",
        "the pull credentials file was refused",
    ),
    (
        "pull.transport",
        "hôte {host} : le relevé de constat serve ne passe que par SSH (transport {transport})",
        "host {host}: constat serve pulls over SSH only (transport {transport})",
    ),
    (
        "pull.transport_hint",
        "mettez `transport: ssh` (ou retirez transport) ; les autres transports se relèvent avec constat session run",
        "set `transport: ssh` (or leave transport out); other transports are collected with constat session run",
    ),
    (
        "pull.key_not_allowed",
        "hôte {host} : la clé {key} n'est pas une clé donnée au serveur (clés : {keys})",
        "host {host}: the key {key} is not a key given to the server (keys: {keys})",
    ),
    (
        "pull.key_not_allowed_hint",
        "nommez une clé donnée au démarrage par son chemin ou son nom de fichier, ou redémarrez constat serve avec --pull-key CHEMIN",
        "name a key given at start by its path or file name, or restart constat serve with --pull-key PATH",
    ),
    ("pull.no_keys", "aucune", "none"),
    ("pull.auth_key", "clé {key}", "key {key}"),
    ("pull.auth_cred", "identifiant {cred}", "credential {cred}"),
    (
        "pull.auth_none",
        "aucune (refusée par l'hôte)",
        "none (the host will refuse)",
    ),
    (
        "pull.host_failed",
        "la tâche de relevé de l'hôte s'est arrêtée : {error}",
        "the host's collection task stopped: {error}",
    ),
    (
        "submit.key_needed",
        "--submit demande la clé d'apprenant : --key FICHIER ou --class CODE (clé ~/constat-CODE.key)",
        "--submit needs the learner key: --key FILE or --class CODE (key ~/constat-CODE.key)",
    ),
    (
        "submit.key_hint",
        "la clé est donnée une seule fois à l'inscription (page « Rejoindre une classe » du serveur) ; réinscrivez-vous si vous l'avez perdue",
        "the key is given once at enrolment (the server's “Join a class” page); enrol again if you lost it",
    ),
    (
        "submit.key_unreadable",
        "clé d'apprenant {file} illisible : {error}",
        "learner key {file} unreadable: {error}",
    ),
    (
        "submit.class_mismatch",
        "la clé est celle de la classe {key_class}, pas de {class}",
        "the key belongs to class {key_class}, not {class}",
    ),
    (
        "submit.bad_url",
        "adresse de serveur invalide : {url}",
        "invalid server address: {url}",
    ),
    (
        "submit.bad_url_hint",
        "donnez l'adresse complète, par exemple https://formateur:8443/",
        "give the full address, e.g. https://trainer:8443/",
    ),
    (
        "submit.bad_pin",
        "empreinte invalide : {pin}",
        "invalid fingerprint: {pin}",
    ),
    (
        "submit.bad_pin_hint",
        "64 chiffres hexadécimaux (les « : » sont admis), tels qu'affichés par constat serve",
        "64 hexadecimal digits (“:” allowed), as constat serve prints them",
    ),
    (
        "submit.unreachable",
        "envoi à {url} impossible : {error}",
        "cannot submit to {url}: {error}",
    ),
    (
        "submit.unreachable_hint",
        "vérifiez l'adresse, que le serveur tourne et, pour un certificat auto-signé, --pin",
        "check the address, that the server runs and, for a self-signed certificate, --pin",
    ),
    (
        "submit.refused",
        "le serveur a refusé l'envoi ({status}) : {error}",
        "the server refused the submission ({status}): {error}",
    ),
    (
        "submit.sent",
        "envoyé à {url} ; votre page : {page}",
        "sent to {url}; your page: {page}",
    ),
    (
        "submit.watch_too_short",
        "--watch doit valoir au moins {min} secondes",
        "--watch must be at least {min} seconds",
    ),
    (
        "submit.watch_hint",
        "par exemple --watch 30",
        "for example --watch 30",
    ),
    (
        "check.host_invalid",
        "--host {host} : attendu ssh://[compte@]adresse[:port]",
        "--host {host}: expected ssh://[account@]address[:port]",
    ),
    (
        "check.host_invalid_hint",
        "par exemple --host ssh://root@192.168.56.10 ou --host ssh://exam@[fd00::5]:2222 (IPv6 entre crochets)",
        "for example --host ssh://root@192.168.56.10 or --host ssh://exam@[fd00::5]:2222 (IPv6 in brackets)",
    ),
    (
        "check.role_needed",
        "le pack {pack} a plusieurs rôles : précisez --role",
        "pack {pack} has several roles: give --role",
    ),
    (
        "demo.written",
        "Rapport complet : {html}",
        "Full report: {html}",
    ),
    (
        "explain.unknown",
        "« {name} » n'est ni un type de contrôle ni un contrôle d'un pack intégré",
        "\"{name}\" is neither a check kind nor a check of an embedded pack",
    ),
    (
        "explain.unknown_hint",
        "types de contrôle : {kinds}",
        "check kinds: {kinds}",
    ),
    (
        "coverage.mixed",
        "les packs donnés n'ont pas tous le même référentiel",
        "the packs given do not share one référentiel",
    ),
    (
        "coverage.mixed_hint",
        "donnez des packs d'un seul référentiel (ex. tssr-2023)",
        "give packs of a single référentiel (e.g. tssr-2023)",
    ),
    (
        "session.no_pack",
        "l'inventaire ne nomme pas de pack (session.pack) : rien n'est noté",
        "the inventory names no pack (session.pack): nothing graded",
    ),
    (
        "session.no_end_phase",
        "la phase de fin n'a pas encore été relevée : lancez `constat session run --phase end`",
        "the end phase has not been collected yet: run `constat session run --phase end`",
    ),
    (
        "session.graded",
        "{count} candidat(s) noté(s) : rapports dans {dir}",
        "{count} candidate(s) graded: reports in {dir}",
    ),
    ("label.error", "erreur", "error"),
    (
        "host_error.display",
        "{kind} : {message}",
        "{kind}: {message}",
    ),
    (
        "session.missing",
        "{dir} n'est pas un dossier de session (pas d'inventory.yaml)",
        "{dir} is not a session directory (no inventory.yaml)",
    ),
    (
        "session.missing_hint",
        "créez-le avec « constat session init --inventory session.yaml <dossier> »",
        "create it with \"constat session init --inventory session.yaml <dir>\"",
    ),
    ("verify.state.absent", "absente", "absent"),
    ("verify.state.valid", "valide", "valid"),
    ("verify.state.invalid", "INVALIDE", "INVALID"),
    ("label.cause", "cause", "cause"),
    ("label.hint", "que faire", "what to do"),
    (
        "agent.not_found",
        "aucun binaire de l'agent constat-agent trouvé (cherché : {tried}) ; construisez l'agent statique avec `cargo build --profile release-agent --target x86_64-unknown-linux-musl -p constat-agent` (rustup target add x86_64-unknown-linux-musl), posez-le à côté de constat, ou désignez-le avec CONSTAT_AGENT_BIN",
        "no constat-agent binary found (looked at: {tried}); build the static agent with `cargo build --profile release-agent --target x86_64-unknown-linux-musl -p constat-agent` (rustup target add x86_64-unknown-linux-musl), put it next to constat, or point CONSTAT_AGENT_BIN at it",
    ),
    (
        "collect.done",
        "instantané écrit dans {file} (sha256 {sha256})",
        "snapshot written to {file} (sha256 {sha256})",
    ),
    (
        "collect.request_unreadable",
        "impossible de lire le fichier de requête {file}",
        "cannot read the request file {file}",
    ),
    (
        "collect.request_invalid",
        "fichier de requête {file} invalide (attendu {\"paths\": [...]})",
        "invalid request file {file} (expected {\"paths\": [...]})",
    ),
    (
        "collect.write_failed",
        "impossible d'écrire l'instantané {file}",
        "cannot write the snapshot {file}",
    ),
    (
        "cred.file_invalid",
        "fichier d'identifiants {file} invalide à la ligne {line}, colonne {column}",
        "invalid credentials file {file} at line {line}, column {column}",
    ),
    (
        "cred.file_invalid_hint",
        "écrivez une ligne par identifiant : `nom: 'mot de passe'` (guillemets simples conseillés)",
        "write one line per credential: `name: 'password'` (single quotes advised)",
    ),
    (
        "cred.file_mode",
        "le fichier d'identifiants {file} a les droits {mode} : il ne doit être lisible que par son propriétaire",
        "the credentials file {file} has mode {mode}: only its owner may read it",
    ),
    (
        "cred.file_mode_hint",
        "chmod 600 {file}",
        "chmod 600 {file}",
    ),
    (
        "cred.file_unreadable",
        "impossible de lire le fichier d'identifiants {file}",
        "cannot read the credentials file {file}",
    ),
    (
        "cred.missing",
        "identifiant « {name} » introuvable",
        "credential \"{name}\" not found",
    ),
    (
        "cred.missing_hint",
        "définissez la variable {var}, ajoutez-le au fichier d'identifiants ({file}) ou lancez la commande dans un terminal pour le saisir",
        "set {var}, add it to the credentials file ({file}) or run the command in a terminal to type it",
    ),
    (
        "cred.no_file",
        "aucun fichier donné : --credentials",
        "no file given: --credentials",
    ),
    (
        "cred.prompt",
        "Mot de passe pour « {name} » : ",
        "Password for \"{name}\": ",
    ),
    (
        "csv.bad_header",
        "{file} : la première ligne doit être l'en-tête id,name[,variable…]",
        "{file}: the first line must be the header id,name[,variable…]",
    ),
    (
        "csv.bad_header_hint",
        "exemple : « id,name,num » puis « c01,Alice Martin,1 » (séparateur , ou ;)",
        "example: \"id,name,num\" then \"c01,Alice Martin,1\" (separator , or ;)",
    ),
    (
        "csv.empty_id",
        "{file}:{line} : identifiant de candidat vide",
        "{file}:{line}: empty candidate id",
    ),
    (
        "csv.invalid",
        "{file}:{line} : CSV invalide : {message}",
        "{file}:{line}: invalid CSV: {message}",
    ),
    (
        "csv.unreadable",
        "impossible de lire la liste de candidats {file}",
        "cannot read the candidate list {file}",
    ),
    (
        "export.done",
        "session exportée dans {dir} ({files} fichiers, vérifiés)",
        "session exported to {dir} ({files} files, verified)",
    ),
    (
        "export.exists",
        "la destination {dir} existe déjà",
        "the destination {dir} already exists",
    ),
    (
        "export.exists_hint",
        "choisissez un dossier qui n'existe pas encore",
        "choose a directory that does not exist yet",
    ),
    (
        "export.no_manifest",
        "{dir} n'a pas de manifest.json : ce n'est pas une session relevée",
        "{dir} has no manifest.json: not a collected session",
    ),
    (
        "export.no_manifest_hint",
        "lancez d'abord « constat session run <dossier> --phase start »",
        "run \"constat session run <dir> --phase start\" first",
    ),
    (
        "export.verify_failed",
        "la copie ne correspond pas au manifeste",
        "the copy does not match the manifest",
    ),
    (
        "init.done",
        "session créée dans {dir} : {candidates} candidats, {hosts} hôtes",
        "session created in {dir}: {candidates} candidates, {hosts} hosts",
    ),
    (
        "init.exists",
        "{dir} contient déjà une session",
        "{dir} already holds a session",
    ),
    (
        "init.exists_hint",
        "choisissez un autre dossier, ou poursuivez celle-ci avec « constat session run »",
        "choose another directory, or continue this one with \"constat session run\"",
    ),
    (
        "inventory.duplicate_candidate_hint",
        "donnez à chaque candidat un identifiant unique (inventaire et CSV réunis)",
        "give each candidate a unique id (inventory and CSV together)",
    ),
    (
        "inventory.base_dn_invalid",
        "{host} : base_dn « {value} » n'est pas un DN",
        "{host}: base_dn \"{value}\" is not a DN",
    ),
    (
        "inventory.base_dn_invalid_hint",
        "écrivez-le comme « DC=tssr,DC=lan », ou retirez-le pour lire le defaultNamingContext du DC",
        "write it like \"DC=tssr,DC=lan\", or leave it out to read the DC's defaultNamingContext",
    ),
    (
        "inventory.ca_file_needs_verify",
        "{host} : ca_file n'a de sens qu'avec « tls: verify » (ici « tls: {tls} »)",
        "{host}: ca_file only makes sense with \"tls: verify\" (here \"tls: {tls}\")",
    ),
    (
        "inventory.ca_file_needs_verify_hint",
        "retirez ca_file, ou mettez « tls: verify » pour vérifier le certificat avec ce fichier",
        "remove ca_file, or set \"tls: verify\" to check the certificate with that file",
    ),
    ("inventory.in_file", "dans {file}", "in {file}"),
    (
        "inventory.invalid",
        "{file}:{line}:{column} : inventaire invalide : {message}",
        "{file}:{line}:{column}: invalid inventory: {message}",
    ),
    (
        "inventory.invalid_hint",
        "comparez avec le schéma : « constat schema inventory »",
        "compare with the schema: \"constat schema inventory\"",
    ),
    (
        "inventory.no_address",
        "{host} : aucune adresse (ni dans l'hôte, ni dans defaults)",
        "{host}: no address (neither in the host nor in defaults)",
    ),
    (
        "inventory.no_address_hint",
        "ajoutez « address: » à l'hôte ou au rôle dans « defaults: »",
        "add \"address:\" to the host or to the role under \"defaults:\"",
    ),
    (
        "inventory.option_not_for_transport",
        "{host} : l'option « {option} » ne s'applique pas au transport {transport}",
        "{host}: the \"{option}\" option does not apply to the {transport} transport",
    ),
    (
        "inventory.option_transports_hint",
        "elle ne sert qu'aux transports : {allowed} ; retirez-la ou changez « transport: »",
        "it is only used by the transports: {allowed}; remove it or change \"transport:\"",
    ),
    (
        "inventory.template_hint",
        "variables connues : ${candidate}, ${name} et les clés de « vars: » du candidat (ou colonnes du CSV)",
        "known variables: ${candidate}, ${name} and the keys of the candidate's \"vars:\" (or CSV columns)",
    ),
    (
        "inventory.unclosed_template",
        "{host} : modèle non fermé (accolade fermante manquante) dans « {value} »",
        "{host}: unclosed template (missing closing brace) in \"{value}\"",
    ),
    (
        "inventory.unknown_variable",
        "{host} : variable « {var} » inconnue pour le candidat {candidate}",
        "{host}: unknown variable \"{var}\" for candidate {candidate}",
    ),
    (
        "inventory.unreadable",
        "impossible de lire l'inventaire {file}",
        "cannot read the inventory {file}",
    ),
    (
        "inventory.unknown_timezone",
        "{file} : session.timezone « {value} » n'est pas un fuseau horaire connu",
        "{file}: session.timezone \"{value}\" is not a known time zone",
    ),
    (
        "inventory.unknown_timezone_hint",
        "un nom IANA : Europe/Paris (par défaut), Indian/Reunion, America/Cayenne, America/Martinique, Pacific/Noumea…",
        "an IANA name: Europe/Paris (the default), Indian/Reunion, America/Cayenne, America/Martinique, Pacific/Noumea…",
    ),
    (
        "inventory.zero_concurrency",
        "{file} : settings.concurrency doit valoir au moins 1",
        "{file}: settings.concurrency must be at least 1",
    ),
    (
        "inventory.zero_concurrency_hint",
        "mettez par exemple « concurrency: 16 »",
        "set for example \"concurrency: 16\"",
    ),
    ("kind.agent_failed", "échec de l'agent", "agent failed"),
    (
        "kind.auth_refused",
        "authentification refusée",
        "authentication refused",
    ),
    ("kind.bad_output", "sortie invalide", "bad output"),
    (
        "kind.credentials",
        "identifiant manquant",
        "missing credential",
    ),
    ("kind.host_key", "clé d'hôte refusée", "host key refused"),
    ("kind.no_agent", "agent indisponible", "no agent"),
    ("kind.other", "erreur", "error"),
    ("kind.sudo_refused", "sudo refusé", "sudo refused"),
    ("kind.timeout", "délai dépassé", "timed out"),
    ("kind.tls", "certificat refusé", "certificate refused"),
    ("kind.unreachable", "injoignable", "unreachable"),
    (
        "kind.unsupported",
        "transport indisponible",
        "transport unavailable",
    ),
    (
        "ldap.bind_refused",
        "{host} : connexion LDAP en tant que {user} refusée : {error}",
        "{host}: LDAP bind as {user} refused: {error}",
    ),
    (
        "ldap.connect_failed",
        "{host} : connexion LDAP impossible : {error}",
        "{host}: cannot connect over LDAP: {error}",
    ),
    (
        "ldap.needs_cred",
        "{host} : le transport ldap a besoin d'un mot de passe : ajoutez « cred: » (nom de l'identifiant)",
        "{host}: the ldap transport needs a password: add \"cred:\" (name of the credential)",
    ),
    (
        "ldap.search_failed",
        "{host} : lecture de l'annuaire impossible : {error}",
        "{host}: cannot read the directory: {error}",
    ),
    (
        "ldap.target_invalid",
        "{host} : cible LDAP incohérente : {error}",
        "{host}: inconsistent LDAP target: {error}",
    ),
    (
        "ldap.timed_out",
        "{host} : l'annuaire n'a pas été lu en {seconds} s",
        "{host}: the directory was not read within {seconds} s",
    ),
    (
        "ldap.tls_refused",
        "{host} : certificat du DC refusé : {error} (donnez son autorité avec ca_file / --ca-file, ou choisissez explicitement « tls: insecure » pour un DC de labo)",
        "{host}: the DC's certificate was refused: {error} (give its CA with ca_file / --ca-file, or choose \"tls: insecure\" explicitly for a lab DC)",
    ),
    (
        "progress.collected",
        "relevé en {seconds} s",
        "collected in {seconds} s",
    ),
    ("progress.collecting", "relevé en cours…", "collecting…"),
    ("progress.failed", "échec — {error}", "failed — {error}"),
    ("progress.line", "{host} : {outcome}", "{host}: {outcome}"),
    ("progress.waiting", "en attente", "waiting"),
    ("run.failures", "hôtes en échec :", "failed hosts:"),
    (
        "run.resume_hint",
        "que faire : corrigez ces hôtes puis relancez avec --resume (seuls les hôtes manquants seront relevés)",
        "what to do: fix these hosts then run again with --resume (only the missing hosts are collected)",
    ),
    (
        "run.summary",
        "phase {phase} : {collected} relevé(s), {skipped} déjà relevé(s), {failed} en échec ({seconds} s)",
        "phase {phase}: {collected} collected, {skipped} already collected, {failed} failed ({seconds} s)",
    ),
    (
        "session.known_hosts",
        "impossible de lire {file}",
        "cannot read {file}",
    ),
    (
        "session.manifest_unreadable",
        "manifeste {file} illisible",
        "unreadable manifest {file}",
    ),
    (
        "session.task_failed",
        "une tâche de relevé s'est arrêtée anormalement",
        "a collection task stopped abnormally",
    ),
    (
        "regrade.damaged",
        "attention : instantané enregistré mais absent ou modifié depuis (sha256), noté comme une collecte échouée : {hosts}",
        "warning: snapshot recorded but missing or changed since (sha256), graded as a failed collection: {hosts}",
    ),
    (
        "regrade.damaged_hint",
        "« constat session verify » détaille chaque fichier ; relevez de nouveau ces hôtes avec « session run --resume »",
        "\"constat session verify\" details each file; collect these hosts again with \"session run --resume\"",
    ),
    (
        "file.write_failed",
        "impossible d'écrire {file}",
        "cannot write {file}",
    ),
    (
        "file.dir_failed",
        "impossible de créer ou de lire le dossier {dir}",
        "cannot create or read the directory {dir}",
    ),
    (
        "session.write_failed",
        "impossible d'écrire {file} : {error}",
        "cannot write {file}: {error}",
    ),
    (
        "sign.done",
        "manifeste signé : {file} (clé {key})",
        "manifest signed: {file} (key {key})",
    ),
    (
        "sign.key_hint",
        "créez une clé avec « ssh-keygen -t ed25519 -N '' -f cle-examinateur »",
        "create a key with \"ssh-keygen -t ed25519 -N '' -f examiner-key\"",
    ),
    (
        "sign.key_unreadable",
        "clé privée {file} illisible : {error}",
        "unreadable private key {file}: {error}",
    ),
    (
        "sign.no_manifest",
        "impossible de lire {file}",
        "cannot read {file}",
    ),
    (
        "sign.not_ed25519",
        "{file} n'est pas une clé ed25519",
        "{file} is not an ed25519 key",
    ),
    (
        "ssh.agent_failed",
        "l'agent a échoué (code {code}) : {stderr}",
        "the agent failed (exit code {code}): {stderr}",
    ),
    (
        "ssh.agent_no_status",
        "l'agent s'est arrêté sans code de sortie : {stderr}",
        "the agent stopped without an exit code: {stderr}",
    ),
    (
        "ssh.arch_mismatch",
        "l'hôte est {arch} mais l'agent {path} est {binary_arch} : construisez l'agent pour {arch} et désignez-le avec CONSTAT_AGENT_BIN",
        "the host is {arch} but the agent {path} is {binary_arch}: build the agent for {arch} and point CONSTAT_AGENT_BIN at it",
    ),
    (
        "ssh.auth_refused",
        "le compte {user} a été refusé (méthodes essayées : {methods}) ; vérifiez le compte et l'identifiant",
        "account {user} was refused (methods tried: {methods}); check the account and the credential",
    ),
    (
        "ssh.connect_failed",
        "connexion à {address}:{port} impossible : {error}",
        "cannot connect to {address}:{port}: {error}",
    ),
    (
        "ssh.connect_timeout",
        "pas de réponse de {address}:{port} en {seconds} s",
        "no answer from {address}:{port} within {seconds} s",
    ),
    (
        "ssh.host_timeout",
        "l'hôte n'a pas fini en {seconds} s (délai par hôte)",
        "the host did not finish within {seconds} s (per-host limit)",
    ),
    (
        "ssh.accept_hint",
        "copiez HÔTE=EMPREINTE du message de refus : l'hôte entre crochets avec son port, l'empreinte SHA256:… que vous avez vérifiée sur la machine",
        "copy HOST=FINGERPRINT from the refusal: the host in brackets with its port, the SHA256:… fingerprint you checked on the machine",
    ),
    (
        "ssh.accept_syntax",
        "--accept-host-key « {value} » : attendu HÔTE=EMPREINTE tels que le refus les nomme, par exemple '[10.0.1.20]:22=SHA256:…'",
        "--accept-host-key \"{value}\": expected HOST=FINGERPRINT as the refusal names them, e.g. '[10.0.1.20]:22=SHA256:…'",
    ),
    (
        "ssh.key_changed",
        "la clé de {host} a changé : enregistrée {old}, présentée {new} ; si la machine a été réinstallée, vérifiez cette empreinte sur elle (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) puis relancez avec --accept-host-key '{host}={new}'",
        "the key of {host} changed: recorded {old}, presented {new}; if the machine was reinstalled, check this fingerprint on it (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then run again with --accept-host-key '{host}={new}'",
    ),
    (
        "ssh.key_file",
        "clé privée {file} illisible : {error}",
        "unreadable private key {file}: {error}",
    ),
    (
        "ssh.key_unknown",
        "clé de {host} inconnue ({fingerprint}) et --strict-host-keys est actif ; après l'avoir vérifiée sur la machine, relancez avec --accept-host-key '{host}={fingerprint}'",
        "unknown key for {host} ({fingerprint}) and --strict-host-keys is on; once checked on the machine, run again with --accept-host-key '{host}={fingerprint}'",
    ),
    (
        "ssh.key_unreadable",
        "clé de {host} illisible",
        "unreadable key from {host}",
    ),
    ("ssh.protocol", "erreur SSH : {error}", "SSH error: {error}"),
    (
        "ssh.sudo_needs_password",
        "{host} : sudo demandé mais aucun identifiant (cred) pour le mot de passe",
        "{host}: sudo requested but no credential (cred) for the password",
    ),
    (
        "ssh.sudo_refused",
        "sudo a refusé le compte {user} : {stderr}",
        "sudo refused account {user}: {stderr}",
    ),
    (
        "ssh.upload_failed",
        "dépôt de {path} impossible : {stderr}",
        "cannot upload {path}: {stderr}",
    ),
    ("status.candidate", "candidat", "candidate"),
    ("phase.start", "début", "start"),
    ("phase.end", "fin", "end"),
    ("status.collected", "relevé", "collected"),
    ("status.damaged", "ENDOMMAGÉ", "DAMAGED"),
    ("status.failed", "échec", "failed"),
    ("status.pending", "à faire", "pending"),
    (
        "transport.bad_output",
        "la sortie de l'agent n'est pas un instantané valide : {error} ; début : {start}",
        "the agent's output is not a valid snapshot: {error}; start: {start}",
    ),
    (
        "transport.unsupported",
        "le transport {transport} n'est pas encore disponible dans cette version",
        "the {transport} transport is not available in this build yet",
    ),
    (
        "validate.ok",
        "{file} : inventaire valide ({candidates} candidats, {hosts} hôtes)",
        "{file}: valid inventory ({candidates} candidates, {hosts} hosts)",
    ),
    (
        "verify.bad_signature_file",
        "fichier de signature invalide : {error}",
        "invalid signature file: {error}",
    ),
    (
        "verify.manifest_changed",
        "le manifeste a changé depuis la signature",
        "the manifest changed since it was signed",
    ),
    (
        "verify.missing",
        "{file} manquant : {error}",
        "{file} missing: {error}",
    ),
    ("verify.ok", "tout correspond", "everything matches"),
    (
        "verify.other_signer",
        "signé par une autre clé que celle attendue",
        "signed by another key than the expected one",
    ),
    (
        "verify.sha_mismatch",
        "{file} : sha256 différent du manifeste",
        "{file}: sha256 differs from the manifest",
    ),
    (
        "verify.sidecar_mismatch",
        "{file} : sha256 différent du fichier .sha256",
        "{file}: sha256 differs from the .sha256 file",
    ),
    (
        "verify.signature_invalid",
        "signature invalide",
        "invalid signature",
    ),
    (
        "verify.signer_unreadable",
        "impossible de lire la clé publique {file}",
        "cannot read the public key {file}",
    ),
    (
        "verify.summary",
        "{files} instantanés vérifiés, signature : {signature}",
        "{files} snapshots checked, signature: {signature}",
    ),
    (
        "verify.unsigned",
        "le manifeste n'est pas signé",
        "the manifest is not signed",
    ),
    (
        "winrm.auth_refused",
        "{host} : authentification WinRM refusée : {error}",
        "{host}: WinRM authentication refused: {error}",
    ),
    (
        "winrm.bad_output",
        "{host} : la sortie de la sonde PowerShell est inutilisable : {error}",
        "{host}: the PowerShell probe's output is unusable: {error}",
    ),
    (
        "winrm.connect_failed",
        "{host} : WinRM injoignable : {error}",
        "{host}: WinRM unreachable: {error}",
    ),
    (
        "winrm.needs_cred",
        "{host} : le transport winrm a besoin d'un mot de passe : ajoutez « cred: » (nom de l'identifiant)",
        "{host}: the winrm transport needs a password: add \"cred:\" (name of the credential)",
    ),
    (
        "winrm.protocol",
        "{host} : le service WinRM a refusé la requête : {error}",
        "{host}: the WinRM service refused the request: {error}",
    ),
    (
        "winrm.timed_out",
        "{host} : WinRM n'a pas répondu en {seconds} s",
        "{host}: WinRM did not answer within {seconds} s",
    ),
    // --- hostile transport (issue #12): bounded host output, scrubbed credentials,
    // invalid UTF-8, identity, clean-up of stale uploads ---
    (
        "kind.output_too_large",
        "sortie trop volumineuse",
        "output too large",
    ),
    (
        "transport.output_too_large",
        "« {what} » a envoyé plus de {limit} sur sa sortie : connexion fermée (un relevé normal pèse moins d'1 Mio ; boucle ou affichage dans le profil de connexion du compte ?). Pour relever la limite : « max_output_mib: » de cet hôte dans l'inventaire (par hôte ou dans « defaults: »)",
        "\"{what}\" sent more than {limit} on its output: connection closed (a normal snapshot is under 1 MiB; a loop or output in the account's login profile?). To raise the limit: \"max_output_mib:\" for this host in the inventory (per host or in \"defaults:\")",
    ),
    (
        "transport.stderr_too_large",
        "« {what} » a envoyé plus de {limit} sur sa sortie d'erreur : connexion fermée (boucle ou affichage dans le profil de connexion du compte ?). Pour relever la limite : « max_output_mib: » de cet hôte dans l'inventaire",
        "\"{what}\" sent more than {limit} on its error output: connection closed (a loop or output in the account's login profile?). To raise the limit: \"max_output_mib:\" for this host in the inventory",
    ),
    (
        "inventory.max_output_range",
        "{host} : max_output_mib vaut {value}, hors de l'intervalle accepté",
        "{host}: max_output_mib is {value}, outside the accepted range",
    ),
    (
        "inventory.max_output_range_hint",
        "donnez un nombre de Mio entre 1 et {max} (64 par défaut)",
        "give a number of MiB between 1 and {max} (default 64)",
    ),
    (
        "transport.invalid_utf8",
        "la sortie de l'hôte n'est pas de l'UTF-8 valide (octet {offset}) : instantané refusé ; début : {start}",
        "the host's output is not valid UTF-8 (byte {offset}): snapshot refused; start: {start}",
    ),
    (
        "progress.removed_stale",
        " ; {count} fichier(s) laissé(s) dans /tmp par une exécution interrompue de cette session supprimé(s) (voir manifest.json)",
        "; {count} file(s) left in /tmp by an interrupted run of this session removed (see manifest.json)",
    ),
    (
        "ldap.too_large",
        "{host} : l'annuaire envoie trop de données : {error}",
        "{host}: the directory sends too much: {error}",
    ),
    (
        "winrm.output_too_large",
        "{host} : sortie trop volumineuse de la sonde : {error}",
        "{host}: the probe's output is too large: {error}",
    ),
    // --- Session names that cannot collide (ids, roles, display names) ---
    ("name.empty", "nom vide", "empty name"),
    (
        "name.too_long",
        "{length} caractères, au plus {max}",
        "{length} characters, at most {max}",
    ),
    (
        "name.bad_char",
        "caractère « {char} » interdit",
        "character \"{char}\" not allowed",
    ),
    (
        "name.leading_dot",
        "ne doit pas commencer par « . »",
        "must not start with \".\"",
    ),
    (
        "name.reserved",
        "nom réservé (fichier de la session ou nom interdit par Windows)",
        "reserved name (a session file, or a name Windows refuses)",
    ),
    (
        "inventory.bad_name_at",
        "{file}:{line}:{column} : {what} « {value} » refusé : {reason}",
        "{file}:{line}:{column}: {what} \"{value}\" refused: {reason}",
    ),
    (
        "inventory.bad_name_at_hint",
        "un identifiant ou un rôle : 1 à 64 lettres ASCII, chiffres, « - », « _ », « . » (pas en premier), et ni un nom de la session (inventory, known_hosts, request, manifest, reports, summary, jury, start, end, export) ni un nom réservé par Windows (CON, NUL, COM1…) ; un nom affiché : 200 caractères au plus, sans caractère de contrôle",
        "an id or role: 1 to 64 ASCII letters, digits, \"-\", \"_\", \".\" (not first), and neither a session name (inventory, known_hosts, request, manifest, reports, summary, jury, start, end, export) nor a name Windows reserves (CON, NUL, COM1…); a display name: at most 200 characters, no control character",
    ),
    (
        "inventory.duplicate_candidate_at",
        "{file}:{line}:{column} : le candidat « {id} » apparaît deux fois (déjà « {first} » ligne {first_line} ; la casse ne compte pas)",
        "{file}:{line}:{column}: candidate \"{id}\" appears twice (already \"{first}\" at line {first_line}; case does not count)",
    ),
    (
        "csv.bad_name",
        "{file}:{line} : {what} « {value} » refusé : {reason}",
        "{file}:{line}: {what} \"{value}\" refused: {reason}",
    ),
    (
        "csv.duplicate",
        "{file}:{line} : le candidat « {id} » apparaît deux fois (déjà « {first} » ligne {first_line} ; la casse ne compte pas)",
        "{file}:{line}: candidate \"{id}\" appears twice (already \"{first}\" at line {first_line}; case does not count)",
    ),
    (
        "session.report_failed",
        "rapport de « {candidate} » non écrit : {error}",
        "report of \"{candidate}\" not written: {error}",
    ),
    (
        "session.reports_failed_hint",
        "les autres rapports, la synthèse et la grille du jury sont écrits ; corrigez le chemin indiqué puis relancez « constat session regrade »",
        "the other reports, the summary and the jury grid are written; fix the path shown, then run \"constat session regrade\"",
    ),
    // --- Bounded local inputs (packs, inventories, CSV, snapshots) ---
    ("input.kind_pack", "pack", "pack"),
    ("input.kind_inventory", "inventaire", "inventory"),
    ("input.kind_csv", "CSV des candidats", "candidates CSV"),
    ("input.kind_snapshot", "instantané", "snapshot"),
    (
        "input.kind_export",
        "fichier exporté par le système",
        "file exported by the system",
    ),
    (
        "input.kind_pack_or_inventory",
        "pack ou inventaire",
        "pack or inventory",
    ),
    (
        "input.unreadable",
        "{what} illisible : {file}",
        "cannot read {what}: {file}",
    ),
    (
        "input.unreadable_hint",
        "vérifiez le chemin et les droits du fichier",
        "check the path and the file's permissions",
    ),
    (
        "input.not_regular",
        "{what} refusé : {file} est {nature}, pas un fichier ordinaire",
        "{what} refused: {file} is {nature}, not a regular file",
    ),
    (
        "input.not_regular_hint",
        "donnez le chemin d'un fichier ordinaire ; constat ne lit ni un tube (FIFO), ni un périphérique, ni un dossier",
        "give the path of a regular file; constat reads neither a pipe (FIFO), a device nor a directory",
    ),
    ("input.nature_dir", "un dossier", "a directory"),
    ("input.nature_fifo", "un tube (FIFO)", "a pipe (FIFO)"),
    ("input.nature_device", "un périphérique", "a device"),
    ("input.nature_other", "un fichier spécial", "a special file"),
    (
        "input.too_large",
        "{what} refusé : {file} fait au moins {size} octets, au plus {limit}",
        "{what} refused: {file} is at least {size} bytes, at most {limit}",
    ),
    (
        "input.too_large_hint",
        "vérifiez que c'est le bon fichier ; un pack ou un inventaire fait quelques Kio, un instantané quelques Mio",
        "check it is the right file; a pack or an inventory is a few KiB, a snapshot a few MiB",
    ),
    (
        "input.not_utf8",
        "{what} refusé : {file} n'est pas du texte UTF-8 (octet {offset})",
        "{what} refused: {file} is not UTF-8 text (byte {offset})",
    ),
    (
        "input.not_utf8_hint",
        "enregistrez le fichier en UTF-8",
        "save the file as UTF-8",
    ),
    // `constat import` (systems beside the hosts, issue 16).
    (
        "import.invalid_hint",
        "donnez le fichier tel que le système l'a écrit : config.xml de Diagnostics > Sauvegarde, /var/lib/nagios4/status.dat",
        "give the file as the system wrote it: config.xml from Diagnostics > Backup, /var/lib/nagios4/status.dat",
    ),
    // one-language (issue 14 item 5): session status lines, OS errors, validate.
    (
        "status.failure_line",
        "  {candidate}/{role}/{phase} : {error}",
        "  {candidate}/{role}/{phase}: {error}",
    ),
    ("label.separator", " : ", ": "),
    (
        "check.not_root",
        "attention : constat check n'est pas lancé en root, il voit moins (mots de passe, sudoers, tâches des autres comptes, processus des ports) : lancez avec sudo. Non relevé ou incomplet : {sections}",
        "warning: constat check is not run as root, it sees less (passwords, sudoers, other accounts' jobs, the processes behind ports): run it with sudo. Not collected or incomplete: {sections}",
    ),
    ("verbose.pack", "pack : {pack}", "pack: {pack}"),
    (
        "error.collect_workers",
        "CONSTAT_COLLECT_WORKERS vaut « {value} » : donnez un nombre de threads de relevé de 0 (un par collecteur) à 64, ou retirez la variable (2 par défaut)",
        "CONSTAT_COLLECT_WORKERS is \"{value}\": give a number of collection threads from 0 (one per collector) to 64, or unset it (2 by default)",
    ),
    (
        "verbose.collect",
        "relevé de cette machine (rôle {role})",
        "collecting this machine (role {role})",
    ),
    ("verbose.written", "écrit : {file}", "written: {file}"),
    (
        "explain.pack",
        "pack : {pack} ({title})",
        "pack: {pack} ({title})",
    ),
    ("explain.criteres", "critères : {list}", "critères: {list}"),
    ("explain.hosts", "hôtes : {list}", "hosts: {list}"),
    ("explain.points", "points : {points}", "points: {points}"),
    (
        "explain.penalty",
        "pénalité : {points}",
        "penalty: {points}",
    ),
    ("explain.requires", "prérequis : {list}", "requires: {list}"),
    (
        "explain.active",
        "test actif : exécute le script avec --active-tests",
        "active test: runs the script with --active-tests",
    ),
    (
        "explain.origin",
        "origine : {file}:{line}:{col}, inclus ligne {included}",
        "origin: {file}:{line}:{col}, included at line {included}",
    ),
    (
        "explain.renamed",
        "renommé : s'appelle « {id} » dans son fichier",
        "renamed: called \"{id}\" in its file",
    ),
    (
        "explain.overridden",
        "surchargé : {field} ({at})",
        "overridden: {field} ({at})",
    ),
    (
        "validate.included",
        "  {count} contrôle(s) inclus de : {files}",
        "  {count} included check(s) from: {files}",
    ),
    (
        "validate.overridden",
        "  {id} : inclus de {from}, surchargé ({fields}) à {at}",
        "  {id}: included from {from}, overridden ({fields}) at {at}",
    ),
    ("explain.hint", "indice : {text}", "hint: {text}"),
    (
        "explain.explanation",
        "explication : {text}",
        "explanation: {text}",
    ),
    (
        "inventory.unknown_field",
        "champ inconnu « {name} » (possibles : {expected})",
        "unknown field \"{name}\" (possible: {expected})",
    ),
    (
        "inventory.unknown_value",
        "valeur inconnue « {name} » (possibles : {expected})",
        "unknown value \"{name}\" (possible: {expected})",
    ),
    (
        "inventory.missing_field",
        "champ obligatoire « {name} » absent",
        "missing field \"{name}\"",
    ),
    (
        "inventory.did_you_mean",
        " ; vouliez-vous dire « {name} » ?",
        "; did you mean \"{name}\"?",
    ),
    (
        "validate.pack_missing",
        "{file} : le pack « {pack} » nommé par session.pack n'existe pas (ni pack intégré ni fichier {path})",
        "{file}: the pack \"{pack}\" named by session.pack does not exist (neither an embedded pack nor the file {path})",
    ),
    (
        "validate.pack_missing_hint",
        "donnez un pack intégré ({ids}) ou un chemin relatif au dossier de l'inventaire",
        "give an embedded pack ({ids}) or a path relative to the inventory's directory",
    ),
    (
        "validate.failed",
        "{count} fichier(s) sur {total} invalide(s)",
        "{count} of {total} file(s) invalid",
    ),
    (
        "validate.failed_hint",
        "corrigez les erreurs ci-dessus, puis relancez `constat validate`",
        "fix the errors above, then run `constat validate` again",
    ),
    (
        "validate.pack_embedded_ok",
        "{file} : pack intégré {id} valide ({checks} contrôles)",
        "{file}: embedded pack {id} valid ({checks} checks)",
    ),
    // --- Library failures in the reader's language (transport/cause.rs): our phrase,
    // then the library's text as a detail ---
    (
        "cause.detail",
        "{phrase} (détail : {detail})",
        "{phrase} (detail: {detail})",
    ),
    (
        "cause.refused",
        "connexion refusée : rien n'écoute sur ce port (vérifiez l'adresse, le port et que le service tourne)",
        "connection refused: nothing listens on this port (check the address, the port and that the service runs)",
    ),
    (
        "cause.reset",
        "connexion coupée net par l'hôte distant (un pare-feu ou un service qui rejette la connexion ?)",
        "connection reset by the remote host (a firewall or a service rejecting the connection?)",
    ),
    (
        "cause.unreachable",
        "hôte ou réseau injoignable (vérifiez l'adresse et la route)",
        "host or network unreachable (check the address and the route)",
    ),
    (
        "cause.timed_out",
        "délai dépassé sans réponse",
        "time limit reached without an answer",
    ),
    (
        "cause.closed",
        "l'hôte distant a fermé la connexion avant la fin de l'échange",
        "the remote host closed the connection before the exchange ended",
    ),
    (
        "cause.tls_not_spoken",
        "le serveur ne répond pas en TLS sur ce port (mauvais port, ou service sans TLS)",
        "the server does not answer in TLS on this port (wrong port, or a service without TLS)",
    ),
    (
        "cause.tls_untrusted",
        "certificat du serveur signé par une autorité inconnue (ou autosigné)",
        "the server's certificate is signed by an unknown authority (or self-signed)",
    ),
    (
        "cause.tls_wrong_name",
        "le certificat du serveur ne porte pas le nom ou l'adresse demandés",
        "the server's certificate does not carry the name or address asked for",
    ),
    (
        "cause.tls_expired",
        "certificat du serveur expiré ou pas encore valide (vérifiez aussi l'horloge)",
        "the server's certificate is expired or not valid yet (check the clock too)",
    ),
    (
        "cause.tls_other",
        "échec de la négociation TLS",
        "the TLS handshake failed",
    ),
    (
        "cause.not_protocol",
        "le serveur a répondu, mais pas dans le protocole attendu (mauvais port ?)",
        "the server answered, but not in the expected protocol (wrong port?)",
    ),
    (
        "cause.link_other",
        "échec de la liaison réseau",
        "the network link failed",
    ),
    (
        "cause.not_found",
        "fichier ou dossier introuvable",
        "no such file or directory",
    ),
    (
        "cause.permission_denied",
        "permission refusée",
        "permission denied",
    ),
    ("cause.io", "erreur d'entrée/sortie", "input/output failure"),
    (
        "cause.ssh_closed",
        "le serveur a fermé la connexion SSH (service qui n'est pas SSH, ou qui refuse cette machine)",
        "the server closed the SSH connection (a service that is not SSH, or that refuses this machine)",
    ),
    (
        "cause.ssh_not_ssh",
        "le serveur ne parle pas SSH sur ce port",
        "the server does not speak SSH on this port",
    ),
    (
        "cause.ssh_no_common_algo",
        "aucun algorithme commun avec le serveur SSH",
        "no algorithm in common with the SSH server",
    ),
    (
        "cause.ssh_kex",
        "échec de l'échange de clés SSH",
        "the SSH key exchange failed",
    ),
    (
        "cause.ssh_host_key",
        "clé d'hôte SSH refusée",
        "SSH host key refused",
    ),
    (
        "cause.ssh_channel_refused",
        "le serveur SSH a refusé d'ouvrir la session de commande",
        "the SSH server refused to open the command session",
    ),
    (
        "cause.ssh_auth_method",
        "méthode d'authentification SSH refusée",
        "SSH authentication method refused",
    ),
    (
        "cause.ssh_protocol",
        "échange SSH interrompu par une erreur de protocole",
        "SSH exchange stopped by a protocol failure",
    ),
    (
        "cause.key_encrypted",
        "la clé est protégée par une phrase de passe (non prise en charge : chargez-la dans une clé sans phrase de passe réservée au labo)",
        "the key is protected by a passphrase (not supported: use a lab key without a passphrase)",
    ),
    (
        "cause.key_invalid",
        "ce n'est pas une clé privée OpenSSH lisible",
        "not a readable OpenSSH private key",
    ),
    (
        "cause.http_broken",
        "la connexion s'est interrompue sans réponse HTTP complète",
        "the connection broke off without a complete HTTP answer",
    ),
    (
        "cause.ldap_invalid_credentials",
        "compte ou mot de passe refusé (ou compte désactivé ou verrouillé)",
        "wrong account or password (or the account is disabled or locked)",
    ),
    (
        "cause.ldap_tls_required",
        "le serveur exige TLS pour une liaison simple : utilisez ldaps:// ou StartTLS, pas « tls: plain »",
        "the server requires TLS for a simple bind: use ldaps:// or StartTLS, not \"tls: plain\"",
    ),
    (
        "cause.ldap_result",
        "le serveur a refusé la liaison (code de résultat LDAP {code})",
        "the server refused the bind (LDAP result code {code})",
    ),
    (
        "cause.ldap_closed",
        "le serveur a fermé la connexion sans réponse LDAP (est-ce bien un annuaire sur ce port ?)",
        "the server closed the connection without an LDAP answer (is a directory really on this port?)",
    ),
    (
        "cause.winrm_auth",
        "compte ou mot de passe refusé (un compte local demande le nom de l'ordinateur comme domaine : ORDINATEUR\\compte)",
        "wrong account or password (a local account needs the computer's name as its domain: COMPUTER\\account)",
    ),
    (
        "cause.winrm_protocol",
        "le port a répondu, mais pas comme un service WinRM (vérifiez le port et HTTP/HTTPS)",
        "the port answered, but not as a WinRM service (check the port and HTTP/HTTPS)",
    ),
    (
        "cause.winrm_output",
        "la sonde a tourné mais sa sortie est illisible",
        "the probe ran but its output cannot be read",
    ),
    (
        "cause.winrm_too_large",
        "la sonde a envoyé plus que la limite (augmentez « max_output_mib » si la sortie est légitime)",
        "the probe sent more than the limit (raise \"max_output_mib\" if the output is legitimate)",
    ),
    (
        "cause.ldap_search",
        "la recherche {what} (base {base}) a échoué",
        "the search {what} (base {base}) failed",
    ),
    (
        "cause.ldap_too_large",
        "collecte abandonnée à la recherche {what} (base {base}) : un annuaire de labo est bien plus petit, vérifiez le base DN",
        "collection abandoned at the search {what} (base {base}): a lab directory is far smaller, check the base DN",
    ),
    (
        "cause.http_status",
        "le serveur a répondu HTTP {status} au lieu d'une réponse de l'API (vérifiez l'adresse, le port et le chemin)",
        "the server answered HTTP {status} instead of an API answer (check the address, the port and the path)",
    ),
    (
        "cause.not_json",
        "la réponse n'est pas du JSON : ce n'est pas l'API attendue (une page web ? vérifiez le port et le chemin)",
        "the answer is not JSON: this is not the expected API (a web page? check the port and the path)",
    ),
    (
        "cause.unexpected_answer",
        "la réponse JSON n'a pas la forme attendue de l'API (version non prise en charge ?)",
        "the JSON answer does not have the API's expected shape (an unsupported version?)",
    ),
    (
        "cause.snapshot_not_json",
        "ce n'est pas du JSON (ligne {line}, colonne {column})",
        "this is not JSON (line {line}, column {column})",
    ),
    (
        "cause.snapshot_shape",
        "le JSON ne suit pas le format des instantanés (ligne {line}, colonne {column})",
        "the JSON does not follow the snapshot format (line {line}, column {column})",
    ),
    (
        "cause.snapshot_shape_any",
        "le JSON ne suit pas le format des instantanés",
        "the JSON does not follow the snapshot format",
    ),
    (
        "cause.snapshot_no_version",
        "JSON sans « schema_version » : ce n'est pas un instantané constat",
        "JSON without \"schema_version\": not a constat snapshot",
    ),
    (
        "cause.snapshot_version",
        "instantané au format {found}, celui-ci lit le format {expected} : prenez l'agent de la même version que constat",
        "a snapshot in format {found}, this build reads format {expected}: use the agent of the same version as constat",
    ),
    (
        "ssh.known_hosts_unwritable",
        "fichier known_hosts non enregistrable : {error}",
        "cannot write the known_hosts file: {error}",
    ),
    // --- Supervision APIs (issue 16: zabbix, icinga2 transports) ---
    (
        "api.ca_file_unreadable",
        "{host} : fichier de CA {path} illisible : {error}",
        "{host}: cannot read the CA file {path}: {error}",
    ),
    (
        "api.connect_failed",
        "{host} : connexion à l'API impossible : {error}",
        "{host}: cannot reach the API: {error}",
    ),
    (
        "api.tls_refused",
        "{host} : certificat TLS de l'API refusé : {error} (donnez « ca_file: » ou, en labo, « tls: insecure »)",
        "{host}: the API's TLS certificate was refused: {error} (give \"ca_file:\" or, in a lab, \"tls: insecure\")",
    ),
    (
        "api.timed_out",
        "{host} : l'API n'a pas répondu dans les {seconds} s : {error}",
        "{host}: the API did not answer within {seconds} s: {error}",
    ),
    (
        "api.too_large",
        "{host} : réponse de {url} trop volumineuse ({size} octets, limite {limit}) : augmentez « max_output_mib »",
        "{host}: the answer of {url} is too large ({size} bytes, limit {limit}): raise \"max_output_mib\"",
    ),
    (
        "inventory.api_path_invalid",
        "{host} : api_path « {value} » invalide",
        "{host}: invalid api_path \"{value}\"",
    ),
    (
        "inventory.api_path_invalid_hint",
        "un chemin absolu sans « ? », « # » ni espace, par ex. /zabbix/api_jsonrpc.php",
        "an absolute path without \"?\", \"#\" or spaces, e.g. /zabbix/api_jsonrpc.php",
    ),
    (
        "icinga2.needs_cred",
        "{host} : le transport icinga2 a besoin du mot de passe de l'ApiUser : ajoutez « cred: »",
        "{host}: the icinga2 transport needs the ApiUser's password: add \"cred:\"",
    ),
    (
        "icinga2.auth_refused",
        "{host} : Icinga2 refuse l'ApiUser {user} ({url}, HTTP {status}) : vérifiez le mot de passe et ses permissions objects/query",
        "{host}: Icinga2 refused the ApiUser {user} ({url}, HTTP {status}): check the password and its objects/query permissions",
    ),
    // The supervision readers' errors (`supervision_errors.rs`): the location and the limit
    // filled here, each description converted from the library's English (`retranslate.rs`).
    (
        "supervision.too_large",
        "{source} : {size} octets, au-delà de la limite de {limit} octets d'une réponse de supervision : donnez le fichier d'état ou la réponse de l'API elle-même",
        "{source}: {size} bytes, over the {limit}-byte limit of a supervision answer: pass the status file or API answer itself",
    ),
    (
        "supervision.malformed",
        "{source}:{line}:{col} : {what}",
        "{source}:{line}:{col}: {what}",
    ),
    (
        "supervision.nagios_binary",
        "contenu binaire (un caractère de contrôle) : ce n'est pas un status.dat, donnez le fichier qu'écrit Nagios",
        "binary content (a control character): this is not a status.dat, pass the file Nagios writes",
    ),
    (
        "supervision.nagios_nested",
        "le bloc « {name} » s'ouvre dans « {open} » (ligne {line}), jamais fermé : donnez le status.dat entier",
        "block « {name} » opens inside « {open} » (line {line}) that was never closed: pass the whole status.dat",
    ),
    (
        "supervision.nagios_stray_close",
        "« } » ne ferme aucun bloc : donnez le status.dat entier",
        "« } » closes no block: pass the whole status.dat",
    ),
    (
        "supervision.nagios_not_key_value",
        "« {line} » n'est pas une ligne clé=valeur : donnez le status.dat tel que Nagios l'a écrit",
        "« {line} » is not a key=value line: pass the status.dat as Nagios wrote it",
    ),
    (
        "supervision.nagios_outside",
        "« {line} » hors de tout bloc : donnez le status.dat tel que Nagios l'a écrit",
        "« {line} » outside any block: pass the status.dat as Nagios wrote it",
    ),
    (
        "supervision.nagios_unclosed",
        "le bloc « {name} » n'est jamais fermé (fichier coupé ?) : donnez le status.dat entier",
        "block « {name} » is never closed (file cut?): pass the whole status.dat",
    ),
    (
        "supervision.icinga2_not_json",
        "pas une réponse de l'API d'Icinga2 ({error})",
        "not an Icinga2 API answer ({error})",
    ),
    (
        "supervision.icinga2_no_results",
        "pas de tableau « results » : donnez la réponse de /v1/objects/hosts ou /v1/objects/services",
        "no « results » array: pass the answer of /v1/objects/hosts or /v1/objects/services",
    ),
    (
        "supervision.zabbix_not_json",
        "pas une réponse de l'API de Zabbix ({error})",
        "not a Zabbix API answer ({error})",
    ),
    (
        "supervision.zabbix_error",
        "le serveur a répondu par l'erreur {code} : {message} {data}",
        "the server answered error {code}: {message} {data}",
    ),
    (
        "supervision.zabbix_no_result",
        "pas de tableau « result » : donnez la réponse JSON-RPC entière de la méthode",
        "no « result » array: pass the whole JSON-RPC answer of the method",
    ),
    (
        "supervision.zabbix_too_many",
        "{count} objets, le plus qu'une lecture demande : la réponse est peut-être coupée, lisez un serveur plus petit",
        "{count} objects, the most one reading asks for: the answer may be cut, read a smaller server",
    ),
    (
        "supervision.zabbix_not_string",
        "objet {index} : « {key} » vaut {value}, pas une chaîne comme l'écrit Zabbix : donnez la réponse du serveur telle quelle",
        "object {index}: « {key} » is {value}, not a string as Zabbix writes it: pass the server's answer unchanged",
    ),
    (
        "supervision.zabbix_not_number",
        "objet {index} : « {key} » vaut « {value} », pas un nombre",
        "object {index}: « {key} » is « {value} », not a number",
    ),
    (
        "icinga2.bad_answer",
        "{host} : réponse inattendue d'Icinga2 ({url}) : {error}",
        "{host}: unexpected answer of Icinga2 ({url}): {error}",
    ),
    (
        "glpi.needs_cred",
        "{host} : le transport glpi a besoin d'un identifiant : « cred: » (jeton d'API de l'utilisateur sans « user: » — Préférences > Clés d'accès distant > Jeton d'API —, ou mot de passe de « user: »)",
        "{host}: the glpi transport needs a credential: \"cred:\" (the user's API token without \"user:\" — Preferences > Remote access keys > API token —, or the password of \"user:\")",
    ),
    (
        "glpi.auth_refused",
        "{host} : GLPI refuse la session ({url}, HTTP {status}) : {error} (vérifiez le jeton d'API ou l'identifiant et son mot de passe, « app_token_cred: » et que l'API REST et la connexion par jeton ou par identifiants sont activées)",
        "{host}: GLPI refused the session ({url}, HTTP {status}): {error} (check the API token or the login and its password, \"app_token_cred:\" and that the REST API and login with a token or credentials are enabled)",
    ),
    (
        "glpi.bad_answer",
        "{host} : réponse inattendue de GLPI ({url}) : {error}",
        "{host}: unexpected answer of GLPI ({url}): {error}",
    ),
    (
        "proxmox.needs_cred",
        "{host} : le transport proxmox a besoin du secret du jeton d'API : ajoutez « cred: » (Datacenter > Permissions > API Tokens)",
        "{host}: the proxmox transport needs the API token's secret: add \"cred:\" (Datacenter > Permissions > API Tokens)",
    ),
    (
        "proxmox.needs_token_id",
        "{host} : « user: » doit être l'identifiant du jeton d'API, UTILISATEUR@ROYAUME!JETON (par ex. constat@pve!audit), pas « {user} »",
        "{host}: \"user:\" must be the API token's id, USER@REALM!TOKENID (e.g. constat@pve!audit), not \"{user}\"",
    ),
    (
        "proxmox.auth_refused",
        "{host} : Proxmox VE refuse le jeton {user} ({url}, HTTP {status}) : {error} (vérifiez le secret, l'expiration du jeton et son privilège VM.Audit sur /vms ; avec la séparation des privilèges, le jeton a besoin de ses propres permissions)",
        "{host}: Proxmox VE refused the token {user} ({url}, HTTP {status}): {error} (check the secret, the token's expiry and its VM.Audit privilege on /vms; with privilege separation the token needs permissions of its own)",
    ),
    (
        "proxmox.bad_answer",
        "{host} : réponse inattendue de Proxmox VE ({url}) : {error}",
        "{host}: unexpected answer of Proxmox VE ({url}): {error}",
    ),
    (
        "zabbix.needs_cred",
        "{host} : le transport zabbix a besoin d'un identifiant : « cred: » (mot de passe de « user: », ou jeton d'API sans « user: »)",
        "{host}: the zabbix transport needs a credential: \"cred:\" (the password of \"user:\", or an API token without \"user:\")",
    ),
    (
        "zabbix.auth_refused",
        "{host} : Zabbix refuse l'identifiant ({url}) : {error}",
        "{host}: Zabbix refused the credential ({url}): {error}",
    ),
    (
        "zabbix.bad_answer",
        "{host} : réponse inattendue de Zabbix à {method} ({url}) : {error}",
        "{host}: unexpected answer of Zabbix to {method} ({url}): {error}",
    ),
    // Report files and exports (issue 14 item 3): --report, --csv-dialect.
    (
        "report.unknown_format",
        "format de rapport inconnu : « {value} »",
        "unknown report format: “{value}”",
    ),
    (
        "report.unknown_format_hint",
        "formats possibles : {formats} (séparés par des virgules, ou FORMAT=CHEMIN)",
        "possible formats: {formats} (comma-separated, or FORMAT=PATH)",
    ),
    (
        "report.empty_path",
        "--report {value} : chemin vide",
        "--report {value}: empty path",
    ),
    (
        "report.empty_path_hint",
        "écrivez FORMAT=CHEMIN, par exemple --report junit=resultats.xml",
        "write FORMAT=PATH, e.g. --report junit=results.xml",
    ),
    (
        "report.needs_out",
        "--report {format} : où écrire le fichier ?",
        "--report {format}: where should the file go?",
    ),
    (
        "report.needs_out_hint",
        "ajoutez --out DOSSIER, ou donnez un chemin : --report {format}=CHEMIN",
        "add --out DIR, or give a path: --report {format}=PATH",
    ),
    (
        "report.session_path",
        "--report {format}=CHEMIN : une session écrit un fichier {format} par candidat dans reports/, pas à un chemin",
        "--report {format}=PATH: a session writes one {format} file per candidate into reports/, not at a path",
    ),
    (
        "report.session_path_hint",
        "un chemin n'est possible que pour les fichiers de session : csv, junit, moodle",
        "a path is only possible for the session files: csv, junit, moodle",
    ),
    (
        "report.written",
        "Fichiers écrits : {files}",
        "Files written: {files}",
    ),
    // Jury notes, waivers, decisions and session subsets (issue 14 item 4, issue 19 item 6).
    (
        "notes.invalid",
        "{file}:{line}:{column} : notes du jury illisibles : {error}",
        "{file}:{line}:{column}: unreadable jury notes: {error}",
    ),
    (
        "notes.invalid_hint",
        "notes.json ne s'écrit qu'avec `constat session note` ; restaurez la copie exportée",
        "notes.json is only written by `constat session note`; restore the exported copy",
    ),
    (
        "notes.unknown_candidate",
        "candidat inconnu dans cette session : « {candidate} »",
        "no such candidate in this session: “{candidate}”",
    ),
    ("notes.known", "possibles : {known}", "possible: {known}"),
    (
        "notes.bad_length",
        "{what} doit faire de 1 à {max} caractères",
        "{what} must be 1 to {max} characters long",
    ),
    (
        "notes.bad_length_hint",
        "le jury signe sa note (--author) et en donne le motif (--text)",
        "the jury signs its note (--author) and gives its grounds (--text)",
    ),
    (
        "notes.no_pack",
        "l'inventaire de la session ne nomme aucun pack : rien à neutraliser ni à décider",
        "the session's inventory names no pack: nothing to neutralise or decide",
    ),
    (
        "notes.no_pack_hint",
        "ajoutez `pack:` à la section `session` de l'inventaire",
        "add `pack:` to the inventory's `session` section",
    ),
    (
        "notes.unknown_waive",
        "--waive {id} : ni une vérification du pack ni un critère du référentiel",
        "--waive {id}: neither a check of the pack nor a critère of the référentiel",
    ),
    (
        "notes.bad_decision",
        "--decide {value} : décision illisible",
        "--decide {value}: unreadable decision",
    ),
    (
        "notes.bad_decision_hint",
        "écrivez ID=pass, ID=fail ou ID=partial:N (N points, au plus ceux de la vérification)",
        "write ID=pass, ID=fail or ID=partial:N (N points, at most the check's)",
    ),
    (
        "notes.not_jury",
        "--decide {check} : ce n'est pas une vérification `jury` du pack (la machine note les autres)",
        "--decide {check}: not a `jury` check of the pack (the machine grades the others)",
    ),
    (
        "notes.too_many_points",
        "--decide {check}=partial:{points} : la vérification vaut {max} points",
        "--decide {check}=partial:{points}: the check is worth {max} points",
    ),
    (
        "notes.recorded",
        "Note du jury enregistrée pour {candidate} ({file}).",
        "Jury note recorded for {candidate} ({file}).",
    ),
    (
        "notes.sign_again",
        "Le manifeste a changé : signez-le de nouveau (`constat session sign`).",
        "The manifest changed: sign it again (`constat session sign`).",
    ),
    (
        "verify.notes_changed",
        "notes.json a été modifié après son enregistrement (sha256 différent de celui du manifeste)",
        "notes.json was modified after it was recorded (sha256 differs from the manifest's)",
    ),
    (
        "verify.notes_unrecorded",
        "notes.json n'est pas enregistré dans le manifeste (écrit hors de `constat session note`)",
        "notes.json is not recorded in the manifest (written outside `constat session note`)",
    ),
    (
        "verify.notes_missing",
        "le manifeste enregistre des notes du jury mais notes.json est absent",
        "the manifest records jury notes but notes.json is missing",
    ),
    (
        "run.unknown_subset",
        "{what} {name} : aucun hôte de l'inventaire",
        "{what} {name}: no host of the inventory",
    ),
    (
        "run.unknown_subset_hint",
        "possibles : {known}",
        "possible: {known}",
    ), // --- jury-lang (issue 14 item 5, last gaps): one language at a time everywhere. ---
    (
        "pack.include_absolute",
        "chemin absolu : écrivez un chemin relatif au fichier qui inclut",
        "absolute path: write a path relative to the including file",
    ),
]);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    #[test]
    fn os_errors_are_french_in_french_mode() {
        set_lang(Lang::Fr);
        let refused = std::io::Error::from_raw_os_error(111).to_string();
        let missing = std::io::Error::from_raw_os_error(2).to_string();
        assert_eq!(
            os_errors(&refused),
            "connexion refusée (erreur système 111)"
        );
        assert_eq!(
            os_errors(&format!("clé /k illisible : {missing}")),
            "clé /k illisible : fichier ou dossier introuvable (erreur système 2)"
        );
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        assert_eq!(CATALOGUE.problems(), Vec::<String>::new());
    }

    fn used_keys(dir: &Path, keys: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                used_keys(&path, keys);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in [concat!("t", "("), concat!("tf", "(")] {
                for (index, _) in text.match_indices(marker) {
                    let before = text[..index].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' {
                        continue;
                    }
                    let rest = text[index + marker.len()..].trim_start();
                    let Some(rest) = rest.strip_prefix('"') else {
                        continue;
                    };
                    let end = rest.find('"').unwrap();
                    keys.insert(rest[..end].to_owned());
                }
            }
        }
    }

    #[test]
    fn every_key_used_in_the_sources_exists() {
        let mut keys = BTreeSet::new();
        used_keys(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut keys,
        );
        let known: BTreeSet<&str> = CATALOGUE.keys().collect();
        let missing: Vec<&String> = keys
            .iter()
            .filter(|k| !known.contains(k.as_str()) && !k.contains('{'))
            .collect();
        assert!(
            missing.is_empty(),
            "keys missing from the catalogue: {missing:?}"
        );
    }
}
