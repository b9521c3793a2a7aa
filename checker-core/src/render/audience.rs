//! The report as a reader may see it, for every format including JSON: a learner never gets
//! expected values nor examiner explanations, and neutral evidence words (`listening`,
//! `closed`) get their text in the reader's language beside them (`display`).

use crate::render::{Audience, RenderOptions};
use crate::report::Report;
use std::borrow::Cow;

/// `report` for `options.audience` in `options.lang`: what a JSON export (or any renderer)
/// may show. Learners: every evidence `expected` emptied (not serialized) and explanations
/// dropped; every audience: `display` set where a value is a neutral word.
pub fn for_reader(report: &Report, options: &RenderOptions) -> Report {
    let mut report = report.clone();
    for check in &mut report.checks {
        if !options.audience.shows_explanations() {
            check.explanation = None;
        }
        if options.audience == Audience::Examiner {
            check.hint = None;
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
    use crate::i18n::Lang;
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
}
