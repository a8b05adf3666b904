//! Writing `.apkg` files: genanki-rs builds the collection, then [`write`] fixes what it
//! lacks, in this one place.
//!
//! What genanki-rs 0.4 gets wrong or leaves open, and what we do about it:
//!
//! - **Time stamps.** It stamps one time on every note and card (`mod`), and the current
//!   time on zip entries. Anki updates a note on import only when the incoming `mod` is
//!   newer, so each note gets its own time from `qbank.lock`; zip entries get a fixed time.
//! - **HashMap order.** The `decks` and `models` JSON in the `col` row is serialized from
//!   HashMaps, so its key order changes from run to run; we re-serialize it with sorted keys.
//! - **Sort field.** It writes a boolean into `notes.sfld` and 0 into `notes.csum`; Anki
//!   expects the sort field's text and the checksum of the first field. We write both.
//! - **Ids and order.** Note and card ids count up from the build time and new cards all
//!   have `due = 0`; we give ids from each question's first-seen time and `due` from its
//!   position in the bank, so new cards are studied in bank order.
//! - **Speed.** Writing a note compiles a regular expression per field (a check for invalid
//!   HTML), and every package computes the notetype's required fields by compiling more. So
//!   genanki-rs writes one [`Template`] per build, the collection with every deck and the
//!   notetype (carried by one placeholder note), and each package copies it and gets its
//!   notes and cards from us.
//! - **Media.** Its media map comes from a HashMap and keys files by bare file name; we add
//!   media ourselves, in sorted order, under collision-free names.
//!
//! When genanki-rs grows per-note `mod`, deterministic JSON, a correct `sfld` and a cheap
//! note writer, the collection fix-up below can shrink to the zip normalisation.

use std::borrow::Cow;
use std::io::{Cursor, Read};
use std::path::Path;

use anyhow::{Context as _, Result};
use rusqlite::{Connection, params};
use sha1::Sha1;
use sha2::Digest;

use crate::render::archive::{self, Entry, Method};

/// One note, written by us (see the module comment for why not by genanki-rs).
pub struct NoteRow<'a> {
    pub guid: String,
    pub id: i64,
    /// The deck of its one card; `None` for a note without a card (a retired question's,
    /// which updates a learner's note but gives a new learner nothing to study).
    pub deck_id: Option<i64>,
    /// Unix seconds; Anki's "if newer" update compares it.
    pub mtime: i64,
    /// Borrowed from the rendered bank where no rewriting was needed.
    pub fields: Vec<Cow<'a, str>>,
    pub tags: Vec<String>,
    /// Plain text of the sort field (the question, also the first field).
    pub sort_field: String,
    /// Position among new cards.
    pub due: i64,
    /// Media files this note refers to: (name inside the package, bytes).
    pub media: Vec<(String, Vec<u8>)>,
}

pub struct DeckInfo {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// What one package holds: some of the template's decks and their notes.
pub struct PackageSpec<'a> {
    /// Ids of the decks (from the template) this package holds.
    pub decks: Vec<i64>,
    pub notes: Vec<&'a NoteRow<'a>>,
    pub collection_mtime: i64,
}

/// The GUID of the one note genanki-rs writes: it only records a notetype in the collection
/// when a deck holds a note of it. [`Template::new`] removes it again.
const CARRIER_GUID: &str = "qbank-notetype-carrier";

/// The collection every package of a build starts from, made once: genanki-rs writes the
/// schema, the `col` row, the notetype and every deck; the notetype gets its time and the
/// JSON its canonical form. Each package copies it and adds its notes ([`write`]).
pub struct Template {
    dir: tempfile::TempDir,
    path: std::path::PathBuf,
    /// `col.decks`: deck id → deck, for every deck of the build and Anki's default deck.
    decks: serde_json::Map<String, serde_json::Value>,
    model_id: i64,
}

impl Template {
    /// `sample_fields`: any note's fields, for the carrier note genanki-rs needs.
    pub fn new(
        model: &genanki_rs::Model,
        decks: &[DeckInfo],
        notetype_mtime: i64,
        sample_fields: &[Cow<str>],
    ) -> Result<Template> {
        let genanki_err = |e: genanki_rs::Error| anyhow::anyhow!("genanki: {e}");
        let mut genanki_decks: Vec<genanki_rs::Deck> = decks
            .iter()
            .map(|d| genanki_rs::Deck::new(d.id, &d.name, &d.description))
            .collect();
        if let Some(deck) = genanki_decks.first_mut() {
            let fields: Vec<&str> = sample_fields.iter().map(|f| f.as_ref()).collect();
            let carrier = genanki_rs::Note::new_with_options(
                model.clone(),
                fields,
                None,
                None,
                Some(CARRIER_GUID),
            )
            .map_err(genanki_err)?;
            deck.add_note(carrier);
        }
        let mut package = genanki_rs::Package::new(genanki_decks, vec![]).map_err(genanki_err)?;
        let mut raw = Cursor::new(Vec::new());
        package
            .write_timestamp(&mut raw, notetype_mtime as f64)
            .map_err(genanki_err)?;

        let dir = tempfile::tempdir()?;
        let path = dir.path().join("template.anki2");
        std::fs::write(&path, extract_collection(raw.get_ref())?)?;
        let mut conn = Connection::open(&path)?;
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        let tx = conn.transaction()?;
        let (models, deck_json, dconf, conf): (String, String, String, String) =
            tx.query_row("SELECT models, decks, dconf, conf FROM col", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        tx.execute(
            "UPDATE col SET ls = 0, models = ?, dconf = ?, conf = ?",
            params![
                stamp_json(&models, notetype_mtime)?,
                canonical_json(&dconf)?,
                canonical_json(&conf)?,
            ],
        )?;
        tx.execute(
            "DELETE FROM cards WHERE nid IN (SELECT id FROM notes WHERE guid = ?)",
            [CARRIER_GUID],
        )?;
        tx.execute("DELETE FROM notes WHERE guid = ?", [CARRIER_GUID])?;
        tx.commit()?;
        conn.execute_batch("VACUUM;")?;
        drop(conn);
        let decks = match serde_json::from_str(&deck_json)? {
            serde_json::Value::Object(map) => map,
            _ => anyhow::bail!("genanki wrote `col.decks` that is not a JSON object"),
        };
        Ok(Template {
            dir,
            path,
            decks,
            model_id: model.id,
        })
    }

    /// `col.decks` for a package: Anki's default deck and the given ones, each stamped.
    fn decks_json(&self, ids: &[i64], mtime: i64) -> Result<String> {
        let mut map = serde_json::Map::new();
        for key in std::iter::once("1".to_string()).chain(ids.iter().map(i64::to_string)) {
            let deck = self
                .decks
                .get(&key)
                .with_context(|| format!("deck {key} is not in the template"))?;
            map.insert(key, deck.clone());
        }
        stamp_json(&serde_json::Value::Object(map).to_string(), mtime)
    }
}

/// Builds a package from the template and writes it to `path`.
pub fn write(template: &Template, spec: PackageSpec, path: &Path) -> Result<()> {
    let db = tempfile::Builder::new()
        .suffix(".anki2")
        .tempfile_in(template.dir.path())?
        .into_temp_path();
    write_collection(&db, template, &spec)?;
    let mut media: Vec<&(String, Vec<u8>)> = spec.notes.iter().flat_map(|n| &n.media).collect();
    media.sort();
    media.dedup_by(|a, b| a.0 == b.0);
    let bytes = zip_package(&db, &media)?;
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn extract_collection(apkg: &[u8]) -> Result<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(apkg)).context("reading genanki's zip")?;
    let mut file = zip.by_name("collection.anki2")?;
    let mut out = Vec::new();
    file.read_to_end(&mut out)?;
    Ok(out)
}

/// Anki's field checksum: the first 8 hex digits of the SHA-1 of the stripped first field,
/// as an integer. SHA-1 is what Anki uses; we only need it for compatibility.
fn field_checksum(text: &str) -> i64 {
    let digest = Sha1::digest(text.as_bytes());
    i64::from(u32::from_be_bytes(digest[..4].try_into().expect("4 bytes")))
}

/// Writes the package's `collection.anki2` to `out`: a copy of the template with the
/// package's times and decks, its notes and cards. A scratch file: no journal, no syncing,
/// a small page cache (even a large deck never sits in memory whole).
///
/// `secure_delete` is for reproducibility, not secrecy: SQLite leaves the unused space of a
/// new page as the allocator handed it over, which depends on what other threads freed, so
/// two builds differed there. With it on, SQLite zeroes every new page (and anything
/// deleted). `VACUUM INTO` a second file gave the same bytes at twice the writing.
fn write_collection(out: &Path, template: &Template, spec: &PackageSpec) -> Result<()> {
    std::fs::copy(&template.path, out)?;
    let mut conn = Connection::open(out)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA secure_delete = ON;",
    )?;
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE col SET crt = ?, mod = ?, scm = ?, decks = ?",
        params![
            spec.collection_mtime,
            spec.collection_mtime * 1000,
            spec.collection_mtime * 1000,
            template.decks_json(&spec.decks, spec.collection_mtime)?,
        ],
    )?;
    {
        let mut note = tx.prepare(
            "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
             VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')",
        )?;
        let mut card = tx.prepare(
            "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps,
                                lapses, left, odue, odid, flags, data)
             VALUES (?, ?, ?, 0, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        )?;
        for n in &spec.notes {
            note.execute(params![
                n.id,
                n.guid,
                template.model_id,
                n.mtime,
                format!(" {} ", n.tags.join(" ")),
                n.fields.join("\x1f"),
                n.sort_field,
                field_checksum(&n.sort_field),
            ])?;
            if let Some(deck_id) = n.deck_id {
                card.execute(params![n.id, n.id, deck_id, n.mtime, n.due])?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// Re-serializes a JSON object of objects with sorted keys, setting each inner `mod`.
fn stamp_json(text: &str, mtime: i64) -> Result<String> {
    let mut value: serde_json::Value = serde_json::from_str(text)?;
    if let Some(map) = value.as_object_mut() {
        for inner in map.values_mut() {
            if let Some(obj) = inner.as_object_mut() {
                obj.insert("mod".into(), mtime.into());
            }
        }
    }
    Ok(serde_json::to_string(&value)?)
}

fn canonical_json(text: &str) -> Result<String> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    Ok(serde_json::to_string(&value)?)
}

/// The `.apkg` zip: `collection.anki2`, the numbered media files and the `media` map.
fn zip_package(collection: &Path, media: &[&(String, Vec<u8>)]) -> Result<Vec<u8>> {
    // Fast deflate. On a 10,000-note collection (43 MB, zlib-rs): level 1 runs at 385 MB/s
    // to 34.9% of the size, level 3 at 158 MB/s to 26.0%, level 6 at 98 MB/s to 24.7%. A
    // build writes every note twice (combined and section packages), so speed wins.
    let method = Method::Deflated(1);
    let mut entries = vec![Entry::file("collection.anki2", collection, method)];
    let mut map = serde_json::Map::new();
    for (i, (name, bytes)) in media.iter().enumerate() {
        entries.push(Entry::new(i.to_string(), bytes.clone(), method));
        map.insert(i.to_string(), name.clone().into());
    }
    entries.push(Entry::new("media", serde_json::to_string(&map)?, method));
    archive::write(&entries)
}

/// A collision-free media name, safe in any Anki client's media folder (see
/// [`markup::media_file_name`]).
pub fn media_name(rel_path: &str) -> String {
    format!("qbank-{}", crate::markup::media_file_name(rel_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_names_do_not_collide() {
        assert_ne!(media_name("a/x.png"), media_name("b/x.png"));
        assert!(media_name("a/x.png").ends_with("-x.png"));
    }
}
