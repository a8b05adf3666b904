//! Code blocks: indented code becomes a fence (` ```text `, or the `--code-language`), fences
//! keep their language but Python becomes `python norun` — nothing imported runs until someone
//! vouches for it — and `output` becomes `text`.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

use super::reader::Importer;
use super::text::{Edit, width};
use crate::markup::parser_options;

impl Importer<'_> {
    pub(super) fn code_text(&self, lo: usize, hi: usize) -> String {
        self.events[lo..hi]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect()
    }

    pub(super) fn indented_info(&self) -> String {
        match &self.options.code_language {
            Some(lang) => fenced_info(lang),
            None => "text".to_string(),
        }
    }

    /// Code blocks nested in a block (in a list or quote inside an answer): indented ones are
    /// rewritten as fences carrying the container's line prefix; fenced ones get their info.
    pub(super) fn code_edits(&self, ev: Range<usize>, edits: &mut Vec<Edit>) {
        let src = self.src;
        let mut k = ev.start;
        while k < ev.end {
            let Event::Start(Tag::CodeBlock(kind)) = &self.events[k].0 else {
                k += 1;
                continue;
            };
            let kind = kind.clone();
            let end = self.ends[k];
            let range = self.events[k].1.clone();
            match kind {
                CodeBlockKind::Fenced(info) => {
                    let info = info.to_string();
                    let new_info = fenced_info(&info);
                    let first_line = src[range.clone()].split('\n').next().unwrap_or("");
                    let fence = first_line
                        .chars()
                        .take_while(|c| matches!(c, '`' | '~'))
                        .count();
                    if new_info != info.trim() {
                        edits.push(Edit {
                            range: range.start + fence..range.start + first_line.len(),
                            text: new_info,
                        });
                    }
                }
                CodeBlockKind::Indented => {
                    let line_start = self.line_starts[self.line(range.start) - 1];
                    let prefix = &src[line_start..range.start];
                    if prefix.chars().all(|c| matches!(c, '>' | ' ' | '\t')) {
                        let prefix = container_prefix(prefix);
                        let info = self.indented_info();
                        let body = self.code_text(k, end + 1);
                        let mut text = fence(&info, &body, &prefix);
                        if !src[range.clone()].ends_with('\n') {
                            text.pop();
                        }
                        edits.push(Edit {
                            range: line_start..range.end,
                            text,
                        });
                    }
                }
            }
            k = end + 1;
        }
    }
}

/// The info string a fence gets: Python becomes `python norun` (imported code has never been
/// run by anyone here), `output` (which qbank compares with a runnable block's output) becomes
/// `text`; anything else is kept.
pub(super) fn fenced_info(info: &str) -> String {
    let lang = info
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match lang.as_str() {
        "python" | "py" | "python3" => "python norun".to_string(),
        "output" => "text".to_string(),
        // Attributes (`title=…`) are for other tools; qbank would warn about them.
        _ => lang_word(info),
    }
}

/// The first word of an info string, as written.
fn lang_word(info: &str) -> String {
    info.split_whitespace().next().unwrap_or("").to_string()
}

pub(super) fn count_norun(answer: &str) -> usize {
    Parser::new_ext(answer, parser_options())
        .filter(|e| {
            matches!(e, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().eq(["python", "norun"]))
        })
        .count()
}

/// A fenced code block, every line starting with `prefix`, ending with a newline. The fence
/// is longer than any run of its character in the code.
pub(super) fn fence(info: &str, body: &str, prefix: &str) -> String {
    let ch = if info.contains('`') { '~' } else { '`' };
    let longest = body.split(|c| c != ch).map(str::len).max().unwrap_or(0);
    let marks = ch.to_string().repeat((longest + 1).max(3));
    let mut lines: Vec<&str> = body.trim_end_matches('\n').split('\n').collect();
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    let mut out = format!("{prefix}{marks}{info}\n");
    for line in lines {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(&format!("{prefix}{marks}\n"));
    out
}

/// The line prefix of a code block's container (`   `, `> `), from the text before an
/// indented code block on its first line, which also holds the block's own four columns.
fn container_prefix(before: &str) -> String {
    let mut expanded = String::new();
    for c in before.chars() {
        if c == '\t' {
            let pad = 4 - width(&expanded) % 4;
            expanded.push_str(&" ".repeat(pad));
        } else {
            expanded.push(c);
        }
    }
    let keep = expanded.len().saturating_sub(4);
    expanded[..keep].to_string()
}
