//! A selected account, and the expectation each one is judged by: the pack's template
//! compiled again with `${member}`, `${member.home}` and `${member.dn}` bound to it.

use crate::expect::{CompiledExpect, compile};
use crate::kinds::RawExpect;
use crate::pack::Diagnostics;
use crate::pack::compile::Compile;
use crate::pack::raw::HostOs;
use crate::pack::span::Sp;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One account a selection holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    /// `sAMAccountName` or login name.
    pub(crate) name: String,
    /// Home directory (`homeDirectory`, passwd home), when the account has one.
    pub(crate) home: Option<String>,
    /// Distinguished name (directory accounts).
    pub(crate) dn: Option<String>,
}

/// Where a selection reads its accounts: which member variables exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Directory,
    Local,
}

/// The value a member variable takes while the template is validated at load; a path
/// holding it is not requested from the collector (members are known only at grading).
pub(crate) const PLACEHOLDER_OPEN: char = '⟨';

fn placeholder(name: &str) -> String {
    format!("{PLACEHOLDER_OPEN}{name}⟩")
}

/// A path a member template reads, as the collector can be asked for it: unchanged when it
/// names no member, `{home}…` when it is under `${member.home}`, `None` when it names a
/// member otherwise (`/home/${member}`: not requestable).
pub(crate) fn home_template(path: &str) -> Option<String> {
    let home = format!("/{}", placeholder("member.home"));
    if let Some(rest) = path.strip_prefix(&home)
        && (rest.is_empty() || rest.starts_with('/'))
        && !rest.contains(PLACEHOLDER_OPEN)
    {
        return Some(format!(
            "{}{rest}",
            constat_snapshot::files::HOME_PLACEHOLDER
        ));
    }
    (!path.contains(PLACEHOLDER_OPEN)).then(|| path.to_owned())
}

/// The check's variables plus placeholders for the member variables of `source`.
pub(crate) fn placeholder_vars(
    base: &BTreeMap<String, String>,
    source: Source,
    with_home: bool,
) -> BTreeMap<String, String> {
    let mut vars = base.clone();
    vars.insert("member".to_owned(), placeholder("member"));
    if with_home {
        // Absolute, as kinds that take a path require.
        vars.insert(
            "member.home".to_owned(),
            format!("/{}", placeholder("member.home")),
        );
    }
    if source == Source::Directory {
        vars.insert("member.dn".to_owned(), placeholder("member.dn"));
    }
    vars
}

/// What every member of one selection must satisfy, kept as written so that it is compiled
/// again for each member.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    raw: Sp<RawExpect>,
    vars: Arc<BTreeMap<String, String>>,
    roles: Arc<BTreeMap<String, HostOs>>,
    /// Compiled with placeholders: what it reads (sections, files that name no member).
    pub(crate) shape: CompiledExpect,
    /// It uses `${member.home}`: an account without a home directory cannot satisfy it.
    pub(crate) needs_home: bool,
}

impl Template {
    /// Validates the template once, with placeholders (problems go to `cx`).
    pub(crate) fn compile(
        raw: &Sp<RawExpect>,
        source: Source,
        cx: &mut Compile<'_>,
    ) -> Option<Template> {
        let vars = placeholder_vars(cx.vars, source, true);
        let shape = compile(
            raw,
            &mut Compile {
                vars: &vars,
                roles: cx.roles,
                diags: cx.diags,
            },
        )?;
        let without_home = placeholder_vars(cx.vars, source, false);
        let mut scratch = Diagnostics::new("");
        // An unknown variable is reported without failing the compilation: look at both.
        let needs_home = compile(
            raw,
            &mut Compile {
                vars: &without_home,
                roles: cx.roles,
                diags: &mut scratch,
            },
        )
        .is_none()
            || !scratch.list.is_empty();
        Some(Template {
            raw: raw.clone(),
            vars: Arc::new(cx.vars.clone()),
            roles: Arc::new(cx.roles.clone()),
            shape,
            needs_home,
        })
    }

    /// The expectation for one member, or why it cannot be built (a regex the member's name
    /// breaks, for instance).
    pub(crate) fn for_member(&self, member: &Member) -> Result<CompiledExpect, String> {
        let mut vars = (*self.vars).clone();
        vars.insert("member".to_owned(), member.name.clone());
        if let Some(home) = &member.home {
            vars.insert("member.home".to_owned(), home.clone());
        }
        if let Some(dn) = &member.dn {
            vars.insert("member.dn".to_owned(), dn.clone());
        }
        let mut diags = Diagnostics::new("");
        let compiled = compile(
            &self.raw,
            &mut Compile {
                vars: &vars,
                roles: &self.roles,
                diags: &mut diags,
            },
        );
        let problems = diags.finish();
        match (compiled, problems.first()) {
            (Some(expect), None) => Ok(expect),
            (_, Some(d)) => Err(d.message_in(crate::i18n::Lang::En).to_owned()),
            (None, None) => Err("expectation not compilable".to_owned()),
        }
    }
}
