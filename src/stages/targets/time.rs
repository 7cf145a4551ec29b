//! When a target is due and against what: deadlines (`到2025年`), yearly markers (`每年`),
//! comparison years (`比2020年`), and the sections that describe the past or present.
//!
//! Input: a paragraph (deadlines, yearly markers and baselines are read once per paragraph)
//! and the document (its section headings). Output: the deadline year in force at a place, the
//! comparison year, and whether a task lies in a section about the present.

use super::*;

use regex::Regex;

use crate::base::pattern::Pattern;
use crate::base::word_set::Matcher;

/// A deadline pattern: its year (or group `year`) and what the text before it must end with.
#[derive(Debug, Clone)]
pub(super) struct Deadline {
    pub(super) re: Regex,
    pub(super) year: Option<i32>,
    /// The indices of groups `year` and `next`.
    pub(super) year_group: Option<usize>,
    pub(super) next_group: Option<usize>,
    /// `(?:preceded_by)$`, matched on the text before the match: back over its spaces and
    /// [`PRECEDED_BY_BYTES`] more, not before the end of the previous match.
    pub(super) preceded_by: Option<Regex>,
}

/// A deadline found in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DeadlineMatch {
    /// Where its written form starts, the `preceded_by` context included.
    pub(super) start: usize,
    /// The match of the pattern.
    pub(super) all: Range<usize>,
    /// Group `year`.
    pub(super) year: Option<Range<usize>>,
    /// Where group `next` (context after the deadline) starts.
    pub(super) next: Option<usize>,
}

/// How far back `preceded_by` looks, in bytes, beyond the spaces before the match.
const PRECEDED_BY_BYTES: usize = 48;

impl Deadline {
    /// The matches of the deadline in `s`.
    fn find_in(&self, s: &str) -> Vec<DeadlineMatch> {
        let mut out = Vec::new();
        // Made at the first match: most paragraphs have none.
        let mut locs = None;
        let mut pos = 0;
        // Where the last match ended: as with one regex, no context is read twice.
        let mut last_end = 0;
        while pos <= s.len() {
            let Some(found) = self.re.find_at(s, pos) else {
                break;
            };
            let at = found.start();
            let next = at + s[at..].chars().next().map_or(1, char::len_utf8);
            let start = match &self.preceded_by {
                None => Some(at),
                Some(before) => {
                    // Back over the spaces before the match, then a bounded window more.
                    let spaced = s[..at].trim_end_matches([' ', '\t']).len();
                    let mut from = spaced.saturating_sub(PRECEDED_BY_BYTES).max(last_end);
                    while !s.is_char_boundary(from) {
                        from += 1;
                    }
                    before.find_at(&s[..at], from.min(at)).map(|m| m.start())
                }
            };
            let Some(start) = start else {
                // Not a deadline here; one may still start inside this match.
                pos = next;
                continue;
            };
            let locs = locs.get_or_insert_with(|| self.re.capture_locations());
            if let Some(all) = self.re.captures_read_at(locs, s, at) {
                let group = |g: Option<usize>| g.and_then(|g| locs.get(g)).map(|(a, b)| a..b);
                out.push(DeadlineMatch {
                    start,
                    all: all.range(),
                    year: group(self.year_group),
                    next: group(self.next_group).map(|r| r.start),
                });
            }
            last_end = found.end();
            pos = if found.end() > at { found.end() } else { next };
        }
        out
    }
}

/// A deadline's year, and its month where the text gives one (`2024年6月底前`; `2025年底` is
/// December).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Due {
    pub(super) year: i32,
    pub(super) month: Option<u32>,
}

/// The month written right after the year that ends at `end` of `s` (`年6月`, `年底`).
fn month_after(s: &str, end: usize) -> Option<u32> {
    let rest = s.get(end..)?.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('年')?.trim_start_matches([' ', '\t']);
    if rest.starts_with('底') || rest.starts_with('末') {
        return Some(12);
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let month: u32 = rest.get(..digits).filter(|d| d.len() <= 2)?.parse().ok()?;
    let after = rest[digits..].trim_start_matches([' ', '\t']);
    ((1..=12).contains(&month) && after.starts_with('月')).then_some(month)
}

/// The time markers of a paragraph.
#[derive(Debug, Default)]
pub(super) struct Marks {
    /// Deadline start, due date, sentence.
    pub(super) deadlines: Vec<(usize, Due, usize)>,
    /// Yearly marker start and whether the deadline still holds.
    pub(super) yearly: Vec<(usize, bool)>,
    /// Baseline start and year.
    pub(super) baselines: Vec<(usize, i32)>,
    /// Where deadlines and comparison years are written.
    pub(super) spans: Vec<Range<usize>>,
}

impl Para<'_> {
    pub(super) fn marks(&self) -> &Marks {
        self.marks.get_or_init(|| self.read_marks())
    }

    fn read_marks(&self) -> Marks {
        let s = self.s;
        let mut marks = Marks::default();
        let mut deadlines = Vec::new();
        for d in &self.rules.deadlines {
            for m in d.find_in(s) {
                let year = d
                    .year
                    .or_else(|| m.year.as_ref().and_then(|y| s[y.clone()].parse().ok()));
                // Where the deadline is: its year, not the punctuation before it.
                let at = m.year.as_ref().map_or(m.all.start, |y| y.start);
                if let Some(y) = year {
                    let month = m.year.as_ref().and_then(|r| month_after(s, r.end));
                    deadlines.push((at, Due { year: y, month }, self.sentence_of(at)));
                    // A group `next` is context after the marker, not part of it.
                    marks.spans.push(m.start..m.next.unwrap_or(m.all.end));
                }
            }
        }
        deadlines.sort_unstable();
        marks.deadlines = deadlines;
        marks.spans.sort_by_key(|r| r.start);
        for (m, keeps) in &self.rules.yearly {
            for at in m.starts(s) {
                marks.yearly.push((at, *keeps));
            }
        }
        for (re, year) in &self.rules.baselines {
            let mut locs = None;
            for found in re.find_iter(s) {
                let locs = locs.get_or_insert_with(|| re.capture_locations());
                let Some(all) = re.captures_read_at(locs, s, found.start()) else {
                    continue;
                };
                if let Some((a, b)) = locs.get(*year) {
                    if let Ok(y) = s[a..b].parse() {
                        marks.baselines.push((all.start(), y));
                        marks.spans.push(all.range());
                    }
                }
            }
        }
        marks.yearly.sort_unstable();
        marks.baselines.sort_unstable();
        marks.spans.sort_by_key(|r| r.start);
        marks
    }

    /// The deadline in force at `pos`.
    pub(super) fn due_at(&self, pos: usize, sentence: usize) -> Option<Due> {
        let para_wide = self.rules.enabled(Builtin::ParagraphDeadline);
        let d = &self.marks().deadlines;
        // Sorted by place, so sentences ascend: the last before `pos` in its sentence, else
        // the last of the first sentence.
        let before = &d[..d.partition_point(|(p, _, _)| *p < pos)];
        let in_sentence = before.last().filter(|(_, _, s)| *s == sentence);
        let opening = || {
            before
                .iter()
                .take_while(|(_, _, s)| *s == 0)
                .last()
                .filter(|_| para_wide)
        };
        in_sentence
            .or_else(opening)
            .map(|(_, due, _)| *due)
            .or(self.carried)
    }

    /// Whether a yearly marker (`每年`) stands in the clause before `pos` (the clause starts at
    /// `clause_start`), and if so whether the deadline still holds.
    pub(super) fn yearly_at(&self, pos: usize, clause_start: usize) -> Option<bool> {
        let yearly = &self.marks().yearly;
        yearly[..yearly.partition_point(|(p, _)| *p < pos)]
            .last()
            .filter(|(p, _)| clause_start <= *p)
            .map(|(_, keeps)| *keeps)
    }

    /// The comparison year (`比2020年`) of `pos`: the last one before it in its sentence.
    pub(super) fn baseline_at(&self, pos: usize, sentence: usize) -> Option<i32> {
        let sentence = &self.sentences[sentence];
        let baselines = &self.marks().baselines;
        baselines[..baselines.partition_point(|(p, _)| *p < pos)]
            .last()
            .filter(|(p, _)| sentence.start <= *p)
            .map(|(_, year)| *year)
    }

    /// The deadline in force at the end of the paragraph, for the bulleted paragraphs that
    /// continue it: the last one it states, or the one it carried.
    pub(super) fn closing_deadline(&self) -> Option<Due> {
        self.marks()
            .deadlines
            .last()
            .map(|(_, due, _)| *due)
            .or(self.carried)
    }
}

/// Sections that describe the present rather than set targets.
#[derive(Debug, Clone)]
pub(super) struct SectionRule {
    pub(super) heading: Pattern,
    pub(super) past: Matcher,
    pub(super) unless: Option<Matcher>,
    pub(super) reason: SkipReason,
}

/// How far back a task's section heading is looked for, in lines and bytes.
const SECTION_LOOKBACK_LINES: usize = 400;
const SECTION_LOOKBACK_BYTES: usize = 64 * 1024;

impl SectionRule {
    /// Whether the top-level section containing byte `at` describes the present: the nearest
    /// line at or before `at` that is a top-level heading has a title matching `past`. The
    /// search is bounded, so each task costs at most a constant.
    pub(super) fn past(&self, text: &Text, at: usize) -> bool {
        let norm = text.norm();
        let mut end = norm
            .get(at..)
            .and_then(|r| r.find('\n'))
            .map_or(norm.len(), |i| at + i);
        let floor = at.saturating_sub(SECTION_LOOKBACK_BYTES);
        for _ in 0..SECTION_LOOKBACK_LINES {
            let Some(head) = norm.get(..end) else {
                return false;
            };
            let start = head.rfind('\n').map_or(0, |i| i + 1);
            if start < floor {
                return false;
            }
            if let Some(past) = self.heading_past(norm.get(start..end).unwrap_or("")) {
                return past;
            }
            if start == 0 {
                return false;
            }
            end = start - 1;
        }
        false
    }

    /// For a line that is a top-level heading, whether its title describes the present.
    fn heading_past(&self, line: &str) -> Option<bool> {
        // `heading` is anchored at the line start: its first bytes are enough.
        let mut cut = line.len().min(48);
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        let m = self.heading.find(&line[..cut])?;
        let title = &line[m.end()..];
        Some(self.past.is_match(title) && !self.unless.as_ref().is_some_and(|u| u.is_match(title)))
    }
}

/// The top-level section headings of one document, read once so that each task's section is
/// a lookup rather than a walk back through the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Sections {
    /// Line index, start byte and whether the section describes the present.
    pub(super) headings: Vec<(usize, usize, bool)>,
}

impl Sections {
    /// Reads the section headings of `text`.
    pub(super) fn read(text: &Text, rules: &TargetRules) -> Self {
        let Some(rule) = &rules.section else {
            return Self::default();
        };
        let mut headings = Vec::new();
        let mut start = 0;
        for (i, line) in text.norm().split('\n').enumerate() {
            if let Some(past) = rule.heading_past(line) {
                headings.push((i, start, past));
            }
            start += line.len() + 1;
        }
        Self { headings }
    }

    /// [`SectionRule::past`] for the text these sections were read from.
    pub(super) fn past(&self, text: &Text, at: usize) -> bool {
        let line = text.line_of(at).saturating_sub(1);
        let k = self.headings.partition_point(|&(l, _, _)| l <= line);
        let Some(&(l, start, past)) = k.checked_sub(1).and_then(|k| self.headings.get(k)) else {
            return false;
        };
        past && line - l < SECTION_LOOKBACK_LINES
            && start >= at.saturating_sub(SECTION_LOOKBACK_BYTES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::targets::tests::rules;

    #[test]
    fn document_year_marks_past_deadlines() {
        let r = rules();
        let t = Text::new("“十三五”期间,建成绿道200公里。2026年,建成绿道300公里。".to_string());
        let own = 0..t.norm().len();
        let years = |year| -> Vec<Option<i32>> {
            extract_task_in(
                &t,
                &own,
                &[],
                r.targets(),
                &DocContext::new(&t, r.targets(), year),
            )
            .targets
            .iter()
            .map(|x| x.year)
            .collect()
        };
        assert_eq!(years(None), [Some(2020), Some(2026)]);
        assert_eq!(years(Some(2021)), [Some(2026)]);
        assert_eq!(years(Some(2027)), Vec::<Option<i32>>::new());
    }

    #[test]
    fn section_index_agrees_with_the_walk_back() {
        let r = rules();
        let rule = r.targets().section.as_ref().expect("a section rule");
        // Present-tense sections, one past the line bound and one past the byte bound.
        let made = format!(
            "一、发展现状\n{}二、主要目标\n到2025年,建成绿道200公里。\n第三章 工作成效\n{}\n尾\n四、回顾\n",
            "现有绿道100公里。\n".repeat(450),
            "甲".repeat(30_000)
        );
        let mut docs = vec![("made".to_string(), made)];
        docs.extend(crate::fixture_texts());
        let (mut checked, mut present) = (0, 0);
        for (name, doc) in docs {
            let text = Text::new(doc);
            let sections = Sections::read(&text, r.targets());
            let norm = text.norm();
            for (at, _) in norm.char_indices().step_by(7).chain([(norm.len(), ' ')]) {
                let walked = rule.past(&text, at);
                assert_eq!(sections.past(&text, at), walked, "{name} at byte {at}");
                checked += 1;
                present += usize::from(walked);
            }
        }
        assert!(checked > 10_000 && present > 100, "{checked} {present}");
    }

    #[test]
    fn preceded_by_reads_as_the_context_and_pattern_in_one_regex_did() {
        let r = rules();
        let split: Vec<&Deadline> = r
            .targets()
            .deadlines
            .iter()
            .filter(|d| d.preceded_by.is_some())
            .collect();
        assert!(split.len() >= 2);
        let mut texts: Vec<String> = [
            "2024年,2026年全面启动8个整体改造项目。",
            "(一)加快建设。2025年,2027年新建公园5个。",
            "2025年前,新建充电桩390个;2026年底前,再建100个。",
            "以2000年前建成的公房为重点。力争 2030年底前完成。",
        ]
        .map(String::from)
        .to_vec();
        texts.push(format!("。{}2026年底前完成改造1000户。", " ".repeat(50)));
        for (_, text) in crate::fixture_texts() {
            let text = crate::base::text::normalize_str(&text);
            texts.extend(text.lines().map(String::from));
        }
        let mut found = 0;
        for d in split {
            let before = d.preceded_by.as_ref().expect("split rule").as_str();
            let whole = Regex::new(&format!("{}{}", &before[..before.len() - 1], d.re.as_str()))
                .expect("the rule as one regex");
            for t in &texts {
                let got: Vec<(usize, usize)> =
                    d.find_in(t).iter().map(|m| (m.start, m.all.end)).collect();
                let want: Vec<(usize, usize)> =
                    whole.find_iter(t).map(|m| (m.start(), m.end())).collect();
                assert_eq!(got, want, "{t}");
                found += got.len();
            }
        }
        assert!(found >= 8, "{found}");
    }
}
