//! Word (DOCX): arbitrary bytes as a package, or as the parts of one (document, numbering, styles apart by two NUL bytes), then parsed: no panic, the text and its tables well formed, the output keeps the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = zhengce::invariants::reader(zhengce::stages::read::Format::Docx, data) {
        panic!("{e}");
    }
});
