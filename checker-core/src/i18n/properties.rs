//! Display names of evidence properties (issue 14): the model keeps the key (`logon_hours`,
//! `drives S`), a reader sees « horaires de connexion » / "logon hours", « lecteur S: »; the
//! raw key stays in the line's raw coordinates. A test walks every kind case
//! (`kinds/testing.rs`) so that a property a kind can write never ships without its names.

use crate::i18n::Lang;

/// `(section, key, French, English)`: `section` empty for any section, else only there
/// (read first). A key may hold `{}` slots for host or pack data (`software {}`), kept as is.
const PROPERTIES: &[(&str, &str, &str, &str)] = &[
    // Services first: `enabled` is "at boot" only there.
    (
        "services",
        "enabled",
        "activé au démarrage",
        "enabled at boot",
    ),
    ("services", "exists", "existe", "exists"),
    (
        "services",
        "application",
        "modification appliquée",
        "change applied",
    ),
    ("sudo", "command", "commande autorisée", "allowed command"),
    (
        "wsus_client",
        "policy",
        "stratégie Windows Update",
        "Windows Update policy",
    ),
    (
        "windows_backup",
        "policy",
        "stratégie de sauvegarde",
        "backup policy",
    ),
    ("storage", "member", "membre de la grappe", "array member"),
    ("storage", "state", "état de la grappe", "array state"),
    ("storage", "exists", "existe", "exists"),
    (
        "sshd",
        "advertised",
        "méthodes proposées",
        "methods offered",
    ),
    ("deployment", "application", "application", "application"),
    ("firewall", "enabled", "activé", "enabled"),
    ("firewall", "active", "actif", "active"),
    // Every section.
    ("", "exists", "existe", "exists"),
    ("", "installed", "installé", "installed"),
    ("", "running", "démarré", "running"),
    ("", "enabled", "activé", "enabled"),
    ("", "listening", "en écoute", "listening"),
    ("", "process", "programme qui écoute", "listening program"),
    (
        "",
        "external",
        "écoute hors de la boucle locale",
        "listens beyond loopback",
    ),
    ("", "members", "membres", "members"),
    (
        "",
        "members (nested)",
        "membres (imbriqués)",
        "members (nested)",
    ),
    ("", "groups", "groupes", "groups"),
    ("", "mode", "droits", "mode"),
    ("", "owner", "propriétaire", "owner"),
    ("", "group", "groupe propriétaire", "owning group"),
    ("", "kind", "type", "kind"),
    ("", "type", "type", "type"),
    ("", "acl", "ACL", "ACL"),
    ("", "policy", "politique par défaut", "default policy"),
    ("", "input", "trafic entrant", "incoming traffic"),
    ("", "persisted", "règles enregistrées", "rules saved"),
    ("", "active", "actif", "active"),
    (
        "",
        "changed",
        "créé pendant l'épreuve",
        "created during the exam",
    ),
    ("", "host", "machine relevée", "host observed"),
    ("", "section", "section relevée", "section collected"),
    ("", "command", "commande", "command"),
    ("", "job", "tâche de sauvegarde", "backup job"),
    ("", "archive", "archive", "archive"),
    ("", "last_archive", "dernière archive", "last archive"),
    ("", "restore_log", "journal de restauration", "restore log"),
    ("", "free_space", "espace libre", "free space"),
    ("", "schedule", "planification", "schedule"),
    ("", "scheduled", "planifié", "scheduled"),
    ("", "gateway", "passerelle", "gateway"),
    ("", "nameservers", "serveurs DNS", "name servers"),
    ("", "address", "adresse", "address"),
    ("", "route", "route", "route"),
    ("", "interface", "interface", "interface"),
    (
        "",
        "none must hold",
        "aucune ne doit tenir",
        "none must hold",
    ),
    (
        "",
        "none",
        "aucune possibilité interdite ne tient",
        "no forbidden alternative holds",
    ),
    (
        "",
        "alternatives that hold",
        "nombre de possibilités qui tiennent",
        "alternatives that hold",
    ),
    ("", "equals", "valeur relevée", "value read"),
    ("", "regex", "valeur relevée", "value read"),
    ("", "contains", "valeur relevée", "value read"),
    ("", "compare", "valeur relevée", "value read"),
    ("", "count", "valeur relevée", "value read"),
    ("", "selection", "comptes sélectionnés", "selected accounts"),
    (
        "",
        "member",
        "ce compte satisfait l'attente",
        "this account meets the expectation",
    ),
    (
        "",
        "member_expect",
        "attente construite pour ce compte",
        "expectation built for this account",
    ),
    (
        "",
        "quantifier",
        "comptes qui satisfont l'attente",
        "accounts meeting the expectation",
    ),
    ("", "home", "répertoire personnel", "home directory"),
    ("", "jury", "appréciation du jury", "jury's assessment"),
    // Accounts (local and directory).
    ("", "uid", "UID", "UID"),
    ("", "shell", "shell", "shell"),
    ("", "primary_group", "groupe principal", "primary group"),
    ("", "ou", "unité d'organisation", "organisational unit"),
    (
        "",
        "upn",
        "nom d'utilisateur principal (UPN)",
        "user principal name (UPN)",
    ),
    ("", "given_name", "prénom", "given name"),
    ("", "surname", "nom", "surname"),
    ("", "title", "titre", "title"),
    ("", "department", "service", "department"),
    ("", "description", "description", "description"),
    ("", "member_of", "membre de", "member of"),
    (
        "",
        "member_of (nested)",
        "membre de (imbriqué)",
        "member of (nested)",
    ),
    ("", "logon_hours", "horaires de connexion", "logon hours"),
    (
        "",
        "must_change_password",
        "changement du mot de passe imposé",
        "password change required",
    ),
    (
        "",
        "password_never_expires",
        "mot de passe sans expiration",
        "password never expires",
    ),
    ("", "home_directory", "dossier de base", "home folder"),
    (
        "",
        "home_drive",
        "lecteur du dossier de base",
        "home folder drive",
    ),
    ("", "profile_path", "chemin du profil", "profile path"),
    ("", "scope", "étendue", "scope"),
    (
        "",
        "block_inheritance",
        "héritage bloqué",
        "inheritance blocked",
    ),
    (
        "",
        "protected",
        "protégée contre la suppression",
        "protected from deletion",
    ),
    // Password policy.
    ("", "min_length", "longueur minimale", "minimum length"),
    ("", "complexity", "complexité", "complexity"),
    (
        "",
        "history_length",
        "historique des mots de passe",
        "password history",
    ),
    (
        "",
        "max_age_days",
        "durée de vie maximale (jours)",
        "maximum age (days)",
    ),
    (
        "",
        "lockout_threshold",
        "seuil de verrouillage",
        "lockout threshold",
    ),
    (
        "",
        "lockout_duration_minutes",
        "durée de verrouillage (minutes)",
        "lockout duration (minutes)",
    ),
    (
        "",
        "pso",
        "stratégie de mot de passe affinée (PSO)",
        "fine-grained password policy (PSO)",
    ),
    // GPOs.
    ("", "linked_to", "liée à", "linked to"),
    ("", "applies_to", "s'applique à", "applies to"),
    ("", "wmi_filter", "filtre WMI", "WMI filter"),
    (
        "",
        "user_enabled",
        "partie utilisateur activée",
        "user part enabled",
    ),
    (
        "",
        "computer_enabled",
        "partie ordinateur activée",
        "computer part enabled",
    ),
    (
        "",
        "locked_after",
        "verrouillage après inactivité",
        "locked after inactivity",
    ),
    ("", "forced_logoff", "déconnexion forcée", "forced logoff"),
    ("", "applied", "appliquée", "applied"),
    ("", "user", "utilisateur", "user"),
    ("", "registry {}", "registre {}", "registry {}"),
    (
        "",
        "security [{}] {}",
        "sécurité [{}] {}",
        "security [{}] {}",
    ),
    ("", "software {}", "logiciel {}", "software {}"),
    ("", "drives {}", "lecteur {}:", "drive {}:"),
    ("", "drive {}", "lecteur {}:", "drive {}:"),
    ("", "printer {}", "imprimante {}", "printer {}"),
    ("", "profile", "profil", "profile"),
    // Files, scripts and their runs.
    ("", "content", "contenu", "content"),
    ("", "not_content", "contenu interdit", "forbidden content"),
    ("", "same_as", "identique à", "same as"),
    (
        "",
        "requested",
        "demandé au collecteur",
        "requested from the collector",
    ),
    ("", "executable", "exécutable", "executable"),
    ("", "interpreter", "interpréteur", "interpreter"),
    ("", "header", "en-tête", "header"),
    ("", "header_marker", "marque d'en-tête", "header marker"),
    ("", "help", "aide intégrée", "built-in help"),
    ("", "run", "exécution", "run"),
    ("", "exit", "code de sortie", "exit code"),
    ("", "stdout", "sortie standard", "standard output"),
    ("", "creates", "fichier créé", "file created"),
    ("", "read ({})", "lecture ({})", "read ({})"),
    ("", "write ({})", "écriture ({})", "write ({})"),
    ("", "execute ({})", "exécution ({})", "execute ({})"),
    (
        "",
        "read (other accounts)",
        "lecture (autres comptes)",
        "read (other accounts)",
    ),
    (
        "",
        "write (other accounts)",
        "écriture (autres comptes)",
        "write (other accounts)",
    ),
    (
        "",
        "execute (other accounts)",
        "exécution (autres comptes)",
        "execute (other accounts)",
    ),
    // Shares.
    ("", "path", "chemin", "path"),
    ("", "protocol", "protocole", "protocol"),
    ("", "read_only", "lecture seule", "read only"),
    ("", "guest_ok", "accès invité", "guest access"),
    ("", "valid_users", "utilisateurs autorisés", "valid users"),
    ("", "write_list", "utilisateurs en écriture", "write list"),
    ("", "access (share)", "accès (partage)", "access (share)"),
    ("", "access (NTFS)", "accès (NTFS)", "access (NTFS)"),
    (
        "",
        "access (effective)",
        "accès (effectif)",
        "access (effective)",
    ),
    // Storage.
    ("", "mounted", "monté", "mounted"),
    ("", "fstab", "fstab", "fstab"),
    ("", "fstype", "système de fichiers", "file system"),
    ("", "label", "étiquette", "label"),
    ("", "level", "niveau RAID", "RAID level"),
    ("", "lv", "volume logique", "logical volume"),
    ("", "active_devices", "disques actifs", "active devices"),
    ("", "state", "état", "state"),
    // Firewalls.
    ("", "verdict", "verdict", "verdict"),
    ("", "rules", "règles", "rules"),
    ("", "direction", "sens", "direction"),
    ("", "action", "action", "action"),
    ("", "local_port", "port local", "local port"),
    ("", "remote_address", "adresse distante", "remote address"),
    (
        "",
        "default_inbound",
        "entrant par défaut",
        "default inbound",
    ),
    (
        "",
        "default_outbound",
        "sortant par défaut",
        "default outbound",
    ),
    // VPN, VLAN, VM.
    ("", "assigned", "affecté", "assigned"),
    ("", "endpoint", "extrémité", "endpoint"),
    ("", "local_networks", "réseaux locaux", "local networks"),
    ("", "remote_networks", "réseaux distants", "remote networks"),
    (
        "",
        "remote_gateway",
        "passerelle distante",
        "remote gateway",
    ),
    ("", "tunnel_network", "réseau du tunnel", "tunnel network"),
    ("", "cpus", "processeurs", "CPUs"),
    ("", "memory", "mémoire", "memory"),
    ("", "network", "réseau", "network"),
    ("", "status", "état", "status"),
    // DHCP and DNS.
    ("", "name", "nom", "name"),
    ("", "start", "début de la plage", "range start"),
    ("", "end", "fin de la plage", "range end"),
    ("", "mask", "masque", "mask"),
    ("", "lease_duration", "durée du bail", "lease duration"),
    (
        "",
        "router (option 3)",
        "routeur (option 3)",
        "router (option 3)",
    ),
    (
        "",
        "dns_servers (option 6)",
        "serveurs DNS (option 6)",
        "DNS servers (option 6)",
    ),
    (
        "",
        "dns_domain (option 15)",
        "domaine DNS (option 15)",
        "DNS domain (option 15)",
    ),
    ("", "option {}", "option {}", "option {}"),
    ("", "dns_updates", "mises à jour DNS", "DNS updates"),
    (
        "",
        "dns_updates.dynamic_updates",
        "mises à jour DNS dynamiques",
        "dynamic DNS updates",
    ),
    (
        "",
        "dns_updates.delete_on_lease_expiry",
        "suppression à l'expiration du bail",
        "deletion when the lease expires",
    ),
    (
        "",
        "dns_updates.name_protection",
        "protection du nom",
        "name protection",
    ),
    (
        "",
        "authorized (AD)",
        "autorisé dans AD",
        "authorised in AD",
    ),
    ("", "reservation", "réservation", "reservation"),
    ("", "mac", "adresse MAC", "MAC address"),
    ("", "zone", "zone", "zone"),
    ("", "records", "enregistrements", "records"),
    ("", "records {}", "enregistrements {}", "records {}"),
    ("", "reverse", "zone inverse", "reverse zone"),
    ("", "ad_integrated", "intégrée à AD", "AD-integrated"),
    (
        "",
        "dynamic_update",
        "mise à jour dynamique",
        "dynamic update",
    ),
    // Domain membership, WSUS, Windows.
    ("", "joined", "joint au domaine", "joined to the domain"),
    ("", "domain", "domaine", "domain"),
    ("", "secure_channel", "canal sécurisé", "secure channel"),
    ("", "computers", "ordinateurs", "computers"),
    (
        "",
        "approved_updates",
        "mises à jour approuvées",
        "approved updates",
    ),
    (
        "",
        "last_sync",
        "dernière synchronisation",
        "last synchronisation",
    ),
    ("", "target_groups", "groupes cibles", "target groups"),
    ("", "start_type", "type de démarrage", "start type"),
    ("", "os", "système", "operating system"),
    ("", "principal", "compte d'exécution", "run as"),
    ("", "trigger", "déclencheur", "trigger"),
    ("", "last_success", "dernière réussite", "last success"),
    ("", "sources", "sources", "sources"),
    ("", "targets", "destinations", "targets"),
    // Supervision and helpdesk.
    ("", "services", "services", "services"),
    ("", "resolved", "résolue", "resolved"),
    ("", "tickets", "tickets", "tickets"),
    ("", "qualified", "qualifiés", "qualified"),
    ("", "articles", "articles", "articles"),
    ("", "filed", "classé", "filed"),
    ("", "during_exam", "pendant l'épreuve", "during the exam"),
    // Package repositories and deployment.
    ("", "package", "paquet", "package"),
    ("", "version", "version", "version"),
    ("", "suite", "suite", "suite"),
    ("", "component", "composant", "component"),
    ("", "source", "source", "source"),
    (
        "",
        "served",
        "servi par un serveur web",
        "served by a web server",
    ),
    ("", "signed", "signé", "signed"),
    ("", "min_packages", "nombre de paquets", "package count"),
    ("", "task_sequence", "séquence de tâches", "task sequence"),
    ("", "boot_image", "image de démarrage", "boot image"),
    ("", "install_image", "image d'installation", "install image"),
    (
        "",
        "settings.{}",
        "CustomSettings.ini : {}",
        "CustomSettings.ini: {}",
    ),
    (
        "",
        "bootstrap.{}",
        "Bootstrap.ini : {}",
        "Bootstrap.ini: {}",
    ),
];

/// Sections whose other keys are names of the host's own settings (an sshd directive, a
/// WSUS client registry value): shown with a noun and the name as written.
const SETTINGS: &[(&str, &str, &str)] = &[
    ("sshd", "directive {}", "directive {}"),
    ("wsus_client", "valeur de registre {}", "registry value {}"),
];

/// The display name of `property` (written in `section`) in `lang`, `None` when it has none.
pub(crate) fn property_display(lang: Lang, section: &str, property: &str) -> Option<String> {
    let pick = |fr: &str, en: &str, parts: &[&str]| {
        let template = match lang {
            Lang::Fr => fr,
            Lang::En => en,
        };
        let mut out = String::new();
        let mut rest = template;
        let mut parts = parts.iter();
        while let Some(at) = rest.find("{}") {
            out.push_str(&rest[..at]);
            out.push_str(parts.next().copied().unwrap_or_default());
            rest = &rest[at + 2..];
        }
        out.push_str(rest);
        out
    };
    let scoped = PROPERTIES
        .iter()
        .filter(|(s, ..)| *s == section)
        .chain(PROPERTIES.iter().filter(|(s, ..)| s.is_empty()));
    for (_, key, fr, en) in scoped {
        if let Some(parts) = crate::eval::words::matches(key, property)
            && parts.iter().all(|p| !p.is_empty())
        {
            return Some(pick(fr, en, &parts));
        }
    }
    let (_, fr, en) = SETTINGS.iter().find(|(s, ..)| *s == section)?;
    let setting = !property.is_empty()
        && property
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '\\' || c == '_');
    setting.then(|| pick(fr, en, &[property]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_have_names_in_both_languages() {
        let both = |section, key| {
            (
                property_display(Lang::Fr, section, key),
                property_display(Lang::En, section, key),
            )
        };
        assert_eq!(
            both("directory", "logon_hours"),
            (
                Some("horaires de connexion".to_owned()),
                Some("logon hours".to_owned())
            )
        );
        assert_eq!(
            both("services", "enabled").0.as_deref(),
            Some("activé au démarrage")
        );
        assert_eq!(both("directory", "enabled").0.as_deref(), Some("activé"));
        assert_eq!(
            both("gpos", "drives S"),
            (Some("lecteur S:".to_owned()), Some("drive S:".to_owned()))
        );
        assert_eq!(
            both("directory", "software 7-Zip").0.as_deref(),
            Some("logiciel 7-Zip")
        );
        assert_eq!(
            both("sshd", "permitrootlogin").0.as_deref(),
            Some("directive permitrootlogin")
        );
        assert_eq!(
            both("wsus_client", "AU\\UseWUServer").1.as_deref(),
            Some("registry value AU\\UseWUServer")
        );
        // A key no kind writes has no name: the test of every kind case catches it.
        assert_eq!(both("users", "made_up").0, None);
        assert_eq!(both("sshd", "not a directive").0, None);
    }
}
