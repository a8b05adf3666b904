//! Inputs that once crashed a fuzz target (or made it find XML-invalid output), kept so they
//! never come back. Each file under `tests/fixtures/fuzz/<kind>/` goes through exactly the
//! checks of its fuzz target (`tests/invariants/mod.rs`):
//!
//! - `markup/*.md` — the `markup` target: rendered as block and inline Markdown;
//! - `section/*.yaml` — the `load_section` target: loaded as `sections/fuzz.yaml` of a bank;
//! - `bank/*.yaml` — the `load_bank` target: loaded as `bank.yaml`.
//!
//! To add one: copy the crashing input from `fuzz/artifacts/<target>/` into the matching
//! folder under a name saying what it exercises, fix the bug, and add a test below when the
//! fix has a visible effect worth pinning.

mod invariants;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use qbank::diagnostics::Severity;
use qbank::markup::{Context, render};

fn fixtures(kind: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(kind);
    // A kind without crashes yet has no folder (git keeps no empty folders).
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    files
}

fn fixture(kind: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(kind)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `check` on every fixture of a kind, naming the file that fails.
fn each(kind: &str, check: impl Fn(&[u8])) {
    for (path, bytes) in fixtures(kind) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        assert!(
            result.is_ok(),
            "{} fails its fuzz target's checks",
            path.display()
        );
    }
}

#[test]
fn markup_fixtures_pass_the_markup_target() {
    each("markup", |bytes| {
        if let Ok(md) = std::str::from_utf8(bytes) {
            invariants::render_markdown(md);
        }
    });
}

#[test]
fn section_fixtures_pass_the_load_section_target() {
    each("section", |bytes| {
        invariants::load_and_render(invariants::with_section(bytes))
    });
}

#[test]
fn bank_fixtures_pass_the_load_bank_target() {
    each("bank", |bytes| {
        invariants::load_and_render(invariants::with_bank_yaml(bytes))
    });
}

/// Found by fuzzing `markup`: `&#1;` (CommonMark decodes it) or a literal control character
/// reached the HTML, which no XML reader accepts. They now read as U+FFFD, everywhere a
/// Markdown character can land: text, code, link targets and titles, image alt text.
#[test]
fn control_characters_become_replacement_characters() {
    let md = String::from_utf8(fixture("markup", "control-characters.md")).unwrap();
    let ids = HashSet::new();
    let ctx = Context {
        question_ids: &ids,
        root: Path::new(invariants::ROOT),
        rtl: false,
    };
    let html = render(&md, &ctx).html;
    invariants::assert_well_formed(&html, "control-characters.md");
    assert!(html.contains("a\u{FFFD}b\u{FFFD}c \u{FFFD}"), "{html}");
    // U+0085 (NEL) is a C1 control, which XML 1.0 allows: kept.
    assert!(html.contains('\u{85}'), "{html}");
}

/// Found by fuzzing `load_section`: a diagnostic inside a literal block scalar, on a line
/// indented deeper than the block, counted that line's extra indentation twice and pointed
/// inside a multi-byte character, so drawing it panicked. It now points at the link.
#[test]
fn problem_on_a_more_indented_block_line_points_at_it() {
    let bytes = fixture("section", "indented-line-in-block-scalar.yaml");
    let text = String::from_utf8(bytes.clone()).unwrap();
    let loaded = qbank::model::load_in_memory(
        Path::new(invariants::ROOT),
        invariants::with_section(&bytes),
    );
    let progress = qbank::progress::Progress::hidden();
    let (_, found) = qbank::render::render_bank(&loaded.bank, &loaded.map, &progress);
    let d = found
        .iter()
        .find(|d| d.message.contains("unknown question `missing`"))
        .expect("the dangling link is reported");
    let place = d.place.as_ref().unwrap();
    let at = &loaded.map.sources.text(place.file)[place.span.clone()];
    assert_eq!(at, "[éé](q:missing)");
    assert!(text.contains(at));
    let drawn = qbank::diagnostics::render_to_string(&loaded.map.sources, &found);
    assert!(drawn.contains("fuzz.yaml:9:9"), "{drawn}");
}

/// Found while writing the fuzz checks: YAML refuses control characters written raw, but a
/// double-quoted escape (`"\x01"`) makes one, and titles reach every XML output unchanged.
/// The loader now reports each, at its value.
#[test]
fn control_characters_from_yaml_escapes_are_errors() {
    let loaded = qbank::model::load_in_memory(
        Path::new(invariants::ROOT),
        invariants::with_section(&fixture("section", "control-characters-from-escapes.yaml")),
    );
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            (
                d.message.as_str(),
                loaded.map.sources.describe(d.place.as_ref().unwrap()),
            )
        })
        .collect();
    let expected = [("U+0001", "fuzz.yaml:2:8"), ("U+001B", "fuzz.yaml:5:15")];
    assert_eq!(errors.len(), expected.len(), "{errors:?}");
    for ((message, place), (code, at)) in errors.iter().zip(expected) {
        assert!(message.contains(code), "{message}");
        assert!(place.ends_with(at), "{place}");
    }
}

/// Found by fuzzing `markup`: pulldown-cmark lets an autolink sit inside a link's text, which
/// rendered as `<a>` inside `<a>` (invalid HTML); `rewrite_xrefs` then took the inner `</a>`
/// for the end of the cross-reference and unbalanced the tags. A link inside a link is now
/// just its text.
#[test]
fn links_inside_links_are_text() {
    let md = String::from_utf8(fixture("markup", "autolink-inside-link-minimal.md")).unwrap();
    let ids: HashSet<String> = ["gil-explained".to_string()].into();
    let ctx = Context {
        question_ids: &ids,
        root: Path::new(invariants::ROOT),
        rtl: false,
    };
    let f = render(&md, &ctx);
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(
        f.html,
        "<p><a class=\"xref\" href=\"#q-gil-explained\">see https://example.com/ and \
         me@example.com</a> <a href=\"https://b.org\">x https://a.org</a></p>\n"
    );
    let unlinked = qbank::markup::rewrite_xrefs(&f.html, |_| None);
    invariants::assert_well_formed(&unlinked, "unlinked");
    assert!(
        unlinked
            .contains("<span class=\"xref\">see https://example.com/ and me@example.com</span>")
    );
}

/// The XML checker every fuzz target relies on refuses what strict XML readers refuse.
#[test]
fn the_xml_checker_is_strict() {
    for ok in [
        "plain",
        "<p>a <br/> &amp; &lt; &#169; &#x1F600;</p>",
        "<a href=\"x?a=1&amp;b=2\" title=\"&quot;\">t</a>",
        "\u{85} tab\t",
    ] {
        assert!(
            invariants::check(ok).is_ok(),
            "{ok}: {:?}",
            invariants::check(ok)
        );
    }
    for bad in [
        "a & b",
        "<b>",
        "</b>",
        "<b><i></b></i>",
        "&nbsp;",
        "&copy;",
        "&#1;",
        "&#xFFFE;",
        "\u{1}",
        "\u{FFFF}",
        "<a x=\"1\" x=\"2\">t</a>",
        "<a href=\"a&b\">t</a>",
        "<a href=x>t</a>",
        "<!-- c -->",
        "a]]>b",
    ] {
        assert!(invariants::check(bad).is_err(), "accepted {bad:?}");
    }
}
