//! The `proxmox` transport: reads a Proxmox VE hypervisor (7, 8) through its REST API into one
//! snapshot with the `hypervisor` section (`constat_systems::proxmox::parse_proxmox`).
//!
//! Read-only: `GET` [`RESOURCES_PATH`] (every guest with its node, state, vCPUs and memory),
//! then, for each guest listed but templates (at most [`MAX_CONFIGS`]), `GET
//! /api2/json/nodes/{node}/{qemu|lxc}/{vmid}/config` (cores, memory, `netN` bridges and VLAN
//! tags). Nothing else is ever sent. Authentication by API token only: `user:` is the
//! token's id `USER@REALM!TOKENID`, `cred` its secret, sent as `Authorization:
//! PVEAPIToken=USER@REALM!TOKENID=SECRET` (a [`Secret`], never logged nor stored; the token
//! needs `VM.Audit` on `/vms`). URL: `https://address:8006`; Proxmox's own cluster CA
//! (`/etc/pve/pve-root-ca.pem`, which signs each node's `pve-ssl.pem`) goes in `ca_file`.
//! A guest whose config is refused or unreadable keeps `config_read: false` and the reason
//! goes in `hypervisor.unread`; a refused token fails the host with `auth_refused`.
//! Known limit: Proxmox answers `/cluster/resources` with the guests the token may see, so a
//! token without `VM.Audit` on some guests gets a shorter list, not a refusal; reading
//! `/access/permissions` to say so is not done yet (the examiner's token is documented to
//! need `VM.Audit` on `/vms`).

use super::cause;
use super::collector::{CollectContext, CollectFuture, Collected, RemoteCollector};
use super::host_error::{HostError, HostErrorKind};
use super::http_api::{ApiClient, channel_label, excerpt};
use crate::i18n::tf;
use crate::inventory::HostTarget;
use crate::secret::Secret;
use constat_systems::proxmox::{hypervisor_snapshot, parse_proxmox};
use std::time::Instant;

/// Every guest (VMs and containers) of the cluster.
pub(super) const RESOURCES_PATH: &str = "/api2/json/cluster/resources?type=vm";

/// Most guest configs read in one collection (a lab has a handful; past it the rest are
/// said in `hypervisor.unread`).
pub(super) const MAX_CONFIGS: usize = 500;

/// Collects `proxmox` hosts.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProxmoxCollector;

impl RemoteCollector for ProxmoxCollector {
    fn collect<'a>(&'a self, target: &'a HostTarget, ctx: &'a CollectContext) -> CollectFuture<'a> {
        Box::pin(collect_proxmox(target, ctx))
    }
}

/// Whether `user` is an API token id, `USER@REALM!TOKENID`.
fn is_token_id(user: &str) -> bool {
    let Some((account, token)) = user.split_once('!') else {
        return false;
    };
    let Some((name, realm)) = account.split_once('@') else {
        return false;
    };
    !name.is_empty()
        && !realm.is_empty()
        && !token.is_empty()
        && !user.contains(|c: char| c.is_whitespace() || c.is_control() || c == '=')
}

/// Whether a node name from the API may go in a URL path as is (a host name).
fn safe_node(node: &str) -> bool {
    !node.is_empty()
        && node.len() <= 63
        && node
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !node.starts_with('.')
}

/// Collects one `proxmox` host.
pub async fn collect_proxmox(
    target: &HostTarget,
    ctx: &CollectContext,
) -> Result<Collected, HostError> {
    if !is_token_id(&target.user) {
        return Err(HostError::new(
            HostErrorKind::Credentials,
            tf(
                "proxmox.needs_token_id",
                &[("host", &target.label()), ("user", &target.user)],
            ),
        ));
    }
    let secret = ctx.required_password(target, "proxmox.needs_cred")?;
    let authorization = Secret::new(format!("PVEAPIToken={}={}", target.user, secret.expose()));
    let started = Instant::now();
    let started_at = crate::grading::now_rfc3339();
    let api = ApiClient::new(target, ctx)?;
    let base = api.url("");
    let bad = |url: &str, error: String| {
        HostError::new(
            HostErrorKind::BadOutput,
            tf(
                "proxmox.bad_answer",
                &[("host", &api.label()), ("url", &url), ("error", &error)],
            ),
        )
    };
    let refused = |url: &str, status: u16, body: &[u8]| {
        HostError::new(
            HostErrorKind::AuthRefused,
            tf(
                "proxmox.auth_refused",
                &[
                    ("host", &api.label()),
                    ("user", &target.user),
                    ("url", &url),
                    ("status", &status),
                    ("error", &excerpt(body)),
                ],
            ),
        )
    };
    let headers: [(&str, &Secret); 1] = [("Authorization", &authorization)];
    let work = async {
        let url = api.url(RESOURCES_PATH);
        let (status, _, resources) = api.get_with_headers(RESOURCES_PATH, &headers).await?;
        match status {
            200..=299 => {}
            401 | 403 => return Err(refused(&url, status, &resources)),
            _ => {
                return Err(bad(
                    &url,
                    cause::detailed(
                        &cause::answer(status, &resources),
                        &format!("HTTP {status} {}", excerpt(&resources)),
                    ),
                ));
            }
        }
        let listed = parse_proxmox(&resources, &[], RESOURCES_PATH).map_err(|e| {
            bad(
                &url,
                cause::detailed(&cause::shape(&[&resources]), &e.to_string()),
            )
        })?;
        let mut configs: Vec<(String, Vec<u8>)> = Vec::new();
        let mut unread = Vec::new();
        for (n, guest) in listed.guests.iter().enumerate() {
            let name = format!("{}/{} on {}", guest.guest_type, guest.id, guest.node);
            if n >= MAX_CONFIGS {
                unread.push(format!(
                    "{name}: config not read (more than {MAX_CONFIGS} guests)"
                ));
                continue;
            }
            // A template never runs: the `vm` kind leaves it out, its config is not read.
            if guest.template {
                continue;
            }
            if !safe_node(&guest.node) {
                unread.push(format!(
                    "{}/{} on {:?}: config not read (node name not usable in a URL)",
                    guest.guest_type, guest.id, guest.node
                ));
                continue;
            }
            let path = format!(
                "/api2/json/nodes/{}/{}/{}/config",
                guest.node, guest.guest_type, guest.id
            );
            let (status, _, body) = api.get_with_headers(&path, &headers).await?;
            match status {
                // A config the reader refuses marks that guest only, never the whole host.
                200..=299 => match parse_proxmox(br#"{"data":[]}"#, &[(&path, &body)], &path) {
                    Ok(_) => configs.push((path, body)),
                    Err(e) => unread.push(format!("{name}: {e}")),
                },
                401 => return Err(refused(&api.url(&path), status, &body)),
                _ => unread.push(format!("{name}: HTTP {status} {}", excerpt(&body))),
            }
        }
        Ok((resources, configs, unread))
    };
    let (resources, configs, unread) =
        super::http_api::within_host_timeout(ctx, target, &base, work).await?;
    let refs: Vec<(&str, &[u8])> = configs
        .iter()
        .map(|(path, body)| (path.as_str(), body.as_slice()))
        .collect();
    let mut hypervisor = parse_proxmox(&resources, &refs, RESOURCES_PATH).map_err(|e| {
        let mut bodies: Vec<&[u8]> = vec![&resources];
        bodies.extend(refs.iter().map(|(_, body)| *body));
        bad(
            &api.url(RESOURCES_PATH),
            cause::detailed(&cause::shape(&bodies), &e.to_string()),
        )
    })?;
    hypervisor.unread = unread;
    let mut snapshot = hypervisor_snapshot(hypervisor, &target.address, &started_at);
    snapshot.collection.agent = "constat-proxmox".to_owned();
    snapshot.collection.finished_at = crate::grading::now_rfc3339();
    snapshot.collection.duration_ms = started.elapsed().as_millis() as u64;
    snapshot.collection.transport = Some(channel_label("proxmox api", target));
    Collected::from_snapshot(&snapshot, 1 + configs.len() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_ids_and_node_names() {
        assert!(is_token_id("constat@pve!audit"));
        assert!(is_token_id("root@pam!jury-2026"));
        for bad in [
            "",
            "root@pam",
            "root!x",
            "@pam!x",
            "root@!x",
            "root@pam!",
            "a@b!c=d",
        ] {
            assert!(!is_token_id(bad), "{bad}");
        }
        assert!(safe_node("pve") && safe_node("pve-2.lab"));
        for bad in ["", "..", "../access", "pve/qemu", "pve?x", ".hidden"] {
            assert!(!safe_node(bad), "{bad}");
        }
    }
}
