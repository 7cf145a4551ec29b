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
        // A share is reached, not built: a verb of building before it qualifies the noun
        // (`新建居住建筑屋顶安装太阳能光伏面积比例不低于30%`).
        let share = matches!(
            self.rules.kind(&self.mentions[mention_idx]),
            Some(UnitKind::Percent | UnitKind::Points)
        );
        let counts = matches!(
            self.rules.kind(&self.mentions[mention_idx]),
            Some(UnitKind::Count)
        );
        let (cue, builds) = if builds && share {
            (None, false)
        } else {
            (cue.map(|(c, _)| c), builds)
        };
        if let Some(item) = self.respectively(mention_idx, clause, before_end) {
            return self.as_written(item).to_string();
        }
        let start = self.indicator_start(mention_idx, clause, before_end, cue.as_ref());
        // Read once: several readings fall back on it.
        let noun_after = std::cell::OnceCell::new();
        let after = || {
            noun_after
                .get_or_init(|| self.noun_after(mention_idx, clause, after_end))
                .clone()
        };
        let phrase = match cue.clone().filter(|c| c.start >= start) {
            Some(verb) => self.around_the_verb(start, &verb, before_end, builds, counts, after),
            None => self
                .cleaned(start..before_end)
                .or_else(after)
                .map(Phrase::whole),
        };
        // A count or size right before its noun names it there: 600颗商业卫星, 17处镇街卫生院.
        let phrase = if self.counts_the_noun_after(mention_idx, clause, after_end) {
            after().map(Phrase::whole).or(phrase)
        } else {
            phrase
        };
        // Nothing else names it: the verb does (完成改造1000户 → 改造).
        let verb = cue.filter(|_| builds).map(Phrase::whole);
        let Some(phrase) = phrase.or(verb) else {
            return String::new();
        };
        match phrase.without {
            Some(gap) => {
                let mut s = self.as_written(phrase.range.start..gap.start).to_string();
                s.push_str(self.as_written(gap.end..phrase.range.end));
                s
            }
            None => self.as_written(phrase.range).to_string(),
        }
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
    /// start), else its subject, else what follows the number (`after`). A share's verb joins
    /// its subject and object (`集聚区合计营收占全市比重`); a verb of level before a short object
    /// is left out between them (`发制品产业实现产值` → `发制品产业产值`).
    fn around_the_verb(
        &self,
        start: usize,
        verb: &Range<usize>,
        before_end: usize,
        builds: bool,
        counts: bool,
        after: impl Fn() -> Option<Range<usize>>,
    ) -> Option<Phrase> {
        let object = self.cleaned(verb.end..before_end);
        let subject = self.cleaned(start..verb.start);
        let listed = object
            .as_ref()
            .is_some_and(|o| self.normalised(o.clone()).ends_with('等'));
        let shares = || {
            let v = self.normalised(verb.clone());
            self.rules.share_verbs.iter().any(|w| w == v)
        };
        match (object, subject) {
            (Some(o), Some(s)) if !listed && shares() => Some(Phrase::whole(s.start..o.end)),
            (Some(o), subject) if self.normalised(o.clone()).chars().count() < 3 => {
                Some(match subject {
                    Some(s) if !builds => Phrase {
                        range: s.start..o.end,
                        without: Some(s.end..o.start),
                    },
                    Some(s) => Phrase::whole(s.start..o.end),
                    None => Phrase::whole(o),
                })
            }
            (Some(o), _) if !listed => Some(Phrase::whole(o)),
            (object, subject) => match subject {
                // 完成智慧路灯升级改造5000基: the work named with its verb.
                Some(s) if builds => Some(Phrase::whole(s.start..verb.end)),
                // 培训新型农民达到40000名: what is counted is the object of the verbs that open
                // the subject.
                Some(s) if counts => Some(Phrase::whole(self.after_leading_verbs(s))),
                Some(s) => Some(Phrase::whole(s)),
                None => after().or(object).map(Phrase::whole),
            },
        }
    }

    /// Where a list closed by 等 that opens `r` ends, with the count after it: a list
    /// exemplifies what follows (`徐汇、黄浦、普陀等3个集聚区…` → `集聚区…`). Its last item has
    /// two characters or more (`职业学校、高等院校` is none), or it is a name in quotes
    /// (`“千人计划”等各类高端人才`); it lies in one clause.
    fn list_closed_by_deng(&self, r: Range<usize>) -> Option<usize> {
        let t = self.normalised(r.clone());
        let clause_end = t.find([',', ';', ':', '。']).unwrap_or(t.len());
        let (p, _) = t[..clause_end].match_indices('等').find(|&(p, _)| {
            let before = &t[..p];
            if before.ends_with('”') {
                return before.contains('“');
            }
            before.rfind('、').is_some_and(|q| {
                let item = &before[q + '、'.len_utf8()..];
                !item.contains('等') && item.chars().count() >= 2
            })
        })?;
        let mut end = r.start + p + '等'.len_utf8();
        // Its count: 等3个.
        let i = self.mentions.partition_point(|m| m.start < end);
        if let Some(m) = self.mentions.get(i).filter(|m| m.start == end) {
            end = m.end;
        }
        (end < r.end).then_some(end)
    }

    /// Where the word of the cue lexicon (no mask) that starts at `at` ends, if one does.
    fn verb_at(&self, at: usize) -> Option<usize> {
        let rules = self.rules;
        let w = rules.cue_words.as_ref()?.at(self.s, at)?;
        rules
            .cue_kinds
            .get(w.word())
            .is_some_and(|(kind, _)| *kind != CueKind::Mask)
            .then(|| w.end())
    }

    /// `r` without the verbs of building that open it (`遴选评定“羊城文化名家”`), but for those
    /// that name the thing with it (`kept_verbs`: `新增城镇就业`), when something is left.
    fn after_leading_verbs(&self, r: Range<usize>) -> Range<usize> {
        let rules = self.rules;
        let mut at = r.start;
        while let Some(w) = rules
            .cue_words
            .as_ref()
            .and_then(|words| words.at(self.s, at))
            .filter(|w| w.end() <= r.end)
        {
            let builds = rules
                .cue_kinds
                .get(w.word())
                .is_some_and(|(kind, _)| *kind == CueKind::New);
            if !builds || rules.kept_verbs.iter().any(|k| k == w.as_str()) {
                break;
            }
            at = w.end();
            let rest = self.normalised(at..r.end);
            at += rest.len() - rest.trim_start_matches(['和', '、', '及']).len();
        }
        let rest = self.clean(at..r.end);
        if rest.is_empty() { r } else { rest }
    }

    /// After the number: 培育20家大型农业产业化龙头企业 — up to the next verb or number.
    fn noun_after(
        &self,
        mention_idx: usize,
        clause: &Range<usize>,
        after_end: usize,
    ) -> Option<Range<usize>> {
        // Up to the next number that is not inside a name nor in a clause that qualifies the
        // noun (`节能率不低于15%的既有公共建筑`), and the words that introduce it (`和至少1个`,
        // `、完成100万户`).
        let from = after_end.min(clause.end);
        let mut inner = None;
        let stop = self
            .mentions
            .iter()
            .skip(mention_idx + 1)
            .take_while(|n| n.start < clause.end)
            .find(|n| {
                if self.in_name(n.start) {
                    return false;
                }
                let qualifies = n.start >= from && self.followed_by_de(n, clause.end);
                if qualifies {
                    inner.get_or_insert(n.start);
                }
                !qualifies
            })
            .map_or(clause.end, |n| {
                self.introduced_at(from, n.start.min(clause.end))
            });
        let mut range = from.min(stop)..stop;
        let text = self.normalised(range.clone());
        if text.starts_with('(') {
            return None;
        }
        // The noun phrase ends at the next verb of the cue lexicon that is no verb of
        // building (`赴`, `参加`, `达到`): those are often nouns in a compound
        // (`积水点改造`, `海绵城市建设达标评估`), or at a word of `noun_ends` (`到`, `开展`).
        let mut cuts: Vec<usize> = self
            .cues(range.clone())
            .iter()
            .filter(|(_, kind, _)| matches!(kind, CueKind::Level | CueKind::Commit | CueKind::Verb))
            .map(|(c, _, _)| c.start)
            .chain(text.find('(').map(|p| range.start + p))
            .chain(self.noun_ends(range.clone()))
            .collect();
        cuts.sort_unstable();
        let cut_from = |p: usize| cuts.iter().copied().find(|&c| c >= p);
        // A clause before 的 that qualifies the noun: it holds a number (`节能率不低于15%的`) or
        // opens with a verb (`能够突破关键技术、…的创新创业领军人才`). Its head follows the
        // first 的 after that, unless it is an abstract noun.
        let verb_first = cut_from(range.start)
            .filter(|&c| self.clean(range.start..c).is_empty() && c < range.end);
        if let Some(mark) = inner.or(verb_first) {
            if let Some(p) = self.normalised(mark..range.end).find('的') {
                let head_start = mark + p + '的'.len_utf8();
                let head_end = cut_from(head_start).unwrap_or(range.end).min(range.end);
                if let Some(head) = self.cleaned(head_start..head_end) {
                    let abstract_noun = self
                        .rules
                        .weak_heads
                        .as_ref()
                        .is_some_and(|w| w.is_match(self.normalised(head.clone())));
                    if !abstract_noun {
                        return Some(head);
                    }
                }
            }
        }
        if let Some(c) = cut_from(range.start + 1) {
            range.end = c.min(range.end);
        }
        // The head noun follows the last 的 (具有发展前景的创业项目), unless it is an
        // abstract one (科创园区的提质增效); a word too general to name the thing alone takes
        // the words before it up to the 的 before (`…报警装置的安装`), if any.
        if let Some(p) = self.normalised(range.clone()).rfind('的') {
            let head_text = |p: usize| {
                let head = range.start + p + '的'.len_utf8()..range.end;
                self.normalised(self.clean(head))
            };
            if self.weak_head(head_text(p)) {
                if let Some(q) = self.normalised(range.clone()).find('的') {
                    range.end = range.start + q;
                }
            } else {
                let mut at = Some(p);
                while let Some(p) = at {
                    if head_text(p).chars().count() > MIN_HEAD_CHARS {
                        range.start += p + '的'.len_utf8();
                        break;
                    }
                    at = self.normalised(range.start..range.start + p).rfind('的');
                }
            }
        }
        self.cleaned(range)
    }

    /// Whether 的 follows number `n` (its bound word aside): the number qualifies a noun.
    fn followed_by_de(&self, n: &Mention, clause_end: usize) -> bool {
        let after = self.normalised(n.end.min(clause_end)..clause_end);
        let skip = self
            .rules
            .bound_after
            .as_ref()
            .and_then(|words| words.find(after))
            .map_or(0, |b| b.end());
        after[skip..].trim_start().starts_with('的')
    }

    /// Where the words that introduce a number at `at` start, after `from`: its bound word
    /// (`至少`) and the verb right before it (`完成`).
    fn introduced_at(&self, from: usize, at: usize) -> usize {
        if at <= from {
            return at;
        }
        let mut end = at;
        if let Some(b) = self
            .rules
            .bound_before
            .as_ref()
            .and_then(|words| words.find(self.normalised(from..end)))
        {
            end = from + b.start();
        }
        if let Some((c, _, _)) = self.cues(from..end).last() {
            if c.end == end && c.start > from {
                end = c.start;
            }
        }
        end
    }

    /// Where the words of `noun_ends` start in `r`.
    fn noun_ends(&self, r: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let count = self.rules.noun_ends_count;
        self.rules
            .noun_ends
            .as_ref()
            .map(|w| w.find_iter(self.normalised(r.clone())))
            .unwrap_or_default()
            .into_iter()
            .filter(move |m| m.word() < count)
            .map(move |m| r.start + m.start())
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
        let mut start_read = usize::MAX;
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
            // What is dropped from the start depends on the start only: looked for again only
            // once it has moved.
            if range.start != start_read {
                start_read = range.start;
                let t = self.normalised(range.clone());
                if let Some(m) = rules.drop_pattern.iter().find_map(|re| re.find(t)) {
                    if m.start() == 0 && m.end() > 0 {
                        range.start += m.end();
                    }
                }
                if let Some(end) = self.list_closed_by_deng(range.clone()) {
                    range.start = end;
                }
                let t = self.normalised(range.clone());
                if let Some(w) = rules.drop_prefix.as_ref().and_then(|w| w.find(t)) {
                    range.start += w.end();
                }
                // An adverb before a verb (`重点支持`), not before a noun (`重点行业`).
                let t = self.normalised(range.clone());
                if let Some(a) = rules.adverbs.iter().find(|a| t.starts_with(a.as_str())) {
                    if a.len() < t.len() && self.verb_at(range.start + a.len()).is_some() {
                        range.start += a.len();
                    }
                }
                // A verb right before 的 opens a clause that qualifies the noun (`布局的长宁区`).
                if let Some(end) = self.verb_at(range.start) {
                    if self.normalised(end..range.end).starts_with('的') {
                        range.start = end + '的'.len_utf8();
                    }
                }
                // A quotation mark whose pair lies after the end.
                let t = self.normalised(range.clone());
                if t.starts_with('“') && !t.contains('”') {
                    range.start += '“'.len_utf8();
                }
            }
            let t = self.normalised(range.clone());
            if let Some(w) = rules.drop_suffix.as_ref().and_then(|w| w.find(t)) {
                range.end = range.start + w.start();
            }
            // A quotation mark whose pair lies before the start.
            let t = self.normalised(range.clone());
            if t.ends_with('”') && !t.contains('“') {
                range.end -= '”'.len_utf8();
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

/// An indicator's text: a range, less a part inside it (the verb of `发制品产业实现产值`).
struct Phrase {
    range: Range<usize>,
    without: Option<Range<usize>>,
}

impl Phrase {
    fn whole(range: Range<usize>) -> Self {
        Phrase {
            range,
            without: None,
        }
    }
}

/// A head noun after 的 of at most this many characters is a word too general to name the
/// thing alone (`适宜机械化生产的品种`): the words that qualify it stay.
const MIN_HEAD_CHARS: usize = 2;

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
