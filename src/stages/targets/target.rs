//! A number kept as a target: its kind (level, increase, decrease, new), bound, comparison
//! year and indicator (the measured thing, cleaned of deadlines and filler).
//!
//! Input: a paragraph and the index of a number that no skip rule passed over. Output: a
//! [`FoundTarget`], or the reason it is no target after all (it commits to nothing).

use super::*;

impl Para<'_> {
    /// The bound written after the last number of a list of numbers in one unit that `k`
    /// opens or continues: `分别达到80%、50%以上` — `以上` holds for 80% too.
    fn list_bound(&self, k: usize) -> Option<Bound> {
        let r = self.rules;
        let family = |m: &Mention| m.form.as_ref().map(|f| f.family);
        let mut j = k;
        for _ in 0..MAX_LIST_BOUND {
            let (cur, Some(next)) = (&self.mentions[j], self.mentions.get(j + 1)) else {
                break;
            };
            if family(cur).is_none()
                || family(next) != family(cur)
                || next.start < cur.end
                || self.slice(cur.end..next.start).trim() != "、"
            {
                break;
            }
            j += 1;
        }
        if j == k {
            return None;
        }
        let last = &self.mentions[j];
        let after = self.slice(last.end..self.s.len());
        let b = r.bound_after.as_ref()?.find(after)?;
        r.bound_words.get(b.as_str().trim()).copied()
    }

    pub(super) fn target(
        &self,
        k: usize,
        clause_kind: &[Option<TargetKind>],
    ) -> Result<FoundTarget, SkipReason> {
        let r = self.rules;
        let m = &self.mentions[k];
        let ci = self.clause_of(m.start);
        let (clause, si) = self.clauses[ci].clone();
        let before_all = self.slice(clause.start..m.start);
        let bb = r.bound_before.as_ref().and_then(|re| re.find(before_all));
        let before_end = clause.start + bb.as_ref().map_or(before_all.len(), |b| b.start());
        let after_all = self.slice(m.end..clause.end);
        let ba = r.bound_after.as_ref().and_then(|re| re.find(after_all));
        let after_end = m.end + ba.as_ref().map_or(0, |b| b.end());

        let all_cues = self.clause_cues(ci);
        // The cues before the number that may govern it.
        let back = all_cues[..all_cues.partition_point(|(c, _, _)| c.end <= before_end)]
            .iter()
            .filter(|(c, _, w)| self.governs(c, *w, m, before_end));
        // A clause that opens with a word of the present (`现有绿道100公里`) states what is,
        // unless a verb of change follows it (`将目前的30%提高到50%`).
        let present = back
            .clone()
            .find(|(_, c, _)| *c != CueKind::Verb)
            .filter(|(_, c, _)| *c == CueKind::Present)
            .is_some_and(|(p, _, _)| {
                !back.clone().any(|(c, k, _)| {
                    c.start > p.start
                        && matches!(k, CueKind::Level | CueKind::Increase | CueKind::Decrease)
                })
            });
        let back_commits = back.clone().any(|(_, c, _)| c.commits());
        let kind_back = back
            .rev()
            .find_map(|(r, c, _)| c.target_kind().map(|k| (r.clone(), k)));
        // A cue after the number, up to the next number or list item: `40%以上面积达到`.
        let mut next_start = self
            .mentions
            .get(k + 1)
            .map_or(clause.end, |n| n.start.min(clause.end));
        if let Some(p) = self.slice(after_end.min(next_start)..next_start).find('、') {
            next_start = after_end.min(next_start) + p;
        }
        let fwd = self
            .cues(after_end.min(next_start)..next_start)
            .into_iter()
            .find(|(c, k, w)| {
                matches!(k, CueKind::Level | CueKind::New) && self.governs(c, *w, m, m.start)
            });
        let inherited =
            if r.enabled(Builtin::ContinuedClause) && ci > 0 && self.clauses[ci - 1].1 == si {
                clause_kind.get(ci - 1).copied().flatten()
            } else {
                None
            };
        let yearly = {
            let y = &self.marks().yearly;
            y[..y.partition_point(|(p, _)| *p < m.start)]
                .last()
                .filter(|(p, _)| clause.start <= *p)
                .copied()
        };
        let year = match yearly {
            Some((_, false)) => None,
            _ => self.year_at(m.start, si),
        };
        if self.past {
            if let Some(reason) = r.section.as_ref().map(|x| x.reason) {
                return Err(reason);
            }
        }
        if present {
            if let Some(reason) = r.reason(Builtin::Commitment) {
                return Err(reason);
            }
        }
        // A deadline before the document's own year is a year past (`2023年全区…为70%` in a
        // document of 2024).
        if let (Some(y), Some(d)) = (year, self.doc_year) {
            if y < d {
                if let Some(reason) = r.reason(Builtin::PastYear) {
                    return Err(reason);
                }
            }
        }
        let committed = back_commits
            || fwd.is_some()
            || inherited.is_some()
            || yearly.is_some()
            || year.is_some();
        if !committed {
            if let Some(reason) = r.reason(Builtin::Commitment) {
                return Err(reason);
            }
        }
        let ukind = r.kind(m);
        let mut kind = kind_back
            .as_ref()
            .map(|(_, k)| *k)
            .or_else(|| fwd.as_ref().and_then(|(_, c, _)| c.target_kind()))
            .or(inherited)
            .unwrap_or(TargetKind::Level);
        if kind == TargetKind::New && matches!(ukind, Some(UnitKind::Percent | UnitKind::Points)) {
            kind = TargetKind::Level;
        }
        // Rising by a count of things is adding them (`提升21个点位`).
        if kind == TargetKind::Increase && ukind == Some(UnitKind::Count) {
            kind = TargetKind::New;
        }
        let word_bound = |w: &str| r.bound_words.get(w.trim()).copied();
        let bound = ba
            .as_ref()
            .and_then(|b| word_bound(b.as_str()))
            .or_else(|| bb.as_ref().and_then(|b| word_bound(b.as_str())))
            .or(m.infix)
            .or_else(|| self.list_bound(k))
            .unwrap_or(Bound::Exact);
        let baseline_year = if matches!(kind, TargetKind::Increase | TargetKind::Decrease) {
            let sent = &self.sentences[si];
            let b = &self.marks().baselines;
            b[..b.partition_point(|(p, _)| *p < m.start)]
                .last()
                .filter(|(p, _)| sent.start <= *p)
                .map(|(_, y)| *y)
        } else {
            None
        };
        let sentence = self.sentences[si].clone();
        let clause_span = trim_clause(self.s, sentence);
        Ok(FoundTarget {
            clause: self.base + clause_span.start..self.base + clause_span.end,
            indicator: self.indicator(k, &clause, before_end, after_end, kind_back.clone()),
            value: m.value,
            value_max: m.value_max,
            unit: self.unit_text(m).to_string(),
            si: r.si(m),
            year,
            baseline_year,
            kind,
            bound,
            span: self.base + m.start..self.base + m.end,
        })
    }

    /// The measured thing: between the verb and the number, else before the verb, else after
    /// the number.
    pub(super) fn indicator(
        &self,
        k: usize,
        clause: &Range<usize>,
        before_end: usize,
        after_end: usize,
        cue: Option<(Range<usize>, TargetKind)>,
    ) -> String {
        // Whether the verb builds (`完成改造1000户`: the verb names the work).
        let builds = cue.as_ref().is_some_and(|(_, k)| *k == TargetKind::New);
        let cue = cue.map(|(c, _)| c);
        // 分别: A、B分别下降27%、10% — the n-th listed indicator for the n-th number.
        let near = tail_chars(
            self.slice(clause.start..before_end),
            RESPECTIVELY_LOOKBACK_CHARS,
        );
        if let Some(p) = near.find("分别") {
            let at = before_end - near.len() + p;
            let from = at - tail_chars(self.slice(clause.start..at), LIST_LOOKBACK_CHARS).len();
            let list = self.clean(from..at);
            let items = split_ranges(self.s, list, '、');
            let family = self.mentions[k].form.as_ref().map(|f| f.family);
            let nth = self.mentions[..k]
                .iter()
                .rev()
                .take_while(|x| x.start > at)
                .filter(|x| x.form.as_ref().map(|f| f.family) == family)
                .count();
            if items.len() > 1 {
                if let Some(item) = items.get(nth).or(items.last()) {
                    return self.orig(self.clean(item.clone())).to_string();
                }
            }
        }
        let mut start = clause.start;
        // Start after the previous number of the clause (`配电变压器160台` after `100公里左右、`).
        if let Some(p) = k.checked_sub(1).map(|j| &self.mentions[j]) {
            let counts = matches!(
                self.rules.kind(p),
                Some(k) if !matches!(k, UnitKind::Name | UnitKind::Spec | UnitKind::Time)
            );
            if counts && p.end > clause.start && p.end <= before_end {
                let gap = self.slice(p.end..before_end);
                let skip_bound = self
                    .rules
                    .bound_after
                    .as_ref()
                    .and_then(|re| re.find(gap))
                    .map_or(0, |b| b.end());
                let rest = &gap[skip_bound..];
                let lead = rest.len() - rest.trim_start_matches(['、', ',', ' ']).len();
                if cue.as_ref().is_none_or(|c| c.start < p.end) {
                    start = p.end + skip_bound + lead;
                }
            }
        }
        let pick = |r: Range<usize>| -> Option<Range<usize>> {
            let r = self.clean(r);
            (!r.is_empty()).then_some(r)
        };
        // After the number: 培育20家大型农业产业化龙头企业 — up to the next verb or number.
        let post = || {
            // Up to the next number that is not inside a name.
            let stop = self
                .mentions
                .iter()
                .skip(k + 1)
                .take_while(|n| n.start < clause.end)
                .find(|n| !self.in_name(n.start))
                .map_or(clause.end, |n| n.start.min(clause.end));
            let mut r = after_end.min(stop)..stop;
            let t = self.slice(r.clone());
            if t.starts_with('(') {
                return None;
            }
            // The noun phrase ends at the next verb of the cue lexicon that is no verb of
            // building (`赴`, `参加`, `达到`): those are often nouns in a compound
            // (`积水点改造`, `海绵城市建设达标评估`).
            let cut = self
                .cues(r.clone())
                .iter()
                .filter(|(_, k, _)| matches!(k, CueKind::Level | CueKind::Commit | CueKind::Verb))
                .map(|(c, _, _)| c.start)
                .chain(t.find('(').map(|p| r.start + p))
                .filter(|&p| p > r.start)
                .min();
            if let Some(c) = cut {
                r.end = c;
            }
            // The head noun follows the last 的 (具有发展前景的创业项目), unless it is an
            // abstract one (科创园区的提质增效).
            if let Some(p) = self.slice(r.clone()).rfind('的') {
                let head = r.start + p + '的'.len_utf8()..r.end;
                let h = self.slice(self.clean(head.clone()));
                // An abstract noun, or a verb used as one (`园区的改造`).
                let weak = self
                    .rules
                    .weak_heads
                    .as_ref()
                    .is_some_and(|w| w.is_match(h))
                    || self
                        .rules
                        .cue_words
                        .as_ref()
                        .and_then(|w| w.find_iter(h).last().map(|m| (m.end(), m.word())))
                        .is_some_and(|(end, w)| {
                            end == h.len()
                                && self
                                    .rules
                                    .cue_kinds
                                    .get(w)
                                    .is_some_and(|(k, _)| k.target_kind().is_some())
                        });
                if weak {
                    if let Some(q) = self.slice(r.clone()).find('的') {
                        r.end = r.start + q;
                    }
                } else if !h.is_empty() {
                    r = head;
                }
            }
            pick(r)
        };
        let range = match cue.clone().filter(|c| c.start >= start) {
            Some(c) => {
                let obj = pick(c.end..before_end);
                let subj = pick(start..c.start);
                let listed = obj
                    .as_ref()
                    .is_some_and(|o| self.slice(o.clone()).ends_with('等'));
                match obj {
                    Some(o) if self.slice(o.clone()).chars().count() < 3 => {
                        subj.map_or(Some(o.clone()), |s| Some(s.start..o.end))
                    }
                    Some(o) if !listed => Some(o),
                    obj => match subj {
                        // 完成智慧路灯升级改造5000基: the work named with its verb.
                        Some(s) if builds => Some(s.start..c.end),
                        Some(s) => Some(s),
                        None => post().or(obj),
                    },
                }
            }
            None => pick(start..before_end).or_else(post),
        };
        // A count or size right before its noun names it there: 600颗商业卫星, 17处镇街卫生院.
        let m = &self.mentions[k];
        // The noun right after the unit, or after its bound word (9座左右口袋公园).
        let noun_next = self
            .slice(after_end.min(clause.end)..clause.end)
            .chars()
            .next()
            .is_some_and(|c| is_han(c) || c == '“')
            // `52平方公里达到…`: a verb follows, no noun.
            && self
                .rules
                .cue_words
                .as_ref()
                .and_then(|w| w.at(self.s, after_end))
                .is_none_or(|w| {
                    self.rules
                        .cue_kinds
                        .get(w.word())
                        .is_some_and(|(k, _)| *k == CueKind::Mask)
                });
        let counted = matches!(self.rules.kind(m), Some(UnitKind::Count | UnitKind::Extent));
        let range = if noun_next && counted {
            post().or(range)
        } else {
            range
        };
        // Nothing else names it: the verb does (完成改造1000户 → 改造).
        let verb = cue.filter(|_| builds);
        let Some(range) = range.or(verb) else {
            return String::new();
        };
        self.orig(range).to_string()
    }

    /// Trims punctuation, deadlines, comparison years and the dropped words from both ends.
    fn clean(&self, mut r: Range<usize>) -> Range<usize> {
        let rules = self.rules;
        loop {
            let before = r.clone();
            let t = self.slice(r.clone());
            let trimmed = t.trim_start_matches(|c: char| {
                c.is_whitespace() || [',', ';', ':', '、', '。', '(', ')'].contains(&c)
            });
            r.start += t.len() - trimmed.len();
            let t = self.slice(r.clone());
            let trimmed = t.trim_end_matches(|c: char| {
                c.is_whitespace() || [',', ';', ':', '、', '。', '('].contains(&c)
            });
            r.end -= t.len() - trimmed.len();
            // Deadlines and comparison years at either end (found once per paragraph).
            let spans = &self.marks().spans;
            let i = spans.partition_point(|sp| sp.start <= r.start);
            if let Some(sp) = i.checked_sub(1).map(|j| &spans[j]) {
                if r.start < sp.end {
                    r.start = sp.end.min(r.end);
                }
            }
            let j = spans.partition_point(|sp| sp.start < r.end);
            if let Some(sp) = j.checked_sub(1).map(|j| &spans[j]) {
                if sp.start >= r.start && r.end <= sp.end {
                    r.end = sp.start;
                }
            }
            let t = self.slice(r.clone());
            if let Some(m) = rules.drop_pattern.iter().find_map(|re| re.find(t)) {
                if m.start() == 0 && m.end() > 0 {
                    r.start += m.end();
                }
            }
            let t = self.slice(r.clone());
            if let Some(w) = rules.drop_prefix.as_ref().and_then(|w| w.find(t)) {
                r.start += w.end();
            }
            let t = self.slice(r.clone());
            if let Some(w) = rules.drop_suffix.as_ref().and_then(|w| w.find(t)) {
                r.end = r.start + w.start();
            }
            if r == before || r.is_empty() {
                return r;
            }
        }
    }
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
