//! Date expressions of deadlines: `2024年12月底前`, `到2028年底`, `11月中旬前`, `5-7月`,
//! `2023—2025年`, `2025年7月至2025年12月`, `于2020年10月30日前`, `二〇二四年六月`.
//!
//! Input: normalised text starting where an expression may start, and the words of
//! `rules/deadlines.toml`. Output: the expression's length and what it says (a point or the end
//! of a range, or a period), and whether a word or a month marks it as a deadline.

use crate::base::numbers::{arabic_integer, chinese_integer};
use crate::model::DeadlineKind;

use super::rules::DeadlineRules;

/// A date expression read at the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateExpr {
    /// Its length in bytes.
    pub len: usize,
    /// `by` a point, or a `period` of years.
    pub kind: DeadlineKind,
    /// The year, when written.
    pub year: Option<i32>,
    /// The month, when written (12 for the end of a year: `2024年底`).
    pub month: Option<u32>,
    /// The day, when written.
    pub day: Option<u32>,
    /// The first year of a period.
    pub from_year: Option<i32>,
    /// Whether something says "by": a word before or after it, a month, or a range.
    pub marked: bool,
    /// Whether it is only a year (`2023年`).
    pub year_only: bool,
    /// Whether a word after it says "before" (`前`).
    pub before: bool,
}

/// One point of time: a year, a month, a day, each optional but not all.
#[derive(Debug, Clone, Copy, Default)]
struct Point {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
}

/// The longest word of `words` that `s` starts with, and its length.
fn word_at<'w>(s: &str, words: &'w [String]) -> Option<&'w str> {
    words
        .iter()
        .filter(|w| s.starts_with(w.as_str()))
        .max_by_key(|w| w.len())
        .map(String::as_str)
}

/// A number at the start of `s` (ASCII digits, or Chinese numerals), with its length.
fn number(s: &str, max_chars: usize) -> Option<(u64, usize)> {
    let ascii = s.bytes().take_while(u8::is_ascii_digit).count();
    if ascii > 0 {
        return (ascii <= max_chars)
            .then(|| arabic_integer(&s[..ascii]).map(|v| (v, ascii)))
            .flatten();
    }
    let len: usize = s
        .chars()
        .take_while(|c| {
            matches!(
                c,
                '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
            )
        })
        .take(max_chars)
        .map(char::len_utf8)
        .sum();
    (len > 0)
        .then(|| chinese_integer(&s[..len]).map(|v| (v, len)))
        .flatten()
}

fn spaces(s: &str) -> usize {
    s.len() - s.trim_start_matches([' ', '\t']).len()
}

/// A year of four numerals (19xx, 20xx), without the `年` after it.
fn year(s: &str) -> Option<(i32, usize)> {
    let (v, len) = number(s, 4)?;
    let chars = s[..len].chars().count();
    (chars == 4 && (1900..=2199).contains(&v)).then_some((v as i32, len))
}

/// A point at the start of `s`: `2024年12月30日`, `2024年`, `12月`, `12月30日`, `2024年一季度`.
fn point(s: &str, rules: &DeadlineRules) -> Option<(Point, usize)> {
    let mut p = Point::default();
    let mut i = 0;
    if let Some((y, len)) = year(s) {
        let after = len + spaces(&s[len..]);
        if s[after..].starts_with('年') {
            p.year = Some(y);
            i = after + '年'.len_utf8();
        }
    }
    let rest = &s[i..];
    let at = spaces(rest);
    let part = p.year.and_then(|_| {
        rules
            .year_parts
            .iter()
            .find(|(w, _)| rest[at..].starts_with(w.as_str()))
    });
    if let Some((w, m)) = part {
        p.month = Some(*m);
        i += at + w.len();
    } else if let Some((m, len)) = number(&rest[at..], 2) {
        let after = at + len + spaces(&rest[at + len..]);
        if (1..=12).contains(&m) && rest[after..].starts_with('月') {
            p.month = Some(m as u32);
            i += after + '月'.len_utf8();
            let rest = &s[i..];
            let at = spaces(rest);
            if let Some((d, len)) = number(&rest[at..], 3) {
                let after = at + len;
                let unit = ['日', '号']
                    .into_iter()
                    .find(|u| rest[after..].starts_with(*u));
                if let (true, Some(u)) = ((1..=31).contains(&d), unit) {
                    p.day = Some(d as u32);
                    i += after + u.len_utf8();
                }
            }
        }
    }
    (p.year.is_some() || p.month.is_some()).then_some((p, i))
}

/// A number that a range separator follows, as the first end of a range (`5-7月`, `2023-2025年`):
/// a year, or a month.
fn range_start(s: &str, rules: &DeadlineRules) -> Option<(Point, usize)> {
    let (p, len) = match year(s) {
        Some((y, len)) => (
            Point {
                year: Some(y),
                ..Point::default()
            },
            len,
        ),
        None => {
            let (m, len) = number(s, 2).filter(|(m, _)| (1..=12).contains(m))?;
            (
                Point {
                    month: Some(m as u32),
                    ..Point::default()
                },
                len,
            )
        }
    };
    let after = len + spaces(&s[len..]);
    word_at(&s[after..], &rules.separators)?;
    Some((p, len))
}

/// Reads a date expression at the start of `s`.
pub fn read(s: &str, rules: &DeadlineRules) -> Option<DateExpr> {
    let prefix = word_at(s, &rules.prefixes).map_or(0, str::len);
    let mut i = prefix + spaces(&s[prefix..]);
    let (first, len) = point(&s[i..], rules).or_else(|| range_start(&s[i..], rules))?;
    i += len;
    let mut last = first;
    let mut range = false;
    let after_sep = i + spaces(&s[i..]);
    if let Some(sep) = word_at(&s[after_sep..], &rules.separators) {
        let j = after_sep + sep.len();
        let j = j + spaces(&s[j..]);
        if let Some((second, len)) = point(&s[j..], rules) {
            last = Point {
                year: second.year.or(first.year),
                month: second.month,
                day: second.day,
            };
            range = true;
            i = j + len;
        }
    }
    let part = word_at(&s[i..], &rules.parts);
    i += part.map_or(0, str::len);
    let suffix = word_at(&s[i..], &rules.suffixes)
        .filter(|_| word_at(&s[i..], &rules.not_suffixes).is_none());
    i += suffix.map_or(0, str::len);
    // `2020年以来`, `2020年中央…`: what follows a bare date says it is none.
    if part.is_none() && suffix.is_none() && word_at(&s[i..], &rules.not_after).is_some() {
        return None;
    }
    let period = range
        && first.month.is_none()
        && last.month.is_none()
        && matches!((first.year, last.year), (Some(a), Some(b)) if a < b);
    let end_of_year = matches!(part, Some("底" | "末" | "年底" | "年末")) && last.month.is_none();
    Some(DateExpr {
        len: i,
        kind: if period {
            DeadlineKind::Period
        } else {
            DeadlineKind::By
        },
        year: last.year,
        month: last.month.or(end_of_year.then_some(12)),
        day: last.day,
        from_year: period.then_some(first.year).flatten(),
        marked: prefix > 0 || part.is_some() || suffix.is_some() || last.month.is_some() || range,
        year_only: last.month.is_none() && !range && part.is_none() && suffix.is_none(),
        before: suffix.is_some(),
    })
}
