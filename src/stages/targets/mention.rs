//! "Number + unit" in running text: where numbers start and how far a number with its unit,
//! range or magnitude reads.
//!
//! Input: a paragraph (normalised) and a byte where a number starts. Output: a [`Mention`]:
//! value (and upper value), the unit form, and what the number looks like (Chinese, year-like,
//! unreadable).

use super::*;

use crate::base::numbers;

/// A number read in a paragraph, with its unit. Offsets are bytes into the paragraph.
#[derive(Debug, Clone)]
pub(super) struct Mention {
    pub(super) start: usize,
    /// Where the number (or range) ends.
    pub(super) num_end: usize,
    /// Where the unit starts (`num_end` plus any space or `多`).
    pub(super) unit_start: usize,
    /// End of number and unit.
    pub(super) end: usize,
    pub(super) value: f64,
    pub(super) value_max: Option<f64>,
    pub(super) form: Option<Form>,
    pub(super) chinese: bool,
    /// A whole number that reads as a year (1900–2100, four digits).
    pub(super) year_like: bool,
    pub(super) infix: Option<Bound>,
    /// Numerals that read as no number (`十四五`): part of a name.
    pub(super) unread: bool,
}

impl Mention {
    /// The number from `start` to `end`, without a unit (yet).
    pub(super) fn bare(start: usize, end: usize, value: f64, chinese: bool) -> Mention {
        Mention {
            start,
            num_end: end,
            unit_start: end,
            end,
            value,
            value_max: None,
            form: None,
            chinese,
            year_like: false,
            infix: None,
            unread: false,
        }
    }
}

/// The Chinese numerals (and `○`, often typed for `〇`), as a bit per code point of the BMP: the
/// scan for numbers asks this of every three-byte character.
static CN_NUMERALS: [u64; 1024] = {
    let cs = [
        '零', '〇', '○', '一', '二', '两', '三', '四', '五', '六', '七', '八', '九', '十', '百',
        '千', '万', '亿',
    ];
    let mut t = [0u64; 1024];
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i] as usize;
        t[c >> 6] |= 1 << (c & 63);
        i += 1;
    }
    t
};

fn is_cn_numeral(c: char) -> bool {
    cn_numeral_code(c as u32)
}

fn cn_numeral_code(c: u32) -> bool {
    let c = c as usize;
    c < 0x10000 && (CN_NUMERALS[c >> 6] >> (c & 63)) & 1 == 1
}

/// Whether the three-byte character at `i` (a character boundary of a `str`) is a numeral.
fn cn_numeral_at(bytes: &[u8], i: usize) -> bool {
    let [a, b, c] = bytes.get(i..i + 3).map_or([0; 3], |x| [x[0], x[1], x[2]]);
    cn_numeral_code((u32::from(a & 0x0F) << 12) | (u32::from(b & 0x3F) << 6) | u32::from(c & 0x3F))
}

/// The length of the UTF-8 sequence that starts with byte `b`.
pub(super) fn utf8_len(b: u8) -> usize {
    // A table: the scans ask this of every character, and a chain of range tests costs
    // several times a load.
    static LEN: [u8; 256] = {
        let mut t = [1u8; 256];
        let mut b = 0xC0;
        while b < 256 {
            t[b] = match b {
                0xC0..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
            b += 1;
        }
        t
    };
    // ASCII and continuation bytes (which never start a character of a `str`) step one.
    usize::from(LEN[usize::from(b)])
}

/// The starts of the numbers of `s`: each numeral (an ASCII digit, or a three-byte `〇 一 … 亿`,
/// `○`) whose previous character is neither a numeral nor `.`.
pub(super) fn number_starts(s: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut after_number = false;
    std::iter::from_fn(move || {
        while let Some(&b) = bytes.get(i) {
            let at = i;
            // Branches on the lead byte, which the CPU predicts, instead of a length looked up
            // from it, which each step would wait for.
            let numeral = if (0xE0..0xF0).contains(&b) {
                i += 3;
                cn_numeral_at(bytes, at)
            } else if b < 0x80 {
                i += 1;
                b.is_ascii_digit()
            } else {
                i += utf8_len(b);
                false
            };
            let starts = numeral && !after_number;
            after_number = numeral || b == b'.';
            if starts {
                return Some(at);
            }
        }
        None
    })
}

const RANGE_SEPS: &[&str] = &["-", "~", "—", "–", "―", "〜", "至", "到"];

impl TargetRules {
    /// A range separator and a second numeral of the same script after the first.
    fn range_at(s: &str, first: &numbers::Numeral) -> Option<(usize, bool, numbers::Numeral)> {
        let sep = RANGE_SEPS.iter().find(|x| s.starts_with(**x))?;
        let n2 = numbers::read_numeral(&s[sep.len()..])?;
        (n2.chinese == first.chinese && n2.value > first.value).then_some((
            sep.len(),
            matches!(*sep, "至" | "到"),
            n2,
        ))
    }

    /// `百`, `千` or `万` standing alone for 100, 1000 or 10000 at byte `i` of `s`: right after
    /// a verb of the `magnitude_alone` rule and before a unit of a count (of its `units`, when
    /// given) that no other numeral nor `not_before` word follows (`培育百家企业`, but not
    /// `千家万户`, `百万吨`, `百家争鸣`, `千人礼堂`).
    pub(super) fn magnitude_alone(&self, s: &str, i: usize) -> Option<Mention> {
        let verbs = self.alone_after.as_ref()?;
        let rest = s.get(i..)?;
        let c = rest.chars().next()?;
        let value = match c {
            '百' => 100.0,
            '千' => 1000.0,
            '万' => 10_000.0,
            _ => return None,
        };
        let unit_start = i + c.len_utf8();
        let after = s.get(unit_start..)?;
        if after.chars().next().is_some_and(is_cn_numeral) {
            return None;
        }
        let form = self.unit_at(after)?;
        let end = unit_start + form.text.len();
        let next = s.get(end..)?;
        let family = self.families.get(form.family)?;
        let listed = self.alone_units.is_empty()
            || self
                .alone_units
                .iter()
                .any(|u| *u == family.name || **u == *form.text);
        if family.kind != UnitKind::Count
            || !listed
            || next.chars().next().is_some_and(is_cn_numeral)
            || self
                .alone_not_before
                .iter()
                .any(|w| next.starts_with(w.as_str()))
        {
            return None;
        }
        verbs.find(s.get(..i)?)?;
        Some(Mention {
            end,
            form: Some(form.clone()),
            ..Mention::bare(i, unit_start, value, true)
        })
    }

    /// Reads the number (and unit) starting at byte `i` of `s`.
    pub(super) fn read_mention(&self, s: &str, i: usize) -> Option<Mention> {
        let rest = s.get(i..)?;
        for (word, unit) in [("百分之", "%"), ("千分之", "‰")] {
            if let Some(after) = rest.strip_prefix(word) {
                let n = numbers::read_numeral(after)?;
                // The unit is written before the number, as a word: it has no span of its own.
                return Some(Mention {
                    unit_start: i,
                    form: self.unit_at(unit).cloned(),
                    ..Mention::bare(i, i + word.len() + n.len, n.value, n.chinese)
                });
            }
        }
        if let Some(m) = self.magnitude_alone(s, i) {
            return Some(m);
        }
        let Some(n) = numbers::read_numeral(rest) else {
            return unread_numerals(rest, i);
        };
        let mut m = Mention::bare(i, i + n.len, n.value, n.chinese);
        self.magnitude_to_unit(s, &n, &mut m);
        if m.form.is_none() {
            self.range_after(s, &n, &mut m);
        }
        if m.form.is_none() && m.value_max.is_none() {
            self.unit_after(s, &n, &mut m);
        }
        self.unit_with_alternative(s, &mut m);
        self.unit_per_unit(s, &mut m);
        let digits = rest.get(..n.len).unwrap_or("");
        if n.chinese && !self.chinese_numeral_reads(s, digits, &m) {
            return None;
        }
        let four = n.chinese || digits.chars().filter(char::is_ascii_digit).count() == 4;
        let in_years = |v: f64| (1900.0..=2100.0).contains(&v) && v.fract() == 0.0;
        m.year_like = !n.decimal && four && in_years(m.value) && m.value_max.is_none_or(in_years);
        Some(m)
    }

    /// A trailing 万 of a Chinese numeral goes to the unit: 二十万头 is 20 万头.
    fn magnitude_to_unit(&self, s: &str, n: &numbers::Numeral, m: &mut Mention) {
        let Some((head_value, head_len)) = n.head else {
            return;
        };
        let i = m.start;
        if let Some(f) = self.unit_at(s.get(i + head_len..).unwrap_or("")) {
            if f.prefixed && i + head_len + f.text.len() > i + n.len {
                m.value = head_value;
                m.num_end = i + head_len;
                m.unit_start = i + head_len;
                m.end = i + head_len + f.text.len();
                m.form = Some(f.clone());
            }
        }
    }

    /// A range (`3至5个`, `1-2`) after number `n`, with its unit.
    fn range_after(&self, s: &str, n: &numbers::Numeral, m: &mut Mention) {
        let after = s.get(m.num_end..).unwrap_or("");
        let Some((sep, word_sep, n2)) = Self::range_at(after, n) else {
            return;
        };
        let end = m.num_end + sep + n2.len;
        let unit = self.unit_after_space(s.get(end..).unwrap_or(""));
        // `3至5` without a unit may be no range: `至` and `到` are words too.
        if word_sep && unit.is_none() {
            return;
        }
        m.value_max = Some(n2.value);
        m.num_end = end;
        m.unit_start = end;
        m.end = end;
        if let Some((ws, f)) = unit {
            m.unit_start = end + ws;
            m.end = end + ws + f.text.len();
            m.form = Some(f.clone());
        }
    }

    /// The unit after number `n`: after a bound word written inside (`30余家`), after spaces,
    /// and a range with the unit written twice (`1.5m-3.5m`).
    fn unit_after(&self, s: &str, n: &numbers::Numeral, m: &mut Mention) {
        let after = s.get(m.num_end..).unwrap_or("");
        for (word, bound) in &self.bound_infix {
            if let Some(rest) = after.strip_prefix(word.as_str()) {
                if let Some(f) = self.unit_at(rest) {
                    m.infix = Some(*bound);
                    m.unit_start = m.num_end + word.len();
                    m.end = m.unit_start + f.text.len();
                    m.form = Some(f.clone());
                    break;
                }
            }
        }
        if m.form.is_none() {
            if let Some((ws, f)) = self.unit_after_space(after) {
                m.unit_start = m.num_end + ws;
                m.end = m.unit_start + f.text.len();
                m.form = Some(f.clone());
            }
        }
        // 1.5m-3.5m: a range with the unit written twice.
        let Some(f) = m.form.clone() else {
            return;
        };
        let after = s.get(m.end..).unwrap_or("");
        if let Some((sep, _, n2)) = Self::range_at(after, n) {
            let end = m.end + sep + n2.len;
            if s.get(end..).is_some_and(|rest| rest.starts_with(&*f.text)) {
                m.value_max = Some(n2.value);
                m.num_end = end;
                m.end = end + f.text.len();
            }
        }
    }

    /// 3000台（套）: a count of things of two names, the second in brackets, is one unit.
    fn unit_with_alternative(&self, s: &str, m: &mut Mention) {
        let Some(f) = &m.form else {
            return;
        };
        if self.families.get(f.family).map(|x| x.kind) != Some(UnitKind::Count) {
            return;
        }
        let Some(rest) = s.get(m.end..).and_then(|r| r.strip_prefix('(')) else {
            return;
        };
        let Some(other) = self
            .unit_at(rest)
            .filter(|o| o.family == f.family && !o.prefixed)
        else {
            return;
        };
        if !rest[other.text.len()..].starts_with(')') {
            return;
        }
        let text = format!("{}({})", f.text, other.text);
        m.end += other.text.len() + 2;
        m.form = Some(Form {
            text: text.into(),
            ..f.clone()
        });
    }

    /// 4.15公里/平方公里: a unit per unit is a rate.
    fn unit_per_unit(&self, s: &str, m: &mut Mention) {
        let (Some(f), Some(rate)) = (&m.form, self.rate_family) else {
            return;
        };
        let Some(rest) = s.get(m.end..).and_then(|r| r.strip_prefix('/')) else {
            return;
        };
        if let Some(per) = self.unit_at(rest) {
            let text = format!("{}/{}", f.text, per.text);
            m.end += 1 + per.text.len();
            m.form = Some(Form {
                text: text.into(),
                family: rate,
                exp: 0,
                factor: 1.0,
                not_before: Vec::new().into(),
                latin_end: false,
                prefixed: false,
            });
        }
    }

    /// Whether Chinese numerals (`digits`, read into `m`) are a number here: one with a digit
    /// or opening with 十 (千家万户 is none, unless its unit is a specification or a name),
    /// and with a unit or after 第.
    fn chinese_numeral_reads(&self, s: &str, digits: &str, m: &Mention) -> bool {
        let kind = m
            .form
            .as_ref()
            .and_then(|f| self.families.get(f.family))
            .map(|f| f.kind);
        let digitless = !digits.chars().any(|c| numbers::chinese_digit(c).is_some());
        if digitless
            && !digits.starts_with('十')
            && !matches!(kind, Some(UnitKind::Spec | UnitKind::Name))
        {
            return false;
        }
        m.form.is_some() || s.get(..m.start).unwrap_or("").trim_end().ends_with('第')
    }
}

/// A run of numerals at byte `i` that reads as no number, such as 十四五: a name.
fn unread_numerals(rest: &str, i: usize) -> Option<Mention> {
    let run: usize = rest
        .chars()
        .take_while(|&c| is_cn_numeral(c))
        .map(char::len_utf8)
        .sum();
    let word = rest.get(..run).unwrap_or("");
    (word.chars().count() >= 2 && word.contains('十')).then_some(Mention {
        unread: true,
        ..Mention::bare(i, i + run, 0.0, true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte scan for numbers finds what a walk over the characters finds.
        #[test]
        fn number_starts_agree_with_the_character_walk(
            s in "[a.1,。“”、…‥⁂〇○一二十亿年月甲\u{80}\u{7FF}\u{1FFF}\u{4000}\u{E000}\u{FFFF}😀 ]{0,40}",
        ) {
            let mut prev: Option<char> = None;
            let mut starts = Vec::new();
            for (i, c) in s.char_indices() {
                let numeral = |c: char| c.is_ascii_digit() || is_cn_numeral(c);
                if numeral(c) && !prev.is_some_and(|p| numeral(p) || p == '.') {
                    starts.push(i);
                }
                prev = Some(c);
            }
            proptest::prop_assert_eq!(number_starts(&s).collect::<Vec<_>>(), starts);
        }
    }

    #[test]
    fn utf8_len_is_the_length_of_each_character() {
        for c in [
            'a', '\u{7F}', '\u{80}', 'é', '\u{7FF}', '\u{800}', '一', '\u{FFFF}', '𠀀',
        ] {
            let mut buf = [0; 4];
            assert_eq!(
                utf8_len(c.encode_utf8(&mut buf).as_bytes()[0]),
                c.len_utf8(),
                "{c:?}"
            );
        }
        // A continuation byte steps one.
        assert!((0x80..0xC0).all(|b| utf8_len(b) == 1));
    }

    #[test]
    fn numeral_bytes() {
        let numerals: Vec<char> = "年〇○零一二两三四五六七八九十百千万亿兆a1"
            .chars()
            .filter(|&c| is_cn_numeral(c))
            .collect();
        assert_eq!(
            numerals.iter().collect::<String>(),
            "〇○零一二两三四五六七八九十百千万亿"
        );
        assert!(cn_numeral_at("年亿".as_bytes(), 3) && !cn_numeral_at("年亿".as_bytes(), 0));
        // Fewer than three bytes left: no numeral.
        assert!(!cn_numeral_at(&"亿".as_bytes()[..2], 0));
        assert_eq!((utf8_len(b'a'), utf8_len(0xE4), utf8_len(0xF0)), (1, 3, 4));
    }
}
