//! Blocks that are checked, not run, each by a real parser: YAML by `serde_norway` (every
//! document of a block), JSON by `serde_json`, TOML by Python's `tomllib` (one process for all
//! blocks) and Bash by `bash -n`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, Result};

use super::process::{self, Failure, Limits};

/// Parses every YAML document in `text`; the error names the line.
pub fn yaml(text: &str) -> Option<Failure> {
    for document in serde_norway::Deserializer::from_str(text) {
        if let Err(e) = <serde::de::IgnoredAny as serde::Deserialize>::deserialize(document) {
            return Some(Failure::new(
                format!("yaml block does not parse: {e}"),
                "YAML blocks are parsed (every `---` document); write `text` for a fragment",
            ));
        }
    }
    None
}

pub fn json(text: &str) -> Option<Failure> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .err()
        .map(|e| {
            Failure::new(
                format!("json block does not parse: {e}"),
                "JSON blocks are parsed as one JSON value (no comments, no trailing commas); write `text` for a fragment",
            )
        })
}

/// Parses TOML blocks with Python's `tomllib`; returns (index, failure) per broken one.
pub fn toml_all(python: &Path, sources: &[&str], limits: Limits) -> Result<Vec<(usize, Failure)>> {
    const SCRIPT: &str = r#"
import json, sys, tomllib
for i, src in enumerate(json.load(sys.stdin)):
    try:
        tomllib.loads(src)
    except tomllib.TOMLDecodeError as e:
        print(json.dumps([i, str(e)]), flush=True)
"#;
    Ok(super::python::batch(python, SCRIPT, sources, limits)?
        .into_iter()
        .map(|(i, message)| {
            (
                i,
                Failure::new(
                    format!("toml block does not parse: {message}"),
                    "TOML blocks are parsed by Python's tomllib; write `text` for a fragment",
                ),
            )
        })
        .collect())
}

/// `bash -n`: Bash parses the block without running anything.
pub fn shell(bash: &Path, text: &str, limits: Limits) -> Result<Option<Failure>> {
    let mut cmd = Command::new(bash);
    cmd.args(["--norc", "--noprofile", "-n"]);
    let done = process::run(&mut cmd, Some(text.as_bytes().to_vec()), limits)
        .with_context(|| format!("running {} -n", bash.display()))?;
    Ok(done.failure("bash -n").map(|f| {
        Failure::new(
            "bash block does not parse (bash -n)",
            format!("{}\nbash and sh blocks are parsed by `bash -n`; write `console` or `text` for a session with prompts", f.help),
        )
    }))
}

/// Finds `bash`, or says how to install it.
pub fn find_bash() -> Result<std::path::PathBuf> {
    process::require_program(
        "bash",
        "bash and sh blocks are checked with `bash -n`",
        "apt-get install bash",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn parsers_accept_good_blocks_and_name_the_problem_in_bad_ones() {
        assert_eq!(yaml("a: 1\n---\nb: [1, 2]\n"), None);
        assert!(yaml("a: [1, 2\n").unwrap().message.contains("line"));
        assert_eq!(json("{\"a\": [1, 2]}\n"), None);
        assert!(json("{\"a\": 1,}\n").is_some());
        let limits = Limits::new(Duration::from_secs(20));
        let bash = find_bash().unwrap();
        assert_eq!(
            shell(&bash, "for f in *.txt; do echo \"$f\"; done\n", limits).unwrap(),
            None
        );
        let broken = shell(&bash, "if true; then echo\n", limits)
            .unwrap()
            .unwrap();
        assert!(broken.help.contains("syntax error"), "{broken:?}");
    }

    #[test]
    fn toml_is_parsed_by_tomllib() {
        let python = super::super::python::resolve(Path::new("python3"));
        if !super::super::python::has_tomllib(&python) {
            return; // Python < 3.11: `check` reports these blocks as skipped
        }
        let limits = Limits::new(Duration::from_secs(20));
        let found = toml_all(&python, &["[a]\nb = 1\n", "[a\n"], limits).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 1);
    }
}
