//! Référentiels as data: the official competence frameworks, embedded in the binary.

mod load;
mod model;

pub use load::{all, get};
pub use model::{
    Ccp, Competence, CompetenceKind, Correspondence, Critere, Modality, Profile, Referentiel,
    Verifiability,
};
