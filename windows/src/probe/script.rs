//! The probe script, embedded at build time.

/// `constat-probe.ps1` (Windows PowerShell 5.1), sent to the host as is.
pub const PROBE_SCRIPT: &str = include_str!("../../probe/constat-probe.ps1");

/// Sections the probe fills, each in its own `Invoke-Section` block.
pub const PROBE_SECTIONS: &[&str] = &[
    "domain_membership",
    "users",
    "groups",
    "services",
    "firewall",
    "shares",
    "scheduled_jobs",
    "windows_features",
    "windows_updates",
    "wsus_client",
    "wsus_server",
    "dhcp_server",
    "dns_server",
    "windows_backup",
    "rsop",
    "files",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// PowerShell cannot run here (no pwsh package on this machine's registries), so the
    /// script is checked structurally: UTF-8 without BOM, LF line endings, strict mode,
    /// explicit JSON depth, and one `Invoke-Section` per section the normaliser reads.
    #[test]
    fn script_is_well_formed() {
        assert!(!PROBE_SCRIPT.starts_with('\u{feff}'), "no BOM");
        assert!(!PROBE_SCRIPT.contains('\r'), "LF line endings only");
        assert!(
            PROBE_SCRIPT.is_ascii(),
            "ASCII only: the console code page must not matter"
        );
        assert!(PROBE_SCRIPT.contains("Set-StrictMode -Version 2.0"));
        assert!(PROBE_SCRIPT.contains("ConvertTo-Json -Depth 8"));
        for name in PROBE_SECTIONS {
            assert!(
                PROBE_SCRIPT.contains(&format!("Invoke-Section \"{name}\"")),
                "section {name} missing from the probe"
            );
        }
        let opens = PROBE_SCRIPT.matches('{').count();
        let closes = PROBE_SCRIPT.matches('}').count();
        assert_eq!(opens, closes, "unbalanced braces");
    }
}
