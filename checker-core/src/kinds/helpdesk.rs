//! What the helpdesk kinds (`ticket`, `kb_article`) share: the exam window ("created during
//! the exam") and category names.

use crate::eval::host::HostView;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::time::{parse_rfc3339, rfc3339_utc};

/// Most items listed in one evidence line.
pub(crate) const MAX_LISTED: usize = 12;

/// From when an item counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Since {
    /// Any time.
    Always,
    /// The exam's start: the host's start-phase collection.
    ExamStart,
    /// A fixed instant (Unix seconds) the pack gives.
    At(i64),
}

/// Compiles `during_exam` and `since`.
pub(crate) fn compile_since(
    cx: &mut Compile<'_>,
    during_exam: bool,
    since: &Option<Sp<String>>,
) -> Option<Since> {
    let Some(at) = since else {
        return Some(if during_exam {
            Since::ExamStart
        } else {
            Since::Always
        });
    };
    let text = cx.text(at);
    match parse_rfc3339(&text) {
        Some(t) => Some(Since::At(t)),
        None => {
            cx.error(
                at,
                (
                    format!("date « {text} » illisible"),
                    format!("unreadable date \"{text}\""),
                ),
                Some((
                    "RFC 3339 attendu, avec le fuseau : 2026-06-12T08:00:00+02:00".to_owned(),
                    "RFC 3339 expected, with the offset: 2026-06-12T08:00:00+02:00".to_owned(),
                )),
            );
            None
        }
    }
}

/// The window's start (Unix seconds, `None` = any time), or why it is unknown.
pub(crate) fn window_start(since: Since, host: &HostView<'_>) -> Result<Option<i64>, String> {
    match since {
        Since::Always => Ok(None),
        Since::At(t) => Ok(Some(t)),
        Since::ExamStart => host.exam_start.map(Some).ok_or_else(|| {
            "exam start unknown: no start-phase collection of this host (collect it when the exam starts, or give since: in the pack)".to_owned()
        }),
    }
}

/// The window in words, for the expected side of an evidence line.
pub(crate) fn window_words(start: Option<i64>) -> String {
    match start {
        None => String::new(),
        Some(t) => format!(" since {}", rfc3339_utc(t)),
    }
}

/// Whether an RFC 3339 instant falls in the window; `None` when it is unknown (no instant:
/// the server's time offset was not known).
pub(crate) fn in_window(instant: Option<&str>, start: Option<i64>) -> Option<bool> {
    let Some(start) = start else {
        return Some(true);
    };
    instant.and_then(parse_rfc3339).map(|t| t >= start)
}

/// A category as asked: `any` = some category; else the complete name, or its last
/// component (`Imprimante` matches `Matériel > Imprimante`), case-insensitive.
pub(crate) fn category_matches(actual: &str, expected: &str) -> bool {
    if expected.eq_ignore_ascii_case("any") {
        return !actual.trim().is_empty();
    }
    let last = actual.rsplit('>').next().unwrap_or(actual).trim();
    actual.trim().to_lowercase() == expected.trim().to_lowercase()
        || last.to_lowercase() == expected.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without a start-phase collection the window is unknown: the reason is English in the
    /// model and French in a French report, in the evidence and in the not-assessable cause
    /// (`glpi (helpdesk): …`), issue 14.
    #[test]
    fn an_unknown_exam_start_reads_in_the_reports_language() {
        use crate::i18n::Lang;
        let snapshot = crate::kinds::testing::helpdesk_glpi();
        let zone = crate::eval::ExamZone::default();
        let host = HostView::new("glpi", &snapshot, None, &zone);
        let why = window_start(Since::ExamStart, &host).expect_err("no start");
        assert!(why.starts_with("exam start unknown: "), "{why}");
        for shown in [
            Lang::Fr.shown(&why).into_owned(),
            Lang::Fr
                .shown(&format!("glpi (helpdesk): {why}"))
                .into_owned(),
        ] {
            assert!(shown.contains("début de l'épreuve inconnu : "), "{shown}");
            assert!(!shown.contains("exam start"), "{shown}");
        }
        assert_eq!(Lang::En.shown(&why), why);
    }

    #[test]
    fn categories_match_by_complete_name_or_last_component() {
        assert!(category_matches("Matériel > Imprimante", "imprimante"));
        assert!(category_matches(
            "Matériel > Imprimante",
            "MATÉRIEL > imprimante"
        ));
        assert!(category_matches("Matériel > Imprimante", "any"));
        assert!(!category_matches("Matériel > Imprimante", "Matériel"));
        assert!(!category_matches(" ", "any"));
    }

    #[test]
    fn an_instant_is_in_the_window_from_its_start() {
        let start = parse_rfc3339("2022-07-25T11:00:00Z");
        assert_eq!(in_window(Some("2022-07-25T11:10:40Z"), start), Some(true));
        assert_eq!(in_window(Some("2022-07-25T10:59:59Z"), start), Some(false));
        assert_eq!(in_window(None, start), None);
        assert_eq!(in_window(None, None), Some(true));
    }
}
