//! Finishing the `.epub` that epub-builder makes: what it lacks is fixed here, in this one
//! place, and the zip is written by qbank with fixed bytes.
//!
//! What epub-builder 0.8.2 leaves open, and what we do about it:
//!
//! - **Identifier and date.** `set_uuid` and `set_modified_date` take `uuid::Uuid` and
//!   `chrono::DateTime`, which qbank cannot name without depending on those crates; left
//!   unset, it writes a random UUID and the current time. We put the UUID v5 of the bank id
//!   and the content's newest change time into `content.opf` ourselves.
//! - **Subtitle.** It writes one `dc:title`; the subtitle becomes a second `dc:title` refined
//!   with `title-type subtitle` (EPUB 3.3 §D.3).
//! - **Language of the nav.** Its `nav.xhtml` template has no `lang`/`xml:lang`; we add both
//!   (reading systems pick hyphenation and voices from them).
//! - **NCX.** Its `toc.ncx` has no `dtb:uid`, a fixed `dtb:depth` of 1 and the contents
//!   title as the book title; older readers show all three, so we set them.
//! - **Zip bytes.** Its `ZipLibrary` stamps the current time on entries and deflates them
//!   one after another (its `Zip` trait is private, so no other writer can be plugged in).
//!   So epub-builder gets each page and image as an empty stand-in: it only needs their paths
//!   for the manifest, spine and nav. [`finish`] puts the real bytes at those paths and
//!   writes the archive itself ([`archive`]): fixed time and permissions, `mimetype` first
//!   and stored, the rest deflated in parallel. When epub-builder makes `Zip` public, a
//!   collecting `Zip` can replace the stand-ins.
//!
//! Every patch looks for the exact text epub-builder writes and fails loudly when it is not
//! there, so an upgrade that changes the templates is noticed by the tests, not by readers.
//! When epub-builder writes `lang` in its nav and qbank can call `set_uuid` and
//! `set_modified_date`, the patches for those can go; the rest stays until it can refine
//! titles and fill in the NCX head.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use anyhow::{Context as _, Result, bail};

use sha1::{Digest, Sha1};

use crate::markup::escape;
use crate::render::archive::{self, Entry, Method, Part};
use rayon::prelude::*;

/// Deflate level of the EPUB's files. Measured on a 10,000-question book (36 MB of XHTML,
/// zlib-rs): level 6 deflates at 84 MB/s to 26.9% of the size, level 3 at 146 MB/s to 28.6%,
/// level 1 at 329 MB/s to 39.6%. Level 3: 6% larger than 6 for 40% less time.
const LEVEL: i64 = 3;

/// What [`finish`] writes into the files epub-builder generated.
pub struct Finish<'a> {
    /// BCP 47 language tag of the book.
    pub lang: &'a str,
    /// `urn:uuid:…`
    pub identifier: &'a str,
    /// `YYYY-MM-DDThh:mm:ssZ`
    pub modified: &'a str,
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    /// Levels in the table of contents (part → section → question is 3).
    pub toc_depth: usize,
    /// Pages (paths in the book, as the manifest has them) holding MathML.
    pub mathml: &'a [String],
    /// The book reads right to left: the spine's page progression and the nav's `dir`.
    pub rtl: bool,
}

/// A file qbank wrote for the book, given to epub-builder only as a path.
pub enum File {
    Raw(Vec<u8>),
    /// Already deflated (the chapters: compressed as they are written, so the book never
    /// sits in memory uncompressed).
    Compressed(Part),
}

/// Reads the EPUB epub-builder wrote, puts `files` (path inside the zip → contents) in place
/// of its stand-ins, applies the fixes and writes the zip again. Every file must be one
/// epub-builder listed.
pub fn finish(epub: &[u8], mut files: HashMap<String, File>, fix: &Finish) -> Result<Vec<u8>> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(epub)).context("reading epub-builder's zip")?;
    let mut entries: Vec<(String, File)> = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let mut file = archive.by_index(i)?;
        if file.is_dir() {
            continue;
        }
        let name = file.name()?.into_owned();
        let contents = match files.remove(&name) {
            Some(ours) => ours,
            None => {
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes)?;
                File::Raw(bytes)
            }
        };
        entries.push((name, contents));
    }
    if let Some(name) = files.keys().min() {
        bail!("epub-builder did not list {name}");
    }
    for (name, contents) in &mut entries {
        let File::Raw(bytes) = contents else { continue };
        let patched = match name.as_str() {
            "OEBPS/content.opf" => patch_opf(text(name, bytes)?, fix)?,
            "OEBPS/nav.xhtml" => patch_nav(text(name, bytes)?, fix)?,
            "OEBPS/toc.ncx" => patch_ncx(text(name, bytes)?, fix)?,
            _ => continue,
        };
        *bytes = patched.into_bytes();
    }
    write_zip(entries)
}

/// Deflates one file of the book.
pub fn compress(name: &str, bytes: Vec<u8>) -> Result<Part> {
    archive::compress(&[Entry::new(name, bytes, Method::Deflated(LEVEL))])
}

fn text<'b>(name: &str, bytes: &'b [u8]) -> Result<&'b str> {
    std::str::from_utf8(bytes).with_context(|| format!("{name} from epub-builder is not UTF-8"))
}

/// Replaces the text between `open` and the next `close`.
fn replace_between(doc: &str, open: &str, close: &str, new: &str, what: &str) -> Result<String> {
    let Some(start) = doc.find(open).map(|i| i + open.len()) else {
        bail!("epub-builder output changed: no `{open}` for {what}");
    };
    let Some(len) = doc[start..].find(close) else {
        bail!("epub-builder output changed: `{open}` is not closed for {what}");
    };
    Ok(format!("{}{new}{}", &doc[..start], &doc[start + len..]))
}

/// Inserts `new` right after the first `anchor`.
fn insert_after(doc: &str, anchor: &str, new: &str, what: &str) -> Result<String> {
    let Some(at) = doc.find(anchor).map(|i| i + anchor.len()) else {
        bail!("epub-builder output changed: no `{anchor}` for {what}");
    };
    Ok(format!("{}{new}{}", &doc[..at], &doc[at..]))
}

fn patch_opf(opf: &str, fix: &Finish) -> Result<String> {
    let mut opf = replace_between(
        opf,
        "<dc:identifier id=\"epub-id-1\">",
        "</dc:identifier>",
        &escape(fix.identifier),
        "the identifier",
    )?;
    opf = replace_between(
        &opf,
        "<meta property=\"dcterms:modified\">",
        "</meta>",
        fix.modified,
        "dcterms:modified",
    )?;
    if opf.matches("dcterms:modified").count() != 1 {
        bail!("content.opf must have exactly one dcterms:modified");
    }
    for page in fix.mathml {
        let item = format!(" href=\"{}\"", escape(page));
        let Some(at) = opf.find(&item).map(|i| i + item.len()) else {
            bail!("epub-builder output changed: no manifest item for {page}");
        };
        opf.insert_str(at, " properties=\"mathml\"");
    }
    if fix.rtl {
        opf = replace_between(
            &opf,
            "<spine toc=\"ncx\" page-progression-direction=\"",
            "\"",
            "rtl",
            "the page progression",
        )?;
    }
    if let Some(subtitle) = fix.subtitle {
        opf = insert_after(
            &opf,
            "</dc:title>",
            &format!(
                "\n    <dc:title id=\"subtitle\">{}</dc:title>\
                 \n    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>",
                escape(subtitle)
            ),
            "the subtitle",
        )?;
    }
    Ok(opf)
}

fn patch_nav(nav: &str, fix: &Finish) -> Result<String> {
    let open =
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"";
    let lang = escape(fix.lang);
    let dir = if fix.rtl { " dir=\"rtl\"" } else { "" };
    insert_after(
        nav,
        open,
        &format!(" lang=\"{lang}\" xml:lang=\"{lang}\"{dir}"),
        "the nav language",
    )
}

fn patch_ncx(ncx: &str, fix: &Finish) -> Result<String> {
    let lang = escape(fix.lang);
    let mut ncx = insert_after(
        ncx,
        "<ncx version=\"2005-1\" xmlns=\"http://www.daisy.org/z3986/2005/ncx/\"",
        &format!(" xml:lang=\"{lang}\""),
        "the NCX language",
    )?;
    ncx = insert_after(
        &ncx,
        "<head>",
        &format!(
            "\n    <meta name=\"dtb:uid\" content=\"{}\" />",
            escape(fix.identifier)
        ),
        "the NCX uid",
    )?;
    ncx = replace_between(
        &ncx,
        "<meta name=\"dtb:depth\" content=\"",
        "\"",
        &fix.toc_depth.to_string(),
        "the NCX depth",
    )?;
    replace_between(
        &ncx,
        "<docTitle>\n    <text>",
        "</text>",
        &escape(fix.title),
        "the NCX title",
    )
}

/// Writes the files as an OCF zip: `mimetype` first and stored, everything else deflated
/// (in parallel, those not compressed yet).
fn write_zip(entries: Vec<(String, File)>) -> Result<Vec<u8>> {
    let Some(mimetype) = entries.iter().position(|(name, _)| name == "mimetype") else {
        bail!("epub-builder wrote no mimetype");
    };
    let mut entries = entries;
    let first = entries.remove(mimetype);
    entries.insert(0, first);
    let parts: Vec<Part> = entries
        .into_par_iter()
        .map(|(name, contents)| match contents {
            File::Compressed(part) => Ok(part),
            File::Raw(bytes) if name == "mimetype" => {
                archive::compress(&[Entry::new(name, bytes, Method::Stored)])
            }
            File::Raw(bytes) => compress(&name, bytes),
        })
        .collect::<Result<_>>()?;
    archive::join(parts)
}

/// RFC 4122 name-based UUID (version 5, SHA-1), formatted as a URN.
///
/// The namespace is the RFC's URL namespace and the name `urn:qbank:<bank-id>`: the bank id
/// never changes, so neither does the book's identifier, across builds and machines.
pub fn uuid_v5_urn(bank_id: &str) -> String {
    const NAMESPACE_URL: [u8; 16] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    format!(
        "urn:uuid:{}",
        uuid_v5(&NAMESPACE_URL, &format!("urn:qbank:{bank_id}"))
    )
}

fn uuid_v5(namespace: &[u8; 16], name: &str) -> String {
    let mut data = namespace.to_vec();
    data.extend_from_slice(name.as_bytes());
    let digest = Sha1::digest(&data);
    let mut b: [u8; 16] = digest[..16].try_into().expect("16 bytes");
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Unix seconds as `YYYY-MM-DDThh:mm:ssZ` (UTC), the form `dcterms:modified` requires.
pub fn iso8601(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = crate::render::dates::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v5_matches_rfc_examples() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        let dns = [
            0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4,
            0x30, 0xc8,
        ];
        assert_eq!(
            uuid_v5(&dns, "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d"
        );
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "urn:qbank:python-django-interview")
        assert_eq!(
            uuid_v5_urn("python-django-interview"),
            "urn:uuid:e8b9f242-368f-53c6-bd76-9b1e0ef3086a"
        );
    }

    #[test]
    fn dates_are_utc_iso8601() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_900_000_000), "2030-03-17T17:46:40Z");
        assert_eq!(iso8601(-1), "1969-12-31T23:59:59Z");
    }
}
