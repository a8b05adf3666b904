//! Inline HTML made Markdown: `<b>`, `<i>`, `<code>`… become their Markdown equivalents,
//! presentational tags and comments are dropped where that keeps the line's meaning, the rest
//! stays (qbank shows raw HTML as text).

use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use super::reader::Importer;
use super::text::Edit;

impl Importer<'_> {
    /// Inline HTML tags with a Markdown equivalent are rewritten (`<b>x</b>` → `**x**`,
    /// `<code>` → a code span); presentational ones around text are dropped; the rest stays
    /// (qbank shows raw HTML as text).
    pub(super) fn html_edits(&self, ev: Range<usize>, edits: &mut Vec<Edit>) {
        let mut open: Vec<(String, usize)> = Vec::new();
        let mut pairs = Vec::new();
        for k in ev {
            let Event::InlineHtml(html) = &self.events[k].0 else {
                continue;
            };
            match parse_tag(html) {
                HtmlTag::Open(name) => open.push((name, k)),
                HtmlTag::Close(name) => {
                    if let Some(pos) = open.iter().rposition(|(n, _)| *n == name) {
                        let (_, start) = open.remove(pos);
                        pairs.push((start, k, name));
                    }
                }
                HtmlTag::Other if html.starts_with("<!--") => {
                    let range = self.events[k].1.clone();
                    if self.droppable(&range) {
                        edits.push(Edit {
                            range,
                            text: String::new(),
                        });
                    }
                }
                HtmlTag::Void(name) if name == "br" || name == "wbr" => {
                    let range = self.events[k].1.clone();
                    if self.droppable(&range) {
                        let next = self.src[range.end..].chars().next();
                        let text = if next.is_some_and(|c| !c.is_whitespace()) {
                            " "
                        } else {
                            ""
                        };
                        edits.push(Edit {
                            range,
                            text: text.into(),
                        });
                    }
                }
                _ => {}
            }
        }
        for (a, b, name) in pairs {
            self.convert_pair(a, b, &name, edits);
        }
    }

    fn convert_pair(&self, a: usize, b: usize, name: &str, edits: &mut Vec<Edit>) {
        let open = self.events[a].1.clone();
        let close = self.events[b].1.clone();
        let delimiter = match name {
            "b" | "strong" => "**",
            "i" | "em" => "*",
            "s" | "del" | "strike" => "~~",
            "code" | "kbd" | "tt" | "samp" => {
                let mut text = String::new();
                for (event, _) in &self.events[a + 1..b] {
                    match event {
                        Event::Text(t) => text.push_str(t),
                        _ => return,
                    }
                }
                let text = text.trim();
                if !text.is_empty() && !text.contains(['`', '\n']) {
                    edits.push(Edit {
                        range: open.start..close.end,
                        text: format!("`{text}`"),
                    });
                }
                return;
            }
            "span" | "u" | "font" | "small" | "big" | "mark" | "sup" | "sub" | "abbr" | "ins"
            | "cite" | "q" | "var" => {
                for range in [open, close] {
                    if self.droppable(&range) {
                        edits.push(Edit {
                            range,
                            text: String::new(),
                        });
                    }
                }
                return;
            }
            _ => return,
        };
        // Emphasis must hug its text: `<b> x </b>` becomes `**x**`, not `** x **`.
        let bytes = self.src.as_bytes();
        let mut inner_start = open.end;
        while inner_start < close.start && matches!(bytes[inner_start], b' ' | b'\t') {
            inner_start += 1;
        }
        let mut inner_end = close.start;
        while inner_end > inner_start && matches!(bytes[inner_end - 1], b' ' | b'\t') {
            inner_end -= 1;
        }
        if inner_start >= inner_end || bytes[inner_start] == b'\n' || bytes[inner_end - 1] == b'\n'
        {
            return;
        }
        edits.push(Edit {
            range: open.start..inner_start,
            text: delimiter.into(),
        });
        edits.push(Edit {
            range: inner_end..close.end,
            text: delimiter.into(),
        });
        // Literal `*` inside (e.g. `<b>**kwargs</b>`) would now pair with the new delimiters.
        for (event, range) in &self.events[a + 1..b] {
            if let Event::Text(t) = event
                && self.src[range.clone()] == **t
            {
                for (i, c) in t.char_indices() {
                    if matches!(c, '*' | '_' | '~') {
                        let at = range.start + i;
                        edits.push(Edit {
                            range: at..at,
                            text: "\\".into(),
                        });
                    }
                }
            }
        }
    }

    /// An HTML block that is only a comment or a `<br>`/`<hr>`: dropped rather than shown
    /// as text.
    pub(super) fn trivial_html(&self, lo: usize, hi: usize) -> bool {
        if !matches!(self.events[lo].0, Event::Start(Tag::HtmlBlock)) {
            return false;
        }
        let html: String = self.events[lo..hi]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Html(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let html = html.trim();
        let comment = html
            .strip_prefix("<!--")
            .and_then(|rest| rest.strip_suffix("-->"))
            .is_some_and(|inner| !inner.contains("-->"));
        comment
            || matches!(parse_tag(html), HtmlTag::Void(name) if matches!(name.as_str(), "br" | "hr" | "wbr"))
    }

    /// Whether removing the tag at `range` keeps the line's meaning: not when it is alone on
    /// its line (that would end the paragraph) or would leave a line starting with markup.
    fn droppable(&self, range: &Range<usize>) -> bool {
        let line_start = self.line_starts[self.line(range.start) - 1];
        if !self.src[line_start..range.start].trim().is_empty() {
            return true;
        }
        self.src[range.end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    }
}

enum HtmlTag {
    Open(String),
    Close(String),
    Void(String),
    Other,
}

fn parse_tag(html: &str) -> HtmlTag {
    let Some(inner) = html
        .trim()
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
    else {
        return HtmlTag::Other;
    };
    let (close, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        HtmlTag::Other
    } else if close {
        HtmlTag::Close(name)
    } else if inner.ends_with('/') || matches!(name.as_str(), "br" | "wbr" | "hr" | "img") {
        HtmlTag::Void(name)
    } else {
        HtmlTag::Open(name)
    }
}
