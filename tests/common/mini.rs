//! A small valid bank and the runs the hostile-input tests make of the real binary.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub const SECTION: &str = "\
id: s1
title: Section One
questions:
  - id: q-one
    question: What is one?
    summary: One.
    answer: |
      The number one.
";

pub const BANK: &str = "\
id: mini
title: Mini bank
language: en
version: 1.0.0
parts:
  - title: Only part
    sections: [s1]
";

/// A small valid bank at `dir`, with `files` written over the base ones.
pub fn write_bank(dir: &Path, files: &[(&str, &str)]) {
    let base = [("bank.yaml", BANK), ("sections/s1.yaml", SECTION)];
    for (name, text) in base.iter().chain(files) {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

pub fn qbank() -> Command {
    let mut cmd = Command::cargo_bin("qbank").unwrap();
    cmd.env("SOURCE_DATE_EPOCH", "1900000000")
        .args(["--color", "never"]);
    cmd
}

/// `qbank build --bank BANK --out OUT [args]`: exit code and stderr.
pub fn build(bank: &Path, out: &Path, args: &[&str]) -> (i32, String) {
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
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
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
