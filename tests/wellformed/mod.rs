//! Is a rendered fragment well-formed XHTML? Shared by the property tests, the fuzz
//! regression tests and the fuzz targets (`fuzz/fuzz_targets/*.rs` include this file by path),
//! so all three hold the renderer to the same rule.
//!
//! quick-xml checks tag balance, attribute syntax and entity syntax, but not which characters
//! appear, so this also enforces XML 1.0's `Char` production (no C0 controls but tab, LF, CR;
//! no U+FFFE/U+FFFF), in text and in numeric character references: strict XML readers (EPUB
//! reading systems, libxml2) reject a document holding any of them.

use quick_xml::events::Event;

/// Checks that `html`, wrapped in a `<div>`, parses as XML with only XML's own entities.
pub fn check(html: &str) -> Result<(), String> {
    if let Some(c) = html.chars().find(|c| !is_xml_char(*c)) {
        return Err(format!("character U+{:04X} is not allowed in XML", c as u32));
    }
    let doc = format!("<div xmlns=\"http://www.w3.org/1999/xhtml\">{html}</div>");
    let mut reader = quick_xml::Reader::from_str(&doc);
    let mut stack: Vec<String> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed XML: {e}"))?;
        match event {
            Event::Start(e) => {
                check_attributes(&e)?;
                stack.push(e.name().as_ref().to_string());
            }
            Event::Empty(e) => check_attributes(&e)?,
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                match stack.pop() {
                    Some(open) if open == name => {}
                    other => return Err(format!("end tag </{name}> closes {other:?}")),
                }
            }
            Event::GeneralRef(r) => {
                let name: &str = &r;
                check_reference(name)?;
            }
            Event::Text(t) => {
                let text: &str = &t;
                if text.contains(']') && text.contains("]]>") {
                    return Err("`]]>` in text".into());
                }
            }
            Event::CData(_)
            | Event::Comment(_)
            | Event::PI(_)
            | Event::Decl(_)
            | Event::DocType(_) => {
                return Err(format!("unexpected markup in a fragment: {event:?}"));
            }
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed elements: {stack:?}"));
    }
    Ok(())
}

/// Like [`check`], panicking with the fragment on failure.
#[allow(dead_code)]
pub fn assert_well_formed(html: &str, what: &str) {
    if let Err(e) = check(html) {
        panic!("{what}: {e}\n--- html ---\n{html}");
    }
}

fn check_attributes(e: &quick_xml::events::BytesStart) -> Result<(), String> {
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("bad attribute: {err}"))?;
        let raw: &str = &attr.value;
        if raw.contains('<') {
            return Err(format!("`<` in attribute value {raw:?}"));
        }
        // Every `&` must start a valid reference.
        let mut rest = raw;
        while let Some(i) = rest.find('&') {
            let after = &rest[i + 1..];
            let end = after
                .find(';')
                .ok_or_else(|| format!("bare `&` in attribute value {raw:?}"))?;
            check_reference(&after[..end])?;
            rest = &after[end + 1..];
        }
    }
    Ok(())
}

/// `name` is what stands between `&` and `;`.
fn check_reference(name: &str) -> Result<(), String> {
    if ["amp", "lt", "gt", "quot", "apos"].contains(&name) {
        return Ok(());
    }
    let code = if let Some(hex) = name.strip_prefix("#x") {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse::<u32>().ok()
    } else {
        return Err(format!("non-XML entity &{name};"));
    };
    match code.and_then(char::from_u32) {
        Some(c) if is_xml_char(c) => Ok(()),
        _ => Err(format!("character reference &{name}; is not an XML character")),
    }
}

/// XML 1.0 `Char`, minus the surrogates a Rust `char` cannot hold anyway.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
