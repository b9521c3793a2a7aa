//! Variable resolution: defaults, per-candidate overrides, references between variables.

use crate::pack::Both;
use crate::pack::compile::references;
use std::collections::BTreeMap;

/// Resolves every variable to its final text. Errors name the variable and the problem
/// `(français, English)`.
pub(crate) fn resolve(
    defaults: &BTreeMap<String, String>,
    overrides: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Vec<(String, Both)>> {
    let mut errors = Vec::new();
    for name in overrides.keys() {
        if !defaults.contains_key(name) {
            errors.push((
                name.clone(),
                (
                    format!("surcharge d'une variable inconnue « {name} »"),
                    format!("override of an unknown variable \"{name}\""),
                ),
            ));
        }
    }
    let raw: BTreeMap<&str, &str> = defaults
        .iter()
        .map(|(k, v)| (k.as_str(), overrides.get(k).unwrap_or(v).as_str()))
        .collect();
    let mut done: BTreeMap<String, String> = BTreeMap::new();
    for name in raw.keys() {
        let mut stack = Vec::new();
        if let Err(e) = resolve_one(name, &raw, &mut done, &mut stack) {
            errors.push(((*name).to_owned(), e));
        }
    }
    if errors.is_empty() {
        Ok(done)
    } else {
        Err(errors)
    }
}

fn resolve_one<'a>(
    name: &'a str,
    raw: &BTreeMap<&'a str, &'a str>,
    done: &mut BTreeMap<String, String>,
    stack: &mut Vec<&'a str>,
) -> Result<String, Both> {
    if let Some(v) = done.get(name) {
        return Ok(v.clone());
    }
    if stack.contains(&name) {
        stack.push(name);
        return Err((
            format!(
                "références circulaires entre variables : {}",
                stack.join(" → ")
            ),
            format!(
                "circular references between variables: {}",
                stack.join(" → ")
            ),
        ));
    }
    let Some(text) = raw.get(name) else {
        return Err((
            format!("variable inconnue « ${{{name}}} »"),
            format!("unknown variable \"${{{name}}}\""),
        ));
    };
    stack.push(name);
    let mut value = (*text).to_owned();
    for r in references(text) {
        let Some((key, _)) = raw.get_key_value(r) else {
            return Err((
                format!("la variable « {name} » utilise une variable inconnue « ${{{r}}} »"),
                format!("the variable \"{name}\" uses an unknown variable \"${{{r}}}\""),
            ));
        };
        let v = resolve_one(key, raw, done, stack)?;
        value = value.replace(&format!("${{{r}}}"), &v);
    }
    stack.pop();
    done.insert(name.to_owned(), value.clone());
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn overrides_flow_into_dependent_variables() {
        let defaults = map(&[
            ("n", "1"),
            ("subnet", "192.168.${n}.0/24"),
            ("dc", "192.168.${n}.1"),
        ]);
        let r = resolve(&defaults, &map(&[("n", "12")])).expect("resolves");
        assert_eq!(r["subnet"], "192.168.12.0/24");
        assert_eq!(r["dc"], "192.168.12.1");
    }

    #[test]
    fn cycles_and_unknown_names_are_errors() {
        let e =
            resolve(&map(&[("a", "${b}"), ("b", "${a}")]), &BTreeMap::new()).expect_err("cycle");
        assert!(e[0].1.0.contains("a → b → a"), "{e:?}");
        assert!(e[0].1.1.starts_with("circular references"), "{e:?}");
        let e = resolve(&map(&[("a", "x")]), &map(&[("z", "1")])).expect_err("unknown");
        assert!(e[0].1.0.contains("« z »"));
        assert!(e[0].1.1.contains("\"z\""), "{e:?}");
    }
}
