//! `epub`: an EPUB 3 ebook (with an NCX for older readers), one chapter per section.
//!
//! `<bank-id>.epub` holds a generated cover, a title page, a contents page, a "What's new"
//! page (see `render::release`), then for each part
//! a part page followed by one XHTML chapter per section. Every question is an `h2` with
//! id `q-<question-id>`, its summary and its answer; cross-references point at
//! `<chapter>.xhtml#q-<id>`. The nav goes part → section → question.
//!
//! epub-builder writes the package; [`package`] fixes what it lacks and makes the bytes
//! reproducible. The identifier is a UUID v5 of the bank id and `dcterms:modified` is the
//! newest change time in `qbank.lock` among the book's questions and the current release, so
//! two builds of the same content give the same bytes, whenever they run.

mod cover;
mod package;
mod pages;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, TocElement, ZipLibrary,
};
use rayon::prelude::*;

use super::archive;
use super::{BuildContext, RenderedQuestion, RenderedSection, Renderer};
use crate::markup::{self, escape};
use crate::model::BankMeta;
use crate::theme::Sheet;

pub struct Epub;

/// What only the EPUB reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Leave unanswered questions out (the book shows them, marked, by default).
    pub answered_only: bool,
}

impl Renderer for Epub {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn description(&self) -> &'static str {
        "an EPUB 3 ebook: epub/<bank-id>.epub"
    }

    fn render(&self, ctx: &BuildContext, dir: &Path) -> Result<Vec<PathBuf>> {
        let book = Book::plan(ctx)?;
        let bytes = book.write(ctx)?;
        let path = dir.join(format!("{}.epub", ctx.bank.meta.id));
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        Ok(vec![path])
    }
}

/// Whether unanswered questions are left out. They are shown, with "Not answered yet.",
/// unless the build asks otherwise: a reader wants to see what the bank covers, and an
/// unanswered question is still a question to prepare.
fn answered_only(ctx: &BuildContext) -> bool {
    ctx.options.epub.answered_only
}

/// What goes into the book, in reading order, with the file each piece lives in.
struct Book<'a> {
    meta: &'a BankMeta,
    /// The fixed strings in the book's language.
    strings: &'a crate::i18n::Strings,
    parts: Vec<Part<'a>>,
    /// Question id → the chapter file holding it, for every question in the book.
    question_files: HashMap<&'a str, String>,
    /// Image path relative to the bank → its path inside the EPUB.
    media: Vec<(String, String)>,
    /// Whether every image has a text alternative (`alt` not empty).
    images_described: bool,
    /// `dcterms:modified`, `YYYY-MM-DDThh:mm:ssZ`.
    modified: String,
    /// What the bank's current version changed (its "What's new" page).
    release: Option<&'a super::release::Release>,
}

struct Part<'a> {
    number: usize,
    title: &'a str,
    file: String,
    chapters: Vec<Chapter<'a>>,
}

struct Chapter<'a> {
    section: &'a RenderedSection,
    file: String,
    questions: Vec<&'a RenderedQuestion>,
}

impl<'a> Book<'a> {
    fn plan(ctx: &'a BuildContext<'a>) -> Result<Book<'a>> {
        let selected: Vec<&str> = ctx.sections().map(|s| s.id.as_str()).collect();
        let mut parts = Vec::new();
        for (index, part) in ctx.bank.parts.iter().enumerate() {
            let chapters: Vec<Chapter> = part
                .sections
                .iter()
                .filter(|s| selected.contains(&s.id.as_str()))
                .map(|section| Chapter {
                    section,
                    file: format!("section-{}.xhtml", section.id),
                    questions: section
                        .questions
                        .iter()
                        .filter(|q| q.is_answered() || !answered_only(ctx))
                        .collect(),
                })
                .filter(|c| !c.questions.is_empty())
                .collect();
            // Parts keep their number in the bank when a build leaves some out.
            if !chapters.is_empty() {
                parts.push(Part {
                    number: index + 1,
                    title: &part.title,
                    file: format!("part-{}.xhtml", index + 1),
                    chapters,
                });
            }
        }
        if parts.is_empty() {
            bail!("the EPUB would have no questions: no section selected has any");
        }
        let questions = || {
            parts
                .iter()
                .flat_map(|p| &p.chapters)
                .flat_map(|c| c.questions.iter().map(move |q| (c, *q)))
        };
        let question_files = questions()
            .map(|(c, q)| (q.id.as_str(), c.file.clone()))
            .collect::<HashMap<_, _>>();
        // The newest content change among the book's questions, or the current version's
        // release when newer (a new version changes the title page and "What's new" even when
        // no question changed); without a lock (never the case in `qbank build`), the build
        // time, which honours SOURCE_DATE_EPOCH.
        let release = ctx.current_release();
        let newest = questions()
            .map(|(_, q)| ctx.lock_time(&q.id))
            .chain(release.map(|r| r.time))
            .max()
            .filter(|t| *t > 0)
            .unwrap_or(ctx.now);
        let mut media: Vec<(String, String)> = Vec::new();
        let mut images_described = true;
        let notes = release.and_then(|r| ctx.bank.changelog.get(&r.version));
        let fragments = questions()
            .flat_map(|(_, q)| std::iter::once(&q.question).chain(q.body()))
            .chain(notes);
        {
            for fragment in fragments {
                if !fragment.images.is_empty() && fragment.html.contains(" alt=\"\"") {
                    images_described = false;
                }
                for rel in &fragment.images {
                    if !media.iter().any(|(r, _)| r == rel) {
                        media.push((rel.clone(), media_path(rel)));
                    }
                }
            }
        }
        Ok(Book {
            meta: &ctx.bank.meta,
            strings: &ctx.strings,
            parts,
            question_files,
            media,
            images_described,
            modified: package::iso8601(newest),
            release,
        })
    }

    fn whats_new_title(&self) -> String {
        crate::render::release::whats_new_title(self.strings, &self.meta.version)
    }

    fn question_count(&self) -> usize {
        self.chapters().map(|c| c.questions.len()).sum()
    }

    fn unanswered_count(&self) -> usize {
        self.chapters()
            .flat_map(|c| &c.questions)
            .filter(|q| !q.is_answered())
            .count()
    }

    fn chapters(&self) -> impl Iterator<Item = &Chapter<'a>> {
        self.parts.iter().flat_map(|p| &p.chapters)
    }

    /// A rendered fragment as it goes into a chapter: cross-references point at the chapter
    /// holding their question (or become plain text when it is not in the book), images at
    /// their copy inside the EPUB.
    fn fix_html<'h>(&self, html: &'h str, images: &[String]) -> Cow<'h, str> {
        let mut html = markup::rewrite_xrefs(html, |id| {
            self.question_files
                .get(id)
                .map(|file| format!("{file}#{}", markup::anchor(id)))
        });
        for rel in images {
            if let Some((_, path)) = self.media.iter().find(|(r, _)| r == rel) {
                html = markup::retarget_image(html, rel, path);
            }
        }
        html
    }

    /// Builds the EPUB with epub-builder, then finishes it (see [`package`]).
    fn write(&self, ctx: &BuildContext) -> Result<Vec<u8>> {
        let meta = self.meta;
        let mut b = EpubBuilder::new(ZipLibrary::new().map_err(epub_error)?).map_err(epub_error)?;
        // Pages and images: epub-builder gets an empty stand-in (it needs only the path), the
        // bytes stay here and go into the zip in `package::finish`.
        let mut files: HashMap<String, package::File> = HashMap::new();
        let mut keep = |path: &str, file: package::File| {
            files.insert(zip_path(path), file);
            std::io::empty()
        };
        let raw = package::File::Raw;
        let compressed = package::File::Compressed;
        b.epub_version(EpubVersion::V30);
        b.set_title(meta.title.as_str());
        b.set_lang(meta.language.as_str());
        b.set_authors(meta.authors.clone());
        if let Some(description) = &meta.description {
            b.add_description(description.as_str());
        }
        b.set_generator("qbank");
        let contents_title = self.strings.text("contents");
        b.set_toc_name(contents_title.as_str());
        for (property, value) in self.opf_meta() {
            // epub-builder writes a `MetadataOpfV3` value as it is: escaped here.
            b.add_metadata_opf(Box::new(MetadataOpfV3::new(
                property.to_string(),
                escape(&value),
            )));
        }

        // A right-to-left book mirrors the theme (logical sides); some languages add CSS.
        let theme_css = ctx.options.theme.css(Sheet::Epub);
        let mut css = if self.strings.is_rtl() {
            crate::i18n::logical_css(theme_css)
        } else {
            theme_css.into()
        };
        let extra = ctx.extra_css(true);
        if !extra.is_empty() {
            css = format!("{css}\n{extra}").into();
        }
        b.stylesheet(css.as_bytes()).map_err(epub_error)?;
        b.add_cover_image(
            pages::COVER_IMAGE,
            keep(pages::COVER_IMAGE, raw(cover::svg(meta).into_bytes())),
            "image/svg+xml",
        )
        .map_err(epub_error)?;
        for (rel, path) in &self.media {
            let bytes = std::fs::read(ctx.root.join(rel))
                .with_context(|| format!("reading image {rel}"))?;
            b.add_resource(path, keep(path, raw(bytes)), media_type(rel)?)
                .map_err(epub_error)?;
        }

        b.add_content(
            EpubContent::new(
                "cover.xhtml",
                keep("cover.xhtml", raw(pages::cover(self).into())),
            )
            .reftype(ReferenceType::Cover),
        )
        .map_err(epub_error)?;
        b.add_content(
            EpubContent::new(
                "title.xhtml",
                keep("title.xhtml", raw(pages::title_page(self).into())),
            )
            .reftype(ReferenceType::TitlePage),
        )
        .map_err(epub_error)?;
        // A titled entry with a reference type is what makes epub-builder list it among the
        // nav's landmarks: the contents page is the `toc` landmark…
        b.add_content(
            EpubContent::new(
                "contents.xhtml",
                keep(
                    "contents.xhtml",
                    raw(pages::contents(self, &contents_title).into()),
                ),
            )
            .title(contents_title.as_str())
            .reftype(ReferenceType::Toc),
        )
        .map_err(epub_error)?;
        if let Some(page) = pages::whats_new(self, ctx.bank, &self.whats_new_title()) {
            b.add_content(
                EpubContent::new("whats-new.xhtml", keep("whats-new.xhtml", raw(page.into())))
                    .title(self.whats_new_title()),
            )
            .map_err(epub_error)?;
        }
        // The chapters are most of the book: written and compressed in parallel.
        // Pages holding MathML are marked so in the manifest (EPUB 3 requires it).
        let mut with_math = Vec::new();
        let chapter_pages: Vec<(archive::Part, bool)> = self
            .chapters()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|chapter| {
                let page = pages::chapter(self, chapter);
                let math = page.contains("<math ");
                Ok((
                    package::compress(&zip_path(&chapter.file), page.into_bytes())?,
                    math,
                ))
            })
            .collect::<Result<_>>()?;
        let mut chapter_pages = chapter_pages.into_iter();
        for (i, part) in self.parts.iter().enumerate() {
            let page = pages::part(self, part);
            let mut content =
                EpubContent::new(part.file.as_str(), keep(&part.file, raw(page.into())))
                    .title(part.title)
                    .level(1);
            if i == 0 {
                // …and the first part page is `bodymatter`, where reading starts.
                content = content.reftype(ReferenceType::Text);
            }
            b.add_content(content).map_err(epub_error)?;
            for chapter in &part.chapters {
                let (page, math) = chapter_pages.next().expect("a page per chapter");
                if math {
                    with_math.push(chapter.file.clone());
                }
                let mut content =
                    EpubContent::new(chapter.file.as_str(), keep(&chapter.file, compressed(page)))
                        .title(chapter.section.title.as_str())
                        .level(2);
                for q in &chapter.questions {
                    content = content.child(TocElement::new(
                        format!("{}#{}", chapter.file, q.anchor),
                        markup::plain_text(&q.question.html),
                    ));
                }
                b.add_content(content).map_err(epub_error)?;
            }
        }

        let mut raw = Vec::new();
        b.generate(&mut raw).map_err(epub_error)?;
        let identifier = package::uuid_v5_urn(&meta.id);
        package::finish(
            &raw,
            files,
            &package::Finish {
                lang: &meta.language,
                identifier: &identifier,
                modified: &self.modified,
                title: &meta.title,
                subtitle: meta.subtitle.as_deref(),
                toc_depth: 3,
                mathml: &with_math,
                rtl: self.strings.is_rtl(),
            },
        )
    }

    /// EPUB 3 `<meta property>` entries: the version and the schema.org accessibility
    /// metadata (EPUB Accessibility 1.1 §2).
    fn opf_meta(&self) -> Vec<(&'static str, String)> {
        let has_images = !self.media.is_empty();
        let mut meta = vec![("schema:version", self.meta.version.clone())];
        meta.push(("schema:accessMode", "textual".into()));
        if has_images {
            meta.push(("schema:accessMode", "visual".into()));
        }
        // Text alone is enough when every image is described; otherwise a reader needs both.
        let sufficient = if !has_images || self.images_described {
            "textual"
        } else {
            "textual,visual"
        };
        meta.push(("schema:accessModeSufficient", sufficient.into()));
        for feature in [
            "structuralNavigation",
            "tableOfContents",
            "readingOrder",
            "displayTransformability",
        ] {
            meta.push(("schema:accessibilityFeature", feature.into()));
        }
        if has_images && self.images_described {
            meta.push(("schema:accessibilityFeature", "alternativeText".into()));
        }
        meta.push(("schema:accessibilityHazard", "none".into()));
        meta.push((
            "schema:accessibilitySummary",
            self.strings.text("accessibility-summary"),
        ));
        meta
    }
}

/// A file's path inside the zip: epub-builder puts everything it is given under `OEBPS/`.
fn zip_path(path: &str) -> String {
    format!("OEBPS/{path}")
}

/// Where an image goes inside the EPUB: `media/`, a hash of its bank path (so two files of the
/// same name never collide), then its file name reduced to characters safe in any reader.
fn media_path(rel: &str) -> String {
    format!("media/{}", markup::media_file_name(rel))
}

/// The EPUB core media type of an image, by extension; anything else would need a fallback
/// most readers cannot show.
fn media_type(rel: &str) -> Result<&'static str> {
    markup::image_type(rel).with_context(|| {
        format!("image {rel}: EPUB readers show PNG, JPEG, GIF, SVG and WebP images; convert it")
    })
}

fn epub_error(e: epub_builder::Error) -> anyhow::Error {
    anyhow::anyhow!("epub-builder: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_paths_are_safe_and_distinct() {
        let a = media_path("images/My Diagram.PNG");
        assert!(
            a.starts_with("media/") && a.ends_with("-my-diagram.png"),
            "{a}"
        );
        assert_ne!(media_path("a/x.png"), media_path("b/x.png"));
    }

    #[test]
    fn only_core_image_types() {
        assert_eq!(media_type("a/b.JPG").unwrap(), "image/jpeg");
        assert!(media_type("a/b.tiff").is_err());
    }

    #[test]
    fn toc_labels_are_text() {
        assert_eq!(
            markup::plain_text("What does <code>a &lt; b</code> do &amp; why?"),
            "What does a < b do & why?"
        );
    }
}
