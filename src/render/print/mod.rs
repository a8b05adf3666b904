//! `print`: three self-contained, print-ready HTML documents — the book, the cheat sheet and
//! the quiz. One file each: CSS inlined, images as data URIs, no script, nothing fetched.
//! A browser's "Print" (or headless Chromium) turns them into PDFs; the `pdf` format prints
//! the same documents with their page numbers filled in ([`Pages`]).

mod book;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use base64::Engine as _;

use super::{BuildContext, RenderedQuestion, Renderer, message_html};
use crate::i18n::Arg;
use crate::markup::{self, Fragment, escape};
use crate::theme::Sheet;

pub struct Print;

/// What only the printable documents read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Paper size.
    pub paper: Paper,
}

/// Paper sizes for print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// The CSS `size` keyword.
    pub fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

impl Renderer for Print {
    fn name(&self) -> &'static str {
        "print"
    }

    fn description(&self) -> &'static str {
        "printable HTML: print/<bank-id>.html (book), -cheatsheet.html, -quiz.html"
    }

    fn file_count(&self, _ctx: &BuildContext) -> u64 {
        3
    }

    fn render(&self, ctx: &BuildContext, dir: &Path) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        // One document at a time: the book alone is as large as the bank.
        for doc in Doc::ALL {
            let path = dir.join(format!("{}.html", doc.file_stem(ctx)));
            write_document(ctx, doc, Pages::None, &path)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The three printable documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    Book,
    Cheatsheet,
    Quiz,
}

impl Doc {
    pub const ALL: [Doc; 3] = [Doc::Book, Doc::Cheatsheet, Doc::Quiz];

    /// The file name without extension: `<bank-id>`, `<bank-id>-cheatsheet`, `<bank-id>-quiz`.
    pub fn file_stem(self, ctx: &BuildContext) -> String {
        let id = &ctx.bank.meta.id;
        match self {
            Doc::Book => id.clone(),
            Doc::Cheatsheet => format!("{id}-cheatsheet"),
            Doc::Quiz => format!("{id}-quiz"),
        }
    }

    /// Whether the document prints page numbers (contents, cross-references), which only a
    /// printing can tell.
    pub fn has_page_numbers(self) -> bool {
        self != Doc::Cheatsheet
    }
}

/// Page numbers, as far as they are known, for the documents that print them.
#[derive(Debug, Clone, Copy)]
pub enum Pages<'a> {
    /// On screen, or printed by a browser's own Print: no page numbers.
    None,
    /// A first printing: room reserved (a fixed width) wherever a number goes, so that
    /// filling the numbers in later moves nothing.
    Reserved,
    /// The page (1-based) of each anchor (`part-N`, `s-<id>`, `q-<id>`) in a first printing.
    Known(&'a HashMap<String, u32>),
}

/// Writes one document to `path`.
pub fn write_document(ctx: &BuildContext, doc: Doc, pages: Pages, path: &Path) -> Result<()> {
    let page = match doc {
        Doc::Book => book::book(ctx, pages)?,
        Doc::Cheatsheet => cheatsheet(ctx)?,
        Doc::Quiz => quiz(ctx, pages)?,
    };
    page.write(ctx, path)
        .with_context(|| format!("writing {}", path.display()))
}

/// Layout the page numbers need whatever the theme: each number sits in a box of fixed width,
/// so a first printing (boxes empty) and the second (numbers in) break lines and pages alike.
const RESERVED_CSS: &str = ".pg, .pn { display: inline-block; text-align: right; \
     font-variant-numeric: tabular-nums; white-space: nowrap; }\n\
     .pg { width: 2.6em; flex: none; }\n.pn { width: 3ch; }\n";

/// The page number of `anchor` in its reserved box ("" when page numbers are not printed).
fn page_number(pages: Pages, anchor: &str) -> String {
    match pages {
        Pages::None => String::new(),
        Pages::Reserved => "<span class=\"pg\"></span>".to_string(),
        Pages::Known(map) => format!(
            "<span class=\"pg\">{}</span>",
            map.get(anchor).map(u32::to_string).unwrap_or_default()
        ),
    }
}

/// How a document prints a cross-reference to a question it holds: the link, then the
/// question's number and, in a PDF, its page — "*Interfaces* (Q 87, p. 123)". A question the
/// document lacks is plain text.
fn xref_printer<'a>(
    strings: &'a crate::i18n::Strings,
    numbers: &'a HashMap<&str, usize>,
    pages: Pages<'a>,
) -> impl Fn(&str, &str) -> String + 'a {
    move |id, text| {
        let Some(number) = numbers.get(id) else {
            return format!("<span class=\"xref\">{text}</span>");
        };
        let anchor = markup::anchor(id);
        let number = [("number", crate::i18n::Arg::Num(*number))];
        let page = match pages {
            Pages::None => None,
            Pages::Reserved => Some(String::new()),
            Pages::Known(map) => Some(map.get(&anchor).map(u32::to_string).unwrap_or_default()),
        };
        let at = match page {
            None => message_html(strings, "xref-number", &number, &[]),
            Some(page) => message_html(
                strings,
                "xref-number-page",
                &number,
                &[("page", &format!("<span class=\"pn\">{page}</span>"))],
            ),
        };
        format!(
            "<a class=\"xref\" href=\"#{}\">{text}</a> <span class=\"xref-at\">({at})</span>",
            escape(&anchor)
        )
    }
}

/// Cross-references as plain links to the questions a document holds (the cheat sheet has no
/// numbers to print).
fn xref_link(present: &dyn Fn(&str) -> bool) -> impl Fn(&str, &str) -> String + '_ {
    move |id, text| {
        if present(id) {
            format!(
                "<a class=\"xref\" href=\"#{}\">{text}</a>",
                escape(&markup::anchor(id))
            )
        } else {
            format!("<span class=\"xref\">{text}</span>")
        }
    }
}

/// A document's body and what its skeleton needs.
struct Page {
    title: String,
    sheet: Sheet,
    /// The generated `@page` rules.
    page_css: String,
    body: String,
}

impl Page {
    /// Writes the document: the skeleton (inlined theme CSS, code colours, dark ones only on
    /// a dark screen, the `@page` rules) around the body, straight to the file.
    fn write(&self, ctx: &BuildContext, path: &Path) -> std::io::Result<()> {
        let theme = &ctx.options.theme;
        let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let s = &ctx.strings;
        // Right-to-left banks: `dir` on the root and the theme's left/right as logical sides.
        let (dir, print, own) = if s.is_rtl() {
            (
                " dir=\"rtl\"",
                crate::i18n::logical_css(theme.css(Sheet::Print)),
                crate::i18n::logical_css(theme.css(self.sheet)),
            )
        } else {
            (
                "",
                theme.css(Sheet::Print).into(),
                theme.css(self.sheet).into(),
            )
        };
        let extra = ctx.extra_css(false);
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{lang}\"{dir}>\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"qbank\">\n<title>{title}</title>\n<style>\n{print}\n{own}\n\
             /* code colours (syntect) */\n{light}\n\
             @media screen and (prefers-color-scheme: dark) {{\n{dark}\n}}\n{page_css}\n{extra}</style>\n</head>\n<body>\n",
            lang = escape(&ctx.bank.meta.language),
            title = escape(&self.title),
            light = theme.highlight_light,
            dark = theme.highlight_dark,
            page_css = self.page_css,
        )?;
        out.write_all(self.body.as_bytes())?;
        out.write_all(b"</body>\n</html>\n")?;
        out.flush()
    }
}

/// A CSS string literal.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\A "),
            // Never `</style>` or a tag: `<` and `>` as CSS escapes.
            '<' => out.push_str("\\3C "),
            '>' => out.push_str("\\3E "),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A fragment ready for a print document: cross-references printed by `xref` (see
/// [`xref_printer`]); images become data URIs.
fn html<'f>(
    ctx: &BuildContext,
    fragment: &'f Fragment,
    xref: &dyn Fn(&str, &str) -> String,
) -> Result<Cow<'f, str>> {
    let mut html = markup::map_xrefs(&fragment.html, xref);
    for rel in &fragment.images {
        let bytes =
            std::fs::read(ctx.root.join(rel)).with_context(|| format!("reading image {rel}"))?;
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        let mime = markup::image_type(rel).context("an image type `check` refuses")?;
        html = markup::retarget_image(html, rel, &format!("data:{mime};base64,{data}"));
    }
    Ok(html)
}

fn title_of(ctx: &BuildContext, what: &str) -> String {
    let what = if what.is_empty() {
        String::new()
    } else {
        ctx.strings.text(what)
    };
    if what.is_empty() {
        ctx.bank.meta.title.clone()
    } else {
        format!("{} — {what}", ctx.bank.meta.title)
    }
}

/// The cheat sheet: every answered question with its summary, dense, in columns.
fn cheatsheet(ctx: &BuildContext) -> Result<Page> {
    let meta = &ctx.bank.meta;
    let present = |id: &str| {
        ctx.includes_question(id)
            && ctx
                .bank
                .questions()
                .any(|q| q.id == id && q.summary.is_some())
    };
    let answered: usize = ctx
        .sections()
        .map(|s| s.questions.iter().filter(|q| q.summary.is_some()).count())
        .sum();
    let mut body = String::new();
    let _ = write!(
        body,
        "<header class=\"sheet-title\"><h1>{}</h1><span class=\"meta\">{}</span></header>\n<div class=\"columns\">\n",
        escape(&meta.title),
        escape(&ctx.strings.format(
            "cheatsheet-meta",
            &[
                ("count", Arg::Num(answered)),
                ("version", Arg::Text(&meta.version))
            ]
        ))
    );
    let xref = xref_link(&present);
    for s in ctx.sections() {
        let items: Vec<_> = s.questions.iter().filter(|q| q.summary.is_some()).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            body,
            "<h2 class=\"section-head\" id=\"s-{}\">{}</h2>",
            s.id,
            escape(&s.title)
        );
        for q in items {
            let (question, summary) = question_and_summary(ctx, q, &xref)?;
            let _ = writeln!(
                body,
                "<div class=\"item\" id=\"{}\"><span class=\"q\">{question}</span>\n<div class=\"s\">{summary}</div></div>",
                q.anchor,
            );
        }
    }
    body.push_str("</div>\n");
    Ok(plain_page(
        ctx,
        "cheatsheet-title",
        Sheet::Cheatsheet,
        " landscape",
        body,
    ))
}

/// The parts with at least one selected section: (index, part, its selected sections).
fn selected_parts<'c>(
    ctx: &'c BuildContext,
) -> impl Iterator<
    Item = (
        usize,
        &'c super::RenderedPart,
        Vec<&'c super::RenderedSection>,
    ),
> {
    ctx.bank.parts.iter().enumerate().filter_map(|(pi, part)| {
        let sections: Vec<_> = part
            .sections
            .iter()
            .filter(|s| ctx.sections().any(|x| x.id == s.id))
            .collect();
        (!sections.is_empty()).then_some((pi, part, sections))
    })
}

/// An answered question's text and summary, as HTML for a print document.
fn question_and_summary<'q>(
    ctx: &BuildContext,
    q: &'q RenderedQuestion,
    xref: &dyn Fn(&str, &str) -> String,
) -> Result<(Cow<'q, str>, String)> {
    let summary = q.summary.as_ref().context("only answered questions")?;
    let question = html(ctx, &q.question, xref)?;
    let summary = html(ctx, summary, xref)?.trim_end().to_string();
    Ok((question, summary))
}

/// A document whose only `@page` rule is the paper size (`orientation` is "" or " landscape").
fn plain_page(
    ctx: &BuildContext,
    what: &str,
    sheet: Sheet,
    orientation: &str,
    body: String,
) -> Page {
    let paper = ctx.options.print.paper.css();
    Page {
        title: title_of(ctx, what),
        sheet,
        page_css: format!("@page {{ size: {paper}{orientation}; }}\n"),
        body,
    }
}

/// The quiz: numbered questions with room to think, then the answer key (summaries).
fn quiz(ctx: &BuildContext, pages: Pages) -> Result<Page> {
    let meta = &ctx.bank.meta;
    let answered: Vec<(&str, &RenderedQuestion)> = ctx
        .sections()
        .flat_map(|s| {
            s.questions
                .iter()
                .filter(|q| q.summary.is_some())
                .map(move |q| (s.title.as_str(), q))
        })
        .collect();
    // Quiz numbers: a cross-reference names the question as this document numbers it.
    let numbers: HashMap<&str, usize> = answered
        .iter()
        .enumerate()
        .map(|(i, (_, q))| (q.id.as_str(), i + 1))
        .collect();
    let xref = xref_printer(&ctx.strings, &numbers, pages);
    let mut body = String::new();
    let _ = write!(
        body,
        "<main>\n<h1>{}</h1>\n<p class=\"instructions\">{}</p>\n",
        escape(&meta.title),
        escape(&ctx.strings.count("quiz-instructions", answered.len()))
    );
    let mut current = "";
    for (i, (section, q)) in answered.iter().enumerate() {
        if *section != current {
            if !current.is_empty() {
                body.push_str("</ol>\n</section>\n");
            }
            current = section;
            let _ = write!(
                body,
                "<section class=\"quiz-section\">\n<h2>{}</h2>\n<ol class=\"quiz\" start=\"{}\">\n",
                escape(section),
                i + 1
            );
        }
        let _ = writeln!(
            body,
            "<li id=\"quiz-{}\">{}<div class=\"space\"></div></li>",
            q.anchor,
            html(ctx, &q.question, &xref)?
        );
    }
    if !current.is_empty() {
        body.push_str("</ol>\n</section>\n");
    }
    let _ = write!(
        body,
        "<section class=\"key\">\n<h2>{}</h2>\n<ol class=\"answers\">\n",
        escape(&ctx.strings.text("answer-key"))
    );
    for (_, q) in &answered {
        let (question, summary) = question_and_summary(ctx, q, &xref)?;
        let _ = writeln!(
            body,
            "<li id=\"{}\"><span class=\"q\">{question}</span>\n{summary}</li>",
            q.anchor,
        );
    }
    body.push_str("</ol>\n</section>\n</main>\n");
    let mut page = plain_page(ctx, "quiz", Sheet::Quiz, "", body);
    page.page_css.push_str(RESERVED_CSS);
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_are_escaped() {
        assert_eq!(css_string("A \"b\" \\ c"), "\"A \\\"b\\\" \\\\ c\"");
        assert_eq!(css_string("</style>"), "\"\\3C /style\\3E \"");
    }
}
