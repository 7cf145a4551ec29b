//! The number parser: what it reads is finite and survives printing and reading again; Chinese
//! integers read back as written.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = zhengce::invariants::number_roundtrip(data) {
        panic!("{e}");
    }
});
