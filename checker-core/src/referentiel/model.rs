//! The référentiel model: CCP → compétences (CP, CT) → critères, with session profiles.

use serde::{Deserialize, Serialize};

/// One version of a titre professionnel (e.g. `tssr-2023`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referentiel {
    /// Stable id (`tssr-2023`).
    pub id: String,
    /// Official code (`TP-01351`).
    pub code: String,
    /// Millésime (`02`).
    pub millesime: String,
    /// Title of the titre professionnel.
    pub label: String,
    /// Certificats de compétences professionnelles, in official order.
    pub ccps: Vec<Ccp>,
    /// Professional and transversal competences, in official order.
    pub competences: Vec<Competence>,
    /// Session profiles: which CPs a session scores.
    pub profiles: Vec<Profile>,
    /// Official correspondence from the previous version's CCPs.
    #[serde(default)]
    pub correspondences: Vec<Correspondence>,
}

/// A CCP (activité type).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ccp {
    /// Stable id (`tssr-2023/CCP1`).
    pub id: String,
    /// Official title.
    pub title: String,
    /// Its compétences professionnelles.
    pub cps: Vec<String>,
}

/// Whether a competence is professional (in a CCP) or transversal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompetenceKind {
    /// A compétence professionnelle, scored under its CCP.
    Professionnelle,
    /// A compétence transversale, assessed through the professional ones.
    Transversale,
}

/// Evaluation modalities of the session du titre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Modality {
    /// Mise en situation professionnelle.
    #[serde(rename = "MSP")]
    Msp,
    /// Entretien technique.
    #[serde(rename = "ET")]
    Et,
    /// Questionnaire professionnel.
    #[serde(rename = "QP")]
    Qp,
    /// Questionnaire à partir de productions.
    #[serde(rename = "QPP")]
    Qpp,
}

/// A compétence (CP or CT).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competence {
    /// Stable id (`tssr-2023/CP3`), shared with the reports.
    pub id: std::sync::Arc<str>,
    /// Professional or transversal.
    pub kind: CompetenceKind,
    /// The CCP it belongs to (professional competences only).
    #[serde(default)]
    pub ccp: Option<String>,
    /// Official title.
    pub title: String,
    /// Modalities assessing it in the session du titre.
    pub modalities: Vec<Modality>,
    /// Its critères de performance, in official order.
    pub criteres: Vec<Critere>,
}

/// Whether a machine can check a critère.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Verifiability {
    /// Machine-checkable on the VMs.
    A,
    /// Partly machine-checkable, partly for the jury.
    #[serde(rename = "A+B")]
    AB,
    /// Evidence for the jury.
    B,
    /// Jury only.
    C,
}

impl Verifiability {
    /// The class as the référentiel writes it (`A+B`, not `AB`), for every renderer.
    pub fn label(self) -> &'static str {
        match self {
            Verifiability::A => "A",
            Verifiability::AB => "A+B",
            Verifiability::B => "B",
            Verifiability::C => "C",
        }
    }
}

/// A critère de performance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Critere {
    /// Stable id (`tssr-2023/CP3/C1`), shared with the reports.
    pub id: std::sync::Arc<str>,
    /// Verifiability class.
    pub class: Verifiability,
    /// Verbatim French text, shared with the reports.
    pub text: std::sync::Arc<str>,
    /// Remark on the source of the text, when it is not the usual one.
    #[serde(default)]
    pub note: Option<String>,
}

/// A session profile: the CPs its mise en situation scores.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short id used in packs and on the command line (`titre`, `ccp1`, `ccp2`, `lab`).
    pub id: String,
    /// French label.
    pub label: String,
    /// Competences scored; checks on other CPs are material for the entretien technique.
    pub scored: Vec<String>,
}

/// One row of the official correspondence table.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correspondence {
    /// CCPs of the previous version.
    pub from: Vec<String>,
    /// CCP of this version they give, if any.
    #[serde(default)]
    pub to: Option<String>,
    /// Remark (ambiguity, "Aucune correspondance").
    #[serde(default)]
    pub note: Option<String>,
}

impl Referentiel {
    /// The competence with this id.
    pub fn competence(&self, id: &str) -> Option<&Competence> {
        self.competences.iter().find(|c| &*c.id == id)
    }

    /// The critère with this id and the competence that holds it.
    pub fn critere(&self, id: &str) -> Option<(&Competence, &Critere)> {
        self.competences
            .iter()
            .find_map(|c| c.criteres.iter().find(|k| &*k.id == id).map(|k| (c, k)))
    }

    /// The profile with this id.
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The CCP holding a competence.
    pub fn ccp_of(&self, competence_id: &str) -> Option<&Ccp> {
        self.ccps
            .iter()
            .find(|c| c.cps.iter().any(|cp| cp == competence_id))
    }
}

impl Profile {
    /// Whether the profile scores this competence. Transversal competences are assessed
    /// through the professional ones, so they are in scope in every profile.
    pub fn scores(&self, competence: &Competence) -> bool {
        competence.kind == CompetenceKind::Transversale
            || self.scored.iter().any(|cp| **cp == *competence.id)
    }
}
