//! Arbitrary bytes as a section file (`sections/fuzz.yaml`, listed in a valid bank.yaml
//! beside a valid section): loading reports diagnostics and never panics; every diagnostic
//! points inside its file and draws; every rendered fragment is well-formed XHTML.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;

const BANK: &str = "\
id: fuzz-bank
title: Fuzz
language: en
version: 1.0.0
parts:
  - title: Part
    sections: [fixed, fuzz]
";

fuzz_target!(|data: &[u8]| {
    qbank_fuzz::load_and_render(vec![
        (PathBuf::from("bank.yaml"), BANK.as_bytes().to_vec()),
        (
            PathBuf::from("sections/fixed.yaml"),
            qbank_fuzz::FIXED_SECTION.as_bytes().to_vec(),
        ),
        (PathBuf::from("sections/fuzz.yaml"), data.to_vec()),
    ]);
});
