//! Evidence values written as the pack's own keys (`category: any, min_priority: 3`, issue
//! 14): the helpdesk's qualification (`kinds/ticket.rs`, `kb_article.rs`) and a backup job's
//! expectation (`kinds/backup_job.rs`), shown in French with French labels; the data in them
//! (a category's name, a login, a regex) as is.

/// What a key's value is, and so which of its words are constat's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    /// A name from the host or the pack; only `any` (some value) is constat's.
    Name,
    /// A number, `?` (not read) or `-` (none).
    Count,
    /// `true`/`false` (or `?`).
    Flag,
    /// GLPI statuses, `|`-separated (`solved|closed`).
    Status,
    /// A ticket's type (`incident`, `request`).
    Type,
    /// Pack data (a regex, a schedule, a tool): as is.
    Data,
}

/// `(key in the model, French label, its value)`.
const KEYS: &[(&str, &str, Value)] = &[
    ("type", "type", Value::Type),
    ("category", "catégorie", Value::Name),
    ("categories", "catégories", Value::Name),
    ("min_priority", "priorité minimale", Value::Count),
    ("priority", "priorité", Value::Count),
    ("status", "statut", Value::Status),
    ("requester", "demandeur", Value::Name),
    ("requesters", "demandeurs", Value::Name),
    ("followup", "suivi", Value::Flag),
    ("followups", "suivis", Value::Count),
    ("solution", "solution", Value::Flag),
    ("solutions", "solutions", Value::Count),
    ("answered", "réponse", Value::Flag),
    ("faq", "FAQ", Value::Flag),
    ("min_chars", "caractères minimum", Value::Count),
    ("answer_chars", "caractères de la réponse", Value::Count),
    ("tool", "outil", Value::Data),
    ("destination", "destination", Value::Data),
    ("source", "source", Value::Data),
    ("schedule", "planification", Value::Data),
    ("archive", "archive", Value::Data),
];

/// GLPI's statuses as `systems/src/glpi.rs` names them.
const STATUSES: &[(&str, &str)] = &[
    ("new", "nouveau"),
    ("assigned", "en cours (attribué)"),
    ("planned", "en cours (planifié)"),
    ("waiting", "en attente"),
    ("solved", "résolu"),
    ("closed", "clos"),
];

/// The marks a kind puts before an item it judged (`✗ requesters: -`).
const MARKS: &[&str] = &["✗ ", "? "];

/// `value` in French when it is a list of `key: value` items of [`KEYS`] (each value of its
/// kind), else `None`.
pub(crate) fn key_list_fr(value: &str) -> Option<String> {
    let items = items(value)?;
    let mut shown = Vec::with_capacity(items.len());
    for (mark, key, text) in items {
        let (_, label, kind) = KEYS.iter().find(|(k, _, _)| *k == key)?;
        shown.push(format!("{mark}{label} : {}", value_fr(*kind, text)?));
    }
    Some(shown.join(", "))
}

/// The items of a key list: `(mark, key, value)`; a `, ` starts an item only when a known
/// key follows it (a category's name may hold `, `).
fn items(value: &str) -> Option<Vec<(&str, &str, &str)>> {
    let head = |text: &str| -> Option<(usize, &'static str)> {
        let mark = MARKS
            .iter()
            .find(|m| text.starts_with(**m))
            .map_or("", |m| m);
        let rest = &text[mark.len()..];
        KEYS.iter()
            .filter(|(k, _, _)| rest.strip_prefix(k).is_some_and(|r| r.starts_with(": ")))
            .map(|(k, _, _)| k.len())
            .max()
            .map(|len| (mark.len() + len, mark))
    };
    let mut starts = Vec::new();
    let (first, _) = head(value)?;
    starts.push((0, first));
    for (at, _) in value.match_indices(", ") {
        if let Some((len, _)) = head(&value[at + 2..]) {
            starts.push((at + 2, len));
        }
    }
    let mut out = Vec::with_capacity(starts.len());
    for (i, &(start, key_end)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(value.len(), |&(next, _)| next - 2);
        let item = &value[start..end];
        let mark = MARKS
            .iter()
            .find(|m| item.starts_with(**m))
            .map_or("", |m| m);
        let key = &item[mark.len()..key_end];
        let text = item[key_end..].strip_prefix(": ")?;
        out.push((mark, key, text));
    }
    Some(out)
}

/// One value in French, or `None` when it is not of its key's kind.
fn value_fr(kind: Value, text: &str) -> Option<String> {
    let unread = text == "?" || text == "-";
    Some(match kind {
        Value::Name if text.eq_ignore_ascii_case("any") => "quelconque".to_owned(),
        Value::Name | Value::Data => text.to_owned(),
        Value::Count if unread || text.bytes().all(|b| b.is_ascii_digit()) => text.to_owned(),
        Value::Flag => match text {
            "true" => "oui".to_owned(),
            "false" => "non".to_owned(),
            "?" => "?".to_owned(),
            _ => return None,
        },
        Value::Type => match text {
            "incident" => "incident".to_owned(),
            "request" => "demande".to_owned(),
            "?" => "?".to_owned(),
            _ => return None,
        },
        Value::Status => {
            let mut shown = Vec::new();
            for s in text.split('|') {
                let (_, fr) = STATUSES.iter().find(|(en, _)| *en == s)?;
                shown.push(*fr);
            }
            shown.join("|")
        }
        Value::Count => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_qualification_reads_in_french_its_data_as_is() {
        assert_eq!(
            key_list_fr("category: any, min_priority: 3, requester: any").as_deref(),
            Some("catégorie : quelconque, priorité minimale : 3, demandeur : quelconque")
        );
        assert_eq!(
            key_list_fr("category: Hardware > Monitor, priority: 3, ✗ requesters: -").as_deref(),
            Some("catégorie : Hardware > Monitor, priorité : 3, ✗ demandeurs : -")
        );
        assert_eq!(
            key_list_fr("✗ type: request, status: solved|closed, ? followups: ?").as_deref(),
            Some("✗ type : demande, statut : résolu|clos, ? suivis : ?")
        );
        // A category whose name holds `, ` stays one item.
        assert_eq!(
            key_list_fr("category: Réseau, Wi-Fi, priority: 2").as_deref(),
            Some("catégorie : Réseau, Wi-Fi, priorité : 2")
        );
    }

    #[test]
    fn other_values_are_not_key_lists() {
        for value in [
            "present",
            "priority: high",
            "status: running",
            "followup: maybe",
            "a category: any",
            "category any",
        ] {
            assert_eq!(key_list_fr(value), None, "{value}");
        }
    }
}
