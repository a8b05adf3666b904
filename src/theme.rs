//! Themes: the CSS of every output and the syntect themes for code, from `themes/<name>/`.
//!
//! A theme folder holds `theme.yaml` (which syntect themes colour code, and optionally which
//! theme it `extends`) and one stylesheet per output: `anki.css`, `epub.css`, `print.css`
//! (shared by the three print documents), `book.css`, `cheatsheet.css`, `quiz.css`. A folder
//! may leave stylesheets out; they come from `default`. With `extends`, the base theme's
//! stylesheets come first and this theme's files add to them, so a theme holds only what it
//! changes. The built-in themes are embedded in the binary, so `cargo install` works without
//! the repository.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use crate::markup::highlight;
use crate::model::yaml;

/// One stylesheet of a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    Anki,
    Epub,
    Print,
    Book,
    Cheatsheet,
    Quiz,
}

impl Sheet {
    pub const ALL: [Sheet; 6] = [
        Sheet::Anki,
        Sheet::Epub,
        Sheet::Print,
        Sheet::Book,
        Sheet::Cheatsheet,
        Sheet::Quiz,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            Sheet::Anki => "anki.css",
            Sheet::Epub => "epub.css",
            Sheet::Print => "print.css",
            Sheet::Book => "book.css",
            Sheet::Cheatsheet => "cheatsheet.css",
            Sheet::Quiz => "quiz.css",
        }
    }
}

/// A built-in theme: its name and files, compiled in.
struct Builtin {
    name: &'static str,
    description: &'static str,
    files: &'static [(&'static str, &'static str)],
}

macro_rules! builtin {
    ($name:literal, $description:literal, [$($file:literal),* $(,)?]) => {
        Builtin {
            name: $name,
            description: $description,
            files: &[$(($file, include_str!(concat!("../themes/", $name, "/", $file)))),*],
        }
    };
}

const BUILTINS: &[Builtin] = &[
    builtin!(
        "default",
        "clean sans-serif, colour code on screen, grayscale-friendly in print",
        [
            "theme.yaml",
            "anki.css",
            "epub.css",
            "print.css",
            "book.css",
            "cheatsheet.css",
            "quiz.css"
        ]
    ),
    builtin!(
        "book",
        "serif book typography, warm paper tones, generous leading",
        ["theme.yaml", "print.css", "anki.css"]
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    description: Option<String>,
    /// A theme whose stylesheets come first; this theme's files add to them.
    #[serde(default)]
    extends: Option<String>,
    highlight: HighlightNames,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HighlightNames {
    light: String,
    dark: String,
}

/// A loaded theme.
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    pub description: String,
    /// syntect CSS for the `hl-` classes, light and dark.
    pub highlight_light: String,
    pub highlight_dark: String,
    sheets: Vec<(Sheet, String)>,
}

impl Theme {
    pub fn css(&self, sheet: Sheet) -> &str {
        self.sheets
            .iter()
            .find(|(s, _)| *s == sheet)
            .map_or("", |(_, css)| css.as_str())
    }

    /// `default`, embedded.
    pub fn default_theme() -> Theme {
        Self::from_builtin(&BUILTINS[0]).expect("the embedded default theme is valid")
    }

    /// A theme by built-in name, by `themes/<name>` in the current folder, or by path.
    pub fn load(spec: &str) -> Result<Theme> {
        let as_path = Path::new(spec);
        if spec.contains('/') || spec.contains('\\') || spec.starts_with('.') {
            return Self::from_dir(as_path);
        }
        if let Some(b) = BUILTINS.iter().find(|b| b.name == spec) {
            return Self::from_builtin(b);
        }
        let local = PathBuf::from("themes").join(spec);
        if local.is_dir() {
            return Self::from_dir(&local);
        }
        bail!(
            "no theme `{spec}`: built-in themes are {}; or give a path to a theme folder",
            BUILTINS
                .iter()
                .map(|b| b.name)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// The built-in themes: (name, description).
    pub fn builtins() -> Vec<(&'static str, &'static str)> {
        BUILTINS.iter().map(|b| (b.name, b.description)).collect()
    }

    fn from_builtin(b: &Builtin) -> Result<Theme> {
        let file = |name: &str| b.files.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
        let meta = file("theme.yaml").context("theme.yaml missing")?;
        let own = Sheet::ALL
            .iter()
            .map(|&sheet| (sheet, file(sheet.file_name()).map(str::to_string)))
            .collect();
        Self::assemble(b.name.to_string(), meta, own, Path::new(b.name))
    }

    fn from_dir(dir: &Path) -> Result<Theme> {
        if !dir.is_dir() {
            bail!("theme folder {} does not exist", dir.display());
        }
        let meta_path = dir.join("theme.yaml");
        let meta = std::fs::read_to_string(&meta_path)
            .with_context(|| format!("reading {}", meta_path.display()))?;
        let mut own = Vec::new();
        for sheet in Sheet::ALL {
            let path = dir.join(sheet.file_name());
            let css = if path.exists() {
                Some(
                    std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {}", path.display()))?,
                )
            } else {
                None
            };
            own.push((sheet, css));
        }
        let name = dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Self::assemble(name, &meta, own, dir)
    }

    /// Puts a theme together: each stylesheet is the base theme's (`extends`, by default
    /// `default`) followed by this theme's own file, if it has one — so a theme holds only
    /// what it changes.
    fn assemble(
        name: String,
        meta: &str,
        own: Vec<(Sheet, Option<String>)>,
        dir: &Path,
    ) -> Result<Theme> {
        let meta_path = dir.join("theme.yaml");
        let value = yaml::parse(meta).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}:{}: {}",
                meta_path.display(),
                e.line,
                e.column,
                e.message
            )
        })?;
        let file: ThemeFile = yaml::typed(&value).map_err(|(path, msg)| {
            anyhow::anyhow!("{}: {msg} (at `{path}`)", meta_path.display())
        })?;
        for (sheet, css) in &own {
            if let Some(css) = css {
                check_css(css).map_err(|(line, msg)| {
                    anyhow::anyhow!("{}:{line}: {msg}", dir.join(sheet.file_name()).display())
                })?;
            }
        }
        let base = match file.extends.as_deref() {
            Some(base) if base == name => {
                bail!("{}: a theme cannot extend itself", meta_path.display())
            }
            Some(base) => Some(
                Self::load(base)
                    .with_context(|| format!("{}: extends `{base}`", meta_path.display()))?,
            ),
            None if name == "default" => None,
            None => Some(Self::default_theme()),
        };
        let sheets = own
            .into_iter()
            .map(|(sheet, css)| {
                let inherited = base.as_ref().map_or("", |b| b.css(sheet));
                let css = match css {
                    Some(own) if inherited.is_empty() => own,
                    Some(own) if file.extends.is_some() => {
                        format!("{inherited}\n/* {name} */\n{own}")
                    }
                    Some(own) => own,
                    None => inherited.to_string(),
                };
                (sheet, css)
            })
            .collect();
        let css_for = |theme_name: &str| {
            highlight::css(theme_name).with_context(|| {
                format!(
                    "{}: unknown syntect theme `{theme_name}`; available: {}",
                    meta_path.display(),
                    highlight::theme_names().join(", ")
                )
            })
        };
        Ok(Theme {
            name,
            description: file.description.unwrap_or_default(),
            highlight_light: css_for(&file.highlight.light)?,
            highlight_dark: css_for(&file.highlight.dark)?,
            sheets,
        })
    }
}

/// A structural check of a stylesheet: comments closed, braces balanced, and nothing that
/// could end the `<style>` element it is inlined into (`</style`, in any case, anywhere —
/// comments and strings included, as the HTML parser does not know about them). Returns the
/// 1-based line and a message for the first problem.
fn check_css(css: &str) -> Result<(), (usize, String)> {
    let lower = css.to_ascii_lowercase();
    if let Some(at) = lower.find("</style").or_else(|| lower.find("<!--")) {
        let line = css[..at].matches('\n').count() + 1;
        return Err((
            line,
            "a stylesheet may not contain `</style` or `<!--`: it would end the inlined \
             <style> element"
                .into(),
        ));
    }
    let mut depth = 0i32;
    let mut line = 1;
    let mut chars = css.chars().peekable();
    let mut in_string: Option<char> = None;
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        if let Some(q) = in_string {
            if c == q {
                in_string = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => in_string = Some(c),
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let start = line;
                let mut closed = false;
                while let Some(c) = chars.next() {
                    if c == '\n' {
                        line += 1;
                    }
                    if c == '*' && chars.peek() == Some(&'/') {
                        chars.next();
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err((start, "comment is never closed".into()));
                }
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return Err((line, "`}` without a matching `{`".into()));
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        return Err((line, format!("{depth} unclosed `{{`")));
    }
    Ok(())
}

/// Prefixes every selector of a stylesheet with `scope`, e.g. `.nightMode` for Anki's dark
/// mode. Good for the flat rule lists syntect writes (no nested at-rules).
pub fn scope_css(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let selectors = &rest[..open];
        // Keep comments before the selector as they are.
        let (comment, selectors) = match selectors.rfind("*/") {
            Some(i) => (&selectors[..i + 2], &selectors[i + 2..]),
            None => ("", selectors),
        };
        out.push_str(comment);
        let scoped: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{scope} {s}"))
            .collect();
        out.push('\n');
        out.push_str(&scoped.join(", "));
        out.push(' ');
        out.push_str(&rest[open..open + close + 1]);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load() {
        for (name, _) in Theme::builtins() {
            let t = Theme::load(name).unwrap();
            for sheet in Sheet::ALL {
                assert!(!t.css(sheet).is_empty(), "{name}: {sheet:?} empty");
            }
            assert!(t.highlight_light.contains(".hl-"));
        }
    }

    #[test]
    fn unknown_theme_is_a_clear_error() {
        let e = Theme::load("no-such-theme").unwrap_err().to_string();
        assert!(e.contains("built-in themes are default, book"), "{e}");
    }

    #[test]
    fn css_check_finds_problems() {
        assert!(check_css("a { b: c; }").is_ok());
        assert_eq!(check_css("a { b: c;\n").unwrap_err().0, 2);
        assert_eq!(check_css("a { }\n}\n").unwrap_err().0, 2);
        assert!(check_css("/* open").is_err());
        assert!(check_css("a { content: \"}\"; }").is_ok());
    }

    #[test]
    fn scoping_prefixes_each_selector() {
        let css = "/* c */\n.hl-a, .hl-b {\n color: #fff;\n}\n.hl-c { x: y; }\n";
        let scoped = scope_css(css, ".nightMode");
        assert!(
            scoped.contains(".nightMode .hl-a, .nightMode .hl-b {"),
            "{scoped}"
        );
        assert!(scoped.contains(".nightMode .hl-c {"), "{scoped}");
        assert!(scoped.contains("/* c */"));
    }
}
