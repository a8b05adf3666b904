//! qbank compiles a YAML question bank into study material: Anki decks, an EPUB, printable
//! HTML and JSON, all from one rendered model.
//!
//! The pipeline, one room per stage:
//!
//! ```text
//! content (YAML) ──model::load──▶ Bank ──render::render_bank──▶ RenderedBank ──▶ renderers
//!                 (validate, every problem at once)   (Markdown → XHTML, syntect classes)
//! ```

pub mod authoring;
pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod examples;
pub mod export;
pub mod i18n;
pub mod import;
pub mod interrupt;
pub mod lock;
pub mod markup;
pub mod model;
pub mod output;
pub mod progress;
pub mod render;
pub mod stats;
pub mod synth;
pub mod theme;
pub mod watch;

use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use diagnostics::Diagnostic;
use model::{Bank, SourceMap};
use render::{BuildContext, BuildOptions, Format, RenderedBank};

/// A bank loaded, validated and rendered, with its lock and every problem found on the way.
pub struct Project {
    pub bank: Bank,
    pub map: SourceMap,
    pub rendered: RenderedBank,
    /// `qbank.lock` as read (empty when missing or broken; a broken one is a diagnostic).
    pub lock: lock::Lock,
    pub diagnostics: Vec<Diagnostic>,
}

impl Project {
    /// Loads and renders the bank in `dir`. Never fails: problems are in `diagnostics`.
    pub fn open(dir: &Path) -> Project {
        Self::open_with(dir, &progress::Progress::hidden())
    }

    /// [`Project::open`], reporting rendering progress.
    pub fn open_with(dir: &Path, progress: &progress::Progress) -> Project {
        let mut loaded = progress.time("load and validate YAML", || model::load(dir));
        progress.stage("rendering", loaded.bank.questions().count() as u64);
        let (rendered, render_diagnostics) = progress.time("render Markdown and code", || {
            render::render_bank(&loaded.bank, &loaded.map, progress)
        });
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(render_diagnostics);
        let (lock, lock_problem) = progress.time("read qbank.lock", || {
            lock::Lock::load(&loaded.bank.root, &mut loaded.map.sources)
        });
        diagnostics.extend(lock_problem);
        sort_diagnostics(&mut diagnostics);
        Project {
            bank: loaded.bank,
            map: loaded.map,
            rendered,
            lock,
            diagnostics,
        }
    }

    /// What each version changed, as the next build would record it in `qbank.lock` (the
    /// lock on disk is not written).
    pub fn history(&self) -> Result<render::release::History> {
        let (next, _) = self.lock.updated(&self.rendered, &[], lock::now()?);
        Ok(next.history(&self.rendered))
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Writes the selected formats under `out`, atomically: on any failure nothing in `out`
    /// (nor `qbank.lock`) changes. Updates `qbank.lock` in the bank folder when content
    /// changed, unless `locked`, where an out-of-date lock is an error (CI).
    ///
    /// Everything that can fail is done before the first output is published: the formats
    /// are written into a staging folder and the new lock into a temporary file beside the
    /// old one; then both are swapped into place, with interrupts held back.
    pub fn build(
        &self,
        out: &Path,
        formats: &[Format],
        options: &BuildOptions,
        locked: bool,
        progress: &progress::Progress,
    ) -> Result<BuildReport> {
        anyhow::ensure!(
            self.error_count() == 0,
            "the bank has errors; nothing was built"
        );
        let root = &self.bank.root;
        let now = lock::now()?;
        let old = &self.lock;
        let old_times = old.change_times();
        let probe = BuildContext::new(&self.rendered, root, options, &old_times, now, progress);
        // Tracked extras come from every format, built or not, so the lock does not depend
        // on which formats a build selected.
        let extras: Vec<(String, u64)> = Format::all()
            .into_iter()
            .flat_map(|f| f.renderer().lock_keys(&probe))
            .collect();
        let (new, changes) = progress.time("hash content for qbank.lock", || {
            old.updated(&self.rendered, &extras, now)
        });
        let lock_written = new != *old;
        if locked && lock_written {
            anyhow::bail!(
                "{} is out of date ({} added, {} changed, {} removed); run `qbank build` and commit it",
                lock::Lock::path(root).display(),
                changes.added.len(),
                changes.changed.len(),
                changes.removed.len()
            );
        }
        let renderers: Vec<_> = formats.iter().map(|f| f.renderer()).collect();
        let names: Vec<&str> = renderers.iter().map(|r| r.name()).collect();
        let staging = output::Staging::new(out, root, &names)?;
        let times = new.change_times();
        let history = new.history(&self.rendered);
        let ctx = BuildContext::new(&self.rendered, root, options, &times, now, progress)
            .with_history(&history);
        progress.stage("writing", output_count(&ctx, formats));
        // Formats are independent: render them concurrently, each into its own folder.
        let outputs: Vec<Result<Vec<PathBuf>>> = renderers
            .par_iter()
            .map(|renderer| {
                let dir = staging.folder(renderer.name())?;
                progress.time(format!("write {}", renderer.name()), || {
                    renderer.render(&ctx, &dir)
                })
            })
            .collect();
        let mut files = Vec::new();
        for result in outputs {
            files.extend(result?.iter().map(|p| staging.final_path(p)));
        }
        staging.seal(&names)?;
        let staged_lock = if lock_written {
            Some(progress.time("write qbank.lock", || new.stage(root))?)
        } else {
            None
        };
        interrupt::critical(|| {
            progress.time("publish", || staging.publish(&names))?;
            staged_lock.map_or(Ok(()), lock::StagedLock::persist)
        })?;
        progress.finish();
        Ok(BuildReport {
            files,
            changes,
            lock_written,
        })
    }
}

/// Roughly how many files a build writes, for the progress bar.
fn output_count(ctx: &BuildContext, formats: &[Format]) -> u64 {
    formats.iter().map(|f| f.renderer().file_count(ctx)).sum()
}

/// What a build wrote and what changed since the last one.
pub struct BuildReport {
    pub files: Vec<PathBuf>,
    pub changes: lock::Changes,
    pub lock_written: bool,
}

/// Orders diagnostics by file and position, so output follows the files top to bottom.
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| {
        d.place
            .as_ref()
            .map_or((0, 0, 0), |p| (1, p.file, p.span.start))
    });
}
