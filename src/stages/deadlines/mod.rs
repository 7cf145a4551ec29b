//! Stage 6b: by when each task is due.
//!
//! Input: a task's own text (title sentence and body, without children), the document's year
//! and period, and the words of `rules/deadlines.toml`. Output: the deadline the task states —
//! its span as written, and its kind (`by`, `ongoing`, `period`, `yearly`) with year, month and
//! day to the precision the text gives — or none; and the document's period (its horizon),
//! read from its title, which a task that states no deadline takes.
//!
//! Where a deadline is read, in order of precedence: a deadline label's value (`完成时限：…`);
//! a bracket or an attribution segment that is only a date or a state (`（4月底前）`,
//! `（…；长期坚持）`); a date that opens a sentence or clause and says by when (`2024年6月底前，…`).

use crate::base::text::{ByteSpan, Text, split_top_level, trim_span};
use crate::model::DeadlineKind;
use crate::stages::departments::bracket_groups;

pub mod date;
pub mod rules;

pub use rules::DeadlineRules;

/// A deadline a task states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDeadline {
    /// The words as written (normalised byte span).
    pub span: ByteSpan,
    /// By a date, ongoing, a period, or yearly.
    pub kind: DeadlineKind,
    /// The year (the last of a period).
    pub year: Option<i32>,
    /// The month.
    pub month: Option<u32>,
    /// The day.
    pub day: Option<u32>,
    /// The first year of a period.
    pub from_year: Option<i32>,
}

/// The document's period, from its title: the horizon of a task that states no deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Horizon {
    /// The words of the title that give it (`2023—2025年`, `2025年`).
    pub text: String,
    /// Its first year.
    pub from_year: i32,
    /// Its last year.
    pub year: i32,
}

/// What the document says about time.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The year of a date written without one (`4月底前`, `年内`): the year of a one-year
    /// document, else of its date.
    pub doc_year: Option<i32>,
    /// The year of the document's date: a date before it is past, no deadline.
    pub date_year: Option<i32>,
    /// The document's period.
    pub horizon: Option<Horizon>,
}

impl Context {
    /// The context of a document with `title` and the year of its date.
    pub fn new(title: Option<&str>, date_year: Option<i32>, rules: &DeadlineRules) -> Self {
        let horizon = title.and_then(|t| horizon(t, rules));
        let doc_year = match &horizon {
            Some(h) if h.from_year == h.year => Some(h.year),
            _ => date_year,
        };
        Context {
            doc_year,
            date_year,
            horizon,
        }
    }
}

/// The period a document's own title names: a range of years (`三年行动计划（2023—2025年）`), or
/// a year before a word of `annual` (`2025年工作要点`).
pub fn horizon(title: &str, rules: &DeadlineRules) -> Option<Horizon> {
    let norm = crate::base::text::normalize_str(title);
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    let mut single = None;
    for &(i, c) in &chars {
        if !(c.is_ascii_digit() || matches!(c, '二' | '〇' | '一')) {
            continue;
        }
        let Some(d) = date::read(&norm[i..], rules) else {
            continue;
        };
        let written = || -> String {
            let from = norm[..i].chars().count();
            let len = norm[i..i + d.len].chars().count();
            title.chars().skip(from).take(len).collect()
        };
        match (d.kind, d.from_year, d.year) {
            (DeadlineKind::Period, Some(from), Some(to)) => {
                return Some(Horizon {
                    text: written(),
                    from_year: from,
                    year: to,
                });
            }
            (_, _, Some(y)) if d.year_only && single.is_none() => {
                let rest = &norm[i + d.len..];
                if rules.annual.iter().any(|w| rest.contains(w.as_str())) {
                    single = Some(Horizon {
                        text: written(),
                        from_year: y,
                        year: y,
                    });
                }
            }
            _ => {}
        }
    }
    single
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}')
}

/// Whether a heading's title names a section that frames the plan rather than sets a task
/// (`总体要求`, `工作目标`, `发展现状`): its dates state aims or the past, not deadlines. The
/// title is normalised, as the words are.
pub fn frames(title: &str, rules: &DeadlineRules) -> bool {
    title.chars().count() <= 16 && rules.framing.iter().any(|w| title.contains(w.as_str()))
}

/// The longest word of `words` at the start of `s`.
fn word_at<'w>(s: &str, words: &'w [String]) -> Option<&'w str> {
    words
        .iter()
        .find(|w| s.starts_with(w.as_str()))
        .map(String::as_str)
}

/// A deadline from a date expression at `at` (normalised offset) in `text`.
fn from_date(at: usize, d: &date::DateExpr, ctx: &Context) -> FoundDeadline {
    let year = d.year.or(if d.month.is_some() {
        ctx.doc_year
    } else {
        None
    });
    FoundDeadline {
        span: at..at + d.len,
        kind: d.kind,
        year,
        month: d.month,
        day: d.day,
        from_year: d.from_year,
    }
}

/// What a value or a segment holds when it is only a date or a state: `s` starts at `at`, and
/// `whole` asks that nothing but `完成` follow it.
fn date_or_state(
    text: &Text,
    span: &ByteSpan,
    rules: &DeadlineRules,
    ctx: &Context,
    whole: bool,
) -> Option<FoundDeadline> {
    let s = text.normalised(span);
    // Most segments start with a name or a label.
    if !s.chars().next().is_some_and(|c| rules.opens(c)) {
        return None;
    }
    let rest_ok = |rest: &str| {
        let rest = rest.trim();
        !whole || rest.is_empty() || rest == "完成" || rest == "内完成"
    };
    if let Some(w) = word_at(s, &rules.ongoing) {
        return rest_ok(&s[w.len()..]).then(|| FoundDeadline {
            span: span.start..span.start + w.len(),
            kind: DeadlineKind::Ongoing,
            year: None,
            month: None,
            day: None,
            from_year: None,
        });
    }
    if let Some(found) = this_year(s, span.start, rules, ctx) {
        return rest_ok(&s[found.span.end - span.start..]).then_some(found);
    }
    let d = date::read(s, rules)?;
    rest_ok(&s[d.len..]).then(|| from_date(span.start, &d, ctx))
}

/// `年内`, `年底前` at the start of `s` (at offset `at`): the document's year.
fn this_year(s: &str, at: usize, rules: &DeadlineRules, ctx: &Context) -> Option<FoundDeadline> {
    let w = word_at(s, &rules.this_year)?;
    let end_of_year = w.starts_with("年底") || w.starts_with("年末");
    Some(FoundDeadline {
        span: at..at + w.len(),
        kind: DeadlineKind::By,
        year: ctx.doc_year,
        month: end_of_year.then_some(12),
        day: None,
        from_year: None,
    })
}

/// The value of the first deadline label in `own` (`完成时限：2024年12月`).
fn labelled(
    text: &Text,
    own: &ByteSpan,
    rules: &DeadlineRules,
    ctx: &Context,
) -> Option<FoundDeadline> {
    let s = text.normalised(own);
    // A label followed by a colon: most texts have none to look for.
    // (label start, label end, length of what stands between it and its value, whether 至)
    let colon_hit = if s.contains(':') {
        rules.labels.find_iter(s).into_iter().find_map(|m| {
            let after = &s[m.end()..];
            let colon = after.len() - after.trim_start_matches([' ', '\t', ':']).len();
            after[..colon]
                .contains(':')
                .then_some((m.start(), m.end(), colon, false))
        })
    } else {
        None
    };
    // A label before 至 that opens its clause (`…，执行期限至2025年年底`).
    let to_hit = rules.labels_at_end.as_ref().and_then(|ends| {
        // memmem, not a char search: the last byte of `至` is in most CJK characters.
        memchr::memmem::find_iter(s.as_bytes(), "至".as_bytes()).find_map(|at| {
            let to = "至";
            let m = ends.find(&s[..at])?;
            let opens = s[..m.start()]
                .trim_end()
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, ',' | ';' | '。' | '(' | '\n'));
            let rest = &s[at + to.len()..];
            let gap = at + to.len() - m.end() + (rest.len() - rest.trim_start().len());
            opens.then_some((m.start(), m.end(), gap, true))
        })
    });
    let (_, label_end, colon, to) = match (colon_hit, to_hit) {
        (Some(c), Some(t)) => {
            if t.0 < c.0 {
                t
            } else {
                c
            }
        }
        (c, t) => c.or(t)?,
    };
    let start = own.start + label_end + colon;
    let value_len = s[start - own.start..]
        .find([';', ',', '。', ')', ']', '\n'])
        .unwrap_or(s.len() - (start - own.start));
    let value = trim_span(text.norm(), start..start + value_len);
    if value.is_empty() {
        return None;
    }
    let read = date_or_state(text, &value, rules, ctx, false);
    // After 至 only a date: `有效期至领取后30日` is no deadline.
    if to {
        return read.filter(|d| d.year.is_some() || d.month.is_some());
    }
    read.or(Some(FoundDeadline {
        span: value,
        kind: DeadlineKind::By,
        year: None,
        month: None,
        day: None,
        from_year: None,
    }))
}

/// Whether a text ends inside a book title (`《` not yet closed).
fn in_book_title(before: &str) -> bool {
    match (before.rfind('《'), before.rfind('》')) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

/// The first bracket that is only a date or a state in the task's title line (`（4月底前）`),
/// or segment after the first of a bracket anywhere (`（牵头单位：…；2024年底前）`). A bracket
/// that is only a date below the title is a reference (`基准值（2020年）`), not a deadline.
fn bracketed(
    text: &Text,
    own: &ByteSpan,
    rules: &DeadlineRules,
    ctx: &Context,
) -> Option<FoundDeadline> {
    let norm = text.norm();
    let s = &norm[own.clone()];
    let title_end = own.start + s.find('\n').unwrap_or(s.len());
    let (groups, _) = bracket_groups(s, own.start);
    let books = s.contains('《');
    groups.iter().find_map(|g| {
        // `《…纲要（2021-2035年）》`: the period of a named document, no deadline.
        if books && in_book_title(&s[..g.start - own.start]) {
            return None;
        }
        let inner = trim_span(norm, g.start + 1..g.end - 1);
        let skip = usize::from(g.start >= title_end);
        split_top_level(text, &inner, &[';', ',', '。'])
            .iter()
            .skip(skip)
            .find_map(|seg| date_or_state(text, seg, rules, ctx, true))
    })
}

/// The latest date that opens a sentence or clause of `own` and says by when: a task done in
/// steps (`2023年9月底前，…。2023年11月底前，…`) is due when its last step is. A year alone
/// opens a clause as a deadline (`2023年，…`, `2028年逐步扩大至…`) unless a word of
/// `not_after` follows it (`2020年以来`). `年内` and the like come first; `每年` only where no
/// date does.
fn opening(
    text: &Text,
    own: &ByteSpan,
    rules: &DeadlineRules,
    ctx: &Context,
) -> Option<FoundDeadline> {
    let s = text.normalised(own);
    let bytes = s.as_bytes();
    // Where sentences and clauses start: after `。` (e3 80 82) and after the ASCII marks the
    // text is normalised to, found a byte at a time.
    let starts = std::iter::once(0).chain((0..bytes.len()).filter_map(|i| match bytes[i] {
        b'!' | b'?' | b';' | b',' | b':' | b'\n' => Some(i + 1),
        0x82 if i >= 2 && bytes[i - 2] == 0xe3 && bytes[i - 1] == 0x80 => Some(i + 1),
        _ => None,
    }));
    // Inside a clause only `于…前` and the like say by when (`应于2023年一季度前批复`).
    // Most such words (`在`) stand before no year: a year starts with a numeral.
    let inline = rules.inline_prefixes.iter().flat_map(|w| {
        memchr::memmem::find_iter(bytes, w.as_bytes())
            .filter(move |&i| {
                let upto = &s[..i + w.len()];
                !rules.inline_not.iter().any(|n| upto.ends_with(n.as_str()))
            })
            .filter(move |&i| {
                s[i + w.len()..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit() || matches!(c, '一' | '二' | '〇'))
            })
    });
    let mut yearly = None;
    let mut latest: Option<FoundDeadline> = None;
    let key = |f: &FoundDeadline| (f.year, f.month.unwrap_or(12), f.day.unwrap_or(31));
    for (i, opens_clause) in starts.map(|i| (i, true)).chain(inline.map(|i| (i, false))) {
        let at = i + (s[i..].len() - s[i..].trim_start().len());
        let rest = &s[at..];
        if !opens_clause {
            let found = date::read(rest, rules)
                .filter(|d| d.before && d.year.is_some())
                .filter(|d| !matches!((d.year, ctx.date_year), (Some(y), Some(now)) if y < now))
                .map(|d| from_date(own.start + at, &d, ctx));
            if let Some(found) = found {
                if latest.as_ref().is_none_or(|l| key(&found) > key(l)) {
                    latest = Some(found);
                }
            }
            continue;
        }
        // A date, a word before one or a word for the year starts with one of these: most
        // clauses start otherwise.
        if !rest.chars().next().is_some_and(|c| rules.opens(c)) {
            continue;
        }
        if let Some(found) = this_year(rest, own.start + at, rules, ctx) {
            return Some(found);
        }
        if yearly.is_none() {
            if let Some(w) = word_at(rest, &rules.yearly) {
                yearly = Some(FoundDeadline {
                    span: own.start + at..own.start + at + w.len(),
                    kind: DeadlineKind::Yearly,
                    year: None,
                    month: None,
                    day: None,
                    from_year: None,
                });
            }
        }
        let Some(d) = date::read(rest, rules) else {
            continue;
        };
        // A year alone is a deadline before a comma or a word (`2023年，…`, `2028年逐步…`),
        // not at the end of a line (a table's cell).
        let next = rest[d.len..].chars().next();
        let year_alone_ok = next.is_some_and(|c| c == ',' || is_han(c));
        let past = matches!((d.year, ctx.date_year), (Some(y), Some(now)) if y < now);
        if (d.year.is_none() && d.month.is_none()) || (d.year_only && !year_alone_ok) || past {
            continue;
        }
        let found = from_date(own.start + at, &d, ctx);
        if latest.as_ref().is_none_or(|l| key(&found) > key(l)) {
            latest = Some(found);
        }
    }
    latest.or(yearly)
}

/// A table's 完成时限 cell read: the cell as a date or a state (`2024年12月底前`, `长期坚持`,
/// `2023—2025年`, `2025年6月底前完成`); else the latest date that opens one of its clauses
/// (`2024年启动，2025年底前完成`), or `每年`; else a date or state at its start followed by
/// more words. `None` when the cell says none of these (`根据上级部署`).
pub fn read_cell(
    text: &Text,
    cell: &ByteSpan,
    rules: &DeadlineRules,
    ctx: &Context,
) -> Option<FoundDeadline> {
    date_or_state(text, cell, rules, ctx, true)
        .or_else(|| opening(text, cell, rules, ctx))
        .or_else(|| date_or_state(text, cell, rules, ctx, false))
}

/// Whether a table cell begins with a date or a state, as a 完成时限 cell does.
pub fn starts_with_date(
    text: &Text,
    cell: &ByteSpan,
    rules: &DeadlineRules,
    ctx: &Context,
) -> bool {
    date_or_state(text, cell, rules, ctx, false).is_some() || {
        let s = text.normalised(cell);
        word_at(s, &rules.yearly).is_some()
    }
}

/// The deadline that the task whose own text is `own` states, if any. A date opening a
/// sentence is read unless the task is in a section that frames the plan (`framed`, see
/// [`frames`]): there it states an aim (`到2028年底，…` under 总体要求), not a deadline.
pub fn read_task(
    text: &Text,
    own: &ByteSpan,
    framed: bool,
    rules: &DeadlineRules,
    ctx: &Context,
) -> Option<FoundDeadline> {
    labelled(text, own, rules, ctx)
        .or_else(|| bracketed(text, own, rules, ctx))
        .or_else(|| (!framed).then(|| opening(text, own, rules, ctx)).flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> std::sync::Arc<crate::rules::Rules> {
        crate::rules::Rules::embedded().unwrap()
    }

    #[test]
    fn titles_give_the_documents_period() {
        let r = rules();
        let h = |t: &str| horizon(t, &r.deadlines).map(|h| (h.text, h.from_year, h.year));
        assert_eq!(
            h("鄄城县深化新旧动能转换推动绿色低碳高质量发展三年行动计划(2023—2025年)"),
            Some(("2023—2025年".to_string(), 2023, 2025))
        );
        assert_eq!(
            h("2024-2026年海南省农机购置与应用补贴实施方案"),
            Some(("2024-2026年".to_string(), 2024, 2026))
        );
        assert_eq!(
            h("2025年松江区城市更新工作要点"),
            Some(("2025年".to_string(), 2025, 2025))
        );
        assert_eq!(h("关于全面加强建筑垃圾管理的实施意见"), None);
        // A year in a title that is no plan's year.
        assert_eq!(h("关于贯彻落实2024年政府工作报告的意见"), None);
    }

    #[test]
    fn every_example_holds() {
        let full = crate::rules::Rules::load(&crate::rules::LoadOptions {
            dir: None,
            examples: true,
        })
        .unwrap();
        let checked = rules::check_examples(&full.deadlines);
        assert!(checked.count >= 15, "{}", checked.count);
        let msg: Vec<String> = checked.failures.iter().map(ToString::to_string).collect();
        assert!(msg.is_empty(), "{}", msg.join("\n"));
    }
}
