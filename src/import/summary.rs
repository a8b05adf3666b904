//! Summaries: the first sentence of an answer's first paragraph, at most [`SUMMARY_WORDS`]
//! words, never splitting inline markup; a period after an abbreviation (`e.g.`, `etc.`, an
//! initial) does not end a sentence.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::reader::is_block;
use super::text::one_line;
use crate::markup::parser_options;

/// A summary longer than this many words is cut at a word boundary and ends with `…`.
pub(super) const SUMMARY_WORDS: usize = 35;
/// Written when an answer has no sentence to summarize (it is only code, say).
pub(super) const PLACEHOLDER_SUMMARY: &str = "See the answer.";

/// The answer's first sentence as the summary: from its first paragraph, at most
/// [`SUMMARY_WORDS`] words (cut at a word, with `…`), never splitting inline markup.
pub(super) fn summarize(answer: &str) -> Option<String> {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(answer, parser_options())
        .into_offset_iter()
        .collect();
    // The first run of prose: a paragraph, or the text of a tight list item.
    let (start, len) = events.iter().enumerate().find_map(|(i, (e, _))| {
        let rest = &events[i + 1..];
        match e {
            Event::Start(Tag::Paragraph) => rest
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
                .map(|n| (i, n + 1)),
            Event::Start(Tag::Item) if rest.first().is_some_and(|(e, _)| !is_block(e)) => rest
                .iter()
                .position(|(e, _)| is_block(e) || matches!(e, Event::End(TagEnd::Item)))
                .map(|n| (i, n + 1)),
            _ => None,
        }
    })?;
    let mut inline = &events[start + 1..start + len];
    // A bold lead-in on its own line (`<b>The == operator</b>` above the text) is a heading in
    // disguise, not the first sentence.
    if let Some((Event::Start(Tag::Strong), _)) = inline.first()
        && let Some(close) = inline
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Strong)))
        && matches!(
            inline.get(close + 1),
            Some((Event::SoftBreak | Event::HardBreak, _))
        )
        && inline.len() > close + 2
    {
        inline = &inline[close + 2..];
    }
    let mut from = inline.iter().map(|(_, r)| r.start).min()?;
    // An escaped first character's event starts after its backslash.
    if from > 0 && answer.as_bytes()[from - 1] == b'\\' {
        from -= 1;
    }
    let to = inline.iter().map(|(_, r)| r.end).max()?;
    let mut end = to;
    // Places a long sentence may be cut: spaces outside any inline markup.
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    'events: for (i, (event, range)) in inline.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::SoftBreak | Event::HardBreak if depth == 0 => cuts.push(range.start),
            Event::Text(t) if depth == 0 && answer[range.clone()] == **t => {
                for (j, c) in t.char_indices() {
                    if c.is_whitespace() {
                        cuts.push(range.start + j);
                    }
                    if !matches!(c, '.' | '?' | '!') {
                        continue;
                    }
                    let after = &t[j + 1..];
                    let ends = if after.is_empty() {
                        inline
                            .get(i + 1)
                            .is_none_or(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak))
                    } else {
                        after.starts_with(char::is_whitespace)
                            && !after.trim_start().starts_with(char::is_lowercase)
                    };
                    if ends && !(c == '.' && abbreviation(&t[..j])) {
                        end = range.start + j + 1;
                        break 'events;
                    }
                }
            }
            _ => {}
        }
    }
    let sentence = one_line(&answer[from..end]);
    if sentence.is_empty() {
        return None;
    }
    if sentence.split_whitespace().count() <= SUMMARY_WORDS {
        return Some(sentence);
    }
    let cut = cuts
        .into_iter()
        .filter(|&c| c > from && c < end)
        .take_while(|&c| one_line(&answer[from..c]).split_whitespace().count() <= SUMMARY_WORDS)
        .last();
    match cut {
        Some(c) => {
            let head = one_line(&answer[from..c]);
            let head = head.trim_end_matches([',', ';', ':', '-', '—', '–', ' ']);
            Some(format!("{head}…"))
        }
        None => Some(sentence),
    }
}

/// Whether the word before a period is an abbreviation (`e.g.`, `etc.`, an initial).
fn abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(['(', '"', '\''])
        .to_lowercase();
    word.chars().count() == 1 && word.chars().all(char::is_alphabetic)
        || matches!(
            word.as_str(),
            "e.g"
                | "i.e"
                | "etc"
                | "vs"
                | "mr"
                | "mrs"
                | "ms"
                | "dr"
                | "st"
                | "no"
                | "fig"
                | "cf"
                | "approx"
                | "incl"
                | "al"
                | "eg"
                | "ie"
        )
}
