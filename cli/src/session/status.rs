//! `session status`: the grid of candidates × roles × phases.

use super::layout::SessionDir;
use super::manifest::{HostStatus, Manifest, Phase};
use super::run::is_intact;
use crate::i18n::{t, tf};
use crate::inventory::{load_inventory, resolve_hosts};
use serde::Serialize;

/// One cell of the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusCell {
    /// Candidate.
    pub candidate: String,
    /// Role.
    pub role: String,
    /// Phase.
    pub phase: Phase,
    /// `collected`, `failed`, `pending`, or `damaged` (file missing or sha256 mismatch).
    pub state: &'static str,
    /// Failure kind, when failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<String>,
    /// Failure message, when failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusGrid {
    /// Session id.
    pub session: String,
    /// Cells, candidates in inventory order, then roles, then phases.
    pub cells: Vec<StatusCell>,
}

/// Builds the grid of the session in `dir`.
pub fn status_grid(dir: &SessionDir) -> anyhow::Result<StatusGrid> {
    dir.ensure_exists()?;
    let inventory = load_inventory(&dir.inventory())?;
    let hosts = resolve_hosts(&inventory)?;
    let manifest = if dir.manifest().exists() {
        Manifest::load(&dir.manifest())?
    } else {
        Manifest::new(inventory.session.clone())
    };
    let mut cells = Vec::new();
    for host in &hosts {
        for phase in [Phase::Start, Phase::End] {
            let entry = manifest.entry(&host.candidate, phase, &host.role);
            let (state, error_kind, error) = match entry {
                None => ("pending", None, None),
                Some(e) if e.status == HostStatus::Collected && is_intact(dir, e) => {
                    ("collected", None, None)
                }
                Some(e) if e.status == HostStatus::Collected => ("damaged", None, None),
                Some(e) => (
                    "failed",
                    e.error.as_ref().map(|x| {
                        serde_json::to_value(x.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default()
                    }),
                    e.error.as_ref().map(|x| x.message.clone()),
                ),
            };
            cells.push(StatusCell {
                candidate: host.candidate.clone(),
                role: host.role.clone(),
                phase,
                state,
                error_kind,
                error,
            });
        }
    }
    Ok(StatusGrid {
        session: inventory.session.id,
        cells,
    })
}

impl StatusGrid {
    /// The grid as text: one row per candidate, one column per role and phase.
    pub fn to_text(&self) -> String {
        let mut columns: Vec<(String, Phase)> = Vec::new();
        let mut rows: Vec<String> = Vec::new();
        for cell in &self.cells {
            if !columns
                .iter()
                .any(|(r, p)| r == &cell.role && *p == cell.phase)
            {
                columns.push((cell.role.clone(), cell.phase));
            }
            if !rows.contains(&cell.candidate) {
                rows.push(cell.candidate.clone());
            }
        }
        columns.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
        let mut table: Vec<Vec<String>> = Vec::new();
        let mut header = vec![t("status.candidate").to_owned()];
        header.extend(
            columns
                .iter()
                .map(|(role, phase)| format!("{role} ({})", phase.label())),
        );
        table.push(header);
        for candidate in &rows {
            let mut row = vec![candidate.clone()];
            for (role, phase) in &columns {
                let cell = self
                    .cells
                    .iter()
                    .find(|c| &c.candidate == candidate && &c.role == role && c.phase == *phase);
                row.push(match cell {
                    Some(c) => match (c.state, &c.error_kind) {
                        ("collected", _) => t("status.collected").to_owned(),
                        ("failed", Some(kind)) => {
                            format!("{} ({})", t("status.failed"), kind_label(kind))
                        }
                        ("failed", None) => t("status.failed").to_owned(),
                        ("damaged", _) => t("status.damaged").to_owned(),
                        _ => t("status.pending").to_owned(),
                    },
                    None => "-".to_owned(),
                });
            }
            table.push(row);
        }
        for cell in table.iter_mut().flatten() {
            *cell = constat_checker_core::render::escape::terminal(cell).into_owned();
        }
        let widths: Vec<usize> = (0..table[0].len())
            .map(|i| {
                table
                    .iter()
                    .map(|r| r[i].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut text = String::new();
        for row in &table {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| format!("{cell:<w$}"))
                .collect();
            text.push_str(line.join("  ").trim_end());
            text.push('\n');
        }
        let failures: Vec<&StatusCell> =
            self.cells.iter().filter(|c| c.state == "failed").collect();
        for cell in failures {
            text.push_str(&tf(
                "status.failure_line",
                &[
                    ("candidate", &cell.candidate),
                    ("role", &cell.role),
                    ("phase", &cell.phase.as_str()),
                    (
                        "error",
                        &crate::retranslate::in_current_lang(
                            cell.error.as_deref().unwrap_or_default(),
                        ),
                    ),
                ],
            ));
            text.push('\n');
        }
        // Candidate ids, roles and collector errors come from the inventory and the hosts.
        constat_checker_core::render::escape::terminal_lines(&text).into_owned()
    }
}

/// The translated label of a failure kind stored in the manifest (`unreachable` → « injoignable »);
/// an unknown kind (a newer manifest) is shown as stored.
fn kind_label(kind: &str) -> String {
    serde_json::from_value::<crate::transport::HostErrorKind>(serde_json::Value::String(
        kind.to_owned(),
    ))
    .map(|k| k.label().to_owned())
    .unwrap_or_else(|_| kind.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `session status` said « échec (unreachable) »: the stored kind is shown translated.
    #[test]
    fn failure_kinds_are_translated() {
        crate::i18n::set_lang(crate::i18n::Lang::Fr);
        assert_eq!(kind_label("unreachable"), "injoignable");
        assert_eq!(kind_label("auth_refused"), t("kind.auth_refused"));
        assert_eq!(kind_label("from_a_newer_version"), "from_a_newer_version");
    }
}
