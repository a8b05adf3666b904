//! The fuzz targets' shared code is the test suite's: `tests/invariants/mod.rs` holds the
//! pipeline each input goes through and the invariants checked on the way, so a crash found
//! here reproduces in `tests/fuzz_regressions.rs` with the same checks. A violated invariant
//! panics, which libFuzzer reports as a crash.

#[path = "../../tests/invariants/mod.rs"]
pub mod invariants;

pub use invariants::*;
