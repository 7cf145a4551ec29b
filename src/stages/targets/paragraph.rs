//! A paragraph: its sentences, clauses and quoted names, the cue words of each clause, and the
//! loop over its numbers that keeps each as a target or passes it over.
//!
//! Input: a paragraph of a task's own text (normalised) and the rules. Output: the paragraph's
//! targets and skipped numbers, appended to a [`TaskTargets`].

use super::*;

use serde::Deserialize;

use crate::base::sentence::{self, Break};

/// What a cue word says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum CueKind {
    Level,
    Increase,
    Decrease,
    New,
    Commit,
    /// Words of the present or the past (`现有`, `目前`, `以来`): a clause that opens with one
    /// states what is or was, unless a verb of change follows it.
    Present,
    /// Other verbs (`赴`, `参加`): no cue, but where the indicator after a number ends.
    Verb,
    Mask,
}

impl CueKind {
    pub(super) fn target_kind(self) -> Option<TargetKind> {
        match self {
            CueKind::Level => Some(TargetKind::Level),
            CueKind::Increase => Some(TargetKind::Increase),
            CueKind::Decrease => Some(TargetKind::Decrease),
            CueKind::New => Some(TargetKind::New),
            CueKind::Commit | CueKind::Present | CueKind::Verb | CueKind::Mask => None,
        }
    }

    /// Whether the word commits the number it governs.
    pub(super) fn commits(self) -> bool {
        !matches!(self, CueKind::Present | CueKind::Verb | CueKind::Mask)
    }
}

/// When a cue word counts as one (`not_before`, `adjacent`, `units` of a cue rule).
#[derive(Debug, Clone, Default)]
pub(super) struct CueCond {
    /// Words that may not follow it (`提升项目` is a noun).
    pub(super) not_before: Vec<String>,
    /// It governs only the number right after it (`达1000亿元`, not `直达航线5条`).
    pub(super) adjacent: bool,
    /// Unit kinds or families of the numbers it governs (`占` a share).
    pub(super) units: UnitFilter,
}

// ------------------------------------------------------------------------------------------
// A paragraph.

pub(super) struct Para<'a> {
    pub(super) rules: &'a TargetRules,
    pub(super) text: &'a Text,
    pub(super) s: &'a str,
    pub(super) base: usize,
    pub(super) sentences: Vec<Range<usize>>,
    /// Clause range and its sentence.
    pub(super) clauses: Vec<(Range<usize>, usize)>,
    pub(super) names: Vec<Range<usize>>,
    /// Deadlines, yearly markers and comparison years, read when first needed.
    pub(super) marks: std::cell::OnceCell<Marks>,
    /// The cues of each clause, found when first needed.
    cue_cache: std::cell::OnceCell<Vec<std::cell::OnceCell<Cues>>>,
    pub(super) mentions: Vec<Mention>,
    /// A deadline carried from the paragraph that a bulleted paragraph (`——…`) continues.
    pub(super) carried: Option<Due>,
    /// The task lies in a section that describes the present (`一、发展现状`).
    pub(super) past: bool,
    /// The document's own year, when known: deadlines before it are past.
    pub(super) doc_year: Option<i32>,
}

/// Cue words found in a clause, with their kinds.
type Cues = Vec<(Range<usize>, CueKind, usize)>;

impl<'a> Para<'a> {
    pub(super) fn new(rules: &'a TargetRules, text: &'a Text, s: &'a str, base: usize) -> Self {
        Self::read(rules, text, s, base, true)
    }

    /// Reads a paragraph; without numbers and unless `markers` is asked for, only its numbers.
    pub(super) fn read(
        rules: &'a TargetRules,
        text: &'a Text,
        s: &'a str,
        base: usize,
        markers: bool,
    ) -> Self {
        let mut p = Para {
            rules,
            text,
            s,
            base,
            sentences: Vec::new(),
            clauses: Vec::new(),
            names: Vec::new(),
            marks: std::cell::OnceCell::new(),
            cue_cache: std::cell::OnceCell::new(),
            mentions: Vec::new(),
            carried: None,
            past: false,
            doc_year: None,
        };
        p.scan();
        if p.mentions.is_empty() && !markers {
            return p;
        }
        p.split();
        p
    }

    pub(super) fn normalised(&self, r: Range<usize>) -> &str {
        self.s.get(r).unwrap_or("")
    }

    /// The original text of a local range.
    pub(super) fn as_written(&self, r: Range<usize>) -> &str {
        self.text
            .as_written(&(self.base + r.start..self.base + r.end))
    }

    pub(super) fn unit_text<'b>(&'b self, m: &'b Mention) -> &'b str {
        if m.unit_start == m.start {
            // 百分之…: the unit is the symbol.
            return m.form.as_ref().map_or("", |f| &*f.text);
        }
        self.as_written(m.unit_start..m.end)
    }

    /// Sentences, clauses and names, in one pass over the punctuation.
    pub(super) fn split(&mut self) {
        let s = self.s;
        let names = self.rules.enabled(Builtin::QuotedName);
        let mut start = 0;
        let mut clause_start = 0;
        let mut stack: Vec<(char, usize)> = Vec::new();
        for (i, c) in sentence::marks(s) {
            let end = i + c.len_utf8();
            let open = match (sentence::break_of(c), c) {
                (Some(Break::Sentence), _) => {
                    let end = sentence::past_closers(s, end);
                    self.clauses.push((clause_start..end, self.sentences.len()));
                    self.sentences.push(start..end);
                    start = end;
                    clause_start = end;
                    continue;
                }
                (Some(Break::Clause), _) if !(c == ',' && sentence::groups_thousands(s, i)) => {
                    self.clauses.push((clause_start..end, self.sentences.len()));
                    clause_start = end;
                    continue;
                }
                (_, '“' | '《' | '「' | '『') if names => {
                    stack.push((c, end));
                    continue;
                }
                (_, '”') if names => '“',
                (_, '》') if names => '《',
                (_, '」') if names => '「',
                (_, '』') if names => '『',
                _ => continue,
            };
            if let Some(k) = stack.iter().rposition(|(o, _)| *o == open) {
                let (_, from) = stack[k];
                stack.truncate(k);
                // A title is a name; a quotation is one when it is short and no prose.
                let name = open == '《'
                    || (i - from <= 240
                        && !self
                            .normalised(from..i)
                            .contains([',', ';', ':', '。', '!', '?']));
                if name {
                    self.names.push(from..i);
                }
            }
        }
        if start < s.len() {
            if clause_start < s.len() {
                self.clauses
                    .push((clause_start..s.len(), self.sentences.len()));
            }
            self.sentences.push(start..s.len());
        }
        // Disjoint and sorted, for `in_name`.
        self.names.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(self.names.len());
        for r in self.names.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        self.names = merged;
    }

    pub(super) fn sentence_of(&self, pos: usize) -> usize {
        self.sentences
            .partition_point(|r| r.end <= pos)
            .min(self.sentences.len().saturating_sub(1))
    }

    pub(super) fn scan(&mut self) {
        let s = self.s;
        let mut skip_to = 0;
        for i in number_starts(s) {
            if i >= skip_to {
                if let Some(m) = self.rules.read_mention(s, i) {
                    skip_to = m.end.max(i + utf8_len(s.as_bytes()[i]));
                    self.mentions.push(m);
                }
            }
        }
    }

    pub(super) fn clause_of(&self, pos: usize) -> usize {
        self.clauses
            .partition_point(|(r, _)| r.end <= pos)
            .min(self.clauses.len().saturating_sub(1))
    }

    /// Whether `pos` lies inside a name (a title or a short quotation).
    pub(super) fn in_name(&self, pos: usize) -> bool {
        let i = self.names.partition_point(|q| q.start <= pos);
        i > 0 && pos < self.names[i - 1].end
    }

    /// The cues (not masks) in a range, with their kinds: those of the clause cache when the
    /// range lies in one clause (each clause is searched once), else searched afresh.
    pub(super) fn cues(&self, r: Range<usize>) -> Vec<(Range<usize>, CueKind, usize)> {
        let clause = self.clause_of(r.start);
        if self
            .clauses
            .get(clause)
            .is_some_and(|(c, _)| r.end <= c.end)
        {
            let all = self.clause_cues(clause);
            let from = all.partition_point(|(c, _, _)| c.start < r.start);
            return all[from..]
                .iter()
                .take_while(|(c, _, _)| c.end <= r.end)
                .cloned()
                .collect();
        }
        self.find_cues(r)
    }

    pub(super) fn clause_cues(&self, clause: usize) -> &[(Range<usize>, CueKind, usize)] {
        let cache = self.cue_cache.get_or_init(|| {
            (0..self.clauses.len())
                .map(|_| std::cell::OnceCell::new())
                .collect()
        });
        match cache.get(clause) {
            Some(cell) => cell.get_or_init(|| self.find_cues(self.clauses[clause].0.clone())),
            None => &[],
        }
    }

    fn find_cues(&self, r: Range<usize>) -> Vec<(Range<usize>, CueKind, usize)> {
        let Some(re) = &self.rules.cue_words else {
            return Vec::new();
        };
        let t = self.normalised(r.clone());
        re.find_iter(t)
            .into_iter()
            .filter_map(|m| {
                let (kind, cond) = self.rules.cue_kinds.get(m.word())?;
                let end = r.start + m.end();
                // `提升项目`: a cue followed by a noun it forms is none.
                let noun = cond.as_ref().is_some_and(|c| {
                    let rest = self.s.get(end..).unwrap_or("");
                    c.not_before.iter().any(|w| rest.starts_with(w.as_str()))
                });
                // A word inside a name (`“千人计划”`) is no verb of the sentence.
                let keep = *kind != CueKind::Mask && !noun && !self.in_name(r.start + m.start());
                keep.then_some((r.start + m.start()..end, *kind, m.word()))
            })
            .collect()
    }

    /// Whether cue word `word` at `c` may govern mention `m` whose text (bound words aside)
    /// starts at `num_start`: the conditions of its rule hold.
    pub(super) fn governs(
        &self,
        c: &Range<usize>,
        word: usize,
        m: &Mention,
        num_start: usize,
    ) -> bool {
        let Some(cond) = self.rules.cue_kinds.get(word).and_then(|w| w.1.as_ref()) else {
            return true;
        };
        if cond.adjacent
            && !(c.end <= num_start && self.normalised(c.end..num_start).trim().is_empty())
        {
            return false;
        }
        cond.units.admits(self.rules, m)
    }

    /// Reads the paragraph's numbers into `out`: each is left out, passed over with its
    /// reason, or kept as a target.
    pub(super) fn extract(&self, exclude: &[ByteSpan], out: &mut TaskTargets) {
        let verdicts = self.verdicts(exclude);
        // The kind of the last target read in each clause.
        let mut clause_kind: Vec<Option<TargetKind>> = vec![None; self.clauses.len()];
        for (mention_idx, (m, verdict)) in self.mentions.iter().zip(verdicts).enumerate() {
            match verdict {
                Verdict::Excluded => continue,
                Verdict::Skip(reason) => {
                    out.skipped.push(Skipped {
                        span: self.base + m.start..self.base + m.end,
                        reason,
                    });
                    continue;
                }
                Verdict::Open => {}
            }
            match self.target(mention_idx, &clause_kind) {
                Ok(mut t) => {
                    if let Some(kind) = clause_kind.get_mut(self.clause_of(m.start)) {
                        *kind = Some(t.kind);
                    }
                    // `确保达到120MW,力争达到180MW`: the same indicator as before.
                    if t.indicator.is_empty() {
                        if let Some(prev) = out.targets.last().filter(|p| p.clause == t.clause) {
                            t.indicator = prev.indicator.clone();
                        }
                    }
                    out.targets.push(t);
                }
                Err(reason) => out.skipped.push(Skipped {
                    span: self.base + m.start..self.base + m.end,
                    reason,
                }),
            }
        }
    }
}

pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// The last `n` characters of `s`.
pub(super) fn tail_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    s.get(start..).unwrap_or(s)
}

/// The first `n` characters of `s`.
pub(super) fn head_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    s.get(..end).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::targets::tests::rules;

    #[test]
    fn text_helpers() {
        assert_eq!(tail_chars("一二三四", 2), "三四");
        assert_eq!(head_chars("一二三四", 3), "一二三");
        assert_eq!(tail_chars("一", 5), "一");
    }

    #[test]
    fn cue_conditions() {
        let r = rules();
        let kinds = |s: &str| -> Vec<TargetKind> {
            let t = Text::new(s.to_string());
            extract_task(&t, &(0..t.norm().len()), &[], r.targets())
                .targets
                .iter()
                .map(|x| x.kind)
                .collect()
        };
        // 达 adjacent (a bound word between is fine), 占 for shares, 提升 not before 项目.
        assert_eq!(kinds("到2025年,产值达近30亿元。"), [TargetKind::Level]);
        assert_eq!(kinds("到2025年,建成直达航线5条。"), [TargetKind::New]);
        assert_eq!(kinds("到2025年,占比达到40%。"), [TargetKind::Level]);
        assert_eq!(kinds("完成环境提升项目12项。"), [TargetKind::New]);
        assert!(kinds("项目占地约120亩。").is_empty());
    }
}
