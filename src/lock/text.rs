//! `qbank.lock` as text: parsing (every version qbank ever wrote) and writing (the newest).
//!
//! Version 2, one entry a line; strings that may hold spaces are JSON strings at the end:
//!
//! ```text
//! version 2
//! release: <time> "<bank version>"
//! <question-id> <hash> <added> <changed> <section-id> "<question text>"
//! @<tracked-key> <hash> <added> <changed>
//! removed: <question-id> <hash> <added> <changed> <section-id|-> "<version>" "<question text>"
//! ```
//!
//! `release:` and `removed:` hold a colon, which no question id or tracked key can, so a
//! question called `removed` never reads as one. Version 1 (what qbank wrote before releases
//! were tracked) has only 4-column lines; it still loads, with no texts, sections or releases.

use std::fmt::Write as _;

use super::{Entry, Lock, LockProblem, Release, Removed, TIME_RANGE, VERSION};

const RELEASE: &str = "release:";
const REMOVED: &str = "removed:";

impl Lock {
    /// Parses a lock; the first problem comes with the byte range of its line.
    pub fn parse(text: &str) -> Result<Lock, LockProblem> {
        let mut lock = Lock::default();
        let mut version = None;
        let mut offset = 0;
        for raw in text.split_inclusive('\n') {
            let span = offset..offset + raw.trim_end().len();
            offset += raw.len();
            let problem = |message: String| LockProblem {
                span: span.clone(),
                message,
            };
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (words, strings) = split_line(line).map_err(problem)?;
            let time = |word: &str| -> Result<i64, LockProblem> {
                word.parse::<i64>()
                    .ok()
                    .filter(|t| TIME_RANGE.contains(t))
                    .ok_or_else(|| {
                        problem(format!(
                            "bad time `{word}`: expected Unix seconds from {} to {} (years 1970–9999)",
                            TIME_RANGE.start(),
                            TIME_RANGE.end()
                        ))
                    })
            };
            let hash = |word: &str| {
                u64::from_str_radix(word, 16).map_err(|_| problem(format!("bad hash `{word}`")))
            };
            let ordered = |id: &str, added: i64, changed: i64| {
                if added > changed {
                    Err(problem(format!(
                        "`{id}` changed ({changed}) before it was added ({added})"
                    )))
                } else {
                    Ok(())
                }
            };
            let v2 = version == Some(2);
            match (words.as_slice(), strings.as_slice()) {
                (["version", v], []) => {
                    match v.parse::<u32>() {
                        Ok(n @ 1..=VERSION) => version = Some(n),
                        _ => return Err(problem(format!("unsupported lock version {v}"))),
                    }
                    continue;
                }
                ([RELEASE, t], [name]) if v2 => {
                    let time = time(t)?;
                    if lock.releases.iter().any(|r| &r.version == name) {
                        return Err(problem(format!("release `{name}` is listed twice")));
                    }
                    lock.releases.push(Release {
                        version: name.clone(),
                        time,
                    });
                }
                ([REMOVED, id, h, added, changed, section], [ver, text]) if v2 => {
                    let (added, changed) = (time(added)?, time(changed)?);
                    ordered(id, added, changed)?;
                    let removed = Removed {
                        hash: hash(h)?,
                        added,
                        changed,
                        section: (*section != "-").then(|| section.to_string()),
                        version: ver.clone(),
                        text: text.clone(),
                    };
                    if lock.removed.insert(id.to_string(), removed).is_some() {
                        return Err(problem(format!("removed `{id}` is listed twice")));
                    }
                }
                ([id, h, added, changed, rest @ ..], texts)
                    if !id.ends_with(':')
                        && matches!((rest.len(), texts.len(), v2), (0, 0, _) | (1, 1, true)) =>
                {
                    let (added, changed) = (time(added)?, time(changed)?);
                    ordered(id, added, changed)?;
                    let entry = Entry {
                        hash: hash(h)?,
                        added,
                        changed,
                        section: rest.first().map(|s| s.to_string()),
                        text: texts.first().cloned(),
                    };
                    if lock.entries.insert((*id).to_string(), entry).is_some() {
                        return Err(problem(format!("`{id}` is listed twice")));
                    }
                }
                _ => {
                    return Err(problem(
                        "expected `<id> <hash> <added> <changed> <section> \"<text>\"`, \
                         `release: <time> \"<version>\"` or `removed: …`"
                            .to_string(),
                    ));
                }
            }
            if version.is_none() {
                return Err(problem("an entry before the `version` line".to_string()));
            }
        }
        Ok(lock)
    }

    pub fn to_text(&self) -> String {
        let mut out = String::from(
            "# qbank.lock — generated by `qbank build`; commit it with the bank.\n\
             # Per question: content hash, first seen, last changed (Unix seconds), section and\n\
             # text. Anki uses the last-changed time to update exactly the notes whose content\n\
             # changed. `release:` lines date each bank version (its latest change); `removed:`\n\
             # lines keep what learners are told about questions that are gone.\n",
        );
        let _ = writeln!(out, "version {VERSION}");
        for r in &self.releases {
            let _ = writeln!(out, "{RELEASE} {} {}", r.time, json(&r.version));
        }
        for (id, e) in &self.entries {
            let _ = write!(out, "{id} {:016x} {} {}", e.hash, e.added, e.changed);
            if let (Some(section), Some(text)) = (&e.section, &e.text) {
                let _ = write!(out, " {section} {}", json(text));
            }
            out.push('\n');
        }
        for (id, r) in &self.removed {
            let _ = writeln!(
                out,
                "{REMOVED} {id} {:016x} {} {} {} {} {}",
                r.hash,
                r.added,
                r.changed,
                r.section.as_deref().unwrap_or("-"),
                json(&r.version),
                json(&r.text)
            );
        }
        out
    }
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// The bare words of a line, then the JSON strings that end it.
fn split_line(line: &str) -> Result<(Vec<&str>, Vec<String>), String> {
    let (head, tail) = line.split_at(line.find('"').unwrap_or(line.len()));
    let words = head.split_whitespace().collect();
    let strings = serde_json::Deserializer::from_str(tail)
        .into_iter::<String>()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("bad quoted text: {e}"))?;
    Ok((words, strings))
}
