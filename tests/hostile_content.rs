//! The hostile-input round, content: nothing from a title, description or theme reaches an
//! output as markup; odd but legal names (images with spaces, `::` in titles) work; and what
//! `build` would trip over, `check` finds first, with its place.

mod common;

use std::fs;
use std::path::Path;

use common::mini::{BANK, SECTION, build, qbank, write_bank};
use common::{anki_names, anki_note_fields, unzip};

// ---------------------------------------------------------------------------------------
// 3–5. Nothing from a title, description or theme reaches an output as markup.

const EVIL: &str =
    "X</style><script>alert(1)</script><img src=x onerror=alert(2)> :: A&B \"q\" 'a'";

fn hostile_bank(dir: &Path) {
    let quoted = serde_json::to_string(EVIL).unwrap();
    let bank = format!(
        "id: mini\ntitle: {quoted}\nsubtitle: {quoted}\nlanguage: en\nauthors: [{quoted}]\n\
         description: {quoted}\nversion: 1.0.0\nparts:\n  - title: {quoted}\n    sections: [s1]\n"
    );
    let section = SECTION.replace("title: Section One", &format!("title: {quoted}"));
    write_bank(dir, &[("bank.yaml", &bank), ("sections/s1.yaml", &section)]);
}

/// Markup that would be live if any title slipped through unescaped.
fn assert_inert(name: &str, text: &str) {
    for live in ["<script", "<img src=x", "onerror=alert"] {
        let lower = text.to_ascii_lowercase();
        // `onerror=alert` may appear escaped as text, never inside a tag.
        if live == "onerror=alert" {
            assert!(!lower.contains("<img src=x onerror"), "{name}: live {live}");
        } else {
            assert!(!lower.contains(live), "{name}: live {live}");
        }
    }
}

#[test]
fn titles_and_descriptions_never_become_markup_in_any_output() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    hostile_bank(&bank);
    let out = tmp.path().join("dist");
    let (code, stderr) = build(&bank, &out, &[]);
    assert_eq!(code, 0, "{stderr}");

    for name in ["mini.html", "mini-cheatsheet.html", "mini-quiz.html"] {
        let html = fs::read_to_string(out.join("print").join(name)).unwrap();
        assert_inert(name, &html);
        assert_eq!(
            html.matches("</style>").count(),
            1,
            "{name}: one style element"
        );
    }
    let json = fs::read_to_string(out.join("json/mini.json")).unwrap();
    assert_inert(
        "json",
        &json.replace(&serde_json::to_string(EVIL).unwrap(), ""),
    );

    for (name, bytes) in unzip(&out.join("epub/mini.epub")) {
        let text = String::from_utf8_lossy(&bytes);
        assert_inert(&name, &text);
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".ncx") {
            let mut reader = quick_xml::Reader::from_str(&text);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{name} is not well-formed XML: {e}"),
                }
            }
        }
    }

    for apkg in [
        out.join("anki/mini.apkg"),
        out.join("anki/sections/s1.apkg"),
    ] {
        let (decks, models) = anki_names(&apkg);
        let ours: Vec<_> = decks.iter().filter(|(n, _)| n != "Default").collect();
        // The section's deck, and in the combined package the bank's deck, its parent.
        let combined = apkg.ends_with("mini.apkg");
        assert_eq!(ours.len(), if combined { 2 } else { 1 }, "decks: {decks:?}");
        for (name, desc) in ours {
            // One `::`, between the bank and the section: a title's own `::` adds no level;
            // none in the bank's own deck.
            let levels = if name.contains("::") { 1 } else { 0 };
            assert_eq!(name.matches("::").count(), levels, "{name}");
            assert_inert("deck", name);
            assert!(!name.contains('<'), "no tag can start in {name:?}");
            assert_inert("deck", desc);
            // The description is HTML qbank writes: only its own tags, content escaped.
            let mut bare = desc.clone();
            for tag in [
                "<p>", "</p>", "<b>", "</b>", "<ul>", "</ul>", "<li>", "</li>",
            ] {
                bare = bare.replace(tag, "");
            }
            assert!(!bare.contains('<'), "no tag from content in {desc:?}");
            assert!(
                desc.contains("A&amp;B"),
                "the description is escaped HTML: {desc}"
            );
        }
        for model in &models {
            assert!(!model.contains('<'), "note type name {model:?}");
        }
    }
}

#[test]
fn a_theme_stylesheet_cannot_close_its_style_element() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    write_bank(&bank, &[]);
    let theme = tmp.path().join("evil-theme");
    fs::create_dir_all(&theme).unwrap();
    fs::write(
        theme.join("theme.yaml"),
        "highlight:\n  light: GitHub\n  dark: Nord\n",
    )
    .unwrap();
    fs::write(
        theme.join("print.css"),
        "body { color: black; }\n/* </STYLE><script>alert(1)</script> */\n",
    )
    .unwrap();
    let out = tmp.path().join("dist");
    let theme_arg = theme.display().to_string();
    let (code, stderr) = build(&bank, &out, &["--theme", &theme_arg]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("print.css:2"),
        "the error names the file and line:\n{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

// ---------------------------------------------------------------------------------------
// 7–8. Links and images with odd but legal names.

#[test]
fn email_autolinks_become_mailto() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    let section = SECTION.replace("The number one.", "Write to <a@b.co>.");
    write_bank(&bank, &[("sections/s1.yaml", &section)]);
    let out = tmp.path().join("dist");
    assert_eq!(build(&bank, &out, &["--format", "json"]).0, 0);
    let json = fs::read_to_string(out.join("json/mini.json")).unwrap();
    assert!(json.contains(r#"href=\"mailto:a@b.co\""#), "{json}");
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[test]
fn images_with_spaces_quotes_and_accents_reach_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    let names = [
        "my diagram.png",
        "café.png",
        "it's.png",
        "say \"hi\".png",
        "100%.png",
    ];
    let refs = [
        "<images/my diagram.png>",
        "images/caf%C3%A9.png",
        "images/it's.png",
        "<images/say \"hi\".png>",
        "images/100%25.png",
    ];
    let mut answer = String::new();
    for (i, r) in refs.iter().enumerate() {
        answer.push_str(&format!("      ![figure {i}]({r})\n\n"));
    }
    let section = SECTION.replace("      The number one.\n", &answer);
    write_bank(&bank, &[("sections/s1.yaml", &section)]);
    for name in names {
        fs::create_dir_all(bank.join("images")).unwrap();
        fs::write(bank.join("images").join(name), PNG).unwrap();
    }
    let out = tmp.path().join("dist");
    let (code, stderr) = build(&bank, &out, &[]);
    assert_eq!(code, 0, "{stderr}");

    // Print: every image inlined as a data URI.
    let book = fs::read_to_string(out.join("print/mini.html")).unwrap();
    assert_eq!(
        book.matches("src=\"data:image/png;base64,").count(),
        names.len(),
        "print inlines every image"
    );

    // EPUB: every <img src> resolves to a file in the zip.
    let epub = unzip(&out.join("epub/mini.epub"));
    let mut found = 0;
    for (name, bytes) in &epub {
        if !name.ends_with(".xhtml") || name.contains("cover") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for src in text.split("<img ").skip(1).filter_map(|t| {
            let start = t.find("src=\"")? + 5;
            Some(t[start..][..t[start..].find('"')?].to_string())
        }) {
            let dir = Path::new(name).parent().unwrap();
            let target = dir.join(&src).to_string_lossy().replace('\\', "/");
            assert!(
                epub.iter().any(|(n, _)| *n == target),
                "{name}: <img src={src:?}> is not in the EPUB"
            );
            found += 1;
        }
    }
    assert_eq!(found, names.len(), "EPUB images");

    // Anki: every <img src> is a media file of the package.
    let apkg = unzip(&out.join("anki/mini.apkg"));
    let media: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&apkg.iter().find(|(n, _)| n == "media").unwrap().1).unwrap();
    let media_names: Vec<&str> = media.values().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(media_names.len(), names.len(), "{media_names:?}");
    let fields = anki_note_fields(&out.join("anki/mini.apkg")).join("\n");
    for name in &media_names {
        assert!(
            fields.contains(&format!("src=\"{name}\"")),
            "{name} in {fields}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// 10–11. What `build` would trip on, `check` finds, with its place.

fn check(bank: &Path) -> (i32, String) {
    let output = qbank()
        .arg("check")
        .arg("--bank")
        .arg(bank)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_image_type_no_output_can_carry_is_a_check_error_with_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let section = SECTION.replace("The number one.", "See ![it](images/a.bmp).");
    write_bank(tmp.path(), &[("sections/s1.yaml", &section)]);
    fs::create_dir_all(tmp.path().join("images")).unwrap();
    fs::write(tmp.path().join("images/a.bmp"), b"BM").unwrap();
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    for piece in ["s1.yaml:8:", "q-one", "a.bmp", "PNG"] {
        assert!(stderr.contains(piece), "{piece} in:\n{stderr}");
    }
}

#[test]
fn an_over_long_bank_id_is_a_check_error_with_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let long = vec!["abcdefghij"; 30].join("-");
    write_bank(
        tmp.path(),
        &[(
            "bank.yaml",
            &BANK.replace("id: mini", &format!("id: {long}")),
        )],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("bank.yaml:1:"), "{stderr}");
    assert!(stderr.contains("too long"), "{stderr}");
}

#[test]
fn a_nul_byte_is_reported_at_its_real_line() {
    let tmp = tempfile::tempdir().unwrap();
    let section = SECTION.replace("The number one.", "The number\u{0} one.");
    write_bank(tmp.path(), &[("sections/s1.yaml", &section)]);
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("s1.yaml:8:"), "{stderr}");
}

#[test]
fn absurd_lock_times_are_refused_with_the_lock_line() {
    let tmp = tempfile::tempdir().unwrap();
    write_bank(
        tmp.path(),
        &[(
            "qbank.lock",
            "# lock\nversion 1\nq-one 0000000000000001 10 9223372036854775807\n",
        )],
    );
    let (code, stderr) = check(tmp.path());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("qbank.lock:3:"), "{stderr}");
    assert!(stderr.contains("bad time"), "{stderr}");
    let out = tempfile::tempdir().unwrap();
    let (code, _) = build(tmp.path(), &out.path().join("dist"), &[]);
    assert_eq!(code, 1);
    assert!(!out.path().join("dist").exists());
    // SOURCE_DATE_EPOCH out of range is refused, not ignored.
    fs::remove_file(tmp.path().join("qbank.lock")).unwrap();
    let output = qbank()
        .env("SOURCE_DATE_EPOCH", "99999999999999")
        .args(["build", "--bank"])
        .arg(tmp.path())
        .arg("--out")
        .arg(out.path().join("dist"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("SOURCE_DATE_EPOCH"));
}
