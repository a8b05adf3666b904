//! `print`: three self-contained, print-ready HTML documents — the book, the cheat sheet and
//! the quiz. One file each: CSS inlined, images as data URIs, no script, nothing fetched.
//! A browser's "Print" (or headless Chromium) turns them into PDFs.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use base64::Engine as _;

use super::{BuildContext, RenderedQuestion, Renderer};
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
        let id = &ctx.bank.meta.id;
        let docs: [(String, MakePage); 3] = [
            (format!("{id}.html"), book),
            (format!("{id}-cheatsheet.html"), cheatsheet),
            (format!("{id}-quiz.html"), quiz),
        ];
        let mut written = Vec::new();
        // One document at a time: the book alone is as large as the bank.
        for (name, make) in docs {
            let path = dir.join(name);
            make(ctx)?
                .write(ctx, &path)
                .with_context(|| format!("writing {}", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
}

type MakePage = fn(&BuildContext) -> Result<Page>;

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
        let extra = s.extra_css(false);
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

/// A fragment ready for a print document: cross-references to questions in this document
/// stay links (to `#<prefix>q-<id>`), others become text; images become data URIs.
fn html<'f>(
    ctx: &BuildContext,
    fragment: &'f Fragment,
    present: &dyn Fn(&str) -> bool,
) -> Result<Cow<'f, str>> {
    let mut html = markup::rewrite_xrefs(&fragment.html, |id| {
        present(id).then(|| format!("#{}", markup::anchor(id)))
    });
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

/// The book: title page, linked contents, parts and sections on new pages, every question.
fn book(ctx: &BuildContext) -> Result<Page> {
    let meta = &ctx.bank.meta;
    let present = |id: &str| ctx.includes_question(id);
    let mut body = String::new();
    let _ = write!(
        body,
        "<header class=\"title-page\">\n<h1>{}</h1>\n",
        escape(&meta.title)
    );
    if let Some(sub) = &meta.subtitle {
        let _ = writeln!(body, "<p class=\"subtitle\">{}</p>", escape(sub));
    }
    if !meta.authors.is_empty() {
        let _ = writeln!(
            body,
            "<p class=\"byline\">{}</p>",
            escape(&meta.authors.join(", "))
        );
    }
    if let Some(desc) = &meta.description {
        let _ = writeln!(body, "<p class=\"description\">{}</p>", escape(desc));
    }
    let _ = writeln!(
        body,
        "<p class=\"version\">{}</p>\n</header>",
        escape(
            &ctx.strings
                .format("version", &[("version", Arg::Text(&meta.version))])
        )
    );

    // Contents: parts and their sections, with question counts.
    let _ = write!(
        body,
        "<nav class=\"toc\" aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">{}</h2>\n<ol>\n",
        escape(&ctx.strings.text("contents"))
    );
    for (pi, part, sections) in selected_parts(ctx) {
        let _ = writeln!(
            body,
            "<li><div class=\"part-title\"><a href=\"#part-{}\">{}</a></div>\n<ol>",
            pi + 1,
            escape(&part.title)
        );
        for s in sections {
            let _ = writeln!(
                body,
                "<li><a href=\"#s-{}\">{}</a> <span class=\"count\">{}</span></li>",
                s.id,
                escape(&s.title),
                escape(&ctx.strings.count("toc-count", s.questions.len()))
            );
        }
        body.push_str("</ol></li>\n");
    }
    body.push_str("</ol>\n</nav>\n<main>\n");

    let mut number = 0;
    for (pi, part, sections) in selected_parts(ctx) {
        let _ = writeln!(
            body,
            "<section class=\"part\" id=\"part-{}\">\n<h2>{}</h2>",
            pi + 1,
            escape(&ctx.strings.format(
                "part-heading",
                &[
                    ("number", Arg::Num(pi + 1)),
                    ("title", Arg::Text(&part.title))
                ]
            ))
        );
        for s in sections {
            let _ = writeln!(
                body,
                "<section class=\"chapter\" id=\"s-{}\">\n<h3>{}</h3>",
                s.id,
                escape(&s.title)
            );
            for q in &s.questions {
                number += 1;
                book_question(ctx, &mut body, q, number, &present)?;
            }
            body.push_str("</section>\n");
        }
        body.push_str("</section>\n");
    }
    body.push_str("</main>\n");
    let page_css = format!(
        "@page {{ size: {paper}; @top-center {{ content: {title}; font-size: 8.5pt; color: #666; }} }}\n\
         @page :first {{ @top-center {{ content: none; }} }}\n",
        paper = ctx.options.print.paper.css(),
        title = css_string(&meta.title),
    );
    Ok(Page {
        title: title_of(ctx, ""),
        sheet: Sheet::Book,
        page_css,
        body,
    })
}

fn book_question(
    ctx: &BuildContext,
    body: &mut String,
    q: &RenderedQuestion,
    number: usize,
    present: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let _ = write!(
        body,
        "<article class=\"question\" id=\"{}\">\n<h4><span class=\"num\">{number}.</span> {}</h4>\n",
        q.anchor,
        html(ctx, &q.question, present)?
    );
    match (&q.summary, &q.answer) {
        (Some(summary), Some(answer)) => {
            let _ = write!(
                body,
                "<div class=\"summary\">\n{}</div>\n<div class=\"answer\">\n{}</div>\n",
                html(ctx, summary, present)?,
                html(ctx, answer, present)?
            );
        }
        _ => {
            let _ = writeln!(
                body,
                "<p class=\"unanswered\">{}</p>",
                escape(&ctx.strings.text("unanswered"))
            );
        }
    }
    body.push_str("</article>\n");
    Ok(())
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
            let (question, summary) = question_and_summary(ctx, q, &present)?;
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
    present: &dyn Fn(&str) -> bool,
) -> Result<(Cow<'q, str>, String)> {
    let summary = q.summary.as_ref().context("only answered questions")?;
    let question = html(ctx, &q.question, present)?;
    let summary = html(ctx, summary, present)?.trim_end().to_string();
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
fn quiz(ctx: &BuildContext) -> Result<Page> {
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
    let in_quiz: std::collections::HashSet<&str> =
        answered.iter().map(|(_, q)| q.id.as_str()).collect();
    let present = |id: &str| in_quiz.contains(id);
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
            html(ctx, &q.question, &present)?
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
        let (question, summary) = question_and_summary(ctx, q, &present)?;
        let _ = writeln!(
            body,
            "<li id=\"{}\"><span class=\"q\">{question}</span>\n{summary}</li>",
            q.anchor,
        );
    }
    body.push_str("</ol>\n</section>\n</main>\n");
    Ok(plain_page(ctx, "quiz-title", Sheet::Quiz, "", body))
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
