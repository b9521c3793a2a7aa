//! User-facing strings in French (default) and English (`--lang en`); [`catalogue`]: the
//! shape of the CLI's and the server's message tables.

pub mod catalogue;
pub mod one_language;
pub(crate) mod properties;

use crate::eval::Status;
use crate::report::HostStatus;
use crate::report::{
    ChangeKind, CoverageAssessment, CritereStatus, IdentityProperty, IdentityReference,
    IdentityWarning, Outcome,
};

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// French (default: candidates and juries are French).
    #[default]
    Fr,
    /// English.
    En,
}

/// Every fixed text of the renderers.
#[derive(Debug)]
pub(crate) struct Strings {
    pub(crate) report: &'static str,
    pub(crate) candidate: &'static str,
    pub(crate) pack: &'static str,
    pub(crate) profile: &'static str,
    pub(crate) graded_at: &'static str,
    pub(crate) hosts: &'static str,
    pub(crate) checks: &'static str,
    pub(crate) criteres: &'static str,
    pub(crate) competences: &'static str,
    pub(crate) total: &'static str,
    pub(crate) interview: &'static str,
    pub(crate) changes: &'static str,
    pub(crate) warnings: &'static str,
    pub(crate) disclaimer: &'static str,
    pub(crate) expected: &'static str,
    pub(crate) observed: &'static str,
    pub(crate) points: &'static str,
    pub(crate) coverage: &'static str,
    pub(crate) hint: &'static str,
    pub(crate) explanation: &'static str,
    pub(crate) unreachable: &'static str,
    // Host states (issue 18: refused ≠ unreachable).
    pub(crate) auth_refused: &'static str,
    pub(crate) sudo_refused: &'static str,
    pub(crate) collection_failed: &'static str,
    pub(crate) missing: &'static str,
    pub(crate) observed_host: &'static str,
    pub(crate) active: &'static str,
    pub(crate) coverage_title: &'static str,
    pub(crate) coverage_intro: &'static str,
    pub(crate) coverage_columns: [&'static str; 5],
    pub(crate) scored_yes: &'static str,
    pub(crate) scored_interview: &'static str,
    pub(crate) session: &'static str,
    pub(crate) session_label: &'static str,
    pub(crate) none: &'static str,
    pub(crate) columns: [&'static str; 5],
}

const FR: Strings = Strings {
    report: "Rapport de constat",
    candidate: "Candidat",
    pack: "Pack",
    profile: "Profil de session",
    graded_at: "Noté le",
    hosts: "Hôtes",
    checks: "Vérifications",
    criteres: "Critères de performance",
    competences: "Compétences",
    total: "Total indicatif",
    interview: "Éléments pour l'entretien technique",
    changes: "Changements pendant l'épreuve",
    warnings: "Avertissements",
    disclaimer: "Score indicatif — ne se substitue pas à l'appréciation du jury, qui seul décide.",
    expected: "attendu",
    observed: "observé",
    points: "pts",
    coverage: "vérifications évaluables",
    hint: "Indice",
    explanation: "Explication",
    unreachable: "injoignable",
    // Host states (issue 18: refused ≠ unreachable).
    auth_refused: "authentification refusée",
    sudo_refused: "sudo refusé",
    collection_failed: "collecte échouée",
    missing: "absent",
    observed_host: "observé",
    active: "test actif : exécute le script du candidat (avec --active-tests)",
    coverage_title: "Couverture des critères",
    coverage_intro: "Ce que les vérifications automatiques documentent et ce qui reste à évaluer par le jury, critère par critère (classes du référentiel : A vérifiable sur les machines, B preuves partielles, C jury seul).",
    coverage_columns: ["Critère", "Classe", "Noté", "Évaluation", "Vérifications"],
    scored_yes: "oui",
    scored_interview: "entretien technique",
    session: "Synthèse de session",
    session_label: "Session",
    none: "aucun",
    columns: ["rôle / hôte", "état", "section", "objet", "propriété"],
};

const EN: Strings = Strings {
    report: "constat report",
    candidate: "Candidate",
    pack: "Pack",
    profile: "Session profile",
    graded_at: "Graded at",
    hosts: "Hosts",
    checks: "Checks",
    criteres: "Performance criteria",
    competences: "Competences",
    total: "Indicative total",
    interview: "Material for the technical interview",
    changes: "Changes during the exam",
    warnings: "Warnings",
    disclaimer: "Indicative score — it does not replace the jury's judgement; the jury alone decides.",
    expected: "expected",
    observed: "observed",
    points: "pts",
    coverage: "assessable checks",
    hint: "Hint",
    explanation: "Explanation",
    unreachable: "unreachable",
    // Host states (issue 18: refused ≠ unreachable).
    auth_refused: "authentication refused",
    sudo_refused: "sudo refused",
    collection_failed: "collection failed",
    missing: "missing",
    observed_host: "observed",
    active: "active test: runs the candidate's script (with --active-tests)",
    coverage_title: "Coverage of the critères",
    coverage_intro: "What the automatic checks document and what the jury must assess, critère by critère (référentiel classes: A checkable on the machines, B partial evidence, C jury only).",
    coverage_columns: ["Critère", "Class", "Scored", "Assessment", "Checks"],
    scored_yes: "yes",
    scored_interview: "technical interview",
    session: "Session summary",
    session_label: "Session",
    none: "none",
    columns: ["role / host", "state", "section", "object", "property"],
};

impl Strings {
    /// Label of a host that gave no snapshot; `None` for an observed or missing host.
    pub(crate) fn host_failure(&self, status: HostStatus) -> Option<&'static str> {
        match status {
            HostStatus::Unreachable => Some(self.unreachable),
            HostStatus::AuthRefused => Some(self.auth_refused),
            HostStatus::SudoRefused => Some(self.sudo_refused),
            HostStatus::CollectionFailed => Some(self.collection_failed),
            HostStatus::Observed | HostStatus::Missing => None,
        }
    }
}

// one-language (issue 14 item 5): neutral evidence words and their display text.
impl Lang {
    /// A session profile's label (written in French in the référentiel data) in `self`.
    pub fn profile_label(self, label: &str) -> &str {
        const EN: &[(&str, &str)] = &[
            (
                "Session du titre professionnel (MSP : CP1 à CP6)",
                "Professional title session (MSP: CP1 to CP6)",
            ),
            (
                "Session du titre professionnel (MSP 2018)",
                "Professional title session (MSP 2018)",
            ),
            (
                "Session CCP1 (MSP : CP1 à CP4)",
                "CCP1 session (MSP: CP1 to CP4)",
            ),
            (
                "Session CCP2 (MSP : CP5 à CP7)",
                "CCP2 session (MSP: CP5 to CP7)",
            ),
            (
                "Session CCP2 (MSP : CP5 à CP9)",
                "CCP2 session (MSP: CP5 to CP9)",
            ),
            (
                "Session CCP3 (MSP : CP10 à CP12)",
                "CCP3 session (MSP: CP10 to CP12)",
            ),
            (
                "CCS Administrer les serveurs Linux (MSP)",
                "CCS Administer Linux servers (MSP)",
            ),
            (
                "Entraînement (toutes les compétences)",
                "Training (every competence)",
            ),
        ];
        match self {
            Lang::Fr => label,
            Lang::En => EN
                .iter()
                .find(|(fr, _)| *fr == label)
                .map_or(label, |(_, en)| en),
        }
    }

    /// The colon as the language writes it after a label: ` :` in French, `:` in English.
    pub fn colon(self) -> &'static str {
        match self {
            Lang::Fr => " :",
            Lang::En => ":",
        }
    }

    /// Opening and closing quotes around a quoted name: « » in French, “ ” in English.
    pub(crate) fn quotes(self) -> (&'static str, &'static str) {
        match self {
            Lang::Fr => ("« ", " »"),
            Lang::En => ("“", "”"),
        }
    }

    /// The display text of a neutral evidence value (`listening` → « en écoute »,
    /// `[a]; missing b` → « [a] ; manque b »), or `None` when `value` is not one (then it is
    /// shown as is). The catalogue is `eval::words`.
    pub fn word(self, value: &str) -> Option<String> {
        crate::eval::words::display(self, value)
    }

    /// `value` as a reader sees it: its display text when it is a neutral value.
    pub fn shown(self, value: &str) -> std::borrow::Cow<'_, str> {
        self.word(value)
            .map_or(std::borrow::Cow::Borrowed(value), std::borrow::Cow::Owned)
    }

    /// One of `report`'s warnings as a reader sees it: the French the report carries for it
    /// (`warnings_fr`, a pack diagnostic), else the catalogue's display, else as is.
    pub fn warning<'w>(
        self,
        report: &crate::report::Report,
        warning: &'w str,
    ) -> std::borrow::Cow<'w, str> {
        match (self, report.warnings_fr.get(warning)) {
            (Lang::Fr, Some(fr)) => std::borrow::Cow::Owned(fr.clone()),
            _ => self.shown(warning),
        }
    }
}

impl Lang {
    pub(crate) fn strings(self) -> &'static Strings {
        match self {
            Lang::Fr => &FR,
            Lang::En => &EN,
        }
    }

    /// Label of a check outcome.
    pub fn outcome(self, o: &Outcome) -> String {
        match (self, o) {
            (Lang::Fr, Outcome::Pass) => "réussi".to_owned(),
            (Lang::En, Outcome::Pass) => "pass".to_owned(),
            (Lang::Fr, Outcome::Partial { fraction }) => {
                format!("partiel ({:.0} %)", fraction * 100.0)
            }
            (Lang::En, Outcome::Partial { fraction }) => {
                format!("partial ({:.0} %)", fraction * 100.0)
            }
            (Lang::Fr, Outcome::Fail) => "échoué".to_owned(),
            (Lang::En, Outcome::Fail) => "fail".to_owned(),
            (Lang::Fr, Outcome::Skipped { .. }) => "non évaluée (prérequis non réussi)".to_owned(),
            (Lang::En, Outcome::Skipped { .. }) => {
                "not evaluated (prerequisite not met)".to_owned()
            }
            (Lang::Fr, Outcome::NotAssessable { .. }) => "non évaluable".to_owned(),
            (Lang::En, Outcome::NotAssessable { .. }) => "not assessable".to_owned(),
        }
    }

    /// Label of an evidence status.
    pub fn status(self, s: Status) -> &'static str {
        match (self, s) {
            (Lang::Fr, Status::Pass) => "conforme",
            (Lang::En, Status::Pass) => "ok",
            (Lang::Fr, Status::Fail) => "non conforme",
            (Lang::En, Status::Fail) => "not ok",
            (Lang::Fr, Status::NotAssessable) => "non évaluable",
            (Lang::En, Status::NotAssessable) => "not assessable",
        }
    }

    /// Label of a critère status.
    pub fn critere_status(self, s: CritereStatus) -> &'static str {
        match (self, s) {
            (Lang::Fr, CritereStatus::Indicative) => "indicatif",
            (Lang::En, CritereStatus::Indicative) => "indicative",
            (Lang::Fr, CritereStatus::ToConfirm) => "à confirmer par le jury",
            (Lang::En, CritereStatus::ToConfirm) => "to be confirmed by the jury",
            (Lang::Fr, CritereStatus::Jury) => "à évaluer par le jury",
            (Lang::En, CritereStatus::Jury) => "for the jury",
            (Lang::Fr, CritereStatus::Interview) => "entretien technique",
            (Lang::En, CritereStatus::Interview) => "technical interview",
        }
    }

    /// Label of a coverage assessment.
    pub fn coverage(self, a: CoverageAssessment) -> &'static str {
        match (self, a) {
            (Lang::Fr, CoverageAssessment::Machine) => "vérifié sur les machines",
            (Lang::En, CoverageAssessment::Machine) => "checked on the machines",
            (Lang::Fr, CoverageAssessment::MachineAndJury) => "preuves, à compléter par le jury",
            (Lang::En, CoverageAssessment::MachineAndJury) => "evidence, for the jury to complete",
            (Lang::Fr, CoverageAssessment::Jury) => "à évaluer par le jury",
            (Lang::En, CoverageAssessment::Jury) => "for the jury",
            (Lang::Fr, CoverageAssessment::Uncovered) => {
                "à évaluer par le jury (aucune vérification)"
            }
            (Lang::En, CoverageAssessment::Uncovered) => "for the jury (no check)",
        }
    }

    /// Label of a change kind.
    pub fn change(self, k: ChangeKind) -> &'static str {
        match (self, k) {
            (Lang::Fr, ChangeKind::Added) => "ajouté",
            (Lang::En, ChangeKind::Added) => "added",
            (Lang::Fr, ChangeKind::Removed) => "supprimé",
            (Lang::En, ChangeKind::Removed) => "removed",
            (Lang::Fr, ChangeKind::Modified) => "modifié",
            (Lang::En, ChangeKind::Modified) => "modified",
        }
    }
}

/// `0.75` → `75 %`; absent → `—`.
pub(crate) fn percent(p: Option<f64>) -> String {
    p.filter(|p| p.is_finite())
        .map_or_else(|| "—".to_owned(), |p| format!("{:.0} %", p * 100.0))
}

/// Points without useless decimals (`2`, `1.5`).
pub(crate) fn points(x: f64) -> String {
    if (x.fract()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}").trim_end_matches('0').to_owned()
    }
}

// Identity is evidence (issue 12, item 5): a host whose identity changed since the start or
// differs from the inventory's expectation.
impl Lang {
    /// Heading of the identity warnings.
    pub(crate) fn identity_title(self) -> &'static str {
        match self {
            Lang::Fr => "Identité des machines",
            Lang::En => "Host identity",
        }
    }

    /// Session summary column / marker.
    pub(crate) fn identity_column(self) -> &'static str {
        match self {
            Lang::Fr => "identité",
            Lang::En => "identity",
        }
    }

    /// Label of an identity property.
    pub fn identity_property(self, p: IdentityProperty) -> &'static str {
        match (self, p) {
            (Lang::Fr, IdentityProperty::Hostname) => "nom d'hôte",
            (Lang::En, IdentityProperty::Hostname) => "host name",
            (_, IdentityProperty::MachineId) => "machine-id",
            (Lang::Fr, IdentityProperty::Domain) => "domaine",
            (Lang::En, IdentityProperty::Domain) => "domain",
            (Lang::Fr, IdentityProperty::DomainSid) => "SID du domaine",
            (Lang::En, IdentityProperty::DomainSid) => "domain SID",
            (Lang::Fr, IdentityProperty::DomainController) => "contrôleur de domaine",
            (Lang::En, IdentityProperty::DomainController) => "domain controller",
        }
    }

    /// One warning in a few words, for a CSV cell (`linux : nom d'hôte (début)`).
    pub(crate) fn identity_short(self, w: &IdentityWarning) -> String {
        let against = match (self, w.reference) {
            (Lang::Fr, IdentityReference::Start) => "début",
            (Lang::En, IdentityReference::Start) => "start",
            (Lang::Fr, IdentityReference::Expected) => "inventaire",
            (Lang::En, IdentityReference::Expected) => "inventory",
        };
        let colon = if self == Lang::Fr { " :" } else { ":" };
        format!(
            "{}{colon} {} ({against})",
            w.role,
            self.identity_property(w.property)
        )
    }

    /// One warning as a sentence; `esc` escapes host text for the output format (role and
    /// values come from the inventory and the host).
    pub fn identity_line(self, w: &IdentityWarning, esc: &dyn Fn(&str) -> String) -> String {
        let value = |v: &Option<String>| match (self, v) {
            (Lang::Fr, Some(v)) => format!("« {} »", esc(v)),
            (Lang::En, Some(v)) => format!("“{}”", esc(v)),
            (Lang::Fr, None) => "inconnu".to_owned(),
            (Lang::En, None) => "unknown".to_owned(),
        };
        let (was, now) = (value(&w.expected), value(&w.observed));
        let role = esc(&w.role);
        let property = self.identity_property(w.property);
        match (self, w.reference) {
            (Lang::Fr, IdentityReference::Start) => {
                format!("Identité changée : {role} — {property} au début {was}, à la fin {now}")
            }
            (Lang::En, IdentityReference::Start) => format!(
                "Identity changed: {role} — {property} at the start {was}, at the end {now}"
            ),
            (Lang::Fr, IdentityReference::Expected) => format!(
                "Identité inattendue : {role} — {property} attendu (inventaire) {was}, observé {now}"
            ),
            (Lang::En, IdentityReference::Expected) => format!(
                "Unexpected identity: {role} — {property} expected (inventory) {was}, observed {now}"
            ),
        }
    }
}

// Result-first report and session summary (issue 14, items 1 and 2): the words of the new
// layout (result, what needs the jury, passed checks collapsed, annex, evidence in words).
/// Fixed texts of the result-first report and the session summary.
#[derive(Debug)]
pub(crate) struct ReportWords {
    pub(crate) result: &'static str,
    pub(crate) by_competence: &'static str,
    pub(crate) chart_label: &'static str,
    pub(crate) needs_jury: &'static str,
    pub(crate) nothing_for_jury: &'static str,
    pub(crate) jury_notes: &'static str,
    pub(crate) no_jury_notes: &'static str,
    pub(crate) hosts_not_observed: &'static str,
    pub(crate) failed_partial: &'static str,
    pub(crate) not_assessable: &'static str,
    pub(crate) not_evaluated: &'static str,
    pub(crate) passed: &'static str,
    pub(crate) looked_at: &'static str,
    pub(crate) verdict: &'static str,
    pub(crate) raw: &'static str,
    pub(crate) unused: &'static str,
    /// Before a `for_each` item shown beside an object that is not the item.
    pub(crate) for_item: &'static str,
    pub(crate) must_not_hold_ok: &'static str,
    pub(crate) must_not_hold_bad: &'static str,
    pub(crate) annex: &'static str,
    pub(crate) annex_intro: &'static str,
    pub(crate) out_of_profile: &'static str,
    pub(crate) counts: [&'static str; 5],
    pub(crate) value_at: &'static str,
    pub(crate) any_value: &'static str,
    pub(crate) matching: &'static str,
    pub(crate) report_link: &'static str,
    pub(crate) critere_grid: &'static str,
    pub(crate) critere_grid_intro: &'static str,
    pub(crate) host_status: &'static str,
    pub(crate) all_observed: &'static str,
    pub(crate) not_assessable_count: &'static str,
    pub(crate) legend: &'static str,
}

const FR_WORDS: ReportWords = ReportWords {
    result: "Résultat",
    by_competence: "Par compétence",
    chart_label: "Score indicatif par compétence",
    needs_jury: "À examiner par le jury",
    nothing_for_jury: "Rien à signaler : toutes les vérifications évaluables sont réussies.",
    jury_notes: "Notes du jury",
    no_jury_notes: "aucune note",
    hosts_not_observed: "Machines non relevées",
    failed_partial: "Vérifications échouées ou partielles",
    not_assessable: "Vérifications non évaluables (hors du calcul)",
    not_evaluated: "Vérifications non évaluées (prérequis non réussi)",
    passed: "Vérifications réussies",
    looked_at: "Ce qui a été regardé",
    verdict: "verdict",
    raw: "chemin brut",
    unused: "non utilisée (une autre possibilité suffit)",
    for_item: "pour l'élément",
    must_not_hold_ok: "absent, comme exigé",
    must_not_hold_bad: "présent alors qu'interdit",
    annex: "Annexe : critères à évaluer par le jury",
    annex_intro: "Critères du profil qu'aucune vérification automatique ne couvre : le jury les évalue lors de l'épreuve.",
    out_of_profile: "hors profil : éléments pour l'entretien technique",
    counts: [
        "réussies",
        "partielles",
        "échouées",
        "non évaluables",
        "non évaluées",
    ],
    value_at: "valeur relevée",
    any_value: "n'importe lequel",
    matching: "correspondant à",
    report_link: "rapport",
    critere_grid: "Grille candidats × critères",
    critere_grid_intro: "Seconde vue : le détail par critère (survoler l'en-tête pour son texte).",
    host_status: "Machines",
    all_observed: "toutes relevées",
    not_assessable_count: "non évaluables",
    legend: "Couleurs : ≥ 80 % vert, ≥ 50 % jaune, > 0 % orange, 0 % rouge, gris = rien d'évaluable.",
};

const EN_WORDS: ReportWords = ReportWords {
    result: "Result",
    by_competence: "By competence",
    chart_label: "Indicative score by competence",
    needs_jury: "For the jury to examine",
    nothing_for_jury: "Nothing to report: every assessable check passed.",
    jury_notes: "Jury notes",
    no_jury_notes: "no note",
    hosts_not_observed: "Hosts not observed",
    failed_partial: "Failed or partial checks",
    not_assessable: "Checks not assessable (left out of the score)",
    not_evaluated: "Checks not evaluated (prerequisite not met)",
    passed: "Passed checks",
    looked_at: "What was looked at",
    verdict: "verdict",
    raw: "raw path",
    unused: "not used (another alternative holds)",
    for_item: "for the item",
    must_not_hold_ok: "absent, as required",
    must_not_hold_bad: "present although forbidden",
    annex: "Annex: critères for the jury to assess",
    annex_intro: "Critères of the profile that no automatic check covers: the jury assesses them during the exam.",
    out_of_profile: "outside the profile: material for the technical interview",
    counts: [
        "passed",
        "partial",
        "failed",
        "not assessable",
        "not evaluated",
    ],
    value_at: "value read",
    any_value: "any",
    matching: "matching",
    report_link: "report",
    critere_grid: "Candidates × critères grid",
    critere_grid_intro: "Second view: the detail by critère (hover a header for its text).",
    host_status: "Hosts",
    all_observed: "all observed",
    not_assessable_count: "not assessable",
    legend: "Colours: ≥ 80 % green, ≥ 50 % yellow, > 0 % orange, 0 % red, grey = nothing assessable.",
};

impl Lang {
    /// Words of the result-first report and the session summary.
    pub(crate) fn words(self) -> &'static ReportWords {
        match self {
            Lang::Fr => &FR_WORDS,
            Lang::En => &EN_WORDS,
        }
    }

    /// « 35 critères à évaluer par le jury : voir annexe ».
    pub(crate) fn jury_criteres_line(self, n: usize) -> String {
        match (self, n) {
            (Lang::Fr, 1) => "1 critère à évaluer par le jury : voir l'annexe".to_owned(),
            (Lang::Fr, n) => format!("{n} critères à évaluer par le jury : voir l'annexe"),
            (Lang::En, 1) => "1 critère for the jury to assess: see the annex".to_owned(),
            (Lang::En, n) => format!("{n} critères for the jury to assess: see the annex"),
        }
    }

    /// Why a check was not evaluated: its prerequisites did not pass.
    pub(crate) fn prerequisites_line(self, ids: &str) -> String {
        match self {
            Lang::Fr => format!("prérequis non réussi : {ids}"),
            Lang::En => format!("prerequisite not met: {ids}"),
        }
    }

    /// What a snapshot section holds, as a noun for « what was looked at ».
    pub(crate) fn section_noun(self, section: &str) -> Option<&'static str> {
        let fr = match section {
            "users" => ("compte", "account"),
            "groups" => ("groupe", "group"),
            "files" => ("fichier", "file"),
            "sudo" => ("droit sudo de", "sudo right of"),
            "packages" => ("paquet", "package"),
            "services" => ("service", "service"),
            "listening" => ("port", "port"),
            "firewall" => ("pare-feu", "firewall"),
            "backups" => ("sauvegarde", "backup"),
            "scheduled_jobs" => ("tâche planifiée", "scheduled job"),
            "shares" => ("partage", "share"),
            "sshd" => ("SSH", "SSH"),
            "network" => ("réseau", "network"),
            "storage" => ("stockage", "storage"),
            "processes" => ("processus", "process"),
            "directory" => ("annuaire", "directory"),
            "gpos" => ("GPO", "GPO"),
            "appliance" => ("pare-feu matériel", "firewall appliance"),
            "supervision" => ("supervision", "monitoring"),
            "hypervisor" => ("hyperviseur", "hypervisor"),
            "helpdesk" => ("outil d'assistance", "helpdesk"),
            "package_repositories" => ("dépôt de paquets", "package repository"),
            "deployment" => ("déploiement", "deployment"),
            "script_runs" => ("script", "script"),
            "domain_membership" => ("appartenance au domaine", "domain membership"),
            "windows_features" => ("rôle Windows", "Windows feature"),
            "windows_updates" => ("mises à jour Windows", "Windows updates"),
            "wsus_client" => ("client WSUS", "WSUS client"),
            "wsus_server" => ("serveur WSUS", "WSUS server"),
            "dhcp_server" => ("serveur DHCP", "DHCP server"),
            "dns_server" => ("serveur DNS", "DNS server"),
            "windows_backup" => ("sauvegarde Windows", "Windows backup"),
            "rsop" => ("stratégie résultante (RSoP)", "resultant policy (RSoP)"),
            "profile_mappings" => ("profil", "profile"),
            "host" => ("machine", "host"),
            "ad" => ("annuaire", "directory"),
            _ => return None,
        };
        Some(match self {
            Lang::Fr => fr.0,
            Lang::En => fr.1,
        })
    }

    /// A property's display name (`logon_hours` → « horaires de connexion »), `None` when
    /// it has none (then it is shown as written). The table is `i18n/properties.rs`.
    pub(crate) fn property_words(self, section: &str, property: &str) -> Option<String> {
        properties::property_display(self, section, property)
    }

    /// A property as a reader sees it: its display name, else the key as written.
    pub fn property_name(self, section: &str, property: &str) -> String {
        self.property_words(section, property)
            .unwrap_or_else(|| property.to_owned())
    }
}

// Jury notes, waivers and decisions (issue 14 item 4, issue 19 item 6).
impl Lang {
    /// Heading of the jury notes.
    pub(crate) fn jury_notes_title(self) -> &'static str {
        match self {
            Lang::Fr => "Notes du jury",
            Lang::En => "Jury notes",
        }
    }

    /// Label of a jury verdict.
    pub fn jury_verdict(self, v: &crate::report::JuryVerdict) -> String {
        use crate::report::JuryVerdict;
        match (self, v) {
            (Lang::Fr, JuryVerdict::Pass) => "réussi".to_owned(),
            (Lang::En, JuryVerdict::Pass) => "pass".to_owned(),
            (Lang::Fr, JuryVerdict::Fail) => "échoué".to_owned(),
            (Lang::En, JuryVerdict::Fail) => "fail".to_owned(),
            (Lang::Fr, JuryVerdict::Partial { points: p }) => {
                format!("partiel ({} pts)", points(*p))
            }
            (Lang::En, JuryVerdict::Partial { points: p }) => {
                format!("partial ({} pts)", points(*p))
            }
        }
    }

    /// A check's verdict as the report shows it: the machine's, or what the jury made of it
    /// (« à vérifier par le jury », « neutralisé par le jury », « … (décision du jury) »).
    pub fn check_verdict(self, c: &crate::report::CheckResult) -> String {
        use crate::report::JuryMark;
        match (self, &c.jury) {
            (_, None) => self.outcome(&c.outcome),
            (Lang::Fr, Some(JuryMark::Pending)) => "à vérifier par le jury".to_owned(),
            (Lang::En, Some(JuryMark::Pending)) => "for the jury to check".to_owned(),
            (Lang::Fr, Some(JuryMark::Waived { .. })) => format!(
                "neutralisé par le jury (machine : {})",
                self.outcome(&c.outcome)
            ),
            (Lang::En, Some(JuryMark::Waived { .. })) => format!(
                "neutralised by the jury (machine: {})",
                self.outcome(&c.outcome)
            ),
            (Lang::Fr, Some(JuryMark::Decided { .. })) => {
                format!("{} (décision du jury)", self.outcome(&c.outcome))
            }
            (Lang::En, Some(JuryMark::Decided { .. })) => {
                format!("{} (jury decision)", self.outcome(&c.outcome))
            }
        }
    }

    /// One note as a line; `esc` escapes the recorded text for the output format.
    pub fn jury_note_line(
        self,
        n: &crate::report::JuryNote,
        esc: &dyn Fn(&str) -> String,
    ) -> String {
        let colon = if self == Lang::Fr { " :" } else { ":" };
        let mut line = format!(
            "{} — {}{colon} {}",
            esc(&n.at),
            esc(&n.author),
            esc(&n.text)
        );
        if !n.waive.is_empty() {
            let ids: Vec<String> = n.waive.iter().map(|w| esc(w)).collect();
            line.push_str(&match self {
                Lang::Fr => format!(" — neutralise : {}", ids.join(", ")),
                Lang::En => format!(" — neutralises: {}", ids.join(", ")),
            });
        }
        if !n.decide.is_empty() {
            let decisions: Vec<String> = n
                .decide
                .iter()
                .map(|d| format!("{} = {}", esc(&d.check), self.jury_verdict(&d.verdict)))
                .collect();
            line.push_str(&match self {
                Lang::Fr => format!(" — décide : {}", decisions.join(", ")),
                Lang::En => format!(" — decides: {}", decisions.join(", ")),
            });
        }
        line
    }
}
