//! Markdown → XHTML fragments, rendered once for every output.
//!
//! One parser configuration (CommonMark + tables + strikethrough) for the whole program. The
//! output is well-formed XHTML (EPUB embeds it verbatim): pulldown-cmark self-closes void
//! elements and escapes `&<>"`. Raw HTML in content is turned into text, never passed through.
//! Code fences are highlighted by [`highlight`] into prefixed CSS classes, and the fences
//! qbank can run or check are collected for `qbank check --run-examples` ([`info`]: info
//! strings and hidden lines). `$…$` and `$$…$$` become MathML ([`math`]).

pub mod highlight;
pub mod info;
pub mod math;
mod media;

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostics::Severity;

use media::percent_decode;
pub use media::{check_media_path, image_src, image_type, media_file_name, retarget_image};

/// The link scheme for cross-references: `[the N+1 problem](q:n-plus-one-query-problem)`.
pub const XREF_SCHEME: &str = "q:";

/// The HTML `id` (and fragment) of a question's anchor in outputs that have links.
pub fn anchor(question_id: &str) -> String {
    format!("q-{question_id}")
}

/// What the renderer needs to know beyond the Markdown itself.
pub struct Context<'a> {
    /// Every question id in the bank, to resolve cross-references.
    pub question_ids: &'a HashSet<String>,
    /// The bank folder; image paths are relative to it and may not leave it.
    pub root: &'a Path,
    /// The bank is written right to left: code blocks say `dir="ltr"`, as code always reads.
    pub rtl: bool,
}

/// A rendered piece of Markdown.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fragment {
    pub html: String,
    /// Question ids this fragment links to.
    pub xrefs: Vec<String>,
    /// Images, as paths relative to the bank folder.
    pub images: Vec<String>,
    pub code_blocks: Vec<CodeBlock>,
    /// Words of prose (code excluded).
    pub words: usize,
    #[serde(skip)]
    pub problems: Vec<Problem>,
}

/// Whether and how `check --run-examples` treats a block (see [`info`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Example {
    /// ```` ```python ````, ```` ```python env=NAME ````, ```` ```sql ```` — executed; must
    /// succeed (and print what a following ```` ```output ```` block shows).
    Run,
    /// ```` ```python norun ````, ```` ```sql norun ```` and every bash, YAML, JSON and TOML
    /// block — not executed, only compiled or parsed.
    NoRun,
    /// ```` ```sql mysql8 ```` — MySQL 8 syntax that MariaDB can neither run nor parse.
    Mysql8,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeBlock {
    /// The language word as written in the fence (may be empty).
    pub language: String,
    /// The text shown to readers (hidden lines left out).
    pub source: String,
    /// The text that runs: `source` with the hidden lines, unmarked, in place.
    #[serde(skip)]
    pub program: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
    /// `env=NAME`: the environment of bank.yaml the block runs in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env: Option<String>,
    /// The stdout a runnable block must print: the ```` ```output ```` block right after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_output: Option<String>,
    /// Byte offset of the fence in the Markdown source.
    #[serde(skip)]
    pub offset: usize,
}

/// A content problem found while rendering, at a byte offset of the Markdown source.
#[derive(Debug, Clone)]
pub struct Problem {
    pub severity: Severity,
    pub offset: usize,
    pub message: String,
    pub help: Option<String>,
}

/// The one Markdown configuration every qbank reader shares: CommonMark, tables, strikethrough,
/// math (`$…$`, `$$…$$`: [`math`]).
pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_MATH
}

/// Renders block Markdown (an answer or summary).
pub fn render(md: &str, ctx: &Context) -> Fragment {
    let mut r = Render {
        ctx,
        out: Fragment::default(),
        events: Vec::new(),
        code: None,
        after_runnable: None,
        image_depth: 0,
        links: Vec::new(),
    };
    for (event, range) in Parser::new_ext(md, parser_options()).into_offset_iter() {
        r.event(event, range.start);
    }
    pulldown_cmark::html::push_html(&mut r.out.html, r.events.into_iter());
    r.out.html = xml_chars_only(r.out.html);
    r.out
}

/// Replaces the characters XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE,
/// U+FFFF) by U+FFFD. Found by fuzzing: Markdown can produce them from a literal control
/// character or from a character reference such as `&#1;`, which CommonMark decodes (it only
/// maps `&#0;` to U+FFFD), and pulldown-cmark passes them through. A strict XML reader (EPUB
/// reading systems, libxml2) rejects a whole document holding one, even escaped as `&#1;`.
fn xml_chars_only(html: String) -> String {
    // Fast path: the suspects are a byte below 0x20 or the lead byte 0xEF of U+F000..U+FFFF.
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF;
    if !html.bytes().any(suspect) {
        return html;
    }
    html.chars()
        .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

/// XML 1.0's `Char` production (a Rust `char` is never a surrogate).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Renders a one-paragraph piece of Markdown (a question) without its `<p>` wrapper.
pub fn render_inline(md: &str, ctx: &Context) -> Fragment {
    let blocks = Parser::new_ext(md, parser_options())
        .into_offset_iter()
        .filter(|(e, _)| is_top_level_block_start(e))
        .count();
    let mut fragment = render(md, ctx);
    let html = fragment.html.trim_end();
    if let Some(inner) = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .filter(|_| blocks == 1)
    {
        fragment.html = inner.to_string();
    } else {
        fragment.problems.push(Problem {
            severity: Severity::Error,
            offset: 0,
            message: "the question must be a single paragraph of Markdown".into(),
            help: Some("move detail into the answer".into()),
        });
    }
    fragment
}

fn is_top_level_block_start(e: &Event) -> bool {
    matches!(
        e,
        Event::Start(
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::List(_)
                | Tag::Table(_)
        ) | Event::Rule
    )
}

struct PendingCode {
    language: String,
    attributes: Vec<String>,
    source: String,
    offset: usize,
}

struct Render<'a, 'c> {
    ctx: &'c Context<'c>,
    out: Fragment,
    events: Vec<Event<'a>>,
    code: Option<PendingCode>,
    /// Index (in `out.code_blocks`) of a runnable block just closed, so a following
    /// `output` fence can attach to it.
    after_runnable: Option<usize>,
    image_depth: usize,
    /// Open links, innermost last: whether each one wrote an `<a>`.
    links: Vec<bool>,
}

impl<'a> Render<'a, '_> {
    fn problem(&mut self, severity: Severity, offset: usize, message: String, help: Option<&str>) {
        self.out.problems.push(Problem {
            severity,
            offset,
            message,
            help: help.map(str::to_string),
        });
    }

    fn event(&mut self, event: Event<'a>, offset: usize) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.source.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.finish_code(),
                _ => {}
            }
            return;
        }
        let runnable_before = self.after_runnable.take();
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut words = info.split_whitespace().map(str::to_string);
                let language = words.next().unwrap_or_default();
                self.after_runnable = runnable_before;
                self.code = Some(PendingCode {
                    language,
                    attributes: words.collect(),
                    source: String::new(),
                    offset,
                });
            }
            // Raw HTML is shown as text: content never injects markup into an output.
            Event::Html(s) | Event::InlineHtml(s) => self.events.push(Event::Text(s)),
            Event::Start(Tag::HtmlBlock) => self.events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => self.events.push(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let href = self.link_target(link_type, &dest_url, offset);
                // pulldown-cmark lets an autolink (`<https://…>`) sit inside a link's text.
                // A nested `<a>` is invalid HTML, and `rewrite_xrefs` would take the inner
                // `</a>` for the outer link's end and unbalance the tags (found by fuzzing):
                // inside a link, a link is just its text.
                let nested = self.links.iter().any(|wrote| *wrote);
                self.links.push(!nested);
                if nested {
                    return;
                }
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape(&title))
                };
                let class = if dest_url.starts_with(XREF_SCHEME) {
                    " class=\"xref\""
                } else {
                    ""
                };
                self.events.push(Event::Html(CowStr::from(format!(
                    "<a{class} href=\"{}\"{title}>",
                    escape(&href)
                ))));
            }
            Event::End(TagEnd::Link) => {
                if self.links.pop() == Some(true) {
                    self.events.push(Event::Html("</a>".into()));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.image_depth += 1;
                let dest_url = self.image_target(&dest_url, offset);
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                self.image_depth -= 1;
                self.events.push(Event::End(TagEnd::Image));
            }
            Event::Text(t) => {
                if self.image_depth == 0 {
                    self.out.words += t.split_whitespace().count();
                }
                self.events.push(Event::Text(t));
            }
            Event::Code(t) => {
                self.out.words += t.split_whitespace().count();
                self.events.push(Event::Code(t));
            }
            Event::InlineMath(tex) => self.math(&tex, false, offset + 1),
            Event::DisplayMath(tex) => self.math(&tex, true, offset + 2),
            other => self.events.push(other),
        }
    }

    /// A formula as MathML; TeX that does not convert is an error at its position (offset of
    /// the TeX in the Markdown), shown as code meanwhile.
    fn math(&mut self, tex: &str, display: bool, offset: usize) {
        self.out.words += 1;
        match math::to_mathml(tex, display) {
            Ok(mathml) => self.events.push(Event::InlineHtml(mathml.into())),
            Err(e) => {
                self.problem(
                    Severity::Error,
                    offset + e.at,
                    format!("this formula is not valid TeX: {}", e.message),
                    Some("math is TeX between `$…$` (inline) or `$$…$$` (display); write `\\$` for a dollar sign"),
                );
                self.events.push(Event::Code(tex.to_string().into()));
            }
        }
    }

    fn finish_code(&mut self) {
        let Some(code) = self.code.take() else { return };
        let runnable_before = self.after_runnable.take();
        let lang = code.language.to_ascii_lowercase();
        if lang == "output" {
            match runnable_before {
                Some(i) => self.out.code_blocks[i].expected_output = Some(code.source.clone()),
                None => self.problem(
                    Severity::Warning,
                    code.offset,
                    "an `output` block must directly follow a runnable block (python, sql)".into(),
                    Some("it is shown, but not checked"),
                ),
            }
        }
        let info = info::parse(&lang, &code.attributes);
        for (message, help) in info.warnings {
            self.problem(Severity::Warning, code.offset, message, Some(help));
        }
        // Hidden lines exist in examples only: elsewhere (`text`, `output`…) `~ ` is text.
        let (source, program) = if info.example.is_some() {
            info::split_hidden(&code.source)
        } else {
            (code.source.clone(), code.source)
        };
        let body = match highlight::language(&lang) {
            highlight::Language::Known(syntax) => highlight::highlight(&source, syntax),
            highlight::Language::Plain => escape(&source),
            highlight::Language::Unknown => {
                self.problem(
                    Severity::Warning,
                    code.offset,
                    format!(
                        "unknown code language `{}`: shown without highlighting",
                        code.language
                    ),
                    Some("use e.g. python, sql, bash, yaml, json, nginx, ini, dockerfile, text"),
                );
                escape(&source)
            }
        };
        let (class, data) = if lang == "output" {
            ("code output".to_string(), String::new())
        } else if lang.is_empty() {
            ("code".to_string(), String::new())
        } else {
            (
                "code".to_string(),
                format!(" data-lang=\"{}\"", escape(&lang)),
            )
        };
        self.events.push(Event::Html(CowStr::from(format!(
            "<pre class=\"{class}\"{data}{dir}><code>{body}</code></pre>\n",
            dir = if self.ctx.rtl { " dir=\"ltr\"" } else { "" }
        ))));
        if info.example == Some(Example::Run) {
            self.after_runnable = Some(self.out.code_blocks.len());
        }
        self.out.code_blocks.push(CodeBlock {
            language: code.language,
            source,
            program,
            example: info.example,
            env: info.env,
            expected_output: None,
            offset: code.offset,
        });
    }

    /// The href for a link, checking cross-references and schemes.
    fn link_target(&mut self, link_type: LinkType, dest: &str, offset: usize) -> String {
        if let Some(id) = dest.strip_prefix(XREF_SCHEME) {
            if !self.ctx.question_ids.contains(id) {
                self.problem(
                    Severity::Error,
                    offset,
                    format!("link to unknown question `{id}`"),
                    Some("cross-references are written [text](q:<question-id>)"),
                );
            } else if !self.out.xrefs.iter().any(|x| x == id) {
                self.out.xrefs.push(id.to_string());
            }
            return format!("#{}", anchor(id));
        }
        if link_type == LinkType::Email && !dest.to_ascii_lowercase().starts_with("mailto:") {
            // `<a@b.co>`: an address, which needs its scheme to be a link.
            return format!("mailto:{dest}");
        }
        let lower = dest.to_ascii_lowercase();
        let safe = lower.starts_with("https://")
            || lower.starts_with("http://")
            || lower.starts_with("mailto:")
            || link_type == LinkType::Email;
        if !safe {
            self.problem(
                Severity::Error,
                offset,
                format!("link target `{dest}` is not allowed"),
                Some(
                    "links go to http(s):// or mailto: addresses, or to another question as q:<id>",
                ),
            );
            return String::new();
        }
        dest.to_string()
    }

    /// Checks an image path: relative, inside the bank folder, existing, of a type every
    /// output can carry. `%20`-style escapes are decoded first, as in any URL.
    fn image_target(&mut self, dest: &str, offset: usize) -> CowStr<'a> {
        match check_media_path(self.ctx.root, &percent_decode(dest)) {
            Ok(rel) => {
                let rel = rel.to_string_lossy().replace('\\', "/");
                let src = image_src(&rel);
                if !self.out.images.contains(&rel) {
                    self.out.images.push(rel);
                }
                CowStr::from(src)
            }
            Err(message) => {
                self.problem(
                    Severity::Error,
                    offset,
                    message,
                    Some("images are files inside the bank folder, referenced by a relative path"),
                );
                CowStr::from("")
            }
        }
    }
}

/// Rewrites the cross-reference links in rendered HTML: `target(question_id)` gives the new
/// href, or `None` to keep the link text (still marked `class="xref"`) without a link — for
/// outputs where the target is absent or links lead nowhere. Borrows when there is none.
pub fn rewrite_xrefs(html: &str, target: impl Fn(&str) -> Option<String>) -> Cow<'_, str> {
    map_xrefs(html, |id, text| match target(id) {
        Some(href) => format!("<a class=\"xref\" href=\"{}\">{text}</a>", escape(&href)),
        None => format!("<span class=\"xref\">{text}</span>"),
    })
}

/// Replaces each cross-reference link with `replace(question_id, link_text_html)`: for
/// outputs that add to a link (the printed question number and page). Borrows when there is
/// none.
pub fn map_xrefs(html: &str, replace: impl Fn(&str, &str) -> String) -> Cow<'_, str> {
    const OPEN: &str = "<a class=\"xref\" href=\"#q-";
    if !html.contains(OPEN) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let (Some(quote), Some(close)) = (after.find('"'), after.find("</a>")) else {
            rest = &rest[start..];
            break;
        };
        let id = &after[..quote];
        let text_start = after[quote..].find('>').map_or(quote, |i| quote + i + 1);
        let text = &after[text_start..close];
        out.push_str(&replace(id, text));
        rest = &after[close + "</a>".len()..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The text of an HTML fragment this module rendered: tags dropped, entities decoded. For
/// places that want plain text, such as Anki's sort field or a table of contents.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    // Inside a formula, tokens that are separate elements stay separate words: `O(n log n)`,
    // not `O(nlogn)` (MathML lays them out with space; text has none).
    let mut tag = String::new();
    let mut math_depth = 0usize;
    let mut token_ended = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' => {
                in_tag = false;
                if tag.starts_with("math") {
                    math_depth += 1;
                } else if tag == "/math" {
                    math_depth = math_depth.saturating_sub(1);
                }
                token_ended = math_depth > 0;
            }
            c if in_tag => tag.push(c),
            c => {
                if token_ended
                    && c.is_alphanumeric()
                    && out.chars().next_back().is_some_and(char::is_alphanumeric)
                {
                    out.push(' ');
                }
                token_ended = false;
                out.push(c);
            }
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Escapes text for HTML and XML (content and attribute values).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

/// [`escape`], appending to `out`: runs without a special character are copied whole.
pub fn escape_into(out: &mut String, s: &str) {
    let mut copied = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&s[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_render(md: &str) -> Fragment {
        let ids: HashSet<String> = ["other-question".to_string()].into();
        let ctx = Context {
            question_ids: &ids,
            root: Path::new("."),
            rtl: false,
        };
        render(md, &ctx)
    }

    #[test]
    fn raw_html_is_escaped() {
        let f = ctx_render("Hi <script>alert(1)</script>\n\n<div onclick=\"x\">block</div>\n");
        assert!(!f.html.contains("<script"), "{}", f.html);
        assert!(!f.html.contains("<div"), "{}", f.html);
        assert!(f.html.contains("&lt;script&gt;"), "{}", f.html);
    }

    #[test]
    fn xrefs_resolve_and_dangling_ones_fail() {
        let f = ctx_render("See [this](q:other-question) and [that](q:missing).");
        assert!(
            f.html
                .contains("<a class=\"xref\" href=\"#q-other-question\">this</a>"),
            "{}",
            f.html
        );
        assert_eq!(f.xrefs, vec!["other-question"]);
        assert_eq!(f.problems.len(), 1);
        assert!(f.problems[0].message.contains("missing"));
    }

    #[test]
    fn xrefs_can_be_retargeted_or_unlinked() {
        let f = ctx_render("See [this](q:other-question), [web](https://x.org).");
        let moved = rewrite_xrefs(&f.html, |id| Some(format!("ch1.xhtml#q-{id}")));
        assert!(
            moved.contains("<a class=\"xref\" href=\"ch1.xhtml#q-other-question\">this</a>"),
            "{moved}"
        );
        let unlinked = rewrite_xrefs(&f.html, |_| None);
        assert!(
            unlinked.contains("<span class=\"xref\">this</span>"),
            "{unlinked}"
        );
        assert!(
            unlinked.contains("<a href=\"https://x.org\">web</a>"),
            "{unlinked}"
        );
    }

    #[test]
    fn javascript_links_are_refused() {
        let f = ctx_render("[x](javascript:alert(1))");
        assert!(!f.html.contains("javascript"), "{}", f.html);
        assert_eq!(f.problems[0].severity, Severity::Error);
    }

    #[test]
    fn python_examples_and_outputs_pair_up() {
        let md = "```python\nprint(1)\n```\n\n```output\n1\n```\n\n```python norun\nimport django\n```\n";
        let f = ctx_render(md);
        assert_eq!(f.code_blocks.len(), 3);
        assert_eq!(f.code_blocks[0].example, Some(Example::Run));
        assert_eq!(f.code_blocks[0].expected_output.as_deref(), Some("1\n"));
        assert_eq!(f.code_blocks[2].example, Some(Example::NoRun));
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }

    #[test]
    fn hidden_lines_run_but_never_reach_the_html() {
        let md = "```sql\n~ CREATE TABLE t (id INT);\nSELECT COUNT(*) FROM t;\n```\n\n```output\n+----------+\n```\n\n```text\n~ shown in text\n```\n";
        let f = ctx_render(md);
        assert!(!f.html.contains("CREATE"), "{}", f.html);
        assert!(f.html.contains("~ shown in text"), "{}", f.html);
        let sql = &f.code_blocks[0];
        assert_eq!(sql.source, "SELECT COUNT(*) FROM t;\n");
        assert_eq!(
            sql.program,
            "CREATE TABLE t (id INT);\nSELECT COUNT(*) FROM t;\n"
        );
        assert_eq!(sql.example, Some(Example::Run));
        assert_eq!(sql.expected_output.as_deref(), Some("+----------+\n"));
        let json = serde_json::to_string(&f).unwrap();
        assert!(!json.contains("CREATE"), "{json}");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }

    #[test]
    fn environments_and_misplaced_attributes() {
        let f = ctx_render("```python env=django\nprint(1)\n```\n\n```bash env=django\nls\n```\n");
        assert_eq!(f.code_blocks[0].env.as_deref(), Some("django"));
        assert_eq!(f.problems.len(), 1);
        assert!(
            f.problems[0]
                .message
                .contains("`env=django` does not apply")
        );
    }

    #[test]
    fn unknown_language_warns() {
        let f = ctx_render("```klingon\nqapla'\n```\n");
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].severity, Severity::Warning);
        assert!(f.html.contains("qapla&#39;"));
    }

    #[test]
    fn media_paths_cannot_escape() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        assert!(check_media_path(&root, "../Cargo.toml").is_err());
        assert!(check_media_path(&root, "/etc/passwd").is_err());
        assert!(check_media_path(&root, "https://x/y.png").is_err());
        // Inside the bank, but not an image every output can carry.
        let err = check_media_path(&root, "bank.yaml").unwrap_err();
        assert!(err.contains("PNG"), "{err}");
    }
}
