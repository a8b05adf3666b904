//! `qbank stats`: how far each section is answered, and how much it holds.

use serde::Serialize;

use crate::render::RenderedBank;

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct SectionStats {
    pub id: String,
    pub title: String,
    pub questions: usize,
    pub answered: usize,
    /// Words of prose in summaries and answers (code excluded).
    pub words: usize,
    pub code_blocks: usize,
}

pub fn compute(bank: &RenderedBank) -> Vec<SectionStats> {
    bank.sections()
        .map(|s| {
            let mut row = SectionStats {
                id: s.id.clone(),
                title: s.title.clone(),
                questions: s.questions.len(),
                ..SectionStats::default()
            };
            for q in &s.questions {
                row.answered += usize::from(q.is_answered());
                for f in q.body() {
                    row.words += f.words;
                    row.code_blocks += f.code_blocks.len();
                }
            }
            row
        })
        .collect()
}

/// The rows plus a total line, as an aligned text table.
pub fn table(rows: &[SectionStats]) -> String {
    let mut total = SectionStats {
        id: "total".into(),
        ..SectionStats::default()
    };
    for r in rows {
        total.questions += r.questions;
        total.answered += r.answered;
        total.words += r.words;
        total.code_blocks += r.code_blocks;
    }
    let width = rows
        .iter()
        .map(|r| r.id.len())
        .chain([7])
        .max()
        .unwrap_or(7);
    let mut out = format!(
        "{:<width$}  {:>9}  {:>8}  {:>5}  {:>7}  {:>4}\n",
        "section", "questions", "answered", "%", "words", "code"
    );
    for r in rows.iter().chain(std::iter::once(&total)) {
        let pct = (r.answered * 100).checked_div(r.questions).unwrap_or(0);
        out.push_str(&format!(
            "{:<width$}  {:>9}  {:>8}  {:>4}%  {:>7}  {:>4}\n",
            r.id, r.questions, r.answered, pct, r.words, r.code_blocks
        ));
    }
    out
}
