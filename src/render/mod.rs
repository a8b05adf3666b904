//! The rendered model every output reads, and the registry of output formats.
//!
//! [`render_bank`] turns the content model into [`RenderedBank`] once: Markdown rendered to
//! XHTML, code highlighted, cross-references resolved. Each output format is one module with a
//! [`Renderer`] (and, when it has any, the options only it reads); adding a format means a new
//! module and one line in [`RENDERERS`].

pub mod anki;
mod archive;
mod dates;
pub mod epub;
mod json;
pub mod pdf;
pub mod print;
pub mod release;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::markup::{self, Context, Fragment};
use crate::model::{Bank, BankMeta, Level, Origin, Question, SourceMap};

#[derive(Debug, Serialize)]
pub struct RenderedBank {
    pub meta: BankMeta,
    pub parts: Vec<RenderedPart>,
    /// `changelog:` of bank.yaml, rendered: version → notes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub changelog: BTreeMap<String, Fragment>,
    /// `removed:` of bank.yaml, rendered: removed question id → why.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub removed_reasons: BTreeMap<String, Fragment>,
}

#[derive(Debug, Serialize)]
pub struct RenderedPart {
    pub title: String,
    pub sections: Vec<RenderedSection>,
}

#[derive(Debug, Serialize)]
pub struct RenderedSection {
    pub id: String,
    pub title: String,
    pub questions: Vec<RenderedQuestion>,
}

#[derive(Debug, Serialize)]
pub struct RenderedQuestion {
    pub id: String,
    /// HTML `id` of this question's anchor; cross-references link to `#<anchor>`.
    pub anchor: String,
    pub level: Option<Level>,
    pub tags: Vec<String>,
    /// The question as inline HTML (no `<p>` wrapper).
    pub question: Fragment,
    pub summary: Option<Fragment>,
    pub answer: Option<Fragment>,
    /// The Markdown as written, for tools that want to render it their own way.
    pub source: QuestionSource,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Debug, Serialize)]
pub struct QuestionSource {
    pub question: String,
    pub summary: Option<String>,
    pub answer: Option<String>,
}

impl RenderedQuestion {
    pub fn is_answered(&self) -> bool {
        self.answer.is_some()
    }

    /// Summary and answer fragments, in reading order.
    pub fn body(&self) -> impl Iterator<Item = &Fragment> {
        self.summary.iter().chain(self.answer.iter())
    }
}

impl RenderedBank {
    pub fn sections(&self) -> impl Iterator<Item = &RenderedSection> {
        self.parts.iter().flat_map(|p| &p.sections)
    }

    pub fn questions(&self) -> impl Iterator<Item = &RenderedQuestion> {
        self.sections().flat_map(|s| &s.questions)
    }
}

/// Renders every question once; problems found (dangling links, unknown languages, bad
/// image paths) come back as diagnostics pointing into the YAML.
pub fn render_bank(
    bank: &Bank,
    map: &SourceMap,
    progress: &crate::progress::Progress,
) -> (RenderedBank, Vec<Diagnostic>) {
    let ids: HashSet<String> = bank.questions().map(|(_, q)| q.id.clone()).collect();
    let ctx = Context {
        question_ids: &ids,
        root: &bank.root,
        rtl: crate::i18n::is_rtl(&bank.meta.language),
    };
    let mut diagnostics = Vec::new();
    let mut parts = Vec::new();
    for part in &bank.parts {
        let mut sections = Vec::new();
        for s in &part.sections {
            // Questions render in parallel (syntect is the cost); collecting keeps the order,
            // so the output is the same bytes whatever the thread count.
            let rendered: Vec<(RenderedQuestion, Vec<Diagnostic>)> = s
                .questions
                .par_iter()
                .map(|q| {
                    let mut found = Vec::new();
                    let r = render_question(q, &ctx, map, &mut found);
                    progress.inc(1);
                    (r, found)
                })
                .collect();
            let mut questions = Vec::with_capacity(rendered.len());
            for (q, found) in rendered {
                questions.push(q);
                diagnostics.extend(found);
            }
            sections.push(RenderedSection {
                id: s.id.clone(),
                title: s.title.clone(),
                questions,
            });
        }
        parts.push(RenderedPart {
            title: part.title.clone(),
            sections,
        });
    }
    let mut notes = |list: &[crate::model::Note]| -> BTreeMap<String, Fragment> {
        list.iter()
            .map(|n| {
                let fragment = markup::render(&n.markdown, &ctx);
                for p in &fragment.problems {
                    let d = match p.severity {
                        Severity::Error => Diagnostic::error(p.message.clone()),
                        Severity::Warning => Diagnostic::warning(p.message.clone()),
                    };
                    diagnostics.push(d.at(map.place_in_value(&n.origin, &n.markdown, p.offset)));
                }
                (n.key.clone(), fragment)
            })
            .collect()
    };
    let changelog = notes(&bank.release.changelog);
    let removed_reasons = notes(&bank.release.removed);
    let rendered = RenderedBank {
        meta: bank.meta.clone(),
        parts,
        changelog,
        removed_reasons,
    };
    (rendered, diagnostics)
}

fn render_question(
    q: &Question,
    ctx: &Context,
    map: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> RenderedQuestion {
    let mut field = |name: &str, md: &str, fragment: Fragment| {
        let origin = q.origin.field(name);
        for p in &fragment.problems {
            let d = match p.severity {
                Severity::Error => Diagnostic::error(p.message.clone()),
                Severity::Warning => Diagnostic::warning(p.message.clone()),
            };
            let mut d = d
                .at(map.place_in_value(&origin, md, p.offset))
                .question(&q.id);
            if let Some(help) = &p.help {
                d = d.help(help.clone());
            }
            diagnostics.push(d);
        }
        fragment
    };
    let question = field(
        "question",
        &q.question,
        markup::render_inline(&q.question, ctx),
    );
    let summary = q
        .summary
        .as_deref()
        .map(|md| field("summary", md, markup::render(md, ctx)));
    let answer = q
        .answer
        .as_deref()
        .map(|md| field("answer", md, markup::render(md, ctx)));
    RenderedQuestion {
        id: q.id.clone(),
        anchor: markup::anchor(&q.id),
        level: q.level,
        tags: q.tags.clone(),
        question,
        summary,
        answer,
        source: QuestionSource {
            question: q.question.clone(),
            summary: q.summary.clone(),
            answer: q.answer.clone(),
        },
        origin: q.origin.clone(),
    }
}

/// What a build was asked for, beyond the formats. Options that only one format reads live
/// in that format's module.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Only these section ids (all when empty).
    pub sections: Vec<String>,
    /// CSS and code colours of every output.
    pub theme: crate::theme::Theme,
    pub anki: anki::Options,
    pub epub: epub::Options,
    pub print: print::Options,
    pub pdf: pdf::Options,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            sections: Vec::new(),
            theme: crate::theme::Theme::default_theme(),
            anki: anki::Options::default(),
            epub: epub::Options::default(),
            print: print::Options::default(),
            pdf: pdf::Options::default(),
        }
    }
}

/// When a question (or another tracked thing) first appeared and last changed, in Unix
/// seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    pub added: i64,
    pub changed: i64,
}

/// The times of every question (and of other tracked things, keys starting with `@`): what
/// `qbank.lock` hands the renderers.
pub type ChangeTimes = std::collections::BTreeMap<String, Times>;

/// Everything a renderer reads: the rendered bank, the bank folder (for media), the options
/// and each question's change time.
pub struct BuildContext<'a> {
    pub bank: &'a RenderedBank,
    pub root: &'a Path,
    pub options: &'a BuildOptions,
    pub times: &'a ChangeTimes,
    /// The time of this build (`SOURCE_DATE_EPOCH` or the clock), for outputs with no
    /// question to date them by.
    pub now: i64,
    /// Renderers report finished files here.
    pub progress: &'a crate::progress::Progress,
    /// What each version changed and which questions are gone (from `qbank.lock`).
    pub history: &'a release::History,
    /// The fixed strings in the bank's language, with its `labels:`, and its direction.
    pub strings: crate::i18n::Strings,
    /// Question id → (position in the bank, in a selected section), built once so lookups
    /// stay O(1) on large banks.
    index: HashMap<&'a str, (usize, bool)>,
    /// Whether any question holds a formula (MathML), which asks for a math font.
    has_math: bool,
}

/// CSS a bank with formulas adds after the theme's: an OpenType MATH font where one is
/// installed (Chromium stretches brackets, radicals and accents only with one), platform by
/// platform — macOS and iOS, Windows, Android, Linux — then the browser's own choice.
const MATH_CSS: &str = "/* formulas (qbank, as the bank has math): a font with an OpenType MATH table */\n\
    math { font-family: \"STIX Two Math\", \"Cambria Math\", \"Noto Sans Math\", \
    \"Latin Modern Math\", \"DejaVu Math TeX Gyre\", math; }\n";

impl<'a> BuildContext<'a> {
    pub fn new(
        bank: &'a RenderedBank,
        root: &'a Path,
        options: &'a BuildOptions,
        times: &'a ChangeTimes,
        now: i64,
        progress: &'a crate::progress::Progress,
    ) -> Self {
        let selected =
            |id: &str| options.sections.is_empty() || options.sections.iter().any(|s| s == id);
        let index = bank
            .sections()
            .flat_map(|s| s.questions.iter().map(move |q| (s, q)))
            .enumerate()
            .map(|(i, (s, q))| (q.id.as_str(), (i, selected(&s.id))))
            .collect();
        BuildContext {
            strings: crate::i18n::Strings::new(&bank.meta.language, &bank.meta.labels),
            bank,
            root,
            options,
            times,
            now,
            progress,
            history: &NO_HISTORY,
            index,
            has_math: bank.questions().any(|q| {
                [Some(&q.question), q.summary.as_ref(), q.answer.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|f| f.html.contains("<math "))
            }),
        }
    }

    /// CSS the bank adds after the theme's: its language's (fonts, direction: see
    /// [`crate::i18n::Strings::extra_css`]) and, when it has formulas, a math font. Empty for
    /// an English bank without math.
    pub fn extra_css(&self, epub: bool) -> String {
        let mut css = self.strings.extra_css(epub);
        if self.has_math {
            css.push_str(MATH_CSS);
        }
        css
    }

    /// The same context, telling renderers what each version changed.
    pub fn with_history(self, history: &'a release::History) -> Self {
        BuildContext { history, ..self }
    }

    /// What the bank's current version changed, if the lock knows it.
    pub fn current_release(&self) -> Option<&release::Release> {
        self.history.release(&self.bank.meta.version)
    }

    /// The sections selected for this build, in bank order.
    pub fn sections(&self) -> impl Iterator<Item = &RenderedSection> {
        self.bank
            .sections()
            .filter(|s| self.options.sections.is_empty() || self.options.sections.contains(&s.id))
    }

    /// Whether the question with this id is in one of the selected sections.
    pub fn includes_question(&self, question_id: &str) -> bool {
        self.index
            .get(question_id)
            .is_some_and(|(_, selected)| *selected)
    }

    /// A question's position in the whole bank (0-based).
    pub fn position(&self, question_id: &str) -> usize {
        self.index.get(question_id).map_or(usize::MAX, |(i, _)| *i)
    }

    /// The change time of a question or tracked key (0 when absent).
    pub fn lock_time(&self, key: &str) -> i64 {
        self.times.get(key).map_or(0, |t| t.changed)
    }
}

static NO_HISTORY: release::History = release::History {
    releases: Vec::new(),
    retired: Vec::new(),
};

/// One output format.
pub trait Renderer: Send + Sync {
    /// The folder name under the output directory (`json`, `anki`…), and its `--format` name.
    fn name(&self) -> &'static str;
    /// What it writes, for `--help`.
    fn description(&self) -> &'static str;
    /// Writes this format's files into `dir` (an empty staging folder) and returns them.
    fn render(&self, ctx: &BuildContext, dir: &Path) -> anyhow::Result<Vec<PathBuf>>;
    /// Whether `qbank build` without `--format` builds it (not when it needs a tool that may
    /// be missing and takes a while, as the PDFs do).
    fn by_default(&self) -> bool {
        true
    }
    /// Roughly how many files [`Renderer::render`] writes, for the progress bar.
    fn file_count(&self, _ctx: &BuildContext) -> u64 {
        1
    }
    /// Extra things whose change time the lock tracks (e.g. the Anki notetype), as
    /// (key, content hash). Keys start with `@` so they never clash with question ids.
    fn lock_keys(&self, _ctx: &BuildContext) -> Vec<(String, u64)> {
        Vec::new()
    }
}

/// Every output format, in the order builds write and list them: the registry. A new format
/// is a module beside these and one line here.
static RENDERERS: &[&dyn Renderer] = &[
    &json::Json,
    &anki::Anki,
    &epub::Epub,
    &print::Print,
    &pdf::Pdf,
];

/// An output format `qbank build --format` accepts: one entry of [`RENDERERS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Format(usize);

impl Format {
    pub fn all() -> Vec<Format> {
        (0..RENDERERS.len()).map(Format).collect()
    }

    /// What `qbank build` without `--format` builds.
    pub fn defaults() -> Vec<Format> {
        Self::all()
            .into_iter()
            .filter(|f| f.renderer().by_default())
            .collect()
    }

    pub fn renderer(self) -> &'static dyn Renderer {
        RENDERERS[self.0]
    }

    /// The format called `name`, if there is one.
    pub fn named(name: &str) -> Option<Format> {
        RENDERERS.iter().position(|r| r.name() == name).map(Format)
    }
}

impl clap::ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: std::sync::LazyLock<Vec<Format>> = std::sync::LazyLock::new(Format::all);
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let r = self.renderer();
        Some(clap::builder::PossibleValue::new(r.name()).help(r.description()))
    }
}

/// A message of the bank's language as HTML: its text escaped, and each `html` value (HTML
/// already, e.g. `<code>…</code>`) put where the message places it. Text values go in
/// `args`, escaped with the rest.
pub fn message_html(
    strings: &crate::i18n::Strings,
    id: &str,
    args: &[(&str, crate::i18n::Arg)],
    html: &[(&str, &str)],
) -> String {
    use crate::i18n::Arg;
    // Each HTML value stands in as a private-use character the message does not otherwise
    // hold (a label or a value could, in theory), swapped for the HTML after escaping.
    let plain = strings.format(id, args);
    let texts: String = args
        .iter()
        .filter_map(|(_, a)| match a {
            Arg::Text(t) => Some(*t),
            Arg::Num(_) => None,
        })
        .collect();
    let marks: Vec<String> = ('\u{E000}'..='\u{F8FF}')
        .filter(|c| !plain.contains(*c) && !texts.contains(*c))
        .take(html.len())
        .map(String::from)
        .collect();
    let mut all: Vec<(&str, Arg)> = args.to_vec();
    all.extend(
        html.iter()
            .zip(&marks)
            .map(|((name, _), mark)| (*name, Arg::Text(mark))),
    );
    let mut out = markup::escape(&strings.format(id, &all));
    for ((_, value), mark) in html.iter().zip(&marks) {
        out = out.replace(mark.as_str(), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::message_html;
    use crate::i18n::{Arg, Strings};

    #[test]
    fn a_message_as_html_escapes_its_text_and_places_the_html_values() {
        let de = Strings::new("de", &Default::default());
        assert_eq!(
            message_html(
                &de,
                "xref-number-page",
                &[("number", Arg::Num(7))],
                &[("page", "<span class=\"pn\">12</span>")],
            ),
            "F.\u{a0}7, S.\u{a0}<span class=\"pn\">12</span>"
        );
        // A label (the author's text) is escaped; a value holding the private-use character
        // the HTML would otherwise stand in for keeps it.
        let labels = [(
            "retired-back".to_string(),
            "<b>{ $version }</b> { $search }".to_string(),
        )];
        let own = Strings::new("en", &labels.into_iter().collect());
        assert_eq!(
            message_html(
                &own,
                "retired-back",
                &[("version", Arg::Text("2\u{E000}"))],
                &[("search", "<code>tag:x</code>")],
            ),
            "&lt;b&gt;2\u{E000}&lt;/b&gt; <code>tag:x</code>"
        );
    }
}
