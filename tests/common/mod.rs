//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod mini;
pub mod roundtrip;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn content() -> PathBuf {
    repo().join("content")
}

/// The qbank binary, run from the repository root.
pub fn qbank() -> Command {
    let mut cmd = Command::cargo_bin("qbank").unwrap();
    cmd.current_dir(repo());
    cmd
}

/// `qbank -q build --format FORMATS` of `bank` into `out`, dated `epoch` (SOURCE_DATE_EPOCH:
/// the lock's times and every date in the outputs come from it); the build must succeed.
pub fn build_formats(bank: &Path, out: &Path, formats: &str, epoch: u64) {
    qbank()
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .args(["-q", "build", "--format", formats, "--bank"])
        .arg(bank)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

/// A copy of the shipped bank in a temporary folder, so builds (which may update
/// `qbank.lock`) never touch the repository.
pub fn copy_of_content() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&content(), &dir.path().join("content"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        // qbank's cache of example venvs (`check --run-examples`) is not part of the bank.
        if entry.file_name() == ".qbank" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Creates `.venv` with the pinned real clients (tests/clients/requirements.txt) and returns
/// its Python. Fails loudly when that is impossible: these checks are never skipped.
pub fn client_python() -> PathBuf {
    let status = std::process::Command::new("bash")
        .arg(repo().join("tests/clients/setup.sh"))
        .status()
        .expect("running tests/clients/setup.sh");
    assert!(
        status.success(),
        "tests/clients/setup.sh failed: the real clients (Anki, EPUBCheck) could not be installed"
    );
    repo().join(".venv/bin/python")
}

/// Every entry of a zip (an EPUB, an `.apkg`), by its path, in zip order.
pub fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read as _;
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().into_owned();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

/// The collection inside an `.apkg`, opened with SQLite (the file lives as long as the handle).
pub fn anki_db(apkg: &Path) -> (tempfile::NamedTempFile, rusqlite::Connection) {
    let files = unzip(apkg);
    let collection = &files
        .iter()
        .find(|(n, _)| n == "collection.anki2")
        .expect("an .apkg holds collection.anki2")
        .1;
    let db = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(db.path(), collection).unwrap();
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    (db, conn)
}

/// The fields (`flds`, fields separated by U+001F) of every note in an `.apkg`, read straight
/// from its collection.
pub fn anki_note_fields(apkg: &Path) -> Vec<String> {
    let (_db, conn) = anki_db(apkg);
    let mut stmt = conn.prepare("select flds from notes order by id").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The decks (name, description) and note type names of an `.apkg`.
pub fn anki_names(apkg: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let (_db, conn) = anki_db(apkg);
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

/// Prints an HTML file to PDF with headless Chromium, without touching the network.
pub fn print_pdf(html: &Path) -> PathBuf {
    let pdf = html.with_extension("pdf");
    let profile = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stderr(std::process::Stdio::null())
        .status()
        .expect("chromium (./test.sh installs it)");
    assert!(
        status.success() && pdf.exists(),
        "chromium failed on {}",
        html.display()
    );
    pdf
}
