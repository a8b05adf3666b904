//! Zip archives (`.apkg`, `.epub`) with reproducible bytes, their entries compressed in
//! parallel.
//!
//! Every entry gets the same time (1980-01-01, the zip epoch) and permissions, so two builds
//! of the same content give the same bytes. Deflating is most of the cost of writing an
//! archive, and entries are independent: each batch of entries is compressed on its own
//! thread into a small archive (a [`Part`]), and the parts are then joined with `zip`'s
//! `merge_archive`, which copies compressed data as it is. Entry order is the order given,
//! whatever the thread count. A renderer can also compress an entry as soon as it has it
//! ([`compress`]) and keep only the compressed bytes until the archive is joined.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use zip::write::SimpleFileOptions;

/// How an entry is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Not compressed (an EPUB's `mimetype` must be).
    Stored,
    /// Deflated at this level (1 fast … 9 small).
    Deflated(i64),
}

/// One file of an archive.
pub struct Entry {
    pub name: String,
    pub contents: Contents,
    pub method: Method,
}

/// What goes into an entry.
pub enum Contents {
    Bytes(Vec<u8>),
    /// A file on disk, read while it is compressed (never held in memory whole).
    File(PathBuf),
}

impl Entry {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>, method: Method) -> Entry {
        Entry {
            name: name.into(),
            contents: Contents::Bytes(bytes.into()),
            method,
        }
    }

    pub fn file(name: impl Into<String>, path: &Path, method: Method) -> Entry {
        Entry {
            name: name.into(),
            contents: Contents::File(path.to_path_buf()),
            method,
        }
    }

    /// The size of the contents (0 for a file that cannot be read: it fails later).
    fn len(&self) -> u64 {
        match &self.contents {
            Contents::Bytes(bytes) => bytes.len() as u64,
            Contents::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        }
    }
}

fn options(method: Method) -> SimpleFileOptions {
    let options = SimpleFileOptions::default()
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        // Never a zip64 header unless an entry needs one: readers of both formats agree.
        .large_file(false);
    match method {
        Method::Stored => options.compression_method(zip::CompressionMethod::Stored),
        Method::Deflated(level) => options
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(level)),
    }
}

/// Entries compressed, waiting to be joined into an archive.
pub struct Part(Vec<u8>);

/// Compresses entries (on the calling thread) into a part of an archive.
pub fn compress(entries: &[Entry]) -> Result<Part> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for e in entries {
        let large = e.len() >= u64::from(u32::MAX);
        zip.start_file(e.name.as_str(), options(e.method).large_file(large))
            .with_context(|| format!("adding {} to an archive", e.name))?;
        match &e.contents {
            Contents::Bytes(bytes) => zip.write_all(bytes)?,
            Contents::File(path) => {
                let mut file = std::fs::File::open(path)
                    .with_context(|| format!("reading {}", path.display()))?;
                std::io::copy(&mut file, &mut zip)?;
            }
        }
    }
    Ok(Part(zip.finish()?.into_inner()))
}

/// The archive holding the parts' entries, in that order.
pub fn join(parts: Vec<Part>) -> Result<Vec<u8>> {
    if parts.len() == 1 {
        return Ok(parts.into_iter().next().expect("one part").0);
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for part in parts {
        zip.merge_archive(zip::ZipArchive::new(Cursor::new(part.0))?)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The archive holding `entries`, in that order, compressed in parallel.
pub fn write(entries: &[Entry]) -> Result<Vec<u8>> {
    // Small entries are not worth a thread of their own: compress them in batches.
    let parts = batches(entries)
        .par_iter()
        .map(|batch| compress(batch))
        .collect::<Result<_>>()?;
    join(parts)
}

/// Consecutive runs of entries of about 256 KiB each (an entry larger than that is a run of
/// its own), so threads get even work and tiny files do not each pay for an archive.
fn batches(entries: &[Entry]) -> Vec<&[Entry]> {
    const TARGET: usize = 256 * 1024;
    let mut out = Vec::new();
    let mut start = 0;
    let mut size: usize = 0;
    for (i, e) in entries.iter().enumerate() {
        let len = usize::try_from(e.len()).unwrap_or(usize::MAX);
        if size > 0 && size.saturating_add(len) > TARGET {
            out.push(&entries[start..i]);
            start = i;
            size = 0;
        }
        size = size.saturating_add(len);
    }
    if start < entries.len() || entries.is_empty() {
        out.push(&entries[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn sample(n: usize) -> Vec<Entry> {
        let mut entries = vec![Entry::new(
            "mimetype",
            "application/epub+zip",
            Method::Stored,
        )];
        for i in 0..n {
            let text = format!("<p>entry {i}</p>\n").repeat(i * 997 % 40_000 + 1);
            entries.push(Entry::new(
                format!("OEBPS/{i}.xhtml"),
                text,
                Method::Deflated(6),
            ));
        }
        entries
    }

    #[test]
    fn entries_round_trip_in_order() {
        let entries = sample(120);
        let bytes = write(&entries).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(zip.len(), entries.len());
        for (i, e) in entries.iter().enumerate() {
            let mut file = zip.by_index(i).unwrap();
            assert_eq!(file.name().unwrap(), e.name);
            let expected = match e.method {
                Method::Stored => zip::CompressionMethod::Stored,
                Method::Deflated(_) => zip::CompressionMethod::Deflated,
            };
            assert_eq!(file.compression(), expected, "{}", e.name);
            let mut back = Vec::new();
            file.read_to_end(&mut back).unwrap();
            let Contents::Bytes(bytes) = &e.contents else {
                panic!()
            };
            assert_eq!(&back, bytes, "{}", e.name);
        }
    }

    #[test]
    fn bytes_do_not_depend_on_threads() {
        let entries = sample(60);
        let many = write(&entries).unwrap();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| write(&entries).unwrap());
        assert_eq!(many, one);
    }

    #[test]
    fn empty_and_single_archives() {
        let empty = write(&[]).unwrap();
        assert_eq!(zip::ZipArchive::new(Cursor::new(empty)).unwrap().len(), 0);
        let one = write(&sample(0)).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(one)).unwrap();
        assert_eq!(zip.by_index(0).unwrap().name().unwrap(), "mimetype");
    }
}
