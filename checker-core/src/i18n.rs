//! User-facing strings in French (default) and English (`--lang en`).

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
    pub(crate) jury: &'static str,
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
    pub(crate) requires: &'static str,
    pub(crate) active: &'static str,
    pub(crate) coverage_title: &'static str,
    pub(crate) coverage_intro: &'static str,
    pub(crate) coverage_columns: [&'static str; 5],
    pub(crate) scored_yes: &'static str,
    pub(crate) scored_interview: &'static str,
    pub(crate) session: &'static str,
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
    jury: "À évaluer par le jury",
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
    requires: "prérequis non satisfait",
    active: "test actif : exécute le script du candidat (avec --active-tests)",
    coverage_title: "Couverture des critères",
    coverage_intro: "Ce que les vérifications automatiques documentent et ce qui reste à évaluer par le jury, critère par critère (classes du référentiel : A vérifiable sur les machines, B preuves partielles, C jury seul).",
    coverage_columns: ["Critère", "Classe", "Noté", "Évaluation", "Vérifications"],
    scored_yes: "oui",
    scored_interview: "entretien technique",
    session: "Synthèse de session",
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
    jury: "For the jury to assess",
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
    requires: "prerequisite not met",
    active: "active test: runs the candidate's script (with --active-tests)",
    coverage_title: "Coverage of the critères",
    coverage_intro: "What the automatic checks document and what the jury must assess, critère by critère (référentiel classes: A checkable on the machines, B partial evidence, C jury only).",
    coverage_columns: ["Critère", "Class", "Scored", "Assessment", "Checks"],
    scored_yes: "yes",
    scored_interview: "technical interview",
    session: "Session summary",
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
            (Lang::Fr, Outcome::Skipped { .. }) => "ignoré".to_owned(),
            (Lang::En, Outcome::Skipped { .. }) => "skipped".to_owned(),
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
