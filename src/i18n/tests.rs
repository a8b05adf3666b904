use super::*;

#[test]
fn every_language_has_every_english_message_and_no_other_variables() {
    let english = message_ids(source("en"));
    assert!(english.len() > 15);
    for (name, src) in LOCALES {
        // Each file parses whole: a syntax error would silently drop a message.
        if let Err((_, errors)) = FluentResource::try_new(src.to_string()) {
            panic!("{name}.ftl does not parse: {errors:?}");
        }
        let theirs = message_ids(src);
        for (id, vars) in &english {
            let Some((_, their_vars)) = theirs.iter().find(|(i, _)| i == id) else {
                panic!("{name}.ftl misses `{id}`");
            };
            for v in their_vars {
                assert!(
                    vars.contains(v),
                    "{name}.ftl: `{id}` uses ${v}, English does not"
                );
            }
        }
        for (id, _) in &theirs {
            assert!(
                english.iter().any(|(i, _)| i == id),
                "{name}.ftl has `{id}`, which English does not"
            );
        }
    }
}

#[test]
fn the_check_catches_a_missing_message_and_a_stray_variable() {
    let english = message_ids("a = A\nb = B { $n }\n");
    let broken = message_ids("a = A { $x }\n");
    assert!(!broken.iter().any(|(id, _)| id == "b"));
    assert_eq!(broken[0].1, vec!["x".to_string()]);
    assert!(english[0].1.is_empty());
}

#[test]
fn plurals_follow_cldr() {
    let de = Strings::new("de", &BTreeMap::new());
    assert_eq!(de.count("count-questions", 1), "1 Frage");
    assert_eq!(de.count("count-questions", 5), "5 Fragen");
    let ru = Strings::new("ru-RU", &BTreeMap::new());
    assert_eq!(ru.count("count-questions", 1), "1 вопрос");
    assert_eq!(ru.count("count-questions", 2), "2 вопроса");
    assert_eq!(ru.count("count-questions", 5), "5 вопросов");
    assert_eq!(ru.count("count-questions", 21), "21 вопрос");
    let pl = Strings::new("pl", &BTreeMap::new());
    assert_eq!(pl.count("count-questions", 22), "22 pytania");
    assert_eq!(pl.count("count-questions", 25), "25 pytań");
    let ar = Strings::new("ar", &BTreeMap::new());
    assert_eq!(ar.count("count-questions", 2), "سؤالان");
    assert_eq!(ar.count("count-questions", 3), "3 أسئلة");
    let en = Strings::english();
    assert_eq!(en.count("count-questions", 1), "1 question");
    assert_eq!(en.count("count-questions", 40), "40 questions");
    assert_eq!(
        en.format(
            "book-counts",
            &[("questions", Arg::Num(5)), ("sections", Arg::Num(1))]
        ),
        "5 questions in 1 section."
    );
}

#[test]
fn tags_fall_back() {
    assert_eq!(resolve("pt-BR"), "pt");
    assert_eq!(resolve("de-CH-1996"), "de");
    assert_eq!(resolve("zh-CN"), "zh-Hans");
    assert_eq!(resolve("zh"), "zh-Hans");
    assert_eq!(resolve("ZH-hans"), "zh-Hans");
    assert_eq!(resolve("sw"), "en");
    assert_eq!(resolve("en-GB"), "en");
    // A language not shipped reads English, with its own plural rules not needed.
    assert_eq!(
        Strings::new("sw", &BTreeMap::new()).text("contents"),
        "Contents"
    );
    assert_eq!(
        Strings::new("pt-BR", &BTreeMap::new()).text("contents"),
        "Sumário"
    );
}

#[test]
fn directions() {
    for rtl in ["ar", "he", "fa-IR", "ur", "az-Arab", "iw"] {
        assert!(is_rtl(rtl), "{rtl}");
    }
    for ltr in ["en", "de", "ja", "uz-Latn", "ku-Latn"] {
        assert!(!is_rtl(ltr), "{ltr}");
    }
}

#[test]
fn labels_override_and_are_checked() {
    let mut labels = BTreeMap::new();
    labels.insert("contents".to_string(), "Índice general".to_string());
    labels.insert(
        "count-questions".to_string(),
        "{ $count ->\n  [one] una pregunta\n *[other] { $count } preguntas\n}".to_string(),
    );
    let es = Strings::new("es", &labels);
    assert_eq!(es.text("contents"), "Índice general");
    assert_eq!(es.count("count-questions", 1), "una pregunta");
    assert_eq!(es.count("count-questions", 3), "3 preguntas");
    assert_eq!(es.text("answer-key"), "Soluciones");
    assert!(check_label("count-questions", &labels["count-questions"]).is_ok());
    assert!(check_label("contents", "Inhalt").is_ok());
    assert!(
        check_label("contnets", "Inhalt")
            .unwrap_err()
            .contains("not a label")
    );
    assert!(
        check_label("contents", "{ $count }")
            .unwrap_err()
            .contains("$count")
    );
    assert!(check_label("contents", "{ oops").is_err());
}

#[test]
fn only_right_to_left_css_changes() {
    // EPUB style sheets may not set `direction` (EPUBCheck CSS-001).
    assert!(
        !Strings::new("ar", &BTreeMap::new())
            .extra_css(true)
            .contains("direction")
    );
    assert_eq!(
        logical_css(".s { border-left: 4px solid; padding-left: 1em; text-align: left; }"),
        ".s { border-inline-start: 4px solid; padding-inline-start: 1em; text-align: start; }"
    );
    assert!(Strings::english().extra_css(false).is_empty());
    assert!(
        Strings::new("ja", &BTreeMap::new())
            .extra_css(true)
            .contains("Noto Sans CJK JP")
    );
    assert!(
        Strings::new("ar", &BTreeMap::new())
            .extra_css(false)
            .contains("direction: ltr")
    );
}

#[test]
fn every_message_of_every_language_formats_without_errors() {
    for (name, _) in LOCALES {
        let strings = Strings::new(name, &BTreeMap::new());
        for (id, vars) in message_ids(source("en")) {
            for n in [0, 1, 2, 3, 5, 11, 21, 100] {
                let mut args = FluentArgs::new();
                for v in &vars {
                    match v.as_str() {
                        "version" | "title" | "date" => args.set(v.as_str(), "x"),
                        _ => args.set(v.as_str(), n),
                    }
                }
                let message = strings.bundle.get_message(&id).unwrap();
                let mut errors = Vec::new();
                let text = strings.bundle.format_pattern(
                    message.value().unwrap(),
                    Some(&args),
                    &mut errors,
                );
                assert!(errors.is_empty(), "{name}: {id} ({n}): {errors:?}");
                assert!(!text.trim().is_empty(), "{name}: {id}");
            }
        }
    }
}

#[test]
fn dates_follow_the_locale() {
    let date = |tag: &str| Strings::new(tag, &BTreeMap::new()).date(2030, 3, 17);
    assert_eq!(date("en"), "March 17, 2030");
    assert_eq!(date("de"), "17. März 2030");
    assert_eq!(date("ru"), "17 марта 2030\u{202f}г.");
    assert_eq!(date("pl"), "17 marca 2030");
    assert_eq!(date("ja"), "2030年3月17日");
    assert_eq!(date("pt-BR"), "17 de março de 2030");
    // Each locale's own calendar, unless the tag asks for another.
    assert_eq!(date("fa"), "۲۷ اسفند ۱۴۰۸");
    assert_eq!(date("fa-u-ca-gregory"), "۱۷ مارس ۲۰۳۰");
    // A language qbank has no strings for writes dates in English, like everything else.
    assert_eq!(date("sw"), "March 17, 2030");
    assert_eq!(Strings::english().date(2030, 2, 30), "2030-02-30");
}
