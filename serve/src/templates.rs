//! The page templates, embedded in the binary (`templates/*.html`) and rendered by
//! minijinja with HTML auto-escaping: every value a host, a learner or a pack wrote is
//! escaped where it lands. No external resource: CSS is inline, the only script is
//! `/static/live.js` (the grid works without it).

use minijinja::{Environment, Value};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("setup.html", include_str!("../templates/setup.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("classes.html", include_str!("../templates/classes.html")),
    ("grid.html", include_str!("../templates/grid.html")),
    ("grid_row.html", include_str!("../templates/grid_row.html")),
    ("check.html", include_str!("../templates/check.html")),
    ("result.html", include_str!("../templates/result.html")),
    ("learner.html", include_str!("../templates/learner.html")),
    (
        "learner_self.html",
        include_str!("../templates/learner_self.html"),
    ),
    ("join.html", include_str!("../templates/join.html")),
    ("joined.html", include_str!("../templates/joined.html")),
    ("pull.html", include_str!("../templates/pull.html")),
];

/// The live grid's script: replaces a learner's row when the server sends it; without it
/// (or without `EventSource`) the page is a plain table to reload.
pub const LIVE_JS: &str = include_str!("../templates/live.js");

/// The compiled templates.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Compiles every template.
    pub fn new() -> Result<Templates, minijinja::Error> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(Templates { env })
    }

    /// Renders `name` with `ctx`.
    pub fn render(&self, name: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    #[test]
    fn values_are_escaped() {
        let templates = Templates::new().unwrap();
        let html = templates
            .render(
                "error.html",
                context! { title => "<script>x</script>", status => "\"><img src=x>", lang => "fr", t => crate::i18n::table(crate::i18n::Lang::Fr) },
            )
            .unwrap();
        assert!(!html.contains("<script>x"), "{html}");
        assert!(!html.contains("<img src=x>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
}
