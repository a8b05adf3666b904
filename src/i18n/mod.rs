//! The fixed strings of every output ("Contents", "Not answered yet.", "5 questions"…) in the
//! bank's language, and what a language asks of the layout (direction, CJK fonts).
//!
//! One Project Fluent file per language under `locales/`, embedded at build time; English is
//! the reference every other file is checked against (see the tests). Plurals follow CLDR
//! through Fluent's selectors. A bank's `language` picks the file by BCP 47 fallback
//! (`pt-BR` → `pt` → English) and its `labels:` override single messages. This room knows
//! nothing of the content model or of formats: the loader asks it which keys exist, the
//! renderers ask it for text.

use std::borrow::Cow;
use std::collections::BTreeMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// Every shipped language: (file name without `.ftl`, its Fluent source).
pub const LOCALES: &[(&str, &str)] = &[
    ("en", include_str!("locales/en.ftl")),
    ("ar", include_str!("locales/ar.ftl")),
    ("de", include_str!("locales/de.ftl")),
    ("es", include_str!("locales/es.ftl")),
    ("fa", include_str!("locales/fa.ftl")),
    ("fr", include_str!("locales/fr.ftl")),
    ("he", include_str!("locales/he.ftl")),
    ("hi", include_str!("locales/hi.ftl")),
    ("it", include_str!("locales/it.ftl")),
    ("ja", include_str!("locales/ja.ftl")),
    ("ko", include_str!("locales/ko.ftl")),
    ("pl", include_str!("locales/pl.ftl")),
    ("pt", include_str!("locales/pt.ftl")),
    ("ru", include_str!("locales/ru.ftl")),
    ("tr", include_str!("locales/tr.ftl")),
    ("uk", include_str!("locales/uk.ftl")),
    ("zh-Hans", include_str!("locales/zh-Hans.ftl")),
];

/// A value passed into a message.
#[derive(Clone, Copy)]
pub enum Arg<'a> {
    Num(usize),
    Text(&'a str),
}

/// The strings of one bank: its language's messages over English, its `labels:` over both.
pub struct Strings {
    bundle: FluentBundle<FluentResource>,
    /// The bank's language tag, as written.
    tag: String,
    rtl: bool,
    /// The locale dates are written in: the bank's tag when qbank ships its language (so
    /// `pt-BR` and `de-CH` get their own conventions), else English, like the strings.
    date_locale: icu_locale_core::Locale,
}

impl Strings {
    /// The strings for `language` (a BCP 47 tag) with `labels` (message id → Fluent pattern)
    /// on top. Labels that do not parse or name no message are skipped here: the loader
    /// reports them (see [`check_label`]).
    pub fn new(language: &str, labels: &BTreeMap<String, String>) -> Strings {
        let file = resolve(language);
        let locale: LanguageIdentifier = file
            .split('-')
            .next()
            .and_then(|l| l.parse().ok())
            .unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // No Unicode isolation marks around values: the outputs are HTML with `dir` set on
        // the root, and marks would change the bytes every English output had before.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource(source("en")))
            .expect("en.ftl has unique ids");
        if file != "en" {
            bundle.add_resource_overriding(resource(source(file)));
        }
        for (key, text) in labels {
            if check_label(key, text).is_ok() {
                bundle.add_resource_overriding(resource(label_source(key, text)));
            }
        }
        let date_locale = match (file, language.parse::<icu_locale_core::Locale>()) {
            ("en", _) | (_, Err(_)) => icu_locale_core::locale!("en"),
            (_, Ok(locale)) => locale,
        };
        Strings {
            bundle,
            tag: language.to_string(),
            rtl: is_rtl(language),
            date_locale,
        }
    }

    /// English, with no labels.
    pub fn english() -> Strings {
        Strings::new("en", &BTreeMap::new())
    }

    /// A message with no values.
    pub fn text(&self, id: &str) -> String {
        self.format(id, &[])
    }

    /// A message whose only value is `$count`.
    pub fn count(&self, id: &str, count: usize) -> String {
        self.format(id, &[("count", Arg::Num(count))])
    }

    /// A message with values.
    pub fn format(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Num(n) => FluentValue::from(*n),
                Arg::Text(s) => FluentValue::from(*s),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// A calendar date (proleptic Gregorian) as the language writes it in full, in the
    /// locale's own calendar, by CLDR's rules: "3. Dezember 2026", "2026年12月3日", Persian in
    /// the Solar Hijri calendar ("۱۲ آذر ۱۴۰۵"), Thai in the Buddhist era; a `-u-ca-`
    /// extension in the tag picks another (`fa-u-ca-gregory`). ISO 8601 if the date does not
    /// exist.
    pub fn date(&self, year: i32, month: u8, day: u8) -> String {
        use icu_calendar::Date;
        use icu_datetime::{DateTimeFormatter, fieldsets::YMD};
        let iso = || format!("{year:04}-{month:02}-{day:02}");
        let Ok(date) = Date::try_new_iso(year, month, day) else {
            return iso();
        };
        match DateTimeFormatter::try_new((&self.date_locale).into(), YMD::long()) {
            Ok(formatter) => formatter.format(&date).to_string(),
            Err(_) => iso(),
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        self.rtl
    }

    /// `rtl` or `ltr`.
    pub fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }

    /// Whether the language is English (whose outputs carry no `dir` or extra CSS, exactly as
    /// before languages existed).
    pub fn is_english(&self) -> bool {
        primary(&self.tag) == "en"
    }

    /// CSS the language adds after the theme's: fonts and line breaking for Chinese, Japanese
    /// and Korean, code kept left to right in a right-to-left book. Empty for most languages.
    /// An EPUB style sheet may not set `direction` or `unicode-bidi` (EPUBCheck CSS-001): there
    /// the code blocks' `dir="ltr"` alone keeps them left to right.
    pub fn extra_css(&self, epub: bool) -> String {
        let mut css = String::new();
        if self.rtl && !epub {
            css.push_str(
                "/* right to left (qbank, from the bank's language) */\n\
                 pre, code, kbd, samp { direction: ltr; unicode-bidi: isolate; text-align: left; }\n",
            );
        }
        if let Some((sans, serif, breaking)) = cjk(&self.tag) {
            css.push_str(&format!(
                "/* CJK (qbank, from the bank's language): fonts found where installed, line breaking */\n\
                 body, h1, h2, h3, h4, h5, h6, p, li, td, th, .q, .s {{ font-family: {sans}, {serif}, sans-serif; }}\n\
                 body {{ {breaking} overflow-wrap: anywhere; }}\n\
                 em {{ font-style: normal; text-emphasis: filled dot; text-emphasis-position: under right; }}\n"
            ));
        }
        css
    }
}

/// The Fluent source of a shipped language.
fn source(file: &str) -> &'static str {
    LOCALES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, src)| *src)
        .expect("a shipped locale")
}

fn resource(src: impl Into<String>) -> FluentResource {
    FluentResource::try_new(src.into()).unwrap_or_else(|(partial, _)| partial)
}

/// A label as a Fluent message: continuation lines indented so they stay in the pattern.
fn label_source(key: &str, text: &str) -> String {
    let body = text.trim_end().replace('\n', "\n    ");
    format!("{key} =\n    {body}\n")
}

/// The shipped file for a tag: the tag itself, then without its last subtags, then English.
/// Every Chinese tag gets Simplified Chinese, the one shipped.
pub fn resolve(tag: &str) -> &'static str {
    let lower = tag.to_ascii_lowercase();
    if primary(&lower) == "zh" {
        return "zh-Hans";
    }
    let primary = match primary(&lower) {
        // Old codes some tools still write.
        "iw" => "he",
        "in" => "id",
        p => p,
    };
    let mut candidate = format!(
        "{primary}{}",
        &lower[lower.find('-').unwrap_or(lower.len())..]
    );
    loop {
        if let Some((name, _)) = LOCALES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(&candidate))
        {
            return name;
        }
        match candidate.rfind('-') {
            Some(at) => candidate.truncate(at),
            None => return "en",
        }
    }
}

/// Whether qbank ships strings for `tag`'s language (else its outputs read English).
pub fn is_shipped(tag: &str) -> bool {
    resolve(tag) != "en" || primary(&tag.to_ascii_lowercase()) == "en"
}

fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// Whether a language tag names a right-to-left script: by its script subtag when it has one,
/// else by the language.
pub fn is_rtl(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    let mut subtags = lower.split('-');
    let language = subtags.next().unwrap_or("");
    if let Some(script) =
        subtags.find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return matches!(
            script,
            "arab" | "hebr" | "thaa" | "syrc" | "nkoo" | "adlm" | "rohg" | "mand" | "samr"
        );
    }
    matches!(
        language,
        "ar" | "he" | "iw" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" | "arc" | "syr"
    )
}

/// Fonts and line breaking for a CJK language: (sans stack, serif stack, `line-break` and
/// `word-break` declarations), or `None`.
fn cjk(tag: &str) -> Option<(&'static str, &'static str, &'static str)> {
    let lower = tag.to_ascii_lowercase();
    let traditional = lower.contains("-hant") || lower.contains("-tw") || lower.contains("-hk");
    match primary(&lower) {
        "ja" => Some((
            "\"Noto Sans CJK JP\", \"Noto Sans JP\", \"Source Han Sans JP\", \"Hiragino Sans\", \"Yu Gothic\", Meiryo",
            "\"Noto Serif CJK JP\", \"Noto Serif JP\"",
            "line-break: strict; word-break: normal;",
        )),
        "ko" => Some((
            "\"Noto Sans CJK KR\", \"Noto Sans KR\", \"Source Han Sans KR\", \"Apple SD Gothic Neo\", \"Malgun Gothic\"",
            "\"Noto Serif CJK KR\", \"Noto Serif KR\"",
            // Korean breaks between words, at spaces, as Latin text does.
            "line-break: strict; word-break: keep-all;",
        )),
        "zh" if traditional => Some((
            "\"Noto Sans CJK TC\", \"Noto Sans TC\", \"Source Han Sans TC\", \"PingFang TC\", \"Microsoft JhengHei\"",
            "\"Noto Serif CJK TC\", \"Noto Serif TC\"",
            "line-break: strict; word-break: normal;",
        )),
        "zh" => Some((
            "\"Noto Sans CJK SC\", \"Noto Sans SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\"",
            "\"Noto Serif CJK SC\", \"Noto Serif SC\"",
            "line-break: strict; word-break: normal;",
        )),
        _ => None,
    }
}

/// Every message id, from the English file: the keys `labels:` accepts.
pub fn keys() -> Vec<String> {
    message_ids(source("en"))
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// The messages of a Fluent source with the variables each one uses.
pub fn message_ids(src: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in src.lines() {
        if line.starts_with('#') {
            continue;
        }
        let is_message =
            line.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && line.contains(" =");
        if is_message {
            out.extend(current.take());
            let id = line[..line.find(" =").unwrap_or(0)].trim().to_string();
            current = Some((id, Vec::new()));
        }
        if let Some((_, vars)) = &mut current {
            for (at, _) in line.match_indices('$') {
                let name: String = line[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if !vars.contains(&name) {
                    vars.push(name);
                }
            }
        }
    }
    out.extend(current);
    out
}

/// Whether `text` may replace message `key`: the key must exist and the text parse as a Fluent
/// pattern using only the variables the English message has.
pub fn check_label(key: &str, text: &str) -> Result<(), String> {
    let english = message_ids(source("en"));
    let Some((_, allowed)) = english.iter().find(|(id, _)| id == key) else {
        return Err(format!("`{key}` is not a label qbank has"));
    };
    let src = label_source(key, text);
    if FluentResource::try_new(src.clone()).is_err() {
        return Err(format!(
            "label `{key}` is not a valid Fluent pattern (a literal brace is written {{\"{{\"}})"
        ));
    }
    for (_, vars) in message_ids(&src) {
        if let Some(unknown) = vars.iter().find(|v| !allowed.contains(v)) {
            let known = if allowed.is_empty() {
                "none".to_string()
            } else {
                allowed
                    .iter()
                    .map(|v| format!("${v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(format!(
                "label `{key}` uses `${unknown}`, which it is not given (it has: {known})"
            ));
        }
    }
    Ok(())
}

/// Rewrites physical left/right CSS properties as logical ones, so a theme written for
/// left-to-right text mirrors in a right-to-left book (accent borders, list indents,
/// alignment). Only applied to right-to-left banks, so other outputs keep their bytes.
pub fn logical_css(css: &str) -> Cow<'_, str> {
    const SWAPS: &[(&str, &str)] = &[
        ("margin-left", "margin-inline-start"),
        ("margin-right", "margin-inline-end"),
        ("padding-left", "padding-inline-start"),
        ("padding-right", "padding-inline-end"),
        ("border-left", "border-inline-start"),
        ("border-right", "border-inline-end"),
        ("text-align: left", "text-align: start"),
        ("text-align: right", "text-align: end"),
        ("float: left", "float: inline-start"),
        ("float: right", "float: inline-end"),
    ];
    if !SWAPS.iter().any(|(from, _)| css.contains(from)) {
        return Cow::Borrowed(css);
    }
    let mut out = css.to_string();
    for (from, to) in SWAPS {
        out = out.replace(from, to);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests;
