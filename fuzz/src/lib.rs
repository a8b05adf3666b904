//! What the fuzz targets share: the pipeline each input goes through and the invariants
//! checked on the way. A violated invariant panics, which libFuzzer reports as a crash.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use qbank::diagnostics::{self, Diagnostic};
use qbank::markup::{self, Context, Fragment};

/// The XHTML checker the integration tests use, so fuzzing and tests hold the renderer to one
/// rule.
#[path = "../../tests/wellformed/mod.rs"]
pub mod wellformed;

/// A folder that does not exist: the in-memory loader never reads it, and image paths in
/// fuzzed Markdown resolve to "does not exist" without touching real files.
pub const ROOT: &str = "/nonexistent/qbank-fuzz";

/// A small valid section that the fuzzed files sit beside (ids to link to, ids to collide
/// with).
pub const FIXED_SECTION: &str = "\
id: fixed
title: Fixed section
questions:
  - id: gil-explained
    question: What is the GIL?
    summary: A lock.
    answer: |
      See [this](q:gil-explained).

      ```python
      print(1)
      ```
  - id: unanswered-one
    question: Later?
";

/// Loads a bank from memory, renders it, draws every diagnostic and checks every fragment.
pub fn load_and_render(files: Vec<(PathBuf, Vec<u8>)>) {
    let loaded = qbank::model::load_in_memory(Path::new(ROOT), files);
    let progress = qbank::progress::Progress::hidden();
    let (rendered, render_diagnostics) =
        qbank::render::render_bank(&loaded.bank, &loaded.map, &progress);
    let all: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .chain(&render_diagnostics)
        .cloned()
        .collect();
    for d in &all {
        for place in d.place.iter().chain(d.related.as_ref().map(|(p, _)| p)) {
            let text = loaded.map.sources.text(place.file);
            assert!(
                place.span.start <= place.span.end
                    && place.span.end <= text.len()
                    && text.is_char_boundary(place.span.start)
                    && text.is_char_boundary(place.span.end),
                "diagnostic {:?} has a span {:?} outside the text or inside a character",
                d.message,
                place.span
            );
        }
        let _ = diagnostics::render_plain(&loaded.map.sources, d);
    }
    let _ = diagnostics::render_to_string(&loaded.map.sources, &all);
    for q in rendered.questions() {
        for f in std::iter::once(&q.question).chain(q.body()) {
            check_fragment(f, &q.id);
        }
    }
    let _ = serde_json::to_string(&rendered).expect("the rendered bank serializes");
    // A bank without errors is built: then every string an output prints as text must be
    // something XML can hold (the fragments were checked above).
    if !all.iter().any(Diagnostic::is_error) {
        let meta = &rendered.meta;
        let texts = [&meta.id, &meta.title, &meta.language, &meta.version]
            .into_iter()
            .chain(&meta.subtitle)
            .chain(&meta.description)
            .chain(&meta.authors)
            .chain(rendered.parts.iter().map(|p| &p.title))
            .chain(rendered.sections().flat_map(|s| std::iter::once(&s.title).chain(std::iter::once(&s.id))))
            .chain(rendered.questions().flat_map(|q| std::iter::once(&q.id).chain(&q.tags)));
        for text in texts {
            wellformed::assert_well_formed(&markup::escape(text), "a title or id");
        }
    }
}

/// A fragment's HTML is well-formed XHTML, also after cross-references are rewritten the two
/// ways outputs rewrite them.
pub fn check_fragment(f: &Fragment, what: &str) {
    wellformed::assert_well_formed(&f.html, what);
    let moved = markup::rewrite_xrefs(&f.html, |id| Some(format!("ch1.xhtml#{}", markup::anchor(id))));
    wellformed::assert_well_formed(&moved, &format!("{what} (xrefs retargeted)"));
    let unlinked = markup::rewrite_xrefs(&f.html, |_| None);
    wellformed::assert_well_formed(&unlinked, &format!("{what} (xrefs unlinked)"));
}

/// Renders `md` as block and as inline Markdown and checks both.
pub fn render_markdown(md: &str) {
    let ids: HashSet<String> = ["gil-explained", "a", "other-question"]
        .into_iter()
        .map(String::from)
        .collect();
    let ctx = Context {
        question_ids: &ids,
        root: Path::new(ROOT),
    };
    for (kind, f) in [
        ("block", markup::render(md, &ctx)),
        ("inline", markup::render_inline(md, &ctx)),
    ] {
        for p in &f.problems {
            assert!(
                p.offset <= md.len() && md.is_char_boundary(p.offset),
                "{kind}: problem {:?} at offset {} inside a character",
                p.message,
                p.offset
            );
        }
        for c in &f.code_blocks {
            assert!(c.offset <= md.len(), "{kind}: code block offset past the end");
        }
        check_fragment(&f, kind);
    }
}
