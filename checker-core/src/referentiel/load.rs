//! Loads the référentiels embedded from `checker-core/data/*.yaml`, once.

use super::model::Referentiel;
use std::sync::OnceLock;

const EMBEDDED: &[(&str, &str)] = &[
    ("tssr-2023.yaml", include_str!("../../data/tssr-2023.yaml")),
    ("tssr-2018.yaml", include_str!("../../data/tssr-2018.yaml")),
];

fn parse_all() -> Vec<Referentiel> {
    let options = serde_saphyr::options! { strict_booleans: true };
    EMBEDDED
        .iter()
        .filter_map(|(name, text)| {
            match serde_saphyr::from_str_with_options(text, options.clone()) {
                Ok(r) => Some(r),
                Err(error) => {
                    // The data is embedded and checked by tests; a broken file is a build bug.
                    debug_assert!(false, "embedded référentiel {name} is invalid: {error}");
                    None
                }
            }
        })
        .collect()
}

/// Every embedded référentiel, newest first.
pub fn all() -> &'static [Referentiel] {
    static ALL: OnceLock<Vec<Referentiel>> = OnceLock::new();
    ALL.get_or_init(parse_all)
}

/// The référentiel with this id (`tssr-2023`, `tssr-2018`).
pub fn get(id: &str) -> Option<&'static Referentiel> {
    all().iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referentiel::{CompetenceKind, Verifiability};

    #[test]
    fn embedded_files_parse() {
        for (name, text) in EMBEDDED {
            let parsed: Result<Referentiel, _> = serde_saphyr::from_str_with_options(
                text,
                serde_saphyr::options! { strict_booleans: true },
            );
            assert!(parsed.is_ok(), "{name}: {parsed:?}");
        }
        assert_eq!(all().len(), EMBEDDED.len());
    }

    #[test]
    fn tssr_2023_has_the_official_shape() {
        let r = get("tssr-2023").expect("tssr-2023 embedded");
        let cps: Vec<_> = r
            .competences
            .iter()
            .filter(|c| c.kind == CompetenceKind::Professionnelle)
            .collect();
        assert_eq!(r.ccps.len(), 2);
        assert_eq!(cps.len(), 9);
        assert_eq!(cps.iter().map(|c| c.criteres.len()).sum::<usize>(), 35);
        let all: usize = r.competences.iter().map(|c| c.criteres.len()).sum();
        assert_eq!(all, 47);
        let (_, k) = r.critere("tssr-2023/CP2/C1").expect("CP2/C1");
        assert_eq!(k.class, Verifiability::A);
        assert_eq!(
            &*k.text,
            "Les modifications dans l'annuaire correspondent à la demande."
        );
        for p in ["titre", "ccp1", "ccp2", "lab"] {
            assert!(r.profile(p).is_some(), "profile {p}");
        }
    }

    #[test]
    fn ids_are_unique_and_consistent() {
        for r in all() {
            let mut seen = std::collections::BTreeSet::new();
            for c in &r.competences {
                assert!(seen.insert(c.id.clone()), "duplicate {}", c.id);
                assert!(c.id.starts_with(&r.id));
                for k in &c.criteres {
                    assert!(seen.insert(k.id.clone()), "duplicate {}", k.id);
                    assert!(k.id.starts_with(&format!("{}/", c.id)), "{}", k.id);
                }
                if let Some(ccp) = &c.ccp {
                    let holder = r.ccp_of(&c.id).map(|x| &x.id);
                    assert_eq!(holder, Some(ccp), "{}", c.id);
                }
            }
            for p in &r.profiles {
                for cp in &p.scored {
                    assert!(r.competence(cp).is_some(), "{}: {cp}", p.id);
                }
            }
        }
    }

    #[test]
    fn tssr_2018_has_three_ccps_and_the_ccs() {
        let r = get("tssr-2018").expect("tssr-2018 embedded");
        assert_eq!(r.ccps.len(), 4);
        assert!(r.critere("tssr-2018/CCS/CP4/C3").is_some());
        assert_eq!(get("tssr-2023").map(|r| r.correspondences.len()), Some(3));
    }
}
