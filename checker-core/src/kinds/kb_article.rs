//! Check kind `kb_article`: knowledge-base articles written during the exam in the helpdesk.

use crate::eval::evidence::{Evidence, Status};
use crate::eval::host::HostView;
use crate::kinds::helpdesk::{
    MAX_LISTED, Since, category_matches, compile_since, in_window, window_start, window_words,
};
use crate::kinds::kind::Kind;
use crate::kinds::windows::listed;
use crate::pack::compile::Compile;
use crate::pack::span::Sp;
use constat_snapshot::helpdesk::KbArticle;
use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

/// `kb_article: {title: "(?i)mot de passe", category: any, min_chars: 200}`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KbArticleExpect {
    /// Regex the title must match (any title when left out).
    #[serde(default)]
    pub title: Option<Sp<String>>,
    /// Only articles written (created or modified) during the exam count (default true):
    /// after the start-phase collection of this host, or after `since`.
    #[serde(default = "yes")]
    pub during_exam: bool,
    /// Count articles written from this instant (RFC 3339 with its zone) instead of the
    /// exam's start.
    #[serde(default)]
    pub since: Option<Sp<String>>,
    /// At least this many articles (default 1).
    #[serde(default = "one")]
    pub min_count: u32,
    /// A category: `any` (some category), or its name (complete or last component),
    /// case-insensitive.
    #[serde(default)]
    pub category: Option<Sp<String>>,
    /// In the FAQ (`true`) or not (`false`).
    #[serde(default)]
    pub faq: Option<bool>,
    /// An answer of at least this many characters (its HTML counted as written).
    #[serde(default)]
    pub min_chars: Option<u64>,
}

fn yes() -> bool {
    true
}

fn one() -> u32 {
    1
}

/// Compiled `kb_article` expectation.
#[derive(Debug, Clone)]
pub struct KbArticleMatcher {
    title: Option<Regex>,
    since: Since,
    min_count: u32,
    category: Option<String>,
    faq: Option<bool>,
    min_chars: Option<u64>,
}

impl Kind for KbArticleExpect {
    const NAME: &'static str = "kb_article";
    const SECTIONS: Option<&'static [&'static str]> = Some(&["helpdesk"]);
    const DOC: &'static str = r#"# kb_article

## What it checks
The helpdesk's knowledge base (section `helpdesk`: GLPI `KnowbaseItem` articles read
through its REST API) has at least `min_count` (default 1) articles whose title matches
`title` (a regex), written during the exam (created or modified after this host's
start-phase collection, or after `since`; `during_exam: false` counts any article), with a
`category` (`any`, or its name), in the FAQ or not (`faq`), and an answer of at least
`min_chars` characters. When the exam's start or the server's time offset is unknown, the
dates are not assessable, never failed.

## Why it matters
« La base de connaissances est correctement renseignée » (CP1): what was solved is written
down where colleagues look for it, filed under a category they browse.

## Passing example
```yaml
expect:
  kb_article: {title: "(?i)nobreak", category: Hardware, min_chars: 40}
```

## Failing example
`kb_article: {title: "(?i)imprimante"}` when no article of the exam has such a title: fails
with the titles of the articles written during the exam.

## Critères
`tssr-2023/CP1/C4`.
"#;
    const DOC_FR: &'static str = r#"# kb_article

## Ce qui est vérifié
La base de connaissances de l'outil d'assistance (section `helpdesk` : articles GLPI
`KnowbaseItem` lus par son API REST) contient au moins `min_count` (1 par défaut) articles dont
le titre correspond à `title` (une expression régulière), rédigés pendant l'épreuve (créés ou
modifiés après la collecte de début d'épreuve de cette machine, ou après `since` ;
`during_exam: false` compte tous les articles), classés dans une catégorie `category` (`any`,
ou son nom), dans la FAQ ou non (`faq`), et dont la réponse compte au moins `min_chars`
caractères. Quand le début de l'épreuve ou le décalage horaire du serveur est inconnu, les
dates sont non évaluables, jamais en échec.

## Pourquoi c'est important
« La base de connaissances est correctement renseignée » (CP1) : ce qui a été résolu est
consigné là où les collègues le cherchent, rangé dans une catégorie qu'ils parcourent.

## Exemple conforme
```yaml
expect:
  kb_article: {title: "(?i)nobreak", category: Hardware, min_chars: 40}
```

## Exemple non conforme
`kb_article: {title: "(?i)imprimante"}` quand aucun article de l'épreuve ne porte un tel
titre : échoue en citant les titres des articles rédigés pendant l'épreuve.

## Critères
`tssr-2023/CP1/C4`.
"#;
    type Compiled = KbArticleMatcher;

    fn compile(&self, cx: &mut Compile<'_>) -> Option<KbArticleMatcher> {
        let title = cx.opt_regex(&self.title)?;
        let since = compile_since(cx, self.during_exam, &self.since)?;
        Some(KbArticleMatcher {
            title,
            since,
            min_count: self.min_count,
            category: cx.opt_text(&self.category),
            faq: self.faq,
            min_chars: self.min_chars,
        })
    }

    fn evaluate(m: &KbArticleMatcher, host: &HostView<'_>, out: &mut Vec<Evidence>) -> Status {
        const S: &str = "helpdesk";
        let path = m.title.as_ref().map_or("kb", Regex::as_str);
        let Some(h) = host.section(S, path, &host.snapshot.sections.helpdesk, out) else {
            return Status::NotAssessable;
        };
        let start = match window_start(m.since, host) {
            Ok(s) => s,
            Err(why) => {
                out.push(host.evidence(
                    S,
                    path,
                    "during_exam",
                    "written during the exam",
                    why,
                    Status::NotAssessable,
                ));
                return Status::NotAssessable;
            }
        };
        let mut in_time = Vec::new();
        let mut unknown_time = 0usize;
        for a in h
            .kb_articles
            .iter()
            .filter(|a| m.title.as_ref().is_none_or(|re| re.is_match(&a.title)))
        {
            let created = in_window(a.created.as_deref(), start);
            let modified = a
                .modified
                .as_deref()
                .map_or(Some(false), |t| in_window(Some(t), start));
            match (created, modified) {
                (Some(true), _) | (_, Some(true)) => in_time.push(a),
                (Some(false), Some(false)) => {}
                _ => unknown_time += 1,
            }
        }
        let label = |a: &KbArticle| {
            format!(
                "#{} \"{}\" ({}{})",
                a.id,
                a.title,
                a.created_local,
                a.modified_local
                    .as_deref()
                    .filter(|m| *m != a.created_local)
                    .map_or(String::new(), |m| format!(" → {m}"))
            )
        };
        let shown: Vec<String> = in_time.iter().take(MAX_LISTED).map(|a| label(a)).collect();
        let mut actual = listed(&shown);
        if unknown_time > 0 {
            actual.push_str(&format!(
                "; {unknown_time} article(s) not placed in time (server time zone unknown)"
            ));
        }
        if !h.truncated.is_empty() {
            actual.push_str(&format!("; partial list: {}", h.truncated.join(", ")));
        }
        let min = m.min_count as usize;
        let found = if in_time.len() >= min {
            Status::Pass
        } else if in_time.len() + unknown_time >= min || !h.truncated.is_empty() {
            Status::NotAssessable
        } else {
            Status::Fail
        };
        out.push(host.evidence(
            S,
            path,
            "articles",
            format!(
                "≥ {} article(s){}{}",
                m.min_count,
                if start.is_some() {
                    " written during the exam"
                } else {
                    ""
                },
                window_words(start)
            ),
            actual,
            found,
        ));
        if in_time.is_empty() || (m.category.is_none() && m.faq.is_none() && m.min_chars.is_none())
        {
            return found;
        }
        let mut asked = Vec::new();
        if let Some(c) = &m.category {
            asked.push(format!("category: {c}"));
        }
        if let Some(f) = m.faq {
            asked.push(format!("faq: {f}"));
        }
        if let Some(n) = m.min_chars {
            asked.push(format!("min_chars: {n}"));
        }
        let mut complete = 0usize;
        for a in in_time.iter().take(MAX_LISTED) {
            let mut holds = true;
            let mut said = Vec::new();
            if let Some(c) = &m.category {
                let ok = a.categories.iter().any(|x| category_matches(x, c));
                holds &= ok;
                said.push(format!(
                    "{}categories: {}",
                    if ok { "" } else { "✗ " },
                    if a.categories.is_empty() {
                        "-".to_owned()
                    } else {
                        a.categories.join("|")
                    }
                ));
            }
            if let Some(f) = m.faq {
                holds &= a.faq == f;
                said.push(format!(
                    "{}faq: {}",
                    if a.faq == f { "" } else { "✗ " },
                    a.faq
                ));
            }
            if let Some(n) = m.min_chars {
                holds &= a.answer_chars >= n;
                said.push(format!(
                    "{}answer_chars: {}",
                    if a.answer_chars >= n { "" } else { "✗ " },
                    a.answer_chars
                ));
            }
            complete += usize::from(holds);
            out.push(host.evidence(
                S,
                &format!("#{}", a.id),
                "filed",
                asked.join(", "),
                said.join(", "),
                Status::from_bool(holds),
            ));
        }
        Status::from_bool(complete >= min)
    }
}

#[cfg(test)]
mod tests {
    use crate::kinds::testing::{helpdesk_glpi, kind_case, without};

    // `helpdesk-glpi.json` (see `ticket.rs`): article 1 written 2022-07-25 13:02 UTC (FAQ,
    // Hardware > Energia), article 2 on 2022-07-20.

    #[test]
    fn passes_on_an_article_written_since_the_start_and_filed() {
        insta::assert_snapshot!(kind_case(
            "kb_article: {since: '2022-07-25T12:00:00Z', title: '(?i)nobreak', category: Energia, faq: true, min_chars: 40}",
            &helpdesk_glpi()
        ));
    }

    #[test]
    fn fails_on_an_old_article_or_a_missing_category() {
        insta::assert_snapshot!(kind_case(
            "all: [{kb_article: {since: '2022-07-25T12:00:00Z', title: '(?i)senha'}}, {kb_article: {during_exam: false, category: Impressoras, min_count: 1}}]",
            &helpdesk_glpi()
        ));
    }

    #[test]
    fn is_not_assessable_without_the_section_or_the_exam_start() {
        insta::assert_snapshot!(kind_case(
            "kb_article: {during_exam: false}",
            &without(helpdesk_glpi(), "helpdesk")
        ));
        insta::assert_snapshot!(kind_case("kb_article: {}", &helpdesk_glpi()));
    }
}
