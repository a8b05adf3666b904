//! Reading a printed PDF (where each anchor landed, its outline) and finishing it: fixed
//! dates, the metadata a browser does not write.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context as _, Result};
use lopdf::{Dictionary, Document, Object, text_string};

/// What the Info dictionary and catalog of a finished PDF say.
pub struct Metadata {
    pub title: String,
    pub author: String,
    pub subject: String,
    /// BCP 47, the bank's `language`.
    pub language: String,
    /// Unix seconds, for both the creation and the modification date.
    pub date: i64,
}

pub fn load(bytes: &[u8]) -> Result<Document> {
    Document::load_mem(bytes).context("reading the PDF Chromium printed")
}

/// The page (1-based) of every named destination. Chromium names one for each element a
/// link in the document points to (`#id`), so every anchor the contents links to is here.
pub fn named_destinations(doc: &Document) -> Result<HashMap<String, u32>> {
    let page_numbers: HashMap<lopdf::ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let mut found = HashMap::new();
    let Ok(dests) = doc.catalog()?.get(b"Dests") else {
        return Ok(found);
    };
    let (_, dests) = doc.dereference(dests)?;
    for (name, dest) in dests.as_dict()?.iter() {
        let (_, dest) = doc.dereference(dest)?;
        // `[page /XYZ x y zoom]`, or a dictionary holding it under /D.
        let array = match dest {
            Object::Dictionary(d) => doc.dereference(d.get(b"D")?)?.1.as_array()?,
            other => other.as_array()?,
        };
        let Some(page) = array
            .first()
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| page_numbers.get(&id))
        else {
            continue;
        };
        found.insert(String::from_utf8_lossy(name).into_owned(), *page);
    }
    Ok(found)
}

/// The outline (bookmarks): (depth from 1, title, page) in reading order.
pub fn outline(path: &Path) -> Result<Vec<(usize, String, u32)>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let toc = load(&bytes)?
        .get_toc()
        .with_context(|| format!("{} has no outline", path.display()))?;
    Ok(toc
        .toc
        .into_iter()
        .map(|t| (t.level, t.title, t.page as u32))
        .collect())
}

/// The text of each heading (`<h1>`…`<h6>`) of an HTML document qbank wrote, in order.
pub fn headings(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<h") {
        let after = &rest[start + 2..];
        let level = after.as_bytes().first().copied().unwrap_or(0);
        let close = format!("</h{}>", level as char);
        match (level, after.find('>'), after.find(&close)) {
            (b'1'..=b'6', Some(open), Some(end)) if open < end => {
                let text = crate::markup::plain_text(&after[open + 1..end]);
                found.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
                rest = &after[end + close.len()..];
            }
            _ => rest = after,
        }
    }
    found
}

/// Puts back the spaces Chromium's outline loses: it takes a bookmark's title from the laid
/// out heading and drops the space where the heading wraps ("internals andjudgement"). Each
/// bookmark, in reading order, gets the text of the next heading that reads the same once
/// spaces are ignored. (Check whether a newer Chromium still does this before removing it.)
pub fn fix_outline_titles(doc: &mut Document, headings: &[String]) -> Result<()> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let mut items = Vec::new();
    let Ok(outlines) = doc
        .catalog()?
        .get(b"Outlines")
        .and_then(Object::as_reference)
    else {
        return Ok(());
    };
    // Depth-first through /First and /Next: reading order.
    let mut stack = vec![
        doc.get_dictionary(outlines)?
            .get(b"First")?
            .as_reference()?,
    ];
    while let Some(id) = stack.pop() {
        let item = doc.get_dictionary(id)?;
        items.push(id);
        if let Ok(next) = item.get(b"Next").and_then(Object::as_reference) {
            stack.push(next);
        }
        if let Ok(first) = item.get(b"First").and_then(Object::as_reference) {
            stack.push(first);
        }
    }
    let mut next_heading = 0;
    for id in items {
        let title = doc
            .get_dictionary(id)?
            .get(b"Title")
            .ok()
            .and_then(|t| lopdf::decode_text_string(t).ok())
            .unwrap_or_default();
        let wanted = squeeze(&title);
        if let Some(offset) = headings[next_heading..]
            .iter()
            .position(|h| squeeze(h) == wanted)
        {
            let heading = &headings[next_heading + offset];
            next_heading += offset + 1;
            if *heading != title {
                doc.get_dictionary_mut(id)?
                    .set("Title", text_string(heading));
            }
        }
    }
    Ok(())
}

/// Writes the finished PDF: Chromium's Info dictionary replaced by one with fixed dates (it
/// stamps the clock, the only bytes that differ between two printings), the author and
/// subject, qbank as the creator; the catalog given the document's language.
pub fn finish(mut doc: Document, meta: &Metadata) -> Result<Vec<u8>> {
    let date = pdf_date(meta.date);
    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    if !meta.author.is_empty() {
        info.set("Author", text_string(&meta.author));
    }
    if !meta.subject.is_empty() {
        info.set("Subject", text_string(&meta.subject));
    }
    info.set("Creator", text_string("qbank"));
    if let Some(producer) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|i| doc.dereference(i).ok())
        .and_then(|(_, i)| i.as_dict().ok())
        .and_then(|i| i.get(b"Producer").ok())
    {
        info.set("Producer", producer.clone());
    }
    info.set("CreationDate", Object::string_literal(date.clone()));
    info.set("ModDate", Object::string_literal(date));
    match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            doc.objects.insert(id, Object::Dictionary(info));
        }
        Err(_) => {
            let id = doc.add_object(info);
            doc.trailer.set("Info", id);
        }
    }
    doc.catalog_mut()?.set("Lang", text_string(&meta.language));
    let mut out = Vec::new();
    doc.save_to(&mut out).context("writing the PDF")?;
    Ok(out)
}

/// A PDF date string, `D:YYYYMMDDHHmmSS+00'00'`, for Unix seconds (UTC).
fn pdf_date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = crate::render::dates::civil_from_days(days);
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}+00'00'",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_order_as_text() {
        let html = "<h1>A <em>b</em></h1><p>x</p><h4><span class=\"num\">1.</span> What\n is &lt;T&gt;?</h4><hr>";
        assert_eq!(headings(html), ["A b", "1. What is <T>?"]);
    }

    #[test]
    fn pdf_dates() {
        assert_eq!(pdf_date(0), "D:19700101000000+00'00'");
        assert_eq!(pdf_date(1_900_000_000), "D:20300317174640+00'00'");
        assert_eq!(pdf_date(951_782_400), "D:20000229000000+00'00'");
    }
}
