//! The guard for the code that has never run on Windows: `probe/constat-probe.ps1` parsed with
//! a real PowerShell grammar (tree-sitter-powershell, from crates.io) must have no syntax
//! error, no construct Windows PowerShell 5.1 lacks (`??`, `?.`, the ternary `? :`,
//! `&&`/`||` pipeline chains, `ForEach-Object -Parallel`, `clean {}` blocks: all PowerShell
//! 7) and call only the cmdlets listed below, each with the module that ships it on Windows
//! Server 2016–2025 (functions the probe defines and the native programs listed are allowed
//! too). The grammar knows PowerShell 7's pipeline chains but not the other PowerShell 7
//! operators: those are ERROR nodes, named here by what they look like.

use tree_sitter::{Node, Parser, Tree};

/// Cmdlets the probe may call: (name, module). Every module is in Windows PowerShell 5.1 on
/// Windows Server 2016, 2019, 2022 and 2025 (role modules once the role or its tools are
/// installed; the probe tests the role first).
const ALLOWED_CMDLETS: &[(&str, &str)] = &[
    // Microsoft.PowerShell.Core
    ("ForEach-Object", "Microsoft.PowerShell.Core"),
    ("Where-Object", "Microsoft.PowerShell.Core"),
    ("Set-StrictMode", "Microsoft.PowerShell.Core"),
    ("Get-Command", "Microsoft.PowerShell.Core"),
    // Microsoft.PowerShell.Utility
    ("Get-Date", "Microsoft.PowerShell.Utility"),
    ("ConvertTo-Json", "Microsoft.PowerShell.Utility"),
    ("Out-String", "Microsoft.PowerShell.Utility"),
    ("Out-Null", "Microsoft.PowerShell.Core"),
    ("Sort-Object", "Microsoft.PowerShell.Utility"),
    ("Select-Object", "Microsoft.PowerShell.Utility"),
    ("New-Object", "Microsoft.PowerShell.Utility"),
    ("Get-FileHash", "Microsoft.PowerShell.Utility"),
    // Microsoft.PowerShell.Management
    ("Get-Item", "Microsoft.PowerShell.Management"),
    ("Get-ChildItem", "Microsoft.PowerShell.Management"),
    ("Get-ItemProperty", "Microsoft.PowerShell.Management"),
    ("Get-Content", "Microsoft.PowerShell.Management"),
    ("Test-Path", "Microsoft.PowerShell.Management"),
    ("Join-Path", "Microsoft.PowerShell.Management"),
    ("Remove-Item", "Microsoft.PowerShell.Management"),
    ("Get-HotFix", "Microsoft.PowerShell.Management"),
    ("Get-TimeZone", "Microsoft.PowerShell.Management"),
    (
        "Test-ComputerSecureChannel",
        "Microsoft.PowerShell.Management",
    ),
    // Microsoft.PowerShell.Security
    ("Get-Acl", "Microsoft.PowerShell.Security"),
    // CimCmdlets
    ("Get-CimInstance", "CimCmdlets"),
    // Microsoft.PowerShell.LocalAccounts (5.1)
    ("Get-LocalUser", "Microsoft.PowerShell.LocalAccounts"),
    ("Get-LocalGroup", "Microsoft.PowerShell.LocalAccounts"),
    ("Get-LocalGroupMember", "Microsoft.PowerShell.LocalAccounts"),
    // NetSecurity
    ("Get-NetFirewallProfile", "NetSecurity"),
    ("Get-NetFirewallRule", "NetSecurity"),
    ("Get-NetFirewallPortFilter", "NetSecurity"),
    ("Get-NetFirewallAddressFilter", "NetSecurity"),
    // SmbShare
    ("Get-SmbShare", "SmbShare"),
    ("Get-SmbShareAccess", "SmbShare"),
    // ScheduledTasks
    ("Get-ScheduledTask", "ScheduledTasks"),
    ("Get-ScheduledTaskInfo", "ScheduledTasks"),
    // ServerManager (servers) and Dism (clients)
    ("Get-WindowsFeature", "ServerManager"),
    ("Get-WindowsOptionalFeature", "Dism"),
    // UpdateServices (WSUS role)
    ("Get-WsusServer", "UpdateServices"),
    // DhcpServer (DHCP role tools)
    ("Get-DhcpServerInDC", "DhcpServer"),
    ("Get-DhcpServerv4OptionValue", "DhcpServer"),
    ("Get-DhcpServerv4Scope", "DhcpServer"),
    ("Get-DhcpServerv4ExclusionRange", "DhcpServer"),
    ("Get-DhcpServerv4Reservation", "DhcpServer"),
    ("Get-DhcpServerv4Lease", "DhcpServer"),
    ("Get-DhcpServerv4DnsSetting", "DhcpServer"),
    // DnsServer (DNS role tools)
    ("Get-DnsServerForwarder", "DnsServer"),
    ("Get-DnsServerZone", "DnsServer"),
    ("Get-DnsServerResourceRecord", "DnsServer"),
    // WindowsServerBackup (Windows-Server-Backup feature)
    ("Get-WBPolicy", "WindowsServerBackup"),
    ("Get-WBSummary", "WindowsServerBackup"),
    ("Get-WBSchedule", "WindowsServerBackup"),
    ("Get-WBBackupTarget", "WindowsServerBackup"),
    ("Get-WBVolume", "WindowsServerBackup"),
    ("Get-WBFileSpec", "WindowsServerBackup"),
    ("Get-WBSystemState", "WindowsServerBackup"),
    ("Get-WBBareMetalRecovery", "WindowsServerBackup"),
    // WDS (Windows Deployment Services role tools)
    ("Get-WdsBootImage", "WDS"),
    ("Get-WdsInstallImage", "WDS"),
];

/// Native programs the probe runs (read-only queries), from `%SystemRoot%\System32`.
const ALLOWED_NATIVE: &[&str] = &["reg.exe", "gpresult.exe", "wbadmin.exe"];

const PROBE: &str = include_str!("../probe/constat-probe.ps1");

/// One problem, located.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    line: usize,
    column: usize,
    message: String,
}

fn parse(source: &str) -> Tree {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_powershell::LANGUAGE.into())
        .expect("the PowerShell grammar loads");
    parser
        .parse(source, None)
        .expect("the parser returns a tree")
}

fn text<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

fn at(node: Node<'_>, message: String) -> Finding {
    let p = node.start_position();
    Finding {
        line: p.row + 1,
        column: p.column + 1,
        message,
    }
}

fn short(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(60).collect()
}

/// What an ERROR node most likely is: a PowerShell 7 operator the grammar does not know, or
/// a plain syntax error.
fn explain_error(node: Node<'_>, source: &str) -> String {
    let t = text(node, source);
    // The character after the node tells `$x?.Name` (the grammar stops at `?`) apart.
    let next = source.get(node.end_byte()..).and_then(|r| r.chars().next());
    let with_next = format!("{t}{}", next.unwrap_or(' '));
    let what = if t.contains("??") {
        "`??` (null-coalescing) is PowerShell 7 only"
    } else if with_next.contains("?.") || with_next.contains("?[") {
        "`?.` / `?[` (null-conditional access) is PowerShell 7 only"
    } else if t.contains('?') {
        "`? :` (ternary operator) is PowerShell 7 only"
    } else if t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("clean"))
    {
        "a `clean {}` block is PowerShell 7.3 only"
    } else {
        "syntax error"
    };
    format!("{what}: {:?}", short(t))
}

fn defined_functions(root: Node<'_>, source: &str) -> Vec<String> {
    let mut names = Vec::new();
    walk(root, &mut |node| {
        if node.kind() == "function_statement" {
            let mut cursor = node.walk();
            for child in node.children(&mut cursor) {
                if child.kind() == "function_name" {
                    names.push(text(child, source).to_ascii_lowercase());
                }
            }
        }
    });
    names
}

fn walk<'t>(node: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    f(node);
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        walk(child, f);
    }
}

/// Like [`walk`], but an ERROR node's inside is not visited: one finding per error.
fn walk_outside_errors<'t>(node: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    f(node);
    if node.is_error() {
        return;
    }
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        walk_outside_errors(child, f);
    }
}

/// `-Parallel` or any unambiguous abbreviation of it (`-pa`, `-Par`…).
fn is_parallel(parameter: &str) -> bool {
    let p = parameter.trim_start_matches('-').trim_end_matches(':');
    p.len() >= 2 && "parallel".starts_with(&p.to_ascii_lowercase())
}

fn check_command(node: Node<'_>, source: &str, functions: &[String], out: &mut Vec<Finding>) {
    let Some(name_node) = node.child_by_field_name("command_name") else {
        return;
    };
    if name_node.kind() != "command_name" {
        // `& $Body`, `& $scriptblock`: invocation of a value, not a named command.
        return;
    }
    let name = text(name_node, source);
    let lower = name.to_ascii_lowercase();
    if matches!(lower.as_str(), "foreach-object" | "foreach" | "%")
        && let Some(elements) = node.child_by_field_name("command_elements")
    {
        let mut cursor = elements.walk();
        for element in elements.children(&mut cursor) {
            if element.kind() == "command_parameter" && is_parallel(text(element, source)) {
                out.push(at(
                    element,
                    "`ForEach-Object -Parallel` is PowerShell 7 only".to_owned(),
                ));
            }
        }
    }
    let allowed = ALLOWED_CMDLETS
        .iter()
        .any(|(c, _)| c.eq_ignore_ascii_case(name))
        || ALLOWED_NATIVE.iter().any(|n| n.eq_ignore_ascii_case(name))
        || functions.contains(&lower);
    if !allowed {
        out.push(at(
            name_node,
            format!(
                "`{name}` is not in the allow-list of cmdlets of the Windows Server 2016–2025 modules (tests/probe_grammar.rs): add it with its module, or use one that is"
            ),
        ));
    }
}

/// Every problem of a script, sorted by position.
fn findings(source: &str) -> Vec<Finding> {
    let tree = parse(source);
    let root = tree.root_node();
    let functions = defined_functions(root, source);
    let mut out = Vec::new();
    walk_outside_errors(root, &mut |node| {
        if node.is_missing() {
            out.push(at(node, format!("syntax error: missing `{}`", node.kind())));
        } else if node.is_error() {
            out.push(at(node, explain_error(node, source)));
        } else if node.kind() == "pipeline_chain_tail" {
            out.push(at(
                node,
                format!(
                    "`{}` (pipeline chain operator) is PowerShell 7 only",
                    text(node, source)
                ),
            ));
        } else if node.kind() == "command" {
            check_command(node, source, &functions, &mut out);
        }
    });
    out.sort();
    out.dedup();
    out
}

fn render(file: &str, found: &[Finding]) -> String {
    found
        .iter()
        .map(|f| format!("{file}:{}:{}: {}", f.line, f.column, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_probe_is_windows_powershell_5_1() {
    let found = findings(PROBE);
    assert!(
        found.is_empty(),
        "\n{}",
        render("probe/constat-probe.ps1", &found)
    );
}

/// The guard finds each construct it is for (so a clean probe means something).
#[test]
fn the_guard_finds_what_5_1_lacks() {
    let bad = r#"function Get-Facts { param($x) }
$a = $b ?? 'c'
$c = $d ? 1 : 2
$e = $f?.Name
Get-Item x && Get-Date || Get-Date
Get-ChildItem | ForEach-Object -Par { $_ }
function G { begin {} clean { 'x' } }
Get-Facts 1; Invoke-WebRequest http://x; wmic.exe os
$g = @(1, 2
"#;
    insta::assert_snapshot!(render("sample.ps1", &findings(bad)));
}
