//! The EPUB: byte-reproducible, well-formed, navigable down to every question, with no
//! dangling link, legible code colours, and nothing reported by the official EPUBCheck.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{client_python, copy_of_content, qbank, repo, unzip};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

const BOOK: &str = "epub/python-django-interview.epub";

fn build_epub(bank: &Path, out: &Path, epoch: &str, extra: &[&str]) -> PathBuf {
    qbank()
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["-q", "build", "--format", "epub"])
        .args(extra)
        .arg("--bank")
        .arg(bank)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    out.join("epub")
        .read_dir()
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "epub"))
        .expect("an .epub was written")
}

/// One element as met in document order.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    /// Open ancestors, outermost first.
    ancestors: Vec<String>,
    /// `epub:type` of the enclosing `nav`, if any.
    nav: Option<String>,
    text: String,
}

/// Parses a document as XML, failing on anything not well-formed (unbalanced tags, unknown
/// entities, bad attributes); returns its elements in document order.
fn parse_xml(name: &str, bytes: &[u8]) -> Vec<Element> {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{name}: not UTF-8"));
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<(String, Option<String>, usize)> = Vec::new();
    let mut elements: Vec<Element> = Vec::new();
    let open = |e: &BytesStart, stack: &[(String, Option<String>, usize)]| -> Element {
        let el_name = e.name().as_ref().to_string();
        let attrs = e
            .attributes()
            .map(|a| {
                let a = a.unwrap_or_else(|err| panic!("{name}: bad attribute: {err}"));
                let key = a.key.as_ref().to_string();
                let value = a
                    .normalized_value(XmlVersion::Implicit1_0)
                    .unwrap_or_else(|err| panic!("{name}: bad value of {key}: {err}"))
                    .into_owned();
                (key, value)
            })
            .collect::<BTreeMap<_, _>>();
        let nav = stack.iter().rev().find_map(|(_, nav, _)| nav.clone());
        Element {
            nav: if el_name == "nav" {
                attrs.get("epub:type").cloned()
            } else {
                nav
            },
            name: el_name,
            attrs,
            ancestors: stack.iter().map(|(n, _, _)| n.clone()).collect(),
            text: String::new(),
        }
    };
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("{name}: not well-formed XML: {e}"))
        {
            Event::Start(e) => {
                let el = open(&e, &stack);
                let nav = if el.name == "nav" {
                    el.attrs.get("epub:type").cloned()
                } else {
                    None
                };
                stack.push((el.name.clone(), nav, elements.len()));
                elements.push(el);
            }
            Event::Empty(e) => {
                let el = open(&e, &stack);
                elements.push(el);
            }
            Event::End(_) => {
                stack
                    .pop()
                    .unwrap_or_else(|| panic!("{name}: unbalanced end tag"));
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                for (_, _, i) in &stack {
                    elements[*i].text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                let entity = r.xml10_content();
                let decoded = match entity.as_ref() {
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "amp" => "&".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    e if e.starts_with('#') => "?".to_string(),
                    e => panic!("{name}: entity &{e}; is not defined in XML"),
                };
                for (_, _, i) in &stack {
                    elements[*i].text.push_str(&decoded);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "{name}: unclosed elements {stack:?}");
    elements
}

/// The parsed documents of a book, with helpers to look into them.
struct Book {
    files: Vec<(String, Vec<u8>)>,
    docs: BTreeMap<String, Vec<Element>>,
}

impl Book {
    fn open(path: &Path) -> Book {
        let files = unzip(path);
        let docs = files
            .iter()
            .filter(|(n, _)| {
                [".xhtml", ".opf", ".ncx", ".svg", ".xml"]
                    .iter()
                    .any(|ext| n.ends_with(ext))
            })
            .map(|(n, b)| (n.clone(), parse_xml(n, b)))
            .collect();
        Book { files, docs }
    }

    fn doc(&self, name: &str) -> &[Element] {
        self.docs
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in the book"))
    }

    fn text(&self, name: &str) -> String {
        let (_, bytes) = self.files.iter().find(|(n, _)| n == name).unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    }

    fn xhtml(&self) -> impl Iterator<Item = (&String, &Vec<Element>)> {
        self.docs.iter().filter(|(n, _)| n.ends_with(".xhtml"))
    }

    fn ids(&self, name: &str) -> BTreeSet<String> {
        self.docs.get(name).map_or_else(BTreeSet::new, |doc| {
            doc.iter()
                .filter_map(|e| e.attrs.get("id").cloned())
                .collect()
        })
    }

    /// Links of the table of contents in the nav: (depth of the `li`, href, label).
    fn nav_toc(&self) -> Vec<(usize, String, String)> {
        self.doc("OEBPS/nav.xhtml")
            .iter()
            .filter(|e| e.name == "a" && e.nav.as_deref() == Some("toc"))
            .map(|e| {
                let depth = e.ancestors.iter().filter(|a| *a == "li").count();
                (depth, e.attrs["href"].clone(), e.text.trim().to_string())
            })
            .collect()
    }

    /// Every internal reference must land on a file of the book and, with a fragment, on an
    /// element with that id.
    fn assert_links_resolve(&self) -> usize {
        let names: BTreeSet<&str> = self.files.iter().map(|(n, _)| n.as_str()).collect();
        let mut checked = 0;
        for (name, doc) in &self.docs {
            let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
            for e in doc {
                let target = match (e.name.as_str(), name.ends_with(".opf")) {
                    ("item", true) => e.attrs.get("href"),
                    ("reference", true) => e.attrs.get("href"),
                    ("content", false) => e.attrs.get("src"),
                    (_, false) => e.attrs.get("href").or(e.attrs.get("src")),
                    _ => None,
                };
                let Some(target) = target else { continue };
                if target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with("mailto:")
                    || name.ends_with("container.xml")
                {
                    continue;
                }
                let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
                let file = if file.is_empty() {
                    name.clone()
                } else if dir.is_empty() {
                    file.to_string()
                } else {
                    format!("{dir}/{file}")
                };
                assert!(
                    names.contains(file.as_str()),
                    "{name}: link to {target}: no {file} in the book"
                );
                if !fragment.is_empty() {
                    assert!(
                        self.ids(&file).contains(fragment),
                        "{name}: link to {target}: no id {fragment} in {file}"
                    );
                }
                checked += 1;
            }
        }
        checked
    }

    /// Every XHTML document, the nav included, says its language both ways.
    fn assert_languages(&self, lang: &str) {
        for (name, doc) in self.xhtml() {
            let html = doc.iter().find(|e| e.name == "html").unwrap();
            assert_eq!(
                html.attrs.get("lang").map(String::as_str),
                Some(lang),
                "{name}"
            );
            assert_eq!(
                html.attrs.get("xml:lang").map(String::as_str),
                Some(lang),
                "{name}"
            );
        }
    }

    fn opf_meta(&self, property: &str) -> Vec<String> {
        self.doc("OEBPS/content.opf")
            .iter()
            .filter(|e| {
                e.name == "meta" && e.attrs.get("property").map(String::as_str) == Some(property)
            })
            .map(|e| e.text.clone())
            .collect()
    }

    fn opf_element(&self, name: &str) -> Vec<&Element> {
        self.doc("OEBPS/content.opf")
            .iter()
            .filter(|e| e.name == name)
            .collect()
    }
}

/// Question ids of a bank, in order, as qbank itself sees them.
fn question_ids(bank: &Path, sections: Option<&[&str]>) -> Vec<String> {
    let project = qbank::Project::open(bank);
    project
        .rendered
        .sections()
        .filter(|s| sections.is_none_or(|only| only.contains(&s.id.as_str())))
        .flat_map(|s| s.questions.iter().map(|q| q.id.clone()))
        .collect()
}

/// Unix seconds as `YYYY-MM-DDThh:mm:ssZ` (days to date: Howard Hinnant's algorithm).
fn iso8601(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let (era, doe) = (z.div_euclid(146_097), z.rem_euclid(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Runs the official EPUBCheck on the books; panics with its report on any fatal error,
/// error or warning.
fn epubcheck(books: &[&Path]) -> String {
    let python = client_python();
    let out = std::process::Command::new(python)
        .arg(repo().join("tests/clients/epub_verify.py"))
        .args(books)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{stdout}");
    assert!(
        out.status.success(),
        "EPUBCheck reported problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(&format!("{} passed, 0 failed", books.len())));
    stdout
}

#[test]
fn book_is_byte_identical_across_builds_and_clocks() {
    let work = copy_of_content();
    let bank = work.path().join("content");
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    build_epub(&bank, &a, "1900000000", &[]);
    // Another clock: the book's date comes from the content (qbank.lock), not from the build.
    build_epub(&bank, &b, "2000000000", &[]);
    let (x, y) = (
        std::fs::read(a.join(BOOK)).unwrap(),
        std::fs::read(b.join(BOOK)).unwrap(),
    );
    assert!(!x.is_empty());
    assert!(x == y, "{BOOK} differs between two builds");
}

#[test]
fn shipped_bank_book_is_well_formed_navigable_and_valid() {
    let work = copy_of_content();
    let bank = work.path().join("content");
    let full = build_epub(&bank, &work.path().join("full"), "1900000000", &[]);
    let book = Book::open(&full);

    // OCF: `mimetype` first and stored, so readers recognise the file.
    let raw = std::fs::read(&full).unwrap();
    assert_eq!(&raw[30..38], b"mimetype");
    assert_eq!(&raw[38..58], b"application/epub+zip");

    book.assert_languages("en");
    assert!(book.assert_links_resolve() > 1000);
    // Older Adobe-based readers refuse XHTML files over about 300 kB.
    for (name, bytes) in &book.files {
        assert!(bytes.len() < 250_000, "{name} is {} bytes", bytes.len());
    }

    // The nav: part → section → question, every question of the bank reachable.
    let project = qbank::Project::open(&bank);
    let toc = book.nav_toc();
    let parts: Vec<&str> = toc
        .iter()
        .filter(|(d, h, _)| *d == 1 && h.starts_with("part-"))
        .map(|(_, _, label)| label.as_str())
        .collect();
    let bank_parts: Vec<&str> = project
        .rendered
        .parts
        .iter()
        .map(|p| p.title.as_str())
        .collect();
    assert_eq!(parts, bank_parts);
    let sections: Vec<&str> = toc
        .iter()
        .filter(|(d, _, _)| *d == 2)
        .map(|(_, _, label)| label.as_str())
        .collect();
    let bank_sections: Vec<&str> = project
        .rendered
        .sections()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(sections, bank_sections);
    let reached: Vec<String> = toc
        .iter()
        .filter(|(d, _, _)| *d == 3)
        .map(|(_, href, _)| href.split_once("#q-").expect("question link").1.to_string())
        .collect();
    assert_eq!(reached, question_ids(&bank, None));
    assert_eq!(reached.len(), 421);
    // Each question's nav link lands on its heading.
    let chapter = book.doc("OEBPS/section-python-core.xhtml");
    let heading = chapter
        .iter()
        .find(|e| e.attrs.get("id").map(String::as_str) == Some("q-everything-is-an-object"))
        .unwrap();
    assert_eq!(heading.name, "h2");

    // Landmarks: the contents and where the body starts.
    let landmarks: BTreeSet<&str> = book
        .doc("OEBPS/nav.xhtml")
        .iter()
        .filter(|e| e.nav.as_deref() == Some("landmarks") && e.name == "a")
        .filter_map(|e| e.attrs.get("epub:type").map(String::as_str))
        .collect();
    assert!(
        landmarks.contains("toc") && landmarks.contains("bodymatter"),
        "{landmarks:?}"
    );

    // The NCX reaches every question too, for older readers.
    let ncx_questions = book
        .doc("OEBPS/toc.ncx")
        .iter()
        .filter(|e| e.name == "content" && e.attrs["src"].contains("#q-"))
        .count();
    assert_eq!(ncx_questions, 421);

    // Metadata. The date is the newest change of a question in qbank.lock, not the clock.
    let modified = book.opf_meta("dcterms:modified");
    assert_eq!(modified.len(), 1, "{modified:?}");
    let lock = qbank::lock::Lock::parse(&std::fs::read_to_string(bank.join("qbank.lock")).unwrap())
        .unwrap();
    let newest = project
        .rendered
        .questions()
        .map(|q| lock.entries[&q.id].changed)
        .max()
        .unwrap();
    assert_eq!(modified[0], iso8601(newest));
    let identifier = &book.opf_element("dc:identifier")[0].text;
    let uuid = identifier.strip_prefix("urn:uuid:").unwrap();
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "5", "UUID v5: {uuid}");
    assert_eq!(book.opf_element("dc:language")[0].text, "en");
    let titles: Vec<&str> = book
        .opf_element("dc:title")
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(titles.len(), 2, "title and subtitle: {titles:?}");
    assert_eq!(book.opf_meta("title-type"), ["subtitle"]);
    assert_eq!(book.opf_element("dc:creator")[0].text, "qbank contributors");
    assert_eq!(book.opf_element("dc:description").len(), 1);
    let version = std::fs::read_to_string(common::content().join("bank.yaml"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("version: ").map(str::to_string))
        .unwrap();
    assert_eq!(book.opf_meta("schema:version"), [version]);
    for property in [
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
    ] {
        assert!(!book.opf_meta(property).is_empty(), "no {property}");
    }
    let cover = book
        .opf_element("item")
        .into_iter()
        .find(|e| e.attrs.get("properties").map(String::as_str) == Some("cover-image"))
        .expect("a cover image");
    assert_eq!(cover.attrs["media-type"], "image/svg+xml");

    // Unanswered questions are in the book, saying so.
    let unanswered = book
        .xhtml()
        .flat_map(|(_, doc)| doc.iter())
        .filter(|e| e.attrs.get("class").map(String::as_str) == Some("unanswered"))
        .count();
    let bank_unanswered = project
        .rendered
        .questions()
        .filter(|q| !q.is_answered())
        .count();
    assert_eq!(unanswered, bank_unanswered);

    // The same bank limited to one section: cross-references into the sections left out
    // become plain text, so nothing dangles.
    let one = build_epub(
        &bank,
        &work.path().join("one"),
        "1900000000",
        &["--section", "python-core"],
    );
    let small = Book::open(&one);
    small.assert_links_resolve();
    let reached: Vec<String> = small
        .nav_toc()
        .iter()
        .filter(|(d, _, _)| *d == 3)
        .map(|(_, href, _)| href.split_once("#q-").unwrap().1.to_string())
        .collect();
    assert_eq!(reached, question_ids(&bank, Some(&["python-core"])));
    let chapter = small.text("OEBPS/section-python-core.xhtml");
    assert!(chapter.contains("<span class=\"xref\">"));
    assert!(!small.files.iter().any(|(n, _)| n.contains("section-mysql")));

    epubcheck(&[&full, &one]);
}

/// A small bank exercising what the shipped one lacks: images, headings inside answers, no
/// subtitle, several authors, another language, markup characters in titles.
fn fixture_bank(root: &Path) {
    const PNG: [u8; 67] = [
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a,
        0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x68,
        0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xcd, 0x72, 0xb6, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    let write = |rel: &str, text: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "bank.yaml",
        br#"id: tiny-fixture
title: "Tiny <bank> & friends"
language: en-GB
authors: [Ada Lovelace, Alan Turing]
description: A fixture for the EPUB tests.
version: 2.0.0
parts:
  - title: First & foremost
    sections: [alpha]
  - title: Second
    sections: [beta]
"#,
    );
    write(
        "sections/alpha.yaml",
        br#"id: alpha
title: Alpha <one>
questions:
  - id: with-image
    question: What does `a < b` draw?
    level: junior
    summary: A diagram, and see [the other one](q:unanswered-one).
    answer: |
      ![A one-pixel diagram](images/dot.png)

      ## A heading inside an answer

      | a | b |
      |---|---|
      | 1 | 2 |

      ```python norun
      def f(x):  # a comment
          return "s" + str(x)
      ```

      Also an SVG: ![Vector dot](images/dot.svg) and [the web](https://example.com).
  - id: unanswered-one
    question: Is this answered?
"#,
    );
    write(
        "sections/beta.yaml",
        br#"id: beta
title: Beta
questions:
  - id: back-link
    question: Where is the image?
    summary: In [the first question](q:with-image).
    answer: |
      See [it](q:with-image). Sorting takes $O(n \log n)$ comparisons:

      $$\sum_{i=1}^{n} i = \frac{n(n+1)}{2}$$

      and a book costs $5 and $10 at most.
"#,
    );
    write("images/dot.png", &PNG);
    write(
        "images/dot.svg",
        br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>"#,
    );
}

#[test]
fn fixture_bank_book_has_images_headings_and_passes_epubcheck() {
    let work = tempfile::tempdir().unwrap();
    let bank = work.path().join("bank");
    fixture_bank(&bank);
    let path = build_epub(&bank, &work.path().join("out"), "1900000000", &[]);
    assert!(path.ends_with("epub/tiny-fixture.epub"));
    let book = Book::open(&path);
    book.assert_languages("en-GB");
    book.assert_links_resolve();

    let chapter = book.text("OEBPS/section-alpha.xhtml");
    // The answer's `##` sits below the question's h2.
    assert!(
        chapter.contains("<h4>A heading inside an answer</h4>"),
        "{chapter}"
    );
    assert!(chapter.contains("<p class=\"unanswered\">Not answered yet.</p>"));
    // Cross-references go to the chapter holding their question.
    assert!(chapter.contains("href=\"section-alpha.xhtml#q-unanswered-one\""));
    let beta = book.text("OEBPS/section-beta.xhtml");
    assert!(beta.contains("href=\"section-alpha.xhtml#q-with-image\""));
    // Math is MathML, declared in the manifest for the page holding it only; dollars in
    // prose stay text.
    assert!(
        beta.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"),
        "{beta}"
    );
    assert!(
        beta.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\">"),
        "{beta}"
    );
    assert!(beta.contains("costs $5 and $10 at most"), "{beta}");
    let properties = |href: &str| {
        book.opf_element("item")
            .into_iter()
            .find(|e| e.attrs["href"] == href)
            .and_then(|e| e.attrs.get("properties").cloned())
    };
    assert_eq!(properties("section-beta.xhtml").as_deref(), Some("mathml"));
    assert_eq!(properties("section-alpha.xhtml"), None);
    // Images are packed and declared.
    let media: Vec<&Element> = book
        .opf_element("item")
        .into_iter()
        .filter(|e| e.attrs["href"].starts_with("media/"))
        .collect();
    let types: BTreeSet<&str> = media
        .iter()
        .map(|e| e.attrs["media-type"].as_str())
        .collect();
    assert_eq!(types, BTreeSet::from(["image/png", "image/svg+xml"]));
    assert!(
        book.opf_meta("schema:accessMode")
            .contains(&"visual".to_string())
    );
    // No subtitle: one title; both authors.
    assert_eq!(book.opf_element("dc:title").len(), 1);
    assert_eq!(
        book.opf_element("dc:title")[0].text,
        "Tiny <bank> & friends"
    );
    assert_eq!(book.opf_element("dc:creator").len(), 2);

    let reached: Vec<String> = book
        .nav_toc()
        .iter()
        .filter(|(d, _, _)| *d == 3)
        .map(|(_, href, _)| href.split_once("#q-").unwrap().1.to_string())
        .collect();
    assert_eq!(reached, ["with-image", "unanswered-one", "back-link"]);

    epubcheck(&[&path]);
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn stylesheet_never_fights_the_readers_theme() {
    let css = std::fs::read_to_string(repo().join("themes/default/epub.css")).unwrap();
    // Strip comments, then look at every declaration.
    let mut text = String::new();
    let mut rest = css.as_str();
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = &rest[start + rest[start..].find("*/").unwrap() + 2..];
    }
    text.push_str(rest);
    // Day (white), sepia (Apple Books, Kobo), night (black, near-black).
    let pages = ["#ffffff", "#fbf0d9", "#f4ecd8", "#000000", "#121212"];
    let mut colours = 0;
    for rule in text.split('}') {
        let Some((selector, body)) = rule.split_once('{') else {
            continue;
        };
        let selector = selector.trim();
        for decl in body.split(';') {
            let Some((property, value)) = decl.split_once(':') else {
                continue;
            };
            let (property, value) = (property.trim(), value.trim());
            assert!(
                !property.starts_with("background"),
                "{selector}: a background fights the reader's theme"
            );
            if property == "color" {
                assert!(
                    selector.split(',').all(|s| s.trim().starts_with(".hl-")),
                    "{selector}: only code tokens may have a colour"
                );
                if value == "inherit" {
                    continue;
                }
                assert!(
                    value.starts_with('#') && value.len() == 7,
                    "{selector}: {value}"
                );
                for page in pages {
                    let ratio = contrast(value, page);
                    assert!(
                        ratio >= 3.9,
                        "{selector}: {value} on {page} has contrast {ratio:.2}, below 3.9"
                    );
                }
                colours += 1;
            }
        }
    }
    assert!(colours >= 5, "the code palette is in the stylesheet");
    // Long code wraps instead of scrolling, and may break across pages.
    assert!(text.contains("white-space: pre-wrap"));
    assert!(text.contains("break-inside: auto"));
}
