//! Progress of a run: one line per host with its state (indicatif) on a terminal, plain
//! lines otherwise.

use crate::i18n::tf;
use constat_checker_core::render::escape::terminal as visible;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressMode {
    /// Bars on a terminal, lines otherwise.
    Auto,
    /// Nothing (JSON output, tests).
    Quiet,
}

/// Progress display for one run.
pub(crate) struct Progress {
    bars: Option<(MultiProgress, Mutex<BTreeMap<String, ProgressBar>>)>,
    plain: bool,
}

impl Progress {
    pub(crate) fn new(mode: ProgressMode) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        match mode {
            ProgressMode::Quiet => Progress {
                bars: None,
                plain: false,
            },
            ProgressMode::Auto if terminal => Progress {
                bars: Some((
                    MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
                    Mutex::new(BTreeMap::new()),
                )),
                plain: false,
            },
            ProgressMode::Auto => Progress {
                bars: None,
                plain: true,
            },
        }
    }

    /// A host starts (or waits for a slot).
    pub(crate) fn start(&self, label: &str, state: &str) {
        let (label, state) = (&*visible(label), &*visible(state));
        if let Some((multi, bars)) = &self.bars {
            let bar = multi.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix:<24} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(label.to_owned());
            bar.set_message(state.to_owned());
            bar.enable_steady_tick(Duration::from_millis(120));
            bars.lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(label.to_owned(), bar);
        }
    }

    /// A host's state changes.
    pub(crate) fn update(&self, label: &str, state: &str) {
        let (label, state) = (&*visible(label), &*visible(state));
        if let Some((_, bars)) = &self.bars
            && let Some(bar) = bars.lock().unwrap_or_else(|p| p.into_inner()).get(label)
        {
            bar.set_message(state.to_owned());
        }
    }

    /// A host is done.
    pub(crate) fn finish(&self, label: &str, outcome: &str) {
        let (label, outcome) = (&*visible(label), &*visible(outcome));
        if let Some((_, bars)) = &self.bars
            && let Some(bar) = bars.lock().unwrap_or_else(|p| p.into_inner()).get(label)
        {
            bar.finish_with_message(outcome.to_owned());
        }
        if self.plain {
            eprintln!(
                "{}",
                tf("progress.line", &[("host", &label), ("outcome", &outcome)])
            );
        }
    }
}
