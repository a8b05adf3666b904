//! The hostile-input round: qbank never deletes or overwrites what it did not create, never
//! lets markup from content or themes reach an output live, and treats odd but legal input
//! (file names with spaces, titles with `::`) correctly. Each test runs the real binary in
//! temporary folders.

mod common;

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const SECTION: &str = "\
id: s1
title: Section One
questions:
  - id: q-one
    question: What is one?
    summary: One.
    answer: |
      The number one.
";

const BANK: &str = "\
id: mini
title: Mini bank
language: en
version: 1.0.0
parts:
  - title: Only part
    sections: [s1]
";

/// A small valid bank at `dir`, with `files` written over the base ones.
fn write_bank(dir: &Path, files: &[(&str, &str)]) {
    let base = [("bank.yaml", BANK), ("sections/s1.yaml", SECTION)];
    for (name, text) in base.iter().chain(files) {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

fn qbank() -> Command {
    let mut cmd = Command::cargo_bin("qbank").unwrap();
    cmd.env("SOURCE_DATE_EPOCH", "1900000000")
        .args(["--color", "never"]);
    cmd
}

/// `qbank build --bank BANK --out OUT [args]`: exit code and stderr.
fn build(bank: &Path, out: &Path, args: &[&str]) -> (i32, String) {
    let output = qbank()
        .arg("build")
        .args(args)
        .arg("--bank")
        .arg(bank)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every file under `dir` (relative path → bytes), for before/after comparisons.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if e.file_type().unwrap().is_dir() {
                out.push((rel, Vec::new()));
                walk(root, &path, out);
            } else {
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// 1. `build` replaces only what it made.

#[test]
fn build_refuses_to_replace_a_users_folder_named_like_a_format() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    write_bank(&bank, &[]);
    let out = tmp.path().join("project");
    for format in ["print", "anki"] {
        fs::create_dir_all(out.join(format)).unwrap();
        fs::write(out.join(format).join("mine.txt"), "my notes").unwrap();
    }
    let before = snapshot(&out);
    let (code, stderr) = build(&bank, &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("refusing to replace"), "{stderr}");
    for format in ["print", "anki"] {
        assert!(
            stderr.contains(&out.join(format).display().to_string()),
            "{format} named in:\n{stderr}"
        );
    }
    assert_eq!(snapshot(&out), before, "nothing in --out was touched");
    // A file in a format folder's place is refused too.
    fs::remove_dir_all(out.join("print")).unwrap();
    fs::remove_dir_all(out.join("anki")).unwrap();
    fs::write(out.join("json"), "a file of mine").unwrap();
    let (code, stderr) = build(&bank, &out, &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        fs::read_to_string(out.join("json")).unwrap(),
        "a file of mine"
    );
}

#[test]
fn build_replaces_its_own_folders_and_a_user_may_opt_out_by_deleting_the_marker() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    write_bank(&bank, &[]);
    let out = tmp.path().join("dist");
    assert_eq!(build(&bank, &out, &["--format", "json"]).0, 0);
    assert!(out.join("json/.qbank-output").is_file());
    assert_eq!(build(&bank, &out, &["--format", "json"]).0, 0, "rebuild");
    fs::remove_file(out.join("json/.qbank-output")).unwrap();
    let (code, stderr) = build(&bank, &out, &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(out.join("json/mini.json").is_file());
}

#[test]
fn out_may_not_be_the_bank_contain_it_or_sit_inside_it() {
    let tmp = tempfile::tempdir().unwrap();
    // The bank lives in a folder named like a format, and --out is its parent.
    let bank = tmp.path().join("anki");
    write_bank(&bank, &[]);
    let before = snapshot(tmp.path());
    for (out, why) in [
        (tmp.path().to_path_buf(), "contains the bank"),
        (bank.clone(), "is the bank"),
        (bank.join("dist"), "is inside the bank"),
        (bank.join("sections/../dist"), "is inside the bank"),
    ] {
        let (code, stderr) = build(&bank, &out, &[]);
        assert_eq!(code, 1, "{}: {stderr}", out.display());
        assert!(stderr.contains(why), "{why} in:\n{stderr}");
        assert_eq!(snapshot(tmp.path()), before, "{}", out.display());
    }
    // The same through a symbolic link to the bank's parent.
    let link = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(tmp.path(), link.path().join("up")).unwrap();
    let (code, stderr) = build(&bank, &link.path().join("up"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(snapshot(tmp.path()), before);
}

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

fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// The decks (name, description) and note type names of an `.apkg`.
fn anki_names(apkg: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let entries = unzip(apkg);
    let collection = &entries
        .iter()
        .find(|(n, _)| n == "collection.anki2")
        .unwrap()
        .1;
    let db = tempfile::NamedTempFile::new().unwrap();
    fs::write(db.path(), collection).unwrap();
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let (decks, models): (String, String) = conn
        .query_row("select decks, models from col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let decks: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&decks).unwrap();
    let models: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&models).unwrap();
    let decks = decks
        .values()
        .map(|d| {
            (
                d["name"].as_str().unwrap().to_string(),
                d["desc"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let models = models
        .values()
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    (decks, models)
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
        assert_eq!(ours.len(), 1, "one deck: {decks:?}");
        let (name, desc) = ours[0];
        // One `::`, between the bank and the section: a title's own `::` adds no level.
        assert_eq!(name.matches("::").count(), 1, "{name}");
        for text in [name.as_str(), desc.as_str()] {
            assert_inert("deck", text);
            assert!(!text.contains('<'), "no tag can start in {text:?}");
        }
        assert!(
            desc.contains("A&amp;B"),
            "the description is escaped HTML: {desc}"
        );
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
    let collection = &apkg
        .iter()
        .find(|(n, _)| n == "collection.anki2")
        .unwrap()
        .1;
    let db = tempfile::NamedTempFile::new().unwrap();
    fs::write(db.path(), collection).unwrap();
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let fields: String = conn
        .query_row("select flds from notes", [], |r| r.get(0))
        .unwrap();
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

// ---------------------------------------------------------------------------------------
// 12–14. Read-only banks, concurrent builds, interrupts.

fn is_root() -> bool {
    // SAFETY-free: the effective uid from /proc, without libc.
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// A tmpfs mounted for one test (root only), unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path) -> Tmpfs {
        fs::create_dir_all(at).unwrap();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
            .arg(at)
            .status()
            .unwrap()
            .success();
        assert!(ok, "mount tmpfs at {}", at.display());
        Tmpfs(at.to_path_buf())
    }

    fn read_only(&self) {
        let ok = std::process::Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .unwrap()
            .success();
        assert!(ok, "remount read-only");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_build_that_cannot_write_the_lock_publishes_nothing() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().unwrap();
    // Root ignores permission bits, so as root the bank sits on a tmpfs remounted
    // read-only; otherwise the bank folder is made read-only.
    let mount = is_root().then(|| Tmpfs::mount(&tmp.path().join("ro")));
    if mount.is_none() {
        eprintln!("not root: the bank is made read-only with chmod instead of a read-only mount");
    }
    let bank = match &mount {
        Some(m) => m.0.join("bank"),
        None => tmp.path().join("bank"),
    };
    write_bank(&bank, &[]);
    let out = tmp.path().join("dist");
    assert_eq!(build(&bank, &out, &["--format", "json"]).0, 0);
    let before = snapshot(&out);
    // Change the content, then make the bank read-only: the new lock cannot be written, so
    // the build must fail before publishing anything.
    let section = SECTION.replace("The number one.", "The number one, edited.");
    fs::write(bank.join("sections/s1.yaml"), section).unwrap();
    let lock_before = fs::read(bank.join("qbank.lock")).unwrap();
    match &mount {
        Some(m) => m.read_only(),
        None => fs::set_permissions(&bank, fs::Permissions::from_mode(0o555)).unwrap(),
    }
    let (code, stderr) = build(&bank, &out, &["--format", "json"]);
    if mount.is_none() {
        fs::set_permissions(&bank, fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("qbank.lock"), "{stderr}");
    assert_eq!(snapshot(&out), before, "dist/ unchanged");
    assert_eq!(fs::read(bank.join("qbank.lock")).unwrap(), lock_before);
}

#[test]
fn rewriting_the_lock_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    write_bank(&bank, &[]);
    let out = tmp.path().join("dist");
    assert_eq!(build(&bank, &out, &["--format", "json"]).0, 0);
    let lock = bank.join("qbank.lock");
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&lock) & 0o044, 0o044, "a new lock is readable by all");
    fs::set_permissions(&lock, fs::Permissions::from_mode(0o640)).unwrap();
    let section = SECTION.replace("The number one.", "The number one, edited.");
    fs::write(bank.join("sections/s1.yaml"), section).unwrap();
    assert_eq!(build(&bank, &out, &["--format", "json"]).0, 0);
    assert!(fs::read_to_string(&lock).unwrap().contains("q-one"));
    assert_eq!(mode(&lock), 0o640);
}

/// The shipped bank, copied: big enough that a debug build takes a while.
fn big_bank(dir: &Path) -> PathBuf {
    let bank = dir.join("content");
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(common::content())
        .arg(&bank)
        .status()
        .unwrap();
    assert!(status.success());
    bank
}

fn spawn_build(bank: &Path, out: &Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("qbank"))
        .env("SOURCE_DATE_EPOCH", "1900000000")
        .args(["build", "--format", "json,print", "--bank"])
        .arg(bank)
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn staging_folders(out: &Path) -> Vec<String> {
    fs::read_dir(out)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.starts_with(".qbank-staging-"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn two_builds_into_one_folder_at_once_both_succeed() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = big_bank(tmp.path());
    let out = tmp.path().join("dist");
    // A first build writes the lock, so the two below change nothing in the bank.
    assert_eq!(spawn_build(&bank, &out).wait().unwrap().code(), Some(0));
    let (a, b) = (spawn_build(&bank, &out), spawn_build(&bank, &out));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let stderr = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    assert!(a.status.success() && b.status.success(), "{stderr}");
    assert!(staging_folders(&out).is_empty());
    let html = fs::read_to_string(out.join("print/python-django-interview.html")).unwrap();
    assert!(html.ends_with("</html>\n"));
}

fn signal(child: &std::process::Child, name: &str) {
    let ok = std::process::Command::new("kill")
        .args(["-s", name, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -s {name}");
}

#[test]
fn an_interrupted_build_removes_its_staging_folder_and_publishes_nothing() {
    for sig in ["INT", "TERM"] {
        let tmp = tempfile::tempdir().unwrap();
        let bank = big_bank(tmp.path());
        let out = tmp.path().join("dist");
        let child = spawn_build(&bank, &out);
        let start = std::time::Instant::now();
        while staging_folders(&out).is_empty() {
            assert!(start.elapsed().as_secs() < 60, "no staging folder appeared");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        signal(&child, sig);
        let output = child.wait_with_output().unwrap();
        if output.status.success() {
            // The build won the race and finished: nothing to check for this signal.
            eprintln!("SIG{sig}: the build finished before the signal arrived");
            continue;
        }
        assert_eq!(output.status.code(), Some(130), "SIG{sig}");
        let left: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "SIG{sig}: {left:?} left in dist/");
        let bank_files: Vec<_> = fs::read_dir(&bank)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with(".qbank.lock."))
            .collect();
        assert!(bank_files.is_empty(), "{bank_files:?}");
    }
}

#[test]
fn a_killed_builds_staging_folder_is_removed_by_the_next_only_if_qbank_made_it() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    write_bank(&bank, &[]);
    let out = tmp.path().join("dist");
    let ours = out.join(".qbank-staging-killed");
    fs::create_dir_all(ours.join("json")).unwrap();
    fs::write(ours.join(".qbank-staging"), "").unwrap();
    fs::write(ours.join("json/half.json"), "{").unwrap();
    let theirs = out.join(".qbank-staging-not-ours");
    fs::create_dir_all(&theirs).unwrap();
    fs::write(theirs.join("keep.txt"), "mine").unwrap();
    assert_eq!(build(&bank, &out, &["--format", "json"]).0, 0);
    assert!(!ours.exists());
    assert_eq!(fs::read_to_string(theirs.join("keep.txt")).unwrap(), "mine");
}
