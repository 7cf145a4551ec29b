//! Arbitrary bytes through the whole pipeline: no panic, the JSON serialises and reads back,
//! blocks tile the decoded text, spans are in bounds, children lie inside parents.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = zhengce::invariants::pipeline(data) {
        panic!("{e}");
    }
});
