//! Inline SVG bar chart of scores (per competence) and the colour scale shared by the
//! report and the session summary: no script, no external resource, every label escaped.

use crate::i18n::percent;
use crate::render::escape::html as escape;
use crate::report::Score;
use std::fmt::Write;

/// Tone of a score, as a CSS class: every score has a colour, 0 % included.
pub(crate) fn tone(score: &Score) -> &'static str {
    match score.percent.filter(|p| p.is_finite()) {
        None => "s-none",
        Some(p) if p >= 0.8 => "s-hi",
        Some(p) if p >= 0.5 => "s-mid",
        Some(p) if p > 0.0 => "s-low",
        Some(_) => "s-zero",
    }
}

/// Fill colour of a tone in the SVG (CSS classes do not reach SVG fills in every printer).
fn fill(tone: &str) -> &'static str {
    match tone {
        "s-hi" => "#2e7d32",
        "s-mid" => "#c9a400",
        "s-low" => "#e07b00",
        "s-zero" => "#c62828",
        _ => "#9e9e9e",
    }
}

/// CSS of the tones (backgrounds for table cells).
pub(crate) const TONE_STYLE: &str = ".s-hi{background:#d8efd5}.s-mid{background:#fff1c2}\
.s-low{background:#ffe0c2}.s-zero{background:#f8d0d0}.s-none{background:#eee;color:#555}";

/// A horizontal bar chart: one bar per (label, title, score), 0–100 %.
pub(crate) fn bars(label: &str, rows: &[(&str, &str, Score)]) -> String {
    const ROW: usize = 22;
    const LABEL_W: usize = 70;
    const BAR_W: usize = 300;
    let height = ROW * rows.len() + 4;
    let width = LABEL_W + BAR_W + 60;
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
        escape(label),
        escape(label)
    );
    for (i, (id, title, score)) in rows.iter().enumerate() {
        let y = i * ROW + 2;
        let p = score
            .percent
            .filter(|p| p.is_finite())
            .unwrap_or(0.0)
            .clamp(0.0, 1.0);
        // A 0 % bar keeps a sliver so that its colour shows.
        let w = ((p * BAR_W as f64).round() as usize).max(3);
        let t = tone(score);
        let _ = write!(
            o,
            "<g><title>{}</title><text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"{LABEL_W}\" y=\"{}\" width=\"{BAR_W}\" height=\"14\" fill=\"#eee\"/><rect x=\"{LABEL_W}\" y=\"{}\" width=\"{w}\" height=\"14\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text></g>",
            escape(title),
            y + 12,
            escape(id),
            y + 1,
            y + 1,
            fill(t),
            LABEL_W + BAR_W + 6,
            y + 12,
            escape(&percent(score.percent))
        );
    }
    o.push_str("</svg>");
    o
}
