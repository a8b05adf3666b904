//! Arbitrary bytes as a section file (`sections/fuzz.yaml`, listed in a valid bank.yaml
//! beside a valid section): loading reports diagnostics and never panics; every diagnostic
//! points inside its file and draws; every rendered fragment is well-formed XHTML.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    qbank_fuzz::load_and_render(qbank_fuzz::with_section(data));
});
