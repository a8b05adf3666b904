//! Syntax highlighting with syntect: HTML spans with prefixed CSS classes, so one pair of
//! stylesheets (light and dark) serves every output. Assets load once, lazily.

use std::sync::OnceLock;

use syntect::highlighting::{FontStyle, Highlighter, Theme};
use syntect::parsing::{
    ParseState, Scope, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;

/// Every highlighted token's classes start with this prefix (`hl-keyword`, `hl-string`…).
pub const CLASS_PREFIX: &str = "hl-";

/// The syntax definitions: bat's extended set (Dockerfile, nginx, INI, TOML…), via two-face.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// qbank's own grammars (file name, text), which take precedence over [`syntaxes`]: lean
/// versions of the big ones for the languages a bank is mostly written in. Why, in the
/// comment atop each file.
const OWN_GRAMMARS: &[(&str, &str)] = &[
    (
        "python.sublime-syntax",
        include_str!("syntaxes/python.sublime-syntax"),
    ),
    (
        "sql.sublime-syntax",
        include_str!("syntaxes/sql.sublime-syntax"),
    ),
    (
        "yaml.sublime-syntax",
        include_str!("syntaxes/yaml.sublime-syntax"),
    ),
    (
        "bash.sublime-syntax",
        include_str!("syntaxes/bash.sublime-syntax"),
    ),
];

fn own_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        for (name, text) in OWN_GRAMMARS {
            let definition = SyntaxDefinition::load_from_str(text, true, None)
                .unwrap_or_else(|e| panic!("built-in grammar {name}: {e}"));
            builder.add(definition);
        }
        builder.build()
    })
}

/// A syntax and the set it belongs to (syntect resolves includes within a set).
#[derive(Clone, Copy)]
pub struct Syntax {
    set: &'static SyntaxSet,
    syntax: &'static SyntaxReference,
}

impl Syntax {
    /// The grammar's name (`Python`, `SQL`…).
    pub fn name(&self) -> &'static str {
        &self.syntax.name
    }
}

/// What a fence's language word resolves to.
pub enum Language {
    /// Highlighted with this syntax.
    Known(Syntax),
    /// Deliberately plain (`text`, `output`, no language).
    Plain,
    /// A word syntect does not know: shown as escaped plain code, with a warning.
    Unknown,
}

/// Maps a fence's language word (with common aliases) to a syntax.
pub fn language(word: &str) -> Language {
    let word = word.to_ascii_lowercase();
    let token = match word.as_str() {
        "" | "text" | "plain" | "plaintext" | "txt" | "output" => return Language::Plain,
        "py" | "python3" | "pycon" => "python",
        "sh" | "shell" | "console" | "zsh" | "shell-session" => "bash",
        "mysql" | "postgresql" | "psql" => "sql",
        "js" | "node" => "javascript",
        "yml" => "yaml",
        "docker" => "dockerfile",
        "conf" | "cfg" | "dotenv" | "env" => "ini",
        other => other,
    };
    [own_syntaxes(), syntaxes()]
        .into_iter()
        .find_map(|set| {
            set.find_syntax_by_token(token)
                .or_else(|| set.find_syntax_by_name(token))
                .map(|syntax| Syntax { set, syntax })
        })
        .map_or(Language::Unknown, Language::Known)
}

/// The token classes qbank emits: a small, stable vocabulary every theme styles, instead of
/// syntect's full scope stacks (a `<span>` per nested scope made code blocks five times
/// larger than the code). Each entry: scope prefix → class (without [`CLASS_PREFIX`]); the
/// innermost scope of a token that matches an entry decides its class.
const TOKEN_CLASSES: &[(&str, &str)] = &[
    ("comment", "comment"),
    ("punctuation.definition.comment", "comment"),
    ("constant.character.escape", "escape"),
    ("string", "string"),
    ("constant.numeric", "number"),
    ("constant", "constant"),
    ("variable.language", "constant"),
    ("keyword", "keyword"),
    ("storage.modifier", "keyword"),
    ("storage", "storage"),
    ("entity.name.function.decorator", "decorator"),
    ("meta.annotation", "decorator"),
    ("entity.name.function", "function"),
    ("entity.name.tag", "tag"),
    ("entity.other.attribute-name", "attribute"),
    ("entity.name", "type"),
    ("support.function", "builtin"),
    ("support.type", "type"),
    ("support.class", "type"),
    ("variable.parameter", "parameter"),
    ("markup.heading", "keyword"),
    ("invalid", "invalid"),
];

/// For each class, the scope used to read its colour and font style from a syntect theme.
const CLASS_SAMPLES: &[(&str, &str)] = &[
    ("comment", "comment.line"),
    ("escape", "constant.character.escape"),
    ("string", "string.quoted.double"),
    ("number", "constant.numeric"),
    ("constant", "constant.language"),
    ("keyword", "keyword.control"),
    ("storage", "storage.type"),
    ("decorator", "entity.name.function.decorator"),
    ("function", "entity.name.function"),
    ("tag", "entity.name.tag"),
    ("attribute", "entity.other.attribute-name"),
    ("type", "support.type"),
    ("builtin", "support.function.builtin"),
    ("parameter", "variable.parameter"),
    ("invalid", "invalid"),
];

fn class_for(stack: &ScopeStack) -> Option<&'static str> {
    static PARSED: OnceLock<Vec<(Scope, &'static str)>> = OnceLock::new();
    thread_local! {
        /// Scope → class, memoized: a token's stack holds a handful of scopes out of a few
        /// hundred distinct ones, and prefix tests against the table add up on big banks.
        static CACHE: std::cell::RefCell<std::collections::HashMap<Scope, Option<&'static str>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    let table = PARSED.get_or_init(|| {
        TOKEN_CLASSES
            .iter()
            .map(|(scope, class)| (Scope::new(scope).expect("valid scope"), *class))
            .collect()
    });
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        stack.as_slice().iter().rev().find_map(|scope| {
            *cache.entry(*scope).or_insert_with(|| {
                table
                    .iter()
                    .find(|(prefix, _)| prefix.is_prefix_of(*scope))
                    .map(|(_, class)| *class)
            })
        })
    })
}

/// Highlights `code` as HTML: escaped text with `<span class="hl-…">` around the tokens
/// that have a class, adjacent tokens of one class merged. No wrapping `<pre>`.
pub fn highlight(code: &str, syntax: Syntax) -> String {
    highlight_in(code, syntax.set, syntax.syntax)
}

/// [`highlight`] with any syntect grammar (`syntax` must belong to `set`): for trying out
/// grammars before they are built in.
pub fn highlight_in(code: &str, set: &SyntaxSet, syntax: &SyntaxReference) -> String {
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 2);
    let mut open: Option<&'static str> = None;
    for line in LinesWithEndings::from(code) {
        let Ok(ops) = state.parse_line(line, set) else {
            // A syntax definition failing on odd input must not lose the code.
            return crate::markup::escape(code);
        };
        let mut emit = |text: &str, class: Option<&'static str>, out: &mut String| {
            if text.is_empty() {
                return;
            }
            // Newlines close spans so every line stands alone (wrapping, page breaks).
            for (i, piece) in text.split('\n').enumerate() {
                if i > 0 {
                    if open.take().is_some() {
                        out.push_str("</span>");
                    }
                    out.push('\n');
                }
                if piece.is_empty() {
                    continue;
                }
                let class = if piece.trim().is_empty() { open } else { class };
                if open != class {
                    if open.is_some() {
                        out.push_str("</span>");
                    }
                    if let Some(c) = class {
                        out.push_str("<span class=\"");
                        out.push_str(CLASS_PREFIX);
                        out.push_str(c);
                        out.push_str("\">");
                    }
                    open = class;
                }
                crate::markup::escape_into(out, piece);
            }
        };
        let mut last = 0;
        for (at, op) in ops {
            emit(&line[last..at], class_for(&stack), &mut out);
            last = at;
            if stack.apply(&op).is_err() {
                return crate::markup::escape(code);
            }
        }
        emit(&line[last..], class_for(&stack), &mut out);
    }
    if open.is_some() {
        out.push_str("</span>");
    }
    out
}

/// The names of the themes available for [`css`].
pub fn theme_names() -> Vec<&'static str> {
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .map(|n| n.as_name())
        .collect()
}

fn theme(name: &str) -> Option<&'static Theme> {
    static THEMES: OnceLock<two_face::theme::EmbeddedLazyThemeSet> = OnceLock::new();
    let set = THEMES.get_or_init(two_face::theme::extra);
    two_face::theme::EmbeddedLazyThemeSet::theme_names()
        .iter()
        .find(|n| n.as_name().eq_ignore_ascii_case(name))
        .map(|n| set.get(*n))
}

/// The stylesheet for a theme: colour and font style of each token class, read from the
/// syntect theme. `None` for an unknown theme.
pub fn css(theme_name: &str) -> Option<String> {
    let theme = theme(theme_name)?;
    let highlighter = Highlighter::new(theme);
    let mut out = format!("/* token colours from the syntect theme \"{theme_name}\" */\n");
    for (class, sample) in CLASS_SAMPLES {
        let scope = Scope::new(sample).expect("valid scope");
        let style = highlighter.style_mod_for_stack(&[scope]);
        let mut rules = Vec::new();
        if let Some(c) = style.foreground {
            rules.push(format!("color: #{:02x}{:02x}{:02x}", c.r, c.g, c.b));
        }
        if let Some(fs) = style.font_style {
            if fs.contains(FontStyle::BOLD) {
                rules.push("font-weight: bold".into());
            }
            if fs.contains(FontStyle::ITALIC) {
                rules.push("font-style: italic".into());
            }
        }
        if !rules.is_empty() {
            out.push_str(&format!(
                ".{CLASS_PREFIX}{class} {{ {}; }}\n",
                rules.join("; ")
            ));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve() {
        for word in [
            "py",
            "python",
            "sh",
            "console",
            "mysql",
            "js",
            "yml",
            "dockerfile",
            "nginx",
            "ini",
            "toml",
            "json",
            "sql",
            "bash",
        ] {
            assert!(matches!(language(word), Language::Known(_)), "{word}");
        }
        assert!(matches!(language("output"), Language::Plain));
        assert!(matches!(language("no-such-language"), Language::Unknown));
    }

    #[test]
    fn default_themes_exist() {
        let light = css("InspiredGitHub").unwrap();
        assert!(light.contains(".hl-"), "{}", &light[..200]);
        assert!(css("OneHalfDark").is_some());
        assert!(css("nope").is_none());
    }

    #[test]
    fn highlighted_python_uses_prefixed_classes() {
        let Language::Known(s) = language("python") else {
            panic!()
        };
        let html = highlight("def f(x):\n    return x < 1\n", s);
        assert!(
            html.contains("hl-keyword") || html.contains("hl-storage"),
            "{html}"
        );
        assert!(html.contains("&lt;"));
    }

    /// (class, text) of every highlighted token.
    fn tokens(html: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for piece in html.split("<span class=\"hl-").skip(1) {
            let (class, rest) = piece.split_once("\">").unwrap();
            let text = rest.split("</span>").next().unwrap();
            out.push((class.to_string(), text.trim().to_string()));
        }
        out
    }

    #[test]
    fn lean_python_grammar_classes() {
        let Language::Known(python) = language("python") else {
            panic!()
        };
        let code = r#"@app.route("/x", methods=["GET"])
async def fetch(self, url: str, *args, retries: int = 3, **kw) -> dict:
    """Docs.\n"""
    total = sorted(kw, key=len) + [0x1F, 1_000.5]
    label = f"{url!r} done {{x}}"
    if total is not None and obj.print:
        raise ValueError(rb'\d')  # comment
"#;
        let toks = tokens(&highlight(code, python));
        let has = |class: &str, text: &str| toks.iter().any(|(c, t)| c == class && t == text);
        for (class, text) in [
            ("decorator", "app.route"),
            ("parameter", "methods"),
            ("keyword", "async def"),
            ("function", "fetch"),
            ("constant", "self"),
            ("parameter", "url"),
            ("parameter", "args"),
            ("parameter", "retries"),
            ("parameter", "kw"),
            ("type", "str"),
            ("string", "&quot;&quot;&quot;Docs."),
            ("escape", "\\n"),
            ("builtin", "sorted"),
            ("parameter", "key"),
            ("number", "0x1F"),
            ("number", "1_000.5"),
            ("storage", "f"),
            ("escape", "{{"),
            ("keyword", "is not"),
            ("constant", "None"),
            ("type", "ValueError"),
            ("comment", "# comment"),
        ] {
            assert!(has(class, text), "no {class} `{text}` in {toks:?}");
        }
        // Interpolated code and attributes are not strings or builtins.
        assert!(!toks.iter().any(|(_, t)| t.contains("url!r")), "{toks:?}");
        assert!(!toks.iter().any(|(_, t)| t == "print"), "{toks:?}");
    }

    #[test]
    fn lean_sql_yaml_and_bash_grammars_classes() {
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
        let cases: [Case; 3] = [
            (
                "sql",
                "SELECT COUNT(*) FROM orders o -- all\nWHERE o.status = 'paid' AND total > 10;\n\
                 CREATE TABLE t (id BIGINT NOT NULL);\n",
                &[
                    ("keyword", "SELECT"),
                    ("builtin", "COUNT"),
                    ("comment", "-- all"),
                    ("string", "&#39;paid&#39;"),
                    ("number", "10"),
                    ("storage", "BIGINT"),
                    ("constant", "NULL"),
                ],
            ),
            (
                "yaml",
                "# CI\nname: build\nretries: 3\nenabled: true\nscript: |\n  make test\n",
                &[
                    ("comment", "# CI"),
                    ("tag", "name"),
                    ("string", "build"),
                    ("number", "3"),
                    ("constant", "true"),
                    ("string", "make test"),
                ],
            ),
            (
                "bash",
                "if [ -f app.py ]; then\n  echo \"ok\"  # done\nfi\npip install --upgrade pip\n",
                &[
                    ("keyword", "if"),
                    ("builtin", "echo"),
                    ("string", "&quot;ok&quot;"),
                    ("comment", "# done"),
                    ("parameter", "--upgrade"),
                ],
            ),
        ];
        for (lang, code, expected) in cases {
            let Language::Known(syntax) = language(lang) else {
                panic!("{lang}")
            };
            let toks = tokens(&highlight(code, syntax));
            for (class, text) in expected {
                assert!(
                    toks.iter().any(|(c, t)| c == class && t == text),
                    "{lang}: no {class} `{text}` in {toks:?}"
                );
            }
        }
    }
}
