//! An interrupted build never leaves a half-written `dist/`.
//!
//! A 3,000-question bank (the shipped bank's questions repeated under new ids across 30
//! sections) is built once; then its content changes and a second build is killed with
//! SIGKILL at several points — early (while loading and rendering), midway, as soon as the
//! first file is staged, as soon as the first format is published. After each kill `dist/`
//! must hold only complete files (every `.apkg` opens as a zip with intact entries, JSON
//! parses, HTML ends with `</html>`), each format folder exactly as the old or the new build
//! wrote it, and nothing visible besides; only hidden `.qbank-staging-*` folders may be left,
//! and the next build removes them.
//!
//! EPUB is left out only to keep the test under a minute in debug builds; it goes through
//! the same staging and publishing as the other formats.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::hash::{DefaultHasher, Hasher};
use std::io::Read as _;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const FORMATS: &str = "json,anki,print";
const FORMAT_DIRS: [&str; 3] = ["json", "anki", "print"];
const QUESTIONS: usize = 3_000;
const SECTIONS: usize = 30;

/// Writes the big bank. `edition` changes the bank title and the first summary of every
/// section, so every output file of the second edition differs from the first's.
fn write_bank(dir: &Path, edition: u32) {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let loaded = qbank::model::load(&content);
    // Every question of the shipped bank, so cross-references (`q:<id>`) of the first copy
    // all resolve; copy k of question `x` is `x-k`.
    let pool: Vec<_> = loaded.bank.questions().map(|(_, q)| q).collect();
    assert!(pool.len() > 100, "the shipped bank loads");
    let sections_dir = dir.join("sections");
    fs::create_dir_all(&sections_dir).unwrap();
    let per_section = QUESTIONS.div_ceil(SECTIONS);
    let mut ids = Vec::new();
    for s in 0..SECTIONS {
        let sid = format!("part-{:02}", s + 1);
        let mut text = format!("id: {sid}\ntitle: Section {}\nquestions:\n", s + 1);
        for i in s * per_section..((s + 1) * per_section).min(QUESTIONS) {
            let q = pool[i % pool.len()];
            let id = match i / pool.len() {
                0 => q.id.clone(),
                k => format!("{}-{k}", q.id),
            };
            let _ = writeln!(text, "  - id: {id}");
            let _ = writeln!(text, "    question: {}", quoted(&q.question));
            if let Some(level) = q.level {
                let _ = writeln!(text, "    level: {}", serde_json::to_value(level).unwrap());
            }
            if !q.tags.is_empty() {
                let _ = writeln!(text, "    tags: [{}]", q.tags.join(", "));
            }
            if let (Some(summary), Some(answer)) = (&q.summary, &q.answer) {
                let summary = if i == s * per_section {
                    format!("{summary} (Edition {edition}.)")
                } else {
                    summary.clone()
                };
                let _ = writeln!(text, "    summary: {}", quoted(&summary));
                let _ = writeln!(text, "    answer: {}", quoted(answer));
            }
        }
        fs::write(sections_dir.join(format!("{sid}.yaml")), text).unwrap();
        ids.push(sid);
    }
    let bank = format!(
        "id: big-bank\ntitle: A big bank, edition {edition}\nlanguage: en\nversion: 1.0.{edition}\n\
         parts:\n  - title: First half\n    sections: [{}]\n  - title: Second half\n    sections: [{}]\n",
        ids[..SECTIONS / 2].join(", "),
        ids[SECTIONS / 2..].join(", ")
    );
    fs::write(dir.join("bank.yaml"), bank).unwrap();
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn start_build(bank: &Path, out: &Path, epoch: u64) -> Child {
    Command::new(env!("CARGO_BIN_EXE_qbank"))
        .args(["-q", "build", "--format", FORMATS, "--bank"])
        .arg(bank)
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting qbank")
}

fn finish(child: Child) {
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Per format folder: relative path → hash of the bytes.
type Snapshot = BTreeMap<String, BTreeMap<PathBuf, u64>>;

/// Checks that `out` holds only complete files, only in format folders (hidden staging
/// folders aside), and returns what it holds.
fn check_complete(out: &Path, when: &str) -> Snapshot {
    let mut snapshot = Snapshot::new();
    for entry in fs::read_dir(out).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(".qbank-staging-") {
            continue;
        }
        assert!(
            FORMAT_DIRS.contains(&name.as_str()) && entry.file_type().unwrap().is_dir(),
            "{when}: unexpected `{name}` in the output folder"
        );
        let mut files = BTreeMap::new();
        walk(&entry.path(), &mut |path| {
            let bytes = fs::read(path).unwrap();
            check_file(path, &bytes, when);
            let mut h = DefaultHasher::new();
            h.write(&bytes);
            let rel = path.strip_prefix(entry.path()).unwrap().to_path_buf();
            files.insert(rel, h.finish());
        });
        snapshot.insert(name, files);
    }
    snapshot
}

fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, f);
        } else {
            f(&path);
        }
    }
}

/// A file is complete when its format says so: zips open and every entry's CRC checks out,
/// JSON parses, HTML reaches `</html>`.
fn check_file(path: &Path, bytes: &[u8], when: &str) {
    let what = format!("{when}: {}", path.display());
    match path.extension().and_then(|e| e.to_str()) {
        Some("apkg") => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
                .unwrap_or_else(|e| panic!("{what} is not a zip: {e}"));
            assert!(!zip.is_empty(), "{what} is an empty zip");
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).unwrap();
                let mut sink = Vec::new();
                entry
                    .read_to_end(&mut sink)
                    .unwrap_or_else(|e| panic!("{what}: entry {i} is damaged: {e}"));
            }
        }
        Some("json") => {
            serde_json::from_slice::<serde_json::Value>(bytes)
                .unwrap_or_else(|e| panic!("{what} is not JSON: {e}"));
        }
        Some("html") => {
            let text = std::str::from_utf8(bytes).unwrap();
            assert!(text.trim_end().ends_with("</html>"), "{what} is cut short");
        }
        // The marker that tells qbank the folder is its own.
        _ if path.file_name().is_some_and(|n| n == ".qbank-output") => {
            assert!(!bytes.is_empty(), "{what}: empty marker");
        }
        _ => panic!("{what}: a file of an unexpected kind"),
    }
}

fn staging_folders(out: &Path) -> Vec<PathBuf> {
    fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".qbank-staging-"))
        })
        .collect()
}

/// When to kill the build.
#[derive(Debug, Clone, Copy)]
enum Trigger {
    After(Duration),
    /// As soon as a file exists in a staging folder that is not the one of an earlier kill.
    FirstStagedFile,
    /// As soon as `json/` is no longer the folder it was: publishing has begun.
    FirstPublished,
}

fn wait_for(trigger: Trigger, out: &Path, child: &mut Child) -> bool {
    let start = Instant::now();
    let stale = staging_folders(out);
    let json_ino = fs::metadata(out.join("json")).map(|m| m.ino()).ok();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let hit = match trigger {
            Trigger::After(d) => start.elapsed() >= d,
            Trigger::FirstStagedFile => staging_folders(out)
                .iter()
                .filter(|d| !stale.contains(d))
                .any(|d| {
                    let mut any = false;
                    walk(d, &mut |_| any = true);
                    any
                }),
            Trigger::FirstPublished => {
                fs::metadata(out.join("json")).map(|m| m.ino()).ok() != json_ino
            }
        };
        if hit {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn killed_builds_leave_complete_outputs_only() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = tmp.path().join("bank");
    let out = tmp.path().join("dist");
    write_bank(&bank, 1);

    let started = Instant::now();
    finish(start_build(&bank, &out, 1_700_000_000));
    let full = started.elapsed();
    let old = check_complete(&out, "first build");
    assert_eq!(
        old.keys().map(String::as_str).collect::<Vec<_>>(),
        ["anki", "json", "print"]
    );
    assert!(
        staging_folders(&out).is_empty(),
        "a finished build leaves no staging folder"
    );

    write_bank(&bank, 2);
    let mut triggers = vec![
        Trigger::After(Duration::from_millis(50)),
        Trigger::After(Duration::from_millis(200)),
        Trigger::After(Duration::from_millis(800)),
        Trigger::After(full.mul_f64(0.6)),
        Trigger::FirstStagedFile,
        Trigger::FirstPublished,
    ];
    let mut states = Vec::new();
    for trigger in triggers.drain(..) {
        let mut child = start_build(&bank, &out, 1_700_100_000);
        let killed = wait_for(trigger, &out, &mut child);
        if killed {
            child.kill().unwrap();
        }
        let _ = child.wait();
        let when = format!("killed {trigger:?}");
        states.push((when.clone(), killed, check_complete(&out, &when)));
    }

    // The next build finishes, and removes what killed builds left behind.
    finish(start_build(&bank, &out, 1_700_100_000));
    let new = check_complete(&out, "the build after the kills");
    assert!(
        staging_folders(&out).is_empty(),
        "staging folders of killed builds survive the next build: {:?}",
        staging_folders(&out)
    );
    for format in FORMAT_DIRS {
        assert_ne!(
            old[format], new[format],
            "{format}: the change shows in the output"
        );
    }

    for (when, killed, state) in &states {
        let mut summary = Vec::new();
        for format in FORMAT_DIRS {
            let now = state
                .get(format)
                .unwrap_or_else(|| panic!("{when}: `{format}/` is gone"));
            let which = if *now == old[format] {
                "old"
            } else if *now == new[format] {
                "new"
            } else {
                panic!("{when}: `{format}/` is neither the old nor the new build's");
            };
            summary.push(format!("{format}={which}"));
        }
        eprintln!(
            "{when}{}: {}",
            if *killed { "" } else { " (finished first)" },
            summary.join(" ")
        );
    }
}
