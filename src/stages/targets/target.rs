//! A number kept as a target: its kind (level, increase, decrease, new), bound, comparison
//! year and indicator (the measured thing, cleaned of deadlines and filler).
//!
//! Input: a paragraph and the index of a number that no skip rule passed over. Output: a
//! [`FoundTarget`], or the reason it is no target after all (it commits to nothing).

use super::*;

use crate::base::word_set::WordMatch;

/// The bound words right before and after a number in its clause (`不低于`, `以上`), and where
/// the text before and after it ends without them.
struct BoundWords<'t> {
    before: Option<WordMatch<'t>>,
    after: Option<WordMatch<'t>>,
    /// Where the text before the number ends: at its bound word, if any.
    before_end: usize,
    /// Where the text after the number starts: after its bound word, if any.
    after_end: usize,
}

/// What the cue words of its clause say about a number.
struct CueReading {
    /// The clause opens with a word of the present (`现有`) and no verb of change follows.
    present: bool,
    /// A cue before the number commits it.
    commits: bool,
    /// The last cue before it that gives a kind, and where it is.
    kind_before: Option<(Range<usize>, TargetKind)>,
    /// A cue of level or building after it (`40%以上面积达到`).
    after: Option<CueKind>,
    /// The kind of the last target of the clause before, in the same sentence.
    inherited: Option<TargetKind>,
}

impl Para<'_> {
    /// Number `mention_idx` as a target, or the reason it commits to nothing; `clause_kind` holds
    /// the kind of the last target read in each clause.
    pub(super) fn target(
        &self,
        mention_idx: usize,
        clause_kind: &[Option<TargetKind>],
    ) -> Result<FoundTarget, SkipReason> {
        let rules = self.rules;
        let m = &self.mentions[mention_idx];
        let clause_index = self.clause_of(m.start);
        let (clause, sentence) = self.clauses[clause_index].clone();
        let bounds = self.bound_words_around(m, &clause);
        let cues = self.read_cues(mention_idx, clause_index, &bounds, clause_kind);
        let yearly = self.yearly_at(m.start, clause.start);
        let due = match yearly {
            Some(false) => None,
            _ => self.due_at(m.start, sentence),
        };
        let year = due.map(|d| d.year);
        if let Some(reason) = self.why_uncommitted(&cues, yearly.is_some(), year) {
            return Err(reason);
        }
        let kind = target_kind(&cues, rules.kind(m));
        let word_bound = |w: &WordMatch| rules.bound_words.get(w.as_str().trim()).copied();
        let bound = bounds
            .after
            .as_ref()
            .and_then(word_bound)
            .or_else(|| bounds.before.as_ref().and_then(word_bound))
            .or(m.infix)
            .or_else(|| self.list_bound(mention_idx))
            .unwrap_or(Bound::Exact);
        let baseline_year = if matches!(kind, TargetKind::Increase | TargetKind::Decrease) {
            self.baseline_at(m.start, sentence)
        } else {
            None
        };
        let clause_span = trim_clause(self.s, self.sentences[sentence].clone());
        let indicator = self.indicator(
            mention_idx,
            &clause,
            bounds.before_end,
            bounds.after_end,
            cues.kind_before,
        );
        Ok(FoundTarget {
            clause: self.base + clause_span.start..self.base + clause_span.end,
            indicator,
            value: m.value,
            value_max: m.value_max,
            unit: self.unit_text(m).to_string(),
            si: rules.si(m),
            year,
            month: due.and_then(|d| d.month),
            baseline_year,
            kind,
            bound,
            span: self.base + m.start..self.base + m.end,
        })
    }

    fn bound_words_around(&self, m: &Mention, clause: &Range<usize>) -> BoundWords<'_> {
        let rules = self.rules;
        let before_all = self.normalised(clause.start..m.start);
        let before = rules
            .bound_before
            .as_ref()
            .and_then(|words| words.find(before_all));
        let after_all = self.normalised(m.end..clause.end);
        let after = rules
            .bound_after
            .as_ref()
            .and_then(|words| words.find(after_all));
        BoundWords {
            before_end: clause.start + before.as_ref().map_or(before_all.len(), |b| b.start()),
            after_end: m.end + after.as_ref().map_or(0, |b| b.end()),
            before,
            after,
        }
    }

    fn read_cues(
        &self,
        mention_idx: usize,
        clause_index: usize,
        bounds: &BoundWords,
        clause_kind: &[Option<TargetKind>],
    ) -> CueReading {
        let m = &self.mentions[mention_idx];
        let (clause, sentence) = &self.clauses[clause_index];
        let all_cues = self.clause_cues(clause_index);
        // The cues before the number that may govern it.
        let before = all_cues[..all_cues.partition_point(|(c, _, _)| c.end <= bounds.before_end)]
            .iter()
            .filter(|(c, _, word)| self.governs(c, *word, m, bounds.before_end));
        // A clause that opens with a word of the present (`现有绿道100公里`) states what is,
        // unless a verb of change follows it (`将目前的30%提高到50%`).
        let present = before
            .clone()
            .find(|(_, kind, _)| *kind != CueKind::Verb)
            .filter(|(_, kind, _)| *kind == CueKind::Present)
            .is_some_and(|(at, _, _)| {
                !before.clone().any(|(c, kind, _)| {
                    c.start > at.start
                        && matches!(kind, CueKind::Level | CueKind::Increase | CueKind::Decrease)
                })
            });
        let inherited = if self.rules.enabled(Builtin::ContinuedClause)
            && clause_index > 0
            && self.clauses[clause_index - 1].1 == *sentence
        {
            clause_kind.get(clause_index - 1).copied().flatten()
        } else {
            None
        };
        CueReading {
            present,
            commits: before.clone().any(|(_, kind, _)| kind.commits()),
            kind_before: before
                .rev()
                .find_map(|(at, kind, _)| kind.target_kind().map(|t| (at.clone(), t))),
            after: self.cue_after(mention_idx, clause.end, bounds.after_end),
            inherited,
        }
    }

    /// A cue of level or building that governs number `mention_idx` after it, up to the next number
    /// or list item: `40%以上面积达到`.
    fn cue_after(
        &self,
        mention_idx: usize,
        clause_end: usize,
        after_end: usize,
    ) -> Option<CueKind> {
        let m = &self.mentions[mention_idx];
        let mut next_start = self
            .mentions
            .get(mention_idx + 1)
            .map_or(clause_end, |n| n.start.min(clause_end));
        if let Some(p) = self
            .normalised(after_end.min(next_start)..next_start)
            .find('、')
        {
            next_start = after_end.min(next_start) + p;
        }
        self.cues(after_end.min(next_start)..next_start)
            .into_iter()
            .find(|(c, kind, word)| {
                matches!(kind, CueKind::Level | CueKind::New) && self.governs(c, *word, m, m.start)
            })
            .map(|(_, kind, _)| kind)
    }

    /// Why a number commits to nothing, if it does not: its section describes the present,
    /// its clause states what is, its deadline is past, or nothing commits it.
    fn why_uncommitted(
        &self,
        cues: &CueReading,
        yearly: bool,
        year: Option<i32>,
    ) -> Option<SkipReason> {
        let rules = self.rules;
        if self.past {
            if let Some(reason) = rules.section.as_ref().map(|x| x.reason) {
                return Some(reason);
            }
        }
        if cues.present {
            if let Some(reason) = rules.reason(Builtin::Commitment) {
                return Some(reason);
            }
        }
        // A deadline before the document's own year is a year past (`2023年全区…为70%` in a
        // document of 2024).
        if let (Some(y), Some(d)) = (year, self.doc_year) {
            if y < d {
                if let Some(reason) = rules.reason(Builtin::PastYear) {
                    return Some(reason);
                }
            }
        }
        let committed = cues.commits
            || cues.after.is_some()
            || cues.inherited.is_some()
            || yearly
            || year.is_some();
        if committed {
            None
        } else {
            rules.reason(Builtin::Commitment)
        }
    }

    /// The bound written after the last number of a list of numbers in one unit that `mention_idx`
    /// opens or continues: `分别达到80%、50%以上` — `以上` holds for 80% too.
    fn list_bound(&self, mention_idx: usize) -> Option<Bound> {
        let rules = self.rules;
        let family = |m: &Mention| m.form.as_ref().map(|f| f.family);
        let mut last = mention_idx;
        for _ in 0..MAX_LIST_BOUND {
            let (cur, Some(next)) = (&self.mentions[last], self.mentions.get(last + 1)) else {
                break;
            };
            if family(cur).is_none()
                || family(next) != family(cur)
                || next.start < cur.end
                || self.normalised(cur.end..next.start).trim() != "、"
            {
                break;
            }
            last += 1;
        }
        if last == mention_idx {
            return None;
        }
        let after = self.normalised(self.mentions[last].end..self.s.len());
        let b = rules.bound_after.as_ref()?.find(after)?;
        rules.bound_words.get(b.as_str().trim()).copied()
    }

    /// The measured thing: between the verb and the number, else before the verb, else after
    /// the number.
    pub(super) fn indicator(
        &self,
        mention_idx: usize,
        clause: &Range<usize>,
        before_end: usize,
        after_end: usize,
        cue: Option<(Range<usize>, TargetKind)>,
    ) -> String {
        // Whether the verb builds (`完成改造1000户`: the verb names the work).
        let builds = cue
            .as_ref()
            .is_some_and(|(_, kind)| *kind == TargetKind::New);
        let cue = cue.map(|(c, _)| c);
        if let Some(item) = self.respectively(mention_idx, clause, before_end) {
            return self.as_written(item).to_string();
        }
        let start = self.indicator_start(mention_idx, clause, before_end, cue.as_ref());
        let after = || self.noun_after(mention_idx, clause, after_end);
        let range = match cue.clone().filter(|c| c.start >= start) {
            Some(verb) => self.around_the_verb(start, &verb, before_end, builds, after),
            None => self.cleaned(start..before_end).or_else(after),
        };
        // A count or size right before its noun names it there: 600颗商业卫星, 17处镇街卫生院.
        let range = if self.counts_the_noun_after(mention_idx, clause, after_end) {
            after().or(range)
        } else {
            range
        };
        // Nothing else names it: the verb does (完成改造1000户 → 改造).
        let verb = cue.filter(|_| builds);
        let Some(range) = range.or(verb) else {
            return String::new();
        };
        self.as_written(range).to_string()
    }

    /// 分别: A、B分别下降27%、10% — the n-th listed indicator for the n-th number.
    fn respectively(
        &self,
        mention_idx: usize,
        clause: &Range<usize>,
        before_end: usize,
    ) -> Option<Range<usize>> {
        let near = tail_chars(
            self.normalised(clause.start..before_end),
            RESPECTIVELY_LOOKBACK_CHARS,
        );
        let at = before_end - near.len() + near.find("分别")?;
        let from = at - tail_chars(self.normalised(clause.start..at), LIST_LOOKBACK_CHARS).len();
        let items = split_ranges(self.s, self.clean(from..at), '、');
        let family = self.mentions[mention_idx].form.as_ref().map(|f| f.family);
        let nth = self.mentions[..mention_idx]
            .iter()
            .rev()
            .take_while(|x| x.start > at)
            .filter(|x| x.form.as_ref().map(|f| f.family) == family)
            .count();
        if items.len() < 2 {
            return None;
        }
        let item = items.get(nth).or(items.last())?;
        Some(self.clean(item.clone()))
    }

    /// Where the indicator of number `mention_idx` may start: its clause, or after the number
    /// before it (`配电变压器160台` after `100公里左右、`) when the verb does not stand before that.
    fn indicator_start(
        &self,
        mention_idx: usize,
        clause: &Range<usize>,
        before_end: usize,
        cue: Option<&Range<usize>>,
    ) -> usize {
        let Some(prev) = mention_idx.checked_sub(1).map(|j| &self.mentions[j]) else {
            return clause.start;
        };
        let counts = matches!(
            self.rules.kind(prev),
            Some(kind) if !matches!(kind, UnitKind::Name | UnitKind::Spec | UnitKind::Time)
        );
        if !counts || prev.end <= clause.start || prev.end > before_end {
            return clause.start;
        }
        let gap = self.normalised(prev.end..before_end);
        let skip_bound = self
            .rules
            .bound_after
            .as_ref()
            .and_then(|words| words.find(gap))
            .map_or(0, |b| b.end());
        let rest = &gap[skip_bound..];
        let lead = rest.len() - rest.trim_start_matches(['、', ',', ' ']).len();
        if cue.is_none_or(|c| c.start < prev.end) {
            prev.end + skip_bound + lead
        } else {
            clause.start
        }
    }

    /// The indicator around the verb at `verb`: its object (`start` is where the subject may
    /// start), else its subject, else what follows the number (`after`).
    fn around_the_verb(
        &self,
        start: usize,
        verb: &Range<usize>,
        before_end: usize,
        builds: bool,
        after: impl Fn() -> Option<Range<usize>>,
    ) -> Option<Range<usize>> {
        let object = self.cleaned(verb.end..before_end);
        let subject = self.cleaned(start..verb.start);
        let listed = object
            .as_ref()
            .is_some_and(|o| self.normalised(o.clone()).ends_with('等'));
        match object {
            Some(o) if self.normalised(o.clone()).chars().count() < 3 => {
                subject.map_or(Some(o.clone()), |s| Some(s.start..o.end))
            }
            Some(o) if !listed => Some(o),
            object => match subject {
                // 完成智慧路灯升级改造5000基: the work named with its verb.
                Some(s) if builds => Some(s.start..verb.end),
                Some(s) => Some(s),
                None => after().or(object),
            },
        }
    }

    /// After the number: 培育20家大型农业产业化龙头企业 — up to the next verb or number.
    fn noun_after(
        &self,
        mention_idx: usize,
        clause: &Range<usize>,
        after_end: usize,
    ) -> Option<Range<usize>> {
        // Up to the next number that is not inside a name.
        let stop = self
            .mentions
            .iter()
            .skip(mention_idx + 1)
            .take_while(|n| n.start < clause.end)
            .find(|n| !self.in_name(n.start))
            .map_or(clause.end, |n| n.start.min(clause.end));
        let mut range = after_end.min(stop)..stop;
        let text = self.normalised(range.clone());
        if text.starts_with('(') {
            return None;
        }
        // The noun phrase ends at the next verb of the cue lexicon that is no verb of
        // building (`赴`, `参加`, `达到`): those are often nouns in a compound
        // (`积水点改造`, `海绵城市建设达标评估`).
        let cut = self
            .cues(range.clone())
            .iter()
            .filter(|(_, kind, _)| matches!(kind, CueKind::Level | CueKind::Commit | CueKind::Verb))
            .map(|(c, _, _)| c.start)
            .chain(text.find('(').map(|p| range.start + p))
            .filter(|&p| p > range.start)
            .min();
        if let Some(c) = cut {
            range.end = c;
        }
        // The head noun follows the last 的 (具有发展前景的创业项目), unless it is an
        // abstract one (科创园区的提质增效).
        if let Some(p) = self.normalised(range.clone()).rfind('的') {
            let head = range.start + p + '的'.len_utf8()..range.end;
            let head_text = self.normalised(self.clean(head.clone()));
            if self.weak_head(head_text) {
                if let Some(q) = self.normalised(range.clone()).find('的') {
                    range.end = range.start + q;
                }
            } else if !head_text.is_empty() {
                range = head;
            }
        }
        self.cleaned(range)
    }

    /// An abstract noun, or a verb used as one (`园区的改造`): no head of an indicator.
    fn weak_head(&self, head: &str) -> bool {
        let rules = self.rules;
        rules.weak_heads.as_ref().is_some_and(|w| w.is_match(head))
            || rules
                .cue_words
                .as_ref()
                .and_then(|words| words.find_iter(head).last().map(|m| (m.end(), m.word())))
                .is_some_and(|(end, word)| {
                    end == head.len()
                        && rules
                            .cue_kinds
                            .get(word)
                            .is_some_and(|(kind, _)| kind.target_kind().is_some())
                })
    }

    /// Whether number `mention_idx` counts or sizes the noun right after its unit, or after its
    /// bound word (9座左右口袋公园), so that the noun names it.
    fn counts_the_noun_after(
        &self,
        mention_idx: usize,
        clause: &Range<usize>,
        after_end: usize,
    ) -> bool {
        let rules = self.rules;
        let noun_next = self
            .normalised(after_end.min(clause.end)..clause.end)
            .chars()
            .next()
            .is_some_and(|c| is_han(c) || c == '“')
            // `52平方公里达到…`: a verb follows, no noun.
            && rules
                .cue_words
                .as_ref()
                .and_then(|words| words.at(self.s, after_end))
                .is_none_or(|w| {
                    rules
                        .cue_kinds
                        .get(w.word())
                        .is_some_and(|(kind, _)| *kind == CueKind::Mask)
                });
        noun_next
            && matches!(
                rules.kind(&self.mentions[mention_idx]),
                Some(UnitKind::Count | UnitKind::Extent)
            )
    }

    /// [`Para::clean`], when something is left.
    fn cleaned(&self, range: Range<usize>) -> Option<Range<usize>> {
        let range = self.clean(range);
        (!range.is_empty()).then_some(range)
    }

    /// Trims punctuation, deadlines, comparison years and the dropped words from both ends.
    fn clean(&self, mut range: Range<usize>) -> Range<usize> {
        let rules = self.rules;
        loop {
            let before = range.clone();
            let t = self.normalised(range.clone());
            let trimmed = t.trim_start_matches(|c: char| {
                c.is_whitespace() || [',', ';', ':', '、', '。', '(', ')'].contains(&c)
            });
            range.start += t.len() - trimmed.len();
            let t = self.normalised(range.clone());
            let trimmed = t.trim_end_matches(|c: char| {
                c.is_whitespace() || [',', ';', ':', '、', '。', '('].contains(&c)
            });
            range.end -= t.len() - trimmed.len();
            // Deadlines and comparison years at either end (found once per paragraph).
            let spans = &self.marks().spans;
            let i = spans.partition_point(|sp| sp.start <= range.start);
            if let Some(sp) = i.checked_sub(1).map(|j| &spans[j]) {
                if range.start < sp.end {
                    range.start = sp.end.min(range.end);
                }
            }
            let j = spans.partition_point(|sp| sp.start < range.end);
            if let Some(sp) = j.checked_sub(1).map(|j| &spans[j]) {
                if sp.start >= range.start && range.end <= sp.end {
                    range.end = sp.start;
                }
            }
            let t = self.normalised(range.clone());
            if let Some(m) = rules.drop_pattern.iter().find_map(|re| re.find(t)) {
                if m.start() == 0 && m.end() > 0 {
                    range.start += m.end();
                }
            }
            let t = self.normalised(range.clone());
            if let Some(w) = rules.drop_prefix.as_ref().and_then(|w| w.find(t)) {
                range.start += w.end();
            }
            let t = self.normalised(range.clone());
            if let Some(w) = rules.drop_suffix.as_ref().and_then(|w| w.find(t)) {
                range.end = range.start + w.start();
            }
            if range == before || range.is_empty() {
                return range;
            }
        }
    }
}

/// The kind the cues give a number whose unit is of kind `unit`: that of the last cue before
/// it, else of the cue after it, else of the clause before; a level when none gives one.
fn target_kind(cues: &CueReading, unit: Option<UnitKind>) -> TargetKind {
    let mut kind = cues
        .kind_before
        .as_ref()
        .map(|(_, kind)| *kind)
        .or_else(|| cues.after.and_then(CueKind::target_kind))
        .or(cues.inherited)
        .unwrap_or(TargetKind::Level);
    if kind == TargetKind::New && matches!(unit, Some(UnitKind::Percent | UnitKind::Points)) {
        kind = TargetKind::Level;
    }
    // Rising by a count of things is adding them (`提升21个点位`).
    if kind == TargetKind::Increase && unit == Some(UnitKind::Count) {
        kind = TargetKind::New;
    }
    kind
}

/// How many numbers of a list (`80%、50%以上`) a bound after the last is carried back over.
const MAX_LIST_BOUND: usize = 12;

/// How far back `分别` is looked for before a number, in characters.
const RESPECTIVELY_LOOKBACK_CHARS: usize = 80;

/// A sentence without its end punctuation and surrounding space.
fn trim_clause(s: &str, r: Range<usize>) -> Range<usize> {
    let t = s.get(r.clone()).unwrap_or("");
    let lead = t.len() - t.trim_start().len();
    let t2 = t
        .trim_start()
        .trim_end_matches(|c: char| c.is_whitespace() || ['。', '!', '?', '…'].contains(&c));
    let start = r.start + lead;
    if t2.is_empty() {
        return r;
    }
    start..start + t2.len()
}

fn split_ranges(s: &str, r: Range<usize>, sep: char) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    for (i, c) in s.get(r.clone()).unwrap_or("").char_indices() {
        if c == sep {
            out.push(start..r.start + i);
            start = r.start + i + c.len_utf8();
        }
    }
    out.push(start..r.end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::targets::tests::run;

    #[test]
    fn list_bounds_stop_at_other_units_and_words() {
        let (_, got) = run("到2025年,比例分别达到60%、70%、80%以上。");
        assert!(got.targets.iter().all(|t| t.bound == Bound::AtLeast));
        let (_, got) = run("到2025年,新建公园5座、10%以上。");
        assert_eq!(got.targets[0].bound, Bound::Exact);
        let (_, got) = run("到2025年,覆盖率分别达到60%、较高水平、80%以上。");
        assert_eq!(got.targets[0].bound, Bound::Exact);
        // A long list is carried back over at most a bounded number of numbers.
        let list: Vec<String> = (1..=40).map(|i| format!("{i}%")).collect();
        let (_, got) = run(&format!("到2025年,分别达到{}以上。", list.join("、")));
        assert_eq!(got.targets.len(), 40);
        assert_eq!(got.targets[0].bound, Bound::Exact);
        assert_eq!(got.targets[39].bound, Bound::AtLeast);
    }
}
