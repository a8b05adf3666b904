//! What a Markdown export keeps, for the round-trip tests (tests/export.rs on content/ and
//! fixtures, tests/properties.rs on random banks): every text as the export carries it, and
//! the rendered model.

use qbank::model::{Bank, Level};

/// A question's text as a heading holds it: one line.
pub fn one_line(md: &str) -> String {
    md.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A bank's texts as the export carries them: a question on one line (a heading is one
/// line), summaries and answers without trailing blank lines.
#[derive(Debug, PartialEq)]
pub struct Texts {
    meta: (
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        Vec<String>,
    ),
    parts: Vec<(String, Vec<SectionTexts>)>,
}

pub type SectionTexts = (String, String, Vec<QuestionTexts>);
pub type QuestionTexts = (
    String,
    String,
    Option<Level>,
    Vec<String>,
    Option<String>,
    Option<String>,
);

pub fn texts(bank: &Bank) -> Texts {
    let trimmed = |s: &Option<String>| s.as_ref().map(|s| s.trim_end().to_string());
    let m = &bank.meta;
    Texts {
        meta: (
            m.id.clone(),
            m.title.clone(),
            trimmed(&m.subtitle),
            trimmed(&m.description),
            m.version.clone(),
            m.language.clone(),
            m.authors.clone(),
        ),
        parts: bank
            .parts
            .iter()
            .map(|p| {
                let sections = p
                    .sections
                    .iter()
                    .map(|s| {
                        let questions = s
                            .questions
                            .iter()
                            .map(|q| {
                                (
                                    q.id.clone(),
                                    one_line(&q.question),
                                    q.level,
                                    q.tags.clone(),
                                    trimmed(&q.summary),
                                    trimmed(&q.answer),
                                )
                            })
                            .collect();
                        (s.id.clone(), s.title.clone(), questions)
                    })
                    .collect();
                (p.title.clone(), sections)
            })
            .collect(),
    }
}

/// The rendered model as JSON, without the Markdown sources (a question's source is one line
/// after the round trip) and with a question's soft line breaks as spaces, for the same reason.
pub fn rendered(project: &qbank::Project) -> serde_json::Value {
    let mut json = serde_json::to_value(&project.rendered).unwrap();
    if let Some(d) = json["meta"]["description"].as_str() {
        json["meta"]["description"] = d.trim_end().into();
    }
    for part in json["parts"].as_array_mut().unwrap() {
        for section in part["sections"].as_array_mut().unwrap() {
            for q in section["questions"].as_array_mut().unwrap() {
                q.as_object_mut().unwrap().remove("source");
                let html = q["question"]["html"].as_str().unwrap().replace('\n', " ");
                q["question"]["html"] = html.trim_end().into();
            }
        }
    }
    json
}
