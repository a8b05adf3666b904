//! Arbitrary bytes as bank.yaml, beside two valid sections: loading reports diagnostics and
//! never panics; every diagnostic points inside its file and draws.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;

const OTHER: &str = "\
id: other
title: Other section
questions:
  - id: other-question
    question: '`select_related` vs **prefetch**?'
    level: mid
    tags: [orm]
    summary: Joins vs queries; see [GIL](q:gil-explained).
    answer: |
      | a | b |
      |---|---|
      | 1 | 2 |
";

fuzz_target!(|data: &[u8]| {
    qbank_fuzz::load_and_render(vec![
        (PathBuf::from("bank.yaml"), data.to_vec()),
        (
            PathBuf::from("sections/fixed.yaml"),
            qbank_fuzz::FIXED_SECTION.as_bytes().to_vec(),
        ),
        (PathBuf::from("sections/other.yaml"), OTHER.as_bytes().to_vec()),
    ]);
});
