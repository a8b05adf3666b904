//! Arbitrary text as Markdown: rendering never panics and always yields well-formed XHTML
//! (also once cross-references are rewritten), with problem offsets inside the source.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(md) = std::str::from_utf8(data) {
        qbank_fuzz::render_markdown(md);
    }
});
