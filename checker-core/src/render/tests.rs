//! Renderer tests: one graded report (the lab candidate) through every renderer.

use crate::i18n::Lang;
use crate::render::{
    Audience, RenderOptions, csv, html, junit, markdown, session_csv, session_html, terminal,
};
use crate::report::SessionSummary;
use crate::test_support::report;

fn opts(audience: Audience) -> RenderOptions {
    RenderOptions {
        lang: Lang::Fr,
        audience,
        color: false,
    }
}

#[test]
fn terminal_for_examiners() {
    insta::assert_snapshot!(terminal(&report(), &opts(Audience::Examiner)));
}

#[test]
fn terminal_for_learners_in_english_with_colour() {
    let o = RenderOptions {
        lang: Lang::En,
        audience: Audience::Learner,
        color: true,
    };
    insta::assert_snapshot!(terminal(&report(), &o));
}

#[test]
fn html_for_trainers() {
    let page = html(&report(), &opts(Audience::Trainer));
    assert!(page.contains("Candidate &lt;Douze&gt; &amp; Cie"));
    assert!(!page.contains("<Douze>"));
    insta::assert_snapshot!(page);
}

#[test]
fn markdown_for_learners_hides_expected_values() {
    let text = markdown(&report(), &opts(Audience::Learner));
    assert!(!text.contains("attendu"));
    insta::assert_snapshot!(text);
}

#[test]
fn csv_jury_grid() {
    insta::assert_snapshot!(csv(&report(), &opts(Audience::Examiner)));
}

#[test]
fn junit_xml() {
    insta::assert_snapshot!(junit(&report(), &opts(Audience::Examiner)));
}

#[test]
fn session_summary_and_renderers() {
    let mut other = report();
    other.candidate.id = "07".to_owned();
    other.candidate.name = None;
    let reports = vec![report(), other];
    let summary = SessionSummary::from_reports(&reports);
    insta::assert_snapshot!(format!(
        "{}\n{}",
        session_csv(&reports, &opts(Audience::Examiner)),
        session_html(&summary, &opts(Audience::Examiner))
    ));
}

#[test]
fn never_says_acquis_or_valide() {
    let r = report();
    for text in [
        terminal(&r, &opts(Audience::Examiner)),
        html(&r, &opts(Audience::Examiner)),
        markdown(&r, &opts(Audience::Examiner)),
    ] {
        let lower = text.to_lowercase();
        assert!(
            !lower.contains("acquis") && !lower.contains("validé"),
            "{text}"
        );
    }
}
