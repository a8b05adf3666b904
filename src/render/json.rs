//! `json`: the whole rendered model as one JSON document, for other tools and for tests.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{BuildContext, Renderer};

pub struct Json;

impl Renderer for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn render(&self, ctx: &BuildContext, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        let bank = ctx.bank;
        let path = dir.join(format!("{}.json", bank.meta.id));
        let mut text = serde_json::to_string_pretty(bank).context("serializing the bank")?;
        text.push('\n');
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        Ok(vec![path])
    }
}
