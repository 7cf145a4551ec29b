//! Rule patterns: any pattern `regex` compiles reads any text as `regex` does (first line the
//! pattern, the rest the texts).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = zhengce::invariants::pattern(data) {
        panic!("{e}");
    }
});
