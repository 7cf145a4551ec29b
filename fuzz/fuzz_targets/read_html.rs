//! Web pages: arbitrary bytes read as a page (charset, tree, main content, tables), then parsed: no panic, the text and its tables well formed, the output keeps the invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(e) = zhengce::invariants::reader(zhengce::stages::read::Format::Html, data) {
        panic!("{e}");
    }
});
