//! Math: `$…$` and `$$…$$` become MathML in every output (no script anywhere), invalid TeX is
//! a check error at its place with the question id, and dollars in prose stay dollars.

mod common;

use std::fs;

use common::mini::{SECTION, build, qbank, write_bank};
use common::{anki_note_fields, unzip};

const ANSWER: &str = "      Merge sort takes $O(n \\log n)$ time:\n\n      \
                      $$T(n) = 2T\\left(\\frac{n}{2}\\right) + O(n)$$\n\n      \
                      A coffee costs $5 and a book $10.\n\n      \
                      In code, `$x$` stays code; escaped, \\$x\\$ stays text.\n";

#[test]
fn formulas_are_mathml_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    let section = SECTION
        .replace("      The number one.\n", ANSWER)
        .replace("question: What is one?", "question: What is $\\sqrt{2}$?");
    write_bank(&bank, &[("sections/s1.yaml", &section)]);
    let out = tmp.path().join("dist");
    let (code, stderr) = build(&bank, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let inline = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>O</mi>";
    let block = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\">";
    let sqrt = "<msqrt><mn>2</mn></msqrt>";

    let print = fs::read_to_string(out.join("print/mini.html")).unwrap();
    for (what, text) in [
        ("print", print.as_str()),
        (
            "json",
            fs::read_to_string(out.join("json/mini.json"))
                .unwrap()
                .as_str(),
        ),
    ] {
        let text = text.replace("\\\"", "\"");
        assert!(text.contains(inline), "{what}: {text}");
        assert!(text.contains(block), "{what}");
        assert!(text.contains(sqrt), "{what}");
        assert!(text.contains("costs $5 and a book $10."), "{what}");
        assert!(
            text.contains("<code>$x$</code> stays code; escaped, $x$ stays text"),
            "{what}"
        );
        assert!(!text.contains("<script"), "{what}: no script needed");
    }

    // Anki: the note's fields carry the MathML.
    let fields = anki_note_fields(&out.join("anki/mini.apkg")).join("\n");
    assert!(fields.contains(inline), "{fields}");
    assert!(fields.contains(block), "{fields}");
    assert!(fields.contains(sqrt), "{fields}");

    // EPUB: the page holding math says so in the manifest.
    let epub = unzip(&out.join("epub/mini.epub"));
    let opf = epub
        .iter()
        .find(|(n, _)| n.ends_with("content.opf"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(opf.contains("properties=\"mathml\""), "{opf}");
}

#[test]
fn invalid_tex_is_a_check_error_at_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let section = SECTION.replace("The number one.", "Costs $a + \\nosuch{b}$ here.");
    write_bank(tmp.path(), &[("sections/s1.yaml", &section)]);
    let out = qbank()
        .arg("check")
        .arg("--bank")
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not valid TeX"), "{stderr}");
    assert!(stderr.contains("nosuch"), "{stderr}");
    // Line 8 of the section, at the backslash (column 16 = 7 of indent + "Costs $a + " + 1).
    assert!(stderr.contains("sections/s1.yaml:8:18"), "{stderr}");
    assert!(stderr.contains("q-one"), "{stderr}");
}
