//! Resultant set of policy from `gpresult /r` text, in French or English (the labels are
//! matched on both; typographic apostrophes and dotted leaders are tolerated).

use crate::probe::value::text;
use constat_snapshot::windows::{AppliedGpo, Rsop};
use serde_json::Value;

#[derive(Clone, Copy, PartialEq)]
enum Part {
    None,
    Computer,
    User,
}

#[derive(Clone, Copy, PartialEq)]
enum List {
    None,
    Applied,
    Denied,
    Groups,
}

/// Parses `gpresult /r` output.
pub fn parse_gpresult_r(output: &str) -> Rsop {
    let mut rsop = Rsop::default();
    let mut part = Part::None;
    let mut list = List::None;
    for raw in output.lines() {
        let line = raw.replace('\u{2019}', "'").replace('\u{a0}', " ");
        let trimmed = line.trim();
        let lower = trimmed.to_lowercase();
        if let Some(rest) = trimmed
            .strip_prefix("Données RSOP pour ")
            .or_else(|| trimmed.strip_prefix("RSOP data for "))
        {
            let user = rest
                .split(" sur ")
                .next()
                .unwrap_or(rest)
                .split(" on ")
                .next()
                .unwrap_or(rest);
            rsop.user = Some(user.trim().to_owned());
            continue;
        }
        if lower == "paramètres utilisateurs" || lower == "user settings" {
            (part, list) = (Part::User, List::None);
            continue;
        }
        if lower.starts_with("paramètres de l'ordinateur") || lower == "computer settings" {
            (part, list) = (Part::Computer, List::None);
            continue;
        }
        if trimmed.is_empty() {
            if list != List::Denied {
                list = List::None;
            }
            continue;
        }
        if trimmed.chars().all(|c| c == '-') {
            continue;
        }
        if lower.contains("dernière application")
            || lower.starts_with("last time group policy was applied")
        {
            let value = trimmed.split_once(": ").map(|(_, v)| v.trim().to_owned());
            match part {
                Part::User => rsop.user_last_applied = value,
                Part::Computer => rsop.computer_last_applied = value,
                Part::None => {}
            }
            continue;
        }
        if lower.starts_with("objets stratégie de groupe appliqués")
            || lower.starts_with("applied group policy objects")
        {
            list = List::Applied;
            continue;
        }
        if lower.contains("n'ont pas été appliqués") || lower.contains("were not applied") {
            list = List::Denied;
            continue;
        }
        if lower.contains("groupes de sécurité suivants")
            || lower.contains("following security groups")
        {
            list = List::Groups;
            continue;
        }
        if list == List::Denied && (lower.starts_with("car ils") || lower.starts_with("because")) {
            continue;
        }
        let target = match part {
            Part::User => &mut rsop.user_gpos,
            _ => &mut rsop.computer_gpos,
        };
        match list {
            List::Applied if trimmed != "N/A" => target.push(AppliedGpo {
                name: trimmed.to_owned(),
                applied: true,
                ..AppliedGpo::default()
            }),
            List::Denied => {
                if let Some((_, reason)) = trimmed
                    .split_once(':')
                    .filter(|_| lower.starts_with("filtrage") || lower.starts_with("filtering"))
                {
                    if let Some(last) = target.last_mut().filter(|g| !g.applied) {
                        last.filter_reason = Some(reason.trim().to_owned());
                    }
                } else if raw.starts_with("        ") && !raw.starts_with("          ") {
                    target.push(AppliedGpo {
                        name: trimmed.to_owned(),
                        applied: false,
                        ..AppliedGpo::default()
                    });
                } else {
                    list = List::None;
                }
            }
            List::Groups => rsop.user_groups.push(trimmed.to_owned()),
            _ => {}
        }
    }
    rsop
}

/// The probe's `rsop` data: `{User, GpresultR, GpresultX}`.
pub fn normalise_rsop(data: &Value) -> Result<Rsop, String> {
    let output = text(data, "GpresultR").ok_or("gpresult /r printed nothing")?;
    let mut rsop = parse_gpresult_r(&output);
    if rsop.user.is_none() {
        rsop.user = text(data, "User");
    }
    Ok(rsop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::value::sample;

    /// Recorded real French `gpresult /r` (SOURCES.md §3.13): a domain user, then a local
    /// account on a workgroup machine with the local policy filtered out.
    #[test]
    fn recorded_french_gpresult() {
        // The sample file annotates the output with `#` lines: they are not gpresult's.
        let text: String = sample("gpresult_R_fr-FR__WCS_atelier_AD.txt")
            .lines()
            .filter(|l| !l.starts_with("# ") || l.starts_with("# --- same command"))
            .map(|l| format!("{l}\n"))
            .collect();
        let (domain, local) = text.split_once("# --- same command").unwrap_or((&text, ""));
        insta::assert_yaml_snapshot!((parse_gpresult_r(domain), parse_gpresult_r(local)));
    }
}
