//! Language-neutral evidence values: the stable English words and phrases the kinds write
//! into a report's `expected`/`actual`, and their French display text (issue 14 item 5).
//!
//! The model (and so `--format json`, `report.json`) only ever holds the English form;
//! renderers show [`display`]'s text in the reader's language, and `render::for_reader` puts
//! it beside the value as `display`. A phrase is a template whose `{}` stand for host or pack
//! data (kept as is, never translated; `{w}` data without spaces), `{*}` for a neutral value
//! shown in turn, `{;}` for a `; `-list of them and `{=}` for another evidence line's value
//! (shown as that line is); a value is translated whole or not at all (no fragments replaced
//! inside a value: a half-French sentence, or a host's text touched). A host's text is never
//! translated; a collector's cause is shown through `eval/causes.rs`, a list in the pack's
//! keys through `eval/key_lists.rs`. To add one: write the English in the kind, add the
//! pair here; the test `checks/src/one_language_tests.rs` fails on a French word left in the
//! JSON of any shipped pack graded on any fixture.

use crate::i18n::Lang;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Whole values: `(English in the model, French display)`.
const WORDS: &[(&str, &str)] = &[
    // A kind's yes/no (`guest_ok`, `enabled`), never the host's own `yes`/`no`.
    ("true", "oui"),
    ("false", "non"),
    // A file's kind (kinds/file.rs).
    ("file", "fichier"),
    ("directory", "répertoire"),
    ("symlink", "lien symbolique"),
    ("listening", "en écoute"),
    ("closed", "fermé"),
    ("unknown", "inconnu"),
    ("(unknown)", "(inconnu)"),
    ("present", "présent"),
    ("granted", "accordé"),
    // A firewall action as the French interfaces name it: a Windows rule's or profile's
    // (kinds/windows_firewall*.rs, also in `NotConfigured (= {*} by default)`), an
    // appliance's verdict (kinds/appliance_rule.rs, pfSense's « Passer/Bloquer/Rejeter »).
    ("allow", "autoriser"),
    ("block", "bloquer"),
    ("pass", "passer"),
    ("reject", "rejeter"),
    // A supervised host's or check's state (snapshot/src/supervision.rs), as Centreon's
    // French interface names them; `ok` and `unknown` read the same or are above.
    ("up", "disponible"),
    ("down", "indisponible"),
    ("unreachable", "injoignable"),
    ("pending", "en attente"),
    ("warning", "avertissement"),
    ("critical", "critique"),
    // A jury check (kinds/jury.rs), a role without a snapshot (eval/engine.rs): also the
    // cause in a not-assessable reason (`{=}`).
    ("for the jury to check", "à vérifier par le jury"),
    (
        "no snapshot given for this role",
        "aucun snapshot fourni pour ce rôle",
    ),
    // A Windows right asked (kinds/windows_share.rs).
    ("read", "lecture"),
    ("modify", "modification"),
    ("full_control", "contrôle total"),
    ("denied", "refusé"),
    ("readable", "lisible"),
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
    ("not up", "non disponible"),
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
    (
        "UTC grid unreadable in the snapshot",
        "grille UTC illisible dans l'instantané",
    ),
    // Why a collector did not look (the agent, the LDAP collector, the probe): written by
    // constat into the snapshot, shown after `not_collected: `.
    (
        "not requested (the checks read no data from this section)",
        "non demandée (les contrôles ne lisent rien de cette section)",
    ),
    (
        "not requested (collection limited with --only)",
        "non demandée (relevé limité par --only)",
    ),
    (
        "not applicable: the Linux agent does not collect this section",
        "sans objet : l'agent Linux ne relève pas cette section",
    ),
    (
        "not read over LDAP: this part of the DC needs the PowerShell probe (winrm transport)",
        "non lue par LDAP : cette partie du DC demande la sonde PowerShell (transport winrm)",
    ),
    (
        "the probe did not report this section",
        "la sonde n'a pas rapporté cette section",
    ),
    (
        "sudo is not installed (/etc/sudoers absent)",
        "sudo n'est pas installé (/etc/sudoers absent)",
    ),
    (
        "no package database found (neither dpkg nor rpm)",
        "aucune base de paquets trouvée (ni dpkg ni rpm)",
    ),
    ("no file requested", "aucun fichier demandé"),
    (
        "offline root: no running processes to read",
        "racine hors ligne : aucun processus en cours à lire",
    ),
    ("SYSVOL not requested", "SYSVOL non demandé"),
    (
        "software installation packages not searched",
        "paquets d'installation de logiciels non recherchés",
    ),
    // The helpdesk (kinds/kb_article.rs, ticket.rs).
    ("written during the exam", "rédigé pendant l'épreuve"),
    ("opened during the exam", "ouvert pendant l'épreuve"),
    // The firewall (kinds/firewall.rs, firewall_walk.rs).
    (
        "no input chain (no filtering)",
        "aucune chaîne input (pas de filtrage)",
    ),
    ("no input chain", "aucune chaîne input"),
    (
        "running rules = rules of the file",
        "règles en vigueur = règles du fichier",
    ),
    (
        "running rules ≠ rules of the file",
        "règles en vigueur ≠ règles du fichier",
    ),
    (
        "comparison missing (older agent or unreadable ruleset)",
        "comparaison absente (agent antérieur ou ruleset illisible)",
    ),
    ("nftables is not installed", "nftables n'est pas installé"),
    (
        "file absent: nothing is reloaded at boot",
        "fichier absent : rien n'est rechargé au démarrage",
    ),
    (
        "identical (same chains, policies, rules and sets)",
        "identiques (mêmes chaînes, politiques, règles et ensembles)",
    ),
    ("not set", "non défini"),
    // backup_job: free space and restore log
    ("no date in the log", "aucune date dans le journal"),
    (
        "no date in the start of the log that was read",
        "aucune date dans le début du journal qui a été lu",
    ),
    (
        "no archive in a local destination to compare with",
        "aucune archive dans une destination locale pour comparer",
    ),
    (
        "no local destination (remote or not inspected)",
        "aucune destination locale (distante ou non inspectée)",
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
    ("mounted", "monté"),
    ("not mounted", "non monté"),
    ("a logical volume", "un volume logique"),
    ("no method", "aucune méthode"),
    ("no scheduled backup", "aucune sauvegarde planifiée"),
    ("grading time unknown", "heure de notation inconnue"),
    (
        "no archive in the destination",
        "aucune archive dans la destination",
    ),
    (
        "remote or uninspected destination",
        "destination distante ou non inspectée",
    ),
    ("(never)", "(jamais)"),
    (
        "enabled (security setting ForceLogoffWhenHourExpire = 1, GPO linked to the domain)",
        "activée (paramètre de sécurité ForceLogoffWhenHourExpire = 1, GPO liée au domaine)",
    ),
    (
        "cuts the SMB sessions to the server, not the open session",
        "coupe les sessions SMB vers le serveur, pas la session ouverte",
    ),
    ("a mechanism without effect", "mécanisme sans effet"),
    (
        "registry policy (Registry.pol)",
        "stratégie de registre (Registry.pol)",
    ),
    ("Registry preference", "préférence Registre"),
    (
        "security option (GptTmpl.inf [Registry Values])",
        "option de sécurité (GptTmpl.inf [Registry Values])",
    ),
    (
        "setting absent (no GPO linked to the domain sets it)",
        "paramètre absent (aucune GPO liée au domaine ne le définit)",
    ),
    ("never expires", "n'expire jamais"),
    (
        "until an administrator unlocks it",
        "jusqu'au déverrouillage par un administrateur",
    ),
    ("(nobody)", "(personne)"),
    ("reachable", "joignable"),
    (
        "already present at the start of the exam",
        "déjà présent au début de l'épreuve",
    ),
    (
        "absent at the start, present at the end",
        "absent au début, présent à la fin",
    ),
    (
        "the check does not compile with the candidate's variables",
        "la vérification ne compile pas avec les variables du candidat",
    ),
    ("expectation not compilable", "attente non compilable"),
    (
        "all (empty selection accepted)",
        "tous (sélection vide acceptée)",
    ),
    ("all, at least one", "tous, au moins un"),
    (
        "expectation built for this account",
        "attente construite pour ce compte",
    ),
    ("no account selected", "aucun compte sélectionné"),
    ("compliant", "conforme"),
    ("(any number)", "(nombre libre)"),
    ("unknown (ACL not read)", "inconnu (ACL non lue)"),
    ("not tested by the probe", "non testé par la sonde"),
    (
        "digest not reported by the collector",
        "empreinte non rapportée par le collecteur",
    ),
    ("no address", "aucune adresse"),
    ("unknown (shadow unreadable)", "inconnu (shadow illisible)"),
    ("false (absent from the list)", "false (absent de la liste)"),
    ("not collected by the probe", "non collecté par la sonde"),
    (
        "(absent); no package in this GPO",
        "(absent) ; aucun paquet dans cette GPO",
    ),
    ("DNS update settings", "réglages de mise à jour DNS"),
    (
        "not observed (Get-DhcpServerv4DnsSetting not read by this probe)",
        "non relevés (Get-DhcpServerv4DnsSetting non lu par cette sonde)",
    ),
    ("(not observed)", "(non relevé)"),
    ("authorized", "autorisé"),
    ("not authorized", "non autorisé"),
    (
        "not observed (neither the directory through LDAP nor the probe)",
        "non relevé (ni l'annuaire par LDAP ni la sonde)",
    ),
    (
        "authorized (Get-DhcpServerInDC)",
        "autorisé (Get-DhcpServerInDC)",
    ),
    (
        "not authorized (Get-DhcpServerInDC)",
        "non autorisé (Get-DhcpServerInDC)",
    ),
    (
        "unknown (Get-DhcpServerInDC did not answer)",
        "inconnu (Get-DhcpServerInDC n'a pas répondu)",
    ),
    ("reverse lookup zone", "zone inverse"),
    ("forward lookup zone", "zone de recherche directe"),
    ("AD-integrated", "intégrée à AD"),
    ("stored in a file", "stockée dans un fichier"),
    (
        "(not set: no ALLOW_UPDATE property read)",
        "(non renseigné : aucune propriété ALLOW_UPDATE lue)",
    ),
    ("(GPO absent)", "(GPO absente)"),
    ("read in SYSVOL", "lus dans SYSVOL"),
    (
        "run by no account or GPO observed",
        "lancé par aucun compte ni aucune GPO relevés",
    ),
    ("startup script", "script de démarrage"),
    ("logon script", "script de connexion"),
    (
        "no profile (never logged on to this computer)",
        "aucun profil (jamais connecté sur ce poste)",
    ),
    ("loaded", "chargé"),
    ("(no printer connection)", "(aucune connexion d'imprimante)"),
    ("no persistent drive", "aucun lecteur persistant"),
    (
        "(absent); no persistent drive",
        "(absent) ; aucun lecteur persistant",
    ),
    ("enabled at boot", "activé au démarrage"),
    (
        "not enabled: the file will not be loaded at boot",
        "non activé : le fichier ne sera pas chargé au démarrage",
    ),
    (
        "unit nftables.service absent",
        "unité nftables.service absente",
    ),
    ("no firewall", "aucun pare-feu"),
    ("WMI filter", "filtre WMI"),
    ("(no query)", "(aucune requête)"),
    (
        "nobody (no group has Read + Apply group policy)",
        "personne (aucun groupe n'a Lecture + Appliquer la stratégie)",
    ),
    (
        "linked nowhere (or links disabled)",
        "liée nulle part (ou liens désactivés)",
    ),
    ("user part disabled", "partie utilisateur désactivée"),
    ("computer part disabled", "partie ordinateur désactivée"),
    (
        "problem (warning, critical or unknown)",
        "problème (avertissement, critique ou inconnu)",
    ),
    ("any schedule", "toute planification"),
    ("(no trigger)", "(aucun déclencheur)"),
    ("start of the file", "début du fichier"),
    ("active test run", "test actif exécuté"),
    (
        "not run: the examiner did not ask for active tests (--active-tests)",
        "non exécuté : l'examinateur n'a pas demandé les tests actifs (--active-tests)",
    ),
    ("killed by a signal", "tué par un signal"),
    ("(empty output)", "(sortie vide)"),
    (
        "an active scheduled job runs the script",
        "une tâche planifiée active lance le script",
    ),
    ("absent or stopped", "absent ou arrêté"),
    ("Windows firewall rules", "règles du pare-feu Windows"),
    (
        "no \"windows\" chain in the snapshot",
        "aucune chaîne « windows » dans l'instantané",
    ),
    ("enabled rule", "règle activée"),
    ("no enabled rule", "aucune règle activée"),
    (
        "no enabled rule of this name",
        "aucune règle activée de ce nom",
    ),
    ("enforced", "appliqué"),
    ("not enforced", "non appliqué"),
    ("OU absent; linked nowhere", "OU absente ; liée nulle part"),
    (
        "not linked here; linked nowhere",
        "non liée ici ; liée nulle part",
    ),
];

/// Phrases with `{}` placeholders: `(English in the model, French display)`.
const PHRASES: &[(&str, &str)] = &[
    ("includes {}", "contient {}"),
    ("[{}]; missing {}", "[{}] ; manque {}"),
    ("present ({})", "présent ({})"),
    ("found: {}", "trouvé : {}"),
    ("applies to: {;}", "s'applique à : {;}"),
    ("applies exactly to: {}", "s'applique exactement à : {}"),
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
        "each check's last problem not read (no last_state_warning, last_state_critical, last_state_unknown, last_state_change in the {} answer)",
        "dernier problème de chaque vérification non relevé (ni last_state_warning, ni last_state_critical, ni last_state_unknown, ni last_state_change dans la réponse de {})",
    ),
    (
        "\"{}\" raised at {}, resolved at {}; check ok",
        "« {} » levé à {}, résolu à {} ; contrôle ok",
    ),
    (
        "\"{}\" {*} last seen at {}, ok since {}; check ok",
        "« {} » vu {*} pour la dernière fois à {}, ok depuis {} ; contrôle ok",
    ),
    (
        "\"{}\" {*} last seen at {}; check ok",
        "« {} » vu {*} pour la dernière fois à {} ; contrôle ok",
    ),
    // The firewall: a case judged (ports from source [to destination] [on interface]) and
    // its verdict, whose reason (`{*}`) is a rule of the host, kept as is, or one of the
    // phrases below; a question that holds, with up to three reasons (`{;}`).
    (
        "allowed from any other source ({;})",
        "autorisé depuis toute autre source ({;})",
    ),
    (
        "blocked from any other source ({;})",
        "bloqué depuis toute autre source ({;})",
    ),
    (
        "allowed from any source ({;})",
        "autorisé depuis toute source ({;})",
    ),
    (
        "blocked from any source ({;})",
        "bloqué depuis toute source ({;})",
    ),
    ("allowed from {w} ({;})", "autorisé depuis {w} ({;})"),
    ("blocked from {w} ({;})", "bloqué depuis {w} ({;})"),
    (
        "{w} from {w} to {w} on {w}: allowed ({*})",
        "{w} depuis {w} vers {w} sur {w} : autorisé ({*})",
    ),
    (
        "{w} from {w} to {w}: allowed ({*})",
        "{w} depuis {w} vers {w} : autorisé ({*})",
    ),
    (
        "{w} from {w} on {w}: allowed ({*})",
        "{w} depuis {w} sur {w} : autorisé ({*})",
    ),
    (
        "{w} from {w}: allowed ({*})",
        "{w} depuis {w} : autorisé ({*})",
    ),
    (
        "{w} from {w} to {w} on {w}: blocked ({*})",
        "{w} depuis {w} vers {w} sur {w} : bloqué ({*})",
    ),
    (
        "{w} from {w} to {w}: blocked ({*})",
        "{w} depuis {w} vers {w} : bloqué ({*})",
    ),
    (
        "{w} from {w} on {w}: blocked ({*})",
        "{w} depuis {w} sur {w} : bloqué ({*})",
    ),
    (
        "{w} from {w}: blocked ({*})",
        "{w} depuis {w} : bloqué ({*})",
    ),
    (
        "{w} from {w} to {w} on {w}: not assessable ({*})",
        "{w} depuis {w} vers {w} sur {w} : non évaluable ({*})",
    ),
    (
        "{w} from {w} to {w}: not assessable ({*})",
        "{w} depuis {w} vers {w} : non évaluable ({*})",
    ),
    (
        "{w} from {w} on {w}: not assessable ({*})",
        "{w} depuis {w} sur {w} : non évaluable ({*})",
    ),
    (
        "{w} from {w}: not assessable ({*})",
        "{w} depuis {w} : non évaluable ({*})",
    ),
    (
        "more than {} cases to examine: too many rules",
        "plus de {} cas à examiner : règles trop nombreuses",
    ),
    ("comparison impossible: {}", "comparaison impossible : {}"),
    // firewall `active`: the backends that filter and those that do not.
    (
        "active: {}; inactive: {}",
        "actif(s) : {} ; inactif(s) : {}",
    ),
    ("active: {}", "actif(s) : {}"),
    ("inactive: {}", "inactif(s) : {}"),
    ("differs: {;}", "différentes : {;}"),
    (
        "identical (same chains, policies, rules and sets); {;}",
        "identiques (mêmes chaînes, politiques, règles et ensembles) ; {;}",
    ),
    // A report's warnings (eval/engine.rs).
    (
        "grading time \"{}\" unreadable (RFC 3339 expected): ages are not assessed",
        "heure de notation « {} » illisible (RFC 3339 attendu) : les âges ne sont pas évalués",
    ),
    (
        "override of an unknown variable \"{}\": ignored",
        "surcharge d'une variable inconnue « {} » : ignorée",
    ),
    (
        "override of an unknown variable \"{}\"",
        "surcharge d'une variable inconnue « {} »",
    ),
    (
        "circular references between variables: {}",
        "références circulaires entre variables : {}",
    ),
    ("unknown variable \"${}\"", "variable inconnue « ${} »"),
    (
        "the variable \"{}\" uses an unknown variable \"${}\"",
        "la variable « {} » utilise une variable inconnue « ${} »",
    ),
    (
        "unknown profile \"{}\": the pack's profile \"{}\" is used",
        "profil « {} » inconnu : profil du pack « {} » utilisé",
    ),
    (
        "unknown time zone \"{}\" (inventory): the pack's zone \"{}\" is used",
        "fuseau horaire inconnu « {} » (inventaire) : fuseau du pack « {} » utilisé",
    ),
    // The helpdesk: how many articles or tickets of the exam's window.
    (
        "≥ {w} article(s) written during the exam since {w}",
        "≥ {w} article(s) rédigé(s) pendant l'épreuve depuis {w}",
    ),
    (
        "≥ {w} ticket(s) opened during the exam since {w}",
        "≥ {w} ticket(s) ouvert(s) pendant l'épreuve depuis {w}",
    ),
    // Logon hours (kinds/ad_user.rs): the ranges asked, in the exam's zone.
    (
        "{*} (local time {}, UTC{w} on {w})",
        "{*} (heure {}, UTC{w} le {w})",
    ),
    (
        "malformed value ({} bytes; 21 expected)",
        "valeur mal formée ({} octets ; 21 attendus)",
    ),
    ("identical (sha256 {})", "identique (sha256 {})"),
    ("different (sha256 {} ≠ {})", "différent (sha256 {} ≠ {})"),
    // file_access (issue 15 item 7): the entry that decided, the accounts that differ.
    ("granted by {} on {}", "accordé par {} sur {}"),
    ("denied by {} on {}", "refusé par {} sur {}"),
    ("granted by {}", "accordé par {}"),
    ("denied by {}", "refusé par {}"),
    (
        "granted to all {} other accounts",
        "accordé aux {} autres comptes",
    ),
    (
        "denied to all {} other accounts",
        "refusé aux {} autres comptes",
    ),
    ("granted to {}", "accordé à {}"),
    ("denied to {}", "refusé à {}"),
    ("absent: {}", "absent : {}"),
    // backup_job: free space and restore log
    (
        "at least {} free, at least {}% free",
        "au moins {} libres, au moins {} % libres",
    ),
    ("at least {}% free", "au moins {} % libres"),
    ("at least {} free", "au moins {} libres"),
    ("{} on {}: {} free ({}%)", "{} sur {} : {} libres ({} %)"),
    ("{} on {}: {} free", "{} sur {} : {} libres"),
    (
        "{}: free space unknown (no df figure for its file system)",
        "{} : espace libre inconnu (pas de chiffre df pour son système de fichiers)",
    ),
    (
        "{}: a restore dated after the newest archive",
        "{} : une restauration datée après l'archive la plus récente",
    ),
    (
        "restore logged at {} after {} ({})",
        "restauration journalisée le {} après {} ({})",
    ),
    (
        "latest date in the log {} is not after {} ({})",
        "la dernière date du journal {} ne suit pas {} ({})",
    ),
    // screensaver
    (
        "locked after at most {} min",
        "verrouillé après {} min au plus",
    ),
    (
        "locked after exactly {} min",
        "verrouillé après exactement {} min",
    ),
    (
        "locked after {w} min: {*} (the machine inactivity limit)",
        "verrouillé après {w} min : {*} (limite d'inactivité de l'ordinateur)",
    ),
    (
        "locked after {w} min: {*}",
        "verrouillé après {w} min : {*}",
    ),
    (
        "not set; found instead: {;}",
        "non défini ; trouvé à la place : {;}",
    ),
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
    (
        "{} is a template, not a machine",
        "{} est un modèle (template), pas une machine",
    ),
    (
        "machine configuration not read",
        "configuration de la machine non lue",
    ),
    ("{w} {w} ({w}) on {w}", "{w} {w} ({w}) sur {w}"),
    (
        "{*} (rule #{w} {}, only during \"{}\")",
        "{*} (règle n°{w} {}, seulement pendant « {} »)",
    ),
    ("{*} (rule #{w} {})", "{*} (règle n°{w} {})"),
    (
        "block (no rule of {} matches: default deny)",
        "bloquer (aucune règle de {} ne correspond : refus par défaut)",
    ),
    ("absent (tunnels: {})", "absent (tunnels : {})"),
    ("mounted on {}", "monté sur {}"),
    ("not mounted on {}", "non monté sur {}"),
    (
        "{} is not a logical volume",
        "{} n'est pas un volume logique",
    ),
    ("not found (volumes: {})", "introuvable (volumes : {})"),
    ("an entry for {}", "entrée pour {}"),
    (
        "an fstab entry for {} naming this file system",
        "entrée fstab pour {} désignant ce système de fichiers",
    ),
    (
        "an fstab entry for {} naming {}",
        "entrée fstab pour {} désignant {}",
    ),
    ("no entry for {}", "aucune entrée pour {}"),
    (
        "{} (noauto: not mounted at boot)",
        "{} (noauto : non monté au démarrage)",
    ),
    (
        "{} (no file system to compare with)",
        "{} (aucun système de fichiers à comparer)",
    ),
    (
        "{} (names another device, absent from blkid)",
        "{} (désigne un autre périphérique, absent de blkid)",
    ),
    (
        "{} (UUID/LABEL not verifiable: blkid not collected)",
        "{} (UUID/LABEL non vérifiable : blkid non collecté)",
    ),
    ("{} (names {})", "{} (désigne {})"),
    (
        "a logical volume of {} ± {}",
        "un volume logique de {} ± {}",
    ),
    ("{w} of {} ± {}", "{w} de {} ± {}"),
    (
        "{} (OpenSSH default, absent from the files)",
        "{} (défaut OpenSSH, absent des fichiers)",
    ),
    ("exactly: {}", "exactement : {}"),
    (
        "the running daemon still offers {w}: {*} (offered to {} by the running daemon)",
        "le démon en service propose encore {w} : {*} (proposé à {} par le démon en service)",
    ),
    (
        "{*} (offered to {} by the running daemon)",
        "{*} (proposé à {} par le démon en service)",
    ),
    ("{w} not offered", "{w} non proposé"),
    ("only {}", "seulement {}"),
    (
        "file older than the start or reload of {} ({})",
        "fichier antérieur au démarrage ou rechargement de {} ({})",
    ),
    (
        "modified at {}: file modified after the service started: change probably not applied (restart or reload sshd)",
        "modifié le {} : fichier modifié après le démarrage du service : modification probablement non appliquée (redémarrer ou recharger sshd)",
    ),
    ("written \"{}\"", "écrit « {} »"),
    ("archive younger than {w} h", "archive de moins de {w} h"),
    ("{} of {} ({w} h ago)", "{} du {} (il y a {w} h)"),
    ("less than {w} h ago", "il y a moins de {w} h"),
    (
        "{} (unreadable date: RFC 3339 expected)",
        "{} (date illisible : RFC 3339 attendu)",
    ),
    (
        "{} (grading time unknown)",
        "{} (heure de notation inconnue)",
    ),
    ("{} ({w} h ago)", "{} (il y a {w} h)"),
    ("{*}; also found: {;}", "{*} ; trouvé aussi : {;}"),
    (
        "setting absent; found instead: {;}",
        "paramètre absent ; trouvé à la place : {;}",
    ),
    ("a PSO applies to {}", "un PSO s'applique à {}"),
    ("≤ {w} (never 0)", "≤ {w} (jamais 0)"),
    (
        "{}; {w} ticket(s) not placed in time (server time zone unknown); partial list: {}",
        "{} ; {w} ticket(s) à la date locale non situable (fuseau du serveur inconnu) ; liste partielle : {}",
    ),
    (
        "{}; {w} ticket(s) not placed in time (server time zone unknown)",
        "{} ; {w} ticket(s) à la date locale non situable (fuseau du serveur inconnu)",
    ),
    (
        "{}; {w} article(s) not placed in time (server time zone unknown); partial list: {}",
        "{} ; {w} article(s) à la date locale non situable (fuseau du serveur inconnu) ; liste partielle : {}",
    ),
    (
        "{}; {w} article(s) not placed in time (server time zone unknown)",
        "{} ; {w} article(s) à la date locale non situable (fuseau du serveur inconnu)",
    ),
    ("{}; partial list: {}", "{} ; liste partielle : {}"),
    ("unreachable: {}", "injoignable : {}"),
    (
        "authentication refused: {}",
        "authentification refusée : {}",
    ),
    ("sudo refused: {}", "sudo refusé : {}"),
    ("collection failed: {}", "collecte échouée : {}"),
    ("{w} ({}): {=}", "{w} ({}) : {=}"),
    (
        "state unknown for {}: selection not assessable",
        "état inconnu pour {} : sélection non évaluable",
    ),
    ("at least {w}", "au moins {w}"),
    (
        "{w} accounts selected, more than the {w} judged one by one: narrow the selection",
        "{w} comptes sélectionnés, au-delà des {w} jugés un par un : affinez la sélection",
    ),
    (
        "{w} of {w} compliant; not compliant: {}; not assessable: {}",
        "{w} sur {w} conforme(s) ; non conforme(s) : {} ; non évaluable(s) : {}",
    ),
    (
        "{w} of {w} compliant; not compliant: {}",
        "{w} sur {w} conforme(s) ; non conforme(s) : {}",
    ),
    (
        "{w} of {w} compliant; not assessable: {}",
        "{w} sur {w} conforme(s) ; non évaluable(s) : {}",
    ),
    ("{w} of {w} compliant", "{w} sur {w} conforme(s)"),
    ("not compliant: {}", "non conforme : {}"),
    ("not assessable: {=}", "non évaluable : {=}"),
    ("exactly {w}", "exactement {w}"),
    ("between {w} and {w}", "entre {w} et {w}"),
    ("at most {w}", "au plus {w}"),
    ("selected ({w}): {}; {;}", "sélectionnés ({w}) : {} ; {;}"),
    ("selected ({w}): {}", "sélectionnés ({w}) : {}"),
    ("no account selected; {;}", "aucun compte sélectionné ; {;}"),
    ("{} (unreadable duration)", "{} (durée illisible)"),
    ("in {}", "dans {}"),
    ("zone absent (zones: {})", "zone absente (zones : {})"),
    ("no record {}", "aucun enregistrement {}"),
    ("workgroup {}", "groupe de travail {}"),
    ("{} (normalised: {})", "{} (normalisé : {})"),
    ("installed ({})", "installé ({})"),
    (
        "NotConfigured (= {*} by default)",
        "NotConfigured (= {*} par défaut)",
    ),
    ("not reported (profiles: {})", "non rapporté (profils : {})"),
    ("absent (hosts: {})", "absent (hôtes : {})"),
    ("{*} (DhcpRoot: {}); {;}", "{*} (DhcpRoot : {}) ; {;}"),
    ("{*} (DhcpRoot: {})", "{*} (DhcpRoot : {})"),
    (
        "absent (zones: {}); AD-integrated zones read through LDAP: a zone stored in a file is not seen there",
        "absente (zones : {}) ; zones intégrées à AD lues par LDAP : une zone stockée dans un fichier ne s'y voit pas",
    ),
    ("absent (zones: {})", "absente (zones : {})"),
    ("{} (unknown value)", "{} (valeur inconnue)"),
    ("unreadable: {}", "illisible : {}"),
    ("no folder {} observed", "aucun dossier {} relevé"),
    (
        "no profile (never logged on to this computer); profiles: {}",
        "aucun profil (jamais connecté sur ce poste) ; profils : {}",
    ),
    (
        "profile {} not loaded: no open session, its drives cannot be read without changing the computer",
        "profil {} non chargé : pas de session ouverte, ses lecteurs ne sont pas lisibles sans modifier le poste",
    ),
    ("{w}: → {} (account {})", "{w}: → {} (compte {})"),
    ("drives not read: {}", "lecteurs non lus : {}"),
    (
        "{w}: absent from the persistent drives ({*}); share {} mounted by this profile (MountPoints2): maybe a drive that does not persist, to check in the session",
        "{w}: absent des lecteurs persistants ({*}) ; partage {} monté par ce profil (MountPoints2) : lecteur non persistant possible, à vérifier dans la session",
    ),
    ("(absent); drives: {}", "(absent) ; lecteurs : {}"),
    ("absent (VLAN: {})", "absent (VLAN : {})"),
    ("absent (members: {})", "absent (membres : {})"),
    ("does not apply to: {}", "ne s'applique pas à : {}"),
    (
        "filter {} not found in the directory",
        "filtre {} introuvable dans l'annuaire",
    ),
    (
        "WMI filter \"{}\", query ~ {}",
        "filtre WMI « {} », requête ~ {}",
    ),
    ("WMI filter \"{}\"", "filtre WMI « {} »"),
    ("WMI filter, query ~ {}", "filtre WMI, requête ~ {}"),
    (
        "no WMI filter \"{}\", query ~ {}",
        "aucun filtre WMI « {} », requête ~ {}",
    ),
    ("no WMI filter \"{}\"", "aucun filtre WMI « {} »"),
    (
        "no WMI filter, query ~ {}",
        "aucun filtre WMI, requête ~ {}",
    ),
    (
        "absent (services of {}: {})",
        "absent (services de {} : {})",
    ),
    ("{*} \"{}\" (acknowledged)", "{*} « {} » (acquitté)"),
    ("{*} (acknowledged)", "{*} (acquitté)"),
    // A supervised check's state and its last output (kinds/monitored_host.rs,
    // monitoring_alert.rs): the state is one of the words above, the output the host's.
    ("{+} \"{}\"", "{+} « {} »"),
    (
        "any schedule (user {w})",
        "toute planification (utilisateur {w})",
    ),
    (
        "{} \"{}\" (user {w}) ({})",
        "{} « {} » (utilisateur {w}) ({})",
    ),
    ("{} (user {w})", "{} (utilisateur {w})"),
    ("no job among {w}", "aucune tâche parmi {w}"),
    ("elsewhere: {}", "ailleurs : {}"),
    (
        "code {w} in under {w} s (as {})",
        "code {w} en moins de {w} s (en tant que {})",
    ),
    (
        "{*} in {w} ms; error: \"{}\"",
        "{*} en {w} ms ; erreur : « {} »",
    ),
    ("{*} in {w} ms", "{*} en {w} ms"),
    ("{} created", "{} créé"),
    ("\"{}\" (+{w} line(s))", "« {} » (+{w} ligne(s))"),
    (
        "{} (delayed start not told apart by the probe)",
        "{} (démarrage différé non distingué par la sonde)",
    ),
    ("{} (unknown type)", "{} (type inconnu)"),
    (
        "{} (Windows start type, host not Windows)",
        "{} (type de démarrage Windows, hôte non Windows)",
    ),
    ("enabled rule(s): {}", "règle(s) activée(s) : {}"),
    (
        "{*} = min(share {*} [{a}]; NTFS {*} [{a}])",
        "{*} = min(partage {*} [{a}] ; NTFS {*} [{a}])",
    ),
    ("share {*} [{a}]", "partage {*} [{a}]"),
    (
        "{=}; membership of {} unknown (no directory section on this host)",
        "{=} ; appartenance inconnue à {} (pas de section directory sur cet hôte)",
    ),
    ("ACL not collected ({=})", "ACL non collectée ({=})"),
    ("NTFS {*} [{a}]", "NTFS {*} [{a}]"),
    (
        "no PSO applies to {} (nor to its global groups); found instead: {;}",
        "aucun PSO ne s'applique à {} (ni à ses groupes globaux) ; trouvé à la place : {;}",
    ),
    (
        "no PSO applies to {}; found instead: {;}",
        "aucun PSO ne s'applique à {} ; trouvé à la place : {;}",
    ),
    (
        "{}: neither a user nor a group of the directory; found instead: {;}",
        "{} : ni utilisateur ni groupe de l'annuaire ; trouvé à la place : {;}",
    ),
    (
        "PSO \"{}\" applied to {}, group {w}: AD applies a PSO only through a global security group; found instead: {;}",
        "PSO « {} » appliqué à {}, groupe {w} : AD n'applique un PSO que par un groupe global de sécurité ; trouvé à la place : {;}",
    ),
    (
        "(absent); found instead: {;}",
        "(absent) ; trouvé à la place : {;}",
    ),
    (
        "(GPO absent); found instead: {;}",
        "(GPO absente) ; trouvé à la place : {;}",
    ),
    (
        "{w}: → {}; found instead: {;}",
        "{w}: → {} ; trouvé à la place : {;}",
    ),
    ("value {;} ({*})", "valeur {;} ({*})"),
    ("value {;}", "valeur {;}"),
    ("linked ({*}, {*}, order {w})", "liée ({*}, {*}, ordre {w})"),
    (
        "linked to {} ({*}, {*}, order {w})",
        "liée à {} ({*}, {*}, ordre {w})",
    ),
    (
        "linked to {} ({*}, order {w})",
        "liée à {} ({*}, ordre {w})",
    ),
    ("linked to {} ({*}, {*})", "liée à {} ({*}, {*})"),
    ("linked to {} ({*})", "liée à {} ({*})"),
    ("OU absent; linked to: {}", "OU absente ; liée à : {}"),
    (
        "not linked here; linked to: {}",
        "non liée ici ; liée à : {}",
    ),
    ("linked to: {}", "liée à : {}"),
    ("path not absolute \"{}\"", "chemin non absolu « {} »"),
    // Generic shapes last: a more specific phrase above wins.
    // gpo (kinds/gpo.rs): a registry value, a drive; `{+}` is a choice, `{,}` notes.
    (
        "{} ({w}, {+}, Registry preference){,}",
        "{} ({w}, {+}, préférence Registre){,}",
    ),
    (
        "{} ({w}, {+}, Registry preference)",
        "{} ({w}, {+}, préférence Registre)",
    ),
    ("(set) ({+})", "(définie) ({+})"),
    ("{w}: → {=}{,}", "{w}: → {=}{,}"),
    ("{w}: → {=}", "{w}: → {=}"),
    ("{w}:{,}", "{w}:{,}"),
    // gpo software (kinds/gpo_software.rs): `7-Zip: assigned (computer), source \\s\\7z.msi,
    // kept when out of scope, effective`, every part but the name optional in `expected`.
    (
        "(absent); packages of the GPO: {;}",
        "(absent) ; paquets de la GPO : {;}",
    ),
    // ad_group (kinds/ad_group.rs): the members, those missing, those in excess.
    ("{}; missing {}; extra {}", "{} ; manque {} ; en trop {}"),
    ("{}; missing {}", "{} ; manque {}"),
    ("{}; extra {}", "{} ; en trop {}"),
    // monitoring_alert (kinds/monitoring_alert.rs): each check seen (in PARTS), ` | `
    // between them.
    ("{*} | {|}", "{*} | {|}"),
];

/// Values only ever found inside a phrase's `{*}`/`{;}` (a firewall verdict's reasons, the
/// differences of a persisted ruleset, the pieces of a composed value: registry conditions,
/// GPO labels, look-alikes), never alone: a host's text that reads like one is not
/// translated.
const REASONS: &[(&str, &str)] = &[
    ("policy drop of {}", "politique drop de {}"),
    ("policy {w} of {}", "politique {w} de {}"),
    ("+{} more", "+{} autres"),
    ("rule not interpreted: {}", "règle non interprétée : {}"),
    (
        "action \"{}\" not interpreted: {}",
        "action « {} » non interprétée : {}",
    ),
    (
        "chain \"{}\" not found: {}",
        "chaîne « {} » introuvable : {}",
    ),
    (
        "more than {} chain jumps: {}",
        "plus de {} sauts de chaîne : {}",
    ),
    (
        "the rule depends on the source address ({}): give it in the expectation — {}",
        "la règle dépend de l'adresse source ({}) : précisez-la dans l'attente — {}",
    ),
    (
        "the rule depends on the destination address ({}): give it in the expectation — {}",
        "la règle dépend de l'adresse de destination ({}) : précisez-la dans l'attente — {}",
    ),
    (
        "the rule depends on the input interface ({}): give `iif` — {}",
        "la règle dépend de l'interface d'entrée ({}) : précisez `iif` — {}",
    ),
    (
        "address not interpreted \"{}\" — {}",
        "adresse non interprétée « {} » — {}",
    ),
    (
        "port not interpreted \"{}\" — {}",
        "port non interprété « {} » — {}",
    ),
    ("running only: {}", "en vigueur seulement : {}"),
    ("in the file only: {}", "dans le fichier seulement : {}"),
    (
        "same rules in another order: {}",
        "mêmes règles dans un autre ordre : {}",
    ),
    (
        "file {} modified at {}, after the last (re)start of {} ({}): change probably not applied",
        "{} modifié le {}, après le dernier (re)démarrage de {} ({}) : modification probablement non appliquée",
    ),
    // Pieces of composed values (issue 14): registry conditions, GPO labels, look-alikes
    // and their runners, counts, notes; never a value alone.
    (
        "GPO \"{}\" (linked to the domain)",
        "GPO « {} » (liée au domaine)",
    ),
    (
        "GPO \"{}\" (linked nowhere)",
        "GPO « {} » (liée nulle part)",
    ),
    ("GPO \"{}\" (linked to {})", "GPO « {} » (liée à {})"),
    (
        "security setting {w} = {} in {*} (no effect: an account policy applies only from a GPO linked to the domain)",
        "paramètre de sécurité {w} = {} dans {*} (sans effet : une stratégie de compte ne s'applique que depuis une GPO liée au domaine)",
    ),
    (
        "registry value {} in {*} through {*}: {*}",
        "valeur de registre {} dans {*} par {*} : {*}",
    ),
    ("PSO \"{}\" applied to {*}", "PSO « {} » appliqué à {*}"),
    (
        "{} in {*} (no effect: a password policy applies to the domain's accounts only from a GPO linked to the domain)",
        "{} dans {*} (sans effet : une stratégie de mot de passe ne s'applique aux comptes du domaine que depuis une GPO liée au domaine)",
    ),
    (
        "{} in {*} (no effect for a group or an account: it takes a PSO)",
        "{} dans {*} (sans effet pour un groupe ou un compte : il y faut un PSO)",
    ),
    (
        "group \"{}\" absent from the directory",
        "groupe « {} » absent de l'annuaire",
    ),
    (
        "OU \"{}\" absent from the directory",
        "OU « {} » absente de l'annuaire",
    ),
    (
        "group \"{}\" absent from the machine",
        "groupe « {} » absent de la machine",
    ),
    (
        "found instead: object CN={} under CN=NetServices, absent from DhcpRoot (no effect)",
        "trouvé à la place : objet CN={} sous CN=NetServices, absent de DhcpRoot (sans effet)",
    ),
    ("unreadable values: {}", "valeurs illisibles : {}"),
    ("drives: {}", "lecteurs : {}"),
    (
        "drive {w}: connected by the AD profile's home folder (homeDrive) of {} → {}, not by a GPO preference",
        "lecteur {w}: connecté par le dossier de base du profil AD (homeDrive) de {} → {}, pas par une préférence de GPO",
    ),
    (
        "drive {w}: → {} mapped by {} ({*}, line {w}), not by a GPO preference (New-PSDrive without -Persist: seen from PowerShell only), {*}",
        "lecteur {w}: → {} mappé par {} ({*}, ligne {w}), pas par une préférence de GPO (New-PSDrive sans -Persist : visible de PowerShell seulement), {*}",
    ),
    (
        "drive {w}: → {} mapped by {} ({*}, line {w}), not by a GPO preference, {*}",
        "lecteur {w}: → {} mappé par {} ({*}, ligne {w}), pas par une préférence de GPO, {*}",
    ),
    (
        "run for {} (scriptPath), run by {} (scripts.ini)",
        "lancé pour {} (scriptPath), lancé par {} (scripts.ini)",
    ),
    ("run for {} (scriptPath)", "lancé pour {} (scriptPath)"),
    ("run by {} (scripts.ini)", "lancé par {} (scripts.ini)"),
    (
        "{} (nobody in the links' scope)",
        "{} (personne dans la portée des liens)",
    ),
    (
        "{} ({w} user(s), {w} computer(s))",
        "{} ({w} utilisateur(s), {w} ordinateur(s))",
    ),
    ("{} ({w} user(s))", "{} ({w} utilisateur(s))"),
    ("{} ({w} computer(s))", "{} ({w} ordinateur(s))"),
    ("denied: {}", "refusé : {}"),
    ("stopped after {w} s", "arrêté au bout de {w} s"),
    ("set bits {w}", "bits à 1 : {w}"),
    ("clear bits {w}", "bits à 0 : {w}"),
    ("one of {}", "l'une de {}"),
    ("matches /{}/", "correspond à /{}/"),
    ("the path {}", "le chemin {}"),
    // screensaver (kinds/screensaver.rs): a GPO, the mechanism and values it writes, and why
    // a look-alike does not lock the session.
    (
        "{*}, Administrative Templates (Registry.pol): {} ({*})",
        "{*}, modèles d'administration (Registry.pol) : {} ({*})",
    ),
    (
        "{*}, Administrative Templates (Registry.pol) under HKCU\\Control Panel\\Desktop: {} ({*})",
        "{*}, modèles d'administration (Registry.pol) sous HKCU\\Control Panel\\Desktop : {} ({*})",
    ),
    (
        "{*}, Registry preference: {} ({*})",
        "{*}, préférence Registre : {} ({*})",
    ),
    (
        "{*}, Registry preference under HKCU\\Control Panel\\Desktop: {} ({*})",
        "{*}, préférence Registre sous HKCU\\Control Panel\\Desktop : {} ({*})",
    ),
    (
        "{*}, security option (GptTmpl.inf): {} ({*})",
        "{*}, option de sécurité (GptTmpl.inf) : {} ({*})",
    ),
    (
        "{*}, Administrative Templates (Registry.pol): {}",
        "{*}, modèles d'administration (Registry.pol) : {}",
    ),
    (
        "{*}, Administrative Templates (Registry.pol) under HKCU\\Control Panel\\Desktop: {}",
        "{*}, modèles d'administration (Registry.pol) sous HKCU\\Control Panel\\Desktop : {}",
    ),
    (
        "{*}, Registry preference: {}",
        "{*}, préférence Registre : {}",
    ),
    (
        "{*}, Registry preference under HKCU\\Control Panel\\Desktop: {}",
        "{*}, préférence Registre sous HKCU\\Control Panel\\Desktop : {}",
    ),
    (
        "{*}, security option (GptTmpl.inf): {}",
        "{*}, option de sécurité (GptTmpl.inf) : {}",
    ),
    // The GPO labels after the values that start with one.
    (
        "GPO \"{}\" (linked at the domain root)",
        "GPO « {} » (liée à la racine du domaine)",
    ),
    ("GPO \"{}\" (linked: {})", "GPO « {} » (liée à : {})"),
    (
        "GPO \"{}\" (no enabled link)",
        "GPO « {} » (aucun lien activé)",
    ),
    (
        "the GPO has no enabled link",
        "la GPO n'a aucun lien activé",
    ),
    (
        "the GPO's user part is disabled",
        "partie utilisateur de la GPO désactivée",
    ),
    (
        "the GPO's computer part is disabled",
        "partie ordinateur de la GPO désactivée",
    ),
    (
        "a user preference, not a policy: the user can change it",
        "une préférence de l'utilisateur, pas une stratégie : il peut la changer",
    ),
    (
        "the screen saver is not enabled: ScreenSaveActive is not 1",
        "écran de veille non activé : ScreenSaveActive ne vaut pas 1",
    ),
    (
        "a delay without the lock: ScreenSaverIsSecure is not 1",
        "un délai sans verrouillage : ScreenSaverIsSecure ne vaut pas 1",
    ),
    ("no delay in seconds", "aucun délai en secondes"),
    ("a delay of 0", "un délai de 0"),
    ("{w} s instead of {w} s", "{w} s au lieu de {w} s"),
    ("{w} s, longer than {w} s", "{w} s, plus long que {w} s"),
    (
        "written under HKCU: Windows reads it under HKLM",
        "écrite sous HKCU : Windows la lit sous HKLM",
    ),
    (
        "0 disables the inactivity limit",
        "0 désactive la limite d'inactivité",
    ),
    ("item disabled", "élément désactivé"),
    (
        "not effective: preferences Registry extension not registered",
        "sans effet : extension Registry des préférences non enregistrée",
    ),
    ("delete action", "action supprimer"),
];

/// The words a `{+}` slot stands for (a choice among a few): a phrase with one matches only
/// when its slot holds one of them, so `{} ({+})` never reads a host's `x (y)`.
const CHOICES: &[(&str, &str)] = &[
    ("any deployment", "tout déploiement"),
    ("user", "utilisateur"),
    ("computer", "ordinateur"),
    ("assigned", "attribué"),
    ("published", "publié"),
    (
        "neither assigned nor published (removed)",
        "ni attribué ni publié (retiré)",
    ),
    (
        "assigned and published (invalid object)",
        "attribué et publié (objet invalide)",
    ),
    // A supervised host's or check's state before its output (`{+} "{}"`), as in WORDS.
    ("ok", "ok"),
    ("warning", "avertissement"),
    ("critical", "critique"),
    ("unknown", "inconnu"),
    ("pending", "en attente"),
    ("up", "disponible"),
    ("down", "indisponible"),
    ("unreachable", "injoignable"),
];

/// The notes a `{,}` slot stands for: one or more, each after `, `, closing the value
/// (`S: → \\srv\\x, item disabled, effective`). Read from the end: a value is a phrase with
/// notes only when each of them is one of these.
const NOTES: &[(&str, &str)] = &[
    ("effective", "effectif"),
    (
        "not effective (Drive Maps extension not registered)",
        "non effectif (extension Drive Maps non enregistrée)",
    ),
    (
        "not effective (Software Installation extension not registered)",
        "non effectif (extension Software Installation non enregistrée)",
    ),
    (
        "not effective (preferences Registry extension not registered)",
        "non effectif (extension Registry des préférences non enregistrée)",
    ),
    (
        "effect unknown (GPO container not read)",
        "effet inconnu (conteneur GPO non lu)",
    ),
    ("item disabled", "élément désactivé"),
    ("delete action", "action supprimer"),
    (
        "uninstalled when out of scope",
        "désinstallé hors de portée",
    ),
    ("kept when out of scope", "conservé hors de portée"),
    ("source {}", "source {}"),
    ("invalid object: {}", "objet invalide : {}"),
];

/// Phrases found both alone and inside another phrase's `{*}`/`{;}` slot: a why followed by
/// the look-alikes found instead (`{*}; found instead: {;}`), a GPO named with its links.
/// Consulted for whole values after [`PHRASES`] and for nested ones after [`REASONS`].
const PARTS: &[(&str, &str)] = &[
    // A GPO's software package (kinds/gpo_software.rs), alone or in the GPO's list.
    ("{}: {+} ({+}){,}", "{} : {+} ({+}){,}"),
    ("{}: {+} ({+})", "{} : {+} ({+})"),
    ("{}: {+}{,}", "{} : {+}{,}"),
    ("{}: {+}", "{} : {+}"),
    ("{} ({+}){,}", "{} ({+}){,}"),
    ("{} ({+})", "{} ({+})"),
    (
        "{*}: {*}, security setting ForceLogoffWhenHourExpire = {w}",
        "{*} : {*}, paramètre de sécurité ForceLogoffWhenHourExpire = {w}",
    ),
    (
        "{*} (domain policy, read on the domain object)",
        "{*} (stratégie du domaine, lue sur l'objet domaine)",
    ),
    (
        "{*} (PSO \"{}\", precedence {w}, through a global group)",
        "{*} (PSO « {} », priorité {w}, par un groupe global)",
    ),
    (
        "{*} (PSO \"{}\", precedence {w})",
        "{*} (PSO « {} », priorité {w})",
    ),
    (
        "no PSO applies to {} (nor to its global groups)",
        "aucun PSO ne s'applique à {} (ni à ses groupes globaux)",
    ),
    ("no PSO applies to {}", "aucun PSO ne s'applique à {}"),
    (
        "{}: neither a user nor a group of the directory",
        "{} : ni utilisateur ni groupe de l'annuaire",
    ),
    (
        "PSO \"{}\" applied to {}, group {w}: AD applies a PSO only through a global security group",
        "PSO « {} » appliqué à {}, groupe {w} : AD n'applique un PSO que par un groupe global de sécurité",
    ),
    // monitoring_alert (kinds/monitoring_alert.rs): a check seen, alone or in a ` | ` list.
    (
        "{}: {*}; problems raised: {w}, resolved: {w}",
        "{} : {*} ; problèmes levés : {w}, résolus : {w}",
    ),
    (
        "{}: {*}; last problem: {*} at {}",
        "{} : {*} ; dernier problème : {*} à {}",
    ),
    (
        "{}: {*}; never in a problem state",
        "{} : {*} ; jamais vu en problème",
    ),
    // windows_feature: the state as the probe wrote it.
    ("true ({})", "oui ({})"),
    ("false ({})", "non ({})"),
];

/// The display text of a neutral value in `lang` (`None` when it is not one, or when the
/// English is shown as is).
pub(crate) fn display(lang: Lang, value: &str) -> Option<String> {
    display_whole(lang, value)
}

/// Every French display text of the catalogue (the kinds' unit tests tell an English word
/// the French also uses, « snapshot », from an untranslated one).
#[cfg(test)]
pub(crate) fn french_forms() -> impl Iterator<Item = &'static str> {
    WORDS
        .iter()
        .chain(PHRASES)
        .chain(REASONS)
        .chain(PARTS)
        .chain(CHOICES)
        .chain(NOTES)
        .map(|(_, fr)| *fr)
}

/// Phrases of the start/end changes (`eval/diff.rs`), for [`change_display`] only.
const CHANGE_PHRASES: &[(&str, &str)] = &[
    (
        "uid {}; groups {}; shell {}",
        "uid {} ; groupes {} ; shell {}",
    ),
    ("members {}", "membres {}"),
    ("{w}; {w}", "{w} ; {w}"),
    ("policy {}; {} rule(s)", "politique {} ; {} règle(s)"),
    (
        "{}; {w}; password change {*}; department {}; hours {*}; member of {}",
        "{} ; {w} ; changement du mot de passe {*} ; service {} ; horaires {*} ; membre de {}",
    ),
    ("{}; {*}; members {}", "{} ; {*} ; membres {}"),
    (
        "version {}; linked to {*}; extensions {*}",
        "version {} ; liée à {*} ; extensions {*}",
    ),
    (
        "malformed value ({} bytes)",
        "valeur mal formée ({} octets)",
    ),
];

/// Words of the start/end changes, alone or in a `{w}`/`{*}` slot of [`CHANGE_PHRASES`].
const CHANGE_WORDS: &[(&str, &str)] = &[
    ("running", "démarré"),
    ("stopped", "arrêté"),
    ("enabled", "activé"),
    ("disabled", "désactivé"),
    ("active", "actif"),
    ("inactive", "inactif"),
    ("rule", "règle"),
    ("required", "imposé"),
    ("not required", "non imposé"),
    ("always", "toujours"),
    ("unreadable", "illisibles"),
    ("domain local", "domaine local"),
    ("universal", "universel"),
    ("builtin", "intégré"),
    ("no OU", "aucune OU"),
    ("none", "aucune"),
];

/// A change's detail (`old → new`, or one state) in `lang`: only the words `eval/diff.rs`
/// writes are shown in French, the host's data in the slots as is.
pub(crate) fn change_display(lang: Lang, detail: &str) -> Cow<'_, str> {
    fn side(text: &str) -> String {
        let word = |t: &str| -> Option<String> {
            if let Some((_, fr)) = CHANGE_WORDS.iter().find(|(en, _)| *en == t) {
                return Some((*fr).to_owned());
            }
            crate::kinds::logon_week::ranges_display_fr(t)
        };
        if let Some(shown) = word(text) {
            return shown;
        }
        for (en, fr) in CHANGE_PHRASES {
            let Some(parts) = matches(en, text) else {
                continue;
            };
            let (literals, slots) = split_template(fr);
            let mut out = String::new();
            for (i, literal) in literals.iter().enumerate() {
                out.push_str(literal);
                if let (Some(slot), Some(part)) = (slots.get(i), parts.get(i)) {
                    match slot {
                        Slot::Data => out.push_str(part),
                        _ => out.push_str(&word(part).unwrap_or_else(|| (*part).to_owned())),
                    }
                }
            }
            return out;
        }
        text.to_owned()
    }
    if lang == Lang::En {
        return Cow::Borrowed(detail);
    }
    let shown = match detail.split_once(" → ") {
        Some((old, new)) if !new.contains(" → ") => format!("{} → {}", side(old), side(new)),
        Some(_) => detail.to_owned(),
        None => side(detail),
    };
    Cow::Owned(shown)
}

/// An evidence object in `lang`. Only the firewall writes objects in words (`22/tcp from
/// 10.0.0.0/8 to 192.0.2.2 on eth0`), built from the pack's ports, addresses and interface
/// alone, so its words are replaced; every other object is data, shown as is.
pub(crate) fn object_display<'v>(lang: Lang, section: &str, object: &'v str) -> Cow<'v, str> {
    const FIREWALL: &[(&str, &str)] = &[
        (" from anywhere but ", " depuis ailleurs que "),
        (" from ", " depuis "),
        (" to ", " vers "),
        (" on ", " sur "),
    ];
    if lang == Lang::En || section != "firewall" {
        return Cow::Borrowed(object);
    }
    let mut text = object.to_owned();
    for (en, fr) in FIREWALL {
        text = text.replace(en, fr);
    }
    Cow::Owned(text)
}

/// A whole word or a phrase: host data stays in the phrase's slots, as is.
fn display_whole(lang: Lang, value: &str) -> Option<String> {
    if let Some(fr) = crate::kinds::logon_week::ranges_display_fr(value) {
        return Some(match lang {
            Lang::Fr => fr,
            Lang::En => value.to_owned(),
        });
    }
    if let Some((_, fr)) = WORDS.iter().find(|(en, _)| *en == value) {
        return Some(match lang {
            Lang::Fr => (*fr).to_owned(),
            Lang::En => english_yes_no(value).to_owned(),
        });
    }
    // A list in the pack's own keys (`category: any, min_priority: 3`): `eval/key_lists.rs`.
    if let Some(fr) = crate::eval::key_lists::key_list_fr(value) {
        return Some(match lang {
            Lang::Fr => fr,
            Lang::En => value.to_owned(),
        });
    }
    // A section's state and its cause (`HostView::section`, the kinds): `eval/causes.rs`.
    // The English is the value: only whether it is a state is needed.
    if lang == Lang::En && crate::eval::causes::is_state(value) {
        return Some(value.to_owned());
    }
    if let Some(fr) = crate::eval::causes::state_fr(value, |cause| display_whole(Lang::Fr, cause)) {
        return Some(fr);
    }
    for ((en, fr), cut) in PHRASES.iter().chain(PARTS).zip(phrases_cut()) {
        if let Some(parts) = cut.matches(value) {
            return Some(match lang {
                Lang::Fr => fill(lang, fr, &parts),
                Lang::En => english_phrase(en, value),
            });
        }
    }
    // A collector's or a transport's cause alone (a host's failure in `hosts[].cause`).
    let fr = crate::eval::causes::cause_fr(value)?;
    Some(match lang {
        Lang::Fr => fr,
        Lang::En => value.to_owned(),
    })
}

/// A kind's boolean as an English reader reads it: `yes`/`no` (the model keeps `true`/`false`).
fn english_yes_no(value: &str) -> &str {
    match value {
        "true" => "yes",
        "false" => "no",
        other => other,
    }
}

/// A phrase in English: the value itself, but a leading boolean (`true ({})`) read as yes/no.
fn english_phrase(template: &str, value: &str) -> String {
    for (word, shown) in [("true ", "yes "), ("false ", "no ")] {
        if template.starts_with(word)
            && let Some(rest) = value.strip_prefix(word)
        {
            return format!("{shown}{rest}");
        }
    }
    value.to_owned()
}

/// A value inside a phrase's `{*}`/`{;}`: a word, one of [`REASONS`] (a host's rule,
/// which starts with its chain, matches none) or of [`PARTS`].
fn display_nested(lang: Lang, value: &str) -> Option<String> {
    if WORDS.iter().any(|(en, _)| *en == value) {
        return display_whole(lang, value);
    }
    let (parts, (_, fr)) = REASONS
        .iter()
        .chain(PARTS)
        .zip(nested_cut())
        .find_map(|(phrase, cut)| Some((cut.matches(value)?, phrase)))?;
    Some(match lang {
        Lang::Fr => fill(lang, fr, &parts),
        Lang::En => value.to_owned(),
    })
}

/// What a phrase's slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// `{}`: host or pack data, shown as is.
    Data,
    /// `{*}`: a neutral value written by constat (a verdict's reason), shown in turn when it
    /// is a word or a phrase, as is otherwise.
    Nested,
    /// `{;}`: a `; `-separated list of such values.
    List,
    /// `{w}`: data without spaces (a port, an address list `a, b`, an interface), so that
    /// a host's text never stands where the phrase's own words are.
    Token,
    /// `{=}`: the value of another evidence line (the cause of a not-assessable check),
    /// shown as that line is shown: through the words and phrases, as is otherwise.
    Whole,
    /// `{+}`: one of [`CHOICES`] (`user`, `assigned`), or the phrase does not match.
    Choice,
    /// `{,}`, last in a template: one or more of [`NOTES`], each after `, `.
    Notes,
    /// `{!}`: a collector's cause (`eval/causes.rs`), in French when it is a known one.
    Cause,
    /// `{|}`: a ` | `-separated list of nested values (as `{;}`).
    Bars,
    /// `{a}`: the access entries that decided a Windows right (`deny TSSR\\g: Write; …`), their
    /// rights in words (`kinds/windows_share.rs`), the principals as is.
    Acl,
}

/// A template's literals (one more than its slots) and its slots.
fn split_template(template: &str) -> (Vec<&str>, Vec<Slot>) {
    const MARKERS: [&str; 10] = [
        "{}", "{*}", "{;}", "{w}", "{=}", "{+}", "{,}", "{!}", "{a}", "{|}",
    ];
    let (literals, markers) = cut_at_markers(template, &MARKERS);
    let slots = markers
        .into_iter()
        .map(|marker| match marker {
            "{}" => Slot::Data,
            "{*}" => Slot::Nested,
            "{w}" => Slot::Token,
            "{=}" => Slot::Whole,
            "{+}" => Slot::Choice,
            "{,}" => Slot::Notes,
            "{!}" => Slot::Cause,
            "{a}" => Slot::Acl,
            "{|}" => Slot::Bars,
            _ => Slot::List,
        })
        .collect();
    (literals, slots)
}

/// `template`'s literals (one more than its markers), cut at the first of `markers` each
/// time, and the markers met, in order (shared with `eval/causes.rs`'s templates).
pub(crate) fn cut_at_markers<'t>(
    template: &'t str,
    markers: &[&'static str],
) -> (Vec<&'t str>, Vec<&'static str>) {
    let mut literals = Vec::new();
    let mut met = Vec::new();
    let mut rest = template;
    loop {
        // The nearest marker (the smallest of those starting at the same place), found in
        // one pass over the bytes: a marker is valid UTF-8, so where its bytes match is a
        // character boundary.
        let next = rest.bytes().enumerate().find_map(|(at, byte)| {
            markers
                .iter()
                .filter(|m| m.as_bytes().first() == Some(&byte))
                .filter(|m| rest.as_bytes()[at..].starts_with(m.as_bytes()))
                .min()
                .map(|m| (at, *m))
        });
        let Some((at, marker)) = next else {
            literals.push(rest);
            return (literals, met);
        };
        literals.push(&rest[..at]);
        met.push(marker);
        rest = &rest[at + marker.len()..];
    }
}

/// The data standing for each slot of `template` in `value`, when `value` is written that way.
pub(crate) fn matches<'v>(template: &str, value: &'v str) -> Option<Vec<&'v str>> {
    Cut::new(template).matches(value)
}

/// A template cut once at its slots, to be matched against many values: the catalogue's
/// tables are cut on first use ([`phrases_cut`] and the others) instead of at every value a
/// report shows (a report of 16 hosts matches each of its values against hundreds of
/// phrases: cutting them every time was most of a session's CPU, BENCHMARKS.md round 7).
pub(crate) enum Cut<'t> {
    /// Literals (one more than the slots) and slots.
    Plain(Vec<&'t str>, Vec<Slot>),
    /// A template ending in `{,}`: the template before it, then the notes.
    Notes(Box<Cut<'t>>),
}

impl<'t> Cut<'t> {
    /// Cuts `template`.
    pub(crate) fn new(template: &'t str) -> Cut<'t> {
        match template.strip_suffix("{,}") {
            Some(base) => Cut::Notes(Box::new(Cut::new(base))),
            None => {
                let (literals, slots) = split_template(template);
                Cut::Plain(literals, slots)
            }
        }
    }

    /// The data standing for each slot in `value`, when `value` is written that way.
    pub(crate) fn matches<'v>(&self, value: &'v str) -> Option<Vec<&'v str>> {
        let (literals, slots) = match self {
            Cut::Notes(base) => {
                let (head, _) = split_notes(value)?;
                let mut parts = base.matches(&value[..head])?;
                parts.push(&value[head + 2..]);
                return Some(parts);
            }
            Cut::Plain(literals, slots) => (literals, slots),
        };
        let (first, rest) = literals.split_first()?;
        let tail = value.strip_prefix(first)?;
        if rest.is_empty() && !tail.is_empty() {
            // A template without slots is the whole value.
            return None;
        }
        let mut parts = Vec::with_capacity(slots.len());
        let mut budget = 256;
        split_at_literals(rest, slots, tail, &mut parts, &mut budget).then_some(parts)
    }

    /// The first literal (what a value written this way starts with).
    fn first(&self) -> &'t str {
        match self {
            Cut::Notes(base) => base.first(),
            Cut::Plain(literals, _) => literals.first().copied().unwrap_or_default(),
        }
    }
}

/// Cuts of `templates`, in order.
pub(crate) fn cut_all<'a>(
    templates: impl Iterator<Item = &'a (&'static str, &'static str)>,
) -> Vec<Cut<'static>> {
    templates.map(|(en, _)| Cut::new(en)).collect()
}

/// Cuts of [`PHRASES`] then [`PARTS`] (the English side), in order.
fn phrases_cut() -> &'static [Cut<'static>] {
    static CUT: LazyLock<Vec<Cut<'static>>> =
        LazyLock::new(|| cut_all(PHRASES.iter().chain(PARTS)));
    &CUT
}

/// Cuts of [`REASONS`] then [`PARTS`], in order.
fn nested_cut() -> &'static [Cut<'static>] {
    static CUT: LazyLock<Vec<Cut<'static>>> =
        LazyLock::new(|| cut_all(REASONS.iter().chain(PARTS)));
    &CUT
}

/// Cuts of [`NOTES`], in order, with the text that announces each in a value (`, ` and its
/// first literal).
fn notes_cut() -> &'static [(Cut<'static>, String)] {
    static CUT: LazyLock<Vec<(Cut<'static>, String)>> = LazyLock::new(|| {
        NOTES
            .iter()
            .map(|(en, _)| {
                let cut = Cut::new(en);
                let lead = format!(", {}", cut.first());
                (cut, lead)
            })
            .collect()
    });
    &CUT
}

/// Cuts `tail` at `literals` in turn (the last one closes it), each part fitting its slot;
/// when a cut leaves a part that does not fit (`4 (0x4) (computer)` read as `{} ({+})`), the
/// literal's next occurrence is tried, at most `budget` cuts in all (host text is bounded,
/// and so is the work a hostile one can cause).
fn split_at_literals<'v>(
    literals: &[&str],
    slots: &[Slot],
    tail: &'v str,
    parts: &mut Vec<&'v str>,
    budget: &mut u32,
) -> bool {
    let Some((literal, rest)) = literals.split_first() else {
        return tail.is_empty();
    };
    let slot = slots.get(parts.len()).copied().unwrap_or(Slot::Data);
    let fits = |part: &str| match slot {
        Slot::Token => {
            !part.is_empty()
                && part
                    .split(", ")
                    .all(|p| !p.is_empty() && !p.contains(char::is_whitespace))
        }
        Slot::Choice => CHOICES.iter().any(|(en, _)| *en == part),
        _ => true,
    };
    if rest.is_empty() {
        // The last literal closes the value.
        let Some(at) = tail
            .len()
            .checked_sub(literal.len())
            .filter(|&at| tail.is_char_boundary(at) && tail[at..] == **literal)
        else {
            return false;
        };
        if !fits(&tail[..at]) {
            return false;
        }
        parts.push(&tail[..at]);
        return true;
    }
    if literal.is_empty() {
        return false;
    }
    for (at, _) in tail.match_indices(literal) {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        if !fits(&tail[..at]) {
            continue;
        }
        parts.push(&tail[..at]);
        if split_at_literals(rest, slots, &tail[at + literal.len()..], parts, budget) {
            return true;
        }
        parts.pop();
    }
    false
}

/// Where the notes closing `value` start (the `, ` before the first) and the notes, in
/// order, when it ends with at least one of [`NOTES`]; read from the end, the nearest note
/// first, so a note holding data (`source {}`) never swallows the notes after it.
fn split_notes(value: &str) -> Option<(usize, Vec<&str>)> {
    let mut head = value.len();
    let mut notes = Vec::new();
    loop {
        let text = &value[..head];
        let nearest = notes_cut()
            .iter()
            .filter_map(|(cut, lead)| {
                text.rmatch_indices(lead.as_str())
                    .map(|(at, _)| at)
                    .find(|&at| cut.matches(&text[at + 2..]).is_some())
            })
            .max();
        let Some(at) = nearest else {
            break;
        };
        notes.push(&value[at + 2..head]);
        head = at;
    }
    notes.reverse();
    (!notes.is_empty()).then_some((head, notes))
}

/// One of [`NOTES`] in `lang` (its data kept as is).
fn note_display(lang: Lang, note: &str) -> String {
    NOTES
        .iter()
        .zip(notes_cut())
        .find_map(|((_, fr), (cut, _))| {
            let parts = cut.matches(note)?;
            Some(match lang {
                Lang::Fr => fill(lang, fr, &parts),
                Lang::En => note.to_owned(),
            })
        })
        .unwrap_or_else(|| note.to_owned())
}

/// `template` with its slots replaced, in order, by `parts` (nested values shown in `lang`).
fn fill(lang: Lang, template: &str, parts: &[&str]) -> String {
    let (literals, slots) = split_template(template);
    let mut out =
        String::with_capacity(template.len() + parts.iter().map(|p| p.len()).sum::<usize>());
    let nested = |part: &str| display_nested(lang, part).unwrap_or_else(|| part.to_owned());
    for (i, literal) in literals.iter().enumerate() {
        out.push_str(literal);
        let (Some(slot), Some(part)) = (slots.get(i), parts.get(i)) else {
            continue;
        };
        match slot {
            // The empty list `kinds::windows::listed` writes, which no host data is alone.
            Slot::Data if *part == "(none)" => out.push_str(&nested(part)),
            Slot::Data | Slot::Token => out.push_str(part),
            Slot::Nested => out.push_str(&nested(part)),
            Slot::Choice => out.push_str(
                CHOICES
                    .iter()
                    .find(|(en, _)| en == part)
                    .map_or(*part, |(en, fr)| if lang == Lang::Fr { fr } else { en }),
            ),
            Slot::Notes => {
                let joined = format!(", {part}");
                let notes = split_notes(&joined).map(|(_, n)| n).unwrap_or_default();
                let shown: Vec<String> = notes.iter().map(|n| note_display(lang, n)).collect();
                out.push_str(", ");
                out.push_str(&shown.join(", "));
            }
            Slot::Acl => out.push_str(&match lang {
                Lang::Fr => crate::kinds::windows_share::entries_fr(part),
                Lang::En => (*part).to_owned(),
            }),
            Slot::Cause => out.push_str(
                &crate::eval::causes::cause_fr(part)
                    .filter(|_| lang == Lang::Fr)
                    .unwrap_or_else(|| (*part).to_owned()),
            ),
            Slot::Whole => out.push_str(
                &display_whole(lang, part)
                    .or_else(|| display(lang, part))
                    .unwrap_or_else(|| (*part).to_owned()),
            ),
            Slot::Bars => {
                let items: Vec<String> = part.split(" | ").map(nested).collect();
                out.push_str(&items.join(" | "));
            }
            Slot::List => {
                let items: Vec<String> = part.split("; ").map(nested).collect();
                out.push_str(&items.join(match lang {
                    Lang::Fr => " ; ",
                    Lang::En => "; ",
                }));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Windows firewall profile left to its default: the default action in words.
    #[test]
    fn a_default_action_reads_in_french() {
        assert_eq!(
            display(Lang::Fr, "NotConfigured (= allow by default)").as_deref(),
            Some("NotConfigured (= autoriser par défaut)")
        );
        assert_eq!(display(Lang::Fr, "block").as_deref(), Some("bloquer"));
    }

    /// A kind's boolean reads yes/no in English too, never the model's `true`/`false`.
    #[test]
    fn booleans_read_yes_or_no_in_english() {
        assert_eq!(display(Lang::En, "true").as_deref(), Some("yes"));
        assert_eq!(display(Lang::En, "false").as_deref(), Some("no"));
        assert_eq!(display(Lang::Fr, "true").as_deref(), Some("oui"));
        assert_eq!(
            display(Lang::En, "true (Installed)").as_deref(),
            Some("yes (Installed)")
        );
        assert_eq!(display(Lang::En, "block").as_deref(), Some("block"));
    }

    /// A firewall appliance's verdict and a supervised state read as the French interfaces
    /// name them; the rule and the check's output are the host's, shown as is.
    #[test]
    fn verdicts_and_supervised_states_read_in_french() {
        for (en, fr) in [
            (
                "pass (rule #2 pass tcp wan → wanip:22)",
                "passer (règle n°2 pass tcp wan → wanip:22)",
            ),
            (
                "block (no rule of wan matches: default deny)",
                "bloquer (aucune règle de wan ne correspond : refus par défaut)",
            ),
            ("critical", "critique"),
            ("not up", "non disponible"),
            (
                "critical \"connect to address 10.0.0.5 port 80: Connection refused\"",
                "critique « connect to address 10.0.0.5 port 80: Connection refused »",
            ),
            (
                "down \"PING CRITICAL\" (acknowledged)",
                "indisponible « PING CRITICAL » (acquitté)",
            ),
            (
                "problem (warning, critical or unknown)",
                "problème (avertissement, critique ou inconnu)",
            ),
        ] {
            assert_eq!(display(Lang::Fr, en).as_deref(), Some(fr), "{en}");
            assert_eq!(display(Lang::En, en).as_deref(), Some(en), "{en}");
        }
        // A host's own text before quotes is not a state: left as it is.
        assert_eq!(display(Lang::Fr, "upper \"x\""), None);
    }

    /// `monitoring_alert` on Nagios: a check resolved, or not, from its last problem.
    #[test]
    fn nagios_last_problem_phrases_are_french() {
        for (en, fr) in [
            (
                "\"backup.flag\" critical last seen at 2026-12-03T08:29:56Z, ok since 2026-12-03T08:29:57Z; check ok",
                "« backup.flag » vu critique pour la dernière fois à 2026-12-03T08:29:56Z, ok depuis 2026-12-03T08:29:57Z ; contrôle ok",
            ),
            (
                "backup.flag: critical; last problem: critical at 2026-12-03T08:31:00Z | ssh: ok; never in a problem state",
                "backup.flag : critique ; dernier problème : critique à 2026-12-03T08:31:00Z | ssh : ok ; jamais vu en problème",
            ),
        ] {
            assert_eq!(display(Lang::Fr, en).as_deref(), Some(fr), "{en}");
        }
    }

    /// What fragments used to half-translate is now whole phrases (issue 14).
    #[test]
    fn former_fragments_are_whole_phrases() {
        for (en, fr) in [
            (
                "jdupont, mmartin; missing adminit; extra mmartin",
                "jdupont, mmartin ; manque adminit ; en trop mmartin",
            ),
            (
                "Backup missing on srv: critical; problems raised: 1, resolved: 0",
                "Backup missing on srv : critique ; problèmes levés : 1, résolus : 0",
            ),
            (
                "a: ok; problems raised: 0, resolved: 0 | b c: critical; problems raised: 2, \
                 resolved: 1",
                "a : ok ; problèmes levés : 0, résolus : 0 | b c : critique ; problèmes levés : \
                 2, résolus : 1",
            ),
            ("for the jury to check", "à vérifier par le jury"),
            (
                "dc (directory): no snapshot given for this role",
                "dc (directory) : aucun snapshot fourni pour ce rôle",
            ),
        ] {
            assert_eq!(display(Lang::Fr, en).as_deref(), Some(fr), "{en}");
            assert_eq!(display(Lang::En, en).as_deref(), Some(en), "{en}");
        }
        // A host's text that only holds the words is left alone.
        assert_eq!(
            display(Lang::Fr, "the jury: for the jury to check later"),
            None
        );
    }

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
            Some("non collecté ; motif rapporté tel quel : sshd absent")
        );
        assert_eq!(
            display(Lang::Fr, "not collected: sshd: not installed").as_deref(),
            Some("non collecté : sshd : non installé")
        );
        assert_eq!(
            display(
                Lang::Fr,
                "error: collector users: cannot read /etc/group: Permission denied (os error 13)"
            )
            .as_deref(),
            Some(
                "erreur : collecteur users : lecture de /etc/group impossible : permission \
                 refusée (erreur système 13)"
            )
        );
        assert_eq!(
            display(
                Lang::En,
                "error: collector users: cannot read /etc/group: Permission denied (os error 13)"
            )
            .as_deref(),
            Some("error: collector users: cannot read /etc/group: Permission denied (os error 13)")
        );
        assert_eq!(
            display(
                Lang::Fr,
                "never allowed (local time Europe/Paris, UTC+02:00 on 2026-06-15)"
            )
            .as_deref(),
            Some("jamais autorisé (heure Europe/Paris, UTC+02:00 le 2026-06-15)")
        );
        assert_eq!(
            display(Lang::Fr, "Mon–Fri 08:00–18:00; Sat 09:00–12:00").as_deref(),
            Some("lun–ven 08:00–18:00 ; sam 09:00–12:00")
        );
        assert_eq!(
            display(
                Lang::Fr,
                "≥ 2 ticket(s) opened during the exam since 2026-06-12T08:00:00Z"
            )
            .as_deref(),
            Some("≥ 2 ticket(s) ouvert(s) pendant l'épreuve depuis 2026-06-12T08:00:00Z")
        );
        assert_eq!(
            display(
                Lang::Fr,
                "unknown time zone \"Mars/Olympus\" (inventory): the pack's zone \"Indian/Reunion\" is used"
            )
            .as_deref(),
            Some("fuseau horaire inconnu « Mars/Olympus » (inventaire) : fuseau du pack « Indian/Reunion » utilisé")
        );
        assert_eq!(
            display(Lang::Fr, "unknown variable \"${nope}\"").as_deref(),
            Some("variable inconnue « ${nope} »")
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

    /// A host's text is never translated (issue 14 item 5): a user named "on", a path with
    /// " to ", a firewall rule whose comment says "from here to there", hours-like text.
    #[test]
    fn a_hosts_text_is_never_translated() {
        for host in [
            "on",
            "to",
            "/srv/back to school",
            "mail from alice to bob on monday",
            "Mon to Fri",
            "policy drop of the week",
        ] {
            assert_eq!(display(Lang::Fr, host), None, "{host}");
        }
        let verdict = "22/tcp from 0.0.0.0/0 on eth0: allowed (inet filter input [handle 4]: \
                       tcp dport 22 accept comment \"from here to there on foot\")";
        assert_eq!(
            display(Lang::Fr, verdict).as_deref(),
            Some(
                "22/tcp depuis 0.0.0.0/0 sur eth0 : autorisé (inet filter input [handle 4]: \
                 tcp dport 22 accept comment \"from here to there on foot\")"
            )
        );
        let holds = "blocked from any source (policy drop of inet filter input; inet filter \
                     input [handle 9]: drop comment \"to be on the safe side\"; +2 more)";
        assert_eq!(
            display(Lang::Fr, holds).as_deref(),
            Some(
                "bloqué depuis toute source (politique drop de inet filter input ; inet filter \
                 input [handle 9]: drop comment \"to be on the safe side\" ; +2 autres)"
            )
        );
        let persisted = "differs: running only: inet filter input: tcp dport 22 accept | \
                         inet filter input: drop; in the file only: inet filter input: accept";
        assert_eq!(
            display(Lang::Fr, persisted).as_deref(),
            Some(
                "différentes : en vigueur seulement : inet filter input: tcp dport 22 accept | \
                 inet filter input: drop ; dans le fichier seulement : inet filter input: accept"
            )
        );
        // A source that is not one token is not read as the case's source.
        let odd = "22/tcp from a to b: allowed (x)";
        assert_eq!(
            display(Lang::Fr, odd).as_deref(),
            Some("22/tcp depuis a vers b : autorisé (x)")
        );
        assert_eq!(display(Lang::Fr, "22/tcp from a b: allowed (x)"), None);
        assert_eq!(
            change_display(Lang::Fr, "uid 1000; groups on,to; shell /bin/on to"),
            "uid 1000 ; groupes on,to ; shell /bin/on to"
        );
        assert_eq!(
            change_display(Lang::Fr, "running; enabled → stopped; disabled"),
            "démarré ; activé → arrêté ; désactivé"
        );
        assert_eq!(
            change_display(
                Lang::Fr,
                "OU=Compta,DC=tssr,DC=lan; enabled; password change required; department on; \
                 hours Mon–Fri 08:00–18:00; member of to"
            ),
            "OU=Compta,DC=tssr,DC=lan ; activé ; changement du mot de passe imposé ; service on ; \
             horaires lun–ven 08:00–18:00 ; membre de to"
        );
        assert_eq!(change_display(Lang::Fr, "on to"), "on to");
        assert_eq!(
            object_display(
                Lang::Fr,
                "firewall",
                "22/tcp from anywhere but 10.0.0.0/8 on eth0"
            ),
            "22/tcp depuis ailleurs que 10.0.0.0/8 sur eth0"
        );
        assert_eq!(
            object_display(Lang::Fr, "files", "/srv/back to school"),
            "/srv/back to school"
        );
    }

    /// Registry conditions, GPO links and look-alike lists are whole phrases (issue 14): a
    /// host's text that reads like one of their pieces is left as is.
    #[test]
    fn composed_values_are_whole_phrases() {
        assert_eq!(
            display(Lang::Fr, "value set bits 0x4; one of 3, 4 (computer)").as_deref(),
            Some("valeur bits à 1 : 0x4 ; l'une de 3, 4 (ordinateur)")
        );
        assert_eq!(
            display(
                Lang::Fr,
                "linked to OU=Compta,DC=tssr,DC=lan (enabled, enforced, order 2)"
            )
            .as_deref(),
            Some("liée à OU=Compta,DC=tssr,DC=lan (activé, appliqué, ordre 2)")
        );
        assert_eq!(
            display(
                Lang::Fr,
                "no PSO applies to GG_Compta; found instead: MinimumPasswordLength = 12 in \
                 GPO \"G\" (linked to OU=Compta) (no effect for a group or an account: it \
                 takes a PSO); PSO \"P\" applied to (nobody)"
            )
            .as_deref(),
            Some(
                "aucun PSO ne s'applique à GG_Compta ; trouvé à la place : MinimumPasswordLength \
                 = 12 dans GPO « G » (liée à OU=Compta) (sans effet pour un groupe ou un compte : \
                 il y faut un PSO) ; PSO « P » appliqué à (personne)"
            )
        );
        assert_eq!(
            display(Lang::Fr, "linux (section): not collected: sshd absent").as_deref(),
            Some("linux (section) : non collecté ; motif rapporté tel quel : sshd absent")
        );
        assert_eq!(
            display(Lang::Fr, "absent (machines: (none))").as_deref(),
            Some("absente (machines : (aucun))")
        );
        for host in [
            "one of us",
            "matches /x/",
            "the path home",
            "linked to the past",
        ] {
            assert_eq!(display(Lang::Fr, host), None, "{host}");
        }
    }

    /// The screensaver kind's composed values read in French, through whole phrases: a GPO
    /// name or registry data that reads like a piece of them is kept as is.
    #[test]
    fn screensaver_values_are_shown_in_french() {
        assert_eq!(
            display(
                Lang::Fr,
                "locked after 10 min: GPO \"GPO_Ecran\" (linked: OU=Compta,DC=tssr,DC=lan), \
                 Administrative Templates (Registry.pol): ScreenSaveActive = 1"
            )
            .as_deref(),
            Some(
                "verrouillé après 10 min : GPO « GPO_Ecran » (liée à : OU=Compta,DC=tssr,DC=lan), \
                 modèles d'administration (Registry.pol) : ScreenSaveActive = 1"
            )
        );
        assert_eq!(
            display(
                Lang::Fr,
                "not set; found instead: GPO \"G\" (no enabled link), Registry preference: \
                 ScreenSaveTimeOut = 600 (a delay without the lock: ScreenSaverIsSecure is not 1); \
                 GPO \"H\" (linked at the domain root), security option (GptTmpl.inf): \
                 InactivityTimeoutSecs = 1200 (1200 s, longer than 600 s)"
            )
            .as_deref(),
            Some(
                "non défini ; trouvé à la place : GPO « G » (aucun lien activé), préférence \
                 Registre : ScreenSaveTimeOut = 600 (un délai sans verrouillage : \
                 ScreenSaverIsSecure ne vaut pas 1) ; GPO « H » (liée à la racine du domaine), \
                 option de sécurité (GptTmpl.inf) : InactivityTimeoutSecs = 1200 (1200 s, plus \
                 long que 600 s)"
            )
        );
        // Host text that holds the old fragments is no longer touched.
        for host in [
            "locked after 10 min of idling",
            "x (linked: y)",
            "a, Registry preference: b",
            "mail sent, effective",
            "Paris, source Seine",
            "Bob (user) — a delay of 0",
        ] {
            assert_eq!(display(Lang::Fr, host), None, "{host}");
        }
    }

    /// GPO drives, registry preferences and software packages: a head phrase and notes
    /// read from the end, each one of NOTES; a choice slot holds only a CHOICES word.
    #[test]
    fn gpo_values_with_notes_are_whole_phrases() {
        let fr = |v: &str| display(Lang::Fr, v);
        assert_eq!(
            fr("S: → \\\\srv\\Compta, item disabled, effective").as_deref(),
            Some("S: → \\\\srv\\Compta, élément désactivé, effectif")
        );
        assert_eq!(
            fr("S: → \\\\srv\\perso$\\%LogonUser% (normalised: \\\\srv\\perso$\\%USERNAME%), effective")
                .as_deref(),
            Some("S: → \\\\srv\\perso$\\%LogonUser% (normalisé : \\\\srv\\perso$\\%USERNAME%), effectif")
        );
        assert_eq!(fr("H:, effective").as_deref(), Some("H:, effectif"));
        assert_eq!(
            fr("600 (REG_SZ, user, Registry preference), delete action, item disabled").as_deref(),
            Some(
                "600 (REG_SZ, utilisateur, préférence Registre), action supprimer, élément désactivé"
            )
        );
        assert_eq!(fr("4 (computer)").as_deref(), Some("4 (ordinateur)"));
        assert_eq!(
            fr("7-Zip 23.01 (x64 edition): assigned (computer), source \\\\s\\d\\7z, effective, x, \
                kept when out of scope, invalid object: a; b, effective")
                .as_deref(),
            Some("7-Zip 23.01 (x64 edition) : attribué (ordinateur), source \\\\s\\d\\7z, effective, x, \
                  conservé hors de portée, objet invalide : a; b, effectif")
        );
        assert_eq!(
            fr("(absent); packages of the GPO: Google Chrome: published (user), source \\\\s\\c.msi")
                .as_deref(),
            Some("(absent) ; paquets de la GPO : Google Chrome : publié (utilisateur), source \\\\s\\c.msi")
        );
        // A note that is not one of NOTES, a choice that is not one of CHOICES: not a phrase.
        for host in [
            "Paris, France",
            "x (y)",
            "a: b (c)",
            "note: enabled",
            "S:, soon",
        ] {
            assert_eq!(fr(host), None, "{host}");
        }
    }

    /// Markers are found in one pass: the nearest first, the smallest of those starting at
    /// the same place, literals kept between them (multi-byte text included).
    #[test]
    fn templates_are_cut_at_the_nearest_marker() {
        assert_eq!(
            cut_at_markers("é{}x{w}{*}", &["{*}", "{}", "{w}"]),
            (vec!["é", "x", "", ""], vec!["{}", "{w}", "{*}"])
        );
        assert_eq!(
            cut_at_markers("a{}b", &["{}", "{"]),
            (vec!["a", "}b"], vec!["{"])
        );
        assert_eq!(
            cut_at_markers("no slot", &["{}"]),
            (vec!["no slot"], vec![])
        );
    }

    /// The tables cut once match as the templates cut at each value did.
    #[test]
    fn cut_tables_follow_the_catalogue() {
        assert_eq!(phrases_cut().len(), PHRASES.len() + PARTS.len());
        assert_eq!(nested_cut().len(), REASONS.len() + PARTS.len());
        assert_eq!(notes_cut().len(), NOTES.len());
        for ((en, _), cut) in PHRASES.iter().chain(PARTS).zip(phrases_cut()) {
            // Each template, its slots filled with a word, is matched by its own cut.
            let value = en.replace("{,}", ", default").replace(['{', '}'], "");
            assert_eq!(matches(en, &value), cut.matches(&value), "{en}");
        }
    }

    /// Every entry has the same placeholders in both languages, no French in the English,
    /// and no two English forms are the same.
    #[test]
    fn the_catalogue_is_consistent() {
        // Evidence values share one namespace; change details have their own.
        let evidence: Vec<&(&str, &str)> = WORDS
            .iter()
            .chain(PHRASES)
            .chain(REASONS)
            .chain(PARTS)
            .collect();
        let changes: Vec<&(&str, &str)> = CHANGE_PHRASES.iter().chain(CHANGE_WORDS).collect();
        // Choices and notes only ever stand in their slots.
        let slots: Vec<&(&str, &str)> = CHOICES.iter().chain(NOTES).collect();
        for table in [evidence, changes, slots] {
            let mut seen = std::collections::BTreeSet::new();
            for (en, fr) in table {
                assert_eq!(split_template(en).1, split_template(fr).1, "{en}");
                assert!(
                    !en.chars().any(|c| "àâçéèêëîïôûùüÿœ«»".contains(c)),
                    "French in the English form {en}"
                );
                assert!(seen.insert(*en), "{en} twice");
            }
        }
    }
}
