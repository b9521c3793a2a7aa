//! Scoring: check → critère → CP → CCP under a session profile.

mod scoring;

pub(crate) use scoring::score;
