//! The invariants hardening holds qbank to, in one place: the fuzz targets
//! (`fuzz/fuzz_targets/*.rs`, which include this file by path), the fuzz regression tests and
//! the property tests all call these, so a crash found by fuzzing reproduces as a test with
//! the very same checks.
//!
//! - Loading any bytes never panics: it produces diagnostics, each pointing inside its file
//!   on character boundaries, each drawable.
//! - Every rendered fragment is well-formed XHTML (wrapped in a `<div>`), also after
//!   cross-references are rewritten the ways outputs rewrite them, with only XML's own
//!   entities and only characters XML 1.0 allows.
//! - A bank without errors holds only XML characters in the text outputs print (titles, ids).
#![allow(dead_code)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use qbank::diagnostics::{self, Diagnostic};
use qbank::markup::{self, Context, Fragment};
use quick_xml::events::Event;

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
            .chain(
                rendered
                    .sections()
                    .flat_map(|s| std::iter::once(&s.title).chain(std::iter::once(&s.id))),
            )
            .chain(
                rendered
                    .questions()
                    .flat_map(|q| std::iter::once(&q.id).chain(&q.tags)),
            );
        for text in texts {
            assert_well_formed(&markup::escape(text), "a title or id");
        }
    }
}

/// A fragment's HTML is well-formed XHTML, also after cross-references are rewritten the two
/// ways outputs rewrite them.
pub fn check_fragment(f: &Fragment, what: &str) {
    assert_well_formed(&f.html, what);
    let moved = markup::rewrite_xrefs(&f.html, |id| {
        Some(format!("ch1.xhtml#{}", markup::anchor(id)))
    });
    assert_well_formed(&moved, &format!("{what} (xrefs retargeted)"));
    let unlinked = markup::rewrite_xrefs(&f.html, |_| None);
    assert_well_formed(&unlinked, &format!("{what} (xrefs unlinked)"));
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
        rtl: false,
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
            assert!(
                c.offset <= md.len(),
                "{kind}: code block offset past the end"
            );
        }
        check_fragment(&f, kind);
    }
}

/// The files of a bank whose section `fuzz` is `section` (arbitrary bytes), listed beside a
/// valid section: what the `load_section` target loads.
pub fn with_section(section: &[u8]) -> Vec<(PathBuf, Vec<u8>)> {
    const BANK: &str = "\
id: fuzz-bank
title: Fuzz
language: en
version: 1.0.0
parts:
  - title: Part
    sections: [fixed, fuzz]
";
    vec![
        (PathBuf::from("bank.yaml"), BANK.as_bytes().to_vec()),
        (
            PathBuf::from("sections/fixed.yaml"),
            FIXED_SECTION.as_bytes().to_vec(),
        ),
        (PathBuf::from("sections/fuzz.yaml"), section.to_vec()),
    ]
}

/// The files of a bank whose `bank.yaml` is `bank` (arbitrary bytes), beside two valid
/// sections `fixed` and `other`: what the `load_bank` target loads.
pub fn with_bank_yaml(bank: &[u8]) -> Vec<(PathBuf, Vec<u8>)> {
    const OTHER: &str = "\
id: other
title: Other section
questions:
  - id: other-question
    question: '`select_related` vs **prefetch**?'
    level: mid
    tags: [orm]
    summary: Joins vs queries; see [GIL](q:gil-explained).
    answer: |
      | a | b |
      |---|---|
      | 1 | 2 |
";
    vec![
        (PathBuf::from("bank.yaml"), bank.to_vec()),
        (
            PathBuf::from("sections/fixed.yaml"),
            FIXED_SECTION.as_bytes().to_vec(),
        ),
        (
            PathBuf::from("sections/other.yaml"),
            OTHER.as_bytes().to_vec(),
        ),
    ]
}

/// Checks that `html`, wrapped in a `<div>`, parses as XML with only XML's own entities.
///
/// quick-xml checks tag balance, attribute syntax and entity syntax, but not which characters
/// appear, so this also enforces XML 1.0's `Char` production (no C0 controls but tab, LF, CR;
/// no U+FFFE/U+FFFF), in text and in numeric character references: strict XML readers (EPUB
/// reading systems, libxml2) reject a document holding any of them.
pub fn check(html: &str) -> Result<(), String> {
    if let Some(c) = html.chars().find(|c| !is_xml_char(*c)) {
        return Err(format!(
            "character U+{:04X} is not allowed in XML",
            c as u32
        ));
    }
    let doc = format!("<div xmlns=\"http://www.w3.org/1999/xhtml\">{html}</div>");
    let mut reader = quick_xml::Reader::from_str(&doc);
    let mut stack: Vec<String> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed XML: {e}"))?;
        match event {
            Event::Start(e) => {
                check_attributes(&e)?;
                stack.push(e.name().as_ref().to_string());
            }
            Event::Empty(e) => check_attributes(&e)?,
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                match stack.pop() {
                    Some(open) if open == name => {}
                    other => return Err(format!("end tag </{name}> closes {other:?}")),
                }
            }
            Event::GeneralRef(r) => {
                let name: &str = &r;
                check_reference(name)?;
            }
            Event::Text(t) => {
                let text: &str = &t;
                if text.contains(']') && text.contains("]]>") {
                    return Err("`]]>` in text".into());
                }
            }
            Event::CData(_)
            | Event::Comment(_)
            | Event::PI(_)
            | Event::Decl(_)
            | Event::DocType(_) => {
                return Err(format!("unexpected markup in a fragment: {event:?}"));
            }
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements: {stack:?}"));
    }
    Ok(())
}

/// Like [`check`], panicking with the fragment on failure.
pub fn assert_well_formed(html: &str, what: &str) {
    if let Err(e) = check(html) {
        panic!("{what}: {e}\n--- html ---\n{html}");
    }
}

fn check_attributes(e: &quick_xml::events::BytesStart) -> Result<(), String> {
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("bad attribute: {err}"))?;
        let raw: &str = &attr.value;
        if raw.contains('<') {
            return Err(format!("`<` in attribute value {raw:?}"));
        }
        // Every `&` must start a valid reference.
        let mut rest = raw;
        while let Some(i) = rest.find('&') {
            let after = &rest[i + 1..];
            let end = after
                .find(';')
                .ok_or_else(|| format!("bare `&` in attribute value {raw:?}"))?;
            check_reference(&after[..end])?;
            rest = &after[end + 1..];
        }
    }
    Ok(())
}

/// `name` is what stands between `&` and `;`.
fn check_reference(name: &str) -> Result<(), String> {
    if ["amp", "lt", "gt", "quot", "apos"].contains(&name) {
        return Ok(());
    }
    let code = if let Some(hex) = name.strip_prefix("#x") {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse::<u32>().ok()
    } else {
        return Err(format!("non-XML entity &{name};"));
    };
    match code.and_then(char::from_u32) {
        Some(c) if is_xml_char(c) => Ok(()),
        _ => Err(format!(
            "character reference &{name}; is not an XML character"
        )),
    }
}

/// XML 1.0 `Char`, minus the surrogates a Rust `char` cannot hold anyway.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
