//! `anki`: Anki packages — `<bank-id>.apkg` with a subdeck per section, and
//! `sections/<section-id>.apkg` for each section on its own.
//!
//! Identity is what makes re-imports safe: the note GUID is a hash of (bank id, question id),
//! deck ids hash (bank id, section id), the notetype id hashes (bank id, notetype version).
//! Rewording, reordering or moving a question never creates a duplicate, and each note's
//! modification time comes from `qbank.lock`, so a new build updates exactly the notes whose
//! content changed.

mod package;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use sha2::{Digest, Sha256};

use rayon::prelude::*;

use super::release::Retired;
use super::{BuildContext, RenderedQuestion, RenderedSection, Renderer};
use crate::i18n::Arg;
use crate::markup::{self, escape};
use crate::theme::{Sheet, scope_css};

/// Bump when the fields or templates change shape; the notetype id changes with it, so Anki
/// sees a new note type instead of mangling the old one (see README, "Anki").
pub const NOTETYPE_VERSION: u32 = 1;

/// The notetype's fields, frozen for [`NOTETYPE_VERSION`] 1. Question is first: it is the
/// sort field and what Anki's duplicate check looks at.
pub const FIELDS: [&str; 6] = ["Question", "Summary", "Answer", "Section", "Id", "Level"];

/// The card templates (front, back). A bank not in English says its language, and its
/// direction when right to left, on the cards' outer elements, so Anki picks glyphs, voices
/// and layout to match; an English bank's templates are the ones every earlier build made.
fn templates(ctx: &BuildContext) -> (String, String) {
    let s = &ctx.strings;
    let attrs = if s.is_english() {
        String::new()
    } else {
        let lang = escape(&ctx.bank.meta.language);
        let dir = if s.is_rtl() { " dir=\"rtl\"" } else { "" };
        format!(" lang=\"{lang}\"{dir}")
    };
    let front = format!(
        "<div class=\"qb-card\"{attrs}>\n<div class=\"qb-meta\">{{{{Section}}}}</div>\n\
         <div class=\"qb-question\">{{{{Question}}}}</div>\n</div>"
    );
    let back = format!(
        "{{{{FrontSide}}}}\n<hr id=\"answer\">\n<div class=\"qb-card\"{attrs}>\n\
         <div class=\"qb-summary\">{{{{Summary}}}}</div>\n<div class=\"qb-answer\">{{{{Answer}}}}</div>\n</div>"
    );
    (front, back)
}

/// The lock key under which the notetype's own change time is kept.
pub const NOTETYPE_LOCK_KEY: &str = "@anki-notetype";

/// The lock key of the tag scheme ([`TAG_SCHEME`]): when it changes, every note gets a newer
/// time, so an update import brings the new tags to every note (Anki replaces a note's tags
/// with the incoming ones; nothing is duplicated).
pub const TAGS_LOCK_KEY: &str = "@anki-tags";

/// Describes what [`note_tags`] writes; change it whenever the tags change shape.
const TAG_SCHEME: &str =
    "2: qbank::section::<id> qbank::level::<level> qbank::tag::<tag>; qbank::removed";

/// The tag every retired note carries: one search (`tag:qbank::removed`) finds them all.
pub const REMOVED_TAG: &str = "qbank::removed";

pub struct Anki;

/// What only the Anki packages read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Unanswered questions get a note too (its back says "Not answered yet").
    pub include_unanswered: bool,
}

impl Renderer for Anki {
    fn name(&self) -> &'static str {
        "anki"
    }

    fn description(&self) -> &'static str {
        "Anki packages: anki/<bank-id>.apkg and anki/sections/<section-id>.apkg"
    }

    fn file_count(&self, ctx: &BuildContext) -> u64 {
        ctx.sections().count() as u64 + 1
    }

    fn lock_keys(&self, ctx: &BuildContext) -> Vec<(String, u64)> {
        let (front, back) = templates(ctx);
        let scheme = u64::from_be_bytes(Sha256::digest(TAG_SCHEME)[..8].try_into().expect("8"));
        vec![
            (
                NOTETYPE_LOCK_KEY.to_string(),
                notetype_hash(&css(ctx), &front, &back),
            ),
            (TAGS_LOCK_KEY.to_string(), scheme),
        ]
    }

    fn render(&self, ctx: &BuildContext, dir: &Path) -> Result<Vec<PathBuf>> {
        let (front, back) = templates(ctx);
        let model = notetype(
            &ctx.bank.meta.id,
            &ctx.bank.meta.title,
            &css(ctx),
            (&front, &back),
        );
        let notetype_mtime = ctx.lock_time(NOTETYPE_LOCK_KEY);
        let (notes, retired) = note_rows(ctx)?;
        let whats_new = whats_new(ctx);
        let deck = |s: &RenderedSection| package::DeckInfo {
            id: deck_id(&ctx.bank.meta.id, &s.id),
            name: deck_name(&ctx.bank.meta.title, &s.title),
            // Anki shows a deck's description as HTML.
            description: format!(
                "<p>{}</p>{whats_new}",
                escape(&deck_version(
                    ctx,
                    &format!("{} — {}", s.title, ctx.bank.meta.title)
                ))
            ),
        };
        let sections: Vec<&RenderedSection> = ctx.sections().collect();
        let mut decks: Vec<package::DeckInfo> = sections.iter().map(|s| deck(s)).collect();
        // The bank's own deck, parent of the section decks: only the combined package has it.
        let top = package::DeckInfo {
            id: deck_id(&ctx.bank.meta.id, ""),
            name: name_part(&ctx.bank.meta.title),
            description: format!(
                "<p>{}</p>{whats_new}",
                escape(&deck_version(ctx, &ctx.bank.meta.title))
            ),
        };
        decks.push(top);
        // Decks carry the package's time: it must advance when the description does.
        let described = ctx.current_release().map_or(0, |r| r.time);
        let sample = notes
            .first()
            .map(|(_, n)| n.fields.clone())
            .unwrap_or_else(|| FIELDS.iter().map(|f| Cow::Borrowed(*f)).collect());
        let template = package::Template::new(&model, &decks, notetype_mtime, &sample)?;

        // The combined package, then one per section; built in parallel.
        let per_section = dir.join("sections");
        std::fs::create_dir_all(&per_section)?;
        let mut jobs = vec![(
            dir.join(format!("{}.apkg", ctx.bank.meta.id)),
            sections.clone(),
            true,
        )];
        for s in &sections {
            jobs.push((per_section.join(format!("{}.apkg", s.id)), vec![*s], false));
        }
        let mut by_section: HashMap<&str, Vec<&package::NoteRow>> = HashMap::new();
        for (sid, row) in &notes {
            by_section.entry(sid).or_default().push(row);
        }
        jobs.par_iter()
            .map(|(path, secs, combined)| {
                let mut rows: Vec<&package::NoteRow> = secs
                    .iter()
                    .flat_map(|s| by_section.get(s.id.as_str()).into_iter().flatten().copied())
                    .collect();
                // Retired notes: all in the combined package, each in its section's.
                rows.extend(
                    retired
                        .iter()
                        .filter(|(sid, _)| {
                            *combined || sid.is_some_and(|sid| secs.iter().any(|s| s.id == sid))
                        })
                        .map(|(_, row)| row),
                );
                let mut decks: Vec<i64> = secs
                    .iter()
                    .map(|s| deck_id(&ctx.bank.meta.id, &s.id))
                    .collect();
                if *combined {
                    decks.push(deck_id(&ctx.bank.meta.id, ""));
                }
                let spec = package::PackageSpec {
                    decks,
                    collection_mtime: rows
                        .iter()
                        .map(|r| r.mtime)
                        .fold(notetype_mtime.max(described), i64::max),
                    notes: rows,
                };
                package::write(&template, spec, path)
                    .with_context(|| format!("writing {}", path.display()))?;
                ctx.progress.inc(1);
                Ok(path.clone())
            })
            .collect()
    }
}

/// Notes of the section with this id (`None`: of no section still in the bank).
type Rows<'a, S> = Vec<(S, package::NoteRow<'a>)>;

/// One note per selected question (answered ones, or all with `--include-unanswered`),
/// computed once and shared by every package, with the id of the section it belongs to;
/// then a retirement note per removed question, with the section it was in.
#[allow(clippy::type_complexity)]
fn note_rows<'a>(ctx: &'a BuildContext) -> Result<(Rows<'a, &'a str>, Rows<'a, Option<&'a str>>)> {
    let unanswered = ctx.strings.text("unanswered");
    let bank_id = &ctx.bank.meta.id;
    let tags_time = ctx.lock_time(TAGS_LOCK_KEY);
    let mut rows = Vec::new();
    let mut used_ids = std::collections::HashSet::new();
    // Where the next id for questions added in a given second starts, so a bank added all
    // at once (thousands in one second) stays linear.
    let mut next_id: HashMap<i64, i64> = HashMap::new();
    for section in ctx.sections() {
        let deck_id = deck_id(bank_id, &section.id);
        for q in &section.questions {
            if !has_note(q, ctx.options.anki.include_unanswered) {
                continue;
            }
            let entry = ctx
                .times
                .get(&q.id)
                .copied()
                .with_context(|| format!("question `{}` is missing from qbank.lock", q.id))?;
            // Note ids come from the time a question first appeared; same-second additions
            // move up one by one, so every id is unique and stable across packages.
            let start = next_id
                .get(&entry.added)
                .copied()
                .unwrap_or(entry.added * 1000);
            let mut id = start;
            while !used_ids.insert(id) {
                id += 1;
            }
            next_id.insert(entry.added, id + 1);
            let note = note_content(bank_id, section, q, &unanswered);
            let media = read_media(ctx, &note.images)?;
            rows.push((
                section.id.as_str(),
                package::NoteRow {
                    guid: note.guid,
                    id,
                    deck_id: Some(deck_id),
                    mtime: entry.changed.max(tags_time),
                    sort_field: markup::plain_text(&q.question.html),
                    fields: note.fields,
                    tags: note.tags,
                    due: ctx.position(&q.id) as i64,
                    media,
                },
            ));
        }
    }
    let mut retired = Vec::new();
    for r in &ctx.history.retired {
        let start = next_id.get(&r.added).copied().unwrap_or(r.added * 1000);
        let mut id = start;
        while !used_ids.insert(id) {
            id += 1;
        }
        next_id.insert(r.added, id + 1);
        let note = retired_note(ctx, r);
        let media = read_media(ctx, &note.images)?;
        let section = r
            .section
            .as_deref()
            .filter(|s| ctx.sections().any(|x| x.id == *s));
        retired.push((
            section,
            package::NoteRow {
                guid: note.guid,
                id,
                // No card: a learner who never had the question gets nothing to study.
                deck_id: None,
                mtime: r.changed.max(tags_time),
                sort_field: markup::plain_text(&note.fields[0]),
                fields: note.fields,
                tags: note.tags,
                due: 0,
                media,
            },
        ));
    }
    Ok((rows, retired))
}

fn read_media(ctx: &BuildContext, images: &[(String, String)]) -> Result<Vec<(String, Vec<u8>)>> {
    images
        .iter()
        .map(|(rel, name)| {
            let bytes = std::fs::read(ctx.root.join(rel))
                .with_context(|| format!("reading image {rel}"))?;
            Ok((name.clone(), bytes))
        })
        .collect()
}

/// The note that replaces a removed question's: same GUID and note type, newer time, a front
/// that says it is gone and a back that says why, tagged [`REMOVED_TAG`].
pub fn retired_note<'a>(ctx: &'a BuildContext, r: &Retired) -> NoteContent<'a> {
    let mut images = Vec::new();
    let strings = &ctx.strings;
    let version = Arg::Text(&r.version);
    let reason = match ctx.bank.removed_reasons.get(&r.id) {
        Some(reason) => anki_html(&reason.html, &reason.images, &mut images),
        None => Cow::Owned(format!(
            "<p>{}</p>",
            super::message_html(
                strings,
                "retired-back",
                &[("version", version)],
                &[("search", &format!("<code>tag:{REMOVED_TAG}</code>"))],
            )
        )),
    };
    NoteContent {
        guid: note_guid(&ctx.bank.meta.id, &r.id),
        fields: vec![
            Cow::Owned(escape(&strings.format(
                "retired-front",
                &[("version", version), ("question", Arg::Text(&r.text))],
            ))),
            reason,
            Cow::Borrowed(""),
            Cow::Owned(escape(&strings.text("whats-new-removed"))),
            Cow::Owned(r.id.clone()),
            Cow::Borrowed(""),
        ],
        tags: vec![REMOVED_TAG.to_string()],
        images,
    }
}

/// A deck description's first line: "<title>, version <version>" in the bank's language.
fn deck_version(ctx: &BuildContext, title: &str) -> String {
    ctx.strings.format(
        "deck-version",
        &[
            ("title", Arg::Text(title)),
            ("version", Arg::Text(&ctx.bank.meta.version)),
        ],
    )
}

/// How many questions each list of a deck description's "What's new" shows: every deck
/// carries it, so a release that touches hundreds of questions stays readable (and small).
const DESCRIPTION_LIMIT: usize = 20;

/// The "What's new" of the bank's current version, as deck description HTML: plain text,
/// escaped, no links.
fn whats_new(ctx: &BuildContext) -> String {
    let Some(release) = ctx.current_release() else {
        return String::new();
    };
    let mut out = format!(
        "<p><b>{}</b></p><ul>",
        escape(&super::release::whats_new_title(
            &ctx.strings,
            &release.version
        ))
    );
    let lines =
        super::release::summary_lines(ctx.bank, &ctx.strings, release, Some(DESCRIPTION_LIMIT));
    for line in lines {
        out.push_str(&format!("<li>{}</li>", escape(&line)));
    }
    out.push_str("</ul>");
    out
}

/// The theme's card CSS, then the syntect stylesheets: dark under `.nightMode`, which Anki
/// desktop, AnkiDroid and AnkiMobile all set.
fn css(ctx: &BuildContext) -> String {
    let theme = &ctx.options.theme;
    let dark = scope_css(&theme.highlight_dark, ".nightMode");
    let s = &ctx.strings;
    let card = theme.css(Sheet::Anki);
    let card = if s.is_rtl() {
        crate::i18n::logical_css(card)
    } else {
        card.into()
    };
    let mut css = format!(
        "{card}\n/* syntect, light */\n{}\n/* syntect, dark */\n{dark}",
        theme.highlight_light
    );
    let extra = ctx.extra_css(false);
    if !extra.is_empty() {
        css.push('\n');
        css.push_str(&extra);
    }
    css
}

fn notetype_hash(css: &str, front: &str, back: &str) -> u64 {
    let mut h = Sha256::new();
    for part in [css, front, back, &FIELDS.join("\x1f")] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    u64::from_be_bytes(h.finalize()[..8].try_into().expect("8 bytes"))
}

fn notetype(
    bank_id: &str,
    bank_title: &str,
    css: &str,
    (front, back): (&str, &str),
) -> genanki_rs::Model {
    genanki_rs::Model::new_with_options(
        notetype_id(bank_id),
        &notetype_name(bank_title),
        FIELDS.iter().map(|f| genanki_rs::Field::new(f)).collect(),
        vec![genanki_rs::Template::new("Card").qfmt(front).afmt(back)],
        Some(css),
        None,
        None,
        None,
        Some(0),
    )
}

/// What a note carries, whichever file brings it to Anki: the `.apkg` packages and
/// `qbank export csv` both write exactly this, so either can update a note the other made.
pub struct NoteContent<'q> {
    /// [`note_guid`]: how Anki recognises the note on every later import.
    pub guid: String,
    /// One value per entry of [`FIELDS`], as HTML.
    pub fields: Vec<Cow<'q, str>>,
    /// Slugs, sorted, without duplicates.
    pub tags: Vec<String>,
    /// Images the fields show: (path in the bank, file name in Anki's media folder).
    pub images: Vec<(String, String)>,
}

/// The note for question `q` of `section` in the bank `bank_id`; `unanswered` is what the
/// back says when there is no answer yet (plain text, in the bank's language).
pub fn note_content<'q>(
    bank_id: &str,
    section: &RenderedSection,
    q: &'q RenderedQuestion,
    unanswered: &str,
) -> NoteContent<'q> {
    let mut images = Vec::new();
    let mut fix = |html: &'q str, rels: &[String]| anki_html(html, rels, &mut images);
    let question = fix(&q.question.html, &q.question.images);
    let (summary, answer) = match (&q.summary, &q.answer) {
        (Some(s), Some(a)) => (fix(&s.html, &s.images), fix(&a.html, &a.images)),
        _ => (
            Cow::Owned(format!(
                "<p class=\"qb-unanswered\">{}</p>",
                escape(unanswered)
            )),
            Cow::Borrowed(""),
        ),
    };
    let level = q.level.map_or(String::new(), |l| {
        serde_json::to_value(l)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    NoteContent {
        guid: note_guid(bank_id, &q.id),
        fields: vec![
            question,
            summary,
            answer,
            Cow::Owned(escape(&section.title)),
            Cow::Borrowed(q.id.as_str()),
            Cow::Owned(level),
        ],
        tags: note_tags(section, q),
        images,
    }
}

/// A fragment as a note field: cross-references unlinked, images renamed to their media
/// names (added to `images`).
fn anki_html<'q>(
    html: &'q str,
    rels: &[String],
    images: &mut Vec<(String, String)>,
) -> Cow<'q, str> {
    let mut html = unlink_xrefs(html);
    for rel in rels {
        let name = package::media_name(rel);
        html = markup::retarget_image(html, rel, &name);
        images.push((rel.clone(), name));
    }
    html
}

/// Whether a question gets a note: answered ones, and all with `include_unanswered`.
pub fn has_note(q: &RenderedQuestion, include_unanswered: bool) -> bool {
    q.is_answered() || include_unanswered
}

/// A section's deck: a subdeck of the bank's (`<Bank title>::<Section title>`).
pub fn deck_name(bank_title: &str, section_title: &str) -> String {
    format!("{}::{}", name_part(bank_title), name_part(section_title))
}

/// The note type's name, as Anki shows it.
pub fn notetype_name(bank_title: &str) -> String {
    format!("qbank: {} (v{NOTETYPE_VERSION})", name_part(bank_title))
}

/// The note type's id: stable for (bank id, [`NOTETYPE_VERSION`]).
pub fn notetype_id(bank_id: &str) -> i64 {
    stable_id(&[bank_id, "notetype", &NOTETYPE_VERSION.to_string()])
}

/// Tags, all under `qbank::` so they fold into one tree in Anki's browser and never meet a
/// learner's own: `qbank::section::<id>`, `qbank::level::<level>`, `qbank::tag::<tag>` —
/// slugs, so never a space. Changing this changes [`TAG_SCHEME`].
fn note_tags(section: &RenderedSection, q: &RenderedQuestion) -> Vec<String> {
    let mut tags = vec![format!("qbank::section::{}", section.id)];
    tags.extend(q.tags.iter().map(|t| format!("qbank::tag::{t}")));
    if let Some(level) = q.level {
        let level = serde_json::to_value(level).ok();
        if let Some(l) = level.as_ref().and_then(|v| v.as_str()) {
            tags.push(format!("qbank::level::{l}"));
        }
    }
    tags.sort();
    tags.dedup();
    tags
}

/// Cards are studied one at a time, so a link to another question would lead nowhere:
/// cross-references keep their text and styling, without the link.
fn unlink_xrefs(html: &str) -> Cow<'_, str> {
    markup::rewrite_xrefs(html, |_| None)
}

/// A section's deck id: stable for (bank id, section id), whatever else changes.
/// A title as one level of an Anki deck name (or in a note type name): plain text in which
/// `::` cannot add a deck level (it becomes `∷`) and `<`, `>` cannot start markup in any
/// client that shows names as HTML (they become `‹`, `›`).
fn name_part(title: &str) -> String {
    let mut out = title.replace('<', "‹").replace('>', "›");
    while out.contains("::") {
        out = out.replace("::", "∷");
    }
    out
}

fn deck_id(bank_id: &str, section_id: &str) -> i64 {
    stable_id(&[bank_id, "deck", section_id])
}

/// A stable positive id in Anki's id range from the given parts.
fn stable_id(parts: &[&str]) -> i64 {
    let digest = Sha256::digest(parts.join("\x1f").as_bytes());
    let x = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    // Between 2^40 and 2^52: positive, far from Anki's built-in ids, safe in JavaScript.
    ((1u64 << 40) + x % ((1u64 << 52) - (1u64 << 40))) as i64
}

/// The note GUID: stable for (bank id, question id), whatever else changes.
pub fn note_guid(bank_id: &str, question_id: &str) -> String {
    let digest = Sha256::digest(format!("qbank\x1f{bank_id}\x1f{question_id}").as_bytes());
    format!(
        "qb{}",
        digest[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_never_add_deck_levels_or_markup() {
        assert_eq!(name_part("C++::std <b>"), "C++∷std ‹b›");
        assert_eq!(name_part("a:::b"), "a∷:b");
        assert!(!name_part("::::").contains("::"));
    }

    #[test]
    fn xrefs_lose_their_link() {
        let html =
            "<p>See <a class=\"xref\" href=\"#q-a\">A</a> and <a href=\"https://x\">x</a>.</p>";
        assert_eq!(
            unlink_xrefs(html),
            "<p>See <span class=\"xref\">A</span> and <a href=\"https://x\">x</a>.</p>"
        );
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(
            stable_id(&["b", "deck", "s"]),
            stable_id(&["b", "deck", "s"])
        );
        assert_ne!(
            stable_id(&["b", "deck", "s"]),
            stable_id(&["b", "deck", "t"])
        );
        assert_eq!(note_guid("b", "q"), note_guid("b", "q"));
        assert_ne!(note_guid("b", "q"), note_guid("c", "q"));
    }

    #[test]
    fn plain_text_strips_tags() {
        assert_eq!(
            markup::plain_text("<code>a &lt; b</code> &amp; c"),
            "a < b & c"
        );
    }
}
