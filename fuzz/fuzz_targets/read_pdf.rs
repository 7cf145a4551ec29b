//! PDF: arbitrary bytes read in process, then parsed: no panic of zhengce's own, the text and
//! its tables well formed, the output keeps the invariants. The PDF library's own panics are
//! caught and answered as a failure, as the child process of the command line does; its
//! messages are not printed.
#![no_main]

use std::sync::Once;

static QUIET: Once = Once::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| {
        let libfuzzer = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let ours = info
                .location()
                .is_none_or(|l| !l.file().contains("pdf-extract") && !l.file().contains("lopdf"));
            if ours {
                libfuzzer(info);
            }
        }));
    });
    if let Err(e) = zhengce::invariants::reader(zhengce::stages::read::Format::Pdf, data) {
        panic!("{e}");
    }
});
