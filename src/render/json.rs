//! `json`: the whole rendered model as one JSON document, for other tools and for tests.

use std::fs::File;
use std::io::{BufWriter, Write as _};
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

    fn description(&self) -> &'static str {
        "the whole rendered model as JSON: json/<bank-id>.json"
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
        // Streamed: the document is as large as the whole bank rendered.
        let write = || -> std::io::Result<()> {
            let mut out = BufWriter::with_capacity(1 << 20, File::create(&path)?);
            serde_json::to_writer_pretty(&mut out, &doc)?;
            out.write_all(b"\n")?;
            out.flush()
        };
        write().with_context(|| format!("writing {}", path.display()))?;
        Ok(vec![path])
    }
}
