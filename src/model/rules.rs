//! The small rules the loader applies to single values: id lengths, language tags, "did you
//! mean" suggestions, and the diagnostics they give.

use super::ids::slugify;
use crate::diagnostics::{Diagnostic, Place};

/// The longest bank or section id: each names output files (`<bank-id>-cheatsheet.html`,
/// `sections/<section-id>.apkg`), and file systems stop at 255 bytes a name.
pub(super) const MAX_FILE_ID: usize = 100;

pub(super) fn id_too_long(what: &str, id: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "{what} is too long: {} characters, at most {MAX_FILE_ID} (it names output files)",
        id.len()
    ))
}

pub(super) fn invalid_slug(what: &str, value: &str) -> Diagnostic {
    Diagnostic::error(format!("{what} `{value}` is not a valid slug")).help(format!(
        "use lowercase letters, digits and single hyphens, e.g. `{}`",
        slugify(value)
    ))
}

pub(super) fn suggest<'a>(unknown: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(unknown, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A pragmatic BCP 47 shape check: a 2–3 letter language, then 1–8 character subtags.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()));
    lang_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// What is wrong with an id under `removed:` in bank.yaml, if anything: it must name a
/// question that is gone (`live`: where the question still is).
pub(super) fn removed_problem(id: &str, live: Option<Place>) -> Option<Diagnostic> {
    if live.is_some() {
        let d = Diagnostic::error(format!(
            "`removed:` lists `{id}`, which is still a question of the bank"
        ))
        .related(live, "the question")
        .help("take it out of `removed:`, or delete the question");
        Some(d)
    } else if !super::ids::is_slug(id) {
        Some(invalid_slug("removed question id", id))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUESTION_KEYS: &[&str] = &["id", "question", "level", "tags", "summary", "answer"];

    #[test]
    fn suggestions() {
        assert_eq!(suggest("sumary", QUESTION_KEYS), Some("summary"));
        assert_eq!(suggest("anwser", QUESTION_KEYS), Some("answer"));
        assert_eq!(suggest("zzz", QUESTION_KEYS), None);
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("pt-BR"));
        assert!(!is_language_tag("english"));
        assert!(!is_language_tag(""));
    }
}
