//! `qbank export csv`: the Anki notes as a text file for Anki's *File → Import*.
//!
//! The format is Anki's own ("Importing text files" in its manual): header lines first, then
//! one tab-separated record per note. Every note is the one the `.apkg` packages hold — same
//! GUID, fields, deck and tags, made by [`anki::note_content`] — so importing this file into
//! a profile that already holds the packages' notes finds each by its GUID (`#guid column`)
//! and updates it in place (`#if matches:update current`): no duplicates, and a note whose
//! fields and tags are unchanged is left alone. A profile without qbank's note type (the
//! `.apkg` was never imported) gets nothing: Anki reports the note type missing.
//!
//! What a text file cannot carry — images, scheduling, the note type and its styling, the
//! per-note change times the `.apkg` uses for "update if newer" — is listed in the README
//! ("Export").

use crate::render::RenderedBank;
use crate::render::anki::{self, FIELDS};

/// The file's columns, 1-based as Anki counts them: the GUID, the note type's fields, the
/// deck, the tags, the note type. The GUID comes first so no record starts with `#` (Anki's
/// reader skips such lines as comments).
///
/// The note type is a column, not a `#notetype:` header: a header naming a note type the
/// profile lacks is ignored and Anki falls back to its current one (*Basic*), filling it with
/// the wrong columns; a column naming a missing note type makes Anki skip those notes and say
/// so. It holds the note type's id, which survives a learner renaming the note type.
fn columns() -> Vec<&'static str> {
    let mut columns = vec!["GUID"];
    columns.extend(FIELDS);
    columns.extend(["Deck", "Tags", "Notetype"]);
    columns
}

/// The bank's answered questions as Anki's text-import format, and the number of notes.
pub fn export(bank: &RenderedBank) -> (String, usize) {
    let meta = &bank.meta;
    let columns = columns();
    let column = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .expect("a known column")
            + 1
    };
    let mut out = String::new();
    out.push_str("#separator:tab\n");
    out.push_str("#html:true\n");
    out.push_str(&format!("#columns:{}\n", columns.join("\t")));
    out.push_str(&format!("#guid column:{}\n", column("GUID")));
    out.push_str(&format!("#deck column:{}\n", column("Deck")));
    out.push_str(&format!("#tags column:{}\n", column("Tags")));
    out.push_str(&format!("#notetype column:{}\n", column("Notetype")));
    // For people: the note type the ids in that column stand for (Anki ignores unknown keys).
    out.push_str(&format!(
        "#notetype name:{}\n",
        one_line(&anki::notetype_name(&meta.title))
    ));
    out.push_str("#if matches:update current\n");
    let notetype = anki::notetype_id(&meta.id).to_string();
    let mut notes = 0;
    for section in bank.sections() {
        let deck = anki::deck_name(&meta.title, &section.title);
        for q in &section.questions {
            if !anki::has_note(q, false) {
                continue;
            }
            // Only answered questions are exported, so the back never says "not answered".
            let note = anki::note_content(&meta.id, section, q, "");
            let mut record: Vec<&str> = vec![&note.guid];
            record.extend(note.fields.iter().map(|f| f.as_ref()));
            let tags = note.tags.join(" ");
            record.push(&deck);
            record.push(&tags);
            record.push(&notetype);
            push_record(&mut out, &record);
            notes += 1;
        }
    }
    (out, notes)
}

/// One record: every field in double quotes (quotes doubled), so tabs and newlines inside
/// fields (code blocks have both) are data.
fn push_record(out: &mut String, fields: &[&str]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    }
    out.push('\n');
}

/// Header values end at the line's end.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_with_quotes_doubled() {
        let mut out = String::new();
        push_record(&mut out, &["a", "say \"hi\"", "tab\there\nnext"]);
        assert_eq!(out, "\"a\"\t\"say \"\"hi\"\"\"\t\"tab\there\nnext\"\n");
    }

    #[test]
    fn columns_are_guid_fields_deck_tags() {
        assert_eq!(
            columns(),
            [
                "GUID", "Question", "Summary", "Answer", "Section", "Id", "Level", "Deck", "Tags",
                "Notetype"
            ]
        );
    }
}
