//! Check kind `vm`: a hypervisor guest exists with its resources, state and network.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::kind::Kind;
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use schemars::JsonSchema;
use serde::Deserialize;

/// `vm: {name: srv-web, running: true, min_cpus: 2, min_memory_mib: 2048, bridge: vmbr1}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VmExpect {
    /// Guest name (case-insensitive) or numeric id.
    pub name: Sp<String>,
    /// Whether it must be running (default true).
    #[serde(default = "yes")]
    pub running: bool,
    /// At least this many vCPUs.
    #[serde(default)]
    pub min_cpus: Option<u32>,
    /// At least this much memory, in MiB.
    #[serde(default)]
    pub min_memory_mib: Option<u64>,
    /// A network interface on this bridge.
    #[serde(default)]
    pub bridge: Option<Sp<String>>,
    /// That interface (or any, without `bridge`) tagged with this VLAN.
    #[serde(default)]
    pub vlan: Option<u16>,
}

fn yes() -> bool {
    true
}

/// Compiled `vm` expectation.
#[derive(Debug, Clone)]
pub struct VmMatcher {
    name: String,
    running: bool,
    min_cpus: Option<u32>,
    min_memory_mib: Option<u64>,
    bridge: Option<String>,
    vlan: Option<u16>,
}

impl Kind for VmExpect {
    const NAME: &'static str = "vm";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["hypervisor"]);
    const DOC: &'static str = r#"# vm

## What it checks
The hypervisor (section `hypervisor`: Proxmox VE `/cluster/resources` and each guest's config)
has a guest (VM or container, not a template) named `name` (case-insensitive, or its numeric
id), running (unless `running: false`), with at least `min_cpus` vCPUs and `min_memory_mib`
MiB of memory, and a network interface on `bridge` tagged `vlan`. When the guest's config
could not be read, the network expectations are not assessable (never failed).

## Why it matters
« Maintenir des serveurs dans une infrastructure virtualisée » (CP5): the subject sizes the
VMs and places them on the right bridge and VLAN; a VM on the wrong bridge is cut from its
network, an undersized one does not hold its service.

## Passing example
```yaml
expect:
  vm: {name: test-qemu-multi-nic, min_cpus: 4, min_memory_mib: 8192, bridge: vmbr1}
```

## Failing example
`vm: {name: test-qemu, min_memory_mib: 2048}` when it has 1000 MiB: `memory` fails
(expected ≥ 2048 MiB, actual 1000 MiB).

## Critères
`tssr-2023/CP5/C2`.
"#;
    const DOC_FR: &'static str = r#"# vm

## Ce qui est vérifié
L'hyperviseur (section `hypervisor` : `/cluster/resources` de Proxmox VE et la configuration
de chaque invité) a un invité (VM ou conteneur, pas un modèle) nommé `name` (sans tenir compte
de la casse, ou son identifiant numérique), démarré (sauf `running: false`), avec au moins
`min_cpus` vCPU et `min_memory_mib` Mio de mémoire, et une interface réseau sur le pont
`bridge` étiquetée `vlan`. Quand la configuration de l'invité n'a pas pu être lue, les
attentes réseau sont non évaluables (jamais échouées).

## Pourquoi c'est important
« Maintenir des serveurs dans une infrastructure virtualisée » (CP5) : le sujet dimensionne
les VM et les place sur le bon pont et le bon VLAN ; une VM sur le mauvais pont est coupée de
son réseau, une VM sous-dimensionnée ne tient pas son service.

## Exemple conforme
```yaml
expect:
  vm: {name: test-qemu-multi-nic, min_cpus: 4, min_memory_mib: 8192, bridge: vmbr1}
```

## Exemple non conforme
`vm: {name: test-qemu, min_memory_mib: 2048}` quand elle a 1000 Mio : `memory` échoue
(attendu ≥ 2048 Mio, observé 1000 Mio).

## Critères
`tssr-2023/CP5/C2`.
"#;
    type Compiled = VmMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<VmMatcher> {
        Some(VmMatcher {
            name: cx.text(&self.name),
            running: self.running,
            min_cpus: self.min_cpus,
            min_memory_mib: self.min_memory_mib,
            bridge: cx.opt_text(&self.bridge),
            vlan: self.vlan,
        })
    }

    fn evaluate(m: &VmMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "hypervisor";
        let Some(h) = host.section(S, &m.name, &host.snapshot.sections.hypervisor, out) else {
            return Status::NotAssessable;
        };
        let guest = h
            .guests
            .iter()
            .filter(|g| !g.template)
            .find(|g| g.name.eq_ignore_ascii_case(&m.name) || g.id.to_string() == m.name);
        let names: Vec<String> = h
            .guests
            .iter()
            .filter(|g| !g.template)
            .map(|g| format!("{} ({})", g.name, g.id))
            .collect();
        out.push(
            host.evidence(
                S,
                &m.name,
                "exists",
                "present",
                match guest {
                    Some(g) => format!("{} {} ({}) on {}", g.guest_type, g.name, g.id, g.node),
                    None if h
                        .guests
                        .iter()
                        .any(|g| g.template && g.name.eq_ignore_ascii_case(&m.name)) =>
                    {
                        format!("{} is a template, not a machine", m.name)
                    }
                    None => format!("absent (machines: {})", listed(&names)),
                },
                Status::from_bool(guest.is_some()),
            ),
        );
        let Some(g) = guest else {
            return Status::Fail;
        };
        let running = Status::from_bool((g.status == "running") == m.running);
        out.push(host.evidence(
            S,
            &m.name,
            "status",
            if m.running { "running" } else { "stopped" },
            if g.status.is_empty() {
                "(unknown)".to_owned()
            } else {
                g.status.clone()
            },
            running,
        ));
        let mut status = running;
        if let Some(min) = m.min_cpus {
            let s = match g.cpus {
                Some(c) => Status::from_bool(c >= min),
                None => Status::NotAssessable,
            };
            out.push(host.evidence(
                S,
                &m.name,
                "cpus",
                format!("≥ {min}"),
                g.cpus.map_or("(not read)".to_owned(), |c| c.to_string()),
                s,
            ));
            status = status.and(s);
        }
        if let Some(min) = m.min_memory_mib {
            let s = match g.memory_mib {
                Some(c) => Status::from_bool(c >= min),
                None => Status::NotAssessable,
            };
            out.push(
                host.evidence(
                    S,
                    &m.name,
                    "memory",
                    format!("≥ {min} MiB"),
                    g.memory_mib
                        .map_or("(not read)".to_owned(), |c| format!("{c} MiB")),
                    s,
                ),
            );
            status = status.and(s);
        }
        if m.bridge.is_some() || m.vlan.is_some() {
            let expected = match (&m.bridge, m.vlan) {
                (Some(b), Some(v)) => format!("{b} VLAN {v}"),
                (Some(b), None) => b.clone(),
                (None, Some(v)) => format!("VLAN {v}"),
                (None, None) => String::new(),
            };
            let nets: Vec<String> = g
                .networks
                .iter()
                .map(|n| {
                    let mut s = format!("{}: {}", n.key, n.bridge.as_deref().unwrap_or("?"));
                    if let Some(t) = n.vlan_tag {
                        s.push_str(&format!(" VLAN {t}"));
                    }
                    s
                })
                .collect();
            let found = g.networks.iter().any(|n| {
                m.bridge
                    .as_deref()
                    .is_none_or(|b| n.bridge.as_deref() == Some(b))
                    && m.vlan.is_none_or(|v| n.vlan_tag == Some(v))
            });
            let (s, actual) = if !g.config_read {
                (
                    Status::NotAssessable,
                    "machine configuration not read".to_owned(),
                )
            } else {
                (Status::from_bool(found), listed(&nets))
            };
            out.push(host.evidence(S, &m.name, "network", expected, actual, s));
            status = status.and(s);
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{hypervisor_proxmox, kind_case, without};

    /// `hypervisor-proxmox.json`: the parser's output on Proxmox API answers of one test
    /// cluster.
    #[test]
    fn passes_on_a_sized_running_vm_on_its_bridge() {
        insta::assert_snapshot!(kind_case(
            "all: [{vm: {name: test-qemu-multi-nic, min_cpus: 4, min_memory_mib: 8192, bridge: vmbr1}}, {vm: {name: '100', bridge: vmbr0}}]",
            &hypervisor_proxmox()
        ));
    }

    #[test]
    fn fails_on_size_network_or_absence_and_templates_do_not_count() {
        insta::assert_snapshot!(kind_case(
            "all: [{vm: {name: test-qemu, min_memory_mib: 2048, bridge: vmbr0, vlan: 20}}, {vm: {name: test-qemu-template, running: false}}, {vm: {name: srv-web}}]",
            &hypervisor_proxmox()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_hypervisor_section() {
        insta::assert_snapshot!(kind_case(
            "vm: {name: test-qemu}",
            &without(hypervisor_proxmox(), "hypervisor")
        ));
    }
}
