//! The rows of 部门任务, kept on disk until the end: that sheet is sorted by department across
//! all documents, and holding its rows in memory would grow with the number of documents.
//!
//! Rows are appended to an anonymous temporary file; each record points back to the previous
//! record of the same department and role, so memory holds one offset per (department, role)
//! and the rows come back in their order of arrival.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
#[cfg(not(unix))]
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::model::Role;

use super::rows::{Cell, Date};

/// Department rows on disk.
#[derive(Debug)]
pub(super) struct Spill {
    out: BufWriter<File>,
    len: u64,
    /// One past the offset of the last record of each (department, role): 0 means none.
    last: BTreeMap<(String, Role), u64>,
}

// Record: previous record of the chain + 1 (u64), payload length (u32), payload.
const HEADER: u64 = 12;

impl Spill {
    /// An empty spill in `dir`, in a file without a name (removed however the program ends,
    /// where the system allows).
    pub(super) fn new_in(dir: &Path) -> std::io::Result<Spill> {
        Ok(Spill {
            out: BufWriter::new(tempfile::tempfile_in(dir)?),
            len: 0,
            last: BTreeMap::new(),
        })
    }

    /// Appends a row of `department` in `role`.
    pub(super) fn push(
        &mut self,
        department: &str,
        role: Role,
        cells: &[Cell],
    ) -> std::io::Result<()> {
        let mut payload = Vec::new();
        encode(cells, &mut payload);
        let len = u32::try_from(payload.len())
            .map_err(|_| std::io::Error::other("a department row of over 4 GB"))?;
        let key = (department.to_string(), role);
        let prev = self.last.get(&key).copied().unwrap_or(0);
        self.out.write_all(&prev.to_le_bytes())?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&payload)?;
        self.last.insert(key, self.len + 1);
        self.len += HEADER + u64::from(len);
        Ok(())
    }

    /// Calls `f` with every row, sorted by department name, then role (lead first), then
    /// order of arrival.
    pub(super) fn drain<E: From<std::io::Error>>(
        self,
        mut f: impl FnMut(&str, Role, Vec<Cell>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut file = self.out.into_inner().map_err(|e| e.into_error())?;
        let mut header = [0u8; HEADER as usize];
        for ((department, role), last) in self.last {
            // Walk the chain back to the first record, then read forward.
            let mut offsets = Vec::new();
            let mut next = last;
            while next > 0 {
                let at = next - 1;
                read_at(&mut file, at, &mut header)?;
                offsets.push(at);
                next = u64_at(&header, 0);
            }
            for at in offsets.into_iter().rev() {
                read_at(&mut file, at, &mut header)?;
                let mut payload = vec![0u8; u32_at(&header, 8) as usize];
                read_at(&mut file, at + HEADER, &mut payload)?;
                let cells = decode(&payload).ok_or_else(|| {
                    std::io::Error::new(std::io::ErrorKind::InvalidData, "a spilled row is damaged")
                })?;
                f(&department, role, cells)?;
            }
        }
        Ok(())
    }
}

/// Reads `buf.len()` bytes at `at`: one system call where the system has positioned reads
/// (a buffered reader would read a whole buffer at every jump between records).
fn read_at(file: &mut File, at: u64, buf: &mut [u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
    }
    #[cfg(not(unix))]
    {
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(buf)
    }
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    if let Some(s) = b.get(at..at + 8) {
        a.copy_from_slice(s);
    }
    u64::from_le_bytes(a)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    if let Some(s) = b.get(at..at + 4) {
        a.copy_from_slice(s);
    }
    u32::from_le_bytes(a)
}

fn encode(cells: &[Cell], out: &mut Vec<u8>) {
    for c in cells {
        match c {
            Cell::Blank => out.push(0),
            Cell::Text(s) => {
                out.push(1);
                out.extend_from_slice(&(s.len() as u64).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            Cell::Number(v) => {
                out.push(2);
                out.extend_from_slice(&v.to_bits().to_le_bytes());
            }
            Cell::Date(d) => {
                out.push(3);
                out.extend_from_slice(&d.year.to_le_bytes());
                out.push(d.month);
                out.push(d.day);
            }
        }
    }
}

fn decode(mut b: &[u8]) -> Option<Vec<Cell>> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, rest) = b.split_at_checked(n)?;
        *b = rest;
        Some(head)
    }
    let mut out = Vec::new();
    while let Some((&tag, rest)) = b.split_first() {
        b = rest;
        out.push(match tag {
            0 => Cell::Blank,
            1 => {
                let n = usize::try_from(u64_at(take(&mut b, 8)?, 0)).ok()?;
                Cell::Text(String::from_utf8(take(&mut b, n)?.to_vec()).ok()?)
            }
            2 => Cell::Number(f64::from_bits(u64_at(take(&mut b, 8)?, 0))),
            3 => {
                let d = take(&mut b, 4)?;
                let year = u16::from_le_bytes([d[0], d[1]]);
                Cell::Date(Date::new(
                    i64::from(year),
                    i64::from(d[2]),
                    i64::from(d[3]),
                )?)
            }
            _ => return None,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_by_department_then_role_then_arrival() {
        let mut s = Spill::new_in(&std::env::temp_dir()).unwrap();
        let row = |n: f64| {
            vec![
                Cell::Number(n),
                Cell::Text("县发展和改革局".into()),
                Cell::Blank,
            ]
        };
        s.push("乙局", Role::Participant, &row(1.0)).unwrap();
        s.push("甲局", Role::Participant, &row(2.0)).unwrap();
        s.push("乙局", Role::Lead, &row(3.0)).unwrap();
        s.push("乙局", Role::Participant, &row(4.0)).unwrap();
        s.push("甲局", Role::Lead, &row(5.0)).unwrap();
        let mut got = Vec::new();
        s.drain(|d, r, cells| -> Result<(), std::io::Error> {
            assert_eq!(cells[1], Cell::Text("县发展和改革局".into()));
            let Cell::Number(n) = cells[0] else { panic!() };
            got.push((d.to_string(), r, n));
            Ok(())
        })
        .unwrap();
        // By character code: 乙 (U+4E59) before 甲 (U+7532).
        let want = [
            ("乙局", Role::Lead, 3.0),
            ("乙局", Role::Participant, 1.0),
            ("乙局", Role::Participant, 4.0),
            ("甲局", Role::Lead, 5.0),
            ("甲局", Role::Participant, 2.0),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(d, r, n)| (d.to_string(), *r, *n))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn cells_survive_the_round_trip_and_damage_is_refused() {
        let cells = vec![
            Cell::Blank,
            Cell::Text("二、聚力工业强县".into()),
            Cell::Number(-1.5e12),
            Cell::Date(Date::new(2024, 2, 29).unwrap()),
        ];
        let mut b = Vec::new();
        encode(&cells, &mut b);
        assert_eq!(decode(&b), Some(cells));
        assert_eq!(decode(&b[..b.len() - 1]), None);
        assert_eq!(decode(&[9]), None);
    }
}
