//! `epub`: an EPUB 3 ebook (with an NCX for older readers), one chapter per section.

use std::path::{Path, PathBuf};

use super::{BuildContext, Renderer};

pub struct Epub;

impl Renderer for Epub {
    fn name(&self) -> &'static str {
        "epub"
    }

    fn render(&self, _ctx: &BuildContext, _dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        anyhow::bail!("the epub renderer is not written yet")
    }
}
