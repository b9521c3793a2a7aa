//! Real-system tests of the agent's network-facing collectors: the agent runs inside network
//! namespaces this test creates (10.202.<n>.0/24, no default route) with real nft, iptables
//! and ufw rules, a real sshd, and configuration files in the namespace's private /etc; plus
//! one offline-root run on a directory of configuration files.

use constat_agent::collectors::listening;
use constat_snapshot::services::ListeningSocket;
use constat_tests::netns::{NetNs, run};
use constat_tests::real::{agent_binary, real_tests_enabled, require_programs};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Runs the agent inside the namespace and returns its snapshot, redacted.
fn collect_in(ns: &NetNs, extra: &[&str]) -> Value {
    let mut args = vec!["collect"];
    args.extend_from_slice(extra);
    let out = run(&mut ns.command(agent_binary(), &args));
    let text = ns.redact(&String::from_utf8_lossy(&out.stdout));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("agent output is not JSON: {e}\n{text}"))
}

fn section<'a>(snapshot: &'a Value, name: &str) -> &'a Value {
    let s = &snapshot["sections"][name];
    assert_eq!(s["status"], "collected", "section {name}: {s}");
    &s["data"]
}

/// Keeps only the given keys of an object.
fn pick(value: &Value, keys: &[&str]) -> Value {
    Value::Object(
        keys.iter()
            .filter_map(|k| value.get(*k).map(|v| ((*k).to_owned(), v.clone())))
            .collect(),
    )
}

/// Interfaces without the parts that change on every run (MAC, link-local address).
fn stable_interfaces(network: &Value) -> Value {
    let mut interfaces = network["interfaces"].clone();
    for i in interfaces.as_array_mut().into_iter().flatten() {
        if i.get("mac").is_some() {
            i["mac"] = json!("[MAC]");
        }
        if let Some(addrs) = i["addresses"].as_array_mut() {
            addrs.retain(|a| !a["address"].as_str().unwrap_or("").starts_with("fe80:"));
        }
    }
    interfaces
}

fn backends(firewall: &Value) -> Value {
    firewall["backends"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| pick(b, &["kind", "active", "enabled_at_boot", "error"]))
        .collect()
}

const SSHD_CONFIG: &str = "# written by agent_network.rs
Port 22
ListenAddress @ADDR@
HostKey /etc/ssh/constat_test_host_ed25519_key
PidFile none
PermitRootLogin no
AllowGroups sshusers
PasswordAuthentication yes
UsePAM no
Match Address 10.202.0.0/16
    PermitRootLogin prohibit-password
";

const SMB_CONF: &str = "[global]
   workgroup = HORIZON
   server role = standalone server

[Commun]
   path = /srv/partage/commun
   read only = no
   valid users = @compta, alice
";

#[test]
fn nft_sshd_and_network_in_a_namespace() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["ip", "nft", "sshd", "ssh-keygen", "unshare", "testparm"]);
    let mut ns = NetNs::create();
    // The copy of /etc must not carry this machine's host keys or sshd drop-ins.
    run(Command::new("sh").arg("-c").arg(format!(
        "rm -rf {d}/etc/ssh/ssh_host_* {d}/etc/ssh/sshd_config.d && \
         ssh-keygen -q -t ed25519 -N '' -C constat-test -f {d}/etc/ssh/constat_test_host_ed25519_key",
        d = ns.dir().display()
    )));
    ns.write_etc("ssh/sshd_config", &SSHD_CONFIG.replace("@ADDR@", &ns.addr));
    ns.write_etc(
        "resolv.conf",
        &format!("nameserver {}\nsearch lab.test\n", ns.host_addr),
    );
    ns.write_etc(
        "hosts",
        &format!("127.0.0.1 localhost\n{} vm.lab.test vm\n", ns.addr),
    );
    ns.write_etc("samba/smb.conf", SMB_CONF);
    ns.write_etc("exports", "/srv/nfs 10.202.0.0/16(ro,sync)\n");
    let lan = format!("10.202.{}.0/24", ns.subnet);
    ns.sh(&format!(
        "nft add table inet filter && \
         nft add chain inet filter input '{{ type filter hook input priority 0; policy drop; }}' && \
         nft add rule inet filter input ct state established,related accept && \
         nft add rule inet filter input iif lo accept && \
         nft add rule inet filter input tcp dport 22 ip saddr {lan} accept comment '\"ssh-lan\"' && \
         nft add rule inet filter input tcp dport '{{80,443}}' accept"
    ));
    ns.spawn("/usr/sbin/sshd", &["-D", "-e"]);
    ns.wait_listening(22);

    let snapshot = collect_in(&ns, &[]);
    let network = section(&snapshot, "network");
    let firewall = section(&snapshot, "firewall");
    let sshd = section(&snapshot, "sshd");
    let mut listening = section(&snapshot, "listening").clone();
    for socket in listening.as_array_mut().into_iter().flatten() {
        if socket.get("pid").is_some() {
            socket["pid"] = json!("[PID]");
        }
    }
    let settings = &sshd["settings"];
    let observed = json!({
        "listening": listening,
        "network": {
            "interfaces": stable_interfaces(network),
            "routes": network["routes"],
            "default_gateways": network["default_gateways"],
            "dns": network["dns"],
            "hosts": network["hosts"],
        },
        "firewall": {
            "backends": backends(firewall),
            "chains": firewall["chains"],
        },
        "sshd": {
            "source": sshd["source"],
            "files": sshd["files"],
            "settings": pick(settings, &[
                "port", "listenaddress", "permitrootlogin", "allowgroups",
                "passwordauthentication", "usepam", "hostkey", "pubkeyauthentication",
            ]),
            "matches": sshd["matches"],
        },
        "shares": section(&snapshot, "shares"),
    });
    insta::assert_json_snapshot!(observed);
}

#[test]
fn iptables_rules_in_a_namespace() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&[
        "ip",
        "iptables",
        "iptables-save",
        "ip6tables-save",
        "nft",
        "unshare",
    ]);
    let ns = NetNs::create();
    let lan = format!("10.202.{}.0/24", ns.subnet);
    ns.sh(&format!(
        "iptables -P INPUT DROP && \
         iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT && \
         iptables -A INPUT -i lo -j ACCEPT && \
         iptables -A INPUT -p tcp -s {lan} --dport 22 -m comment --comment 'ssh lan' -j ACCEPT && \
         iptables -A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT && \
         iptables -A INPUT -p tcp --dport 3306 -m limit --limit 3/min -j ACCEPT && \
         ip6tables -P INPUT DROP"
    ));
    let snapshot = collect_in(&ns, &["--only", "firewall"]);
    let firewall = section(&snapshot, "firewall");
    // iptables-nft rules are also in `nft -j`: normalised once, from iptables-save.
    let nft_ip_chains: Vec<&Value> = firewall["chains"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["backend"] == "nftables")
        .collect();
    assert!(nft_ip_chains.is_empty(), "counted twice: {nft_ip_chains:?}");
    insta::assert_json_snapshot!(json!({
        "backends": backends(firewall),
        "chains": firewall["chains"],
    }));
}

#[test]
fn ufw_in_a_namespace() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["ip", "ufw", "iptables-save", "unshare"]);
    let ns = NetNs::create();
    let lan = format!("10.202.{}.0/24", ns.subnet);
    // ufw writes /etc/ufw and /run: both are the namespace's private copies.
    ns.sh(&format!(
        "ufw allow from {lan} to any port 22 proto tcp comment ssh-lan && \
         ufw allow 80/tcp && ufw deny 3306/tcp && ufw default deny incoming && \
         ufw --force enable"
    ));
    let snapshot = collect_in(&ns, &["--only", "firewall"]);
    let firewall = section(&snapshot, "firewall");
    let ufw = firewall["backends"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|b| b["kind"] == "ufw")
        .cloned()
        .unwrap_or(Value::Null);
    let user_chains: Vec<&Value> = firewall["chains"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            c["name"] == "INPUT"
                || c["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("ufw-user-input"))
        })
        .collect();
    let mut ufw = pick(
        &ufw,
        &["kind", "active", "enabled_at_boot", "error", "raw_text"],
    );
    // `ufw status` pads its columns: the width follows the subnet number's length.
    if let Some(text) = ufw["raw_text"].as_str() {
        let collapsed: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        ufw["raw_text"] = json!(collapsed);
    }
    insta::assert_json_snapshot!(json!({
        "ufw": ufw,
        "chains": user_chains,
    }));
}

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(&full, text).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
}

#[test]
fn offline_root_reads_configuration_files() {
    if !real_tests_enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let root = dir.path();
    write(
        root,
        "etc/ssh/sshd_config",
        "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nAllowGroups sshusers admins\nMatch Group sftp\n  ForceCommand internal-sftp\n",
    );
    write(
        root,
        "etc/ssh/sshd_config.d/10-hardening.conf",
        "PermitRootLogin no\nPasswordAuthentication no\n",
    );
    write(
        root,
        "etc/samba/smb.conf",
        &format!("{SMB_CONF}   include = /etc/samba/extra.conf\n"),
    );
    write(
        root,
        "etc/samba/extra.conf",
        "[Public]\n   path = /srv/public\n   guest ok = yes\n",
    );
    write(
        root,
        "etc/exports",
        "/srv/nfs 192.168.10.0/24(rw,sync,no_subtree_check)\n",
    );
    write(
        root,
        "etc/network/interfaces",
        "auto eth0\niface eth0 inet static\n  address 192.168.10.20/24\n",
    );
    write(
        root,
        "etc/resolv.conf",
        "nameserver 192.168.10.10\nsearch horizon.lan\n",
    );
    write(
        root,
        "etc/hosts",
        "127.0.0.1 localhost\n192.168.10.20 srv-lnx.horizon.lan srv-lnx\n",
    );
    write(root, "etc/ufw/ufw.conf", "ENABLED=yes\nLOGLEVEL=low\n");
    write(
        root,
        "etc/ufw/user.rules",
        "*filter\n:ufw-user-input - [0:0]\n### tuple ### allow tcp 22 0.0.0.0/0 any 192.168.10.0/24 in\n-A ufw-user-input -p tcp --dport 22 -s 192.168.10.0/24 -j ACCEPT\nCOMMIT\n",
    );
    write(root, "etc/default/ufw", "DEFAULT_INPUT_POLICY=\"DROP\"\n");
    write(
        root,
        "etc/nftables.conf",
        "#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    tcp dport 22 accept\n  }\n}\n",
    );
    write(
        root,
        "etc/iptables/rules.v4",
        "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT\nCOMMIT\n",
    );
    write(
        root,
        "etc/fstab",
        "UUID=abcd / ext4 errors=remount-ro 0 1\n",
    );
    let out = run(Command::new(agent_binary())
        .args([
            "collect",
            "--only",
            "listening,network,firewall,shares,sshd,storage",
            "--root",
        ])
        .arg(root));
    let text = String::from_utf8_lossy(&out.stdout).replace(&root.display().to_string(), "[ROOT]");
    let snapshot: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    insta::assert_json_snapshot!(pick(
        &snapshot["sections"],
        &[
            "listening",
            "network",
            "firewall",
            "shares",
            "sshd",
            "storage"
        ]
    ));
}

#[test]
fn unprivileged_run_reports_why_not_instead_of_empty_lists() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["ip", "nft", "sshd", "ssh-keygen", "unshare", "setpriv"]);
    let ns = NetNs::create();
    run(Command::new("sh").arg("-c").arg(format!(
        "rm -rf {d}/etc/ssh/ssh_host_* {d}/etc/ssh/sshd_config.d && \
         ssh-keygen -q -t ed25519 -N '' -C constat-test -f {d}/etc/ssh/constat_test_host_ed25519_key",
        d = ns.dir().display()
    )));
    ns.write_etc("ssh/sshd_config", &SSHD_CONFIG.replace("@ADDR@", &ns.addr));
    ns.sh("nft add table inet filter && nft add chain inet filter input '{ type filter hook input priority 0; policy drop; }'");
    // As nobody: the firewall tools refuse and the host key is unreadable for `sshd -T`.
    let agent = agent_binary();
    let out = run(&mut ns.command(
        "setpriv",
        &[
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            &agent.display().to_string(),
            "collect",
            "--only",
            "firewall,sshd,listening",
        ],
    ));
    let text = ns.redact(&String::from_utf8_lossy(&out.stdout));
    let snapshot: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let sections = &snapshot["sections"];
    assert_eq!(sections["listening"]["status"], "collected", "{sections}");
    insta::assert_json_snapshot!(json!({
        "privileged": snapshot["collection"]["privileged"],
        "firewall": sections["firewall"],
        "sshd": {
            "status": sections["sshd"]["status"],
            "source": sections["sshd"]["data"]["source"],
            "fallback_reason": sections["sshd"]["data"]["fallback_reason"],
            "settings": sections["sshd"]["data"]["settings"],
        },
    }));
}

/// Sockets of every kind the listening collector tells apart, opened by one process: TCP
/// listening on IPv4, on IPv6 (dual-stack), on a v4-mapped address, UDP unconnected on both
/// families; and sockets that must not be reported (a connected UDP socket, an established TCP
/// connection, an unbound UDP socket). It listens on 8089 last, when everything is open.
const SOCKETS: &str = r#"
import socket, time
S = socket.socket
def tcp(af, addr):
    s = S(af, socket.SOCK_STREAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(addr); s.listen(); return s
keep = [tcp(socket.AF_INET, ("127.0.0.1", 8081)), tcp(socket.AF_INET6, ("::", 8082)),
        tcp(socket.AF_INET6, ("::ffff:127.0.0.1", 8083))]
u4 = S(socket.AF_INET, socket.SOCK_DGRAM); u4.bind(("0.0.0.0", 5353)); keep.append(u4)
u6 = S(socket.AF_INET6, socket.SOCK_DGRAM); u6.bind(("::1", 5354)); keep.append(u6)
uc = S(socket.AF_INET, socket.SOCK_DGRAM); uc.connect(("127.0.0.1", 5353)); keep.append(uc)
keep.append(S(socket.AF_INET, socket.SOCK_DGRAM))
c = S(socket.AF_INET, socket.SOCK_STREAM); c.connect(("127.0.0.1", 8081)); keep.append(c)
keep.append(keep[0].accept()[0])
keep.append(tcp(socket.AF_INET, ("0.0.0.0", 8089)))
time.sleep(600)
"#;

/// The agent reads listening sockets from `sock_diag` netlink; the /proc/net tables it falls
/// back to, read inside the same namespace and parsed by the fallback's parser, list the same
/// sockets.
#[test]
fn listening_from_netlink_equals_proc_net() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["ip", "unshare", "python3", "cat"]);
    let mut ns = NetNs::create();
    ns.spawn("python3", &["-c", SOCKETS]);
    ns.wait_listening(8089);
    let agent = agent_binary().display().to_string();
    let out = run(&mut ns.command(&agent, &["collect", "--only", "listening"]));
    let snapshot: Value = serde_json::from_slice(&out.stdout).expect("agent output is JSON");
    let mut from_agent: Vec<ListeningSocket> =
        serde_json::from_value(section(&snapshot, "listening").clone()).expect("sockets");
    // Every socket of the test has its owner (the test's process).
    assert!(from_agent.iter().all(|s| s.pid.is_some()), "{from_agent:?}");
    for s in &mut from_agent {
        (s.pid, s.process) = (None, None);
    }
    let mut raw = Vec::new();
    for (path, protocol, family) in [
        ("/proc/net/tcp", "tcp", "ipv4"),
        ("/proc/net/tcp6", "tcp", "ipv6"),
        ("/proc/net/udp", "udp", "ipv4"),
        ("/proc/net/udp6", "udp", "ipv6"),
    ] {
        raw.extend(listening::parse_proc_net(
            &ns.sh(&format!("cat {path}")),
            protocol,
            family,
        ));
    }
    let from_proc = listening::finish(raw, &BTreeMap::new());
    assert_eq!(from_agent, from_proc);
    insta::assert_json_snapshot!(from_agent);
    // The agent did ask netlink (when strace is there to tell).
    if Command::new("strace").arg("-V").output().is_ok() {
        let out = run(&mut ns.command(
            "strace",
            &[
                "-f",
                "-e",
                "trace=socket",
                &agent,
                "collect",
                "--only",
                "listening",
            ],
        ));
        let trace = String::from_utf8_lossy(&out.stderr);
        assert!(trace.contains("AF_NETLINK"), "{trace}");
    }
}

#[test]
fn network_without_ip_falls_back_to_sysfs() {
    if !real_tests_enabled() {
        return;
    }
    require_programs(&["ip", "unshare", "env"]);
    let ns = NetNs::create();
    run(Command::new("ip").args([
        "-n",
        &ns.name,
        "-6",
        "addr",
        "add",
        "fd00:202::2/64",
        "dev",
        "eth0",
        "nodad",
    ]));
    // No `ip` anywhere: the agent looks in the sbin and bin directories whatever PATH says,
    // so the namespace's private mount namespace hides them under empty tmpfs mounts (after
    // which only the already-started shell and the agent's absolute path are used).
    // Interfaces then come from /sys/class/net and /proc/net/if_inet6.
    let agent = agent_binary().display().to_string();
    let out = run(&mut ns.command(
        "sh",
        &[
            "-c",
            "mount -t tmpfs none /usr/sbin && mount -t tmpfs none /usr/bin && \
             exec \"$0\" collect --only network",
            &agent,
        ],
    ));
    let text = ns.redact(&String::from_utf8_lossy(&out.stdout));
    let snapshot: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let network = section(&snapshot, "network");
    insta::assert_json_snapshot!(json!({
        "interfaces": stable_interfaces(network),
        "not_collected": network["not_collected"],
    }));
}
