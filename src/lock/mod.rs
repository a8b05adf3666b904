//! `qbank.lock`: per-question content hashes and change times, committed with the bank.
//!
//! Anki updates an existing note on import only when the incoming note's modification time is
//! newer than its own. A build therefore needs, for every question, a time that advances
//! exactly when that question's rendered content changes, and that is the same on every
//! machine building the same commit. The lock file records it, like `Cargo.lock` records
//! versions: `qbank build` updates it, `qbank build --locked` (CI) refuses to.
//!
//! It also remembers what learners must be told across releases: each bank version and the
//! time of its latest change, and the questions removed (see [`Removed`]), so that every
//! later build can retire their Anki notes and say what changed ([`Lock::history`]).
//!
//! The text format, one entry a line, is in [`text`]. `added` and `changed` are Unix seconds:
//! when the question first appeared, and when its content last changed.

use std::collections::BTreeMap;
use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostics::{Diagnostic, Place, Sources};
use crate::interrupt::Cleanup;
use crate::render::release::{self, History};
use crate::render::{ChangeTimes, RenderedBank, RenderedQuestion, Times};

mod text;

pub const FILE_NAME: &str = "qbank.lock";
/// The version [`Lock::to_text`] writes; [`Lock::parse`] reads every version up to it.
const VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub hash: u64,
    /// Unix seconds when the question first appeared.
    pub added: i64,
    /// Unix seconds when its content last changed.
    pub changed: i64,
    /// The section it is in, and its question as plain text: what the lock still knows
    /// once it is removed. `None` for tracked keys, and in locks from before version 2.
    pub section: Option<String>,
    pub text: Option<String>,
}

/// A question removed from the bank: kept so that every later build can tell the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Of what its retirement note says (version, text, reason): a new reason re-stamps it.
    pub hash: u64,
    pub added: i64,
    /// Its retirement note's change time (after its last change as a question).
    pub changed: i64,
    pub section: Option<String>,
    /// The bank version whose build first found it gone.
    pub version: String,
    /// Its last question text (its id when an old lock did not keep the text).
    pub text: String,
}

/// A version of the bank and the time of its latest change: a change stamped at time `t`
/// belongs to the first release whose time is at or after `t`. (A build whose clock is
/// earlier than the lock's latest time may file a new question under the version before.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub version: String,
    pub time: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lock {
    pub entries: BTreeMap<String, Entry>,
    pub removed: BTreeMap<String, Removed>,
    /// In the order they were first built (and so of their times).
    pub releases: Vec<Release>,
}

/// What an update found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    /// In the lock but gone from the bank: Anki never deletes notes on import, so the
    /// learner has to be told.
    pub removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// The hash of what a removed question's retirement note says.
fn removal_hash(version: &str, text: &str, reason: Option<&crate::markup::Fragment>) -> u64 {
    let mut h = Sha256::new();
    for part in [version, text, reason.map_or("", |r| r.html.as_str())] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    u64::from_be_bytes(h.finalize()[..8].try_into().expect("8 bytes"))
}

/// The content hash of a question: everything a reader of any output sees of it.
pub fn content_hash(q: &RenderedQuestion, section_title: &str) -> u64 {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(&q.question.html);
    field(q.summary.as_ref().map_or("", |f| f.html.as_str()));
    field(q.answer.as_ref().map_or("", |f| f.html.as_str()));
    field(section_title);
    field(&q.tags.join(" "));
    field(q.level.map_or("", |l| match l {
        crate::model::Level::Junior => "junior",
        crate::model::Level::Mid => "mid",
        crate::model::Level::Senior => "senior",
    }));
    let digest = h.finalize();
    u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

impl Lock {
    pub fn path(bank_root: &Path) -> PathBuf {
        bank_root.join(FILE_NAME)
    }

    /// Reads the lock; a missing file is an empty lock. A lock that cannot be read or parsed
    /// is a diagnostic at its line (the file is added to `sources` then).
    pub fn load(bank_root: &Path, sources: &mut Sources) -> (Lock, Option<Diagnostic>) {
        let path = Self::path(bank_root);
        let text = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Lock::default(), None),
            Err(e) => {
                let d = Diagnostic::error(format!("cannot read {}: {e}", path.display()));
                return (Lock::default(), Some(d));
            }
        };
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(_) => {
                let d = Diagnostic::error(format!("{} is not UTF-8", path.display()))
                    .help("delete it and run `qbank build` to write it again");
                return (Lock::default(), Some(d));
            }
        };
        match Self::parse(&text) {
            Ok(lock) => (lock, None),
            Err(problem) => {
                let file = sources.add(&path, text);
                let d = Diagnostic::error(format!("{}: {}", FILE_NAME, problem.message))
                    .at(Place {
                        file,
                        span: problem.span,
                    })
                    .help(
                        "qbank.lock is written by `qbank build`: restore it from version control, \
                         or delete it (every note then gets a new change time)",
                    );
                (Lock::default(), Some(d))
            }
        }
    }

    /// Each key's change time, as the renderers read it.
    pub fn change_times(&self) -> ChangeTimes {
        self.entries
            .iter()
            .map(|(k, e)| {
                let times = Times {
                    added: e.added,
                    changed: e.changed,
                };
                (k.clone(), times)
            })
            .collect()
    }

    /// The lock that matches `bank`, stamping new or changed questions with `now` (never
    /// earlier than one second after their previous change, so times always advance).
    /// `extras` are other tracked things (key, hash), such as the Anki notetype. Questions
    /// gone from the bank become [`Removed`] entries, dated and versioned by this build;
    /// the bank's version gets a [`Release`] dated by its latest change.
    pub fn updated(
        &self,
        bank: &RenderedBank,
        extras: &[(String, u64)],
        now: i64,
    ) -> (Lock, Changes) {
        let mut next = Lock::default();
        let mut changes = Changes::default();
        let stamp = |after: i64| now.max(after + 1);
        // Hashing reads every rendered answer: in parallel, in bank order.
        let questions: Vec<(&RenderedQuestion, &str, &str)> = bank
            .sections()
            .flat_map(|s| {
                s.questions
                    .iter()
                    .map(move |q| (q, s.title.as_str(), s.id.as_str()))
            })
            .collect();
        let questions: Vec<(String, u64, Option<String>, Option<String>)> = questions
            .par_iter()
            .map(|(q, title, section)| {
                let text = crate::markup::plain_text(&q.question.html);
                let hash = content_hash(q, title);
                (q.id.clone(), hash, Some(section.to_string()), Some(text))
            })
            .collect();
        let extras = extras.iter().map(|(k, h)| (k.clone(), *h, None, None));
        for (key, hash, section, text) in questions.into_iter().chain(extras) {
            let (added, changed) = match (self.entries.get(&key), self.removed.get(&key)) {
                (Some(old), _) if old.hash == hash => (old.added, old.changed),
                (Some(old), _) => {
                    changes.changed.push(key.clone());
                    (old.added, stamp(old.changed))
                }
                // Back after a removal: its note (same id) must outdate the retirement note.
                (None, Some(gone)) => {
                    changes.added.push(key.clone());
                    (gone.added, stamp(gone.changed))
                }
                (None, None) => {
                    changes.added.push(key.clone());
                    (now, stamp(now - 1))
                }
            };
            let entry = Entry {
                hash,
                added,
                changed,
                section,
                text,
            };
            next.entries.insert(key, entry);
        }
        let version = &bank.meta.version;
        for (id, old) in &self.entries {
            if next.entries.contains_key(id) {
                continue;
            }
            changes.removed.push(id.clone());
            if id.starts_with('@') {
                continue;
            }
            let text = old.text.clone().unwrap_or_else(|| id.clone());
            let removed = Removed {
                hash: removal_hash(version, &text, bank.removed_reasons.get(id)),
                added: old.added,
                changed: stamp(old.changed),
                section: old.section.clone(),
                version: version.clone(),
                text,
            };
            next.removed.insert(id.clone(), removed);
        }
        for (id, gone) in &self.removed {
            if next.entries.contains_key(id) {
                continue;
            }
            let mut gone = gone.clone();
            let hash = removal_hash(&gone.version, &gone.text, bank.removed_reasons.get(id));
            if hash != gone.hash {
                gone.hash = hash;
                gone.changed = stamp(gone.changed);
            }
            next.removed.insert(id.clone(), gone);
        }
        // The version being built is dated by the latest time in the lock: every change made
        // so far belongs to it or to an earlier version. A version seen for the first time is
        // dated no earlier than this build, even when no question changed: its number and
        // changelog are news too, and the outputs dated by it (the EPUB's modified date, the
        // Anki decks' descriptions) must move.
        let latest = (next.entries.values().map(|e| e.changed))
            .chain(next.removed.values().map(|r| r.changed))
            .max()
            .unwrap_or(now);
        next.releases = self.releases.clone();
        match next.releases.iter_mut().find(|r| &r.version == version) {
            Some(release) => release.time = release.time.max(latest),
            None => next.releases.push(Release {
                version: version.clone(),
                time: latest.max(now),
            }),
        }
        (next, changes)
    }

    /// What each version changed, as the outputs tell learners (see [`History`]).
    pub fn history(&self, bank: &RenderedBank) -> History {
        let mut order: Vec<&Release> = self.releases.iter().collect();
        order.sort_by_key(|r| r.time);
        let version_of = |t: i64| {
            order
                .iter()
                .position(|r| r.time >= t)
                .unwrap_or(order.len().saturating_sub(1))
        };
        let mut releases: Vec<release::Release> = order
            .iter()
            .enumerate()
            .map(|(i, r)| release::Release {
                version: r.version.clone(),
                time: r.time,
                first: i == 0,
                ..Default::default()
            })
            .collect();
        if releases.is_empty() {
            return History::default();
        }
        for q in bank.questions() {
            let Some(e) = self.entries.get(&q.id) else {
                continue;
            };
            let (added, changed) = (version_of(e.added), version_of(e.changed));
            releases[added].added.push(q.id.clone());
            if changed != added {
                releases[changed].changed.push(q.id.clone());
            }
        }
        releases[0].questions = releases[0].added.len()
            + (self.removed.values())
                .filter(|g| version_of(g.added) == 0 && g.version != releases[0].version)
                .count();
        let mut retired = Vec::new();
        for (id, gone) in &self.removed {
            if let Some(r) = releases.iter_mut().find(|r| r.version == gone.version) {
                r.removed.push((id.clone(), gone.text.clone()));
            }
            retired.push(release::Retired {
                id: id.clone(),
                added: gone.added,
                changed: gone.changed,
                version: gone.version.clone(),
                section: gone.section.clone(),
                text: gone.text.clone(),
            });
        }
        History { releases, retired }
    }

    /// Writes the lock atomically (temporary file, then rename).
    pub fn write(&self, bank_root: &Path) -> Result<()> {
        self.stage(bank_root)?.persist()
    }

    /// Writes the lock to a temporary file beside `qbank.lock`, with the old file's mode:
    /// everything about writing it that can fail, done before any output is published.
    /// [`StagedLock::persist`] then renames it into place; an interrupt removes it.
    pub fn stage(&self, bank_root: &Path) -> Result<StagedLock> {
        let path = Self::path(bank_root);
        let context = || format!("writing {}", path.display());
        let mut builder = tempfile::Builder::new();
        // A recognisable name, so a build killed mid-write leaves nothing mysterious behind.
        builder.prefix(".qbank.lock.");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            // Less the umask, as for any new file (tempfile's own default is 0600).
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let _ = crate::interrupt::install();
        let (mut tmp, cleanup) = crate::interrupt::critical(|| -> Result<_> {
            let tmp = builder.tempfile_in(bank_root).with_context(context)?;
            let cleanup = Cleanup::register(tmp.path());
            Ok((tmp, cleanup))
        })?;
        std::io::Write::write_all(&mut tmp, self.to_text().as_bytes()).with_context(context)?;
        tmp.as_file().sync_all().with_context(context)?;
        if let Ok(old) = std::fs::metadata(&path) {
            std::fs::set_permissions(tmp.path(), old.permissions()).with_context(context)?;
        }
        Ok(StagedLock {
            tmp,
            path,
            _cleanup: cleanup,
        })
    }
}

/// A lock written beside `qbank.lock`, waiting to replace it.
pub struct StagedLock {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    _cleanup: Cleanup,
}

impl StagedLock {
    pub fn persist(self) -> Result<()> {
        self.tmp
            .persist(&self.path)
            .with_context(|| format!("writing {}", self.path.display()))?;
        Ok(())
    }
}

/// A problem in `qbank.lock`: the byte range of its line and what is wrong.
#[derive(Debug, PartialEq, Eq)]
pub struct LockProblem {
    pub span: Range<usize>,
    pub message: String,
}

/// The times a lock (and `SOURCE_DATE_EPOCH`) may hold: 1970 to the end of year 9999, so
/// note ids (milliseconds) never overflow and every output can write the date.
pub const TIME_RANGE: RangeInclusive<i64> = 0..=253_402_300_799;

/// "Now" for a build: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock.
/// A `SOURCE_DATE_EPOCH` that is not a time in [`TIME_RANGE`] is an error, not ignored.
pub fn now() -> Result<i64> {
    if let Ok(value) = std::env::var("SOURCE_DATE_EPOCH") {
        return value
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|t| TIME_RANGE.contains(t))
            .with_context(|| {
                format!(
                    "SOURCE_DATE_EPOCH={value:?} is not Unix seconds from {} to {}",
                    TIME_RANGE.start(),
                    TIME_RANGE.end()
                )
            });
    }
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut lock = Lock::default();
        let entry = |section: Option<&str>, text: Option<&str>| Entry {
            hash: 0xdead_beef,
            added: 10,
            changed: 20,
            section: section.map(str::to_string),
            text: text.map(str::to_string),
        };
        lock.entries
            .insert("a-b".into(), entry(Some("s"), Some("Why \"x\"?")));
        lock.entries.insert("@key".into(), entry(None, None));
        lock.entries.insert(
            "removed".into(),
            entry(Some("s"), Some("A question called removed")),
        );
        lock.removed.insert(
            "gone".into(),
            Removed {
                hash: 1,
                added: 5,
                changed: 30,
                section: None,
                version: "1.0 beta".into(),
                text: "What was it?".into(),
            },
        );
        lock.releases.push(Release {
            version: "1.0 beta".into(),
            time: 30,
        });
        let text = lock.to_text();
        assert!(
            text.contains("a-b 00000000deadbeef 10 20 s \"Why \\\"x\\\"?\""),
            "{text}"
        );
        assert!(
            text.contains("removed: gone 0000000000000001 5 30 - \"1.0 beta\" \"What was it?\""),
            "{text}"
        );
        assert_eq!(Lock::parse(&text).unwrap(), lock);
    }

    #[test]
    fn reads_version_1() {
        let lock = Lock::parse("# old\nversion 1\na 00000000000000ff 10 20\n").unwrap();
        let a = &lock.entries["a"];
        assert_eq!((a.hash, a.added, a.changed, &a.text), (0xff, 10, 20, &None));
        assert!(lock.releases.is_empty() && lock.removed.is_empty());
        // Version 2 lines are not version 1.
        assert!(Lock::parse("version 1\na 00 10 20 s \"t\"\n").is_err());
        assert!(Lock::parse("version 1\nrelease: 10 \"1\"\n").is_err());
    }

    #[test]
    fn rejects_garbage() {
        assert!(Lock::parse("version 1\nonly-two words\n").is_err());
        assert!(Lock::parse("version 9\n").is_err());
    }

    #[test]
    fn rejects_times_out_of_range_at_their_line() {
        let text = "# c\nversion 1\na 00 10 20\nb 00 10 9223372036854775807\n";
        let problem = Lock::parse(text).unwrap_err();
        assert_eq!(&text[problem.span.clone()], "b 00 10 9223372036854775807");
        assert!(problem.message.contains("bad time"), "{}", problem.message);
        for bad in ["x 00 -1 5", "x 00 5 4", "x 00 1 253402300800"] {
            assert!(
                Lock::parse(&format!("version 1\n{bad}\n")).is_err(),
                "{bad}"
            );
        }
        assert!(Lock::parse("version 1\nx 00 0 253402300799\n").is_ok());
    }
}
