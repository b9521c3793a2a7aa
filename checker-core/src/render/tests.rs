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

/// A report whose host-derived strings (candidate name from a CSV, hostname, unreachable
/// cause, evidence, changes) carry escape sequences, bidi overrides, Markdown/HTML structure
/// and a CSV formula.
fn hostile_report() -> crate::report::Report {
    const H: &str = "=HYPERLINK(\"http://e\")\u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]0;x\u{7}\u{9b}1m\u{202e}txt.exe\u{2066}|#`<b>[l](u)\r\n\0";
    let mut r = report();
    r.candidate.name = Some(H.to_owned());
    for h in &mut r.hosts {
        h.hostname = Some(H.to_owned());
        h.cause = Some(H.to_owned());
    }
    r.hosts.push(crate::report::HostInfo {
        status: crate::report::HostStatus::Unreachable,
        role: "dc".to_owned(),
        cause: Some(H.to_owned()),
        hostname: None,
        os: None,
        observed_at: None,
        start_observed_at: None,
        identity_compared: Vec::new(),
    });
    r.identity_warnings.push(crate::report::IdentityWarning {
        role: H.to_owned(),
        property: crate::report::IdentityProperty::Hostname,
        reference: crate::report::IdentityReference::Start,
        expected: Some(H.to_owned()),
        observed: Some(H.to_owned()),
    });
    for c in &mut r.checks {
        c.outcome = crate::report::Outcome::Fail;
        for e in &mut c.evidence {
            e.path = H.to_owned();
            e.actual = H.to_owned().into();
            e.status = crate::eval::Status::Fail;
        }
    }
    r.changes.push(crate::report::HostChanges {
        role: "linux".to_owned(),
        changes: vec![crate::report::Change {
            section: "scheduled_jobs".to_owned(),
            item: H.to_owned(),
            kind: crate::report::ChangeKind::Added,
            detail: H.to_owned(),
        }],
    });
    r.warnings.push(H.to_owned());
    r
}

/// Hostile strings through every renderer: no raw control character (but the line breaks
/// the renderer itself writes) and no bidi override reaches any output; Markdown tables
/// keep their columns; CSV cells are formula-guarded. Snapshot: the lines that carry them.
#[test]
fn hostile_strings_through_every_renderer() {
    let r = hostile_report();
    let o = opts(Audience::Examiner);
    let summary = SessionSummary::from_reports(std::slice::from_ref(&r));
    let outputs = [
        ("terminal", terminal(&r, &o)),
        ("markdown", markdown(&r, &o)),
        ("csv", csv(&r, &o)),
        ("session_csv", session_csv(std::slice::from_ref(&r), &o)),
        ("html", html(&r, &o)),
        ("session_html", session_html(&summary, &o)),
        ("junit", junit(&r, &o)),
    ];
    let mut shown = String::new();
    for (name, text) in &outputs {
        for c in text.chars() {
            assert!(
                c == '\n' || !crate::render::escape::is_control(c),
                "{name}: raw {c:?} in output"
            );
        }
        shown.push_str(&format!("== {name}\n"));
        for line in text.lines().filter(|l| l.contains("HYPERLINK")).take(4) {
            shown.push_str(line);
            shown.push('\n');
        }
    }
    let md = &outputs[1].1;
    for line in md.lines().filter(|l| l.starts_with("| linux |")) {
        assert_eq!(line.matches(" | ").count(), 5, "{line}");
    }
    for line in outputs[2].1.lines().skip(1) {
        assert!(line.contains(";\"'=HYPERLINK("), "{line}");
    }
    insta::assert_snapshot!(shown);
}

/// A candidate whose end snapshot is another machine's (host name and machine-id differ from
/// the start) and whose inventory expected yet another name: the warnings come first.
#[test]
fn identity_warnings_come_first_in_every_report() {
    use crate::eval::{CandidateInput, ExpectedIdentity, Observed};
    let mut input: CandidateInput = crate::test_support::candidate();
    if let Some(h) = input.hosts.get_mut("linux")
        && let Observed::Snapshot(s) = &mut h.end
    {
        s.host.hostname = "srv-b".to_owned();
        s.host.machine_id = Some("fedcba9876543210fedcba9876543210".to_owned());
    }
    input.expected_identity.insert(
        "linux".to_owned(),
        ExpectedIdentity {
            hostname: Some("srv-a".to_owned()),
            machine_id: None,
        },
    );
    let r = crate::grade(
        &crate::test_support::lab_pack(),
        &input,
        &crate::test_support::options(),
    );
    let en = RenderOptions {
        lang: Lang::En,
        ..opts(Audience::Examiner)
    };
    let head = |text: String| text.lines().take(20).collect::<Vec<_>>().join("\n");
    let summary = SessionSummary::from_reports(std::slice::from_ref(&r));
    let grid = session_html(&summary, &opts(Audience::Examiner));
    let row = grid
        .lines()
        .find(|l| l.starts_with("<tr><td><a href=\"12.html\""))
        .unwrap_or_default();
    let cell = row.rsplit("<td").next().unwrap_or_default();
    insta::assert_snapshot!(format!(
        "{}\n\n{}\n\n{}\n\n{}\n\n{}\n\n{}",
        serde_json::to_string_pretty(&r.identity_warnings).expect("json"),
        head(terminal(&r, &opts(Audience::Examiner))),
        head(terminal(&r, &en)),
        head(markdown(&r, &opts(Audience::Examiner))),
        cell,
        csv(&r, &opts(Audience::Examiner))
            .lines()
            .nth(1)
            .unwrap_or_default()
    ));
}

/// A candidate whose host gave no snapshot: the session summary says which host, which
/// state (refused sudo, not "unreachable") and the cause, escaped, instead of a bare 0 / 0.
#[test]
fn the_session_summary_names_failed_hosts_and_their_cause() {
    use crate::eval::{CandidateInput, HostFailure, Observed};
    let mut input: CandidateInput = crate::test_support::candidate();
    if let Some(h) = input.hosts.get_mut("linux") {
        h.end = Observed::Failed {
            failure: HostFailure::SudoRefused,
            cause: "sudo: exam is not in the sudoers file <b>\u{1b}[2J".to_owned(),
        };
    }
    let r = crate::grade(
        &crate::test_support::lab_pack(),
        &input,
        &crate::test_support::options(),
    );
    let summary = SessionSummary::from_reports(std::slice::from_ref(&r));
    let grid = session_html(&summary, &opts(Audience::Examiner));
    let row = grid
        .lines()
        .find(|l| l.starts_with("<tr><td><a href=\"12.html\""))
        .unwrap_or_default();
    let cells: Vec<&str> = row.rsplit("<td").take(3).collect();
    insta::assert_snapshot!(format!(
        "{}\n\n{}",
        serde_json::to_string_pretty(&summary.rows[0].host_problems).expect("json"),
        cells.join("\n")
    ));
}

/// Every score has a colour in the summary, 0 % included; each row links to the candidate's
/// report beside the summary (id percent-encoded); `<html lang>` is set.
#[test]
fn the_session_summary_colours_every_score_and_links_reports() {
    let mut zero = report();
    zero.candidate.id = "c 07/..".to_owned();
    zero.total.earned = 0.0;
    zero.total.percent = Some(0.0);
    for cp in &mut zero.competences {
        cp.score.earned = 0.0;
        cp.score.percent = cp.score.percent.map(|_| 0.0);
    }
    let summary = SessionSummary::from_reports(&[report(), zero]);
    let page = session_html(&summary, &opts(Audience::Examiner));
    assert!(page.contains("<html lang=\"fr\">"));
    let row = page
        .lines()
        .find(|l| l.contains("href=\"c%2007%2F...html\""))
        .expect("row of the 0 % candidate links its report");
    assert!(row.contains("class=\"num s-zero\">0 / 16 (0 %)"), "{row}");
    assert!(!row.contains("s-none"), "{row}");
    let en = RenderOptions {
        lang: Lang::En,
        ..opts(Audience::Examiner)
    };
    assert!(session_html(&summary, &en).contains("<html lang=\"en\">"));
}

// Exports for the jury's tools (issue 14 item 3): French and international jury.csv, the
// Moodle gradebook, JUnit for a session.

/// Two candidates: the lab report and one whose `dc` host was unreachable.
fn two_candidates() -> Vec<crate::report::Report> {
    let mut other = report();
    other.candidate.id = "c02".to_owned();
    other.candidate.name = Some("Zoé Martin".to_owned());
    other.hosts.push(crate::report::HostInfo {
        status: crate::report::HostStatus::SudoRefused,
        role: "dc".to_owned(),
        cause: Some("c02 is not in the sudoers file".to_owned()),
        hostname: None,
        os: None,
        observed_at: None,
        start_observed_at: None,
        identity_compared: Vec::new(),
    });
    vec![report(), other]
}

#[test]
fn jury_csv_french_form_parses_back_with_semicolons_and_bom() {
    use crate::render::{CsvDialect, session_csv_with};
    let reports = two_candidates();
    let text = session_csv_with(&reports, &opts(Audience::Examiner), CsvDialect::French);
    assert!(text.starts_with('\u{feff}'), "no BOM");
    insta::assert_snapshot!(text);
    // What a spreadsheet does: strip the BOM, split on `;`.
    let body = text.strip_prefix('\u{feff}').unwrap();
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.len(), 14, "{header:?}");
    assert_eq!(&header[0], "candidat");
    assert_eq!(&header[13], "hotes");
    let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row.len(), 14, "{row:?}");
        // Numbers with a decimal comma, never a point; percentages out of 100.
        for i in 7..=9 {
            let cell = &row[i];
            assert!(!cell.contains('.'), "{cell}");
            if !cell.is_empty() {
                let value: f64 = cell.replace(',', ".").parse().unwrap();
                assert!(i != 7 || (0.0..=100.0).contains(&value), "{value}");
            }
        }
    }
    let refused = rows.iter().find(|r| &r[0] == "c02").unwrap();
    assert_eq!(
        &refused[13],
        "dc : sudo refusé (c02 is not in the sudoers file)"
    );
    assert!(
        rows.iter()
            .filter(|r| &r[0] != "c02")
            .all(|r| r[13].is_empty())
    );
}

#[test]
fn jury_csv_international_form() {
    use crate::render::{CsvDialect, session_csv_with};
    let o = RenderOptions {
        lang: Lang::En,
        ..opts(Audience::Examiner)
    };
    let text = session_csv_with(&two_candidates(), &o, CsvDialect::International);
    assert!(!text.starts_with('\u{feff}'));
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    for row in reader.records() {
        assert_eq!(row.unwrap().len(), 14);
    }
    insta::assert_snapshot!(text);
}

#[test]
fn csv_numbers_in_each_dialect() {
    use crate::render::CsvDialect::{French, International};
    assert_eq!(French.number(85.5), "85,5");
    assert_eq!(French.number(100.0), "100");
    assert_eq!(French.number(2.0 / 3.0 * 100.0), "66,67");
    assert_eq!(International.number(66.666), "66.67");
    assert_eq!(International.number(-1.5), "-1.5");
    assert_eq!(International.number(-0.001), "0");
}

#[test]
fn moodle_gradebook() {
    use crate::render::{GradebookId, moodle_csv};
    let ids = std::collections::BTreeMap::from([(
        "c02".to_owned(),
        GradebookId {
            idnumber: Some("=2026-017".to_owned()),
            email: Some("zoe.martin@example.org".to_owned()),
        },
    )]);
    let text = moodle_csv(&two_candidates(), &ids);
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let width = reader.headers().unwrap().len();
    assert_eq!(&reader.headers().unwrap()[0], "ID number");
    for row in reader.records() {
        let row = row.unwrap();
        assert_eq!(row.len(), width);
        // Grades: empty or a number with a decimal point.
        for cell in row.iter().skip(4) {
            assert!(cell.is_empty() || cell.parse::<f64>().is_ok(), "{cell}");
        }
    }
    // A formula-looking id number is neutralised like every CSV cell.
    assert!(text.contains("'=2026-017"));
    insta::assert_snapshot!(text);
}

#[test]
fn junit_for_a_session() {
    use crate::render::junit_session;
    let text = junit_session(&two_candidates(), &opts(Audience::Examiner));
    assert_eq!(text.matches("<testsuite ").count(), 2);
    insta::assert_snapshot!(text);
}

// Jury notes, waivers and decisions (issue 14 item 4, issue 19 item 6).

/// A waived check and the jury's note through the terminal, Markdown, HTML and JUnit; the
/// note's text (typed by an examiner, but bounded and escaped like host text) never reaches
/// an output raw.
#[test]
fn jury_notes_and_waived_checks_in_every_report() {
    use crate::report::JuryNote;
    let note = JuryNote {
        author: "Mme <Jury>".to_owned(),
        at: "2026-11-23T10:40:00Z".to_owned(),
        text: "Disque du DC en panne à 10h40\u{1b}[2J | *non retenu*".to_owned(),
        waive: vec!["lnx-updates-known".to_owned()],
        decide: Vec::new(),
    };
    let r = crate::grade_with_jury(
        &crate::test_support::lab_pack(),
        &crate::test_support::candidate(),
        &crate::test_support::options(),
        &[note],
    );
    let o = opts(Audience::Examiner);
    let mut shown = String::new();
    for (name, text) in [
        ("terminal", terminal(&r, &o)),
        ("markdown", markdown(&r, &o)),
        ("html", html(&r, &o)),
        ("junit", junit(&r, &o)),
    ] {
        assert!(!text.contains('\u{1b}'), "{name}");
        shown.push_str(&format!("== {name}\n"));
        for line in text.lines().filter(|l| {
            l.contains("Jury") || l.contains("lnx-updates-known") || l.contains("Notes du jury")
        }) {
            shown.push_str(line);
            shown.push('\n');
        }
    }
    insta::assert_snapshot!(shown);
}

/// The session a report was graded in heads every candidate report and the session summary
/// (issue 14 item 1: « candidate, pack, session, local time »), escaped like any text.
#[test]
fn the_session_name_heads_every_report_and_the_summary() {
    let mut r = report();
    r.session = Some("tssr-2026-03<b>".to_owned());
    for lang in [Lang::Fr, Lang::En] {
        let o = RenderOptions {
            lang,
            audience: Audience::Examiner,
            color: false,
        };
        let head = |text: &str| text.lines().take(12).collect::<Vec<_>>().join("\n");
        let session = format!("Session{} tssr-2026-03", lang.colon());
        let html_page = html(&r, &o);
        assert!(
            head(&html_page).contains(&format!("{session}&lt;b&gt; · ")),
            "{}",
            head(&html_page)
        );
        assert!(!html_page.contains("tssr-2026-03<b>"));
        let md = markdown(&r, &o);
        assert!(head(&md).contains(&session), "{}", head(&md));
        let term = terminal(&r, &o);
        assert!(head(&term).contains(&session), "{}", head(&term));
        let summary = SessionSummary::from_reports(std::slice::from_ref(&r));
        assert_eq!(summary.session.as_deref(), Some("tssr-2026-03<b>"));
        let page = session_html(&summary, &o);
        assert!(
            page.contains(&format!(
                "<h1>{} — tssr-2026-03&lt;b&gt;</h1>",
                lang.strings().session
            )),
            "{}",
            head(&page)
        );
    }
    // Outside a session (`grade`, `check`) the header has no session.
    assert!(!terminal(&report(), &opts(Audience::Examiner)).contains("Session :"));
}
