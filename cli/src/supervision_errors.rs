//! A supervision reader's error (`constat_systems::supervision::SupervisionError`: Nagios
//! `status.dat`, Icinga2 and Zabbix API answers) in the reader's language.
//!
//! The readers are libraries and word their errors in English; the location (`source:line:col`)
//! and the size limit are filled into the catalogue's templates, and the description (`what`)
//! is one of the catalogue's `supervision.*` messages, converted by [`crate::retranslate`]
//! (a parser's own words, `serde_json`'s, and the server's text stay as they are).

use crate::i18n::tf;
use crate::retranslate::in_current_lang;
use constat_systems::supervision::SupervisionError;

/// `e` in the current language.
pub fn supervision_error(e: &SupervisionError) -> String {
    match e {
        SupervisionError::TooLarge {
            source_name,
            size,
            limit,
        } => tf(
            "supervision.too_large",
            &[("source", source_name), ("size", size), ("limit", limit)],
        ),
        SupervisionError::Malformed {
            source_name,
            line,
            col,
            what,
        } => tf(
            "supervision.malformed",
            &[
                ("source", source_name),
                ("line", line),
                ("col", col),
                ("what", &in_current_lang(what)),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with_lang};
    use constat_systems::supervision::{parse_icinga2, parse_nagios_status};
    use constat_systems::zabbix::{ZabbixAnswers, parse_zabbix};

    /// Every message of the three readers, in French then in English.
    #[test]
    fn reader_errors_in_both_languages() {
        let big = vec![b' '; constat_systems::supervision::MAX_SUPERVISION_BYTES + 1];
        let zabbix = |hosts: &[u8]| {
            parse_zabbix(
                ZabbixAnswers {
                    hosts,
                    items: br#"{"result":[]}"#,
                    triggers: br#"{"result":[]}"#,
                    problems: br#"{"result":[]}"#,
                },
                "http://zabbix/api_jsonrpc.php",
            )
        };
        let errors: Vec<SupervisionError> = [
            parse_nagios_status(&big, "status.dat"),
            parse_nagios_status(b"hoststatus {\n\thost_name=a\x01\n}\n", "status.dat"),
            parse_nagios_status(b"hoststatus {\nservicestatus {\n", "status.dat"),
            parse_nagios_status(b"}\n", "status.dat"),
            parse_nagios_status(b"hoststatus {\n\tjunk\n}\n", "status.dat"),
            parse_nagios_status(b"junk\n", "status.dat"),
            parse_nagios_status(b"hoststatus {\n\thost_name=a\n", "status.dat"),
            parse_icinga2(b"{\"results\": [", b"", "icinga"),
            parse_icinga2(b"", b"{\"error\": 401}", "icinga"),
            zabbix(b"{"),
            zabbix(br#"{"error":{"code":-32602,"message":"Invalid params.","data":"Not authorised."}}"#),
            zabbix(br#"{"jsonrpc":"2.0"}"#),
            zabbix(br#"{"result":[{"hostid":12,"host":"a"}]}"#),
            zabbix(br#"{"result":[{"hostid":"1","host":"a","status":"x"}]}"#),
        ]
        .into_iter()
        .map(|r| r.unwrap_err())
        .collect();
        let mut out = Vec::new();
        for lang in [Lang::Fr, Lang::En] {
            out.extend(with_lang(lang, || {
                errors.iter().map(supervision_error).collect::<Vec<_>>()
            }));
        }
        insta::assert_snapshot!(out.join("\n"));
    }
}
