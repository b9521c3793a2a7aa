//! `load`: pack text → validated [`Pack`], or every problem found, with positions.

use crate::pack::compose::{Chain, compose};
use crate::pack::diagnostics::{Diagnostic, Diagnostics};
use crate::pack::model::Pack;
use crate::pack::raw::{RawCheckId, RawEntry, RawPack, RawPackHead, RawPackPartial};
use crate::pack::sources::{NoSources, PackSources};
use crate::pack::split::check_document;
use crate::pack::validate::validate;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        budget: Some(crate::pack::limits::yaml_budget()),
    }
}

fn push_yaml_error(diags: &mut Diagnostics, error: &serde_saphyr::Error) {
    let (line, col) = error.location().map_or((0, 0), |l| {
        (
            u32::try_from(l.line()).unwrap_or(0),
            u32::try_from(l.column()).unwrap_or(0),
        )
    });
    let text = error.to_string();
    let first = text.lines().next().unwrap_or_default();
    let message = first
        .strip_prefix("error: ")
        .unwrap_or(first)
        .split(" at line ")
        .next()
        .unwrap_or(first)
        .to_owned();
    let message = strip_position(&message);
    let (text, help) = explain_yaml_error(&message);
    diags.push_both(line, col, text, Some(help));
}

/// The parser's English message in both languages, with "did you mean" for an unknown field
/// or kind: `(message, help)`, each `(français, English)`.
fn explain_yaml_error(message: &str) -> ((String, String), (String, String)) {
    const SCHEMA_FR: &str = "voir schemas/pack.schema.json (complétion avec la ligne `# yaml-language-server: $schema=...`)";
    const SCHEMA_EN: &str = "see schemas/pack.schema.json (completion with the line `# yaml-language-server: $schema=...`)";
    let quoted = |s: &str| -> Option<String> {
        let start = s.find('`')? + 1;
        let end = s[start..].find('`')? + start;
        Some(s[start..end].to_owned())
    };
    let expected: Vec<&str> = message
        .split_once("expected one of ")
        .map(|(_, list)| list.split(", ").map(|n| n.trim_matches('`')).collect())
        .unwrap_or_default();
    let unknown_field = message.starts_with("unknown field");
    let unknown_variant = message.starts_with("unknown variant");
    if (unknown_field || unknown_variant)
        && let Some(name) = quoted(message)
    {
        let (what_fr, what_en) = if unknown_field {
            ("champ inconnu", "unknown field")
        } else {
            (
                "type de vérification ou valeur inconnu",
                "unknown check kind or value",
            )
        };
        let list = expected.join(", ");
        let help = match crate::pack::diagnostics::closest(&name, &expected) {
            Some(best) => (
                format!("vouliez-vous dire « {best} » ? Possibles : {list}"),
                format!("did you mean \"{best}\"? Possible: {list}"),
            ),
            None => (
                format!("possibles : {list} ; {SCHEMA_FR}"),
                format!("possible: {list}; {SCHEMA_EN}"),
            ),
        };
        return (
            (
                format!("{what_fr} « {name} »"),
                format!("{what_en} \"{name}\""),
            ),
            help,
        );
    }
    if message.starts_with("missing field")
        && let Some(name) = quoted(message)
    {
        return (
            (
                format!("champ obligatoire « {name} » absent"),
                format!("missing field \"{name}\""),
            ),
            (
                "ce champ est obligatoire ici".to_owned(),
                "this field is required here".to_owned(),
            ),
        );
    }
    let message_fr = crate::pack::parser_message_fr(message);
    if message.contains("ForEachItem") {
        return (
            (
                format!("YAML invalide : {message_fr}"),
                format!("invalid YAML: {message}"),
            ),
            (
                "un élément for_each est un texte (`alice`) ou un enregistrement de textes (`{dir: commercial, group: GG_Commercial}`), sans liste ni sous-enregistrement".to_owned(),
                "a for_each item is a text (`alice`) or a record of texts (`{dir: commercial, group: GG_Commercial}`), with no list or nested record".to_owned(),
            ),
        );
    }
    (
        (
            format!("YAML invalide : {message_fr}"),
            format!("invalid YAML: {message}"),
        ),
        (
            "vérifiez la syntaxe YAML et le type de la valeur".to_owned(),
            "check the YAML syntax and the type of the value".to_owned(),
        ),
    )
}

/// The semantic phase on the checks that parse, when others do not: their problems are
/// reported with the syntax errors instead of after they are fixed.
fn validate_what_parses(
    file_name: &str,
    text: &str,
    sources: &dyn PackSources,
    stack: &mut Chain,
    diags: &mut Diagnostics,
) {
    let Ok(partial) = serde_saphyr::from_str_with_options::<RawPackPartial>(text, options()) else {
        return;
    };
    let mut checks = Vec::new();
    let mut broken_ids = Vec::new();
    for item in &partial.checks {
        let Some(doc) = check_document(text, item.line, item.col) else {
            continue;
        };
        match serde_saphyr::from_str_with_options::<RawEntry>(&doc, options()) {
            Ok(check) => checks.push(check),
            Err(_) => {
                if let Ok(id) = serde_saphyr::from_str_with_options::<RawCheckId>(&doc, options()) {
                    broken_ids.push(id.id);
                }
            }
        }
    }
    let raw = RawPack {
        pack: partial.pack,
        extends: partial.extends,
        variables: partial.variables,
        hosts: partial.hosts,
        groups: partial.groups,
        overrides: partial.overrides,
        checks,
    };
    let mut semantic = Diagnostics::new(file_name);
    let composed = compose(file_name, raw, sources, stack, &mut semantic);
    let _ = validate(file_name, composed, &mut semantic);
    for d in semantic.list {
        let about_broken = broken_ids
            .iter()
            .any(|id| d.message_en.as_deref() == Some(&format!("unknown prerequisite \"{id}\"")));
        if !about_broken {
            diags.list.push(d);
        }
    }
}

/// Removes a leading `line N column M: ` that the parser may put in its message.
fn strip_position(message: &str) -> String {
    let mut m = message;
    if let Some(rest) = m.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
    {
        m = after;
    }
    m.to_owned()
}

/// Reads and validates a pack that includes no other. `file_name` is only used in messages
/// (`file:line:col`). On failure, returns every problem found, sorted by position.
pub fn load(file_name: &str, text: &str) -> Result<Pack, Vec<Diagnostic>> {
    load_with(file_name, text, &NoSources)
}

/// Reads and validates a pack whose `include`/`extends` are found through `sources`.
/// On failure, returns every problem found (those of included files under their names).
pub fn load_with(
    file_name: &str,
    text: &str,
    sources: &dyn PackSources,
) -> Result<Pack, Vec<Diagnostic>> {
    load_at(file_name, text, sources, &mut Chain::default())
}

/// [`load_with`] inside a chain of includes (`stack`: the files being loaded, outermost
/// first), so that cycles are found.
pub(crate) fn load_at(
    file_name: &str,
    text: &str,
    sources: &dyn PackSources,
    stack: &mut Chain,
) -> Result<Pack, Vec<Diagnostic>> {
    stack.files.push(file_name.to_owned());
    let result = load_one(file_name, text, sources, stack);
    stack.files.pop();
    result
}

fn load_one(
    file_name: &str,
    text: &str,
    sources: &dyn PackSources,
    stack: &mut Chain,
) -> Result<Pack, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new(file_name);
    let raw: RawPack = match serde_saphyr::from_str_with_options(text, options()) {
        Ok(raw) => raw,
        Err(error) => {
            // serde stops at the first error: parse each check on its own to report them all
            // (not after a budget breach: the text is too big to parse again).
            let breached = matches!(error, serde_saphyr::Error::Budget { .. });
            if !breached
                && let Ok(head) =
                    serde_saphyr::from_str_with_options::<RawPackHead>(text, options())
            {
                for item in &head.checks {
                    let Some(doc) = check_document(text, item.line, item.col) else {
                        continue;
                    };
                    if let Err(e) = serde_saphyr::from_str_with_options::<RawEntry>(&doc, options())
                    {
                        push_yaml_error(&mut diags, &e);
                    }
                }
            }
            let before = diags.list.len();
            push_yaml_error(&mut diags, &error);
            let added = diags.list.pop();
            if let Some(d) = added {
                let duplicate = diags.list[..before].iter().any(|x| x.line == d.line);
                if !duplicate {
                    diags.list.push(d);
                }
            }
            if !breached {
                validate_what_parses(file_name, text, sources, stack, &mut diags);
            }
            return Err(diags.finish());
        }
    };
    let composed = compose(file_name, raw, sources, stack, &mut diags);
    match validate(file_name, composed, &mut diags) {
        Some(pack) if diags.list.is_empty() => Ok(pack),
        _ => Err(diags.finish()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{file_requests, render_diagnostics};

    fn errors(name: &str, text: &str) -> String {
        match load(name, text) {
            Ok(_) => "valid".to_owned(),
            Err(d) => render_diagnostics(&d),
        }
    }

    const HEAD: &str = "pack: {id: x, title: t, referentiel: tssr-2023, profile: lab}\nhosts: {linux: {os: linux}}\nchecks:\n";

    fn check(id: &str, extra: &str) -> String {
        format!(
            "  - id: {id}\n    title: t\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n{extra}    expect: {{user: {{name: root}}}}\n"
        )
    }

    /// Points must be finite, non-negative and bounded: `1e308` used to print
    /// `inf / inf pts (NaN %)`.
    #[test]
    fn points_and_penalties_are_finite_and_bounded() {
        let mut text = HEAD.to_owned();
        for (id, extra) in [
            ("huge", "    points: 1e308\n"),
            ("nan", "    points: .nan\n"),
            ("inf", "    points: .inf\n"),
            ("negative", "    points: -1\n"),
            ("penalty", "    penalty: 1001\n"),
            ("fine", "    points: 1000\n    penalty: 2.5\n"),
        ] {
            text.push_str(&check(id, extra));
        }
        insta::assert_snapshot!(errors("points.yaml", &text));
    }

    /// A 200 000-item `for_each` used to take 21 s and 3.3 GB to validate: it is refused
    /// before any item is compiled; too many checks likewise; a regex over the size limit and
    /// nesting beyond the YAML budget are refused with their position.
    #[test]
    fn oversized_packs_are_refused_with_their_limit() {
        let items: String = (0..200_000).map(|i| format!("u{i},")).collect();
        let big = format!(
            "{HEAD}{}",
            check(
                "many",
                &format!("    for_each: [{}]\n", items.trim_end_matches(','))
            )
        );
        let many_checks: String = (0..2001).map(|i| check(&format!("c{i}"), "")).collect();
        let regex = format!(
            "{HEAD}  - id: re\n    title: t\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n    expect: {{scheduled_job: {{command: '(\\w{{1000}}){{1000}}'}}}}\n"
        );
        let mut deep = String::from("{user: {name: root}}");
        for _ in 0..60 {
            deep = format!("{{all: [{deep}]}}");
        }
        let nested = format!(
            "{HEAD}  - id: deep\n    title: t\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n    expect: {deep}\n"
        );
        let refs = vec!["*a"; 1001].join(", ");
        let aliases = format!(
            "{HEAD}{}",
            check("a", &format!("    hint: &a x\n    for_each: [{refs}]\n"))
        );
        let items: String = (0..501).map(|i| format!("u{i},")).collect();
        let for_each = format!(
            "{HEAD}{}",
            check(
                "items",
                &format!("    for_each: [{}]\n", items.trim_end_matches(','))
            )
        );
        let out = [
            ("yaml-nodes.yaml", big),
            ("for_each.yaml", for_each),
            ("checks.yaml", format!("{HEAD}{many_checks}")),
            ("regex.yaml", regex),
            ("nested.yaml", nested),
            ("aliases.yaml", aliases),
        ]
        .iter()
        .map(|(name, text)| format!("== {name}\n{}\n", errors(name, text)))
        .collect::<String>();
        insta::assert_snapshot!(out);
    }

    #[test]
    fn loads_the_lab_pack() {
        let pack = crate::test_support::lab_pack();
        let ids: Vec<&str> = pack.checks().map(|c| c.id.as_str()).collect();
        insta::assert_debug_snapshot!(ids);
    }

    #[test]
    fn reports_every_semantic_error_with_positions() {
        insta::assert_snapshot!(errors(
            "broken.yaml",
            include_str!("../../tests/fixtures/packs/broken.yaml")
        ));
    }

    #[test]
    fn reports_unknown_fields_in_every_check() {
        insta::assert_snapshot!(errors(
            "broken-fields.yaml",
            include_str!("../../tests/fixtures/packs/broken-fields.yaml")
        ));
    }

    /// A typo in one check does not hide the semantic errors of the others (unknown critère,
    /// misspelt role), in French and in English, with "did you mean" (issue 14 item 5); the
    /// check requiring the broken one is not reported as citing an unknown prerequisite.
    #[test]
    fn reports_every_phase_in_both_languages_with_suggestions() {
        let text = include_str!("../../tests/fixtures/packs/typo-and-critere.yaml");
        let diagnostics = load("typo-and-critere.yaml", text).unwrap_err();
        let fr = crate::pack::render_diagnostics_in(&diagnostics, crate::i18n::Lang::Fr);
        let en = crate::pack::render_diagnostics_in(&diagnostics, crate::i18n::Lang::En);
        insta::assert_snapshot!(format!("{fr}---\n{en}"));
    }

    #[test]
    fn reports_yaml_syntax_and_top_level_errors() {
        let a = errors("syntax.yaml", "pack: {id: x\nhosts: [");
        let b = errors(
            "head.yaml",
            "pack: {id: x, title: t, referentiel: tssr-2023, profile: lab, colour: red}\nhosts: {linux: {os: linux}}\nchecks: []\n",
        );
        let c = errors(
            "bool.yaml",
            "pack: {id: x, title: t, referentiel: tssr-2023, profile: lab}\nhosts: {linux: {os: linux}}\nchecks:\n  - id: a\n    title: t\n    criteres: [tssr-2023/CP3/C1]\n    hosts: [linux]\n    expect: {user: {name: root, exists: yes}}\n",
        );
        insta::assert_snapshot!(format!("{a}---\n{b}---\n{c}"));
    }

    /// Every pack diagnostic has its English (issue 14 item 5: `--lang en validate` printed
    /// French): the compile errors of the kinds and expectations, in one pack.
    #[test]
    fn every_diagnostic_is_written_in_both_languages() {
        let mut text = HEAD.replace(
            "checks:\n",
            "variables: {a: {default: \"${b}\"}, b: {default: \"${a}\"}, \"bad name\": {default: x}}\nchecks:\n",
        );
        for (i, expect) in [
            "{file: {path: etc/passwd, mode: \"999\"}}",
            "{file: {path: /etc/x, same_as: relative}}",
            "{network: {address: 10.0.0.1}}",
            "{scheduled_job: {command: tar, schedule: \"* *\"}}",
            "{firewall: {allow: [\"22/tcpx\"]}}",
            "{firewall: {access: [{port: 22/tcp, only: true}]}}",
            "{storage: {lv: {size: 2parsecs}}}",
            "{storage: {lv: {size: 2G, tolerance: 200%}}}",
            "{storage: {}}",
            "{ad_user: {name: a, logon_hours: [\"Fri-Mon 08:00-18:00\"]}}",
            "{dns_zone: {zone: 192.168.1.0/23}}",
            "{backup_job: {archive: /backup/etc.tar.gz}}",
            "{fact: {path: \"users[name=a\", equals: x}}",
            "{fact: {path: users, compare: {}}}",
            "{at_least: {n: 3, of: [{user: {name: a}}]}}",
            "{all: []}",
            "{on: {host: linx, expect: {user: {name: a}}}}",
            "{file: {path: /x, content: \"[\"}}",
            "{user: {name: \"${nope}\"}}",
            "{vlan: {tag: 5000}}",
            "{jury: {look_at: \"\"}}",
            "{ad_group: {name: g, exactly: true}}",
            "{dhcp_scope: {scope: 10.0.0.0, lease_duration: soon}}",
            "{script: {path: run.sh}}",
        ]
        .iter()
        .enumerate()
        {
            text.push_str(
                &check(&format!("c{i}"), "")
                    .replace("expect: {user: {name: root}}", &format!("expect: {expect}")),
            );
        }
        text.push_str(&check("loop", "    requires: [loop2]\n"));
        text.push_str(&check("loop2", "    requires: [loop]\n"));
        let diagnostics = load("both.yaml", &text).unwrap_err();
        assert!(
            diagnostics.len() > 20,
            "{}",
            render_diagnostics(&diagnostics)
        );
        for d in &diagnostics {
            let en = d
                .message_en
                .as_deref()
                .unwrap_or_else(|| panic!("no English: {d}"));
            assert_eq!(d.help.is_some(), d.help_en.is_some(), "{d}");
            for text in [Some(en), d.help_en.as_deref()].into_iter().flatten() {
                assert!(
                    !text.chars().any(|c| "àâçéèêëîïôûùüÿœ«»".contains(c)),
                    "French in the English of {d}: {text}"
                );
            }
        }
        insta::assert_snapshot!(crate::pack::render_diagnostics_in(
            &diagnostics,
            crate::i18n::Lang::En
        ));
    }

    #[test]
    fn computes_file_requests_per_role() {
        insta::assert_debug_snapshot!(file_requests(&crate::test_support::lab_pack()));
    }
}
