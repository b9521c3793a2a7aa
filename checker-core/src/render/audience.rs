//! The report as a reader may see it, for every format including JSON: a learner never gets
//! expected values nor examiner explanations, and neutral evidence words (`listening`,
//! `closed`) get their text in the reader's language beside them (`display`); in English the
//! pack author's English title, hint and explanation (`title_en`…) replace the French ones.

use crate::i18n::Lang;
use crate::render::{Audience, RenderOptions};
use crate::report::Report;
use std::borrow::Cow;

/// `report` for `options.audience` in `options.lang`: what a JSON export (or any renderer)
/// may show. Learners: every evidence `expected` emptied (not serialized) and explanations
/// dropped; every audience: `display` set where a value is a neutral word, and the author's
/// English forms (`title_en`, `hint_en`, `explanation_en`, the pack's `title_en`) in place of
/// the French ones in English (the `_en` fields are then cleared: one language at a time; a
/// French copy keeps them, so its JSON can still be rendered in English later).
pub fn for_reader(report: &Report, options: &RenderOptions) -> Report {
    let mut report = report.clone();
    if options.lang == Lang::En
        && let Some(title) = report.pack.title_en.take()
    {
        report.pack.title = title;
    }
    for check in &mut report.checks {
        if options.lang == Lang::En {
            if let Some(title) = check.title_en.take() {
                check.title = title;
            }
            if let Some(hint) = check.hint_en.take() {
                check.hint = Some(hint);
            }
            if let Some(explanation) = check.explanation_en.take() {
                check.explanation = Some(explanation);
            }
        }
        if !options.audience.shows_explanations() {
            check.explanation = None;
            check.explanation_en = None;
        }
        if options.audience == Audience::Examiner {
            check.hint = None;
            check.hint_en = None;
        }
        for evidence in &mut check.evidence {
            if !options.audience.shows_expected() {
                evidence.expected = Cow::Borrowed("");
            }
            let expected = options.lang.word(&evidence.expected);
            let actual = options.lang.word(&evidence.actual);
            evidence.display = (expected.is_some() || actual.is_some())
                .then_some(crate::eval::EvidenceDisplay { expected, actual });
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{csv, html, junit, markdown, terminal};
    use crate::test_support::report;

    /// Every expected value of the examiner's report that a learner must not see (values
    /// that are also observed somewhere are left out: they are the candidate's own state).
    fn secrets(report: &Report) -> Vec<String> {
        // What the learner may see anyway: observed values, section and property names.
        let observed: Vec<&str> = report
            .checks
            .iter()
            .flat_map(|c| {
                c.evidence
                    .iter()
                    .flat_map(|e| [&*e.actual, &*e.section, &*e.property, &*e.path])
            })
            .collect();
        let mut out: Vec<String> = report
            .checks
            .iter()
            .flat_map(|c| c.evidence.iter().map(|e| e.expected.to_string()))
            .filter(|e| e.len() > 3 && !observed.iter().any(|o| o.contains(e.as_str())))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Issue 14 item 6: the learner audience never contains expected values, in any format,
    /// JSON included (`constat --format json check --audience learner` printed 14).
    #[test]
    fn the_learner_sees_no_expected_value_in_any_format() {
        let full = report();
        let hidden = secrets(&full);
        assert!(
            !hidden.is_empty(),
            "the fixture has expected values to hide"
        );
        for lang in [Lang::Fr, Lang::En] {
            let options = RenderOptions {
                lang,
                audience: Audience::Learner,
                color: false,
            };
            let seen = for_reader(&full, &options);
            let outputs = [
                ("json", serde_json::to_string_pretty(&seen).unwrap()),
                ("terminal", terminal(&seen, &options)),
                ("html", html(&seen, &options)),
                ("markdown", markdown(&seen, &options)),
                ("csv", csv(&seen, &options)),
                ("junit", junit(&seen, &options)),
            ];
            for (format, text) in outputs {
                for value in &hidden {
                    assert!(
                        !text.contains(value.as_str()),
                        "{format} ({lang:?}) shows the expected value {value:?}"
                    );
                }
                assert!(!text.contains("\"expected\""), "{format}: {text}");
            }
        }
    }

    /// JSON values stay neutral words whatever the language; the display text is beside them.
    #[test]
    fn json_values_are_neutral_with_the_display_text_beside_them() {
        let full = report();
        let options = RenderOptions {
            lang: Lang::Fr,
            audience: Audience::Examiner,
            color: false,
        };
        let json = serde_json::to_value(for_reader(&full, &options)).unwrap();
        let port: Vec<&serde_json::Value> = json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["evidence"].as_array().unwrap())
            .filter(|e| e["section"] == "listening" && e["property"] == "listening")
            .collect();
        assert!(!port.is_empty());
        for e in port {
            assert_eq!(e["expected"], "listening", "{e}");
            assert_eq!(e["display"]["expected"], "en écoute", "{e}");
        }
    }

    /// Issue 14: in English the pack author's English title, hint and explanation replace
    /// the French ones (and are not repeated); in French nothing changes; a check without
    /// an English form keeps its French text.
    #[test]
    fn the_authors_english_forms_replace_the_french_ones_in_english_only() {
        let mut full = report();
        full.pack.title_en = Some("Lab pack".to_owned());
        let english = &mut full.checks[0];
        english.title_en = Some("The title".into());
        english.hint = Some("L'indice".into());
        english.hint_en = Some("The hint".into());
        english.explanation = Some("L'explication".into());
        english.explanation_en = Some("The explanation".into());
        assert!(full.checks[1].title_en.is_none());
        let (french_title, french_pack, other_title) = (
            full.checks[0].title.clone(),
            full.pack.title.clone(),
            full.checks[1].title.clone(),
        );
        let options = |lang, audience| RenderOptions {
            lang,
            audience,
            color: false,
        };

        let en = for_reader(&full, &options(Lang::En, Audience::Trainer));
        assert_eq!(en.pack.title, "Lab pack");
        assert_eq!(&*en.checks[0].title, "The title");
        assert_eq!(en.checks[0].hint.as_deref(), Some("The hint"));
        assert_eq!(en.checks[0].explanation.as_deref(), Some("The explanation"));
        assert_eq!(
            en.checks[1].title, other_title,
            "no English form: French kept"
        );
        assert!(en.pack.title_en.is_none());
        assert!(
            en.checks
                .iter()
                .all(|c| c.title_en.is_none() && c.hint_en.is_none() && c.explanation_en.is_none())
        );

        let fr = for_reader(&full, &options(Lang::Fr, Audience::Trainer));
        assert_eq!(fr.pack.title, french_pack);
        assert_eq!(fr.checks[0].title, french_title);
        assert_eq!(fr.checks[0].hint.as_deref(), Some("L'indice"));
        assert_eq!(fr.checks[0].explanation.as_deref(), Some("L'explication"));

        // What an audience may not see stays hidden in either language.
        for lang in [Lang::Fr, Lang::En] {
            let learner = for_reader(&full, &options(lang, Audience::Learner));
            assert!(learner.checks[0].explanation.is_none());
            assert!(learner.checks[0].explanation_en.is_none());
            let examiner = for_reader(&full, &options(lang, Audience::Examiner));
            assert!(examiner.checks[0].hint.is_none());
            assert!(examiner.checks[0].hint_en.is_none());
        }
    }
}
