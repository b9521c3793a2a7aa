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
    "profile_mappings",
    "deployment",
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
        // The parameters the WinRM bootstrap passes (`-RsopUser`, `-Files`, `-HeadBytes`).
        let param = PROBE_SCRIPT
            .lines()
            .find(|l| l.starts_with("param("))
            .unwrap_or_default();
        for name in ["$RsopUser", "$Files", "$HeadBytes"] {
            assert!(param.contains(name), "parameter {name} missing: {param}");
            let passed = match name {
                "$RsopUser" => "-RsopUser".to_owned(),
                other => other.replace('$', "$a."),
            };
            assert!(
                crate::winrm::bootstrap_script(Some("X\\y")).contains(&passed),
                "the bootstrap does not pass {name}"
            );
        }
        // Requested files are opened for reading only, shared with writers.
        assert!(
            PROBE_SCRIPT.contains("[System.IO.FileAccess]::Read, [System.IO.FileShare]::ReadWrite")
        );
        let opens = PROBE_SCRIPT.matches('{').count();
        let closes = PROBE_SCRIPT.matches('}').count();
        assert_eq!(opens, closes, "unbalanced braces");
    }
}
