//! The server's words in French (default) and English: every page and every error message.
//!
//! The reader's language is `?lang=` (remembered in a `lang` cookie), else the cookie, else
//! the first of `Accept-Language` that we speak, else French. Templates receive the whole
//! table of their language as `t`; placeholders are `{name}`, replaced by [`tf`].

use axum::http::HeaderMap;
use constat_checker_core::i18n::catalogue::{Catalogue, fill};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Display;

/// A reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Français.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// `fr` / `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// A language code as written by a user or a browser (`en-GB`, `FR`).
    pub fn parse(text: &str) -> Option<Lang> {
        let primary = text
            .trim()
            .split(['-', '_', ';'])
            .next()?
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` value that we speak (in the order given:
    /// browsers list by preference).
    pub fn from_accept_language(value: &str) -> Option<Lang> {
        value.split(',').take(16).find_map(Lang::parse)
    }

    /// The reader's language from a request: `?lang=`, the `lang` cookie, `Accept-Language`.
    pub fn of_request(query_lang: Option<&str>, headers: &HeaderMap) -> Lang {
        query_lang
            .and_then(Lang::parse)
            .or_else(|| crate::auth::cookie(headers, "lang").and_then(|v| Lang::parse(&v)))
            .or_else(|| {
                headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default()
    }

    /// The checker core's language.
    pub fn core(self) -> constat_checker_core::i18n::Lang {
        match self {
            Lang::Fr => constat_checker_core::i18n::Lang::Fr,
            Lang::En => constat_checker_core::i18n::Lang::En,
        }
    }
}

/// The reader's language as an extractor (`?lang=`, cookie, `Accept-Language`).
#[derive(Debug, Clone, Copy)]
pub struct ReaderLang(pub Lang);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ReaderLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<ReaderLang, Self::Rejection> {
        Ok(ReaderLang(Lang::of_request(
            query_lang(parts.uri.query()),
            &parts.headers,
        )))
    }
}

/// `lang=` in a query string.
pub fn query_lang(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
}

/// The text of `key` in `lang` (the key itself when unknown, which a test prevents).
pub fn t(lang: Lang, key: &str) -> &'static str {
    CATALOGUE.text(lang.core(), key).unwrap_or("(?)")
}

/// The text of `key` with its `{name}` placeholders replaced.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    fill(t(lang, key), args)
}

/// Every text of `lang`, for the templates.
pub fn table(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    CATALOGUE.texts(lang.core()).collect()
}

/// `(key, French, English)`.
pub const CATALOGUE: Catalogue = Catalogue(&[
    // Layout.
    ("app_tagline", "la classe en direct", "the live class"),
    ("logout", "Se déconnecter", "Log out"),
    ("lang_switch", "Langue", "Language"),
    // Setup and login.
    (
        "setup_title",
        "Premier démarrage : compte formateur",
        "First start: trainer account",
    ),
    (
        "setup_intro",
        "Aucun compte formateur n'existe encore sur ce serveur. Créez le premier ; les suivants se créent avec « constat serve --create-trainer NOM ».",
        "No trainer account exists on this server yet. Create the first one; the next ones are created with “constat serve --create-trainer NAME”.",
    ),
    ("setup_submit", "Créer le compte", "Create the account"),
    ("login_title", "Connexion formateur", "Trainer login"),
    ("login_submit", "Se connecter", "Log in"),
    ("field_name", "Nom", "Name"),
    ("field_password", "Mot de passe", "Password"),
    (
        "field_password_again",
        "Mot de passe (encore)",
        "Password (again)",
    ),
    // Classes.
    ("classes_title", "Mes classes", "My classes"),
    (
        "classes_none",
        "Aucune classe pour l'instant.",
        "No class yet.",
    ),
    ("class_new", "Nouvelle classe", "New class"),
    ("field_class_name", "Nom de la classe", "Class name"),
    ("field_pack", "Pack intégré", "Shipped pack"),
    (
        "field_pack_yaml",
        "ou un pack YAML (collez-le ici ; il remplace le pack intégré)",
        "or a YAML pack (paste it here; it replaces the shipped pack)",
    ),
    (
        "field_profile",
        "Profil du référentiel (facultatif)",
        "Référentiel profile (optional)",
    ),
    ("field_starts", "Début", "Starts"),
    ("field_ends", "Fin", "Ends"),
    ("class_create", "Créer la classe", "Create the class"),
    ("col_class", "Classe", "Class"),
    ("col_code", "Code d'inscription", "Enrolment code"),
    ("col_pack", "Pack", "Pack"),
    ("col_dates", "Dates", "Dates"),
    // Grid.
    (
        "grid_enrol",
        "Inscription des apprenants",
        "Learner enrolment",
    ),
    (
        "grid_enrol_help",
        "Les apprenants ouvrent {url} et saisissent le code {code} avec leur nom.",
        "Learners open {url} and type the code {code} with their name.",
    ),
    (
        "grid_fingerprint",
        "Empreinte du certificat (à épingler avec --pin)",
        "Certificate fingerprint (pin it with --pin)",
    ),
    ("grid_exports", "Exports", "Exports"),
    ("export_jury", "Grille CSV (jury)", "CSV grid (jury)"),
    ("export_moodle", "Notes Moodle (CSV)", "Moodle grades (CSV)"),
    ("col_learner", "Apprenant", "Learner"),
    ("col_score", "Score", "Score"),
    ("col_last_seen", "Vu", "Seen"),
    (
        "grid_empty",
        "Aucun apprenant inscrit pour l'instant.",
        "No learner enrolled yet.",
    ),
    (
        "live_off",
        "Mise à jour : rechargez la page.",
        "Updates: reload the page.",
    ),
    ("live_on", "En direct", "Live"),
    (
        "live_lost",
        "Connexion perdue : rechargez la page.",
        "Connection lost: reload the page.",
    ),
    ("never", "jamais", "never"),
    // Pull mode.
    ("pull_title", "Relevé par SSH", "Pull over SSH"),
    (
        "pull_intro",
        "Joignez un inventaire (comme pour une session d'examen) : chaque candidat est un apprenant, ses hôtes sont ses VM de TP. Le serveur les relève par SSH à la demande ou à intervalle régulier, avec les limites et délais des sessions, et les note comme un envoi. Les mots de passe et clés ne sont jamais dans l'inventaire : il nomme les identifiants (cred) et les fichiers de clé donnés au serveur au démarrage (--credentials, CONSTAT_CRED_*, --pull-key).",
        "Attach an inventory (as for an exam session): each candidate is a learner, their hosts are their lab VMs. The server collects them over SSH on demand or on a schedule, with the sessions' limits and time-outs, and grades them like a submission. Passwords and keys are never in the inventory: it names the credentials (cred) and the key files given to the server when it starts (--credentials, CONSTAT_CRED_*, --pull-key).",
    ),
    (
        "pull_none",
        "Aucun inventaire joint : les VM de cette classe ne sont pas relevées par le serveur.",
        "No inventory attached: this class's VMs are not collected by the server.",
    ),
    (
        "pull_manage",
        "Inventaire et planification",
        "Inventory and schedule",
    ),
    ("pull_run", "Relever maintenant", "Pull now"),
    (
        "pull_running",
        "Un relevé de cette classe est en cours.",
        "A pull of this class is running.",
    ),
    (
        "pull_disabled",
        "Le relevé par SSH n'est pas disponible sur ce serveur.",
        "Pulling over SSH is not available on this server.",
    ),
    (
        "pull_inventory_line",
        "Inventaire {source}",
        "Inventory {source}",
    ),
    (
        "pull_every",
        "relevé toutes les {minutes} min",
        "pulled every {minutes} min",
    ),
    ("pull_on_demand", "relevé à la demande", "pulled on demand"),
    (
        "pull_last",
        "dernier relevé il y a {ago} : {collected} hôte(s) relevé(s), {failed} en échec",
        "last pull {ago} ago: {collected} host(s) collected, {failed} failed",
    ),
    ("pull_hosts", "Hôtes relevés", "Hosts pulled"),
    ("pull_schedule", "Planification", "Schedule"),
    (
        "field_interval",
        "Relever toutes les N minutes (vide : à la demande)",
        "Pull every N minutes (empty: on demand)",
    ),
    ("pull_schedule_save", "Enregistrer", "Save"),
    (
        "pull_attach",
        "Joindre un inventaire",
        "Attach an inventory",
    ),
    ("field_inventory_name", "Nom du fichier", "File name"),
    ("field_inventory", "Inventaire (YAML)", "Inventory (YAML)"),
    (
        "pull_attach_submit",
        "Vérifier et joindre",
        "Check and attach",
    ),
    ("col_candidate", "Candidat", "Candidate"),
    ("col_role", "Rôle", "Role"),
    ("col_address", "Adresse", "Address"),
    ("col_user", "Compte", "Account"),
    ("col_auth", "Authentification", "Authentication"),
    (
        "pull_err_pack",
        "L'inventaire nomme le pack {pack}, mais la classe est notée avec son propre pack {class_pack} : retirez session.pack ou mettez {class_pack}.",
        "The inventory names the pack {pack}, but the class is graded with its own pack {class_pack}: remove session.pack or set it to {class_pack}.",
    ),
    (
        "pull_err_no_candidate",
        "L'inventaire ne liste aucun candidat : ajoutez un candidat par apprenant sous « candidates ».",
        "The inventory lists no candidate: add one candidate per learner under “candidates”.",
    ),
    (
        "pull_err_no_host",
        "Le candidat {candidate} n'a aucun hôte : donnez-lui un hôte, ou un rôle sous « defaults ».",
        "Candidate {candidate} has no host: give them a host, or a role under “defaults”.",
    ),
    (
        "pull_err_role",
        "Hôte {candidate}/{role} : le rôle {role} n'est pas un rôle du pack de la classe ({roles}) : renommez-le.",
        "Host {candidate}/{role}: the role {role} is not a role of the class's pack ({roles}): rename it.",
    ),
    (
        "pull_err_too_large",
        "Inventaire trop volumineux : au plus {max} octets.",
        "Inventory too large: at most {max} bytes.",
    ),
    (
        "pull_err_interval",
        "Intervalle « {value} » refusé : un nombre entier de minutes de 1 à {max}, ou vide.",
        "Interval “{value}” refused: a whole number of minutes from 1 to {max}, or empty.",
    ),
    (
        "pull_err_overtime",
        "le relevé a dépassé sa limite de {secs} s (délais de l'inventaire) : les hôtes restants sont en échec",
        "the pull ran past its limit of {secs} s (the inventory's time limits): the hosts left are failed",
    ),
    (
        "pull_host_key_changed",
        "la clé SSH de l'hôte {role} de {learner} ({host}) a changé : clé enregistrée {old}, clé présentée {new} ; hôte refusé. Si la VM a été réinstallée, comparez l'empreinte présentée avec celle de la VM (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) puis cliquez « Accepter la nouvelle clé » sur la page de la classe",
        "the SSH key of {learner}'s {role} host ({host}) changed: recorded key {old}, presented key {new}; host refused. If the VM was reinstalled, compare the presented fingerprint with the VM's (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then click “Accept the new key” on the class page",
    ),
    (
        "pull_host_key_unknown",
        "clé SSH inconnue {fingerprint} refusée (strict_host_keys : clés connues seulement). Si c'est celle de la VM, joignez l'inventaire sans strict_host_keys (page « Relevé par SSH ») le temps d'un relevé",
        "unknown SSH key {fingerprint} refused (strict_host_keys: known keys only). If it is the VM's, attach the inventory without strict_host_keys (“Pull over SSH” page) for one pull",
    ),
    (
        "pull_host_key_unsaved",
        "la clé SSH de l'hôte n'a pas pu être enregistrée, il n'est pas relevé : {error}",
        "the host's SSH key could not be recorded, so it is not collected: {error}",
    ),
    (
        "host_keys_title",
        "Clés SSH refusées",
        "SSH host keys refused",
    ),
    (
        "host_keys_intro",
        "Ces VM ont présenté une clé SSH différente de celle enregistrée au premier relevé : elles ne sont plus relevées. Une VM réinstallée change de clé ; une autre machine à la même adresse aussi. Vérifiez l'empreinte présentée sur la VM (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) avant de l'accepter.",
        "These VMs presented an SSH key other than the one recorded at their first pull: they are no longer collected. A reinstalled VM changes its key; so does another machine at the same address. Check the presented fingerprint on the VM (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before you accept it.",
    ),
    ("col_host", "Hôte", "Host"),
    ("col_key_recorded", "Clé enregistrée", "Recorded key"),
    ("col_key_presented", "Clé présentée", "Presented key"),
    (
        "host_key_accept",
        "Accepter la nouvelle clé",
        "Accept the new key",
    ),
    (
        "host_key_stale",
        "La clé {fingerprint} n'est plus celle que présente {host} (une autre a été présentée depuis, ou elle est déjà acceptée) : rechargez la page de la classe et vérifiez l'empreinte affichée.",
        "The key {fingerprint} is no longer the one {host} presents (another was presented since, or it is already accepted): reload the class page and check the fingerprint shown.",
    ),
    ("host_unreachable", "injoignable", "unreachable"),
    (
        "host_auth_refused",
        "authentification refusée",
        "authentication refused",
    ),
    ("host_sudo_refused", "sudo refusé", "sudo refused"),
    (
        "host_collection_failed",
        "relevé échoué",
        "collection failed",
    ),
    ("status_pass", "réussi", "passed"),
    ("status_partial", "partiel", "partial"),
    ("status_fail", "échoué", "failed"),
    (
        "status_skipped",
        "non évalué (prérequis)",
        "not evaluated (prerequisite)",
    ),
    ("status_not_assessable", "non évaluable", "not assessable"),
    ("status_none", "pas encore de résultat", "no result yet"),
    ("legend", "Légende", "Legend"),
    // Per-check view.
    (
        "check_stuck",
        "{stuck} sur {total} bloqués sur {check}",
        "{stuck} of {total} stuck on {check}",
    ),
    (
        "check_common",
        "Valeur observée la plus fréquente : {value} ({count})",
        "Most common observed value: {value} ({count})",
    ),
    (
        "check_no_common",
        "Aucune valeur observée pour l'instant.",
        "No observed value yet.",
    ),
    ("col_status", "État", "Status"),
    ("col_observed", "Observé", "Observed"),
    ("col_expected", "Attendu", "Expected"),
    ("col_property", "Propriété", "Property"),
    ("col_check", "Contrôle", "Check"),
    ("back_to_grid", "Retour à la grille", "Back to the grid"),
    // Learner pages.
    ("learner_history", "Progression", "Progress"),
    ("learner_report", "Rapport complet", "Full report"),
    (
        "learner_no_result",
        "Aucun envoi reçu pour l'instant.",
        "No submission received yet.",
    ),
    (
        "learner_last",
        "Dernier envoi : {when}",
        "Last submission: {when}",
    ),
    ("self_title", "Mon résultat", "My result"),
    ("self_hint", "Indice", "Hint"),
    (
        "self_note",
        "Score indicatif : votre formateur voit la même chose, avec les valeurs attendues.",
        "Indicative score: your trainer sees the same, with the expected values.",
    ),
    // Join.
    ("join_title", "Rejoindre une classe", "Join a class"),
    ("field_code", "Code d'inscription", "Enrolment code"),
    ("join_submit", "Rejoindre", "Join"),
    (
        "joined_title",
        "Inscrit·e dans {class}",
        "Enrolled in {class}",
    ),
    (
        "joined_key",
        "Votre clé d'apprenant (affichée une seule fois). Enregistrez-la sur votre VM dans un fichier privé :",
        "Your learner key (shown once only). Save it on your VM in a private file:",
    ),
    (
        "joined_command",
        "Puis, sur la VM, à chaque fois que vous voulez être noté·e :",
        "Then, on the VM, whenever you want to be graded:",
    ),
    (
        "joined_page",
        "Votre page de résultats (gardez ce lien pour vous) :",
        "Your results page (keep this link to yourself):",
    ),
    // Errors.
    ("error_title", "Erreur", "Error"),
    ("err_not_found", "Page introuvable.", "Page not found."),
    (
        "err_csrf",
        "Formulaire expiré ou venu d'ailleurs : rechargez la page et recommencez.",
        "The form expired or came from elsewhere: reload the page and try again.",
    ),
    (
        "err_login",
        "Nom ou mot de passe incorrect.",
        "Wrong name or password.",
    ),
    (
        "err_login_throttled",
        "Trop de tentatives, réessayez dans {secs} s.",
        "Too many attempts, try again in {secs} s.",
    ),
    (
        "err_login_busy",
        "Trop de tentatives en cours : réessayez dans quelques secondes.",
        "Too many attempts in progress: try again in a few seconds.",
    ),
    (
        "err_setup_done",
        "Un compte formateur existe déjà : connectez-vous.",
        "A trainer account already exists: log in.",
    ),
    (
        "err_password_mismatch",
        "Les deux mots de passe diffèrent.",
        "The two passwords differ.",
    ),
    (
        "err_password_short",
        "Mot de passe trop court : au moins {min} caractères.",
        "Password too short: at least {min} characters.",
    ),
    (
        "err_name",
        "Nom vide ou trop long (1 à {max} caractères, sans caractère de contrôle).",
        "Name empty or too long (1 to {max} characters, no control character).",
    ),
    (
        "err_name_taken",
        "Ce nom est déjà pris.",
        "This name is already taken.",
    ),
    (
        "err_pack_unknown",
        "Pack inconnu : {pack}. Packs intégrés : {ids}.",
        "Unknown pack: {pack}. Shipped packs: {ids}.",
    ),
    (
        "err_pack_invalid",
        "Le pack a {count} erreur(s) ; corrigez-les et recommencez :",
        "The pack has {count} error(s); fix them and try again:",
    ),
    (
        "err_pack_too_large",
        "Pack trop gros (plus de {max} octets).",
        "Pack too large (more than {max} bytes).",
    ),
    (
        "err_profile",
        "Profil inconnu pour ce pack : {profile}. Profils : {profiles}.",
        "Unknown profile for this pack: {profile}. Profiles: {profiles}.",
    ),
    (
        "err_date",
        "Date invalide : {date} (attendu AAAA-MM-JJ).",
        "Invalid date: {date} (expected YYYY-MM-DD).",
    ),
    (
        "err_dates_order",
        "La fin précède le début.",
        "The end is before the start.",
    ),
    (
        "err_code_unknown",
        "Code d'inscription inconnu : vérifiez-le auprès de votre formateur.",
        "Unknown enrolment code: check it with your trainer.",
    ),
    (
        "err_class_closed",
        "Cette classe est terminée (fin le {date}).",
        "This class is over (ended on {date}).",
    ),
    (
        "err_json",
        "JSON invalide : {error} (attendu : un objet avec « code » et « name »).",
        "Invalid JSON: {error} (expected: an object with “code” and “name”).",
    ),
    (
        "err_form_too_large",
        "Formulaire trop gros : plus de {max} Kio. Un pack collé doit tenir dans cette limite ; raccourcissez-le (retirez les commentaires) ou choisissez un pack intégré.",
        "Form too large: more than {max} KiB. A pasted pack must fit within this limit; shorten it (remove comments) or pick a shipped pack.",
    ),
    (
        "err_form_type",
        "Formulaire envoyé dans un format inattendu : envoyez-le depuis la page du formulaire (application/x-www-form-urlencoded).",
        "Form sent in an unexpected format: send it from the form's page (application/x-www-form-urlencoded).",
    ),
    (
        "err_form_unreadable",
        "Formulaire illisible (un champ est mal encodé) : rechargez la page du formulaire et renvoyez-le.",
        "Unreadable form (a field is badly encoded): reload the form's page and send it again.",
    ),
    (
        "err_query",
        "Adresse mal formée (paramètres illisibles) : ouvrez le lien donné par votre formateur tel quel.",
        "Malformed address (unreadable parameters): open the link your trainer gave as it is.",
    ),
    (
        "err_method",
        "Cette adresse ne s'utilise pas ainsi : passez par les liens et boutons des pages.",
        "This address is not used that way: go through the pages' links and buttons.",
    ),
    (
        "err_api_not_found",
        "Adresse d'API inconnue.",
        "Unknown API address.",
    ),
    (
        "help_api_not_found",
        "Utilisez la commande constat check donnée à l'inscription ; mettez constat à jour s'il est plus ancien que le serveur.",
        "Use the constat check command given at enrolment; update constat if it is older than the server.",
    ),
    (
        "err_api_too_large",
        "Corps de la requête trop gros : plus de {max} octets.",
        "Request body too large: more than {max} bytes.",
    ),
    (
        "err_api_body",
        "Corps de la requête illisible (coupé ou mal encodé).",
        "Unreadable request body (cut or badly encoded).",
    ),
    (
        "help_json",
        "Envoyez un objet JSON en UTF-8 avec les champs « code » et « name ».",
        "Send a JSON object in UTF-8 with the fields “code” and “name”.",
    ),
    (
        "help_join",
        "Vérifiez le code auprès de votre formateur, et votre nom (1 à 80 caractères).",
        "Check the code with your trainer, and your name (1 to 80 characters).",
    ),
    (
        "err_internal",
        "Erreur interne du serveur ; le détail est dans son journal.",
        "Internal server error; the details are in its log.",
    ),
    // Submission API errors (message, then help).
    (
        "err_body_too_large",
        "Envoi trop gros : plus de {max} octets.",
        "Submission too large: more than {max} bytes.",
    ),
    (
        "help_body_too_large",
        "Un instantané de constat check tient largement dans cette limite ; vérifiez que vous envoyez bien son JSON.",
        "A constat check snapshot fits well within this limit; check that you are sending its JSON.",
    ),
    (
        "err_header",
        "En-tête {header} absent ou invalide.",
        "Header {header} missing or invalid.",
    ),
    (
        "help_header",
        "Envoyez avec « constat check --submit URL --class CODE --key FICHIER ».",
        "Submit with “constat check --submit URL --class CODE --key FILE”.",
    ),
    (
        "err_learner_unknown",
        "Apprenant inconnu dans cette classe.",
        "Unknown learner in this class.",
    ),
    (
        "help_learner_unknown",
        "La clé ne correspond pas à cette classe : vérifiez --class et --key, ou réinscrivez-vous.",
        "The key does not belong to this class: check --class and --key, or enrol again.",
    ),
    (
        "err_signature",
        "Signature refusée : {reason}.",
        "Signature refused: {reason}.",
    ),
    (
        "help_signature",
        "Utilisez la clé reçue à l'inscription, sans la modifier.",
        "Use the key received at enrolment, unchanged.",
    ),
    (
        "err_clock",
        "L'horloge de la VM diffère de celle du serveur de {secs} s (plus de {max} s).",
        "The VM's clock differs from the server's by {secs} s (more than {max} s).",
    ),
    (
        "help_clock",
        "Mettez la VM à l'heure (timedatectl set-ntp true, ou date -s).",
        "Set the VM's clock (timedatectl set-ntp true, or date -s).",
    ),
    (
        "err_replay",
        "Envoi déjà reçu (rejoué).",
        "Submission already received (replayed).",
    ),
    (
        "help_replay",
        "Relancez constat check : chaque envoi est signé à nouveau.",
        "Run constat check again: every submission is signed anew.",
    ),
    (
        "err_too_soon",
        "Trop d'envois : attendez {secs} s.",
        "Too many submissions: wait {secs} s.",
    ),
    (
        "help_too_soon",
        "Avec --watch, gardez un intervalle d'au moins {min} s.",
        "With --watch, keep an interval of at least {min} s.",
    ),
    (
        "err_snapshot",
        "Instantané illisible : {error}.",
        "Unreadable snapshot: {error}.",
    ),
    (
        "help_snapshot",
        "Envoyez l'instantané tel que constat le produit (même version de constat que le serveur).",
        "Send the snapshot as constat produces it (same constat version as the server).",
    ),
    (
        "err_role",
        "Rôle inconnu pour ce pack : {role}. Rôles : {roles}.",
        "Unknown role for this pack: {role}. Roles: {roles}.",
    ),
    (
        "help_role",
        "Passez --role avec un des rôles du pack.",
        "Pass --role with one of the pack's roles.",
    ),
    (
        "err_class_pack",
        "Le pack de cette classe ne se charge plus : {error}.",
        "This class's pack no longer loads: {error}.",
    ),
    (
        "help_internal",
        "Prévenez votre formateur.",
        "Tell your trainer.",
    ),
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_with_the_same_placeholders() {
        assert_eq!(CATALOGUE.problems(), Vec::<String>::new());
    }

    #[test]
    fn every_key_used_in_the_sources_and_templates_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut texts = Vec::new();
        let mut template_texts = Vec::new();
        for root in [dir, templates] {
            let mut stack = vec![std::path::PathBuf::from(root)];
            while let Some(path) = stack.pop() {
                if path.is_dir() {
                    stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                } else if root == templates {
                    template_texts.push(std::fs::read_to_string(&path).unwrap());
                } else {
                    texts.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let known: Vec<&str> = CATALOGUE.keys().collect();
        let mut used = rust_keys(&texts);
        used.extend(template_keys(&template_texts));
        for key in used {
            assert!(known.contains(&key.as_str()), "unknown text key {key}");
        }
    }

    /// Keys used as `t.KEY` in templates.
    fn template_keys(texts: &[String]) -> Vec<String> {
        let mut keys = Vec::new();
        for text in texts {
            for (i, _) in text.match_indices("t.") {
                let before = text[..i].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key: String = text[i + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if key.contains('_') {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// Keys used as `"KEY"` after `t(lang, `/`tf(lang, ` in Rust.
    fn rust_keys(texts: &[String]) -> Vec<String> {
        let mut keys = Vec::new();
        for text in texts {
            for marker in [
                "t(lang, \"",
                "tf(lang, \"",
                "Failure::new(\"",
                "api_error(\"",
            ] {
                for (i, _) in text.match_indices(marker) {
                    let rest = &text[i + marker.len()..];
                    if let Some(end) = rest.find('"') {
                        keys.push(rest[..end].to_owned());
                    }
                }
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }

    #[test]
    fn the_language_comes_from_the_query_the_cookie_then_the_browser() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::of_request(None, &headers), Lang::Fr);
        headers.insert(
            "accept-language",
            "de-DE, en-GB;q=0.8, fr;q=0.5".parse().unwrap(),
        );
        assert_eq!(Lang::of_request(None, &headers), Lang::En);
        headers.insert("cookie", "a=b; lang=fr".parse().unwrap());
        assert_eq!(Lang::of_request(None, &headers), Lang::Fr);
        assert_eq!(Lang::of_request(Some("en"), &headers), Lang::En);
        assert_eq!(Lang::of_request(Some("xx"), &headers), Lang::Fr);
    }
}
