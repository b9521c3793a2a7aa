//! Check kind `script`: a script file is present, executable, starts with an accepted
//! interpreter line, carries a documentation header, optionally is scheduled, and (opt-in
//! active test) gave the expected result when the CLI ran it.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::file::requested_file;
use crate::kinds::kind::Kind;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::files::FileInfo;
use constat_snapshot::{ScriptRun, ScriptRunRequest};
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// Script language: decides how the header is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScriptLanguage {
    /// Shell script: interpreter line, then a block of `#` comments.
    Bash,
    /// PowerShell: comment-based help (`.SYNOPSIS`, `.DESCRIPTION`), no interpreter line.
    Powershell,
}

/// `script: {path: /usr/local/bin/sauvegarde.sh, scheduled: true}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScriptExpect {
    /// Absolute path of the script (requested from the collector automatically).
    pub path: Sp<String>,
    /// Language; default `powershell` for a `.ps1` path, `bash` otherwise.
    #[serde(default)]
    pub language: Option<ScriptLanguage>,
    /// Accepted interpreter lines, without `#!` (bash only; default `/bin/bash`,
    /// `/usr/bin/bash`, `/usr/bin/env bash`).
    #[serde(default)]
    pub interpreters: Vec<Sp<String>>,
    /// Whether some execute bit must be set (bash only; default true; ignored for PowerShell:
    /// Windows has no execute bit).
    #[serde(default = "yes")]
    pub executable: bool,
    /// Whether a documentation header is required (default true).
    #[serde(default = "yes")]
    pub documented: bool,
    /// Bash: minimum number of comment lines in the header block after the interpreter line
    /// (default 3).
    #[serde(default)]
    pub min_comment_lines: Option<u32>,
    /// Bash: regex the header block must match (default
    /// `(?i)usage|utilisation|description|auteur`).
    #[serde(default)]
    pub header: Option<Sp<String>>,
    /// PowerShell: comment-based help keywords that must be present (default `.SYNOPSIS`,
    /// `.DESCRIPTION`).
    #[serde(default)]
    pub help_keywords: Vec<Sp<String>>,
    /// Whether a scheduled job (cron, timer, Windows task) must run it: its command contains
    /// the path.
    #[serde(default)]
    pub scheduled: bool,
    /// Active test (opt-in): run the script and check its result. The core never runs it:
    /// it declares the request; the CLI runs it only when the pack has `active_tests: true`
    /// and the examiner passes `--active-tests` (bash scripts on Linux only).
    #[serde(default)]
    pub run: Option<Sp<RunExpect>>,
}

/// `run: {args: [--test], expect_stdout: "OK", expect_exit: 0, timeout_s: 10, creates: out.tar.gz}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunExpect {
    /// Arguments, in order.
    #[serde(default)]
    pub args: Vec<Sp<String>>,
    /// Regex the standard output must match.
    #[serde(default)]
    pub expect_stdout: Option<Sp<String>>,
    /// Expected exit status (default 0).
    #[serde(default)]
    pub expect_exit: Option<i32>,
    /// Time limit in seconds (default 10, at most 300); the script is killed after it.
    #[serde(default)]
    pub timeout_s: Option<u32>,
    /// A path that must exist after the run; relative paths are inside the throwaway working
    /// directory the script runs in.
    #[serde(default)]
    pub creates: Option<Sp<String>>,
}

const DEFAULT_TIMEOUT_S: u32 = 10;
const MAX_TIMEOUT_S: u32 = 300;

/// Compiled `run:` block.
#[derive(Debug, Clone)]
pub struct RunMatcher {
    args: Vec<String>,
    stdout: Option<Regex>,
    exit: i32,
    timeout_s: u32,
    creates: Option<String>,
}

fn yes() -> bool {
    true
}

const DEFAULT_INTERPRETERS: [&str; 3] = ["/bin/bash", "/usr/bin/bash", "/usr/bin/env bash"];
const DEFAULT_HEADER: &str = "(?i)usage|utilisation|description|auteur";
const DEFAULT_MIN_COMMENT_LINES: u32 = 3;
const DEFAULT_HELP: [&str; 2] = [".SYNOPSIS", ".DESCRIPTION"];

/// Compiled `script` expectation.
#[derive(Debug, Clone)]
pub struct ScriptMatcher {
    path: String,
    language: ScriptLanguage,
    interpreters: Vec<String>,
    executable: bool,
    documented: bool,
    min_comment_lines: u32,
    header: Regex,
    help_keywords: Vec<String>,
    scheduled: bool,
    run: Option<RunMatcher>,
}

impl ScriptMatcher {
    /// The run the CLI must perform for this expectation, if it has a `run:` block.
    pub(crate) fn run_request(&self) -> Option<ScriptRunRequest> {
        self.run.as_ref().map(|r| ScriptRunRequest {
            path: self.path.clone(),
            args: r.args.clone(),
            timeout_s: r.timeout_s,
            creates: r.creates.clone(),
        })
    }
}

impl Kind for ScriptExpect {
    const NAME: &'static str = "script";
    const SECTIONS: Option<&'static [&'static str]> =
        Some(&["files", "scheduled_jobs", "script_runs"]);
    const DOC: &'static str = r#"# script

## What it checks
A script file the pack requests from the collector, read without running it:
* it exists and (bash) has an execute bit;
* (bash) its first line is `#!` followed by one of `interpreters` (default `/bin/bash`,
  `/usr/bin/bash`, `/usr/bin/env bash`; spaces are normalised);
* it is documented: (bash) the comment block right after the interpreter line has at least
  `min_comment_lines` lines (default 3) and matches `header` (default
  `(?i)usage|utilisation|description|auteur`); (PowerShell, `.ps1` or `language: powershell`)
  its comment-based help contains every `help_keywords` entry (default `.SYNOPSIS`,
  `.DESCRIPTION`);
* optionally (`scheduled: true`) some scheduled job (cron, systemd timer, Windows task) runs
  a command containing the script's path;
* optionally, as an **active test** (`run:`), the script gave the expected exit status
  (`expect_exit`, default 0), standard output (`expect_stdout`, a regex) and created a file
  (`creates`) within `timeout_s` seconds (default 10).

Only the start of the file is collected (the agent's head), which is where the interpreter
line and the header are.

On a Windows host (PowerShell probe, `.ps1` scripts) there is no execute bit and no
interpreter line: what lets a script run is the NTFS read right and the execution policy, so
`executable` and `interpreters` are **ignored** for PowerShell (neither checked nor counted;
the evidence only lists what was checked). The probe sends the raw first bytes and constat
decodes them (UTF-8, UTF-8 or UTF-16 with BOM as `Out-File` and ISE write, else Windows-1252),
so comment-based help saved in UTF-16 is read like any other; it must sit in the head, i.e.
at the start of the script (help placed at the end of a long script is not seen). Windows
paths are compared case-insensitively with scheduled task commands
(`powershell.exe -File c:\scripts\export-comptes.ps1` runs `C:\Scripts\Export-Comptes.ps1`).

The checker never executes anything: a `run:` block only declares
a request. The CLI runs it only when the pack says `active_tests: true` AND the examiner
passes `--active-tests`, as `nobody` (`setpriv`), in a throwaway directory, with the time
limit, and stores the result in the snapshot's `script_runs` section; without it the active
part is `not_assessable`. Reports mark such checks « test actif ».

## Why it matters
CP6: "Les scripts sur le serveur Linux sont testés et fonctionnent conformément à la
demande" and "Les scripts sont documentés". A script nobody can run, read or that is never
scheduled does not answer the request.

## Passing example
```yaml
expect:
  script: {path: /usr/local/bin/sauvegarde.sh, min_comment_lines: 3, scheduled: true}
```
with a script starting `#!/bin/bash` then `# Description : sauvegarde de /var/www`,
`# Usage : sauvegarde.sh`, `# Auteur : ...`, mode `0755`, and a cron line
`30 23 * * * root /usr/local/bin/sauvegarde.sh`.

Active test (the pack also says `active_tests: true`):
```yaml
expect:
  script:
    path: /usr/local/bin/sauvegarde.sh
    run: {args: [--test], expect_stdout: "(?i)sauvegarde ok", creates: www.tgz, timeout_s: 20}
```
passes when the run recorded in `script_runs` exited 0, printed « Sauvegarde OK » and left
`www.tgz` in its working directory.

## Failing example
The same script with mode `0644` and a single comment line: `executable` fails (mode 0644)
and `header` fails (1 comment line, at least 3 expected). With the `run:` block above, a run
that exited 2 with « tar: /var/www: Permission denied » fails `exit` and `stdout`.

## Critères
`tssr-2023/CP6/C2` (Linux scripts), `tssr-2023/CP6/C1` (PowerShell scripts),
`tssr-2023/CP6/C3` (documented: evidence for the jury).
"#;
    const DOC_FR: &'static str = r#"# script

## Ce qui est vérifié
Un fichier de script que le pack demande au collecteur, lu sans être exécuté :
* il existe et (bash) a un bit d'exécution ;
* (bash) sa première ligne est `#!` suivi de l'un des `interpreters` (par défaut `/bin/bash`,
  `/usr/bin/bash`, `/usr/bin/env bash` ; les espaces sont normalisés) ;
* il est documenté : (bash) le bloc de commentaires juste après la ligne d'interpréteur compte
  au moins `min_comment_lines` lignes (3 par défaut) et correspond à `header` (par défaut
  `(?i)usage|utilisation|description|auteur`) ; (PowerShell, `.ps1` ou `language: powershell`)
  son aide intégrée (comment-based help) contient chaque entrée de `help_keywords` (par défaut
  `.SYNOPSIS`, `.DESCRIPTION`) ;
* éventuellement (`scheduled: true`), une tâche planifiée (cron, timer systemd, tâche Windows)
  lance une commande qui contient le chemin du script ;
* éventuellement, en **test actif** (`run:`), le script a rendu le code de sortie attendu
  (`expect_exit`, 0 par défaut), la sortie standard attendue (`expect_stdout`, une expression
  régulière) et créé un fichier (`creates`) en moins de `timeout_s` secondes (10 par défaut).

Seul le début du fichier est collecté (la tête lue par l'agent), là où se trouvent la ligne
d'interpréteur et l'en-tête.

Sur une machine Windows (sonde PowerShell, scripts `.ps1`), il n'y a ni bit d'exécution ni
ligne d'interpréteur : ce qui permet de lancer un script, c'est le droit de lecture NTFS et la
stratégie d'exécution ; `executable` et `interpreters` sont donc **ignorés** pour PowerShell
(ni vérifiés ni comptés ; la preuve ne liste que ce qui a été vérifié). La sonde envoie les
premiers octets bruts et constat les décode (UTF-8, UTF-8 ou UTF-16 avec BOM comme l'écrivent
`Out-File` et l'ISE, sinon Windows-1252) : une aide enregistrée en UTF-16 se lit comme les
autres ; elle doit se trouver dans la tête, c'est-à-dire au début du script (une aide placée à
la fin d'un long script n'est pas vue). Les chemins Windows sont comparés sans tenir compte de
la casse avec les commandes des tâches planifiées
(`powershell.exe -File c:\scripts\export-comptes.ps1` lance `C:\Scripts\Export-Comptes.ps1`).

Le correcteur n'exécute jamais rien : un bloc `run:` ne fait que déclarer une demande. La CLI
ne le lance que quand le pack indique `active_tests: true` ET que l'examinateur passe
`--active-tests`, en tant que `nobody` (`setpriv`), dans un répertoire jetable, avec la limite
de temps, et range le résultat dans la section `script_runs` du relevé ; sans cela, la partie
active est `not_assessable`. Les rapports marquent ces vérifications « test actif ».

## Pourquoi c'est important
CP6 : « Les scripts sur le serveur Linux sont testés et fonctionnent conformément à la
demande » et « Les scripts sont documentés ». Un script que personne ne peut lancer ni lire,
ou qui n'est jamais planifié, ne répond pas à la demande.

## Exemple conforme
```yaml
expect:
  script: {path: /usr/local/bin/sauvegarde.sh, min_comment_lines: 3, scheduled: true}
```
avec un script qui commence par `#!/bin/bash` puis `# Description : sauvegarde de /var/www`,
`# Usage : sauvegarde.sh`, `# Auteur : ...`, en mode `0755`, et une ligne cron
`30 23 * * * root /usr/local/bin/sauvegarde.sh`.

Test actif (le pack indique aussi `active_tests: true`) :
```yaml
expect:
  script:
    path: /usr/local/bin/sauvegarde.sh
    run: {args: [--test], expect_stdout: "(?i)sauvegarde ok", creates: www.tgz, timeout_s: 20}
```
réussit quand l'exécution enregistrée dans `script_runs` s'est terminée avec le code 0, a
affiché « Sauvegarde OK » et a laissé `www.tgz` dans son répertoire de travail.

## Exemple non conforme
Le même script en mode `0644` avec une seule ligne de commentaire : `executable` échoue (mode
0644) et `header` échoue (1 ligne de commentaire, au moins 3 attendues). Avec le bloc `run:`
ci-dessus, une exécution terminée avec le code 2 et « tar: /var/www: Permission denied »
échoue à `exit` et à `stdout`.

## Critères
`tssr-2023/CP6/C2` (scripts Linux), `tssr-2023/CP6/C1` (scripts PowerShell),
`tssr-2023/CP6/C3` (documentés : éléments pour le jury).
"#;
    type Compiled = ScriptMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<ScriptMatcher> {
        let path = cx.text(&self.path);
        if !path.starts_with('/') && !path.contains(":\\") {
            cx.error(
                &self.path,
                (
                    format!("chemin non absolu « {path} »"),
                    format!("path not absolute \"{path}\""),
                ),
                Some((
                    "donnez le chemin absolu du script (/usr/local/bin/..., C:\\Scripts\\...)"
                        .to_owned(),
                    "give the absolute path of the script (/usr/local/bin/..., C:\\Scripts\\...)"
                        .to_owned(),
                )),
            );
        }
        let language = self
            .language
            .unwrap_or(if path.to_lowercase().ends_with(".ps1") {
                ScriptLanguage::Powershell
            } else {
                ScriptLanguage::Bash
            });
        let mut interpreters: Vec<String> = cx
            .texts(&self.interpreters)
            .iter()
            .map(|i| normalise_interpreter(i))
            .collect();
        if interpreters.is_empty() {
            interpreters = DEFAULT_INTERPRETERS
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
        }
        let header = match &self.header {
            Some(h) => cx.regex(h)?,
            None => Regex::new(DEFAULT_HEADER).ok()?,
        };
        let run = match &self.run {
            None => None,
            Some(r) => Some(compile_run(r, language, cx)?),
        };
        let mut help_keywords = cx.texts(&self.help_keywords);
        if help_keywords.is_empty() {
            help_keywords = DEFAULT_HELP.iter().map(|s| (*s).to_owned()).collect();
        }
        Some(ScriptMatcher {
            path,
            language,
            interpreters,
            executable: self.executable,
            documented: self.documented,
            min_comment_lines: self.min_comment_lines.unwrap_or(DEFAULT_MIN_COMMENT_LINES),
            header,
            help_keywords,
            scheduled: self.scheduled,
            run,
        })
    }

    fn evaluate(m: &ScriptMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "files";
        let Some(file) = requested_file(host, &m.path, out) else {
            return Status::NotAssessable;
        };
        let exists = Status::from_bool(file.exists);
        out.push(host.evidence(
            S,
            &m.path,
            "exists",
            "present",
            if file.exists { "present" } else { "absent" },
            exists,
        ));
        if !file.exists {
            return exists;
        }
        let mut status = Status::Pass;
        if m.language == ScriptLanguage::Bash && m.executable {
            status = status.and(executable(m, file, host, out));
        }
        let head = match &file.head {
            Some(head) => Some(head.as_str()),
            None => {
                let why = file
                    .error
                    .clone()
                    .unwrap_or_else(|| "content not reported".to_owned());
                out.push(host.evidence(
                    S,
                    &m.path,
                    "content",
                    "start of the file",
                    why,
                    Status::NotAssessable,
                ));
                status = status.and(Status::NotAssessable);
                None
            }
        };
        if let Some(head) = head {
            match m.language {
                ScriptLanguage::Bash => {
                    status = status.and(interpreter(m, head, host, out));
                    if m.documented {
                        status = status.and(bash_header(m, head, host, out));
                    }
                }
                ScriptLanguage::Powershell => {
                    if m.documented {
                        status = status.and(powershell_help(m, head, host, out));
                    }
                }
            }
        }
        if m.scheduled {
            status = status.and(scheduled(m, host, out));
        }
        if let Some(run) = &m.run {
            status = status.and(run_result(m, run, host, out));
        }
        status
    }

    fn requested_files(m: &ScriptMatcher, out: &mut Vec<String>) {
        out.push(m.path.clone());
    }
}

fn compile_run(
    r: &Sp<RunExpect>,
    language: ScriptLanguage,
    cx: &mut Compile<'_>,
) -> Option<RunMatcher> {
    let mut ok = true;
    if language != ScriptLanguage::Bash {
        cx.error(
            r,
            (
                "run : seuls les scripts Linux (bash) peuvent être exécutés".to_owned(),
                "run: only Linux (bash) scripts can be run".to_owned(),
            ),
            Some((
                "retirez run: ou vérifiez le script PowerShell sans l'exécuter".to_owned(),
                "remove run: or check the PowerShell script without running it".to_owned(),
            )),
        );
        ok = false;
    }
    let timeout_s = r.value.timeout_s.unwrap_or(DEFAULT_TIMEOUT_S);
    if timeout_s == 0 || timeout_s > MAX_TIMEOUT_S {
        cx.error(
            r,
            (
                format!("run : timeout_s {timeout_s} hors limites"),
                format!("run: timeout_s {timeout_s} out of bounds"),
            ),
            Some((
                format!("entre 1 et {MAX_TIMEOUT_S} secondes"),
                format!("between 1 and {MAX_TIMEOUT_S} seconds"),
            )),
        );
        ok = false;
    }
    let creates = cx.opt_text(&r.value.creates);
    if let (Some(c), Some(at)) = (&creates, &r.value.creates)
        && c.split('/').any(|part| part == "..")
    {
        cx.error(
            at,
            (
                format!("run : creates « {c} » remonte hors du dossier de travail"),
                format!("run: creates \"{c}\" climbs out of the working directory"),
            ),
            Some((
                "un chemin absolu, ou relatif au dossier de travail sans « .. »".to_owned(),
                "an absolute path, or one relative to the working directory without \"..\""
                    .to_owned(),
            )),
        );
        ok = false;
    }
    let stdout = cx.opt_regex(&r.value.expect_stdout)?;
    let args = cx.texts(&r.value.args);
    ok.then_some(RunMatcher {
        args,
        stdout,
        exit: r.value.expect_exit.unwrap_or(0),
        timeout_s,
        creates,
    })
}

/// The recorded run of this script with these arguments, compared with the `run:` block.
fn run_result(
    m: &ScriptMatcher,
    r: &RunMatcher,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Status {
    const S: &str = "script_runs";
    let section = &host.snapshot.sections.script_runs;
    if section.is_absent() {
        out.push(host.evidence(
            S,
            &m.path,
            "run",
            "active test run",
            "not run: the examiner did not ask for active tests (--active-tests)",
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    }
    let Some(runs) = host.section(S, &m.path, section, out) else {
        return Status::NotAssessable;
    };
    let Some(run) = runs.iter().find(|x| x.path == m.path && x.args == r.args) else {
        out.push(host.evidence(
            S,
            &m.path,
            "run",
            format!("run of {}", command_line(&m.path, &r.args)),
            format!("absent among {} recorded run(s)", runs.len()),
            Status::NotAssessable,
        ));
        return Status::NotAssessable;
    };
    if let Some(error) = &run.error {
        out.push(host.evidence(
            S,
            &m.path,
            "run",
            format!("run of {}", command_line(&m.path, &r.args)),
            format!("impossible : {error}"),
            Status::Fail,
        ));
        return Status::Fail;
    }
    let mut status = Status::Pass;
    let (exit, actual) = match (run.timed_out, run.exit_code) {
        (true, _) => (Status::Fail, format!("stopped after {} s", r.timeout_s)),
        (false, Some(code)) => (Status::from_bool(code == r.exit), format!("code {code}")),
        (false, None) => (Status::Fail, "killed by a signal".to_owned()),
    };
    out.push(host.evidence(
        S,
        &m.path,
        "exit",
        format!(
            "code {} in under {} s (as {})",
            r.exit, r.timeout_s, run.run_as
        ),
        format!("{actual} in {} ms{}", run.duration_ms, stderr_tail(run)),
        exit,
    ));
    status = status.and(exit);
    if let Some(re) = &r.stdout {
        let found = re.is_match(&run.stdout);
        let holds = Status::from_bool(found);
        out.push(host.evidence(
            S,
            &m.path,
            "stdout",
            format!("/{}/", re.as_str()),
            first_line_or_empty(&run.stdout),
            holds,
        ));
        status = status.and(holds);
    }
    if r.creates.is_some() {
        let created = Status::from_bool(run.created == Some(true));
        out.push(host.evidence(
            S,
            &m.path,
            "creates",
            format!(
                "{} created",
                run.creates.as_deref().or(r.creates.as_deref()).unwrap_or_default()
            ),
            if run.created == Some(true) {
                "present"
            } else {
                "absent"
            },
            created,
        ));
        status = status.and(created);
    }
    status
}

fn command_line(path: &str, args: &[String]) -> String {
    std::iter::once(path)
        .chain(args.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_line_or_empty(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    match lines.as_slice() {
        [] => "(empty output)".to_owned(),
        [one] => format!("\"{}\"", one.trim()),
        [first, rest @ ..] => format!("\"{}\" (+{} line(s))", first.trim(), rest.len()),
    }
}

fn stderr_tail(run: &ScriptRun) -> String {
    match run.stderr.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(line) => format!("; error: \"{}\"", line.trim()),
        None => String::new(),
    }
}

fn normalise_interpreter(line: &str) -> String {
    line.trim_start_matches("#!")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn executable(
    m: &ScriptMatcher,
    file: &FileInfo,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Status {
    let bits = file
        .mode
        .as_deref()
        .and_then(|mode| u32::from_str_radix(mode, 8).ok());
    let (status, actual) = match (bits, &file.mode) {
        (Some(b), Some(mode)) => (Status::from_bool(b & 0o111 != 0), format!("mode {mode}")),
        (_, mode) => (
            Status::NotAssessable,
            format!("mode illisible ({})", mode.as_deref().unwrap_or("absent")),
        ),
    };
    out.push(host.evidence("files", &m.path, "executable", "x bit set", actual, status));
    status
}

fn interpreter(
    m: &ScriptMatcher,
    head: &str,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Status {
    let first = head.lines().next().unwrap_or_default();
    let found = first.strip_prefix("#!").map(normalise_interpreter);
    let status = Status::from_bool(
        found
            .as_ref()
            .is_some_and(|f| m.interpreters.iter().any(|i| i == f)),
    );
    let actual = match found {
        Some(f) => format!("#!{f}"),
        None => format!("no #! line (first line \"{}\")", first.trim()),
    };
    out.push(
        host.evidence(
            "files",
            &m.path,
            "interpreter",
            m.interpreters
                .iter()
                .map(|i| format!("#!{i}"))
                .collect::<Vec<_>>()
                .join(" | "),
            actual,
            status,
        ),
    );
    status
}

/// The comment block after the interpreter line: leading blank lines are skipped, then every
/// line starting with `#` until the first other line.
fn comment_block(head: &str) -> Vec<&str> {
    let mut lines = head.lines().peekable();
    if lines.peek().is_some_and(|l| l.starts_with("#!")) {
        lines.next();
    }
    lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.trim_start().starts_with('#'))
        .filter(|l| !l.trim_start().trim_start_matches('#').trim().is_empty())
        .collect()
}

fn bash_header(
    m: &ScriptMatcher,
    head: &str,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Status {
    let block = comment_block(head);
    let count = u32::try_from(block.len()).unwrap_or(u32::MAX);
    let lines = Status::from_bool(count >= m.min_comment_lines);
    out.push(host.evidence(
        "files",
        &m.path,
        "header",
        format!("at least {} comment lines after #!", m.min_comment_lines),
        format!("{count} comment line(s)"),
        lines,
    ));
    let text = block.join("\n");
    let found = m.header.find(&text);
    let marker = Status::from_bool(found.is_some());
    out.push(host.evidence(
        "files",
        &m.path,
        "header_marker",
        format!("/{}/", m.header.as_str()),
        match found {
            Some(f) => format!("found: {}", f.as_str()),
            None => "not found in the header".to_owned(),
        },
        marker,
    ));
    lines.and(marker)
}

fn powershell_help(
    m: &ScriptMatcher,
    head: &str,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
) -> Status {
    // A byte order mark left in the text (a UTF-8-BOM script read as UTF-8) is not content.
    let upper = head.trim_start_matches('\u{feff}').to_uppercase();
    let missing: Vec<&str> = m
        .help_keywords
        .iter()
        .filter(|k| {
            !upper.lines().any(|l| {
                l.trim_start()
                    .trim_start_matches('#')
                    .trim_start()
                    .starts_with(&k.to_uppercase())
            })
        })
        .map(String::as_str)
        .collect();
    let status = Status::from_bool(missing.is_empty());
    out.push(host.evidence(
        "files",
        &m.path,
        "help",
        format!("comment-based help {}", m.help_keywords.join(", ")),
        if missing.is_empty() {
            "present".to_owned()
        } else {
            format!("missing {}", missing.join(", "))
        },
        status,
    ));
    status
}

/// Whether `command` contains `path`; Windows paths (`C:\...`) ignore case, as NTFS does.
fn runs_path(command: &str, path: &str) -> bool {
    if path.contains(":\\") {
        command.to_lowercase().contains(&path.to_lowercase())
    } else {
        command.contains(path)
    }
}

fn scheduled(m: &ScriptMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
    const S: &str = "scheduled_jobs";
    let Some(jobs) = host.section(S, &m.path, &host.snapshot.sections.scheduled_jobs, out) else {
        return Status::NotAssessable;
    };
    let job = jobs
        .iter()
        .find(|j| j.enabled && runs_path(&j.command, &m.path));
    let status = Status::from_bool(job.is_some());
    out.push(host.evidence(
        S,
        &m.path,
        "scheduled",
        "an active scheduled job runs the script",
        match job {
            Some(j) => format!(
                "{} \"{}\" ({})",
                j.cron.as_deref().unwrap_or(&j.schedule),
                j.command,
                j.source
            ),
            None => format!("no job among {}", jobs.len()),
        },
        status,
    ));
    status
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{kind_case, kind_case_as, lab, windows_lab, without};
    use constat_snapshot::files::FileInfo;
    use constat_snapshot::jobs::ScheduledJob;
    use constat_snapshot::section::Section;
    use constat_snapshot::{ScriptRun, Snapshot};

    /// DERIVED: the lab recording plus hand-written script files and one cron line (the
    /// contents are typical trainee scripts, not recorded).
    fn with_scripts() -> Snapshot {
        let mut s = lab();
        let file = |path: &str, mode: &str, head: &str| FileInfo {
            path: path.to_owned(),
            exists: true,
            kind: Some(constat_snapshot::FileKind::File),
            mode: Some(mode.to_owned()),
            owner: Some("root".to_owned()),
            group: Some("root".to_owned()),
            head: Some(head.to_owned()),
            ..FileInfo::default()
        };
        let scripts = vec![
            file(
                "/usr/local/bin/sauvegarde.sh",
                "0755",
                "#!/bin/bash\n# Description : sauvegarde de /var/www vers /srv/backup\n# Usage : sauvegarde.sh\n# Auteur : A. Martin\nset -eu\ntar czf /srv/backup/www.tgz /var/www\n",
            ),
            file(
                "/usr/local/bin/brouillon.sh",
                "0644",
                "#!/bin/sh\n# test\necho ok\n",
            ),
            file(
                "C:\\Scripts\\New-Users.ps1",
                "0644",
                "<#\n.SYNOPSIS\n  Crée les comptes du service.\n.DESCRIPTION\n  Lit users.csv et crée les comptes.\n#>\nparam([string]$Csv)\n",
            ),
            FileInfo {
                path: "/usr/local/bin/absent.sh".to_owned(),
                exists: false,
                ..FileInfo::default()
            },
        ];
        if let Section::Collected { data } = &mut s.sections.files {
            data.extend(scripts);
        }
        if let Section::Collected { data } = &mut s.sections.scheduled_jobs {
            data.push(ScheduledJob {
                source: "/etc/cron.d/sauvegarde:1".to_owned(),
                name: "/etc/cron.d/sauvegarde:1".to_owned(),
                user: Some("root".to_owned()),
                schedule: "30 23 * * *".to_owned(),
                cron: Some("30 23 * * *".to_owned()),
                command: "/usr/local/bin/sauvegarde.sh >/var/log/sauvegarde.log 2>&1".to_owned(),
                enabled: true,
                ..ScheduledJob::default()
            });
        }
        s
    }

    #[test]
    fn passes_on_a_documented_scheduled_script() {
        let a = kind_case(
            "script: {path: /usr/local/bin/sauvegarde.sh, scheduled: true}",
            &with_scripts(),
        );
        let b = kind_case(
            r#"script: {path: 'C:\Scripts\New-Users.ps1'}"#,
            &with_scripts(),
        );
        insta::assert_snapshot!(format!("{a}{b}"));
    }

    #[test]
    fn fails_on_mode_interpreter_header_and_schedule() {
        let a = kind_case(
            "script: {path: /usr/local/bin/brouillon.sh, scheduled: true}",
            &with_scripts(),
        );
        let b = kind_case(
            r#"script: {path: 'C:\Scripts\New-Users.ps1', help_keywords: [.SYNOPSIS, .EXAMPLE]}"#,
            &with_scripts(),
        );
        let c = kind_case("script: {path: /usr/local/bin/absent.sh}", &with_scripts());
        insta::assert_snapshot!(format!("{a}{b}{c}"));
    }

    #[test]
    fn accepts_listed_interpreters_and_custom_header() {
        insta::assert_snapshot!(kind_case(
            r#"script: {path: /usr/local/bin/brouillon.sh, executable: false, interpreters: ["/bin/sh"], min_comment_lines: 1, header: "test"}"#,
            &with_scripts(),
        ));
    }

    /// A `script_runs` section as the CLI's runner writes it (values typed here: the runner
    /// itself is tested for real in `tests/tests/script_runs.rs`).
    fn with_runs(runs: Vec<ScriptRun>) -> Snapshot {
        let mut s = with_scripts();
        s.sections.script_runs = Section::collected(runs);
        s
    }

    fn run(args: &[&str], exit: Option<i32>, stdout: &str, created: Option<bool>) -> ScriptRun {
        ScriptRun {
            path: "/usr/local/bin/sauvegarde.sh".to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            run_as: "nobody".to_owned(),
            exit_code: exit,
            stdout: stdout.to_owned(),
            duration_ms: 42,
            creates: created.map(|_| "/tmp/constat-run-1/www.tgz".to_owned()),
            created,
            ..ScriptRun::default()
        }
    }

    const ACTIVE: &str = r#"script: {path: /usr/local/bin/sauvegarde.sh, run: {args: [--test], expect_stdout: "(?i)sauvegarde ok", creates: www.tgz}}"#;

    #[test]
    fn active_test_passes_on_the_recorded_run() {
        let s = with_runs(vec![run(
            &["--test"],
            Some(0),
            "Sauvegarde OK\n",
            Some(true),
        )]);
        insta::assert_snapshot!(kind_case(ACTIVE, &s));
    }

    #[test]
    fn active_test_fails_on_exit_output_timeout_and_error() {
        let mut timed_out = run(&["--test"], None, "", Some(false));
        timed_out.timed_out = true;
        timed_out.duration_ms = 10_004;
        let mut failed = run(&["--test"], Some(2), "", Some(false));
        failed.stderr = "tar: /var/www: Cannot open: Permission denied\n".to_owned();
        let mut error = run(&["--test"], None, "", None);
        error.error = Some("setpriv introuvable".to_owned());
        let cases: Vec<String> = [failed, timed_out, error]
            .into_iter()
            .map(|r| kind_case(ACTIVE, &with_runs(vec![r])))
            .collect();
        insta::assert_snapshot!(cases.join(""));
    }

    #[test]
    fn active_test_is_not_assessable_without_a_run() {
        let absent = kind_case(ACTIVE, &with_scripts());
        let other_args = kind_case(
            ACTIVE,
            &with_runs(vec![run(&[], Some(0), "Sauvegarde OK", Some(true))]),
        );
        insta::assert_snapshot!(format!("{absent}{other_args}"));
    }

    #[test]
    fn run_block_is_refused_on_powershell_and_bad_limits() {
        let a = kind_case(
            r#"script: {path: 'C:\Scripts\New-Users.ps1', run: {}}"#,
            &with_scripts(),
        );
        let b = kind_case(
            "script: {path: /usr/local/bin/sauvegarde.sh, run: {timeout_s: 0, creates: ../../etc/x}}",
            &with_scripts(),
        );
        insta::assert_snapshot!(format!("{a}\n{b}"));
    }

    /// The `files` section exactly as the PowerShell probe's normaliser prints it
    /// (`windows/src/probe/snapshots/…probe_files_section.snap`: probe output written in the
    /// shape Microsoft documents for Get-Item/Get-Acl/Get-FileHash, NOT recorded on a live
    /// Windows host; the UTF-16LE script head is decoded there) on the derived Windows DC,
    /// whose `Export-Comptes` task runs `powershell.exe -File C:\Scripts\Export-Comptes.ps1`.
    fn with_probe_files() -> Snapshot {
        let snap = include_str!(
            "../../../windows/src/probe/snapshots/constat_windows__probe__files__tests__probe_files_section.snap"
        );
        let body = snap.splitn(3, "---").nth(2).unwrap_or_default();
        let parsed: std::collections::BTreeMap<String, Vec<FileInfo>> =
            serde_saphyr::from_str(body).expect("probe files snapshot parses");
        let mut files = parsed.get("Ok").cloned().unwrap_or_default();
        // The probe echoes each path as requested: a pack writing it in lower case gets the
        // same facts under the lower-case path (derived entry).
        if let Some(first) = files.first() {
            files.push(FileInfo {
                path: first.path.to_lowercase(),
                ..first.clone()
            });
        }
        let mut s = windows_lab();
        s.sections.files = Section::collected(files);
        s
    }

    #[test]
    fn powershell_script_from_the_probe() {
        let s = with_probe_files();
        let cases = [
            // UTF-16LE with BOM, .SYNOPSIS and .DESCRIPTION, scheduled: passes with no
            // executable or interpreter evidence.
            r#"script: {path: 'C:\Scripts\Export-Comptes.ps1', scheduled: true}"#,
            // Case differs from the task's command: same file on NTFS, still scheduled.
            r#"script: {path: 'c:\scripts\export-comptes.ps1', scheduled: true}"#,
            // UTF-8 with BOM, a plain comment and no help: fails on help.
            r#"script: {path: 'C:\Scripts\New-Partages.ps1'}"#,
            // Windows-1252: decoded, no help; an absent script.
            r#"script: {path: 'C:\Scripts\ansi.ps1', help_keywords: [.SYNOPSIS]}"#,
            r#"script: {path: 'C:\Scripts\absent.ps1'}"#,
        ];
        let out: Vec<String> = cases.iter().map(|c| kind_case_as("dc", c, &s)).collect();
        insta::assert_snapshot!(out.join(""));
    }

    #[test]
    fn is_not_assessable_when_not_collected() {
        let a = kind_case(
            "script: {path: /usr/local/bin/sauvegarde.sh}",
            &without(with_scripts(), "files"),
        );
        let b = kind_case(
            "script: {path: /usr/local/bin/sauvegarde.sh, scheduled: true}",
            &without(with_scripts(), "scheduled_jobs"),
        );
        let c = kind_case("script: {path: relative.sh}", &with_scripts());
        insta::assert_snapshot!(format!("{a}{b}{c}"));
    }
}
