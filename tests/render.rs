//! Snapshot tests of rendered fragments, and XHTML well-formedness of everything rendered.

use std::collections::HashSet;
use std::path::Path;

use qbank::markup::{Context, render, render_inline};

fn md(text: &str) -> String {
    let ids: HashSet<String> = ["gil-explained".to_string()].into();
    let ctx = Context {
        question_ids: &ids,
        root: Path::new(env!("CARGO_MANIFEST_DIR")),
        rtl: false,
    };
    render(text, &ctx).html
}

#[test]
fn highlighted_python_block() {
    insta::assert_snapshot!(md(
        "```python\ndef greet(name: str) -> str:\n    return f\"hi {name}\"  # <b>\n```\n"
    ));
}

#[test]
fn python_block_with_output() {
    insta::assert_snapshot!(md("```python\nprint(1 < 2)\n```\n\n```output\nTrue\n```\n"));
}

#[test]
fn table() {
    insta::assert_snapshot!(md(
        "| | list | tuple |\n|---|:---:|---:|\n| mutable | yes | no |\n| hashable | no | *if items are* |\n"
    ));
}

#[test]
fn raw_html_is_escaped() {
    insta::assert_snapshot!(md(
        "Text <script>alert('x')</script> and <b>bold</b>.\n\n<div class=\"x\">\nblock\n</div>\n\n<img src=x onerror=alert(1)>\n"
    ));
}

#[test]
fn cross_reference_and_links() {
    insta::assert_snapshot!(md(
        "See [the GIL](q:gil-explained), [docs](https://docs.python.org/3/ \"Python docs\") and <https://example.com>.\n"
    ));
}

#[test]
fn question_is_inline() {
    let ids = HashSet::new();
    let ctx = Context {
        question_ids: &ids,
        root: Path::new("."),
        rtl: false,
    };
    let f = render_inline("`select_related` vs `prefetch_related`.", &ctx);
    assert_eq!(
        f.html,
        "<code>select_related</code> vs <code>prefetch_related</code>."
    );
    assert!(f.problems.is_empty());
}

/// Every fragment of the shipped bank parses as XML (EPUB embeds them verbatim).
#[test]
fn shipped_bank_renders_well_formed_xhtml() {
    let project = qbank::Project::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    let mut checked = 0;
    for q in project.rendered.questions() {
        for f in std::iter::once(&q.question).chain(q.body()) {
            assert_well_formed(&f.html, &q.id);
            checked += 1;
        }
    }
    assert!(checked >= 421);
    for sample in [
        "a <br> b\n\n---\n\n![alt](bank.yaml)\n",
        "x  \nhard break & entity &amp; &nbsp; &copy;\n",
        "<p>unclosed <i>html",
    ] {
        assert_well_formed(&md(sample), sample);
    }
}

fn assert_well_formed(html: &str, what: &str) {
    let doc = format!("<div xmlns=\"http://www.w3.org/1999/xhtml\">{html}</div>");
    let mut reader = quick_xml::Reader::from_str(&doc);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            // Only XML's own entities may appear: HTML named entities break XHTML.
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                let name: &str = &r;
                assert!(
                    ["amp", "lt", "gt", "quot", "apos"].contains(&name) || name.starts_with('#'),
                    "{what}: non-XML entity &{name};"
                );
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{what}: not well-formed XML: {e}\n{html}"),
        }
    }
    assert_eq!(depth, 0, "{what}: unbalanced\n{html}");
}
