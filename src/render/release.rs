//! What each version of the bank changed, as every output tells the learner: the "What's new"
//! summary (Anki deck descriptions, an EPUB page, a page of the book, `qbank changes`) and
//! the questions that are gone (Anki retires their notes).
//!
//! `qbank.lock` knows the facts (when each question was added and last changed, which
//! versions were released when, what was removed); [`crate::lock::Lock::history`] turns them
//! into a [`History`], and the renderers only read it.

use super::RenderedBank;
use crate::i18n::{Arg, Strings};
use crate::markup;

/// A question that is no longer in the bank, as the lock remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retired {
    pub id: String,
    /// When it first appeared (its Anki note id comes from this, as when it was live).
    pub added: i64,
    /// Its retirement note's change time: after its last change as a question.
    pub changed: i64,
    /// The bank version that removed it.
    pub version: String,
    /// The section it was in (unknown for questions removed before the lock kept it).
    pub section: Option<String>,
    /// Its last question text, plain.
    pub text: String,
}

/// What one version changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Release {
    pub version: String,
    /// Its latest change (Unix seconds).
    pub time: i64,
    /// The first version the lock knows: everything before it counts as its content, so it
    /// is summed up rather than listed.
    pub first: bool,
    /// Question ids, in bank order.
    pub added: Vec<String>,
    pub changed: Vec<String>,
    /// (id, last question text).
    pub removed: Vec<(String, String)>,
    /// For the first release: how many questions it had (removed ones included).
    pub questions: usize,
}

impl Release {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Every version the lock knows, oldest first, and the questions removed so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub releases: Vec<Release>,
    pub retired: Vec<Retired>,
}

impl History {
    /// The release of `version`, if the lock knows it.
    pub fn release(&self, version: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.version == version)
    }

    /// The releases after `since` (all of them when `None`), newest first. `None` when
    /// `since` is not a version the lock knows.
    pub fn since(&self, since: Option<&str>) -> Option<Vec<&Release>> {
        let start = match since {
            None => 0,
            Some(v) => self.releases.iter().position(|r| r.version == v)? + 1,
        };
        Some(self.releases[start..].iter().rev().collect())
    }
}

/// One release's summary as plain text lines (no markup), in the bank's language: what
/// `qbank changes` prints and what Anki deck descriptions show, escaped. Question texts come
/// from the bank, removed ones from the lock. With `limit`, each of the added, changed and
/// removed lists stops after that many lines and says how many more there are.
pub fn summary_lines(
    bank: &RenderedBank,
    strings: &Strings,
    release: &Release,
    limit: Option<usize>,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(notes) = bank.changelog.get(&release.version) {
        for paragraph in notes.html.split("</p>") {
            let text = markup::plain_text(paragraph);
            let text = text.trim();
            if !text.is_empty() {
                lines.push(text.to_string());
            }
        }
    }
    if release.first {
        lines.push(first_version(strings, release));
        return lines;
    }
    let texts: std::collections::HashMap<&str, String> = bank
        .questions()
        .map(|q| (q.id.as_str(), markup::plain_text(&q.question.html)))
        .collect();
    let removed: Vec<&str> = release.removed.iter().map(|(_, t)| t.as_str()).collect();
    let added: Vec<&str> = release
        .added
        .iter()
        .map(|id| texts.get(id.as_str()).map_or(id.as_str(), String::as_str))
        .collect();
    let changed: Vec<&str> = release
        .changed
        .iter()
        .map(|id| texts.get(id.as_str()).map_or(id.as_str(), String::as_str))
        .collect();
    for (label, list) in [
        ("whats-new-added", added),
        ("whats-new-changed", changed),
        ("whats-new-removed", removed),
    ] {
        let label = strings.text(label);
        let label = Arg::Text(&label);
        let shown = limit.unwrap_or(usize::MAX).min(list.len());
        for text in &list[..shown] {
            lines.push(strings.format(
                "whats-new-line",
                &[("label", label), ("text", Arg::Text(text))],
            ));
        }
        if shown < list.len() {
            lines.push(strings.format(
                "whats-new-more",
                &[("label", label), ("count", Arg::Num(list.len() - shown))],
            ));
        }
    }
    if lines.is_empty() {
        lines.push(strings.text("whats-new-none"));
    }
    lines
}

/// "First version: 421 questions."
fn first_version(strings: &Strings, release: &Release) -> String {
    let questions = strings.count("count-questions", release.questions);
    strings.format(
        "whats-new-first-count",
        &[("questions", Arg::Text(&questions))],
    )
}

/// The counts of a release, e.g. "2 added, 1 changed, 1 removed".
pub fn counts(strings: &Strings, release: &Release) -> String {
    strings.format(
        "whats-new-counts",
        &[
            ("added", Arg::Num(release.added.len())),
            ("changed", Arg::Num(release.changed.len())),
            ("removed", Arg::Num(release.removed.len())),
        ],
    )
}

/// Releases as `qbank changes` prints them, in the bank's language (it is the learner's text,
/// ready to paste into release notes): a heading per version, its lines indented.
pub fn terminal_text(bank: &RenderedBank, strings: &Strings, releases: &[&Release]) -> String {
    let mut out = String::new();
    for (i, release) in releases.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&whats_new_title(strings, &release.version));
        if !release.first {
            out.push_str(&format!(" ({})", counts(strings, release)));
        }
        out.push('\n');
        for line in summary_lines(bank, strings, release, None) {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

/// "What's new in <version>" in the bank's language.
pub fn whats_new_title(strings: &Strings, version: &str) -> String {
    strings.format("whats-new", &[("version", Arg::Text(version))])
}

/// One release as an XHTML fragment for a book (the EPUB's "What's new" page, the printable
/// book's): a heading of level `level`, the changelog notes (`notes`, already made fit for the
/// document), then lists of the questions added, changed and removed. Questions are plain
/// text, linked where `link` gives a target.
pub fn whats_new_xhtml(
    bank: &RenderedBank,
    strings: &Strings,
    release: &Release,
    level: u8,
    notes: Option<&str>,
    link: &dyn Fn(&str) -> Option<String>,
) -> String {
    let escape = markup::escape;
    let sub = level + 1;
    let mut out = format!(
        "<h{level} id=\"whats-new\">{}</h{level}>\n",
        escape(&whats_new_title(strings, &release.version))
    );
    if let Some(notes) = notes {
        out.push_str(notes);
        out.push('\n');
    }
    if release.first {
        out.push_str(&format!(
            "<p>{}</p>\n",
            escape(&first_version(strings, release))
        ));
        return out;
    }
    let texts: std::collections::HashMap<&str, String> = bank
        .questions()
        .filter(|q| release.added.contains(&q.id) || release.changed.contains(&q.id))
        .map(|q| (q.id.as_str(), markup::plain_text(&q.question.html)))
        .collect();
    for (label, ids) in [
        ("whats-new-added", &release.added),
        ("whats-new-changed", &release.changed),
    ] {
        let label = escape(&strings.text(label));
        if ids.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "<h{sub}>{label}</h{sub}>\n<ul class=\"whats-new-list\">\n"
        ));
        for id in ids {
            let text = escape(texts.get(id.as_str()).map_or(id.as_str(), |t| t.as_str()));
            match link(id) {
                Some(href) => out.push_str(&format!(
                    "<li><a href=\"{}\">{text}</a></li>\n",
                    escape(&href)
                )),
                None => out.push_str(&format!("<li>{text}</li>\n")),
            }
        }
        out.push_str("</ul>\n");
    }
    if !release.removed.is_empty() {
        out.push_str(&format!(
            "<h{sub}>{}</h{sub}>\n<ul class=\"whats-new-list\">\n",
            escape(&strings.text("whats-new-removed"))
        ));
        for (_, text) in &release.removed {
            out.push_str(&format!("<li>{}</li>\n", escape(text)));
        }
        out.push_str("</ul>\n");
    }
    if release.is_empty() && notes.is_none() {
        out.push_str(&format!(
            "<p>{}</p>\n",
            escape(&strings.text("whats-new-none"))
        ));
    }
    out
}
