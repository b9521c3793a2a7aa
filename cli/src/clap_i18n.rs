//! The command line in the user's language: clap's help, usage and errors in French (default)
//! or English (`--lang en`, `CONSTAT_LANG=en`).
//!
//! The language is decided before clap parses ([`prescan_lang`]). [`command`] takes the
//! derived [`crate::Cli`] command and rewrites what clap would print in English: the usage
//! heading (help template), section headings, the help and version flags, the `help`
//! subcommand, possible and default values (rendered by us, clap's are hidden) and, in English,
//! every help text from [`HELP_EN`]. French help texts are the doc comments of the clap
//! structs (a few English ones are overridden by [`HELP_FR`]). Clap's errors are rendered by
//! [`render_error`] from their kind and context, never with clap's English sentences.
//! Keys: `path` (a subcommand's about, `""` for the root), `path:arg` (an argument; global
//! arguments are keyed `:arg`), `arg=value` (a possible value of any argument with that id).

use crate::i18n::Lang;
use crate::output::Format;
use clap::builder::PossibleValue;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};
use std::ffi::OsString;

/// Messages of this module: `(key, français, English)`.
const TEXT: &[(&str, &str, &str)] = &[
    ("usage", "Utilisation :", "Usage:"),
    ("commands", "Commandes ", "Commands"),
    ("options", "Options ", "Options"),
    ("arguments", "Arguments ", "Arguments"),
    ("command_value", "COMMANDE", "COMMAND"),
    ("help", "Affiche l'aide", "Print help"),
    (
        "help_long",
        "Affiche l'aide (un résumé avec -h)",
        "Print help (see a summary with -h)",
    ),
    ("version", "Affiche la version", "Print version"),
    (
        "help_command",
        "Affiche l'aide de constat ou d'une de ses commandes",
        "Print this message or the help of the given subcommand(s)",
    ),
    ("possible_values", "valeurs possibles", "possible values"),
    ("default", "par défaut", "default"),
    ("env", "variable", "env"),
    ("error", "erreur", "error"),
    (
        "try_help",
        "Pour en savoir plus : {help}",
        "For more information, try {help}",
    ),
    ("did_you_mean", "vouliez-vous dire", "did you mean"),
    ("or", " ou ", " or "),
    (
        "conflict_repeat",
        "l'argument « {arg} » ne peut être donné qu'une fois",
        "the argument '{arg}' cannot be used multiple times",
    ),
    (
        "conflict_with",
        "l'argument « {arg} » ne peut pas être utilisé avec « {other} »",
        "the argument '{arg}' cannot be used with '{other}'",
    ),
    (
        "no_equals",
        "il faut un signe égal pour donner une valeur à « {arg} » ({arg}=VALEUR)",
        "equal sign is needed when assigning values to '{arg}' ({arg}=VALUE)",
    ),
    (
        "value_missing",
        "il faut une valeur pour « {arg} »",
        "a value is required for '{arg}' but none was supplied",
    ),
    (
        "value_invalid",
        "valeur « {value} » invalide pour « {arg} »",
        "invalid value '{value}' for '{arg}'",
    ),
    (
        "subcommand_unknown",
        "commande « {command} » inconnue",
        "unrecognized subcommand '{command}'",
    ),
    (
        "missing_required",
        "arguments obligatoires manquants :",
        "the following required arguments were not provided:",
    ),
    (
        "missing_subcommand",
        "« {command} » demande une commande",
        "'{command}' requires a subcommand but one was not provided",
    ),
    ("subcommands", "commandes", "subcommands"),
    (
        "too_many",
        "valeur « {value} » inattendue pour « {arg} » : aucune autre n'est attendue",
        "unexpected value '{value}' for '{arg}' found; no more were expected",
    ),
    (
        "wrong_count",
        "« {arg} » demande {expected} valeur(s), {actual} donnée(s)",
        "'{arg}' requires {expected} value(s), {actual} given",
    ),
    (
        "unknown_argument",
        "argument « {arg} » inattendu",
        "unexpected argument '{arg}' found",
    ),
    (
        "invalid_utf8",
        "argument qui n'est pas de l'UTF-8 valide",
        "invalid UTF-8 was detected in one or more arguments",
    ),
    (
        "int_invalid",
        "ce n'est pas un nombre entier",
        "not an integer",
    ),
    (
        "int_range",
        "nombre hors des limites permises",
        "number out of range",
    ),
    ("int_empty", "valeur vide", "empty value"),
    (
        "bad_lang_env",
        "CONSTAT_LANG={value} : langue inconnue (fr ou en)",
        "CONSTAT_LANG={value}: unknown language (fr or en)",
    ),
    (
        "unknown_error",
        "ligne de commande invalide",
        "invalid command line",
    ),
];

/// English help texts, by key (see the module documentation).
pub const HELP_EN: &[(&str, &str)] = &[
    // Exports, jury notes and subsets (issue 14 items 3 and 4).
    (
        "csv_dialect=fr",
        "French spreadsheet: UTF-8 BOM, `;`, decimal comma.",
    ),
    (
        "csv_dialect=intl",
        "International: `,`, decimal point, no BOM.",
    ),
    (
        "demo:report",
        "Reports to write: `html,json,junit,md,csv,moodle` (into --out or reports/), or `FORMAT=PATH` (repeatable). Default: json, html and md (and csv for a session).",
    ),
    (
        "demo:csv_dialect",
        "CSV form: `fr` (French spreadsheet: BOM, `;`, decimal comma) or `intl` (`,`, decimal point, no BOM).",
    ),
    (
        "check:report",
        "Reports to write: `html,json,junit,md,csv,moodle` (into --out or reports/), or `FORMAT=PATH` (repeatable). Default: json, html and md (and csv for a session).",
    ),
    (
        "check:csv_dialect",
        "CSV form: `fr` (French spreadsheet: BOM, `;`, decimal comma) or `intl` (`,`, decimal point, no BOM).",
    ),
    (
        "grade:report",
        "Reports to write: `html,json,junit,md,csv,moodle` (into --out or reports/), or `FORMAT=PATH` (repeatable). Default: json, html and md (and csv for a session).",
    ),
    (
        "grade:csv_dialect",
        "CSV form: `fr` (French spreadsheet: BOM, `;`, decimal comma) or `intl` (`,`, decimal point, no BOM).",
    ),
    (
        "session run:report",
        "Reports to write: `html,json,junit,md,csv,moodle` (into --out or reports/), or `FORMAT=PATH` (repeatable). Default: json, html and md (and csv for a session).",
    ),
    (
        "session run:csv_dialect",
        "CSV form: `fr` (French spreadsheet: BOM, `;`, decimal comma) or `intl` (`,`, decimal point, no BOM).",
    ),
    (
        "session regrade:report",
        "Reports to write: `html,json,junit,md,csv,moodle` (into --out or reports/), or `FORMAT=PATH` (repeatable). Default: json, html and md (and csv for a session).",
    ),
    (
        "session regrade:csv_dialect",
        "CSV form: `fr` (French spreadsheet: BOM, `;`, decimal comma) or `intl` (`,`, decimal point, no BOM).",
    ),
    (
        "session note",
        "Records a jury note (waiver, decision), signed with the manifest",
    ),
    ("session note:dir", "Session directory"),
    ("session note:candidate", "Candidate concerned"),
    ("session note:author", "Author of the note (jury member)"),
    (
        "session note:text",
        "Text of the note: the incident, the reason for the decision",
    ),
    (
        "session note:waive",
        "Check or critère waived (repeatable): out of both numerator and denominator",
    ),
    (
        "session note:decide",
        "The jury's decision on a `jury` check (repeatable): `ID=pass`, `ID=fail`, `ID=partial:N` (N points)",
    ),
    (
        "session run:candidates",
        "Only these candidates (comma-separated); the others' snapshots are kept",
    ),
    ("session run:roles", "Only these roles (comma-separated)"),
    (
        "",
        "constat: records the real state of exam machines and gives an indicative grade",
    ),
    (
        "after_help",
        "Exit codes:
  0  everything asked was done
  1  run finished, but hosts or checks failed
  2  usage or input error (arguments, invalid inventory, credentials file refused)
  3  input/output error (file unreadable or impossible to write)

Passwords are never given on the command line: CONSTAT_CRED_<NAME> variables,
a credentials file with mode 0600, or an interactive prompt.",
    ),
    (":format", "Output format"),
    ("format=human", "Readable text (French by default)"),
    ("format=json", "One JSON document, for scripts"),
    (":lang", "Language of messages"),
    (
        ":color",
        "Terminal colours (auto: when the output is a terminal and NO_COLOR is not set)",
    ),
    (
        "color=auto",
        "Colours if the output is a terminal and NO_COLOR is not set",
    ),
    (
        "color=always",
        "Always (even redirected, even with NO_COLOR)",
    ),
    ("color=never", "Never"),
    (
        ":verbose",
        "Details the steps on standard error (pack loaded, collection, files written)",
    ),
    ("lang=fr", "French (default)"),
    ("lang=en", "English"),
    (
        "demo",
        "Demonstration: collects this machine, grades it with the `demo` pack, writes constat-demo/report.html",
    ),
    ("demo:out", "Output directory"),
    (
        "check",
        "Collects this machine and grades it with a pack (learner, trainer), with hints",
    ),
    (
        "check:pack",
        "Pack: id of an embedded pack or YAML file (with --submit, optional: the server then says what to collect)",
    ),
    (
        "check:role",
        "Role of this machine in the pack (by default the pack's only Linux role)",
    ),
    (
        "check:audience",
        "Audience of the report (learner by default: hints, without the expected values)",
    ),
    (
        "audience=examiner",
        "Jury: everything, with the explanations",
    ),
    ("audience=trainer", "Trainer: everything, with the hints"),
    (
        "audience=learner",
        "Learner: hints, never the expected values",
    ),
    (
        "check:out",
        "Directory where report.json, report.html, report.md and snapshot.json are written",
    ),
    (
        "check:active_tests",
        "Runs the pack's active test scripts (only if the pack allows it), as nobody, in a throwaway directory, with a time limit",
    ),
    (
        "check:submit",
        "Sends the snapshot to the trainer's server (constat serve), which grades it: its address",
    ),
    ("check:class", "Enrolment code of the class (with --submit)"),
    (
        "check:key",
        "File of the learner key received at enrolment (default ~/constat-CODE.key)",
    ),
    (
        "check:pin",
        "SHA-256 fingerprint of the server certificate to pin (the one constat serve prints)",
    ),
    (
        "check:watch",
        "Submits again every N seconds (at least 5), until Ctrl-C",
    ),
    (
        "check:host",
        "Linux host to collect over SSH instead of this machine: ssh://[account@]address[:port] (root and port 22 by default)",
    ),
    ("check:ssh_key", "SSH private key (with --host)"),
    (
        "check:cred",
        "Credential name (SSH password, and sudo's): CONSTAT_CRED_<NAME> or prompt (with --host)",
    ),
    (
        "check:sudo",
        "Runs the agent with `sudo -S` (password of --cred; with --host)",
    ),
    (
        "check:known_hosts",
        "known_hosts file (with --host; default ~/.local/share/constat/known_hosts)",
    ),
    (
        "check:strict_host_keys",
        "Refuses unknown host keys (with --host)",
    ),
    (
        "check:accept_host_key",
        "Accepts the host key of this fingerprint, checked on the machine (HOST=FINGERPRINT as the refusal names them; with --host)",
    ),
    (
        "serve",
        "The trainer's live class: web server, enrolments, learner submissions",
    ),
    (
        "serve:listen",
        "Listen address and port (loopback by default; 0.0.0.0:8443 for the classroom)",
    ),
    (
        "serve:data",
        "Data directory: SQLite database, certificate (default ~/.local/share/constat/serve)",
    ),
    (
        "serve:plain_http",
        "Plain HTTP without TLS, behind a reverse proxy that does TLS",
    ),
    (
        "serve:database",
        "Shared PostgreSQL database instead of the SQLite file, for several instances behind a load balancer: postgres://USER@HOST:PORT/DATABASE (?sslmode=require for TLS, ?sslmode=verify-full to verify the server); no password in the URL",
    ),
    (
        "serve:database_ca",
        "CA certificates (PEM) that sign the PostgreSQL server's, with ?sslmode=verify-full; without it, the system's",
    ),
    (
        "serve:database_cred",
        "Name of the credential holding the PostgreSQL password (CONSTAT_CRED_<NAME>, --credentials file, or prompt); without it, PGPASSWORD",
    ),
    (
        "serve:credentials",
        "Credentials file (YAML `name: password`, mode 0600): the PostgreSQL password (--database-cred) and the VMs pulled over SSH (pull mode), read at start",
    ),
    (
        "serve:pull_keys",
        "SSH private key the classes' inventories may name (key:), by path or file name; repeatable",
    ),
    (
        "serve:create_trainer",
        "Creates a trainer account (password prompted, or read from standard input) then stops",
    ),
    (
        "grade",
        "Grades snapshots with a pack and prints or writes the report",
    ),
    (
        "grade:pack",
        "Pack: id of an embedded pack (e.g. `demo`) or YAML file",
    ),
    (
        "grade:snapshots",
        "End snapshot per role: `ROLE=file.json` (repeatable)",
    ),
    (
        "grade:starts",
        "Start snapshot per role: `ROLE=file.json` (repeatable)",
    ),
    ("grade:candidate", "Candidate id"),
    (
        "grade:vars",
        "Candidate-specific variable: `NAME=value` (repeatable)",
    ),
    (
        "grade:profile",
        "Session profile (titre, ccp1, ccp2, lab) instead of the pack's",
    ),
    ("grade:audience", "Audience of the report"),
    (
        "grade:out",
        "Directory where report.json, report.html and report.md are written",
    ),
    ("collect", "Collects one host and writes its JSON snapshot"),
    ("collect:transport", "Transport"),
    ("transport=local", "This machine (agent run in the process)"),
    ("transport=ssh", "SSH: uploads and runs the agent"),
    (
        "transport=ldap",
        "LDAP: reads the directory of a domain controller (LDAPS by default)",
    ),
    (
        "transport=winrm",
        "WinRM: PowerShell probe (never tried on a real Windows)",
    ),
    (
        "transport=zabbix",
        "Zabbix: JSON-RPC API of the supervision server (read-only)",
    ),
    (
        "transport=icinga2",
        "Icinga2: REST API of the supervision server (read-only)",
    ),
    (
        "transport=glpi",
        "GLPI: REST API of the helpdesk (tickets, knowledge base; read-only)",
    ),
    (
        "transport=proxmox",
        "Proxmox VE: REST API of the hypervisor (VMs, resources, networks; read-only, API token)",
    ),
    (
        "collect:address",
        "Address of the host (every transport but local)",
    ),
    (
        "collect:port",
        "Port (default: ssh 22, ldap 636 or 389 with --tls plain, winrm 5985 or 5986 over HTTPS, zabbix and glpi 443 or 80 with --tls plain, icinga2 5665, proxmox 8006)",
    ),
    (
        "collect:user",
        "Login account (default root; zabbix and glpi: none, --cred is then an API token; proxmox: the token's id USER@REALM!TOKENID, --cred its secret)",
    ),
    (
        "collect:bind",
        "LDAP bind account (`Administrator@tssr.lan`, `TSSR\\Administrator` or a DN); replaces --user",
    ),
    (
        "collect:tls",
        "TLS policy (ldap and APIs: verify by default; winrm: HTTPS if verify or insecure)",
    ),
    (
        "tls=verify",
        "Certificate verified (with --ca-file or the system's authorities)",
    ),
    (
        "tls=insecure",
        "Certificate NOT verified (self-signed lab DC); noted in the snapshot",
    ),
    ("tls=plain", "No TLS (the password travels in clear)"),
    (
        "collect:ca_file",
        "Certificate authorities (PEM) to verify the server's certificate (ldap, zabbix, icinga2, glpi, proxmox; --tls verify)",
    ),
    (
        "collect:api_path",
        "Path of the API on the web server (zabbix: /zabbix/api_jsonrpc.php; glpi: /apirest.php)",
    ),
    (
        "collect:app_token_cred",
        "Name of the credential holding the API client's application token (glpi, App-Token)",
    ),
    (
        "collect:base_dn",
        "Naming context to read (ldap), e.g. DC=tssr,DC=lan",
    ),
    ("collect:no_sysvol", "Do not read SYSVOL (ldap)"),
    (
        "collect:utc_offset_minutes",
        "Legacy, no effect: logon hours are collected in UTC and read in the exam's time zone at grading (accepted for existing scripts)",
    ),
    (
        "collect:cred",
        "Name of the credential (password): CONSTAT_CRED_<NAME>, credentials file or prompt",
    ),
    ("collect:key", "SSH private key"),
    (
        "collect:agent_path",
        "Agent already installed on the host (nothing is uploaded)",
    ),
    (
        "collect:sudo",
        "Run the agent with `sudo -S` (password of --cred)",
    ),
    (
        "collect:credentials",
        "Credentials file (YAML `name: password`, mode 0600)",
    ),
    (
        "collect:known_hosts",
        "known_hosts file (default ~/.local/share/constat/known_hosts)",
    ),
    ("collect:strict_host_keys", "Refuse unknown host keys"),
    (
        "collect:accept_host_key",
        "Accept the host key of this fingerprint, checked on the machine (HOST=FINGERPRINT as the refusal names them; repeatable)",
    ),
    ("collect:connect_timeout", "Connection timeout, in seconds"),
    (
        "collect:timeout",
        "Total time allowed for the host, in seconds",
    ),
    (
        "collect:request",
        "JSON request file {\"paths\": [...]} (files the agent reports on)",
    ),
    ("collect:out", "Snapshot file to write"),
    (
        "import",
        "Turns a system's export (pfSense/OPNsense config.xml, Nagios status.dat) into a snapshot",
    ),
    ("import:kind", "Kind of file"),
    (
        "kind=appliance",
        "config.xml backup of a pfSense or OPNsense firewall",
    ),
    ("kind=nagios", "Nagios status.dat file"),
    ("import:file", "File exported by the system"),
    ("import:out", "JSON snapshot to write"),
    (
        "import:hostname",
        "Host name in the snapshot (nagios; a config.xml gives its own)",
    ),
    (
        "session",
        "Exam sessions: init, run, regrade, note, status, export, sign, verify",
    ),
    (
        "session init",
        "Creates the session directory from an inventory (and a CSV list of candidates)",
    ),
    ("session init:dir", "Session directory to create"),
    ("session init:inventory", "Inventory (YAML)"),
    (
        "session init:candidates",
        "List of candidates (CSV: id,name[,variable…]) added to the inventory",
    ),
    (
        "session run",
        "Collects every host of one phase (start or end of the exam)",
    ),
    ("session run:dir", "Session directory"),
    ("session run:phase", "Phase collected"),
    ("phase=start", "Before the candidate works"),
    ("phase=end", "When time is up"),
    (
        "session run:resume",
        "Collect only the hosts not collected yet (file present and sha256 right)",
    ),
    (
        "session run:concurrency",
        "Hosts collected at the same time (default: inventory, 16)",
    ),
    ("session run:strict_host_keys", "Refuse unknown host keys"),
    (
        "session run:accept_host_key",
        "Accept the host key of this fingerprint, checked on the machine (HOST=FINGERPRINT as the refusal names them; repeatable)",
    ),
    (
        "session run:credentials",
        "Credentials file (YAML `name: password`, mode 0600)",
    ),
    (
        "session run:host_timeout",
        "Total time allowed per host, in seconds (default: inventory)",
    ),
    (
        "session run:connect_timeout",
        "Connection timeout, in seconds (default: inventory)",
    ),
    ("session run:quiet", "No progress bars"),
    (
        "session regrade",
        "Grades the recorded snapshots again (corrected pack), without touching the VMs",
    ),
    ("session regrade:dir", "Session directory"),
    (
        "session status",
        "Shows the candidates × roles × phases grid",
    ),
    ("session status:dir", "Session directory"),
    (
        "session export",
        "Copies the session (snapshots, manifest, signature) and verifies the copy",
    ),
    ("session export:dir", "Session directory"),
    (
        "session export:out",
        "Destination directory (must not exist)",
    ),
    (
        "session sign",
        "Signs the manifest with the examiner's ed25519 key",
    ),
    ("session sign:dir", "Session directory"),
    (
        "session sign:key",
        "Examiner's ed25519 private key (OpenSSH format, not encrypted)",
    ),
    (
        "session verify",
        "Verifies the sha256 of every snapshot and the manifest's signature",
    ),
    ("session verify:dir", "Session directory"),
    (
        "session verify:signer",
        "Expected public key of the signer (OpenSSH .pub file): the signature becomes mandatory",
    ),
    (
        "validate",
        "Checks rule packs and inventories (every error, with line and column)",
    ),
    (
        "validate:files",
        "Rule packs or inventory files (YAML), or embedded pack ids",
    ),
    (
        "explain",
        "Documentation of a check kind or of a check of an embedded pack",
    ),
    (
        "explain:name",
        "Check kind (e.g. `user`, `firewall`) or check id of an embedded pack (`cp3-users`, or `tssr-2023-msp-titre/cp3-users` for one pack only)",
    ),
    (
        "coverage",
        "Coverage of the référentiel's critères by the packs",
    ),
    (
        "coverage:packs",
        "Packs (embedded ids or files); every embedded pack if none",
    ),
    (
        "propose",
        "Proposes a pack from the snapshot of a reference solution",
    ),
    ("propose:snapshot", "Snapshot of the reference solution"),
    (
        "propose:start",
        "Start snapshot (before the solution): only the differences are proposed",
    ),
    (
        "schema",
        "Prints the JSON schemas (snapshot, inventory, pack, report)",
    ),
    (
        "schema:kind",
        "Schema to print (required: snapshot, inventory, pack or report)",
    ),
    ("kind=snapshot", "Host snapshot (agent output)"),
    ("kind=inventory", "Session inventory"),
    (
        "kind=pack",
        "Rule pack (for yaml-language-server in VS Code)",
    ),
    ("kind=report", "Grading report"),
    ("completions", "Generates shell completion"),
    (
        "completions:shell",
        "Shell (bash, zsh, fish, elvish, powershell)",
    ),
];

/// French help texts where the doc comment is English (it also documents a JSON schema).
pub const HELP_FR: &[(&str, &str)] = &[
    ("phase=start", "Avant que le candidat ne travaille"),
    ("phase=end", "À la fin du temps imparti"),
    ("kind=snapshot", "Instantané d'un hôte (sortie de l'agent)"),
    ("kind=inventory", "Inventaire de session"),
    (
        "kind=pack",
        "Pack de contrôles (pour yaml-language-server dans VS Code)",
    ),
    ("kind=report", "Rapport de notation"),
];

/// English value names (`<ROLE=FICHIER>` → `<ROLE=FILE>`).
const VALUE_NAMES_EN: &[(&str, &str)] = &[
    ("ROLE=FICHIER", "ROLE=FILE"),
    ("HÔTE=EMPREINTE", "HOST=FINGERPRINT"),
    ("NOM=VALEUR", "NAME=VALUE"),
    ("FICHIER", "FILE"),
    ("NOM", "NAME"),
];

fn text(lang: Lang, key: &str) -> &'static str {
    TEXT.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, fr, en)| if lang == Lang::En { *en } else { *fr })
        .unwrap_or("(message manquant)")
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The language asked for before clap parses: the last `--lang X` / `--lang=X` of `args`,
/// else `CONSTAT_LANG`, else French. An unknown value on the command line is left to clap
/// (its error is then in French); an unknown `CONSTAT_LANG` is an error.
pub fn prescan_lang(args: &[OsString], env: Option<&str>) -> Result<Lang, String> {
    let mut found = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = if arg == "--lang" {
            iter.next().map(|v| v.into_owned())
        } else {
            arg.strip_prefix("--lang=").map(str::to_owned)
        };
        match value.as_deref() {
            Some("en") => found = Some(Lang::En),
            Some("fr") => found = Some(Lang::Fr),
            _ => {}
        }
    }
    if let Some(lang) = found {
        return Ok(lang);
    }
    match env.map(str::trim) {
        None | Some("") => Ok(Lang::Fr),
        Some(v) if v.eq_ignore_ascii_case("fr") || v.to_ascii_lowercase().starts_with("fr_") => {
            Ok(Lang::Fr)
        }
        Some(v) if v.eq_ignore_ascii_case("en") || v.to_ascii_lowercase().starts_with("en_") => {
            Ok(Lang::En)
        }
        Some(v) => Err(text(Lang::Fr, "bad_lang_env").replace("{value}", v)),
    }
}

/// The output format asked for before clap parses (for clap's errors): `--format json`.
pub fn prescan_format(args: &[OsString]) -> Format {
    let mut format = Format::Human;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = if arg == "--format" {
            iter.next().map(|v| v.into_owned())
        } else {
            arg.strip_prefix("--format=").map(str::to_owned)
        };
        match value.as_deref() {
            Some("json") => format = Format::Json,
            Some("human") => format = Format::Human,
            _ => {}
        }
    }
    format
}

/// The `constat` command with every text clap prints in `lang`.
pub fn command(lang: Lang) -> Command {
    let lang_value = match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    };
    let mut cmd = crate::Cli::command()
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .global(true),
        )
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .display_order(1010),
        )
        .mut_arg("lang", |a| a.default_value(lang_value));
    if lang == Lang::En {
        cmd = cmd.after_help(lookup(HELP_EN, "after_help").unwrap_or_default());
    }
    cmd.build();
    localize(cmd, lang, "")
}

/// Localizes one (built) command and its subcommands; `path` is its subcommand path.
fn localize(cmd: Command, lang: Lang, path: &str) -> Command {
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        text(lang, "usage")
    );
    let mut cmd = cmd
        .help_template(template)
        .subcommand_help_heading(text(lang, "commands"))
        .subcommand_value_name(text(lang, "command_value"));
    if lang == Lang::En
        && let Some(about) = lookup(HELP_EN, path)
    {
        cmd = cmd.about(about).long_about(None);
    }
    if cmd.get_name() == "help" {
        cmd = cmd.about(text(lang, "help_command"));
    }
    let owned_path = path.to_owned();
    cmd = cmd.mut_args(|arg| localize_arg(arg, lang, &owned_path));
    cmd.mut_subcommands(|sub| {
        let sub_path = if path.is_empty() {
            sub.get_name().to_owned()
        } else {
            format!("{path} {}", sub.get_name())
        };
        localize(sub, lang, &sub_path)
    })
}

fn arg_key(arg: &Arg, path: &str) -> String {
    if arg.is_global_set() {
        format!(":{}", arg.get_id())
    } else {
        format!("{path}:{}", arg.get_id())
    }
}

fn value_help(lang: Lang, arg: &Arg, value: &PossibleValue) -> Option<String> {
    let key = format!("{}={}", arg.get_id(), value.get_name());
    let table = if lang == Lang::En { HELP_EN } else { HELP_FR };
    lookup(table, &key)
        .map(str::to_owned)
        .or_else(|| (lang == Lang::Fr).then(|| value.get_help().map(|h| h.to_string()))?)
}

/// Where the global options are listed: after each command's own arguments (clap numbers
/// both from 0, which interleaved `--format` with `--phase`), in this order, help last.
fn global_order(id: &str) -> Option<usize> {
    ["format", "lang", "color", "verbose", "help"]
        .iter()
        .position(|g| *g == id)
        .map(|i| 1000 + i)
}

fn localize_arg(arg: Arg, lang: Lang, path: &str) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let arg = match global_order(&id) {
        Some(order) if arg.is_global_set() => arg.display_order(order),
        _ => arg,
    };
    if id == "help" {
        return arg
            .help(text(lang, "help"))
            .long_help(text(lang, "help_long"))
            .help_heading(text(lang, "options"));
    }
    if id == "version" {
        return arg
            .help(text(lang, "version"))
            .help_heading(text(lang, "options"));
    }
    let help = if lang == Lang::En {
        lookup(HELP_EN, &arg_key(&arg, path)).map(str::to_owned)
    } else {
        arg.get_help().map(|h| h.to_string())
    }
    .unwrap_or_default();
    let mut short = help.clone();
    let mut long = help;
    let values: Vec<PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let action_takes_values = arg.get_action().takes_values();
    if action_takes_values && !values.is_empty() {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        short.push_str(&format!(
            " [{} : {}]",
            text(lang, "possible_values"),
            names.join(", ")
        ));
        let with_help: Vec<(String, Option<String>)> = values
            .iter()
            .map(|v| (v.get_name().to_owned(), value_help(lang, &arg, v)))
            .collect();
        if with_help.iter().any(|(_, h)| h.is_some()) {
            long.push_str(&format!(
                "\n\n{} :",
                capitalize(text(lang, "possible_values"))
            ));
            for (name, help) in with_help {
                match help {
                    Some(help) => long.push_str(&format!("\n- {name} : {help}")),
                    None => long.push_str(&format!("\n- {name}")),
                }
            }
        } else {
            long.push_str(&format!(
                "\n\n[{} : {}]",
                text(lang, "possible_values"),
                names.join(", ")
            ));
        }
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if action_takes_values && !defaults.is_empty() && id != "lang" {
        let default = format!(" [{} : {}]", text(lang, "default"), defaults.join(", "));
        short.push_str(&default);
        long.push_str(&format!("\n\n{}", default.trim_start()));
    }
    if let Some(env) = arg.get_env() {
        let env = format!(" [{} : {}]", text(lang, "env"), env.to_string_lossy());
        short.push_str(&env);
        long.push_str(&format!("\n\n{}", env.trim_start()));
    }
    if lang == Lang::En {
        short = short.replace(" : ", ": ");
        long = long.replace(" : ", ": ").replace(" :\n", ":\n");
    }
    let heading = if arg.is_positional() {
        text(lang, "arguments")
    } else {
        text(lang, "options")
    };
    let mut arg = arg
        .help(short)
        .long_help(long)
        .hide_possible_values(true)
        .hide_default_value(true)
        .hide_env(true)
        .help_heading(heading);
    if lang == Lang::En
        && let Some(names) = arg.get_value_names().map(|n| n.to_vec())
    {
        let renamed: Vec<clap::builder::Str> = names
            .iter()
            .map(|n| match lookup(VALUE_NAMES_EN, n.as_str()) {
                Some(english) => english.into(),
                None => n.clone(),
            })
            .collect();
        arg = arg.value_names(renamed);
    }
    arg
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What the command line gave: the parsed arguments, or a text to print and an exit status.
pub enum Parsed {
    /// Arguments to run.
    Run(Box<crate::Cli>),
    /// Help or version (stdout, exit 0), or an error (stderr, exit 2).
    Print {
        /// The text to print.
        text: String,
        /// `true` for an error (stderr, exit 2), `false` for help and version (stdout, exit 0).
        error: bool,
    },
}

/// Parses `args` with the command in `lang`; clap's errors rendered by [`render_error`].
pub fn parse(args: Vec<OsString>, lang: Lang, format: Format) -> Parsed {
    use clap::FromArgMatches;
    let result = command(lang)
        .try_get_matches_from(args)
        .and_then(|m| crate::Cli::from_arg_matches(&m));
    match result {
        Ok(cli) => Parsed::Run(Box::new(cli)),
        Err(error) => match error.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Parsed::Print {
                text: error.render().to_string(),
                error: false,
            },
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Parsed::Print {
                text: error.render().to_string(),
                error: true,
            },
            _ => Parsed::Print {
                text: render_error(&error, lang, format),
                error: true,
            },
        },
    }
}

fn context_string(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn context_strings(error: &clap::Error, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The sentence for a value parser's own error (integers are translated; constat's parsers
/// already speak the user's language).
fn source_text(error: &clap::Error, lang: Lang) -> Option<String> {
    use std::error::Error as _;
    let source = error.source()?;
    if let Some(int) = source.downcast_ref::<std::num::ParseIntError>() {
        let key = match int.kind() {
            std::num::IntErrorKind::Empty => "int_empty",
            std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                "int_range"
            }
            _ => "int_invalid",
        };
        return Some(text(lang, key).to_owned());
    }
    let text = source.to_string();
    // clap's range parser: "X is not in 1..=65535".
    if text.contains(" is not in ") {
        return Some(self::text(lang, "int_range").to_owned());
    }
    Some(text)
}

/// A clap error in `lang`, from its kind and context: the sentence, the suggestion, the usage
/// and where to find help (as text, or as the JSON error document with `--format json`).
pub fn render_error(error: &clap::Error, lang: Lang, format: Format) -> String {
    let fill = |key: &str, pairs: &[(&str, String)]| {
        let mut s = text(lang, key).to_owned();
        for (name, value) in pairs {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    };
    let arg = context_string(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = context_string(error, ContextKind::InvalidValue).unwrap_or_default();
    let mut message = match error.kind() {
        ErrorKind::ArgumentConflict => {
            let prior = context_string(error, ContextKind::PriorArg);
            match prior {
                Some(p) if p == arg => fill("conflict_repeat", &[("arg", arg.clone())]),
                Some(p) => fill("conflict_with", &[("arg", arg.clone()), ("other", p)]),
                None => fill("conflict_repeat", &[("arg", arg.clone())]),
            }
        }
        ErrorKind::NoEquals => fill("no_equals", &[("arg", arg.clone())]),
        ErrorKind::InvalidValue if value.is_empty() => {
            fill("value_missing", &[("arg", arg.clone())])
        }
        ErrorKind::InvalidValue => {
            let mut m = fill(
                "value_invalid",
                &[("arg", arg.clone()), ("value", value.clone())],
            );
            let valid = context_strings(error, ContextKind::ValidValue);
            if !valid.is_empty() {
                m.push_str(&format!(
                    "\n  [{} : {}]",
                    text(lang, "possible_values"),
                    valid.join(", ")
                ));
            }
            m
        }
        ErrorKind::ValueValidation => {
            let mut m = fill(
                "value_invalid",
                &[("arg", arg.clone()), ("value", value.clone())],
            );
            if let Some(source) = source_text(error, lang) {
                m.push_str(&format!(" : {source}"));
            }
            m
        }
        ErrorKind::InvalidSubcommand => fill(
            "subcommand_unknown",
            &[(
                "command",
                context_string(error, ContextKind::InvalidSubcommand).unwrap_or_default(),
            )],
        ),
        ErrorKind::MissingRequiredArgument => {
            let mut m = text(lang, "missing_required").to_owned();
            for missing in context_strings(error, ContextKind::InvalidArg) {
                m.push_str(&format!("\n  {missing}"));
            }
            m
        }
        ErrorKind::MissingSubcommand => {
            let mut m = fill(
                "missing_subcommand",
                &[(
                    "command",
                    context_string(error, ContextKind::InvalidSubcommand).unwrap_or_default(),
                )],
            );
            let valid = context_strings(error, ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                m.push_str(&format!(
                    "\n  [{} : {}]",
                    text(lang, "subcommands"),
                    valid.join(", ")
                ));
            }
            m
        }
        ErrorKind::TooManyValues => fill(
            "too_many",
            &[("arg", arg.clone()), ("value", value.clone())],
        ),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => fill(
            "wrong_count",
            &[
                ("arg", arg.clone()),
                (
                    "expected",
                    context_string(error, ContextKind::ExpectedNumValues)
                        .or_else(|| context_string(error, ContextKind::MinValues))
                        .unwrap_or_default(),
                ),
                (
                    "actual",
                    context_string(error, ContextKind::ActualNumValues).unwrap_or_default(),
                ),
            ],
        ),
        ErrorKind::UnknownArgument => fill("unknown_argument", &[("arg", arg.clone())]),
        ErrorKind::InvalidUtf8 => text(lang, "invalid_utf8").to_owned(),
        _ => text(lang, "unknown_error").to_owned(),
    };
    let suggestion = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|kind| {
        let found = context_strings(error, kind);
        (!found.is_empty()).then_some(found)
    });
    let hint = suggestion.map(|found| {
        let quoted: Vec<String> = found.iter().map(|s| format!("« {s} »")).collect();
        format!(
            "{} {} ?",
            text(lang, "did_you_mean"),
            quoted.join(text(lang, "or"))
        )
    });
    let usage = context_string(error, ContextKind::Usage).map(|u| {
        let body = u.trim_start();
        let body = body.strip_prefix("Usage:").unwrap_or(body).trim();
        format!("{} {body}", text(lang, "usage"))
    });
    let try_help = fill("try_help", &[("help", "--help".to_owned())]);
    if lang == Lang::En {
        message = message.replace(" : ", ": ");
    }
    let hint = hint.map(|h| {
        if lang == Lang::En {
            h.replace("« ", "'").replace(" »", "'").replace("' ?", "'?")
        } else {
            h
        }
    });
    match format {
        Format::Json => {
            let value = serde_json::json!({
                "error": message,
                "causes": [],
                "hint": hint,
                "usage": usage,
                "exit_code": 2,
            });
            format!("{value}\n")
        }
        Format::Human => {
            let sep = if lang == Lang::En { ":" } else { " :" };
            let mut out = format!("{}{sep} {message}\n", text(lang, "error"));
            if let Some(hint) = hint {
                out.push_str(&format!("\n  {hint}\n"));
            }
            if let Some(usage) = usage {
                out.push_str(&format!("\n{usage}\n"));
            }
            out.push_str(&format!("\n{try_help}\n"));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every help key of the command: abouts, arguments, possible values.
    fn keys(cmd: &Command, path: &str, out: &mut BTreeSet<String>) {
        if cmd.get_name() == "help" {
            return;
        }
        out.insert(path.to_owned());
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            out.insert(arg_key(arg, path));
            if arg.get_action().takes_values() {
                for value in arg.get_possible_values() {
                    if value.get_help().is_some() {
                        out.insert(format!("{id}={}", value.get_name()));
                    }
                }
            }
        }
        for sub in cmd.get_subcommands() {
            let sub_path = if path.is_empty() {
                sub.get_name().to_owned()
            } else {
                format!("{path} {}", sub.get_name())
            };
            keys(sub, &sub_path, out);
        }
    }

    fn all_keys() -> BTreeSet<String> {
        let mut cmd = crate::Cli::command();
        cmd.build();
        let mut out = BTreeSet::new();
        keys(&cmd, "", &mut out);
        out
    }

    #[test]
    fn every_help_text_has_its_english_and_no_english_text_is_stale() {
        let keys = all_keys();
        let english: BTreeSet<String> = HELP_EN
            .iter()
            .map(|(k, _)| (*k).to_owned())
            .filter(|k| k != "after_help")
            .collect();
        let missing: Vec<_> = keys.difference(&english).collect();
        let stale: Vec<_> = english.difference(&keys).collect();
        assert!(
            missing.is_empty() && stale.is_empty(),
            "add to HELP_EN: {missing:?}; remove from HELP_EN: {stale:?}"
        );
        for (key, _) in HELP_FR {
            assert!(keys.contains(*key), "HELP_FR {key} is stale");
        }
    }

    #[test]
    fn the_language_is_found_before_parsing() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            prescan_lang(&args(&["constat", "check"]), None),
            Ok(Lang::Fr)
        );
        assert_eq!(
            prescan_lang(&args(&["constat", "--lang", "en", "check"]), None),
            Ok(Lang::En)
        );
        assert_eq!(
            prescan_lang(&args(&["constat", "check", "--lang=en"]), Some("fr")),
            Ok(Lang::En)
        );
        assert_eq!(
            prescan_lang(&args(&["constat", "--lang", "fr"]), Some("en")),
            Ok(Lang::Fr)
        );
        assert_eq!(prescan_lang(&args(&["constat"]), Some("en")), Ok(Lang::En));
        assert_eq!(
            prescan_lang(&args(&["constat"]), Some("en_GB.UTF-8")),
            Ok(Lang::En)
        );
        assert_eq!(
            prescan_lang(&args(&["constat", "--", "--lang", "en"]), None),
            Ok(Lang::Fr)
        );
        assert!(prescan_lang(&args(&["constat"]), Some("de")).is_err());
    }

    #[test]
    fn both_commands_are_consistent() {
        command(Lang::Fr).debug_assert();
        command(Lang::En).debug_assert();
    }

    /// Every subcommand path of the command, root first.
    fn paths(cmd: &Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        out.push(prefix.to_vec());
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut p = prefix.to_vec();
            p.push(sub.get_name().to_owned());
            paths(sub, &p, out);
        }
    }

    fn help_of(lang: Lang, path: &[String]) -> String {
        let mut args: Vec<OsString> = vec!["constat".into()];
        args.extend(path.iter().map(OsString::from));
        args.push("--help".into());
        match parse(args, lang, Format::Human) {
            Parsed::Print { text, error: false } => text,
            _ => panic!("no help for {path:?}"),
        }
    }

    #[test]
    fn help_of_every_command_in_both_languages() {
        let mut all = Vec::new();
        paths(&command(Lang::Fr), &[], &mut all);
        for lang in [Lang::Fr, Lang::En] {
            let suffix = if lang == Lang::En { "en" } else { "fr" };
            for path in &all {
                let help = help_of(lang, path);
                let name = if path.is_empty() {
                    "constat".to_owned()
                } else {
                    format!("constat-{}", path.join("-"))
                };
                insta::assert_snapshot!(format!("help_{suffix}__{name}"), help);
            }
        }
    }

    #[test]
    fn english_help_has_no_french_and_french_help_no_clap_english() {
        let mut all = Vec::new();
        paths(&command(Lang::Fr), &[], &mut all);
        for path in &all {
            let fr = help_of(Lang::Fr, path);
            for english in [
                "Usage:",
                "Print help",
                "Possible values",
                "[default:",
                "Commands:",
            ] {
                assert!(!fr.contains(english), "{path:?}: {english} in\n{fr}");
            }
            let en = help_of(Lang::En, path);
            for french in [
                "Utilisation",
                "Affiche",
                "valeurs possibles",
                "par défaut",
                "Dossier",
                "FICHIER",
            ] {
                assert!(!en.contains(french), "{path:?}: {french} in\n{en}");
            }
        }
    }

    fn error_of(lang: Lang, format: Format, args: &[&str]) -> String {
        let mut argv: Vec<OsString> = vec!["constat".into()];
        argv.extend(args.iter().map(OsString::from));
        match parse(argv, lang, format) {
            Parsed::Print { text, error: true } => text,
            _ => panic!("{args:?} parsed"),
        }
    }

    #[test]
    fn clap_errors_in_both_languages() {
        let cases: &[&[&str]] = &[
            &["check"],
            &["chek"],
            &["check", "--pack", "demo", "--audiance", "learner"],
            &["check", "--pack", "demo", "--audience", "jury"],
            &["collect", "--out", "x", "--port", "abc"],
            &["collect", "--out", "x", "--port", "99999"],
            &["session"],
            &["schema"],
            &["check", "--pack"],
        ];
        let mut text = String::new();
        for lang in [Lang::Fr, Lang::En] {
            for case in cases {
                text.push_str(&format!("$ constat {} ({lang:?})\n", case.join(" ")));
                text.push_str(&error_of(lang, Format::Human, case));
                text.push('\n');
            }
        }
        text.push_str("$ constat --format json check\n");
        text.push_str(&error_of(
            Lang::Fr,
            Format::Json,
            &["--format", "json", "check"],
        ));
        insta::assert_snapshot!(text);
    }
}
