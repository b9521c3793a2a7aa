//! The rule packs shipped with constat, embedded at compile time, and how they include
//! one another.

use constat_checker_core::pack::sources::{is_path, relative_to};
use constat_checker_core::pack::{
    Diagnostic, Pack, PackSources, SourceError, SourceText, load_with,
};

/// One pack shipped in the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedPack {
    /// The pack's `pack.id`.
    pub id: &'static str,
    /// File name under `checks/packs/` (used in diagnostics).
    pub file_name: &'static str,
    /// The YAML text.
    pub text: &'static str,
}

macro_rules! embedded {
    ($( $id:literal ),* $(,)?) => {
        &[$( EmbeddedPack {
            id: $id,
            file_name: concat!("checks/packs/", $id, ".yaml"),
            text: include_str!(concat!("../packs/", $id, ".yaml")),
        }, )*]
    };
}

static PACKS: &[EmbeddedPack] = embedded![
    "demo",
    "lab-cp1-helpdesk",
    "lab-cp2-windows",
    "lab-cp3-linux",
    "lab-cp4-network",
    "lab-cp5-gpo",
    "lab-cp5-supervision",
    "lab-cp6-scripts",
    "lab-cp7-firewall",
    "lab-cp7-appliance",
    "lab-cp8-backup",
    "lab-cp9-deploy",
    "tssr-2023-msp-titre",
    "tssr-2023-msp-ccp1",
    "tssr-2023-msp-ccp2",
];

/// Every embedded pack, in a stable order (demo first, then the labs by competence).
pub fn packs() -> &'static [EmbeddedPack] {
    PACKS
}

/// The embedded pack with this id.
pub fn find(id: &str) -> Option<&'static EmbeddedPack> {
    PACKS.iter().find(|p| p.id == id)
}

/// Resolves `include`/`extends` among the shipped packs: a pack id, or a path relative to
/// the including shipped file (`./tssr-2023-msp-ccp1.yaml`).
#[derive(Debug, Clone, Copy, Default)]
pub struct EmbeddedSources;

impl PackSources for EmbeddedSources {
    fn find(&self, from: &str, spec: &str) -> Result<SourceText, SourceError> {
        let found = if is_path(spec) {
            relative_to(from, spec).and_then(|path| PACKS.iter().find(|p| p.file_name == path))
        } else {
            find(spec)
        };
        found
            .map(|p| SourceText {
                name: p.file_name.to_owned(),
                text: p.text.to_owned(),
            })
            .ok_or_else(|| SourceError::NotFound {
                spec: spec.to_owned(),
                known: PACKS.iter().map(|p| p.id.to_owned()).collect(),
            })
    }
}

/// Loads a shipped pack, its includes resolved among the shipped packs.
pub fn load_embedded(pack: &EmbeddedPack) -> Result<Pack, Vec<Diagnostic>> {
    load_with(pack.file_name, pack.text, &EmbeddedSources)
}

#[cfg(test)]
mod tests {
    use super::*;
    use constat_checker_core::pack::render_diagnostics;

    #[test]
    fn every_embedded_pack_loads() {
        let mut failures = String::new();
        for p in packs() {
            match load_embedded(p) {
                Ok(pack) => assert_eq!(
                    pack.id, p.id,
                    "{}: pack.id differs from file name",
                    p.file_name
                ),
                Err(diags) => failures.push_str(&render_diagnostics(&diags)),
            }
        }
        assert!(failures.is_empty(), "invalid embedded packs:\n{failures}");
    }

    #[test]
    fn every_pack_points_to_the_schema() {
        for p in packs() {
            assert!(
                p.text.starts_with(
                    "# yaml-language-server: $schema=../../schemas/pack.schema.json\n"
                ),
                "{} must start with the schema modeline",
                p.file_name
            );
        }
    }

    #[test]
    fn find_by_id() {
        assert_eq!(
            find("demo").map(|p| p.file_name),
            Some("checks/packs/demo.yaml")
        );
        assert!(find("nope").is_none());
    }
}
