//! `pdf`: the three printable documents printed to PDF by a headless Chromium, with what
//! paper needs and a browser's Print cannot give: page numbers in the contents and in every
//! cross-reference, bookmarks, metadata, and the same bytes for the same content.
//!
//! Page numbers take two printings. The first has a box of fixed width wherever a number
//! goes, left empty; the page of each anchor is read back from that PDF's named
//! destinations; the second printing fills the boxes, which moves nothing. The anchors are
//! read again from the second printing and must match — if they ever did not, a third
//! printing would use the new ones, and a fourth is refused. A document with no number to
//! fill in (a quiz without cross-references) is printed once.

mod chromium;
pub mod file;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

use super::print::{Doc, Pages, write_document};
use super::{BuildContext, Renderer};

pub use file::outline;

pub struct Pdf;

/// What only the PDFs read.
#[derive(Debug, Clone)]
pub struct Options {
    /// The browser to print with; the first Chromium or Chrome on `PATH` when `None`.
    pub chromium: Option<PathBuf>,
    /// How long one printing may take before the browser is killed.
    pub timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            chromium: None,
            timeout: Duration::from_secs(300),
        }
    }
}

/// Printings after the first before the page numbers must have settled.
const MAX_PASSES: usize = 3;

impl Renderer for Pdf {
    fn name(&self) -> &'static str {
        "pdf"
    }

    fn description(&self) -> &'static str {
        "PDFs printed by headless Chromium: pdf/<bank-id>.pdf (book), -cheatsheet.pdf, -quiz.pdf \
         (not built unless asked for)"
    }

    fn by_default(&self) -> bool {
        false
    }

    /// One step per printing: the cheat sheet once, the book and the quiz twice (once when
    /// they have no page number to fill in).
    fn file_count(&self, _ctx: &BuildContext) -> u64 {
        5
    }

    fn render(&self, ctx: &BuildContext, dir: &Path) -> Result<Vec<PathBuf>> {
        let browser = chromium::find(ctx.options.pdf.chromium.as_deref())?;
        let scratch = tempfile::tempdir().context("creating a folder for the printings")?;
        // The three at once: the book's two printings take as long as the others' three.
        Doc::ALL
            .par_iter()
            .map(|&doc| {
                let stem = doc.file_stem(ctx);
                let bytes = print_doc(ctx, &browser, doc, &scratch.path().join(&stem))
                    .with_context(|| format!("printing {stem}.pdf"))?;
                let path = dir.join(format!("{stem}.pdf"));
                std::fs::write(&path, bytes)
                    .with_context(|| format!("writing {}", path.display()))?;
                Ok(path)
            })
            .collect()
    }
}

/// Prints one document (twice when it shows page numbers) and returns the finished PDF.
fn print_doc(ctx: &BuildContext, browser: &Path, doc: Doc, scratch: &Path) -> Result<Vec<u8>> {
    let timeout = ctx.options.pdf.timeout;
    let html = scratch.with_extension("html");
    let pdf = scratch.with_extension("pdf");
    let name = doc.file_stem(ctx);
    let print = |pages: Pages| -> Result<lopdf::Document> {
        write_document(ctx, doc, pages, &html)?;
        ctx.progress.time(format!("print {name}.pdf"), || {
            chromium::print(browser, &html, &pdf, timeout)
        })?;
        ctx.progress.inc(1);
        let bytes = std::fs::read(&pdf).with_context(|| format!("reading {}", pdf.display()))?;
        ctx.progress
            .time(format!("read {name}.pdf"), || file::load(&bytes))
    };
    let mut printed = print(if doc.has_page_numbers() {
        Pages::Reserved
    } else {
        Pages::None
    })?;
    let read_html =
        || std::fs::read_to_string(&html).with_context(|| format!("reading {}", html.display()));
    // A quiz whose questions refer to none of the others has no number to fill in.
    let boxes =
        |text: &str| text.contains("<span class=\"pg\">") || text.contains("<span class=\"pn\">");
    if doc.has_page_numbers() && !boxes(&read_html()?) {
        ctx.progress.inc(1);
    } else if doc.has_page_numbers() {
        let mut known = file::named_destinations(&printed)?;
        let mut passes = 0;
        loop {
            printed = print(Pages::Known(&known))?;
            let now = file::named_destinations(&printed)?;
            if now == known {
                break;
            }
            passes += 1;
            if passes >= MAX_PASSES {
                bail!(
                    "the page numbers did not settle after {} printings",
                    passes + 1
                );
            }
            known = now;
        }
    }
    file::fix_outline_titles(&mut printed, &file::headings(&read_html()?))?;
    let meta = &ctx.bank.meta;
    let metadata = file::Metadata {
        title: match doc {
            Doc::Book => meta.title.clone(),
            Doc::Cheatsheet => format!("{} — cheat sheet", meta.title),
            Doc::Quiz => format!("{} — quiz", meta.title),
        },
        author: meta.authors.join(", "),
        subject: meta.description.clone().unwrap_or_default(),
        language: meta.language.clone(),
        date: newest_change(ctx),
    };
    ctx.progress.time(format!("finish {name}.pdf"), || {
        file::finish(printed, &metadata)
    })
}

/// The PDFs' date: the newest content change among the printed questions, from
/// `qbank.lock`, so a rebuild of the same content gives the same bytes; without a lock, the
/// build time (which honours `SOURCE_DATE_EPOCH`).
fn newest_change(ctx: &BuildContext) -> i64 {
    ctx.sections()
        .flat_map(|s| &s.questions)
        .map(|q| ctx.lock_time(&q.id))
        .max()
        .filter(|t| *t > 0)
        .unwrap_or(ctx.now)
}

/// Where a printing put each anchor: for tests and tools that check a PDF.
pub fn anchor_pages(path: &Path) -> Result<HashMap<String, u32>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    file::named_destinations(&file::load(&bytes)?)
}
