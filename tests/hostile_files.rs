//! The hostile-input round, files: qbank never deletes or overwrites what it did not create,
//! never writes into the bank, and a build that fails, is interrupted or runs beside another
//! leaves every output complete. Each test runs the real binary in temporary folders.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::mini::{SECTION, build, snapshot, write_bank};

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
