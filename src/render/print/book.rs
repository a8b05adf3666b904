//! The book: title page, contents (parts, sections and questions, with page numbers when a
//! printing told them), every question numbered through the book, and the running heads.

use std::collections::HashMap;
use std::fmt::Write as _;

use anyhow::Result;

use super::{Page, Pages, css_string, html, page_number, selected_parts, title_of, xref_printer};
use crate::i18n::Arg;
use crate::markup::{escape, plain_text};
use crate::render::{BuildContext, RenderedQuestion};
use crate::theme::Sheet;

/// The book's question numbers: through the whole book, in the selected sections.
pub(super) fn numbers<'c>(ctx: &'c BuildContext) -> HashMap<&'c str, usize> {
    ctx.sections()
        .flat_map(|s| &s.questions)
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i + 1))
        .collect()
}

pub(super) fn book(ctx: &BuildContext, pages: Pages) -> Result<Page> {
    let meta = &ctx.bank.meta;
    let numbers = numbers(ctx);
    let xref = xref_printer(&ctx.strings, &numbers, pages);
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

    contents(ctx, &mut body, &numbers, pages);
    if let Some(release) = ctx.current_release() {
        let notes = match ctx.bank.changelog.get(&release.version) {
            Some(f) => Some(html(ctx, f, &xref)?),
            None => None,
        };
        let link = |id: &str| {
            ctx.includes_question(id)
                .then(|| format!("#{}", crate::markup::anchor(id)))
        };
        let _ = writeln!(
            body,
            "<section class=\"whats-new\">\n{}</section>",
            super::super::release::whats_new_xhtml(
                ctx.bank,
                &ctx.strings,
                release,
                2,
                notes.as_deref(),
                &link
            )
        );
    }

    // Each section is a named page (`sec-N`), so its pages carry its title in the running
    // head: Chromium has margin boxes but no `string-set`, and a page's name is the only
    // thing that can vary them. A part takes the name of its first section, so its title
    // shares that section's first page.
    let mut page_css = format!(
        "@page {{ size: {paper}; @top-left {{ content: {title}; }} }}\n\
         @page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }} @bottom-center {{ content: none; }} }}\n\
         @page toc {{ @top-right {{ content: {contents}; }} }}\n\
         @media print {{ nav.toc {{ page: toc; }} }}\n\
         @page {{ @top-left {{ {head} }} @top-right {{ {head} }} }}\n",
        // Margin boxes inherit nothing from the body: the face is named here.
        head = "font: 8pt Helvetica, Arial, \"Liberation Sans\", sans-serif; color: #666;",
        paper = ctx.options.print.paper.css(),
        title = css_string(&format!(
            "{} · {}",
            meta.title,
            ctx.strings
                .format("version", &[("version", Arg::Text(&meta.version))])
        )),
        contents = css_string(&ctx.strings.text("contents")),
    );
    page_css.push_str(super::RESERVED_CSS);
    body.push_str("<main>\n");
    let mut section_index = 0;
    for (pi, part, sections) in selected_parts(ctx) {
        let _ = writeln!(
            body,
            "<section class=\"part\" id=\"part-{}\" style=\"page: sec-{}\">\n<h2>{}</h2>",
            pi + 1,
            section_index + 1,
            part_heading(ctx, pi, &part.title)
        );
        for s in sections {
            section_index += 1;
            let _ = writeln!(
                page_css,
                "@page sec-{section_index} {{ @top-right {{ content: {}; }} }}",
                css_string(&s.title)
            );
            let _ = writeln!(
                body,
                "<section class=\"chapter\" id=\"s-{}\" style=\"page: sec-{section_index}\">\n<h3>{}</h3>",
                s.id,
                escape(&s.title)
            );
            for q in &s.questions {
                book_question(ctx, &mut body, q, numbers[q.id.as_str()], &xref)?;
            }
            body.push_str("</section>\n");
        }
        body.push_str("</section>\n");
    }
    body.push_str("</main>\n");
    Ok(Page {
        title: title_of(ctx, ""),
        sheet: Sheet::Book,
        page_css,
        body,
    })
}

/// "Part 2. Title" in the bank's language, escaped.
fn part_heading(ctx: &BuildContext, index: usize, title: &str) -> String {
    escape(&ctx.strings.format(
        "part-heading",
        &[("number", Arg::Num(index + 1)), ("title", Arg::Text(title))],
    ))
}

/// The contents: parts, their sections and their questions, each a link; with the page it
/// starts on, right-aligned after dotted leaders, when printing to PDF.
fn contents(ctx: &BuildContext, body: &mut String, numbers: &HashMap<&str, usize>, pages: Pages) {
    let entry = |anchor: &str, text: &str| -> String {
        let page = page_number(pages, anchor);
        if page.is_empty() {
            format!("<a href=\"#{anchor}\"><span class=\"t\">{text}</span></a>")
        } else {
            format!(
                "<a class=\"paged\" href=\"#{anchor}\"><span class=\"t\">{text}</span><span class=\"leader\"></span>{page}</a>"
            )
        }
    };
    let _ = write!(
        body,
        "<nav class=\"toc\" aria-labelledby=\"toc-title\">\n<h2 id=\"toc-title\">{}</h2>\n<ol>\n",
        escape(&ctx.strings.text("contents"))
    );
    for (pi, part, sections) in selected_parts(ctx) {
        let _ = writeln!(
            body,
            "<li><div class=\"part-title\">{}</div>\n<ol>",
            entry(
                &format!("part-{}", pi + 1),
                &part_heading(ctx, pi, &part.title)
            )
        );
        for s in sections {
            let title = format!(
                "{} <span class=\"count\">{}</span>",
                escape(&s.title),
                escape(&ctx.strings.count("toc-count", s.questions.len()))
            );
            let _ = writeln!(
                body,
                "<li><div class=\"section-title\">{}</div>\n<ol class=\"qlist\">",
                entry(&format!("s-{}", s.id), &title)
            );
            for q in &s.questions {
                let text = format!(
                    "<span class=\"num\">{}.</span> {}",
                    numbers[q.id.as_str()],
                    escape(&plain_text(&q.question.html))
                );
                let _ = writeln!(body, "<li>{}</li>", entry(&q.anchor, &text));
            }
            body.push_str("</ol></li>\n");
        }
        body.push_str("</ol></li>\n");
    }
    body.push_str("</ol>\n</nav>\n");
}

fn book_question(
    ctx: &BuildContext,
    body: &mut String,
    q: &RenderedQuestion,
    number: usize,
    xref: &dyn Fn(&str, &str) -> String,
) -> Result<()> {
    let _ = write!(
        body,
        "<article class=\"question\" id=\"{}\">\n<h4><span class=\"num\">{number}.</span> {}</h4>\n",
        q.anchor,
        html(ctx, &q.question, xref)?
    );
    match (&q.summary, &q.answer) {
        (Some(summary), Some(answer)) => {
            let _ = write!(
                body,
                "<div class=\"summary\">\n{}</div>\n<div class=\"answer\">\n{}</div>\n",
                html(ctx, summary, xref)?,
                html(ctx, answer, xref)?
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
