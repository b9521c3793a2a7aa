//! The `raid` part of the `storage` kind: a software RAID array's level, state and members.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::storage::{RaidArray, Storage};
use schemars::JsonSchema;
use serde::Deserialize;

/// A software RAID array (/proc/mdstat).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaidExpect {
    /// Array device (`md0` or `/dev/md0`); absent: the only array of the host.
    #[serde(default)]
    pub device: Option<Sp<String>>,
    /// Level (`raid1`, `1`, `raid5`).
    #[serde(default)]
    pub level: Option<Sp<String>>,
    /// State: `clean`, `degraded`, `recovering`, `resyncing`, `reshaping`, `checking`,
    /// `inactive`.
    #[serde(default)]
    pub state: Option<Sp<String>>,
    /// Number of devices working (`[2/2]`: 2).
    #[serde(default)]
    pub active_devices: Option<u32>,
    /// Members that must be in the array and active (`sdb1`, `/dev/sdc1`).
    #[serde(default)]
    pub members: Vec<Sp<String>>,
}

/// Compiled `raid` expectation.
#[derive(Debug, Clone)]
pub(crate) struct RaidMatcher {
    pub(crate) device: Option<String>,
    level: Option<String>,
    state: Option<String>,
    active_devices: Option<u32>,
    members: Vec<String>,
}

/// `1` → `raid1`, `RAID5` → `raid5`, `linear` unchanged.
fn normal_level(level: &str) -> String {
    let l = level.trim().to_ascii_lowercase();
    if !l.is_empty() && l.chars().all(|c| c.is_ascii_digit()) {
        format!("raid{l}")
    } else {
        l
    }
}

fn device_name(d: &str) -> String {
    d.trim().trim_start_matches("/dev/").to_owned()
}

impl RaidExpect {
    pub(crate) fn compile(&self, cx: &mut Compile<'_>) -> RaidMatcher {
        RaidMatcher {
            device: cx.opt_text(&self.device).map(|d| device_name(&d)),
            level: cx.opt_text(&self.level).map(|l| normal_level(&l)),
            state: cx
                .opt_text(&self.state)
                .map(|s| s.trim().to_ascii_lowercase()),
            active_devices: self.active_devices,
            members: cx
                .texts(&self.members)
                .iter()
                .map(|m| device_name(m))
                .collect(),
        }
    }
}

fn describe(a: &RaidArray) -> String {
    let mut s = format!("{} {} {}", a.device, a.level, a.state);
    if let (Some(t), Some(u)) = (a.raid_devices, a.active_devices) {
        s.push_str(&format!(" [{t}/{u}]"));
    }
    if let Some(sync) = &a.sync {
        s.push_str(&format!(" ({sync})"));
    }
    s
}

impl RaidMatcher {
    pub(crate) fn evaluate(
        &self,
        storage: &Storage,
        host: &HostView<'_>,
        out: &mut Vec<Evidence>,
    ) -> Status {
        const S: &str = "storage";
        let path = self.device.clone().unwrap_or_else(|| "raid".to_owned());
        if let Some(cause) = storage.not_collected.get("raid") {
            out.push(host.evidence(
                S,
                &path,
                "raid",
                "collected",
                format!("not collected: {cause}"),
                Status::NotAssessable,
            ));
            return Status::NotAssessable;
        }
        let all: Vec<String> = storage.raid.iter().map(describe).collect();
        let array = match &self.device {
            Some(d) => storage.raid.iter().find(|a| &a.device == d),
            None if storage.raid.len() == 1 => storage.raid.first(),
            None => None,
        };
        out.push(
            host.evidence(
                S,
                &path,
                "exists",
                self.device
                    .clone()
                    .unwrap_or_else(|| "une seule grappe RAID".to_owned()),
                match array {
                    Some(a) => describe(a),
                    None => format!("introuvable (grappes : {})", listed(&all)),
                },
                Status::from_bool(array.is_some()),
            ),
        );
        let Some(a) = array else {
            return Status::Fail;
        };
        let mut status = Status::Pass;
        let mut prop = |name: &'static str, expected: Option<String>, actual: String| {
            if let Some(e) = expected {
                let s = Status::from_bool(e == actual);
                out.push(host.evidence(S, &path, name, e, actual, s));
                status = status.and(s);
            }
        };
        prop("level", self.level.clone(), a.level.clone());
        prop("state", self.state.clone(), a.state.clone());
        prop(
            "active_devices",
            self.active_devices.map(|n| n.to_string()),
            a.active_devices
                .map_or_else(|| "(unknown)".to_owned(), |n| n.to_string()),
        );
        for member in &self.members {
            let found = a.member_states.iter().find(|m| &m.device == member);
            let actual = match found {
                Some(m) => m.state.clone(),
                // Older snapshots list members without their state.
                None if a.member_states.is_empty() && a.members.contains(member) => {
                    "active".to_owned()
                }
                None => format!("absent (members: {})", listed(&a.members)),
            };
            let s = Status::from_bool(actual == "active");
            out.push(host.evidence(S, &path, "member", format!("{member} active"), actual, s));
            status = status.and(s);
        }
        status
    }
}
