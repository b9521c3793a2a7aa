//! The pack author's own texts in the reader's language: the English form (`title_en`,
//! `description_en`, `hint_en`, `explanation_en`) for an English reader where the author
//! wrote one, the French form otherwise. Every place a pack's text reaches a reader outside a
//! report (`constat explain`, the generated pack pages, the class grid) reads it through
//! here; a report's copy is swapped by `render::for_reader` with the same rule ([`in_lang`]).

use crate::i18n::Lang;
use crate::pack::{CheckMeta, Pack, Variable};

/// `en` for an English reader when written, else `fr`: one language at a time (a French
/// reader never gets the English form, even where no French one exists).
pub fn in_lang<'a>(lang: Lang, fr: Option<&'a str>, en: Option<&'a str>) -> Option<&'a str> {
    match (lang, en) {
        (Lang::En, Some(en)) => Some(en),
        _ => fr,
    }
}

impl Pack {
    /// The pack's title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &str {
        in_lang(lang, Some(&self.title), self.title_en.as_deref()).unwrap_or_default()
    }

    /// The pack's description in `lang`, when written.
    pub fn description_in(&self, lang: Lang) -> Option<&str> {
        in_lang(
            lang,
            self.description.as_deref(),
            self.description_en.as_deref(),
        )
    }

    /// A host role's description in `lang`, when written (included roles keep theirs).
    pub fn host_description_in(&self, role: &str, lang: Lang) -> Option<&str> {
        in_lang(
            lang,
            self.host_descriptions.get(role).map(String::as_str),
            self.host_descriptions_en.get(role).map(String::as_str),
        )
    }
}

impl CheckMeta {
    /// The check's title in `lang`.
    pub fn title_in(&self, lang: Lang) -> &str {
        in_lang(lang, Some(&self.title), self.title_en.as_deref()).unwrap_or_default()
    }

    /// The check's hint in `lang`, when written.
    pub fn hint_in(&self, lang: Lang) -> Option<&str> {
        in_lang(lang, self.hint.as_deref(), self.hint_en.as_deref())
    }

    /// The check's explanation in `lang`, when written.
    pub fn explanation_in(&self, lang: Lang) -> Option<&str> {
        in_lang(
            lang,
            self.explanation.as_deref(),
            self.explanation_en.as_deref(),
        )
    }
}

impl Variable {
    /// The variable's description in `lang`, when written.
    pub fn description_in(&self, lang: Lang) -> Option<&str> {
        in_lang(
            lang,
            self.description.as_deref(),
            self.description_en.as_deref(),
        )
    }
}

/// A French text of a pack without its English form: `place` is `pack`, `host ROLE`,
/// `variable NAME`, `check ID` or `override ID`; `field` the missing one (`title_en`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslated {
    /// Where the French text is.
    pub place: String,
    /// The English field it lacks.
    pub field: &'static str,
}

impl Pack {
    /// The French texts this pack writes that have no English form, in pack order: an
    /// English reader would see them in French. Included checks answer for themselves in
    /// their own pack; only what this pack's `overrides:` changed is this pack's.
    pub fn untranslated(&self) -> Vec<Untranslated> {
        let mut out = Vec::new();
        let mut missing = |place: String, fr: bool, en: bool, field: &'static str| {
            if fr && !en {
                out.push(Untranslated { place, field });
            }
        };
        missing("pack".to_owned(), true, self.title_en.is_some(), "title_en");
        missing(
            "pack".to_owned(),
            self.description.is_some(),
            self.description_en.is_some(),
            "description_en",
        );
        for role in self.hosts.keys() {
            missing(
                format!("host {role}"),
                self.host_descriptions.contains_key(role),
                self.host_descriptions_en.contains_key(role),
                "description_en",
            );
        }
        for (name, v) in &self.variables {
            missing(
                format!("variable {name}"),
                v.description.is_some(),
                v.description_en.is_some(),
                "description_en",
            );
        }
        for c in self.checks() {
            let fields = [
                ("title", true, c.title_en.is_some(), "title_en"),
                ("hint", c.hint.is_some(), c.hint_en.is_some(), "hint_en"),
                (
                    "explanation",
                    c.explanation.is_some(),
                    c.explanation_en.is_some(),
                    "explanation_en",
                ),
            ];
            match &c.origin {
                None => {
                    for (_, fr, en, field) in fields {
                        missing(format!("check {}", c.id), fr, en, field);
                    }
                }
                Some(origin) => {
                    // An override of the French text must override the English one too, or
                    // the English reader gets the included check's older text.
                    let changed = |f: &str| origin.overridden.iter().any(|(x, _)| x == f);
                    for (fr_field, _, _, field) in fields {
                        missing(
                            format!("override {}", c.id),
                            changed(fr_field),
                            changed(field),
                            field,
                        );
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACK: &str = "\
pack:
  id: p
  title: Titre
  title_en: Title
  referentiel: tssr-2023
  profile: lab
  description: La description
  description_en: The description
variables:
  who: {default: root, description: compte, description_en: account}
  plain: {default: x, description: seul}
hosts:
  linux: {os: linux, description: Serveur, description_en: Server}
  other: {os: linux, description: Autre}
checks:
  - id: c
    title: Comptes
    title_en: Accounts
    criteres: [tssr-2023/CP3/C1]
    hosts: [linux]
    hint: Indice
    hint_en: Hint
    explanation: Pourquoi
    expect:
      user: {name: root}
";

    /// English where written for an English reader, French otherwise, never English in
    /// French.
    #[test]
    fn every_pack_text_is_read_in_one_language() {
        let pack = crate::pack::load("p.yaml", PACK).unwrap();
        assert_eq!(pack.title_in(Lang::Fr), "Titre");
        assert_eq!(pack.title_in(Lang::En), "Title");
        assert_eq!(pack.description_in(Lang::Fr), Some("La description"));
        assert_eq!(pack.description_in(Lang::En), Some("The description"));
        assert_eq!(pack.host_description_in("linux", Lang::Fr), Some("Serveur"));
        assert_eq!(pack.host_description_in("linux", Lang::En), Some("Server"));
        assert_eq!(pack.host_description_in("other", Lang::En), Some("Autre"));
        assert_eq!(pack.host_description_in("none", Lang::En), None);
        assert_eq!(
            pack.variables["who"].description_in(Lang::En),
            Some("account")
        );
        assert_eq!(
            pack.variables["who"].description_in(Lang::Fr),
            Some("compte")
        );
        assert_eq!(
            pack.variables["plain"].description_in(Lang::En),
            Some("seul")
        );
        let c = pack.checks().next().unwrap();
        assert_eq!(c.title_in(Lang::En), "Accounts");
        assert_eq!(c.title_in(Lang::Fr), "Comptes");
        assert_eq!(c.hint_in(Lang::En), Some("Hint"));
        assert_eq!(c.explanation_in(Lang::En), Some("Pourquoi"));
        assert_eq!(in_lang(Lang::Fr, None, Some("English")), None);
    }

    /// Every French text without its English form is named, an override's included.
    #[test]
    fn untranslated_texts_are_named_with_their_place_and_field() {
        let pack = crate::pack::load("p.yaml", PACK).unwrap();
        let found: Vec<String> = pack
            .untranslated()
            .iter()
            .map(|u| format!("{}: {}", u.place, u.field))
            .collect();
        assert_eq!(
            found,
            [
                "host other: description_en",
                "variable plain: description_en",
                "check c: explanation_en"
            ]
        );
    }

    /// A misspelt English field is an unknown field with the right one suggested, on the
    /// pack, a role and a variable alike.
    #[test]
    fn a_misspelt_english_field_is_caught_with_a_suggestion() {
        for (from, to) in [
            ("  description_en: The", "  descripton_en: The"),
            (
                "description: Serveur, description_en:",
                "description: Serveur, descriptio_en:",
            ),
            (
                "description: compte, description_en:",
                "description: compte, description_eng:",
            ),
        ] {
            let text = PACK.replace(from, to);
            assert_ne!(text, PACK, "{from}");
            let diags = crate::pack::load("p.yaml", &text).unwrap_err();
            let shown = crate::pack::render_diagnostics_in(&diags, Lang::En);
            assert!(shown.contains("unknown field"), "{shown}");
            assert!(shown.contains("did you mean \"description_en\""), "{shown}");
        }
    }

    /// A pack that includes another keeps the included roles' descriptions in both
    /// languages, and a variable redeclared without a description keeps the included one's.
    #[test]
    fn included_roles_and_variables_keep_their_english_descriptions() {
        use crate::pack::sources::SourceText;
        struct One;
        impl crate::pack::PackSources for One {
            fn find(
                &self,
                _from: &str,
                spec: &str,
            ) -> Result<SourceText, crate::pack::SourceError> {
                assert_eq!(spec, "base");
                Ok(SourceText {
                    name: "base.yaml".to_owned(),
                    text: PACK.replace("id: p", "id: base"),
                })
            }
        }
        let text = "\
pack: {id: top, title: Haut, referentiel: tssr-2023, profile: lab}
variables:
  who: {default: root}
checks:
  - include: base
";
        let pack = crate::pack::load_with("top.yaml", text, &One).unwrap();
        assert_eq!(pack.host_description_in("linux", Lang::En), Some("Server"));
        let with_override = format!(
            "{text}overrides:\n  c: {{title: Autre titre, hint: Autre indice, hint_en: Other hint}}\n"
        );
        let overridden = crate::pack::load_with("top.yaml", &with_override, &One).unwrap();
        let found: Vec<String> = overridden
            .untranslated()
            .iter()
            .filter(|u| u.place.starts_with("override"))
            .map(|u| format!("{}: {}", u.place, u.field))
            .collect();
        assert_eq!(found, ["override c: title_en"]);
        assert_eq!(pack.host_description_in("linux", Lang::Fr), Some("Serveur"));
        assert_eq!(
            pack.variables["who"].description_in(Lang::En),
            Some("account")
        );
    }
}
