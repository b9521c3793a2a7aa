//! Language-neutral evidence values: the stable English words and phrases the kinds write
//! into a report's `expected`/`actual`, and their French display text (issue 14 item 5).
//!
//! The model (and so `--format json`, `report.json`) only ever holds the English form;
//! renderers show [`display`]'s text in the reader's language, and `render::for_reader` puts
//! it beside the value as `display`. A phrase is a template whose `{}` stand for host or pack
//! data (kept as is, never translated). To add one: write the English in the kind, add the
//! pair here; the test `checks/src/one_language_tests.rs` fails on a French word left in the
//! JSON of any shipped pack graded on any fixture.

use crate::i18n::Lang;

/// Whole values: `(English in the model, French display)`.
const WORDS: &[(&str, &str)] = &[
    ("listening", "en écoute"),
    ("closed", "fermé"),
    ("unknown", "inconnu"),
    ("(unknown)", "(inconnu)"),
    ("present", "présent"),
    ("absent", "absent"),
    ("(absent)", "(absent)"),
    ("installed", "installé"),
    ("not installed", "non installé"),
    ("enabled", "activé"),
    ("disabled", "désactivé"),
    ("none", "aucun"),
    ("(none)", "(aucun)"),
    ("collected", "collecté"),
    ("not collected", "non collecté"),
    ("observed", "observé"),
    ("absent at the start", "absent au début"),
    (
        "no start state to compare with",
        "pas d'état initial pour comparer",
    ),
    ("start state not assessable", "état initial non évaluable"),
    ("configured", "configurée"),
    ("applied", "appliquée"),
    ("allowed", "autorisé"),
    ("blocked", "bloqué"),
    ("always allowed", "toujours autorisé"),
    ("never allowed", "jamais autorisé"),
    ("always", "toujours"),
    ("user", "utilisateur"),
    ("computer", "ordinateur"),
    ("system", "système"),
    ("monitored", "supervisé"),
    ("reported", "rapporté"),
    ("not found", "non trouvé"),
    ("(not read)", "(non lu)"),
    ("content not reported", "contenu non rapporté"),
    ("not assessable", "non évaluable"),
    ("no WMI filter", "aucun filtre WMI"),
    ("linked nowhere", "liée nulle part"),
    (
        "path not requested from the collector",
        "chemin non demandé au collecteur",
    ),
    (
        "not found (start of the file only)",
        "non trouvé (début du fichier seulement)",
    ),
    ("not found in the header", "non trouvé dans l'en-tête"),
    ("x bit set", "bit x positionné"),
    ("no rule", "aucune règle"),
    ("assigned to an interface", "affecté à une interface"),
    (
        "linux (Windows check, not applicable to this host)",
        "linux (contrôle Windows non applicable à cet hôte)",
    ),
    ("RSoP without a user", "RSoP sans utilisateur"),
    (
        "unknown (a member is not assessable)",
        "inconnu (un membre n'est pas évaluable)",
    ),
    (
        "security filtering readable",
        "filtrage de sécurité lisible",
    ),
    ("not up", "pas up"),
    ("(set)", "(définie)"),
    ("at least one holds", "au moins une tient"),
    (
        "problem raised then resolved, check ok",
        "problème levé puis résolu, contrôle ok",
    ),
    (
        "exam start unknown: no start-phase collection of this host (collect it when the exam starts, or give since: in the pack)",
        "début de l'épreuve inconnu : aucun relevé « start » de cette machine (relevez-la au début de l'épreuve, ou donnez since: dans le pack)",
    ),
    (
        "section absent from the snapshot",
        "section absente du snapshot",
    ),
    // Deployment (issue 16): package repositories, MDT and WDS.
    ("served by a web server", "servi par un serveur web"),
    ("not served by a web server", "non servi par un serveur web"),
    ("signed", "signé"),
    ("not signed", "non signé"),
    ("(rpm repository: no suites)", "(dépôt rpm : pas de suites)"),
    ("in the index", "dans l'index"),
    ("package file present", "fichier de paquet présent"),
    ("WDS role not installed", "rôle WDS non installé"),
];

/// Phrases with `{}` placeholders: `(English in the model, French display)`.
const PHRASES: &[(&str, &str)] = &[
    ("not collected: {}", "non collecté : {}"),
    ("error: {}", "erreur : {}"),
    ("includes {}", "contient {}"),
    ("[{}]; missing {}", "[{}] ; manque {}"),
    ("present ({})", "présent ({})"),
    ("found: {}", "trouvé : {}"),
    ("applies to: {}", "s'applique à : {}"),
    ("applies exactly to: {}", "s'applique exactement à : {}"),
    ("not observed: {}", "non relevé : {}"),
    ("not read: {}", "non lu : {}"),
    ("missing {}", "manque {}"),
    (
        "at least {} comment lines after #!",
        "au moins {} lignes de commentaire après #!",
    ),
    (
        "absent among {} recorded run(s)",
        "absente parmi {} exécution(s) enregistrée(s)",
    ),
    ("allowed: {}", "autorisé : {}"),
    ("forbidden: {}", "interdit : {}"),
    (
        "{} assigned to no interface",
        "{} affecté à aucune interface",
    ),
    (
        "RSoP computed for {}, not for {}",
        "RSoP calculé pour {}, pas pour {}",
    ),
    ("applied (linked to {})", "appliquée (liée à {})"),
    ("filtered: {}", "filtrée : {}"),
    ("absent (GPOs: {})", "absente (GPO : {})"),
    ("no record in {}", "pas d'enregistrement dans {}"),
    ("absent (machines: {})", "absente (machines : {})"),
    ("reservation of {}", "réservation de {}"),
    ("absent (interfaces: {})", "absente (interfaces : {})"),
    ("absent (scopes: {})", "absente (étendues : {})"),
    ("absent (reservations: {})", "absente (réservations : {})"),
    ("run of {}", "exécution de {}"),
    ("not /{}/", "pas /{}/"),
    (
        "no #! line (first line \"{}\")",
        "pas de ligne #! (première ligne « {} »)",
    ),
    ("{} comment line(s)", "{} ligne(s) de commentaire"),
    ("comment-based help {}", "aide intégrée {}"),
    ("same content as {}", "même contenu que {}"),
    (
        "problem history not read ({} keeps none)",
        "historique des problèmes non relevé ({} n'en garde pas)",
    ),
    (
        "\"{}\" raised at {}, resolved at {}; check ok",
        "« {} » levé à {}, résolu à {} ; contrôle ok",
    ),
    ("identical (sha256 {})", "identique (sha256 {})"),
    ("different (sha256 {} ≠ {})", "différent (sha256 {} ≠ {})"),
    // Deployment (issue 16): package repositories, MDT and WDS.
    ("absent (searched: {})", "absent (cherché dans : {})"),
    ("absent (repositories: {})", "absent (dépôts : {})"),
    ("absent (sources: {})", "absente (sources : {})"),
    ("absent (packages: {})", "absent (paquets : {})"),
    ("disabled: {}", "désactivé : {}"),
    (
        "index not read, {} package files not all listed",
        "index non lu, {} fichiers de paquets non tous listés",
    ),
    ("{} packages in the index", "{} paquets dans l'index"),
    ("{} package files", "{} fichiers de paquets"),
    (
        "absent (deployment shares: {})",
        "absent (partages de déploiement : {})",
    ),
    ("file absent: {}", "fichier absent : {}"),
    ("not set in {}", "non défini dans {}"),
    (
        "absent (task sequences: {})",
        "absente (séquences de tâches : {})",
    ),
    ("absent (applications: {})", "absente (applications : {})"),
    (
        "absent (install images: {})",
        "absente (images d'installation : {})",
    ),
];

/// Pieces of values composed from several parts (a GPO link, a software package): replaced
/// wherever they occur when the whole value is neither a word nor a phrase. Longer pieces
/// come before the pieces they contain.
const FRAGMENTS: &[(&str, &str)] = &[
    // Whole values that also arrive inside a longer one (a not-assessable reason).
    ("for the jury to check", "à vérifier par le jury"),
    ("; problems raised: ", " ; problèmes levés : "),
    (", resolved: ", ", résolus : "),
    (
        "no snapshot given for this role",
        "aucun snapshot fourni pour ce rôle",
    ),
    ("; missing ", " ; manque "),
    ("; extra ", " ; en trop "),
    ("not linked here; ", "non liée ici ; "),
    (
        "linked nowhere (or links disabled)",
        "liée nulle part (ou liens désactivés)",
    ),
    ("linked to: ", "liée à : "),
    ("linked to ", "liée à "),
    ("linked (", "liée ("),
    ("; user part disabled", " ; partie utilisateur désactivée"),
    (
        "; computer part disabled",
        " ; partie ordinateur désactivée",
    ),
    ("(enabled", "(activée"),
    ("(disabled", "(désactivée"),
    (", not enforced", ", non appliquée"),
    (", enforced", ", appliquée"),
    (", order ", ", ordre "),
    (", item disabled", ", élément désactivé"),
    (
        ", not effective (preferences Registry extension not registered)",
        ", non effectif (extension Registry des préférences non enregistrée)",
    ),
    (
        ", not effective (Drive Maps extension not registered)",
        ", non effectif (extension Drive Maps non enregistrée)",
    ),
    (
        ", not effective (Software Installation extension not registered)",
        ", non effectif (extension Software Installation non enregistrée)",
    ),
    (", effective", ", effectif"),
    (
        "neither assigned nor published (removed)",
        "ni attribué ni publié (retiré)",
    ),
    (
        "assigned and published (invalid object)",
        "attribué et publié (objet invalide)",
    ),
    (": assigned", " : attribué"),
    (": published", " : publié"),
    (" (user)", " (utilisateur)"),
    (" (computer)", " (ordinateur)"),
    (
        ", uninstalled when out of scope",
        ", désinstallé hors de portée",
    ),
    (", kept when out of scope", ", conservé hors de portée"),
    (
        "(absent); packages of the GPO: ",
        "(absent) ; paquets de la GPO : ",
    ),
    ("; invalid object: ", " ; objet invalide : "),
    ("OU absent; ", "OU absente ; "),
    (", Registry preference", ", préférence Registre"),
    ("set bits ", "bits à 1 : "),
    ("clear bits ", "bits à 0 : "),
    ("one of ", "l'une de "),
    ("matches /", "correspond à /"),
    ("the path ", "le chemin "),
    // The firewall's verdicts: « 443/tcp from 0.0.0.0/0 to 192.0.2.2 on eth0: blocked
    // (policy drop of inet filter input) », « allowed from any source (…) ».
    (
        "no input chain (no filtering)",
        "aucune chaîne input (pas de filtrage)",
    ),
    (
        "allowed from any other source",
        "autorisé depuis toute autre source",
    ),
    (
        "blocked from any other source",
        "bloqué depuis toute autre source",
    ),
    ("allowed from any source", "autorisé depuis toute source"),
    ("blocked from any source", "bloqué depuis toute source"),
    (": allowed (", " : autorisé ("),
    (": blocked (", " : bloqué ("),
    ("allowed from ", "autorisé depuis "),
    ("blocked from ", "bloqué depuis "),
    ("from any other source", "depuis toute autre source"),
    ("from any source", "depuis toute source"),
    (" from ", " depuis "),
    (" to ", " vers "),
    (" on ", " sur "),
    ("policy drop of ", "politique drop de "),
    ("policy accept of ", "politique accept de "),
    ("; +", " ; +"),
    (" more)", " autres)"),
];

/// The display text of a neutral value in `lang` (`None` when it is not one, or when the
/// English is shown as is).
pub(crate) fn display(lang: Lang, value: &str) -> Option<String> {
    if let Some((_, fr)) = WORDS.iter().find(|(en, _)| *en == value) {
        return Some(match lang {
            Lang::Fr => (*fr).to_owned(),
            Lang::En => value.to_owned(),
        });
    }
    for (en, fr) in PHRASES {
        if let Some(parts) = matches(en, value) {
            return Some(match lang {
                Lang::Fr => fill(fr, &parts),
                Lang::En => value.to_owned(),
            });
        }
    }
    if !FRAGMENTS.iter().any(|(en, _)| value.contains(en)) {
        return None;
    }
    Some(match lang {
        Lang::Fr => FRAGMENTS
            .iter()
            .fold(value.to_owned(), |text, (en, fr)| text.replace(en, fr)),
        Lang::En => value.to_owned(),
    })
}

/// The data standing for each `{}` of `template` in `value`, when `value` is written that way.
fn matches<'v>(template: &str, value: &'v str) -> Option<Vec<&'v str>> {
    let literals: Vec<&str> = template.split("{}").collect();
    let (first, rest) = literals.split_first()?;
    let mut tail = value.strip_prefix(first)?;
    let mut parts = Vec::new();
    for (i, literal) in rest.iter().enumerate() {
        let last = i + 1 == rest.len();
        let at = if last {
            // The last literal closes the value.
            tail.len()
                .checked_sub(literal.len())
                .filter(|&at| tail.is_char_boundary(at) && tail[at..] == **literal)?
        } else if literal.is_empty() {
            return None;
        } else {
            tail.find(literal)?
        };
        parts.push(&tail[..at]);
        tail = &tail[at + literal.len()..];
    }
    Some(parts)
}

/// `template` with its `{}` replaced, in order, by `parts`.
fn fill(template: &str, parts: &[&str]) -> String {
    let mut out =
        String::with_capacity(template.len() + parts.iter().map(|p| p.len()).sum::<usize>());
    let mut parts = parts.iter();
    let mut literals = template.split("{}").peekable();
    while let Some(literal) = literals.next() {
        out.push_str(literal);
        if literals.peek().is_some() {
            out.push_str(parts.next().copied().unwrap_or_default());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases_are_shown_in_french_and_kept_in_english() {
        assert_eq!(display(Lang::Fr, "listening").as_deref(), Some("en écoute"));
        assert_eq!(display(Lang::En, "listening").as_deref(), Some("listening"));
        assert_eq!(
            display(Lang::Fr, "[alice, bob]; missing carol").as_deref(),
            Some("[alice, bob] ; manque carol")
        );
        assert_eq!(
            display(Lang::Fr, "not collected: sshd absent").as_deref(),
            Some("non collecté : sshd absent")
        );
        assert_eq!(display(Lang::Fr, "/bin/bash"), None);
        assert_eq!(display(Lang::Fr, "present (x"), None);
        assert_eq!(
            display(
                Lang::Fr,
                "Chrome: published (user), uninstalled when out of scope, effective"
            )
            .as_deref(),
            Some("Chrome : publié (utilisateur), désinstallé hors de portée, effectif")
        );
    }

    /// A fragment never contains one listed before it (it would be cut first).
    #[test]
    fn longer_fragments_come_first() {
        for (i, (later, _)) in FRAGMENTS.iter().enumerate() {
            for (earlier, _) in &FRAGMENTS[..i] {
                assert!(!later.contains(earlier), "{later} after {earlier}");
            }
        }
    }

    /// Every entry has the same placeholders in both languages, no French in the English,
    /// and no two English forms are the same.
    #[test]
    fn the_catalogue_is_consistent() {
        let mut seen = std::collections::BTreeSet::new();
        for (en, fr) in WORDS.iter().chain(PHRASES).chain(FRAGMENTS) {
            assert_eq!(en.matches("{}").count(), fr.matches("{}").count(), "{en}");
            assert!(
                !en.chars().any(|c| "àâçéèêëîïôûùüÿœ«»".contains(c)),
                "French in the English form {en}"
            );
            assert!(seen.insert(*en), "{en} twice");
        }
    }
}
