//! Source text helpers: edits applied to a slice of the Markdown, display widths with tabs,
//! outdenting, and joining lines.

use std::ops::Range;

/// A text edit on the source: replace `range` with `text` (an empty range inserts).
pub(super) struct Edit {
    pub(super) range: Range<usize>,
    pub(super) text: String,
}

/// Applies non-overlapping edits to `src[range]`; an edit overlapping an earlier one is
/// skipped.
pub(super) fn apply(src: &str, range: Range<usize>, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::new();
    let mut cursor = range.start;
    for edit in edits {
        if edit.range.start < cursor || edit.range.end > range.end {
            continue;
        }
        out.push_str(&src[cursor..edit.range.start]);
        out.push_str(&edit.text);
        cursor = edit.range.end;
    }
    out.push_str(&src[cursor..range.end]);
    out
}

/// Display width of `text` (a line's prefix), tabs to multiples of 4.
pub(super) fn width(text: &str) -> usize {
    text.chars()
        .fold(0, |w, c| if c == '\t' { w + 4 - w % 4 } else { w + 1 })
}

/// Display width of a line's leading whitespace.
pub(super) fn leading_width(line: &str) -> usize {
    let end = line
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(line.len());
    width(&line[..end])
}

/// `line` without up to `columns` columns of leading whitespace.
pub(super) fn strip_columns(line: &str, columns: usize) -> String {
    let mut width = 0;
    for (i, c) in line.char_indices() {
        if width >= columns {
            return line[i..].to_string();
        }
        match c {
            ' ' => width += 1,
            '\t' => {
                let next = width + 4 - width % 4;
                if next > columns {
                    return " ".repeat(next - columns) + &line[i + 1..];
                }
                width = next;
            }
            _ => return line[i..].to_string(),
        }
    }
    String::new()
}

/// Markdown lines joined into one (hard breaks become spaces).
pub(super) fn one_line(md: &str) -> String {
    md.split('\n')
        .map(|l| {
            let l = l.trim();
            l.strip_suffix('\\').unwrap_or(l).trim_end()
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
