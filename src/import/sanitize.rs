//! Keeping imported Markdown to what a bank accepts: characters YAML can hold, links only to
//! `http(s)://` and `mailto:`, images only from inside the Markdown file's folder. Nothing
//! outside that folder is ever read: image paths are resolved (symlinks included) and must stay
//! inside, and what is opened to be copied is checked again.

use std::fs::File;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use super::reader::Importer;
use super::text::{Edit, apply};
use crate::markup::{XREF_SCHEME, parser_options};
use crate::model::write::yaml_printable;

impl Importer<'_> {
    /// Links and images made to work inside a bank: reference-style ones become inline (their
    /// definitions stay behind in the Markdown file), links qbank does not allow (relative,
    /// `#anchor`) keep only their text, remote images become links, local images are copied
    /// with the bank when they exist inside the Markdown file's folder, else replaced by their
    /// text.
    pub(super) fn link_edits(&mut self, ev: Range<usize>, edits: &mut Vec<Edit>) {
        for k in ev {
            let (link_type, dest, title, image) = match &self.events[k].0 {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                }) => (*link_type, dest_url.to_string(), title.to_string(), false),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    ..
                }) => (*link_type, dest_url.to_string(), title.to_string(), true),
                _ => continue,
            };
            let web = is_web(&dest);
            if link_type == LinkType::Email || link_type == LinkType::Autolink && web {
                continue;
            }
            let whole = self.events[k].1.clone();
            let end = self.ends[k];
            let inner = (k + 1 < end).then(|| self.span(k + 1, end));
            let line = self.line(whole.start);
            let lower = dest.to_ascii_lowercase();
            let remote_image = image && web && !lower.starts_with("mailto:");
            let local = if image && !remote_image {
                self.media.find(&dest)
            } else {
                Local::Missing
            };
            let keep_as = if remote_image {
                Some("[")
            } else if local == Local::Inside {
                Some("![")
            } else if web && !image {
                Some("[")
            } else if local == Local::Outside {
                self.warnings.push(format!(
                    "line {line}: image `{dest}` kept as plain text (it leads out of the Markdown \
                     file's folder, and nothing outside it is read)"
                ));
                None
            } else {
                self.warnings.push(format!(
                    "line {line}: {} `{dest}` kept as plain text (a bank links only to http(s):// \
                     and mailto: addresses, and shows only images inside its folder)",
                    if image { "image" } else { "link to" }
                ));
                None
            };
            let tail = match keep_as {
                Some(_) => format!("]({})", link_destination(&dest, &title)),
                None => String::new(),
            };
            let opening = keep_as.unwrap_or("").to_string();
            let unchanged =
                keep_as == Some(if image { "![" } else { "[" }) && link_type == LinkType::Inline;
            if unchanged {
                continue;
            }
            match inner {
                Some(inner) => {
                    edits.push(Edit {
                        range: whole.start..inner.start,
                        text: opening,
                    });
                    edits.push(Edit {
                        range: inner.end..whole.end,
                        text: tail,
                    });
                }
                None => edits.push(Edit {
                    range: whole,
                    text: if keep_as.is_some() {
                        format!("{opening}{tail}")
                    } else {
                        String::new()
                    },
                }),
            }
        }
    }
}

/// Whether a link may point there in a bank (qbank's rule).
fn is_web(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// A last pass over generated Markdown: a link or image qbank would reject is reduced to its
/// text. The source pass ([`Importer::link_edits`]) already fixed what it saw; this catches
/// what changed meaning when a lazy continuation line was outdented.
pub(super) fn sanitize(md: &str, media: &Media) -> String {
    sanitize_with(md, media, false)
}

/// [`sanitize`]; with `xrefs`, `q:` links to other questions are kept too (an exported bank
/// carries its ids, so they still lead somewhere).
pub(super) fn sanitize_with(md: &str, media: &Media, xrefs: bool) -> String {
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(md, parser_options())
        .into_offset_iter()
        .collect();
    let mut edits = Vec::new();
    for (k, (event, whole)) in events.iter().enumerate() {
        let ok = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                *link_type == LinkType::Email
                    || is_web(dest_url)
                    || xrefs && dest_url.starts_with(XREF_SCHEME)
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let rel: PathBuf = Path::new(dest_url.as_ref()).components().collect();
                media.contains(&rel)
            }
            _ => continue,
        };
        if ok {
            continue;
        }
        let mut depth = 0usize;
        let end = events[k..]
            .iter()
            .position(|(e, _)| {
                match e {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(events.len(), |n| k + n);
        let inner = &events[k + 1..end];
        match (
            inner.iter().map(|(_, r)| r.start).min(),
            inner.iter().map(|(_, r)| r.end).max(),
        ) {
            (Some(mut start), Some(stop)) => {
                if start > whole.start && md.as_bytes()[start - 1] == b'\\' {
                    start -= 1;
                }
                edits.push(Edit {
                    range: whole.start..start,
                    text: String::new(),
                });
                edits.push(Edit {
                    range: stop..whole.end,
                    text: String::new(),
                });
            }
            _ => edits.push(Edit {
                range: whole.clone(),
                text: String::new(),
            }),
        }
    }
    if edits.is_empty() {
        return md.to_string();
    }
    apply(md, 0..md.len(), edits)
}

/// `dest "title"` for an inline link, `<…>`-wrapped when the URL has spaces or parentheses.
fn link_destination(dest: &str, title: &str) -> String {
    let dest = dest
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace('\n', "%0A");
    let dest = if dest.contains([' ', '(', ')']) || dest.is_empty() {
        format!("<{dest}>")
    } else {
        dest
    };
    if title.is_empty() {
        dest
    } else {
        let title = title
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', " ");
        format!("{dest} \"{title}\"")
    }
}

/// Line endings normalized, and characters YAML cannot carry (controls, BOM) removed.
pub(super) fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || yaml_printable(c))
        .collect()
}

/// Where an image path leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Local {
    /// To a file inside the Markdown file's folder: it is copied with the bank.
    Inside,
    /// Out of the folder (through a symlink): refused.
    Outside,
    /// Nowhere usable: no such file, not a relative path, or no folder to look in.
    Missing,
}

/// The images an import copies into the bank, every one from inside the Markdown file's folder.
#[derive(Debug, Default)]
pub(super) struct Media {
    /// That folder with every symlink resolved; `None` when there is none to read.
    root: Option<PathBuf>,
    /// (path relative to the folder, and to the bank; the file's real path).
    files: Vec<(PathBuf, PathBuf)>,
}

impl Media {
    /// Images may come from inside `folder`; none at all when `None`.
    pub(super) fn in_folder(folder: Option<&Path>) -> Media {
        Media {
            root: folder.and_then(|f| f.canonicalize().ok()),
            files: Vec::new(),
        }
    }

    /// Where `dest` (an image's path in the Markdown) leads; an image inside is recorded, to be
    /// copied into the bank at the same relative path. Symlinks are followed — to a file or a
    /// folder — and the real path must stay inside the folder.
    pub(super) fn find(&mut self, dest: &str) -> Local {
        let Some(root) = &self.root else {
            return Local::Missing;
        };
        let rel = Path::new(dest);
        let relative = !dest.is_empty()
            && !dest.contains("://")
            && rel
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !relative {
            return Local::Missing;
        }
        let Ok(real) = root.join(rel).canonicalize() else {
            return Local::Missing;
        };
        if !real.starts_with(root) {
            return Local::Outside;
        }
        if !real.is_file() {
            return Local::Missing;
        }
        let rel: PathBuf = rel.components().collect();
        if !self.contains(&rel) {
            self.files.push((rel, real));
        }
        Local::Inside
    }

    /// Whether the image at `rel` (relative to the folder) is copied into the bank.
    pub(super) fn contains(&self, rel: &Path) -> bool {
        self.files.iter().any(|(r, _)| r == rel)
    }

    /// The images' paths, relative to the bank.
    pub(super) fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.files.iter().map(|(rel, _)| rel)
    }

    /// Copies the image at `rel` to `to`. What is opened is checked again, so a symlink swapped
    /// in since [`Media::find`] cannot lead the copy out of the folder.
    pub(super) fn copy(&self, rel: &Path, to: &Path) -> Result<()> {
        let (Some(root), Some((_, real))) = (&self.root, self.files.iter().find(|(r, _)| r == rel))
        else {
            bail!(
                "internal error: {} was never found as an image",
                rel.display()
            );
        };
        let mut from = File::open(real).with_context(|| format!("reading {}", real.display()))?;
        let opened = opened_path(&from).or_else(|| real.canonicalize().ok());
        if !opened.is_some_and(|p| p.starts_with(root)) || !from.metadata()?.is_file() {
            bail!(
                "{} no longer leads to a file inside {}; nothing outside it is read",
                real.display(),
                root.display()
            );
        }
        let mut file = File::create(to).with_context(|| format!("writing {}", to.display()))?;
        std::io::copy(&mut from, &mut file)
            .with_context(|| format!("copying {} to {}", real.display(), to.display()))?;
        Ok(())
    }
}

/// The real path of an open file, where the system tells it.
#[cfg(target_os = "linux")]
fn opened_path(file: &File) -> Option<PathBuf> {
    use std::os::fd::AsRawFd as _;
    std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())).ok()
}

#[cfg(not(target_os = "linux"))]
fn opened_path(_: &File) -> Option<PathBuf> {
    None
}
