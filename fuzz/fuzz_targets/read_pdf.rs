//! PDF: arbitrary bytes read in process, then parsed: no panic of zhengce's own, the text and
//! its tables well formed, the output keeps the invariants. The PDF library's own panics are
//! caught and answered as a failure, as the child process of the command line does; their
//! messages (from the registry's crates) are not printed.
#![no_main]

use std::sync::Once;

static QUIET: Once = Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| {
        let libfuzzer = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // The PDF library and the crates it uses live in the registry; zhengce does not.
            let ours = info
                .location()
                .is_none_or(|l| !l.file().contains("/.cargo/registry/"));
            if ours {
                libfuzzer(info);
            }
        }));
    });
    if let Err(e) = zhengce::invariants::reader(zhengce::stages::read::Format::Pdf, data) {
        panic!("{e}");
    }
});
