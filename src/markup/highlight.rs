//! Syntax highlighting with syntect: HTML spans with prefixed CSS classes, so one pair of
//! stylesheets (light and dark) serves every output. Assets load once, lazily.

use std::sync::OnceLock;

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Every highlighted token's classes start with this prefix (`hl-keyword`, `hl-string`…).
pub const CLASS_PREFIX: &str = "hl-";
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed {
    prefix: CLASS_PREFIX,
};

/// The default light and dark syntect themes.
pub const LIGHT_THEME: &str = "InspiredGitHub";
pub const DARK_THEME: &str = "OneHalfDark";

/// The syntax definitions: bat's extended set (Dockerfile, nginx, INI, TOML…), via two-face.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// What a fence's language word resolves to.
pub enum Language {
    /// Highlighted with this syntax; the canonical name is kept for CSS and JSON.
    Known(&'static SyntaxReference),
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
    let set = syntaxes();
    set.find_syntax_by_token(token)
        .or_else(|| set.find_syntax_by_name(token))
        .map_or(Language::Unknown, Language::Known)
}

/// Highlights `code` as HTML spans (no wrapping `<pre>`), escaping everything else.
pub fn highlight(code: &str, syntax: &SyntaxReference) -> String {
    let set = syntaxes();
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A syntax definition failing on odd input must not lose the code: show it plain.
            return crate::markup::escape(code);
        }
    }
    generator.finalize()
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

/// The stylesheet for a theme, using the prefixed classes. `None` for an unknown theme.
pub fn css(theme_name: &str) -> Option<String> {
    let theme = theme(theme_name)?;
    css_for_theme_with_class_style(theme, CLASS_STYLE).ok()
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
        let light = css(LIGHT_THEME).unwrap();
        assert!(light.contains(".hl-"), "{}", &light[..200]);
        assert!(css(DARK_THEME).is_some());
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
}
