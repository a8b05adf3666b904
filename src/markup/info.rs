//! What a code fence's info string and hidden lines tell `qbank check --run-examples`.
//!
//! The info string is the language, then attributes: ```` ```python env=django ````,
//! ```` ```sql norun ````, ```` ```sql mysql8 ````. Languages with a real tool behind them are
//! *examples*: Python and SQL run (or, `norun`, are only compiled / parsed by the server),
//! Bash, YAML, JSON and TOML are parsed. Other languages are only shown.
//!
//! In an example, a line whose first non-blank characters are `~ ` (or a lone `~`) is a
//! *hidden line*: it runs, without its marker and with its indentation, but is never shown —
//! for the imports and rows a block needs that do not teach. `~~ ` at the start shows a line
//! that really starts with `~ `.

use super::Example;

/// The marker of a hidden line: `~ from shop.models import Customer`.
pub const HIDDEN: char = '~';

/// The languages qbank can run or check, by the tool behind them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleLanguage {
    /// `python`, `py`, `python3`: run by Python (or compiled, with `norun`).
    Python,
    /// `sql`, `mysql`, `mariadb`: run on a MariaDB server.
    Sql,
    /// `bash`, `sh`: `bash -n`.
    Shell,
    /// `yaml`, `yml`: parsed (every document).
    Yaml,
    /// `json`: parsed.
    Json,
    /// `toml`: parsed by Python's `tomllib`.
    Toml,
}

impl ExampleLanguage {
    /// The example language of a fence's language word (lowercase), if any.
    pub fn of(language: &str) -> Option<Self> {
        Some(match language {
            "python" | "py" | "python3" => Self::Python,
            "sql" | "mysql" | "mariadb" => Self::Sql,
            "bash" | "sh" => Self::Shell,
            "yaml" | "yml" => Self::Yaml,
            "json" => Self::Json,
            "toml" => Self::Toml,
            _ => return None,
        })
    }

    /// Whether blocks of this language are executed unless marked.
    pub fn runs(self) -> bool {
        matches!(self, Self::Python | Self::Sql)
    }
}

/// A fence's meaning for `check --run-examples`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Info {
    pub example: Option<Example>,
    /// `env=NAME`: the environment of bank.yaml the block runs in.
    pub env: Option<String>,
    /// Attributes that do not apply, as (message, help) warnings.
    pub warnings: Vec<(String, &'static str)>,
}

const ATTRIBUTES_HELP: &str = "attributes: `norun` (python, sql), `env=NAME` (python, sql), `mysql8` (sql); bash, yaml, json and toml blocks are always only checked";

/// Reads the attributes after the language word (already lowercase).
pub fn parse(language: &str, attributes: &[String]) -> Info {
    let lang = ExampleLanguage::of(language);
    let mut info = Info {
        example: lang.map(|l| {
            if l.runs() {
                Example::Run
            } else {
                Example::NoRun
            }
        }),
        ..Info::default()
    };
    let mut norun = false;
    let mut mysql8 = false;
    for attr in attributes {
        let fits = match (attr.as_str(), lang) {
            // Redundant but harmless on the languages that are only ever checked.
            ("norun", Some(_)) => {
                norun = true;
                true
            }
            ("mysql8", Some(ExampleLanguage::Sql)) => {
                mysql8 = true;
                true
            }
            (a, Some(ExampleLanguage::Python | ExampleLanguage::Sql)) if a.starts_with("env=") => {
                let name = &a["env=".len()..];
                if name.is_empty() || info.env.is_some() {
                    false
                } else {
                    info.env = Some(name.to_string());
                    true
                }
            }
            _ => false,
        };
        if !fits {
            info.warnings.push((
                match lang {
                    Some(_) => format!(
                        "code block attribute `{attr}` does not apply to `{language}` blocks"
                    ),
                    None => format!("unknown code block attribute `{attr}`"),
                },
                ATTRIBUTES_HELP,
            ));
        }
    }
    if let Some(Example::Run) = info.example {
        if mysql8 {
            info.example = Some(Example::Mysql8);
        } else if norun {
            info.example = Some(Example::NoRun);
        }
    }
    info
}

/// Splits a block's text into what is shown and what runs (the hidden lines unmarked).
/// Borrows nothing back: both are owned, and equal when there is no hidden line.
pub fn split_hidden(source: &str) -> (String, String) {
    if !source.contains(HIDDEN) {
        return (source.to_string(), source.to_string());
    }
    let mut shown = String::with_capacity(source.len());
    let mut program = String::with_capacity(source.len());
    // `marker` alone, or followed by a space.
    let starts = |body: &str, marker: &str| {
        body.strip_prefix(marker)
            .is_some_and(|after| after.is_empty() || after.starts_with(' '))
    };
    for line in source.split_inclusive('\n') {
        let rest = line.trim_start_matches([' ', '\t']);
        let indent = &line[..line.len() - rest.len()];
        let body = rest.trim_end_matches(['\n', '\r']);
        if starts(body, "~~") {
            // An escape: `~~ x` shows and runs `~ x`.
            for out in [&mut shown, &mut program] {
                out.push_str(indent);
                out.push_str(&rest[HIDDEN.len_utf8()..]);
            }
        } else if starts(body, "~") {
            let after = &rest[HIDDEN.len_utf8()..];
            program.push_str(indent);
            program.push_str(after.strip_prefix(' ').unwrap_or(after));
        } else {
            shown.push_str(line);
            program.push_str(line);
        }
    }
    (shown, program)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn info_strings() {
        assert_eq!(parse("python", &[]).example, Some(Example::Run));
        assert_eq!(parse("py", &attrs("norun")).example, Some(Example::NoRun));
        let django = parse("python", &attrs("env=django"));
        assert_eq!(django.example, Some(Example::Run));
        assert_eq!(django.env.as_deref(), Some("django"));
        assert_eq!(parse("sql", &[]).example, Some(Example::Run));
        assert_eq!(
            parse("mysql", &attrs("mysql8")).example,
            Some(Example::Mysql8)
        );
        assert_eq!(parse("sql", &attrs("norun")).example, Some(Example::NoRun));
        assert_eq!(parse("yaml", &[]).example, Some(Example::NoRun));
        assert_eq!(parse("bash", &attrs("norun")).example, Some(Example::NoRun));
        assert!(parse("bash", &attrs("norun")).warnings.is_empty());
        assert_eq!(parse("nginx", &[]).example, None);
        for (lang, a) in [
            ("bash", "env=x"),
            ("python", "mysql8"),
            ("text", "norun"),
            ("python", "env="),
            ("python", "fast"),
        ] {
            assert_eq!(parse(lang, &attrs(a)).warnings.len(), 1, "{lang} {a}");
        }
    }

    #[test]
    fn hidden_lines_run_but_are_not_shown() {
        let src = "~ from shop.models import Customer\n~\nfor c in Customer.objects.all():\n    ~ assert c.pk\n    print(c)\n";
        let (shown, program) = split_hidden(src);
        assert_eq!(shown, "for c in Customer.objects.all():\n    print(c)\n");
        assert_eq!(
            program,
            "from shop.models import Customer\n\nfor c in Customer.objects.all():\n    assert c.pk\n    print(c)\n"
        );
    }

    #[test]
    fn only_the_marker_hides() {
        // `~x` (Python's bitwise not, a home folder in bash) and `~~ ` (an escape) are shown.
        let src = "x = (1 &\n~x)\ncd ~/src\n~~ literal\n~~\n";
        let (shown, program) = split_hidden(src);
        assert_eq!(shown, "x = (1 &\n~x)\ncd ~/src\n~ literal\n~\n");
        assert_eq!(program, shown);
        let (shown, program) = split_hidden("~ hidden\r\nshown\r\n");
        assert_eq!(shown, "shown\r\n");
        assert_eq!(program, "hidden\r\nshown\r\n");
    }
}
