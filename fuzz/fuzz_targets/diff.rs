//! `diff(a, a)` is empty for any document, and so is `diff(json(a), a)`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = zhengce::invariants::diff_self(data) {
        panic!("{e}");
    }
});
