//! Where the loader reads files from, and where everything it read came from: the
//! [`SourceMap`] that turns an [`Origin`] into a printable `file:line:col`.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::Origin;
use super::yaml::PositionIndex;
use crate::diagnostics::{FileId, Place, Sources};

/// Source texts plus node positions: turns an [`Origin`] into a printable [`Place`].
#[derive(Default)]
pub struct SourceMap {
    pub sources: Sources,
    /// For each file that parsed: its node positions, indexed the first time a diagnostic
    /// needs them (most files never have one).
    pub(super) positions: HashMap<FileId, OnceLock<PositionIndex>>,
}

impl SourceMap {
    pub(super) fn positions(&self, file: FileId) -> Option<&PositionIndex> {
        self.positions
            .get(&file)
            .map(|cell| cell.get_or_init(|| PositionIndex::build(self.sources.text(file))))
    }

    /// The value at an origin, underlined to the end of its first line.
    pub fn place(&self, origin: &Origin) -> Place {
        let offset = self
            .positions(origin.file)
            .map_or(0, |p| p.value_offset(&origin.path));
        self.sources.place_to_eol(origin.file, offset)
    }

    /// The key naming the value at an origin.
    pub fn key_place(&self, origin: &Origin) -> Place {
        let offset = self
            .positions(origin.file)
            .map_or(0, |p| p.key_offset(&origin.path));
        self.sources.place_to_eol(origin.file, offset)
    }

    /// A byte offset inside a Markdown string value, mapped back to the file. Exact for
    /// literal block scalars (`answer: |`), the usual way to write answers; for other styles
    /// it points at the line holding the value.
    pub fn place_in_value(&self, origin: &Origin, md: &str, md_offset: usize) -> Place {
        let value_place = self.place(origin);
        let Some(positions) = self.positions(origin.file) else {
            return value_place;
        };
        let text = self.sources.text(origin.file);
        // Is the value a block scalar? Then its key's line ends with `|` or `>` (plus
        // optional chomping/indent indicators), and the content starts on the next line.
        let key_offset = positions.key_offset(&origin.path);
        let key_line_end = text[key_offset..]
            .find('\n')
            .map_or(text.len(), |n| key_offset + n);
        let after_colon = text[key_offset..key_line_end]
            .split_once(':')
            .map_or("", |(_, rest)| rest.trim());
        let is_block = after_colon.starts_with('|') || after_colon.starts_with('>');
        if !is_block || key_line_end >= text.len() {
            return value_place;
        }
        let md_offset = md_offset.min(md.len());
        if !md.is_char_boundary(md_offset) {
            return value_place;
        }
        let md_line_start = md[..md_offset].rfind('\n').map_or(0, |n| n + 1);
        let md_line_end = md[md_offset..]
            .find('\n')
            .map_or(md.len(), |n| md_offset + n);
        let md_line = &md[md_line_start..md_line_end];
        let md_col = md_offset - md_line_start;
        let mut offset = key_line_end + 1;
        for _ in 0..md[..md_offset].matches('\n').count() {
            match text[offset..].find('\n') {
                Some(n) => offset += n + 1,
                None => return value_place,
            }
        }
        let line = &text[offset..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let line = line.strip_suffix('\r').unwrap_or(line);
        // In a literal block scalar each line of the value is the file's line minus the
        // block's indentation, so the file's line ends with it. The indentation is what comes
        // before; counting the line's leading spaces instead (as this once did) also counted
        // the value's own leading spaces and could land inside a character (found by
        // fuzzing). A line that does not end with the value's line (a folded `>` scalar, a key
        // reached through a YAML merge) is not mapped column by column.
        if !line.ends_with(md_line) {
            return value_place;
        }
        let indent = line.len() - md_line.len();
        self.sources
            .place_to_eol(origin.file, offset + indent + md_col)
    }
}

/// The two things the loader asks of a file system.
pub(super) trait FileSource {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The paths of the entries of a folder, in any order.
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;
}

pub(super) struct Disk;

impl FileSource for Disk {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(fs::read_dir(dir)?.flatten().map(|e| e.path()).collect())
    }
}

/// Files by full path; a folder exists when some file is directly inside it.
pub(super) struct Memory(pub(super) BTreeMap<PathBuf, Vec<u8>>);

impl FileSource for Memory {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| io::ErrorKind::NotFound.into())
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let found: Vec<PathBuf> = self
            .0
            .keys()
            .filter(|p| p.parent() == Some(dir))
            .cloned()
            .collect();
        if found.is_empty() {
            return Err(io::ErrorKind::NotFound.into());
        }
        Ok(found)
    }
}

/// Byte offset of a 1-based line and column (in characters).
pub(super) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}
