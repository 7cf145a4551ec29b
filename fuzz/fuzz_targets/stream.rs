//! Arbitrary bytes as `--stdin-jsonl` lines, and as the text of one: each answer is one line of
//! JSON with the id first and a document or an error.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = zhengce::invariants::stream(data) {
        panic!("{e}");
    }
});
