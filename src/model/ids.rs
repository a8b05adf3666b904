//! Ids made from text. Every id qbank mints — a question's by `qbank add`, `qbank import` and
//! `qbank synth`, a bank's or a section's by `qbank init` and `qbank import` — comes from here,
//! so the same text gives the same id whichever command wrote it.
//!
//! An id is a slug (see [`is_slug`]): readable, stable, and never renamed once published, since
//! Anki updates a learner's cards by it.

use std::collections::HashSet;

/// Generated ids keep at most this many words.
pub const ID_WORDS: usize = 6;

/// A slug: lowercase ASCII letters and digits in groups joined by single hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A slug made from arbitrary text, every word kept (`qbank init`'s bank id, suggestions in
/// diagnostics).
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The readable slug of a question, before it is made unique: leading filler dropped, at most
/// [`ID_WORDS`] words (*What is the difference between Lock and RLock?* → `lock-and-rlock`).
pub fn question_slug(text: &str) -> Option<String> {
    slug(text, ID_WORDS, true)
}

/// The readable slug of a title (a bank's, a section's): at most [`ID_WORDS`] words.
pub fn title_slug(text: &str) -> Option<String> {
    slug(text, ID_WORDS, false)
}

/// A fresh id for a new question (`qbank add`): its readable slug, or `question`, made unique
/// among `taken`.
pub fn fresh_id(question: &str, taken: &HashSet<&str>) -> String {
    let base = question_slug(question).unwrap_or_else(|| "question".to_string());
    first_free(base, |id| taken.contains(id))
}

/// `base`, or `base-2`, `base-3`… whichever is not in `taken`; recorded as taken.
pub fn unique(base: String, taken: &mut HashSet<String>) -> String {
    let id = first_free(base, |id| taken.contains(id));
    taken.insert(id.clone());
    id
}

fn first_free(base: String, is_taken: impl Fn(&str) -> bool) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while is_taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Leading words that say nothing about the topic, dropped from question ids (longest first
/// wins, repeatedly: "What is the difference between X and Y" → `x-and-y`).
const FILLER: &[&str] = &[
    "what is the difference between",
    "what are the differences between",
    "whats the difference between",
    "what is the difference in",
    "what are the differences",
    "the difference between",
    "difference between",
    "differences between",
    "what would happen if",
    "what happens if",
    "what happens when",
    "can you explain",
    "tell me about",
    "how would you",
    "how do you",
    "how can you",
    "how can we",
    "how do we",
    "how does",
    "how do",
    "how is",
    "how are",
    "how to",
    "what is",
    "what are",
    "what does",
    "what do",
    "whats",
    "why do we",
    "why do you",
    "why did you",
    "why is",
    "why are",
    "why does",
    "why do",
    "why did",
    "when should you",
    "when would you",
    "when do you",
    "when should",
    "when do",
    "when to",
    "when is",
    "when are",
    "where does",
    "where do",
    "can you",
    "could you",
    "explain",
    "describe",
    "define",
    "the",
    "a",
    "an",
];

/// Words an id should not end on after being cut.
const DANGLING: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "vs", "with", "by", "at", "from",
    "is", "are", "as", "its", "their", "what", "how", "why", "when", "which", "that", "it", "do",
    "does", "we", "you",
];

/// A readable slug of at most `words` words; for questions, leading filler is dropped.
fn slug(text: &str, words: usize, question: bool) -> Option<String> {
    let text: String = text.chars().filter(|c| !matches!(c, '\'' | '’')).collect();
    let full = slugify(&text);
    let mut parts: Vec<&str> = full.split('-').filter(|w| !w.is_empty()).collect();
    if question {
        loop {
            let filler = FILLER
                .iter()
                .map(|f| f.split(' ').collect::<Vec<_>>())
                .filter(|f| parts.len() > f.len() && parts[..f.len()] == f[..])
                .max_by_key(Vec::len);
            match filler {
                Some(f) => {
                    parts.drain(..f.len());
                }
                None => break,
            }
        }
    }
    let cut = parts.len() > words;
    parts.truncate(words);
    while cut && parts.len() > 1 && parts.last().is_some_and(|w| DANGLING.contains(w)) {
        parts.pop();
    }
    (!parts.is_empty()).then(|| parts.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["a", "gil-explained", "n-plus-1", "x2"] {
            assert!(is_slug(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", "é"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn slugify_suggests() {
        assert_eq!(
            slugify("Select Related vs Prefetch!"),
            "select-related-vs-prefetch"
        );
    }

    #[test]
    fn ids_are_readable() {
        let q = |t| slug(t, ID_WORDS, true).unwrap();
        assert_eq!(
            q("What is the difference between Lock and RLock?"),
            "lock-and-rlock"
        );
        assert_eq!(
            q("Difference between *args and **kwargs."),
            "args-and-kwargs"
        );
        assert_eq!(
            q("How do you scale a Django application?"),
            "scale-a-django-application"
        );
        assert_eq!(q("What is a metaclass?"), "metaclass");
        assert_eq!(q("What's the GIL?"), "gil");
        assert_eq!(
            q("Where does shallow copy cause issues in the real world?"),
            "shallow-copy-cause-issues"
        );
        assert_eq!(
            q("What is monkey patching and what are its risks?"),
            "monkey-patching"
        );
        assert_eq!(q("What is?"), "what-is");
        assert_eq!(slug("¿?", ID_WORDS, true), None);
    }

    #[test]
    fn fresh_ids_are_readable_and_unique() {
        let taken: HashSet<&str> = ["select-related-vs-prefetch-related"].into();
        assert_eq!(
            fresh_id(
                "What is the difference between `select_related` vs `prefetch_related`?",
                &taken
            ),
            "select-related-vs-prefetch-related-2"
        );
        assert_eq!(fresh_id("How do you scale Django?", &taken), "scale-django");
        assert_eq!(fresh_id("???", &taken), "question");
    }

    #[test]
    fn unique_records_what_it_hands_out() {
        let mut taken = HashSet::new();
        assert_eq!(unique("x".into(), &mut taken), "x");
        assert_eq!(unique("x".into(), &mut taken), "x-2");
        assert_eq!(unique("x".into(), &mut taken), "x-3");
    }
}
