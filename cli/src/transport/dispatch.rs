//! One entry point for every transport: [`collect_host`] picks local, SSH, or a plugged-in
//! collector (WinRM, LDAP, Zabbix, Icinga2, GLPI and Proxmox register through [`RemoteCollector`], see [`plugged_collectors`]).

use super::collector::{CollectContext, Collected, RemoteCollector};
use super::glpi::GlpiCollector;
use super::host_error::{HostError, HostErrorKind};
use super::icinga2::Icinga2Collector;
use super::ldap::LdapCollector;
use super::local::collect_local;
use super::proxmox::ProxmoxCollector;
use super::scrub::HostSecrets;
use super::ssh::collect_ssh;
use super::winrm::WinrmCollector;
use super::zabbix::ZabbixCollector;
use crate::i18n::tf;
use crate::inventory::{HostTarget, TransportKind};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The collectors of this build for transports other than local and SSH.
pub fn plugged_collectors() -> BTreeMap<&'static str, Arc<dyn RemoteCollector>> {
    let mut plugged: BTreeMap<&'static str, Arc<dyn RemoteCollector>> = BTreeMap::new();
    plugged.insert(TransportKind::Ldap.as_str(), Arc::new(LdapCollector));
    plugged.insert(TransportKind::Winrm.as_str(), Arc::new(WinrmCollector));
    plugged.insert(TransportKind::Zabbix.as_str(), Arc::new(ZabbixCollector));
    plugged.insert(TransportKind::Icinga2.as_str(), Arc::new(Icinga2Collector));
    plugged.insert(TransportKind::Glpi.as_str(), Arc::new(GlpiCollector));
    plugged.insert(TransportKind::Proxmox.as_str(), Arc::new(ProxmoxCollector));
    plugged
}

/// Collects one host with its transport. Whatever comes back (snapshot or error) has every
/// credential used for the host scrubbed ([`HostSecrets`]) before anyone stores or prints it.
pub async fn collect_host(
    target: &HostTarget,
    ctx: &CollectContext,
) -> Result<Collected, HostError> {
    let secrets = host_secrets(ctx, target);
    match collect_raw(target, ctx).await {
        Ok(collected) => secrets.scrub_collected(collected),
        Err(error) => Err(secrets.scrub_error(error)),
    }
}

async fn collect_raw(target: &HostTarget, ctx: &CollectContext) -> Result<Collected, HostError> {
    match target.transport {
        TransportKind::Local => collect_local(ctx).await,
        TransportKind::Ssh => collect_ssh(target, ctx).await,
        other => match ctx.plugged.get(other.as_str()) {
            Some(collector) => collector.collect(target, ctx).await,
            None => Err(HostError::new(
                HostErrorKind::Unsupported,
                tf("transport.unsupported", &[("transport", &other.as_str())]),
            )),
        },
    }
}

/// The credentials used for `target` (its password, which is also its sudo password),
/// for scrubbing; a credential that cannot be found is simply not used.
fn host_secrets(ctx: &CollectContext, target: &HostTarget) -> HostSecrets {
    HostSecrets::new(
        target
            .cred
            .as_deref()
            .and_then(|name| ctx.credentials.get(name).ok()),
    )
}
