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

/// Parses one YAML document.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
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
