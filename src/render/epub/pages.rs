//! The XHTML documents of the book. Everything here is well-formed XML: text is escaped, and
//! the rendered fragments are XHTML already (see `markup`).

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Book, Chapter, Part};
use crate::i18n::Arg;
use crate::markup::escape;
use crate::model::Level;

pub const STYLESHEET: &str = "stylesheet.css";
pub const COVER_IMAGE: &str = "cover.svg";

/// A complete XHTML content document, `dir="rtl"` on its root in a right-to-left book.
fn document(book: &Book, title: &str, body_type: &str, body: &str) -> String {
    let lang = escape(&book.meta.language);
    let dir = if book.strings.is_rtl() {
        " dir=\"rtl\""
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<!DOCTYPE html>\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
lang=\"{lang}\" xml:lang=\"{lang}\"{dir}>\n\
<head>\n\
<meta charset=\"UTF-8\"/>\n\
<title>{title}</title>\n\
<link rel=\"stylesheet\" type=\"text/css\" href=\"{STYLESHEET}\"/>\n\
</head>\n\
<body epub:type=\"{body_type}\">\n\
{body}</body>\n\
</html>\n",
        title = escape(title),
    )
}

pub fn cover(book: &Book) -> String {
    let meta = &book.meta;
    document(
        book,
        &meta.title,
        "cover",
        &format!(
            "<section class=\"cover\" epub:type=\"cover\">\n\
<img src=\"{COVER_IMAGE}\" alt=\"{}\"/>\n\
</section>\n",
            escape(&meta.title)
        ),
    )
}

pub fn title_page(book: &Book) -> String {
    let meta = &book.meta;
    let mut body = String::from("<section class=\"titlepage\" epub:type=\"titlepage\">\n");
    let _ = writeln!(body, "<h1 class=\"title\">{}</h1>", escape(&meta.title));
    if let Some(subtitle) = &meta.subtitle {
        let _ = writeln!(body, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    if !meta.authors.is_empty() {
        let _ = writeln!(
            body,
            "<p class=\"authors\">{}</p>",
            escape(&meta.authors.join(", "))
        );
    }
    if let Some(description) = &meta.description {
        let _ = writeln!(body, "<p class=\"description\">{}</p>", escape(description));
    }
    let questions = book.question_count();
    let unanswered = book.unanswered_count();
    let sections = book.parts.iter().map(|p| p.chapters.len()).sum::<usize>();
    let mut counts = vec![
        ("questions", Arg::Num(questions)),
        ("sections", Arg::Num(sections)),
    ];
    let id = if unanswered > 0 {
        counts.push(("unanswered", Arg::Num(unanswered)));
        "book-counts-unanswered"
    } else {
        "book-counts"
    };
    let _ = writeln!(
        body,
        "<p class=\"counts\">{}</p>",
        escape(&book.strings.format(id, &counts))
    );
    // `modified` is `YYYY-MM-DDThh:mm:ssZ`, written by qbank.
    let ymd = |at: std::ops::Range<usize>| book.modified[at].parse().unwrap_or(1);
    let updated = book
        .strings
        .date(ymd(0..4), ymd(5..7) as u8, ymd(8..10) as u8);
    let _ = writeln!(
        body,
        "<p class=\"edition\">{}</p>",
        escape(&book.strings.format(
            "edition",
            &[
                ("version", Arg::Text(&meta.version)),
                ("date", Arg::Text(&updated)),
            ]
        ))
    );
    body.push_str("</section>\n");
    document(book, &meta.title, "frontmatter", &body)
}

/// The contents page in the reading order, down to the sections (the nav goes down to every
/// question; a page listing 400 questions would be a chore to page through).
pub fn contents(book: &Book, title: &str) -> String {
    let mut body = format!(
        "<section class=\"contents\">\n<h1>{}</h1>\n<ol class=\"contents-parts\">\n",
        escape(title)
    );
    for part in &book.parts {
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{}</a>\n<ol class=\"contents-sections\">",
            part.file,
            escape(part.title)
        );
        for chapter in &part.chapters {
            let _ = writeln!(
                body,
                "<li><a href=\"{}\">{}</a></li>",
                chapter.file,
                escape(&chapter.section.title)
            );
        }
        body.push_str("</ol></li>\n");
    }
    body.push_str("</ol>\n</section>\n");
    document(book, title, "frontmatter", &body)
}

pub fn part(book: &Book, part: &Part) -> String {
    let mut body = format!(
        "<section class=\"part\" epub:type=\"part\">\n\
<p class=\"part-number\">{}</p>\n\
<h1 class=\"part-title\">{}</h1>\n\
<ol class=\"part-sections\">\n",
        escape(
            &book
                .strings
                .format("part-number", &[("number", Arg::Num(part.number))])
        ),
        escape(part.title)
    );
    for chapter in &part.chapters {
        let _ = writeln!(
            body,
            "<li><a href=\"{}\">{}</a> <span class=\"count\">{}</span></li>",
            chapter.file,
            escape(&chapter.section.title),
            escape(
                &book
                    .strings
                    .count("count-questions", chapter.questions.len())
            )
        );
    }
    body.push_str("</ol>\n</section>\n");
    document(book, part.title, "bodymatter", &body)
}

/// "What's new in <version>": the changelog notes and the questions added, changed (linked to
/// their place in the book) and removed.
pub fn whats_new(book: &Book, bank: &crate::render::RenderedBank, title: &str) -> Option<String> {
    let release = book.release?;
    let notes = bank
        .changelog
        .get(&release.version)
        .map(|f| book.fix_html(&f.html, &f.images).into_owned());
    let link = |id: &str| {
        book.question_files
            .get(id)
            .map(|file| format!("{file}#{}", crate::markup::anchor(id)))
    };
    let body = format!(
        "<section class=\"whats-new\">\n{}</section>\n",
        crate::render::release::whats_new_xhtml(
            bank,
            book.strings,
            release,
            1,
            notes.as_deref(),
            &link
        )
    );
    Some(document(book, title, "frontmatter", &body))
}

pub fn chapter(book: &Book, chapter: &Chapter) -> String {
    let section = chapter.section;
    let mut body = format!(
        "<section class=\"chapter\" epub:type=\"chapter\">\n<h1 class=\"section-title\">{}</h1>\n",
        escape(&section.title)
    );
    for q in &chapter.questions {
        let _ = writeln!(
            body,
            "<section class=\"question\">\n<h2 id=\"{}\">{}</h2>",
            escape(&q.anchor),
            book.fix_html(&q.question.html, &q.question.images)
        );
        if let Some(level) = q.level {
            let _ = writeln!(
                body,
                "<p class=\"level\">{}</p>",
                escape(&book.strings.text(level_key(level)))
            );
        }
        if let Some(summary) = &q.summary {
            let _ = writeln!(
                body,
                "<div class=\"summary\">\n{}</div>",
                demote_headings(&book.fix_html(&summary.html, &summary.images))
            );
        }
        match &q.answer {
            Some(answer) => {
                let _ = writeln!(
                    body,
                    "<div class=\"answer\">\n{}</div>",
                    demote_headings(&book.fix_html(&answer.html, &answer.images))
                );
            }
            None => {
                let _ = writeln!(
                    body,
                    "<p class=\"unanswered\">{}</p>",
                    escape(&book.strings.text("unanswered"))
                );
            }
        }
        body.push_str("</section>\n");
    }
    body.push_str("</section>\n");
    document(book, &section.title, "bodymatter", &body)
}

/// The message naming a level.
fn level_key(level: Level) -> &'static str {
    match level {
        Level::Junior => "level-junior",
        Level::Mid => "level-mid",
        Level::Senior => "level-senior",
    }
}

/// Headings inside an answer sit below the question's `h2`: `h1` becomes `h3`, and so on,
/// down to `h6`. Markdown headings come out of pulldown-cmark as bare `<hN>` tags.
fn demote_headings(html: &str) -> Cow<'_, str> {
    // One pass over the tags (chapters hold the whole bank: ten `replace` passes showed up in
    // profiles). Only bare `<hN>`/`</hN>` tags are headings; code is escaped, never a tag.
    let mut out = String::new();
    let mut copied = 0;
    for (at, _) in html.match_indices('<') {
        let tag = &html.as_bytes()[at + 1..];
        let name = tag.strip_prefix(b"/").unwrap_or(tag);
        if let [b'h', level @ b'1'..=b'5', b'>', ..] = name {
            let digit = at + 1 + (tag.len() - name.len()) + 1;
            out.push_str(&html[copied..digit]);
            out.push(char::from(b'0' + (level - b'0' + 2).min(6)));
            copied = digit + 1;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_below_the_question() {
        assert_eq!(
            demote_headings("<h1>a</h1><h2>b</h2><h4>c</h4><h6>d</h6>"),
            "<h3>a</h3><h4>b</h4><h6>c</h6><h6>d</h6>"
        );
    }
}
