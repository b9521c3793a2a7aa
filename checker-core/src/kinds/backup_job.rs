//! Check kind `backup_job`: a scheduled backup with a tool, schedule, destination, and a
//! recent archive.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::backup_restore::{check_free_space, check_restore_log};
use crate::kinds::date_pattern::DatePattern;
use crate::kinds::kind::Kind;
use crate::kinds::storage_size::parse_size;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::jobs::BackupJob;
use constat_snapshot::time::parse_rfc3339;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// `backup_job: {tool: tar, destination: "^/srv/backup", schedule: "30 23 * * *", max_age_hours: 24}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupJobExpect {
    /// Tool (`rsync`, `tar`, `borg`, `restic`, `wbadmin`...).
    #[serde(default)]
    pub tool: Option<Sp<String>>,
    /// Regex on a destination (path or URL as written).
    #[serde(default)]
    pub destination: Option<Sp<String>>,
    /// Regex on a backed-up source path.
    #[serde(default)]
    pub source: Option<Sp<String>>,
    /// Schedule as five cron fields.
    #[serde(default)]
    pub schedule: Option<Sp<String>>,
    /// The newest archive in a local destination is younger than this (hours, at grading time).
    #[serde(default)]
    pub max_age_hours: Option<u32>,
    /// Dated archive path with strftime conversions (`/backup/etc-%F.tar.gz`): the job
    /// writes there (`$(date +%F)`) or its destination holds such an archive.
    #[serde(default)]
    pub archive: Option<Sp<String>>,
    /// Other date formats accepted in `archive` (`["%Y%m%d", "%d-%m-%Y"]`).
    #[serde(default)]
    pub date_formats: Vec<Sp<String>>,
    /// Free space at least this (`2GiB`, `500MB`) on the file system of each local
    /// destination (the `storage` section's `df` figures).
    #[serde(default)]
    pub min_free: Option<Sp<String>>,
    /// Free space at least this percentage of that file system.
    #[serde(default)]
    pub min_free_percent: Option<Sp<u8>>,
    /// A restore log (path on the host): its latest date must follow the destination's
    /// newest archive (a restore of the current backup was run).
    #[serde(default)]
    pub restore_log: Option<Sp<String>>,
}

/// Compiled `backup_job` expectation.
#[derive(Debug, Clone)]
pub struct BackupJobMatcher {
    id: String,
    tool: Option<String>,
    destination: Option<Regex>,
    source: Option<Regex>,
    schedule: Option<String>,
    max_age_hours: Option<u32>,
    archive: Option<DatePattern>,
    min_free: Option<u64>,
    min_free_percent: Option<u8>,
    restore_log: Option<String>,
}

fn fields(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl BackupJobMatcher {
    fn matches(&self, job: &BackupJob) -> bool {
        self.tool
            .as_ref()
            .is_none_or(|t| job.tool.eq_ignore_ascii_case(t))
            && self
                .destination
                .as_ref()
                .is_none_or(|re| job.destinations.iter().any(|d| re.is_match(&d.target)))
            && self
                .source
                .as_ref()
                .is_none_or(|re| job.sources.iter().any(|s| re.is_match(s)))
            && self
                .schedule
                .as_ref()
                .is_none_or(|s| job.cron.as_deref().map(fields).as_ref() == Some(s))
            && self
                .archive
                .as_ref()
                .is_none_or(|p| archive_match(p, job).is_some())
    }
}

/// Where a job meets a dated archive pattern: its written target, else the newest file of
/// an inspected destination.
fn archive_match(p: &DatePattern, job: &BackupJob) -> Option<String> {
    job.destinations.iter().find_map(|d| {
        if p.matches_written(&d.target) {
            return Some(format!("written \"{}\"", d.target));
        }
        let (dir, name) = (d.directory.as_deref()?, d.newest_file.as_deref()?);
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        p.matches_name(&path).then(|| format!("archive {path}"))
    })
}

impl Kind for BackupJobExpect {
    const NAME: &'static str = "backup_job";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["backups", "storage", "files"]);
    const DOC: &'static str = r#"# backup_job

## What it checks
Among the backup jobs the collector recognised in scheduled jobs: one with the expected tool,
destination (regex), source (regex) and schedule, and optionally whose newest archive in a
local destination is younger than `max_age_hours` at grading time (so the backup really ran).
`archive: /backup/etc-%F.tar.gz` asks for a dated archive name: strftime conversions
(`%F`, `%Y-%m-%d`, `%Y%m%d`, `%d-%m-%Y`, `%H%M`…) stand for the date, in the pattern's
format or any of `date_formats`; the job matches when its destination is written that way
(`/backup/etc-$(date +%Y%m%d).tar.gz`, `` `date +%F` ``, `\%` in crontab) or when the
newest file of its destination has such a name with a real date (`etc-20261202.tar.gz`).

Two more kinds of evidence on the job found (issue 15, CP8/C2 and CP8/C3):
`min_free: 5GiB` and `min_free_percent: 10` judge the free space (`df`'s available bytes,
the `storage` section) of the file system holding each local destination; `restore_log:
/var/log/restauration.log` asks for a restore proven by its log, the alternative to
comparing a restored file by hash (`file: {same_as}`): the latest date the log holds
(`2026-12-02 15:34:45`, `02/12/2026 15:34`, `date`'s `Wed Dec  2 15:34:45 UTC 2026`; a time
without a zone is in the exam's zone) must follow the newest archive of the job's local
destinations. A log whose dates may lie past the part read is not assessable, never failed.

## Why it matters
"Les sauvegardes sont fonctionnelles": a backup that is scheduled but never produced an
archive, or writes nowhere, is not a backup.

## Passing example
```yaml
expect:
  backup_job: {tool: tar, destination: "^/srv/backup/", schedule: "30 23 * * *", max_age_hours: 24}
```
Storage watched and a restore logged:
```yaml
expect:
  backup_job: {destination: "^/srv/backup/", min_free: 5GiB, min_free_percent: 10, restore_log: /var/log/restauration.log}
```

## Failing example
The same when the newest archive is three days old: `last_archive` fails with its date.
With 1.9 GiB left on `/srv`: `free_space` fails with « /srv/backup on /srv: 1.9 GiB free
(1%) »; a log whose last line is dated before the archive: `restore_log` fails with both
dates.

## Critères
`tssr-2023/CP8/C1`, `tssr-2023/CP8/C2` (free space), `tssr-2023/CP8/C3` (restore log),
`tssr-2023/CP6/C2`.
"#;
    const DOC_FR: &'static str = r#"# backup_job

## Ce qui est vérifié
Parmi les tâches de sauvegarde que le collecteur a reconnues dans les tâches planifiées : une
avec l'outil, la destination (expression régulière), la source (expression régulière) et la
planification attendus et, éventuellement, dont l'archive la plus récente dans une destination
locale a moins de `max_age_hours` heures au moment de la notation (la sauvegarde a donc
vraiment tourné). `archive: /backup/etc-%F.tar.gz` demande un nom d'archive daté : les
conversions strftime (`%F`, `%Y-%m-%d`, `%Y%m%d`, `%d-%m-%Y`, `%H%M`…) représentent la date,
au format du motif ou à l'un des `date_formats` ; la tâche correspond quand sa destination est
écrite ainsi (`/backup/etc-$(date +%Y%m%d).tar.gz`, `` `date +%F` ``, `\%` dans une crontab)
ou quand le fichier le plus récent de sa destination porte un tel nom avec une vraie date
(`etc-20261202.tar.gz`).

Deux autres preuves sur la tâche trouvée (issue 15, CP8/C2 et CP8/C3) : `min_free: 5GiB` et
`min_free_percent: 10` jugent l'espace libre (octets disponibles selon `df`, section
`storage`) du système de fichiers qui porte chaque destination locale ; `restore_log:
/var/log/restauration.log` demande une restauration prouvée par son journal, l'alternative à
la comparaison par empreinte d'un fichier restauré (`file: {same_as}`) : la date la plus
récente du journal (`2026-12-02 15:34:45`, `02/12/2026 15:34`, la sortie de `date`
`Wed Dec  2 15:34:45 UTC 2026` ; une heure sans fuseau est dans celui de l'épreuve) doit suivre
l'archive la plus récente des destinations locales de la tâche. Un journal dont des dates
peuvent se trouver au-delà de la partie lue est non évaluable, jamais en échec.

## Pourquoi c'est important
« Les sauvegardes sont fonctionnelles » : une sauvegarde planifiée qui n'a jamais produit
d'archive, ou qui n'écrit nulle part, n'est pas une sauvegarde.

## Exemple conforme
```yaml
expect:
  backup_job: {tool: tar, destination: "^/srv/backup/", schedule: "30 23 * * *", max_age_hours: 24}
```
Stockage surveillé et restauration journalisée :
```yaml
expect:
  backup_job: {destination: "^/srv/backup/", min_free: 5GiB, min_free_percent: 10, restore_log: /var/log/restauration.log}
```

## Exemple non conforme
La même attente quand l'archive la plus récente date de trois jours : `last_archive` échoue
avec sa date. Avec 1,9 Gio restant sur `/srv` : `free_space` échoue avec « /srv/backup sur
/srv : 1.9 GiB libres (1 %) » ; un journal dont la dernière ligne est datée avant l'archive :
`restore_log` échoue avec les deux dates.

## Critères
`tssr-2023/CP8/C1`, `tssr-2023/CP8/C2` (espace libre), `tssr-2023/CP8/C3` (journal de
restauration), `tssr-2023/CP6/C2`.
"#;
    type Compiled = BackupJobMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<BackupJobMatcher> {
        let tool = cx.opt_text(&self.tool);
        let archive = match &self.archive {
            None => None,
            Some(a) => {
                let text = cx.text(a);
                let formats = cx.texts(&self.date_formats);
                match DatePattern::compile(&text, &formats) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        cx.error(
                            a,
                            (
                                format!("motif d'archive « {text} » : {}", e.0),
                                format!("archive pattern \"{text}\": {}", e.1),
                            ),
                            Some((
                                "exemple : `archive: /backup/etc-%F.tar.gz` avec `date_formats: [\"%Y%m%d\"]`".to_owned(),
                                "example: `archive: /backup/etc-%F.tar.gz` with `date_formats: [\"%Y%m%d\"]`".to_owned(),
                            )),
                        );
                        return None;
                    }
                }
            }
        };
        let min_free = match &self.min_free {
            None => None,
            Some(text) => match parse_size(&cx.text(text)) {
                Ok(bytes) => Some(bytes),
                Err(e) => {
                    cx.error(
                        text,
                        (
                            format!("espace libre « {} » : {}", text.value, e.0),
                            format!("free space \"{}\": {}", text.value, e.1),
                        ),
                        Some((
                            "exemple : `min_free: 2GiB`".to_owned(),
                            "example: `min_free: 2GiB`".to_owned(),
                        )),
                    );
                    return None;
                }
            },
        };
        if let Some(percent) = &self.min_free_percent
            && percent.value > 100
        {
            cx.error(
                percent,
                (
                    format!("min_free_percent : {} dépasse 100", percent.value),
                    format!("min_free_percent: {} exceeds 100", percent.value),
                ),
                Some((
                    "un pourcentage de 0 à 100".to_owned(),
                    "a percentage from 0 to 100".to_owned(),
                )),
            );
            return None;
        }
        Some(BackupJobMatcher {
            min_free,
            min_free_percent: self.min_free_percent.as_ref().map(|p| p.value),
            restore_log: cx.opt_text(&self.restore_log),
            id: tool.clone().unwrap_or_else(|| "sauvegarde".to_owned()),
            tool,
            destination: cx.opt_regex(&self.destination)?,
            source: cx.opt_regex(&self.source)?,
            schedule: cx.opt_text(&self.schedule).map(|s| fields(&s)),
            max_age_hours: self.max_age_hours,
            archive,
        })
    }

    fn evaluate(m: &BackupJobMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "backups";
        let Some(backups) = host.section(S, &m.id, &host.snapshot.sections.backups, out) else {
            return Status::NotAssessable;
        };
        let job = backups.jobs.iter().find(|j| m.matches(j));
        // In the pack's own keys (French labels: `eval/key_lists.rs`).
        let expected = [
            m.tool.as_ref().map(|t| format!("tool: {t}")),
            m.destination
                .as_ref()
                .map(|r| format!("destination: /{}/", r.as_str())),
            m.source
                .as_ref()
                .map(|r| format!("source: /{}/", r.as_str())),
            m.schedule.as_ref().map(|s| format!("schedule: {s}")),
            m.archive.as_ref().map(|a| format!("archive: {}", a.text)),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let Some(job) = job else {
            let seen: Vec<String> = backups
                .jobs
                .iter()
                .map(|j| format!("{} \"{}\"", j.tool, j.command))
                .collect();
            out.push(host.evidence(
                S,
                &m.id,
                "job",
                expected,
                if seen.is_empty() {
                    "no scheduled backup".to_owned()
                } else {
                    seen.join("; ")
                },
                Status::Fail,
            ));
            return Status::Fail;
        };
        out.push(host.evidence(
            S,
            &m.id,
            "job",
            expected,
            format!(
                "{} \"{}\" ({})",
                job.cron.as_deref().unwrap_or(&job.schedule),
                job.command,
                job.job_source
            ),
            Status::Pass,
        ));
        if let Some(p) = &m.archive
            && let Some(found) = archive_match(p, job)
        {
            out.push(host.evidence(S, &m.id, "archive", p.text.clone(), found, Status::Pass));
        }
        let mut status = Status::Pass;
        if m.min_free.is_some() || m.min_free_percent.is_some() {
            status = status.and(check_free_space(
                host,
                out,
                &m.id,
                job,
                m.min_free,
                m.min_free_percent,
            ));
        }
        if let Some(log) = &m.restore_log {
            status = status.and(check_restore_log(host, out, &m.id, job, log));
        }
        status.and(last_archive(m, host, out, job))
    }

    fn requested_files(m: &BackupJobMatcher, out: &mut Vec<String>) {
        out.extend(m.restore_log.clone());
    }
}

/// `max_age_hours`: the newest archive of a local destination is that young.
fn last_archive(
    m: &BackupJobMatcher,
    host: &HostView<'_>,
    out: &mut Vec<Evidence>,
    job: &BackupJob,
) -> Status {
    const S: &str = "backups";
    {
        let Some(hours) = m.max_age_hours else {
            return Status::Pass;
        };
        let newest = job
            .destinations
            .iter()
            .filter(|d| d.local)
            .filter_map(|d| {
                d.newest_mtime
                    .as_deref()
                    .and_then(|t| parse_rfc3339(t).map(|s| (s, d)))
            })
            .max_by_key(|(s, _)| *s);
        let expected = format!("archive younger than {hours} h");
        let (status, actual) = match (newest, host.now) {
            (_, None) => (Status::NotAssessable, "grading time unknown".to_owned()),
            (None, _)
                if job
                    .destinations
                    .iter()
                    .any(|d| d.local && d.exists == Some(true)) =>
            {
                (Status::Fail, "no archive in the destination".to_owned())
            }
            (None, _) => (
                Status::NotAssessable,
                "remote or uninspected destination".to_owned(),
            ),
            (Some((at, d)), Some(now)) => {
                let age = (now - at) as f64 / 3600.0;
                (
                    Status::from_bool(age <= f64::from(hours)),
                    format!(
                        "{} of {} ({age:.1} h ago)",
                        d.newest_file.as_deref().unwrap_or("?"),
                        d.newest_mtime.as_deref().unwrap_or("?")
                    ),
                )
            }
        };
        out.push(host.evidence(S, &m.id, "last_archive", expected, actual, status));
        status
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{fixture, kind_case, lab, without};
    use constat_snapshot::section::Section;
    use constat_snapshot::{FileInfo, Snapshot};

    /// The lab job writes `/srv/backup/web_$(date +%F).tar.gz` and its destination holds
    /// `web_2026-11-23.tar.gz`: found whether the pack writes %F or allows %Y%m%d; a pack
    /// that allows only `%d%m%Y` or names another file fails.
    #[test]
    fn dated_archive_names() {
        let ok = kind_case(
            r#"all: [{backup_job: {tool: tar, archive: "/srv/backup/web_%F.tar.gz"}}, {backup_job: {tool: tar, archive: "/srv/backup/web_%Y%m%d.tar.gz", date_formats: ["%Y-%m-%d"]}}]"#,
            &lab(),
        );
        let bad = kind_case(
            r#"any: [{backup_job: {tool: tar, archive: "/srv/backup/web_%d%m%Y.tar.gz"}}, {backup_job: {tool: tar, archive: "/srv/backup/etc_%F.tar.gz"}}]"#,
            &lab(),
        );
        insta::assert_snapshot!(format!("{ok}{bad}"));
    }

    #[test]
    fn passes_with_a_recent_archive() {
        insta::assert_snapshot!(kind_case(
            r#"backup_job: {tool: tar, destination: "^/srv/backup/", source: "^/var/www", schedule: "30 23 * * *", max_age_hours: 24}"#,
            &lab()
        ));
    }

    #[test]
    fn fails_without_a_backup_on_the_real_host_or_with_an_old_archive() {
        let a = kind_case("backup_job: {tool: rsync}", &fixture());
        let b = kind_case("backup_job: {tool: tar, max_age_hours: 0}", &lab());
        insta::assert_snapshot!(format!("{a}{b}"));
    }

    /// `lab()` (its tar job writes /srv/backup, newest archive 2026-11-23T17:20:11Z) with a
    /// storage section whose `/srv` file system has `free` of 100 GiB available (the shape
    /// the agent's `df` parser writes) and a restore log whose head is `log`.
    fn with_storage_and_log(free: u64, log: Option<&str>) -> Snapshot {
        let mut snapshot = lab();
        snapshot.sections.storage = Section::collected(
            serde_json::from_value(serde_json::json!({
                "mounts": [
                    {"source": "/dev/sda1", "target": "/", "fstype": "ext4", "options": "rw",
                     "size_bytes": 20_000_000_000_u64, "available_bytes": 9_000_000_000_u64},
                    {"source": "/dev/mapper/vg-srv", "target": "/srv", "fstype": "ext4",
                     "options": "rw", "size_bytes": 107_374_182_400_u64, "available_bytes": free}
                ]
            }))
            .expect("storage"),
        );
        if let Section::Collected { data } = &mut snapshot.sections.files {
            data.push(FileInfo {
                path: "/var/log/restauration.log".to_owned(),
                exists: log.is_some(),
                head: log.map(str::to_owned),
                ..FileInfo::default()
            });
        }
        snapshot
    }

    /// CP8/C2 and C3 on the lab job: enough free space (bytes and percentage) and a restore
    /// logged after the newest archive pass; a full file system and a restore logged before
    /// the archive fail with the figures; a log without a date fails; without the storage
    /// section the free space is not assessable.
    #[test]
    fn free_space_and_restore_log() {
        let expect = r#"backup_job: {tool: tar, min_free: 5GiB, min_free_percent: 10, restore_log: /var/log/restauration.log}"#;
        let good = with_storage_and_log(
            60_000_000_000,
            Some(
                "2026-11-23 18:40:02 restauration de web_2026-11-23.tar.gz vers /srv/restauration : OK\n",
            ),
        );
        let bad = with_storage_and_log(
            2_000_000_000,
            Some("Mon Nov 23 17:00:00 UTC 2026 tar xzf web_2026-11-22.tar.gz\n"),
        );
        let undated = with_storage_and_log(60_000_000_000, Some("restauration faite\n"));
        insta::assert_snapshot!(format!(
            "{}{}{}{}",
            kind_case(expect, &good),
            kind_case(expect, &bad),
            kind_case(expect, &undated),
            kind_case(expect, &without(good.clone(), "storage")),
        ));
    }

    #[test]
    fn is_not_assessable_without_backups() {
        insta::assert_snapshot!(kind_case(
            "backup_job: {tool: tar}",
            &without(lab(), "backups")
        ));
    }
}
