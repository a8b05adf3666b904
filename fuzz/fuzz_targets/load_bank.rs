//! Arbitrary bytes as bank.yaml, beside two valid sections: loading reports diagnostics and
//! never panics; every diagnostic points inside its file and draws.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    qbank_fuzz::load_and_render(qbank_fuzz::with_bank_yaml(data));
});
