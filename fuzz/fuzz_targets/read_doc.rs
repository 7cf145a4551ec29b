//! Word 97–2003 (DOC): arbitrary bytes as a file, or as its WordDocument and table streams (apart by two NUL bytes), then parsed: no panic, the text and its tables well formed, the output keeps the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = zhengce::invariants::reader(zhengce::stages::read::Format::Doc, data) {
        panic!("{e}");
    }
});
