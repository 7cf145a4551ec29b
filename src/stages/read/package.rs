//! ZIP packages (DOCX) read within bounds.
//!
//! Input: the bytes of a ZIP archive. Output: the names of its entries, and the text of the
//! parts a reader asks for. An archive with too many entries, or a part that would inflate
//! past its limit (by its declared size, its compression ratio, or the bytes that actually
//! come out, whatever the header claims), is refused: a ZIP bomb costs a few milliseconds.

use std::io::{Cursor, Read};

use zip::ZipArchive;

/// Entries an archive may list.
const MAX_ENTRIES: u64 = 10_000;

/// How much the parts of one archive may inflate to.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Bytes of one part.
    pub(super) part: u64,
    /// Bytes of all the parts read.
    pub(super) total: u64,
    /// Inflated to compressed size, for parts over `ratio_from` bytes.
    pub(super) ratio: u64,
    /// The size from which the ratio is checked.
    pub(super) ratio_from: u64,
}

impl Default for Limits {
    fn default() -> Self {
        // A document's XML compresses by 5–20 times; 64 MiB is hundreds of pages of text.
        Limits {
            part: 64 << 20,
            total: 128 << 20,
            ratio: 200,
            ratio_from: 1 << 20,
        }
    }
}

/// An archive being read, and how much it has inflated so far.
pub(super) struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    inflated: u64,
}

/// The number of entries the end of the central directory declares, before the archive is
/// opened: the library would read every entry of the directory first.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    // The end record is 22 bytes plus a comment of at most 65,535.
    let from = bytes.len().saturating_sub(22 + 0xFFFF);
    let at = from + memchr::memmem::rfind(&bytes[from..], b"PK\x05\x06")?;
    let count = u16::from_le_bytes([*bytes.get(at + 10)?, *bytes.get(at + 11)?]);
    if count != 0xFFFF {
        return Some(u64::from(count));
    }
    // ZIP64: the locator just before the end record says where the ZIP64 end record is.
    let loc = at.checked_sub(20)?;
    if bytes.get(loc..loc + 4)? != b"PK\x06\x07" {
        return None;
    }
    let mut off = [0u8; 8];
    off.copy_from_slice(bytes.get(loc + 8..loc + 16)?);
    let rec = usize::try_from(u64::from_le_bytes(off)).ok()?;
    let mut n = [0u8; 8];
    n.copy_from_slice(bytes.get(rec + 32..rec + 40)?);
    Some(u64::from_le_bytes(n))
}

/// The entry names of an archive, or `None` when it cannot be read as one (or lists more
/// entries than a document has).
pub(super) fn names(bytes: &[u8]) -> Option<Vec<String>> {
    let pkg = Package::open(bytes, Limits::default()).ok()?;
    Some(
        pkg.zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect(),
    )
}

impl<'a> Package<'a> {
    /// Opens an archive.
    ///
    /// # Errors
    /// Not a ZIP archive, or one that lists too many entries.
    pub(super) fn open(bytes: &'a [u8], limits: Limits) -> Result<Self, String> {
        match declared_entries(bytes) {
            Some(n) if n > MAX_ENTRIES => {
                return Err(format!(
                    "its archive lists {n} entries (at most {MAX_ENTRIES} are read)"
                ));
            }
            Some(_) => {}
            None => return Err("not a readable ZIP archive".to_string()),
        }
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("not a readable ZIP archive ({e})"))?;
        if zip.len() as u64 > MAX_ENTRIES {
            return Err(format!("its archive lists {} entries", zip.len()));
        }
        Ok(Package {
            zip,
            limits,
            inflated: 0,
        })
    }

    /// The text of the part `name` (UTF-8, a byte-order mark dropped), or `None` when the
    /// archive has no such part.
    ///
    /// # Errors
    /// The part cannot be inflated, or would inflate past the limits.
    pub(super) fn part(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let mut file = self
            .zip
            .by_index(index)
            .map_err(|e| format!("{name} cannot be read ({e})"))?;
        let declared = file.size();
        let compressed = file.compressed_size().max(1);
        let limit = self
            .limits
            .part
            .min(self.limits.total.saturating_sub(self.inflated));
        let too_large = || format!("{name} would inflate to more than {limit} bytes");
        if declared > limit {
            return Err(too_large());
        }
        if declared > self.limits.ratio_from && declared / compressed > self.limits.ratio {
            return Err(format!(
                "{name} inflates {} times its size (a ZIP bomb?)",
                declared / compressed
            ));
        }
        let mut buf = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        // Whatever the header says, no more than the limit comes out.
        let read = (&mut file)
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("{name} cannot be inflated ({e})"))?;
        if read as u64 > limit {
            return Err(too_large());
        }
        self.inflated += read as u64;
        let text = match String::from_utf8(buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Ok(Some(match text.strip_prefix('\u{FEFF}') {
            Some(rest) => rest.to_string(),
            None => text,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn archive(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn parts_are_read_and_bombs_refused() {
        let zeros = vec![b'0'; 3 << 20];
        let bytes = archive(&[("a.xml", "\u{FEFF}<a>一</a>".as_bytes()), ("big", &zeros)]);
        assert!(bytes.len() < 64 << 10, "{}", bytes.len());
        assert_eq!(names(&bytes).unwrap(), ["a.xml", "big"]);
        let mut pkg = Package::open(&bytes, Limits::default()).unwrap();
        assert_eq!(pkg.part("a.xml").unwrap().as_deref(), Some("<a>一</a>"));
        assert_eq!(pkg.part("missing").unwrap(), None);
        let e = pkg.part("big").unwrap_err();
        assert!(e.contains("a ZIP bomb"), "{e}");
        // By size: declared, and in total over the parts read.
        let small = Limits {
            part: 1 << 20,
            total: 5 << 20,
            ratio: u64::MAX,
            ratio_from: 0,
        };
        let e = Package::open(&bytes, small)
            .unwrap()
            .part("big")
            .unwrap_err();
        assert!(e.contains("more than 1048576 bytes"), "{e}");
        let two = archive(&[("x", &zeros), ("y", &zeros)]);
        let mut pkg = Package::open(
            &two,
            Limits {
                part: 4 << 20,
                ..small
            },
        )
        .unwrap();
        assert!(pkg.part("x").is_ok());
        let e = pkg.part("y").unwrap_err();
        assert!(e.contains("more than 2097152 bytes"), "{e}");
    }

    #[test]
    fn an_archive_of_many_entries_is_refused_before_it_is_opened() {
        let parts: Vec<(String, Vec<u8>)> = (0..10_001).map(|i| (i.to_string(), vec![])).collect();
        let refs: Vec<(&str, &[u8])> = parts
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let bytes = archive(&refs);
        assert_eq!(declared_entries(&bytes), Some(10_001));
        let e = Package::open(&bytes, Limits::default()).err().unwrap();
        assert!(e.contains("10001 entries"), "{e}");
        assert!(names(b"PK\x03\x04 no directory").is_none());
    }
}
