//! The loader's checks of bank.yaml's fields and of each question, beside the reading in
//! [`super`]: ids, the language tag, lengths, `labels:`; a question's id, text and tags.

use super::*;

impl Loader<'_> {
    pub(super) fn check_meta(&mut self, file: FileId, b: &BankFile) {
        if !is_slug(&b.id) {
            let place = self.value_place(file, "/id");
            self.push(invalid_slug("bank id", &b.id).at(place));
        } else if b.id.len() > MAX_FILE_ID {
            let place = self.value_place(file, "/id");
            self.push(id_too_long("bank id", &b.id).at(place));
        }
        for (key, value) in [("title", &b.title), ("version", &b.version)] {
            if value.trim().is_empty() {
                let place = self.value_place(file, &format!("/{key}"));
                self.push(Diagnostic::error(format!("`{key}` is empty")).at(place));
            }
        }
        if !is_language_tag(&b.language) {
            let place = self.value_place(file, "/language");
            self.push(
                Diagnostic::error(format!("`{}` is not a BCP 47 language tag", b.language))
                    .at(place)
                    .help("use a tag such as `en`, `en-GB` or `pt-BR`"),
            );
        }
        if !b.labels.is_empty() {
            let keys = crate::i18n::keys();
            for (key, text) in &b.labels {
                if let Err(problem) = crate::i18n::check_label(key, text) {
                    let known = keys.iter().any(|k| k == key);
                    let place = if known {
                        self.value_place(file, &format!("/labels/{key}"))
                    } else {
                        self.key_place(file, &format!("/labels/{key}"))
                    };
                    let help = if known {
                        "see \"Languages\" in the README for the values each label is given"
                            .to_string()
                    } else {
                        let names: Vec<&str> = keys.iter().map(String::as_str).collect();
                        match suggest(key, &names) {
                            Some(s) => {
                                format!("did you mean `{s}`? The labels are: {}", keys.join(", "))
                            }
                            None => format!("the labels are: {}", keys.join(", ")),
                        }
                    };
                    self.push(Diagnostic::error(problem).at(place).help(help));
                }
            }
        }
        if b.parts.is_empty() {
            let place = self.value_place(file, "/parts");
            self.push(Diagnostic::error("the bank has no parts").at(place));
        }
        for (i, part) in b.parts.iter().enumerate() {
            if part.title.trim().is_empty() {
                let place = self.value_place(file, &format!("/parts/{i}/title"));
                self.push(Diagnostic::error("part title is empty").at(place));
            }
            if part.sections.is_empty() {
                let place = self.value_place(file, &format!("/parts/{i}/sections"));
                self.push(Diagnostic::error("part lists no sections").at(place));
            }
        }
    }

    /// Checks one question; returns false when it must be left out of the model.
    pub(super) fn check_question(
        &mut self,
        q: &Question,
        seen: &mut HashMap<String, Origin>,
    ) -> bool {
        let mut keep = true;
        let field = |name: &str| q.origin.field(name);
        if !is_slug(&q.id) {
            let d = invalid_slug("question id", &q.id)
                .at(self.map.place(&field("id")))
                .question(&q.id);
            self.push(d);
            keep = false;
        } else if let Some(first) = seen.get(&q.id) {
            let d = Diagnostic::error(format!("duplicate question id `{}`", q.id))
                .at(self.map.place(&field("id")))
                .related(Some(self.map.place(&first.field("id"))), "first used here")
                .question(&q.id)
                .help("question ids must be unique across the whole bank");
            self.push(d);
            keep = false;
        } else {
            seen.insert(q.id.clone(), q.origin.clone());
        }
        if q.question.trim().is_empty() {
            let d = Diagnostic::error("the question text is empty")
                .at(self.map.place(&field("question")))
                .question(&q.id);
            self.push(d);
            keep = false;
        }
        match (&q.summary, &q.answer) {
            (Some(_), None) => {
                let d = Diagnostic::warning(
                    "summary without an answer: the question counts as unanswered",
                )
                .at(self.map.place(&field("summary")))
                .question(&q.id);
                self.push(d);
            }
            (None, Some(_)) => {
                let d = Diagnostic::error("answered question without a summary")
                    .at(self.map.key_place(&field("answer")))
                    .question(&q.id)
                    .help("add `summary:` — one or two sentences, the line to say out loud");
                self.push(d);
                keep = false;
            }
            _ => {}
        }
        for (name, value) in [("summary", &q.summary), ("answer", &q.answer)] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                let d = Diagnostic::error(format!("`{name}` is empty"))
                    .at(self.map.place(&field(name)))
                    .question(&q.id)
                    .help("write it, or remove the key while the question is unanswered");
                self.push(d);
                keep = false;
            }
        }
        let bad_tags: BTreeSet<&String> = q.tags.iter().filter(|t| !is_slug(t)).collect();
        for (i, tag) in q.tags.iter().enumerate() {
            if bad_tags.contains(tag) {
                let d = invalid_slug("tag", tag)
                    .at(self.map.place(&field(&format!("tags/{i}"))))
                    .question(&q.id);
                self.push(d);
            }
        }
        keep
    }
}
