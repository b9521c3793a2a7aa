//! Where policy intents look: every GPO of the directory with its SYSVOL settings, whether
//! it is linked (enabled) at the domain root, and how to name a setting found in it — the
//! shared ground of `forced_logoff` and `password_policy`.

use constat_snapshot::ad::{Directory, GpoContainer};
use constat_snapshot::gpo::{GpoSettings, PolicyScope, RegistryAction};
use std::fmt::Write;

/// A GPO container with its settings (when SYSVOL had its folder).
pub(crate) struct PolicyGpo<'a> {
    pub(crate) container: &'a GpoContainer,
    pub(crate) settings: Option<&'a GpoSettings>,
    /// Link order at the domain root when the GPO is linked there with the link enabled
    /// (1 = highest precedence).
    pub(crate) domain_link: Option<u32>,
}

/// Every GPO of the directory, the domain-linked ones first by link order, then by name.
pub(crate) fn policy_gpos<'a>(dir: &'a Directory, gpos: &'a [GpoSettings]) -> Vec<PolicyGpo<'a>> {
    let mut list: Vec<PolicyGpo<'a>> = dir
        .gpos
        .iter()
        .map(|container| PolicyGpo {
            container,
            settings: gpos
                .iter()
                .find(|s| s.guid.eq_ignore_ascii_case(&container.guid)),
            domain_link: dir
                .domain
                .gp_links
                .iter()
                .find(|l| l.enabled && l.gpo_guid.eq_ignore_ascii_case(&container.guid))
                .map(|l| l.link_order),
        })
        .collect();
    list.sort_by(|a, b| {
        (
            a.domain_link.is_none(),
            a.domain_link,
            &a.container.display_name,
        )
            .cmp(&(
                b.domain_link.is_none(),
                b.domain_link,
                &b.container.display_name,
            ))
    });
    list
}

/// `GPO "X" (linked to the domain)`, `GPO "X" (linked to OU=Compta,DC=…)`, `… (linked nowhere)`
/// (in French through `eval/words.rs` PARTS).
pub(crate) fn gpo_label(gpo: &PolicyGpo<'_>) -> String {
    let name = &gpo.container.display_name;
    if gpo.domain_link.is_some() {
        return format!("GPO \"{name}\" (linked to the domain)");
    }
    if gpo.container.linked_to.is_empty() {
        format!("GPO \"{name}\" (linked nowhere)")
    } else {
        format!(
            "GPO \"{name}\" (linked to {})",
            gpo.container.linked_to.join(", ")
        )
    }
}

/// A value of `[System Access]` in the GPO's security template, by key (case-insensitive).
pub(crate) fn system_access<'a>(gpo: &PolicyGpo<'a>, key: &str) -> Option<&'a str> {
    gpo.settings?
        .security
        .as_ref()?
        .system_access
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.trim())
}

/// A registry-style setting a GPO writes, by any mechanism, named for a reader.
pub(crate) struct RegistryFound {
    /// `HKLM\System\…\Parameters EnableForcedLogOff = 1`.
    pub(crate) shown: String,
    /// Value name as written.
    pub(crate) value_name: String,
    /// Key as written, without the hive.
    pub(crate) key: String,
    /// `registre (Registry.pol)`, `préférence Registre`, `option de sécurité (GptTmpl.inf)`.
    pub(crate) mechanism: &'static str,
    /// Which mechanism, language-neutral.
    pub(crate) source: RegistrySource,
    /// `HKLM` or `HKCU`.
    pub(crate) hive: &'static str,
    /// The data as decimal text for numbers (a preference's DWORD is written in hex),
    /// as written otherwise.
    pub(crate) data: String,
    /// Why a preference item does nothing (disabled, its extension not registered, a
    /// delete action), in English.
    pub(crate) inert: Option<&'static str>,
}

/// The file a registry-style value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegistrySource {
    /// Administrative Templates / `Registry.pol`.
    RegistryPol,
    /// A Group Policy Preferences Registry item.
    Preference,
    /// The security template's `[Registry Values]` (security options).
    SecurityTemplate,
}

/// A preference's data as decimal text when its type is a number (GPMC writes DWORDs as
/// eight hex digits), else as written.
fn preference_data(value: &str, value_type: Option<&str>) -> String {
    match value_type.map(str::to_ascii_uppercase).as_deref() {
        Some("REG_DWORD" | "REG_QWORD") => u64::from_str_radix(value.trim(), 16)
            .map_or_else(|_| value.to_owned(), |n| n.to_string()),
        _ => value.to_owned(),
    }
}

/// Every registry value a GPO sets whose value name `wanted` accepts: Registry.pol
/// records (set actions only), Group Policy Preferences Registry items, and the security
/// template's `[Registry Values]`.
pub(crate) fn registry_values(
    gpo: &PolicyGpo<'_>,
    wanted: impl Fn(&str) -> bool,
) -> Vec<RegistryFound> {
    let Some(settings) = gpo.settings else {
        return Vec::new();
    };
    let hive = |scope: PolicyScope| match scope {
        PolicyScope::Machine => "HKLM",
        PolicyScope::User => "HKCU",
    };
    let mut found = Vec::new();
    for r in &settings.registry {
        if matches!(r.action, RegistryAction::Set | RegistryAction::SoftSet)
            && wanted(&r.value_name)
        {
            found.push(RegistryFound {
                shown: format!(
                    "{}\\{} {} = {}",
                    hive(r.scope),
                    r.key,
                    r.value_name,
                    crate::kinds::registry_data::json_text(&r.data)
                ),
                value_name: r.value_name.clone(),
                key: r.key.clone(),
                mechanism: "registry policy (Registry.pol)",
                source: RegistrySource::RegistryPol,
                hive: hive(r.scope),
                data: crate::kinds::registry_data::json_text(&r.data),
                inert: None,
            });
        }
    }
    for p in settings.preferences.iter().filter(|p| p.kind == "registry") {
        let prop = |name: &str| {
            p.properties
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let Some(name) = prop("name") else { continue };
        if !wanted(name) {
            continue;
        }
        let key = prop("key").unwrap_or_default().trim_matches('\\');
        let item_hive = prop("hive").map_or(hive(p.scope), |h| {
            if h.eq_ignore_ascii_case("HKEY_LOCAL_MACHINE") {
                "HKLM"
            } else {
                "HKCU"
            }
        });
        let inert = if p.disabled {
            Some("item disabled")
        } else if p.effective == Some(false) {
            Some("not effective: preferences Registry extension not registered")
        } else if p.action.as_deref() == Some("delete") {
            Some("delete action")
        } else {
            None
        };
        found.push(RegistryFound {
            shown: format!(
                "{item_hive}\\{key} {name} = {}",
                prop("value").unwrap_or_default()
            ),
            value_name: name.to_owned(),
            key: key.to_owned(),
            mechanism: "Registry preference",
            source: RegistrySource::Preference,
            hive: item_hive,
            data: preference_data(prop("value").unwrap_or_default(), prop("type")),
            inert,
        });
    }
    if let Some(template) = settings.security.as_ref() {
        for (path, value) in &template.registry_values {
            let (key, name) = path.rsplit_once('\\').unwrap_or(("", path));
            if !wanted(name) {
                continue;
            }
            let key = key
                .strip_prefix("MACHINE\\")
                .map_or_else(|| key.to_owned(), |k| format!("HKLM\\{k}"));
            // `type,data`: `4,1` is a DWORD 1.
            let data = value.split_once(',').map_or(value.as_str(), |(_, d)| d);
            found.push(RegistryFound {
                shown: format!("{key} {name} = {data}"),
                value_name: name.to_owned(),
                key: key.clone(),
                mechanism: "security option (GptTmpl.inf [Registry Values])",
                source: RegistrySource::SecurityTemplate,
                hive: "HKLM",
                data: data.trim().trim_matches('"').to_owned(),
                inert: None,
            });
        }
    }
    found
}

/// The settings files of a GPO the collector listed but did not read (a SYSVOL limit, an
/// unsafe name, a failed download), as `Machine/Registry.pol (larger than …)`: while any
/// is unread, a setting not found in the GPO is unknown, not absent.
pub(crate) fn unread_files(settings: &GpoSettings) -> Option<String> {
    let mut text = String::new();
    for (i, file) in settings.skipped.iter().enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        let _ = write!(text, "{} ({})", file.path, file.reason);
    }
    (!text.is_empty()).then_some(text)
}
