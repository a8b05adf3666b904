//! qbank compiles a YAML question bank into study material: Anki decks, an EPUB, printable
//! HTML and JSON, all from one rendered model.
//!
//! The pipeline, one room per stage:
//!
//! ```text
//! content (YAML) ──model::load──▶ Bank ──render::render_bank──▶ RenderedBank ──▶ renderers
//!                 (validate, every problem at once)   (Markdown → XHTML, syntect classes)
//! ```

pub mod cli;
pub mod commands;
pub mod diagnostics;
pub mod examples;
pub mod markup;
pub mod model;
pub mod output;
pub mod render;
pub mod stats;

use std::path::{Path, PathBuf};

use anyhow::Result;

use diagnostics::Diagnostic;
use model::{Bank, SourceMap};
use render::{Format, RenderedBank};

/// A bank loaded, validated and rendered, with every problem found on the way.
pub struct Project {
    pub bank: Bank,
    pub map: SourceMap,
    pub rendered: RenderedBank,
    pub diagnostics: Vec<Diagnostic>,
}

impl Project {
    /// Loads and renders the bank in `dir`. Never fails: problems are in `diagnostics`.
    pub fn open(dir: &Path) -> Project {
        let loaded = model::load(dir);
        let (rendered, render_diagnostics) = render::render_bank(&loaded.bank, &loaded.map);
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(render_diagnostics);
        sort_diagnostics(&mut diagnostics);
        Project {
            bank: loaded.bank,
            map: loaded.map,
            rendered,
            diagnostics,
        }
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Writes the selected formats under `out`, atomically: on any failure nothing in `out`
    /// changes. Returns the files written (their final paths).
    pub fn build(&self, out: &Path, formats: &[Format]) -> Result<Vec<PathBuf>> {
        anyhow::ensure!(
            self.error_count() == 0,
            "the bank has errors; nothing was built"
        );
        let staging = output::Staging::new(out)?;
        let mut written = Vec::new();
        let mut names = Vec::new();
        for format in formats {
            let renderer = format.renderer();
            let dir = staging.folder(renderer.name())?;
            for path in renderer.render(&self.rendered, &dir)? {
                written.push(staging.final_path(&path));
            }
            names.push(renderer.name());
        }
        staging.publish(&names)?;
        Ok(written)
    }
}

/// Orders diagnostics by file and position, so output follows the files top to bottom.
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| {
        d.place
            .as_ref()
            .map_or((0, 0, 0), |p| (1, p.file, p.span.start))
    });
}
