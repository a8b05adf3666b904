//! Math: `$…$` and `$$…$$` become MathML in every output (no script anywhere), invalid TeX is
//! a check error at its place with the question id, and dollars in prose stay dollars. The real
//! clients take it: EPUBCheck, the official Anki library, Chromium printing it as math.

mod common;

use std::fs;

use common::mini::{SECTION, build, qbank, write_bank};
use common::{anki_note_fields, client_python, print_pdf, repo, unzip};

const ANSWER: &str = "      Merge sort takes $O(n \\log n)$ time:\n\n      \
                      $$T(n) = 2T\\left(\\frac{n}{2}\\right) + O(n)$$\n\n      \
                      A coffee costs $5 and a book $10.\n\n      \
                      In code, `$x$` stays code; escaped, \\$x\\$ stays text.\n";

/// The mini bank with formulas in a question and an answer, built into `<tmp>/dist`.
fn build_math_bank(tmp: &std::path::Path) -> std::path::PathBuf {
    let bank = tmp.join("bank");
    let section = SECTION
        .replace("      The number one.\n", ANSWER)
        .replace("question: What is one?", "question: What is $\\sqrt{2}$?");
    write_bank(&bank, &[("sections/s1.yaml", &section)]);
    let out = tmp.join("dist");
    let (code, stderr) = build(&bank, &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    out
}

#[test]
fn formulas_are_mathml_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_math_bank(tmp.path());
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

    // The math font stack comes with math only: a bank without formulas is as it was.
    assert!(print.contains("math { font-family: \"STIX Two Math\""));
    let plain = tmp.path().join("plain");
    write_bank(&plain, &[]);
    let (code, stderr) = build(&plain, &tmp.path().join("plain-dist"), &[]);
    assert_eq!(code, 0, "{stderr}");
    let print = fs::read_to_string(tmp.path().join("plain-dist/print/mini.html")).unwrap();
    assert!(!print.contains("math {"));
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

#[test]
fn epubcheck_anki_and_chromium_take_the_math() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_math_bank(tmp.path());
    let run = |script: &str, args: &[&std::ffi::OsStr]| {
        let output = std::process::Command::new(client_python())
            .arg(repo().join("tests/clients").join(script))
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success() && stdout.contains(" passed, 0 failed"),
            "{script}:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run("epub_verify.py", &[out.join("epub/mini.epub").as_os_str()]);
    run(
        "anki_languages.py",
        &[
            out.join("anki/mini.apkg").as_os_str(),
            "1".as_ref(),
            "<msqrt><mn>2</mn></msqrt>".as_ref(),
            "display=\"block\"".as_ref(),
        ],
    );
    // Chromium lays MathML out as math: the square root gets its radical sign, which is
    // nowhere in the source text, and the fraction's parts stay.
    let pdf = print_pdf(&out.join("print/mini.html"));
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (./test.sh installs it)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains('\u{221A}'), "no radical sign:\n{text}");
    assert!(text.contains("log"), "{text}");
    assert!(!text.contains("\\frac") && !text.contains("$$"), "{text}");
    // …in a font with an OpenType MATH table (the bank has math, so its CSS asks for one;
    // ./test.sh installs DejaVu Math TeX Gyre).
    let fonts = std::process::Command::new("pdffonts")
        .arg(&pdf)
        .output()
        .expect("pdffonts (./test.sh installs it)");
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("DejaVuMathTeXGyre"), "{fonts}");
}
