//! Render options: language, audience, colour.

use crate::i18n::Lang;

/// Who reads the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    /// Examiners: everything, with explanations.
    #[default]
    Examiner,
    /// Trainers: everything, with explanations and hints.
    Trainer,
    /// Learners: hints, observed values, never the expected values nor explanations.
    Learner,
}

impl Audience {
    pub(crate) fn shows_expected(self) -> bool {
        self != Audience::Learner
    }

    pub(crate) fn shows_hints(self) -> bool {
        self != Audience::Examiner
    }

    pub(crate) fn shows_explanations(self) -> bool {
        self != Audience::Learner
    }
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Language.
    pub lang: Lang,
    /// Audience.
    pub audience: Audience,
    /// ANSI colours (terminal only; the caller decides, e.g. from `--color` and isatty).
    pub color: bool,
}
