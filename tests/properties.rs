//! Property tests: any *valid* bank — random ids and titles, Markdown built from a grammar
//! (emphasis, code, links, `q:` cross-references, nested lists, tables, fenced code in known
//! and unknown languages, block quotes, raw HTML, entities, images, many scripts) — loads
//! with no errors, renders every fragment as well-formed XHTML, and renders the same twice.
//!
//! 64 cases per property by default, to keep `cargo test` quick; run more with e.g.
//! `PROPTEST_CASES=2000 cargo test --release --test properties`. A failing case is shrunk and
//! its seed saved in `tests/properties.proptest-regressions` (commit it: it replays first).

mod invariants;
#[path = "common/roundtrip.rs"]
mod roundtrip;

use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::FileFailurePersistence;

/// 64 cases unless `PROPTEST_CASES` says otherwise. Failures are saved beside this file
/// (proptest's default looks for a `lib.rs`, which integration tests lack).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config
}

// ---------------------------------------------------------------------------------------------
// Markdown grammar

/// A word in one of several scripts (Latin with diacritics, Greek, Cyrillic, CJK, Arabic,
/// emoji, combining marks).
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z]{1,10}",
        1 => "[0-9]{1,4}",
        1 => "[àéîõüçñßøåæœ]{1,5}",
        1 => "[α-ω]{1,6}",
        1 => "[а-я]{1,6}",
        1 => "[一-龥]{1,4}",
        1 => "[ا-ي]{1,5}",
        1 => "[😀-🙏]{1,2}",
        1 => "[a-z]{1,3}\u{301}[a-z]{0,3}",
    ]
}

/// One inline element. Elements are joined by spaces, so punctuation tokens never fuse into
/// links or HTML tags the grammar did not mean (those would be errors, e.g. a link to a
/// disallowed scheme, and these banks must be valid).
fn inline(ids: Vec<String>) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => word(),
        1 => word().prop_map(|w| format!("*{w}*")),
        1 => word().prop_map(|w| format!("_{w}_")),
        1 => word().prop_map(|w| format!("**{w}**")),
        1 => (word(), word()).prop_map(|(a, b)| format!("***{a} {b}***")),
        1 => word().prop_map(|w| format!("~~{w}~~")),
        1 => "[a-z_ ().<>&\"'=\\[\\]]{1,14}".prop_map(|c| format!("`{c}`")),
        1 => (word(), "[a-z]{1,8}")
            .prop_map(|(t, p)| format!("[{t}](https://example.com/{p}?a=1&b=2 \"T<i>&\")")),
        2 => (word(), select(ids.clone())).prop_map(|(t, id)| format!("[{t} *{t}*](q:{id})")),
        // Link texts holding what may not nest in a link: autolinks, images, code.
        1 => (word(), select(ids), select(vec![
            "<https://example.org/in>", "<me@example.com>", "![pic](images/pic.png)", "`<a>`",
        ]))
            .prop_map(|(t, id, inner)| format!("[{t} {inner}](q:{id})")),
        1 => select(vec![
            "<b>", "</b>", "<span class=\"x\">", "<br>", "<br/>", "<!-- c -->",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</div>", "<a href=\"x\">",
        ])
        .prop_map(str::to_string),
        1 => select(vec![
            "&amp;", "&lt;", "&gt;", "&quot;", "&copy;", "&nbsp;", "&#169;", "&#x1F600;",
            "&hellip;", "&unknown;", "&", "&#0;", "&#xD800;",
        ])
        .prop_map(str::to_string),
        1 => "[!-/:-@\\[-`{-~]".prop_map(|p: String| p),
        1 => select(vec![
            "<https://example.org/a?b=1&c=2>",
            "<someone@example.com>",
            "[mail](mailto:a@example.com)",
            "![a diagram *x*](images/pic.png \"Pic\")",
        ])
        .prop_map(str::to_string),
    ]
}

/// Inline text starting with a plain word, so it never opens a block (a list item, an HTML
/// block, a heading).
fn line(ids: Vec<String>) -> impl Strategy<Value = String> {
    ("[a-zA-Z]{1,8}", prop::collection::vec(inline(ids), 0..8)).prop_map(|(first, rest)| {
        std::iter::once(first)
            .chain(rest)
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[derive(Debug, Clone)]
enum Block {
    Paragraph(Vec<String>),
    Heading(u8, String),
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table(Vec<String>, Vec<Vec<String>>),
    Code(String, Vec<String>),
    Html(String),
    Rule,
}

fn code_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[ -~]{0,30}",
        1 => "\t[a-z]{1,5} = \"[é中😀<&>]{0,4}\"",
        1 => Just(String::new()),
    ]
    // A line opening with a fence would end the block early.
    .prop_map(|l| {
        if l.trim_start().starts_with("```") || l.trim_start().starts_with("~~~") {
            format!("x{l}")
        } else {
            l
        }
    })
}

fn cell() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..3).prop_map(|w| w.join(" "))
}

fn leaf(ids: Vec<String>) -> impl Strategy<Value = Block> {
    prop_oneof![
        5 => prop::collection::vec(line(ids.clone()), 1..4).prop_map(Block::Paragraph),
        1 => (1u8..=4, line(ids.clone())).prop_map(|(n, l)| Block::Heading(n, l)),
        2 => (1usize..4).prop_flat_map(|cols| {
            (
                prop::collection::vec(cell(), cols),
                prop::collection::vec(prop::collection::vec(cell(), cols), 0..4),
            )
        })
        .prop_map(|(head, rows)| Block::Table(head, rows)),
        2 => (
            select(vec![
                "python", "python norun", "py", "sql", "bash", "sh", "json", "yaml", "klingon",
                "", "text", "output",
            ]),
            prop::collection::vec(code_line(), 0..6),
        )
            .prop_map(|(lang, lines)| Block::Code(lang.to_string(), lines)),
        1 => line(ids).prop_map(Block::Html),
        1 => Just(Block::Rule),
    ]
}

fn block(ids: Vec<String>) -> impl Strategy<Value = Block> {
    leaf(ids).prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (
                any::<bool>(),
                prop::collection::vec(prop::collection::vec(inner.clone(), 1..3), 1..4)
            )
                .prop_map(|(ordered, items)| Block::List { ordered, items }),
            prop::collection::vec(inner, 1..3).prop_map(Block::Quote),
        ]
    })
}

fn markdown(ids: Vec<String>) -> impl Strategy<Value = String> {
    prop::collection::vec(block(ids), 1..6).prop_map(|blocks| blocks_to_md(&blocks))
}

/// Blocks separated by blank lines; each block's text ends with a newline.
fn blocks_to_md(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(block_to_md)
        .collect::<Vec<_>>()
        .join("\n")
}

fn block_to_md(block: &Block) -> String {
    match block {
        Block::Paragraph(lines) => lines.iter().map(|l| format!("{l}\n")).collect(),
        Block::Heading(n, l) => format!("{} {l}\n", "#".repeat(usize::from(*n))),
        Block::List { ordered, items } => {
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                let marker = if *ordered {
                    format!("{}. ", i + 1)
                } else {
                    "- ".to_string()
                };
                let pad = " ".repeat(marker.len());
                for (j, l) in blocks_to_md(item).lines().enumerate() {
                    if j == 0 {
                        out.push_str(&marker);
                    } else if !l.is_empty() {
                        out.push_str(&pad);
                    }
                    out.push_str(l);
                    out.push('\n');
                }
            }
            out
        }
        Block::Quote(blocks) => blocks_to_md(blocks)
            .lines()
            .map(|l| {
                if l.is_empty() {
                    ">\n".to_string()
                } else {
                    format!("> {l}\n")
                }
            })
            .collect(),
        Block::Table(head, rows) => {
            let row = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
            let mut out = row(head);
            out.push_str(&row(&vec!["---".to_string(); head.len()]));
            for r in rows {
                out.push_str(&row(r));
            }
            out
        }
        Block::Code(lang, lines) => {
            let mut out = format!("```{lang}\n");
            for l in lines {
                out.push_str(l);
                out.push('\n');
            }
            out.push_str("```\n");
            out
        }
        Block::Html(l) => format!("<div class=\"note\">\n{l}\n</div>\n"),
        Block::Rule => "---\n".to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Banks

#[derive(Debug, Clone)]
struct GenQuestion {
    id: String,
    question: String,
    level: Option<&'static str>,
    tags: Vec<String>,
    /// (summary, answer); `None` while unanswered.
    answer: Option<(String, String)>,
    /// Per field (question, summary, answer): write as a literal block scalar, else quoted.
    block_style: [bool; 3],
}

#[derive(Debug, Clone)]
struct GenSection {
    id: String,
    title: String,
    questions: Vec<GenQuestion>,
}

#[derive(Debug, Clone)]
struct GenBank {
    id: String,
    title: String,
    language: &'static str,
    part_titles: Vec<String>,
    sections: Vec<GenSection>,
}

fn slug() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}"
}

fn title() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![word(), "[&<>\"'#:*|{}!%@`-]"], 1..6)
        .prop_map(|w| w.join(" "))
}

fn question(id: String, ids: Vec<String>) -> impl Strategy<Value = GenQuestion> {
    (
        line(ids.clone()),
        proptest::option::of(select(vec!["junior", "mid", "senior"])),
        prop::collection::vec(slug(), 0..3),
        proptest::option::weighted(
            0.8,
            (
                prop::collection::vec(line(ids.clone()), 1..3).prop_map(|l| l.join("\n")),
                markdown(ids),
            ),
        ),
        any::<[bool; 3]>(),
    )
        .prop_map(
            move |(question, level, tags, answer, block_style)| GenQuestion {
                id: id.clone(),
                question,
                level,
                tags,
                answer,
                block_style,
            },
        )
}

fn bank() -> impl Strategy<Value = GenBank> {
    // Question ids unique across the bank, then cut into 1–4 sections.
    (
        prop::collection::btree_set(slug(), 1..10),
        prop::collection::btree_set(slug(), 1..5),
    )
        .prop_flat_map(|(qids, sids)| {
            let qids: Vec<String> = qids.into_iter().collect();
            let sids: Vec<String> = sids.into_iter().collect();
            let questions: Vec<_> = qids
                .iter()
                .map(|id| question(id.clone(), qids.clone()))
                .collect();
            let n_sections = sids.len();
            (
                slug(),
                title(),
                select(vec!["en", "en-GB", "pt-BR", "zh-Hans", "ar"]),
                prop::collection::vec(title(), n_sections),
                questions,
                Just(sids),
                1..=n_sections,
            )
        })
        .prop_map(
            |(id, title, language, section_titles, questions, sids, parts)| {
                let per = questions.len().div_ceil(sids.len());
                let mut sections: Vec<GenSection> = sids
                    .iter()
                    .zip(section_titles)
                    .map(|(id, title)| GenSection {
                        id: id.clone(),
                        title,
                        questions: Vec::new(),
                    })
                    .collect();
                for (i, q) in questions.into_iter().enumerate() {
                    sections[i / per.max(1)].questions.push(q);
                }
                GenBank {
                    id,
                    title,
                    language,
                    part_titles: (1..=parts).map(|n| format!("Part {n}")).collect(),
                    sections,
                }
            },
        )
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// `key: value` at `indent` spaces, the value as a literal block scalar or a quoted string.
fn field(out: &mut String, indent: usize, key: &str, value: &str, block: bool) {
    let pad = " ".repeat(indent);
    if !block {
        let _ = writeln!(out, "{pad}{key}: {}", quoted(value));
        return;
    }
    // The explicit indentation indicator keeps leading spaces of the first line; the chomping
    // indicator keeps the exact trailing newlines.
    let chomp = if !value.ends_with('\n') {
        "-"
    } else if value.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let _ = writeln!(out, "{pad}{key}: |2{chomp}");
    for l in value.lines() {
        if l.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}  {l}");
        }
    }
}

fn write_bank(bank: &GenBank, dir: &Path) {
    let mut text = String::new();
    let _ = writeln!(text, "id: {}", bank.id);
    let _ = writeln!(text, "title: {}", quoted(&bank.title));
    let _ = writeln!(text, "language: {}", bank.language);
    let _ = writeln!(text, "version: 1.0.0\nparts:");
    let per = bank.sections.len().div_ceil(bank.part_titles.len());
    for (title, chunk) in bank.part_titles.iter().zip(bank.sections.chunks(per)) {
        let ids: Vec<&str> = chunk.iter().map(|s| s.id.as_str()).collect();
        let _ = writeln!(text, "  - title: {}", quoted(title));
        let _ = writeln!(text, "    sections: [{}]", ids.join(", "));
    }
    std::fs::create_dir_all(dir.join("sections")).unwrap();
    std::fs::create_dir_all(dir.join("images")).unwrap();
    std::fs::write(dir.join("images/pic.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(dir.join("bank.yaml"), text).unwrap();
    for s in &bank.sections {
        let mut text = format!("id: {}\ntitle: {}\nquestions:\n", s.id, quoted(&s.title));
        if s.questions.is_empty() {
            text = format!("id: {}\ntitle: {}\nquestions: []\n", s.id, quoted(&s.title));
        }
        for q in &s.questions {
            let _ = writeln!(text, "  - id: {}", q.id);
            field(&mut text, 4, "question", &q.question, q.block_style[0]);
            if let Some(level) = q.level {
                let _ = writeln!(text, "    level: {level}");
            }
            if !q.tags.is_empty() {
                let _ = writeln!(text, "    tags: [{}]", q.tags.join(", "));
            }
            if let Some((summary, answer)) = &q.answer {
                field(&mut text, 4, "summary", summary, q.block_style[1]);
                field(&mut text, 4, "answer", answer, q.block_style[2]);
            }
        }
        std::fs::write(dir.join("sections").join(format!("{}.yaml", s.id)), text).unwrap();
    }
}

/// Everything `Project::open` reports, drawn, for failure messages.
fn drawn(project: &qbank::Project) -> String {
    qbank::diagnostics::render_to_string(&project.map.sources, &project.diagnostics)
}

proptest! {
    #![proptest_config(config())]

    /// A valid bank loads without errors, exactly as written, and every fragment it renders
    /// is well-formed XHTML; rendering it again gives the same JSON.
    #[test]
    fn valid_banks_render_well_formed_and_deterministically(bank in bank()) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("content");
        write_bank(&bank, &dir);
        let project = qbank::Project::open(&dir);
        prop_assert_eq!(project.error_count(), 0, "{}", drawn(&project));

        // The YAML written is the bank generated: same questions, same Markdown.
        let loaded: Vec<_> = project.bank.questions().map(|(_, q)| q).collect();
        let generated: Vec<_> = bank.sections.iter().flat_map(|s| &s.questions).collect();
        prop_assert_eq!(loaded.len(), generated.len());
        for (l, g) in loaded.iter().zip(&generated) {
            prop_assert_eq!(&l.id, &g.id);
            prop_assert_eq!(&l.question, &g.question);
            prop_assert_eq!(l.summary.as_ref(), g.answer.as_ref().map(|a| &a.0));
            prop_assert_eq!(l.answer.as_ref(), g.answer.as_ref().map(|a| &a.1));
        }

        for q in project.rendered.questions() {
            for f in std::iter::once(&q.question).chain(q.body()) {
                invariants::check_fragment(f, &q.id);
                for id in &f.xrefs {
                    let anchor = format!("href=\"#q-{id}\"");
                    prop_assert!(f.html.contains(&anchor), "{} lacks {}", f.html, anchor);
                }
            }
        }

        let again = qbank::Project::open(&dir);
        prop_assert_eq!(
            serde_json::to_string(&project.rendered).unwrap(),
            serde_json::to_string(&again.rendered).unwrap()
        );
    }

    /// A valid bank exported to Markdown (into its own folder, so images come along) and
    /// imported back is the same bank: every id, title, level, tag, summary and answer, and
    /// the same rendered model.
    #[test]
    fn valid_banks_export_to_markdown_and_import_back_the_same(bank in bank()) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("content");
        write_bank(&bank, &dir);
        let project = qbank::Project::open(&dir);
        prop_assert_eq!(project.error_count(), 0, "{}", drawn(&project));
        let md = dir.join("export.md");
        std::fs::write(&md, qbank::export::markdown::export(&project.bank)).unwrap();
        let back = tmp.path().join("back");
        let report = qbank::import::markdown(&md, &back).unwrap();
        prop_assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        let imported = qbank::Project::open(&back);
        prop_assert_eq!(imported.error_count(), 0, "{}", drawn(&imported));
        prop_assert_eq!(roundtrip::texts(&imported.bank), roundtrip::texts(&project.bank));
        prop_assert_eq!(roundtrip::rendered(&imported), roundtrip::rendered(&project));
    }

    /// Markdown from the grammar, mixed with arbitrary text (control characters, stray
    /// brackets, anything), renders as well-formed XHTML with problems inside the source.
    #[test]
    fn any_markdown_renders_well_formed(
        md in markdown(vec!["a".into(), "gil-explained".into()]),
        noise in prop::collection::vec(any::<String>(), 0..3),
    ) {
        invariants::render_markdown(&md);
        let mut mixed = md.clone();
        for (i, n) in noise.iter().enumerate() {
            let at = (md.len() * (i + 1) / (noise.len() + 1)..md.len())
                .find(|&k| mixed.is_char_boundary(k))
                .unwrap_or(mixed.len());
            mixed.insert_str(at, n);
        }
        invariants::render_markdown(&mixed);
    }
}
