//! The words that tell one language from the other in what constat prints (issue 14 item 5),
//! shared by every kind's unit tests (`kinds/testing.rs`), the report test
//! (`checks/src/one_language_tests.rs`) and the CLI sweep (`cli/tests/one_language.rs`): a
//! French word in English output, or an English phrase in French output, that no host, pack
//! or référentiel wrote.

/// French words constat writes that carry no accent.
pub const FRENCH: &[&str] = &[
    "manque",
    "aucun",
    "aucune",
    "contient",
    "sur",
    "non",
    "oui",
    "inconnu",
    "inconnue",
    "trouve",
    "lu",
    "pas",
    "ou",
    "et",
    "avec",
    "sans",
    "dans",
    "est",
    "une",
    "des",
    "les",
    "du",
    "au",
    "aux",
    "pour",
    "par",
    "jamais",
    "toujours",
    "seul",
    "seulement",
    "ligne",
    "lignes",
    "fichier",
    "utilisateur",
    "utilisateurs",
    "ordinateur",
    "ordinateurs",
    "attendu",
    "absente",
    "configuration",
    "partage",
    "compte",
    "comptes",
    "groupe",
    "groupes",
];

/// English words of the evidence phrases: in French output they mean an untranslated phrase.
pub const ENGLISH: &[&str] = &[
    "missing",
    "found",
    "present",
    "includes",
    "collected",
    "applies",
    "enabled",
    "disabled",
    "none",
    "never",
    "always",
    "allowed",
    "blocked",
    "linked",
    "nowhere",
    "not",
    "no",
    "and",
    "with",
    "without",
    "the",
    "of",
    "for",
    "only",
    "line",
    "lines",
    "file",
    "user",
    "users",
    "computer",
    "computers",
    "rule",
    "rules",
    "unknown",
    "expected",
    "installed",
    "listening",
    "closed",
    "observed",
    "reported",
    "read",
    "snapshot",
    "given",
    "role",
    "start",
    "true",
    "false",
    "inactive",
];

/// English forms a French report never shows, whoever wrote them (issue 14): constat's own
/// causes, the operating system's error texts, Windows' right names, the pack's keys as
/// labels. Host text shown as is comes after « tel quel : » (`eval/causes.rs`) and is not
/// judged; see [`untranslated`].
pub const UNTRANSLATED: &[&str] = &[
    " (os error ",
    "Permission denied",
    "No such file or directory",
    "Connection refused",
    "timed out after ",
    "cannot read ",
    ": not installed",
    "; missing ",
    "; extra ",
    "; problems raised: ",
    "for the jury to check",
    "no snapshot given for this role",
    "category: ",
    "categories: ",
    "min_priority: ",
    "requester: ",
    "requesters: ",
    "followups: ",
    "answer_chars: ",
    "schedule: ",
    "= min(share ",
    ": FullControl",
    ": Full]",
    ": Modify,",
    ": Modify]",
    ": ReadAndExecute",
    ": Change]",
    ": Change;",
    "deny ",
    "error: ",
    "not_collected: ",
    "not collected: ",
];

/// The [`UNTRANSLATED`] forms in a line of French output (any case), less the host text it
/// shows as is (after « tel quel : »).
pub fn untranslated(line: &str) -> Vec<&'static str> {
    let judged = line
        .split("tel quel : ")
        .next()
        .unwrap_or_default()
        .to_lowercase();
    UNTRANSLATED
        .iter()
        .filter(|form| judged.contains(&form.to_lowercase()))
        .copied()
        .collect()
}

/// The lowercase words of a text (runs of letters).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Whether a word has a French accent.
pub fn accented(word: &str) -> bool {
    word.chars().any(|c| "àâçéèêëîïôûùüÿœ".contains(c))
}

/// The référentiel's own terms, kept in English text as the project writes them
/// (« the référentiel's critères »).
pub const TERMS: &[&str] = &["référentiel", "référentiels", "critère", "critères"];

/// Whether a word is French as constat writes it (accented, or one of [`FRENCH`]), other
/// than the référentiel's [`TERMS`].
pub fn french(word: &str) -> bool {
    (accented(word) || FRENCH.contains(&word)) && !TERMS.contains(&word)
}

/// Whether a word is one of the English words of constat's phrases ([`ENGLISH`]).
pub fn english(word: &str) -> bool {
    ENGLISH.contains(&word)
}
