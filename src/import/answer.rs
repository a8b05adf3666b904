//! Answers as slices of the source: each block after a question is copied from the original
//! Markdown with a few deliberate rewrites (HTML tags, links, code blocks), outdented to the left
//! margin, and the pieces are joined into one answer.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Tag};

use super::code::{fence, fenced_info};
use super::reader::{Child, Importer};
use super::text::{apply, leading_width, one_line, strip_columns};

/// A piece of an answer. Code is kept apart so a paragraph's stray code tail and the indented
/// block after it can be merged into one fence.
pub(super) enum Piece {
    Markdown(String),
    Code {
        info: String,
        body: String,
        mergeable: bool,
    },
}

impl Importer<'_> {
    /// An answer's child as Markdown pieces.
    pub(super) fn pieces(&mut self, child: Child) -> Vec<Piece> {
        match child {
            Child::Inline(lo, hi) => {
                let range = self.span(lo, hi);
                vec![Piece::Markdown(self.render(lo..hi, range))]
            }
            Child::Block(lo, hi) => match &self.events[lo].0 {
                Event::Rule => Vec::new(),
                Event::Start(Tag::CodeBlock(kind)) => {
                    let kind = kind.clone();
                    let info = match &kind {
                        CodeBlockKind::Indented => self.indented_info(),
                        CodeBlockKind::Fenced(info) => {
                            let info = info.to_string();
                            fenced_info(&info)
                        }
                    };
                    vec![Piece::Code {
                        info,
                        body: self.code_text(lo, hi),
                        mergeable: matches!(kind, CodeBlockKind::Indented),
                    }]
                }
                Event::Start(Tag::Paragraph) => self.paragraph(lo, hi),
                Event::Start(Tag::HtmlBlock) if self.trivial_html(lo, hi) => Vec::new(),
                _ => {
                    let range = self.events[lo].1.clone();
                    vec![Piece::Markdown(self.render(lo..hi, range))]
                }
            },
        }
    }

    /// A paragraph, split when its last lines are indented like code: CommonMark cannot start
    /// an indented code block inside a paragraph, so code written right under a line of text
    /// (no blank line between) reads as more text. The author meant code.
    pub(super) fn paragraph(&mut self, lo: usize, hi: usize) -> Vec<Piece> {
        let para = self.events[lo].1.clone();
        let content_end = self.span(lo + 1, hi - 1).end;
        let indent = self.column(para.start);
        let mut depth = 0usize;
        for k in lo + 1..hi - 1 {
            match &self.events[k].0 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::SoftBreak if depth == 0 => {
                    let tail = self.events[k].1.end..content_end;
                    let code_like = self.src[tail.clone()]
                        .split('\n')
                        .all(|line| leading_width(line) >= indent + 4);
                    if code_like {
                        let head = para.start..self.events[k].1.start;
                        let body: Vec<String> = self.src[tail]
                            .split('\n')
                            .map(|line| strip_columns(line, indent + 4))
                            .collect();
                        return vec![
                            Piece::Markdown(self.render(lo + 1..k, head)),
                            Piece::Code {
                                info: self.indented_info(),
                                body: body.join("\n") + "\n",
                                mergeable: true,
                            },
                        ];
                    }
                }
                _ => {}
            }
        }
        vec![Piece::Markdown(self.render(lo..hi, para))]
    }

    /// Inline events `lo..hi` (a heading's or a paragraph's contents) as one line of Markdown,
    /// and as plain text.
    pub(super) fn inline(&mut self, lo: usize, hi: usize) -> (String, String) {
        if lo >= hi {
            return (String::new(), String::new());
        }
        let mut edits = Vec::new();
        self.html_edits(lo..hi, &mut edits);
        self.link_edits(lo..hi, &mut edits);
        let md = one_line(&apply(self.src, self.span(lo, hi), edits));
        let mut plain = String::new();
        for (event, _) in &self.events[lo..hi] {
            match event {
                Event::Text(t) | Event::Code(t) => plain.push_str(t),
                Event::SoftBreak | Event::HardBreak => plain.push(' '),
                _ => {}
            }
        }
        (md, plain.trim().to_string())
    }

    /// The source of a block (events `ev`, source `range`) with its rewrites, outdented so it
    /// stands at the left margin.
    fn render(&mut self, ev: Range<usize>, range: Range<usize>) -> String {
        let indent = self.column(range.start);
        let mut edits = Vec::new();
        self.html_edits(ev.clone(), &mut edits);
        self.link_edits(ev.clone(), &mut edits);
        self.code_edits(ev, &mut edits);
        let text = apply(self.src, range, edits);
        let lines: Vec<String> = text
            .split('\n')
            .enumerate()
            .map(|(i, line)| {
                let line = if i == 0 {
                    line.to_string()
                } else {
                    strip_columns(line, indent)
                };
                if line.trim().is_empty() {
                    String::new()
                } else {
                    line
                }
            })
            .collect();
        lines.join("\n").trim_end().to_string()
    }
}

/// Joins an answer's pieces into Markdown; `None` when there is nothing.
pub(super) fn assemble(pieces: Vec<Piece>) -> Option<String> {
    let mut merged: Vec<Piece> = Vec::new();
    for piece in pieces {
        if let (
            Some(Piece::Code {
                body: prev,
                mergeable: true,
                ..
            }),
            Piece::Code {
                body,
                mergeable: true,
                ..
            },
        ) = (merged.last_mut(), &piece)
        {
            prev.push('\n');
            prev.push_str(body);
            continue;
        }
        merged.push(piece);
    }
    let blocks: Vec<String> = merged
        .into_iter()
        .map(|piece| match piece {
            Piece::Markdown(md) => md,
            Piece::Code { info, body, .. } => {
                let mut text = fence(&info, &body, "");
                text.pop();
                text
            }
        })
        .filter(|b| !b.trim().is_empty())
        .collect();
    if blocks.is_empty() {
        None
    } else {
        Some(blocks.join("\n\n") + "\n")
    }
}
