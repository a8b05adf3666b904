//! `json`: the whole rendered model as one JSON document, for other tools and for tests.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use serde::Serialize;

use super::{BuildContext, RenderedBank, Renderer};

pub struct Json;

/// The rendered model plus the theme's stylesheets for the `hl-` token classes.
#[derive(Serialize)]
struct JsonDoc<'a> {
    #[serde(flatten)]
    bank: &'a RenderedBank,
    highlight_css: HighlightCss<'a>,
}

#[derive(Serialize)]
struct HighlightCss<'a> {
    light: &'a str,
    dark: &'a str,
}

impl Renderer for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn render(&self, ctx: &BuildContext, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        let doc = JsonDoc {
            bank: ctx.bank,
            highlight_css: HighlightCss {
                light: &ctx.options.theme.highlight_light,
                dark: &ctx.options.theme.highlight_dark,
            },
        };
        let path = dir.join(format!("{}.json", ctx.bank.meta.id));
        let mut text = serde_json::to_string_pretty(&doc).context("serializing the bank")?;
        text.push('\n');
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        Ok(vec![path])
    }
}
