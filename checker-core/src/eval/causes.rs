//! Why a collector could not look (issue 14): the fixed messages of the agent, the probe, the
//! LDAP collector and the transports, and the operating system's error texts, in French.
//!
//! The model keeps them in English (they are what the collector wrote). At display time a
//! section's state (`not_collected: …`, `error: …`) shows a known cause in French; a cause
//! that is none of these (a program's own output, a host's text) is shown as is, introduced
//! by a French sentence that says it is reported as is ([`STATES`]): never translated, never
//! passed off as constat's French.

use crate::eval::words::{Cut, cut_all};
use std::sync::LazyLock;

/// A section's or a part's state and its cause: `(English prefix, French prefix when the cause
/// is known, French prefix when the cause is shown as the collector reported it)`.
const STATES: &[(&str, &str, &str)] = &[
    (
        "not_collected: ",
        "non collecté : ",
        "non collecté ; motif rapporté tel quel : ",
    ),
    (
        "not collected: ",
        "non collecté : ",
        "non collecté ; motif rapporté tel quel : ",
    ),
    (
        "collection error: ",
        "erreur de collecte : ",
        "erreur de collecte ; message rapporté tel quel : ",
    ),
    (
        "error: ",
        "erreur : ",
        "erreur ; message rapporté tel quel : ",
    ),
    (
        "not observed: ",
        "non relevé : ",
        "non relevé ; motif rapporté tel quel : ",
    ),
];

/// The fixed messages of the collectors and transports: `{}` host or pack data (a path, a
/// program's output) kept as is, `{w}` the same without spaces, `{!}` a nested cause (one of
/// these, or an operating system error), without which the message does not match.
const CAUSES: &[(&str, &str)] = &[
    // agent/src/collect.rs: a collector's failure, its time budget.
    ("collector {w}: {!}", "collecteur {w} : {!}"),
    ("timed out after {w} s", "délai dépassé après {w} s"),
    ("collector vanished", "collecteur disparu"),
    // agent/src/command.rs: a program run by a collector.
    ("{w}: not installed", "{w} : non installé"),
    (
        "{w}: could not start: {!}",
        "{w} : lancement impossible : {!}",
    ),
    (
        "{w}: no answer within {w} s, stopped",
        "{w} : pas de réponse en {w} s, arrêté",
    ),
    (
        "{w}: not run on an offline root",
        "{w} : non exécuté sur une racine hors ligne",
    ),
    // The agent's collectors.
    (
        "cannot read {w}: {!}; run the agent as root",
        "lecture de {w} impossible : {!} ; lancez l'agent en root",
    ),
    ("cannot read {w}: {!}", "lecture de {w} impossible : {!}"),
    ("cannot list {w}: {!}", "liste de {w} impossible : {!}"),
    (
        "cannot read the socket tables: {!}; is /proc mounted?",
        "lecture des tables de sockets impossible : {!} ; /proc est-il monté ?",
    ),
    ("{w} unreadable: {!}", "{w} illisible : {!}"),
    ("acl not read: {!}", "ACL non lue : {!}"),
    (
        "user crontabs unreadable ({!}); run the agent as root",
        "crontabs des utilisateurs illisibles ({!}) ; lancez l'agent en root",
    ),
    (
        "/proc is not mounted: cannot list processes",
        "/proc n'est pas monté : impossible de lister les processus",
    ),
    (
        "offline root: listening sockets exist only on a running system",
        "racine hors ligne : les sockets en écoute n'existent que sur un système en marche",
    ),
    (
        "rpm database on an offline root: it can only be read by running rpm on the host",
        "base rpm sur une racine hors ligne : seul rpm lancé sur l'hôte la lit",
    ),
    (
        "no firewall tool found (nft, iptables, ufw, firewalld not installed)",
        "aucun outil de pare-feu trouvé (nft, iptables, ufw, firewalld non installés)",
    ),
    (
        "no firewall backend could be read: {}; run the agent as root",
        "aucun pare-feu n'a pu être lu (détail rapporté tel quel : {}) ; lancez l'agent en root",
    ),
    (
        "OpenSSH server not installed (no sshd binary, no {w})",
        "serveur OpenSSH non installé (ni programme sshd, ni {w})",
    ),
    // The LDAP collector and the probe.
    (
        "the collector that wrote this snapshot does not read GPO software installation",
        "le collecteur qui a écrit ce snapshot ne lit pas l'installation de logiciels par GPO",
    ),
    (
        "the collector that wrote this snapshot does not read GPO security",
        "le collecteur qui a écrit ce snapshot ne lit pas la sécurité des GPO",
    ),
    (
        "the descriptor returned holds no DACL",
        "le descripteur renvoyé ne contient pas de DACL",
    ),
    ("unknown error", "erreur inconnue"),
    // The file of a path (`{w}: {!}`, `/etc/resolv.conf: Permission denied (os error 13)`).
    ("{w}: {!}", "{w} : {!}"),
];

/// The operating system's error texts (`strerror`, as Rust's `io::Error` shows them with
/// ` (os error N)`), and `io::ErrorKind`'s own texts (lower case, without a number).
const OS_ERRORS: &[(&str, &str)] = &[
    ("Permission denied", "permission refusée"),
    (
        "No such file or directory",
        "fichier ou répertoire inexistant",
    ),
    ("Operation not permitted", "opération non permise"),
    ("Connection refused", "connexion refusée"),
    ("Connection timed out", "délai de connexion dépassé"),
    (
        "Connection reset by peer",
        "connexion réinitialisée par le pair",
    ),
    ("No route to host", "aucune route vers l'hôte"),
    ("Network is unreachable", "réseau injoignable"),
    ("Host is down", "hôte éteint"),
    ("Is a directory", "c'est un répertoire"),
    ("Not a directory", "ce n'est pas un répertoire"),
    ("Input/output error", "erreur d'entrée/sortie"),
    (
        "Read-only file system",
        "système de fichiers en lecture seule",
    ),
    (
        "No space left on device",
        "plus de place sur le périphérique",
    ),
    ("Too many open files", "trop de fichiers ouverts"),
    ("Broken pipe", "tube rompu"),
    (
        "Resource temporarily unavailable",
        "ressource temporairement indisponible",
    ),
    ("Cannot allocate memory", "mémoire insuffisante"),
    ("Address already in use", "adresse déjà utilisée"),
    (
        "Too many levels of symbolic links",
        "trop de niveaux de liens symboliques",
    ),
    ("File name too long", "nom de fichier trop long"),
    (
        "Device or resource busy",
        "périphérique ou ressource occupé",
    ),
    ("Text file busy", "fichier exécutable occupé"),
    ("permission denied", "permission refusée"),
    ("entity not found", "introuvable"),
    ("connection refused", "connexion refusée"),
    ("connection reset", "connexion réinitialisée"),
    ("timed out", "délai dépassé"),
    ("unexpected end of file", "fin de fichier inattendue"),
    ("invalid data", "données invalides"),
    (
        "stream did not contain valid UTF-8",
        "le flux n'est pas de l'UTF-8 valide",
    ),
    ("broken pipe", "tube rompu"),
    ("operation would block", "l'opération bloquerait"),
];

/// Nested causes are read this deep at most (`collector x: cannot read y: z (os error 2)`
/// is three): a hostile message costs a bounded amount of work.
const DEPTH: u8 = 4;

/// A section's state with its cause (`not_collected: …`, `error: …`) in French: the cause
/// through `known` (the catalogue of `eval/words.rs`) or [`cause_fr`]; else as is, after a
/// French sentence that says so. `None` when `value` is not a state.
pub(crate) fn state_fr(value: &str, known: impl Fn(&str) -> Option<String>) -> Option<String> {
    let (rest, when_known, as_is) = STATES
        .iter()
        .find_map(|(en, fr, as_is)| value.strip_prefix(en).map(|rest| (rest, fr, as_is)))?;
    Some(match known(rest).or_else(|| cause_fr(rest)) {
        Some(shown) => format!("{when_known}{shown}"),
        None => format!("{as_is}{rest}"),
    })
}

/// Whether `value` is a section's state with its cause (`not_collected: …`).
pub(crate) fn is_state(value: &str) -> bool {
    STATES.iter().any(|(en, _, _)| value.starts_with(en))
}

/// One of the collectors' fixed messages or an operating system error in French (the data
/// in it as is), or `None`.
pub(crate) fn cause_fr(text: &str) -> Option<String> {
    cause_at(text, DEPTH)
}

fn cause_at(text: &str, depth: u8) -> Option<String> {
    if depth == 0 {
        return None;
    }
    if let Some(fr) = os_error_fr(text) {
        return Some(fr);
    }
    static CUT: LazyLock<Vec<Cut<'static>>> = LazyLock::new(|| cut_all(CAUSES.iter()));
    'templates: for ((en, fr), cut) in CAUSES.iter().zip(CUT.iter()) {
        let Some(parts) = cut.matches(text) else {
            continue;
        };
        let (literals, _) = split(fr);
        let slots = slots(en);
        let mut out = String::with_capacity(fr.len() + text.len());
        for (i, literal) in literals.iter().enumerate() {
            out.push_str(literal);
            let (Some(slot), Some(part)) = (slots.get(i), parts.get(i)) else {
                continue;
            };
            if *slot == "{!}" {
                match cause_at(part, depth - 1) {
                    Some(shown) => out.push_str(&shown),
                    None => continue 'templates,
                }
            } else {
                out.push_str(part);
            }
        }
        return Some(out);
    }
    None
}

/// `Permission denied (os error 13)` → « permission refusée (erreur système 13) »; an
/// `io::ErrorKind` text alone.
fn os_error_fr(text: &str) -> Option<String> {
    let find = |t: &str| OS_ERRORS.iter().find(|(en, _)| *en == t).map(|(_, fr)| *fr);
    if let Some(fr) = find(text) {
        return Some(fr.to_owned());
    }
    let (what, code) = text.strip_suffix(')')?.rsplit_once(" (os error ")?;
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{} (erreur système {code})", find(what)?))
}

/// A template's literals, cut at its slots (`{}`, `{w}`, `{!}`).
fn split(template: &str) -> (Vec<&str>, Vec<&'static str>) {
    crate::eval::words::cut_at_markers(template, &["{}", "{w}", "{!}"])
}

/// A template's slots, in order.
fn slots(template: &str) -> Vec<&str> {
    split(template).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operating_system_errors_read_in_french_with_their_number() {
        assert_eq!(
            os_error_fr("Permission denied (os error 13)").as_deref(),
            Some("permission refusée (erreur système 13)")
        );
        assert_eq!(
            os_error_fr("No such file or directory (os error 2)").as_deref(),
            Some("fichier ou répertoire inexistant (erreur système 2)")
        );
        assert_eq!(os_error_fr("timed out").as_deref(), Some("délai dépassé"));
        assert_eq!(os_error_fr("Kaboom (os error 1)"), None);
        assert_eq!(os_error_fr("Permission denied (os error x)"), None);
    }

    /// The agent's real messages (`agent/src`), nested as `collect.rs` writes them.
    #[test]
    fn the_agents_messages_read_in_french_and_keep_their_data() {
        for (en, fr) in [
            (
                "collector users: cannot read /etc/group: Permission denied (os error 13)",
                "collecteur users : lecture de /etc/group impossible : permission refusée (erreur système 13)",
            ),
            (
                "collector package_repositories: timed out after 15.0 s",
                "collecteur package_repositories : délai dépassé après 15.0 s",
            ),
            ("lvs: not installed", "lvs : non installé"),
            (
                "/etc/resolv.conf: No such file or directory (os error 2)",
                "/etc/resolv.conf : fichier ou répertoire inexistant (erreur système 2)",
            ),
            (
                "cannot read /etc/samba/smb.conf: Permission denied (os error 13); run the agent as root",
                "lecture de /etc/samba/smb.conf impossible : permission refusée (erreur système 13) ; lancez l'agent en root",
            ),
        ] {
            assert_eq!(cause_fr(en).as_deref(), Some(fr), "{en}");
        }
    }

    /// A cause that is none of the known ones is shown as is, introduced in French; a message
    /// whose nested part is unknown is not half-translated.
    #[test]
    fn an_unknown_cause_is_introduced_in_french_and_kept_as_is() {
        let none = |_: &str| None;
        assert_eq!(
            state_fr("error: ss: permission denied (derived fixture)", none).as_deref(),
            Some("erreur ; message rapporté tel quel : ss: permission denied (derived fixture)")
        );
        assert_eq!(
            state_fr("not_collected: lvs: not installed", none).as_deref(),
            Some("non collecté : lvs : non installé")
        );
        assert_eq!(cause_fr("cannot read /x: the disk is on fire"), None);
        assert_eq!(
            cause_fr("collector x: cannot read y: z: w: v: u (os error 2)"),
            None
        );
        assert_eq!(state_fr("collected", none), None);
    }

    /// A hostile message (many separators) costs bounded work and is shown as is.
    #[test]
    fn a_hostile_message_is_bounded() {
        let text = "a: ".repeat(20_000);
        assert_eq!(cause_fr(&text), None);
    }
}
