//! All YAML parsing lives here, so the backend can be swapped in one place.
//!
//! Values and typed deserialization go through serde with `serde_norway` (the maintained fork
//! of `serde_yaml`, same API). serde's YAML backends do not expose node positions, so a second
//! pass over `yaml-rust2`'s event stream records where every node starts; diagnostics look
//! positions up by the node's path (`/questions/3/summary`). Only a file with a problem needs
//! positions, so that pass runs on demand (see `SourceMap`): a valid bank never pays for it.
//! When serde_norway grows span support (or we move to a spanned deserializer)
//! [`PositionIndex`] can go.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

pub use serde_norway::Value;

/// A YAML syntax error with its 1-based line and column.
#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Parses one YAML document. Characters YAML forbids and pathological nesting are refused
/// first, by [`prescan`], so every problem has its real place and parsing time stays linear.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    prescan(text)?;
    serde_norway::from_str(text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        // serde_norway appends " at line L column C" to its messages; we show it ourselves.
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        SyntaxError {
            message,
            line,
            column,
        }
    })
}

/// How deep flow collections (`[…]`, `{…}`) may nest. libyaml's scanner takes time
/// proportional to the depth for every token, so unclosed brackets by the thousand would take
/// seconds to minutes to reject; no bank needs more than a few levels.
pub const MAX_FLOW_DEPTH: usize = 64;

/// One linear pass before parsing: the first character YAML does not allow (reported at its
/// real line, where libyaml would blame the start of the file), and flow collections nested
/// deeper than [`MAX_FLOW_DEPTH`].
///
/// The depth count is a small scanner of its own: it skips comments, quoted strings and the
/// content of block scalars (`|`, `>`), and counts a bracket only where YAML starts a flow
/// collection (at the start of a value, or inside another flow collection).
pub fn prescan(text: &str) -> Result<(), SyntaxError> {
    let error = |line: usize, column: usize, message: String| SyntaxError {
        message,
        line,
        column,
    };
    for (n, line) in text.split('\n').enumerate() {
        if let Some((col, c)) = line.chars().enumerate().find(|(_, c)| !yaml_allowed(*c)) {
            return Err(error(
                n + 1,
                col + 1,
                format!(
                    "character U+{:04X} is not allowed in YAML (write it as an escape inside double quotes, if at all)",
                    c as u32
                ),
            ));
        }
    }
    let mut depth = 0usize;
    // Inside a block scalar: the indentation of the line that opened it.
    let mut block_parent: Option<usize> = None;
    let mut quote: Option<u8> = None;
    for (n, line) in text.split('\n').enumerate() {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|b| **b == b' ').count();
        if let Some(parent) = block_parent {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_parent = None;
        }
        let mut value_start = true;
        let mut i = indent;
        while i < bytes.len() {
            let b = bytes[i];
            let next_blank = bytes.get(i + 1).is_none_or(|c| *c == b' ' || *c == b'\t');
            if let Some(q) = quote {
                match b {
                    b'\\' if q == b'"' => i += 1,
                    b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                    _ if b == q => quote = None,
                    _ => {}
                }
                i += 1;
                continue;
            }
            let in_flow = depth > 0;
            match b {
                b' ' | b'\t' => {
                    i += 1;
                    continue;
                }
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => break,
                b'"' | b'\'' if in_flow || value_start => quote = Some(b),
                b'[' | b'{' if in_flow || value_start => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err(error(
                            n + 1,
                            line[..i].chars().count() + 1,
                            format!(
                                "flow collections (`[`, `{{`) nested deeper than {MAX_FLOW_DEPTH} levels"
                            ),
                        ));
                    }
                    i += 1;
                    continue;
                }
                b']' | b'}' if in_flow => depth -= 1,
                // A sequence entry, a mapping value or a complex key: a value starts next.
                b'-' | b':' | b'?' if !in_flow && next_blank => {
                    value_start = true;
                    i += 1;
                    continue;
                }
                // An anchor or tag leaves the value still to come.
                b'&' | b'!' if value_start => {
                    while i < bytes.len() && bytes[i] != b' ' {
                        i += 1;
                    }
                    continue;
                }
                b'|' | b'>' if !in_flow && value_start => {
                    block_parent = Some(indent);
                    break;
                }
                _ => {}
            }
            if !in_flow {
                value_start = false;
            }
            i += 1;
        }
    }
    Ok(())
}

/// YAML 1.2's printable set: tab, line breaks, and everything from space on except DEL, the
/// C1 controls other than NEL, and U+FFFE/U+FFFF.
fn yaml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Deserializes a value into a typed struct; on failure returns the path of the offending
/// node (e.g. `/tags/0`) and serde's message.
pub fn typed<T: DeserializeOwned>(value: &Value) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = String::new();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => {
                    path.push('/');
                    path.push_str(&index.to_string());
                }
                serde_path_to_error::Segment::Map { key } => {
                    path.push('/');
                    path.push_str(key);
                }
                _ => {}
            }
        }
        (path, e.into_inner().to_string())
    })
}

/// The string keys of a mapping, in file order.
pub fn mapping_keys(value: &Value) -> Vec<String> {
    match value {
        Value::Mapping(m) => m
            .keys()
            .filter_map(|k| k.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The items of a sequence at `key` in a mapping (empty when absent or not a sequence).
pub fn sequence_at<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    match value.get(key) {
        Some(Value::Sequence(items)) => items,
        _ => &[],
    }
}

/// A short name for a value's YAML type, for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Byte offsets of nodes (and of the keys that name them) by path.
#[derive(Default)]
pub struct PositionIndex {
    nodes: HashMap<String, NodePos>,
}

#[derive(Clone, Copy, Debug)]
struct NodePos {
    value: usize,
    key: Option<usize>,
}

impl PositionIndex {
    /// Indexes a text that [`parse`] accepted.
    pub fn build(text: &str) -> Self {
        let mut builder = IndexBuilder {
            text,
            line_starts: line_starts(text),
            stack: Vec::new(),
            index: PositionIndex::default(),
        };
        // serde_norway already accepted the text; if yaml-rust2 disagrees we keep what we have
        // and diagnostics fall back to the nearest known ancestor.
        let _ = Parser::new_from_str(text).load(&mut builder, false);
        builder.index
    }

    /// Byte offset of the node at `path`, or of its nearest recorded ancestor.
    pub fn value_offset(&self, path: &str) -> usize {
        self.lookup(path).map_or(0, |p| p.value)
    }

    /// Byte offset of the key naming the node at `path` (its value when there is no key).
    pub fn key_offset(&self, path: &str) -> usize {
        self.lookup(path).map_or(0, |p| p.key.unwrap_or(p.value))
    }

    /// Whether the exact path was recorded.
    pub fn contains(&self, path: &str) -> bool {
        self.nodes.contains_key(path)
    }

    fn lookup(&self, path: &str) -> Option<NodePos> {
        let mut path = path;
        loop {
            if let Some(pos) = self.nodes.get(path) {
                return Some(*pos);
            }
            if path.is_empty() {
                return None;
            }
            path = path.rfind('/').map_or("", |i| &path[..i]);
        }
    }
}

enum Frame {
    Map {
        path: String,
        pending_key: Option<(String, usize)>,
        /// Whether a key was seen yet: yaml-rust2 marks a block mapping's start after its
        /// first key, so the first key's position stands for the mapping's.
        seen_key: bool,
    },
    Seq {
        path: String,
        next: usize,
    },
}

struct IndexBuilder<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    stack: Vec<Frame>,
    index: PositionIndex,
}

impl IndexBuilder<'_> {
    /// yaml-rust2 markers count characters; diagnostics need byte offsets.
    fn byte_offset(&self, mark: &Marker) -> usize {
        let line = mark.line().max(1) - 1;
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        let line_text = &self.text[start..];
        let col = mark.col();
        start
            + line_text
                .char_indices()
                .nth(col)
                .map_or(line_text.len(), |(i, _)| i)
    }

    /// Called for each node start; returns the node's path, or None when it is a key.
    fn node(&mut self, ev: &Event, offset: usize) -> Option<String> {
        match self.stack.last_mut() {
            None => {
                self.index.nodes.insert(
                    String::new(),
                    NodePos {
                        value: offset,
                        key: None,
                    },
                );
                Some(String::new())
            }
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}/{next}");
                *next += 1;
                self.index.nodes.insert(
                    p.clone(),
                    NodePos {
                        value: offset,
                        key: None,
                    },
                );
                Some(p)
            }
            Some(Frame::Map {
                path,
                pending_key,
                seen_key,
            }) => match pending_key.take() {
                None => {
                    if !*seen_key {
                        *seen_key = true;
                        if let Some(node) = self.index.nodes.get_mut(path.as_str()) {
                            node.value = node.value.min(offset);
                        }
                    }
                    let key = match ev {
                        Event::Scalar(s, ..) => s.clone(),
                        _ => "?".to_string(),
                    };
                    *pending_key = Some((key, offset));
                    // A complex (non-scalar) key opens a container we still must track.
                    match ev {
                        Event::Scalar(..) => None,
                        _ => Some(format!("{path}/?")),
                    }
                }
                Some((key, key_offset)) => {
                    let p = format!("{path}/{key}");
                    self.index.nodes.insert(
                        p.clone(),
                        NodePos {
                            value: offset,
                            key: Some(key_offset),
                        },
                    );
                    Some(p)
                }
            },
        }
    }
}

impl MarkedEventReceiver for IndexBuilder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let offset = self.byte_offset(&mark);
        match &ev {
            Event::Scalar(..) | Event::Alias(_) => {
                self.node(&ev, offset);
            }
            Event::MappingStart(..) => {
                let path = self.node(&ev, offset).unwrap_or_default();
                self.stack.push(Frame::Map {
                    path,
                    pending_key: None,
                    seen_key: false,
                });
            }
            Event::SequenceStart(..) => {
                let path = self.node(&ev, offset).unwrap_or_default();
                self.stack.push(Frame::Seq { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

#[cfg(test)]
mod prescan_tests {
    use super::*;

    #[test]
    fn pathological_nesting_is_refused_fast_at_its_place() {
        let text = format!("id: x\ntitle: {}\n", "[".repeat(128 * 1024));
        let start = std::time::Instant::now();
        let e = parse(&text).unwrap_err();
        assert!(start.elapsed().as_secs_f64() < 1.0, "{:?}", start.elapsed());
        assert_eq!((e.line, e.column), (2, 8 + MAX_FLOW_DEPTH));
        assert!(e.message.contains("nested deeper"), "{}", e.message);
    }

    #[test]
    fn brackets_in_text_block_scalars_quotes_and_comments_do_not_count() {
        let deep = "[".repeat(200);
        let text = format!(
            "a: text {deep}\nb: |\n  {deep}\n  more {deep}\nc: '{deep}'\nd: \"{deep}\"\n# {deep}\n\
             e: [[1, 2], {{x: [3]}}]\nf: >-\n    {deep}\n"
        );
        assert!(prescan(&text).is_ok());
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn a_forbidden_character_is_reported_at_its_line() {
        let e = parse("a: 1\nb: |\n  x\u{0}y\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 4));
        assert!(e.message.contains("U+0000"), "{}", e.message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_col(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap().chars().count() + 1;
        (line, col)
    }

    #[test]
    fn positions_of_nested_nodes() {
        let text = "id: s\ntitle: Tïtle\nquestions:\n  - id: a\n    question: Q?\n  - id: b\n    tags: [x, y]\n";
        parse(text).unwrap();
        let p = &PositionIndex::build(text);
        assert_eq!(line_col(text, p.value_offset("/questions/1/id")), (6, 9));
        assert_eq!(line_col(text, p.key_offset("/questions/1/id")), (6, 5));
        assert_eq!(
            line_col(text, p.value_offset("/questions/0/question")),
            (5, 15)
        );
        assert_eq!(
            line_col(text, p.value_offset("/questions/1/tags/1")),
            (7, 15)
        );
        // Unknown paths fall back to the nearest ancestor.
        assert_eq!(
            p.value_offset("/questions/1/summary"),
            p.value_offset("/questions/1")
        );
    }

    #[test]
    fn syntax_error_has_location() {
        let err = parse("id: a\ntitle: [unclosed\n").err().unwrap();
        assert!(err.line >= 2, "{err:?}");
    }

    #[test]
    fn typed_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Q {
            tags: Vec<String>,
        }
        let value = parse("tags: [a, [b]]\n").unwrap();
        let (path, msg) = typed::<Q>(&value).unwrap_err();
        assert_eq!(path, "/tags/1");
        assert!(msg.contains("invalid type"), "{msg}");
    }
}
