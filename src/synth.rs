//! `qbank synth`: a synthetic bank of any size for benchmarks and stress tests.
//!
//! Realistic by construction: question *i* reuses the text of the source bank's answered
//! question *i mod n* (so answers have the real length, Markdown and code blocks), with a
//! fresh id. Copy *k* of question `x` is `x` for the first copy and `x-k` after that, so
//! cross-references (`q:x`) keep pointing at a question that exists. The YAML is written by
//! [`crate::model::write`], like every bank file qbank writes.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::model::write::{Style, Yaml};
use crate::model::{Bank, Question};

pub struct SynthOptions {
    pub questions: usize,
    pub sections: usize,
}

/// Writes a bank with `opts.questions` questions in `opts.sections` sections to `out`.
pub fn write(source: &Bank, out: &Path, opts: &SynthOptions) -> Result<()> {
    let pool: Vec<_> = source
        .questions()
        .map(|(_, q)| q)
        .filter(|q| q.is_answered())
        .collect();
    if pool.is_empty() {
        bail!("the source bank has no answered questions to copy");
    }
    if opts.sections == 0 || opts.questions == 0 {
        bail!("--questions and --sections must be at least 1");
    }
    let sections_dir = out.join("sections");
    std::fs::create_dir_all(&sections_dir)
        .with_context(|| format!("creating {}", sections_dir.display()))?;

    let id_of = |i: usize| {
        let q = pool[i % pool.len()];
        match i / pool.len() {
            0 => q.id.clone(),
            k => format!("{}-{k}", q.id),
        }
    };
    let present: HashSet<String> = (0..opts.questions).map(id_of).collect();
    let per_section = opts.questions.div_ceil(opts.sections);
    let mut section_ids = Vec::new();
    for s in 0..opts.sections {
        let range = (s * per_section)..((s + 1) * per_section).min(opts.questions);
        if range.is_empty() {
            break;
        }
        let sid = format!("section-{:04}", s + 1);
        let mut y = Yaml::new();
        y.field(0, "id", &sid, Style::Auto)
            .field(
                0,
                "title",
                &format!("Synthetic section {}", s + 1),
                Style::Auto,
            )
            .key(0, "questions");
        for i in range {
            let q = pool[i % pool.len()];
            // Summary and answer as literal blocks, cross-references to absent copies unlinked.
            let block = |md: &String| format!("{}\n", keep_links_to(md, &present).trim_end());
            let copy = Question {
                id: id_of(i),
                summary: q.summary.as_ref().map(block),
                answer: q.answer.as_ref().map(block),
                ..q.clone()
            };
            y.question(&copy, Style::Quoted, Style::Block).blank();
        }
        std::fs::write(sections_dir.join(format!("{sid}.yaml")), y.finish())?;
        section_ids.push(sid);
    }
    let half = section_ids.len().div_ceil(2);
    let mut bank = Yaml::new();
    bank.field(0, "id", "synthetic", Style::Auto)
        .field(
            0,
            "title",
            &format!("Synthetic bank ({} questions)", opts.questions),
            Style::Auto,
        )
        .field(0, "language", "en", Style::Auto)
        .field(0, "version", "1.0.0", Style::Auto)
        .key(0, "parts");
    for (n, chunk) in section_ids.chunks(half.max(1)).enumerate() {
        bank.item_field(2, "title", &format!("Part {}", n + 1), Style::Auto)
            .key(4, "sections");
        for id in chunk {
            bank.item(6, id);
        }
    }
    std::fs::write(out.join("bank.yaml"), bank.finish())?;
    Ok(())
}

/// Removes the link (keeping its text) from cross-references whose target is absent.
fn keep_links_to(md: &str, present: &HashSet<String>) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(at) = rest.find("](q:") {
        let after = &rest[at + 4..];
        let Some(end) = after.find(')') else { break };
        let id = &after[..end];
        let Some(open) = rest[..at].rfind('[') else {
            out.push_str(&rest[..at + 4]);
            rest = after;
            continue;
        };
        if present.contains(id) {
            out.push_str(&rest[..at + 4 + end + 1]);
        } else {
            out.push_str(&rest[..open]);
            out.push_str(&rest[open + 1..at]);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangling_links_lose_their_target() {
        let present: HashSet<String> = ["a".to_string()].into();
        assert_eq!(
            keep_links_to("see [A](q:a) and [B](q:b).", &present),
            "see [A](q:a) and B."
        );
    }
}
