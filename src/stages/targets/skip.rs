//! Why a number is not a target, before its commitment is looked at: it is left out, part of a
//! name, a date, a specification, a count of a list, a threshold, … (the builtin rules and the
//! `skip` rules of `rules/targets.toml`).
//!
//! Input: a paragraph's numbers, in their clauses. Output: for each number, open (still to be
//! read as a target), left out, or passed over with a reason.

use super::*;

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::Deserialize;

use crate::base::word_set::Matcher;

/// A structural rule implemented here, named as `[[builtin]]` in `targets.toml` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Builtin {
    /// A number inside a title or short quotation (`《…》`, `“千人计划”`).
    QuotedName,
    /// A number that letters touch (`5G`, `P3`).
    Alphanumeric,
    /// A year, month or day of a date (`2023年8月22日`).
    Date,
    /// A number of a document number (`[2023]5号`).
    DocumentNumber,
    /// A number without a unit.
    NoUnit,
    /// A number in a unit of kind `spec` (`110千伏`).
    UnitSpec,
    /// A number in a unit of kind `name` (`十大`), or a count without its verb (`一期`).
    UnitName,
    /// A number in a unit of kind `time` (`15分钟`).
    Duration,
    /// `一个` before a noun: "a".
    Article,
    /// An amount or rate right before a noun (`5万吨磷酸铁项目`).
    AmountBeforeANoun,
    /// The count of the list before it (`徐汇、黄浦、普陀等3个集聚区`).
    ListCount,
    /// Numbers after a share of a population (`90%以上的行政村…超10万元`).
    PopulationShare,
    /// A number that nothing commits to.
    Commitment,
    /// A number whose deadline is before the document's year.
    PastYear,
    /// A deadline in a paragraph's first sentence holds for the whole paragraph.
    ParagraphDeadline,
    /// A clause without a cue takes the kind of the clause before it in its sentence.
    ContinuedClause,
    /// A unit may follow its number after a line break (`2-3` / `个品种`).
    LineBreakBeforeUnit,
}

impl Builtin {
    /// Every builtin, in the order of [`Builtin`] (`b as usize` is its index).
    pub(super) const ALL: [Builtin; 17] = [
        Builtin::QuotedName,
        Builtin::Alphanumeric,
        Builtin::Date,
        Builtin::DocumentNumber,
        Builtin::NoUnit,
        Builtin::UnitSpec,
        Builtin::UnitName,
        Builtin::Duration,
        Builtin::Article,
        Builtin::AmountBeforeANoun,
        Builtin::ListCount,
        Builtin::PopulationShare,
        Builtin::Commitment,
        Builtin::PastYear,
        Builtin::ParagraphDeadline,
        Builtin::ContinuedClause,
        Builtin::LineBreakBeforeUnit,
    ];

    /// The reason it gives when it passes a number over and the rules name none; `None` for
    /// a builtin that passes nothing over.
    pub(super) fn default_reason(self) -> Option<SkipReason> {
        match self {
            Builtin::QuotedName | Builtin::Alphanumeric | Builtin::UnitName => {
                Some(SkipReason::Name)
            }
            Builtin::Date => Some(SkipReason::Date),
            Builtin::DocumentNumber => Some(SkipReason::DocumentNumber),
            Builtin::NoUnit => Some(SkipReason::NoUnit),
            Builtin::UnitSpec | Builtin::AmountBeforeANoun => Some(SkipReason::Specification),
            Builtin::Duration => Some(SkipReason::Duration),
            Builtin::Article => Some(SkipReason::Article),
            Builtin::ListCount => Some(SkipReason::Indicator),
            Builtin::PopulationShare => Some(SkipReason::Threshold),
            Builtin::Commitment | Builtin::PastYear => Some(SkipReason::NoCommitment),
            Builtin::ParagraphDeadline
            | Builtin::ContinuedClause
            | Builtin::LineBreakBeforeUnit => None,
        }
    }

    /// Its name in `targets.toml` (the rule name of its examples).
    pub(super) fn name(self) -> &'static str {
        match self {
            Builtin::QuotedName => "quoted-name",
            Builtin::Alphanumeric => "alphanumeric",
            Builtin::Date => "date",
            Builtin::DocumentNumber => "document-number",
            Builtin::NoUnit => "no-unit",
            Builtin::UnitSpec => "unit-spec",
            Builtin::UnitName => "unit-name",
            Builtin::Duration => "duration",
            Builtin::Article => "article",
            Builtin::AmountBeforeANoun => "amount-before-a-noun",
            Builtin::ListCount => "list-count",
            Builtin::PopulationShare => "population-share",
            Builtin::Commitment => "commitment",
            Builtin::PastYear => "past-year",
            Builtin::ParagraphDeadline => "paragraph-deadline",
            Builtin::ContinuedClause => "continued-clause",
            Builtin::LineBreakBeforeUnit => "line-break-before-unit",
        }
    }
}

/// What is known of a number before its commitment is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Nothing passes it over: it is read as a target next.
    Open,
    /// Neither a target nor reported: it lies in a span left out (an attribution), or a
    /// builtin that gives no reason passed it over.
    Excluded,
    /// Passed over for this reason.
    Skip(SkipReason),
}

impl Verdict {
    /// Passed over with the reason a builtin gives, or excluded when it gives none.
    fn passed_over(reason: Option<SkipReason>) -> Verdict {
        reason.map_or(Verdict::Excluded, Verdict::Skip)
    }
}

/// What the rules make of a builtin: off, or on with the reason it gives (if it skips).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum BuiltinSetting {
    /// Turned off (`enabled = false`); also every builtin of empty rules.
    #[default]
    Off,
    /// On.
    On(Option<SkipReason>),
}

#[derive(Debug, Clone)]
pub(super) struct SkipRule {
    pub(super) reason: SkipReason,
    pub(super) before: Option<Matcher>,
    pub(super) after: Option<Matcher>,
    /// A `clause` pattern (a word list is in [`TargetRules::clause_words`] instead).
    pub(super) clause: Option<Regex>,
    pub(super) unless: Option<Regex>,
    /// Whether `clause_words` / `unless_words` were given.
    pub(super) clause_words: bool,
    pub(super) unless_words: bool,
    pub(super) units: UnitFilter,
}

/// The `clause_words` and `unless_words` of all skip rules in one automaton, so that a
/// clause is searched once for all of them.
#[derive(Debug, Clone)]
pub(super) struct ClauseWords {
    pub(super) ac: AhoCorasick,
    /// For each pattern: the rule and whether it is an `unless` word.
    pub(super) owner: Vec<(usize, bool)>,
}

impl ClauseWords {
    /// Per rule, whether one of its `clause_words` and one of its `unless_words` occur in `t`.
    pub(super) fn scan(&self, t: &str, rules: usize) -> Vec<[bool; 2]> {
        let mut found = vec![[false; 2]; rules];
        for m in self.ac.find_overlapping_iter(t) {
            if let Some(&(rule, unless)) = self.owner.get(m.pattern().as_usize()) {
                if let Some(f) = found.get_mut(rule) {
                    f[usize::from(unless)] = true;
                }
            }
        }
        found
    }
}

impl TargetRules {
    /// Whether builtin `b` is on.
    pub(super) fn enabled(&self, b: Builtin) -> bool {
        self.setting(b) != BuiltinSetting::Off
    }

    /// The reason builtin `b` gives, when it is on and gives one.
    pub(super) fn reason(&self, b: Builtin) -> Option<SkipReason> {
        match self.setting(b) {
            BuiltinSetting::On(reason) => reason,
            BuiltinSetting::Off => None,
        }
    }

    fn setting(&self, b: Builtin) -> BuiltinSetting {
        self.builtins.get(b as usize).copied().unwrap_or_default()
    }
}

impl Para<'_> {
    /// The verdict on each number before its commitment is looked at: the builtins and skip
    /// rules, then the numbers that a population share makes thresholds.
    pub(super) fn verdicts(&self, exclude: &[ByteSpan]) -> Vec<Verdict> {
        let clause_hits = self.clause_hits();
        let mut verdicts: Vec<Verdict> = (0..self.mentions.len())
            .map(|mention_idx| self.verdict_before_commitment(mention_idx, exclude, &clause_hits))
            .collect();
        if let Some(reason) = self.rules.reason(Builtin::PopulationShare) {
            self.after_population_shares(&mut verdicts, reason);
        }
        verdicts
    }

    /// Per clause with a number, whether each skip rule's clause patterns allow it (empty for
    /// a clause without one).
    fn clause_hits(&self) -> Vec<Vec<bool>> {
        let rules = self.rules;
        let mut clause_hits: Vec<Vec<bool>> = vec![Vec::new(); self.clauses.len()];
        for m in &self.mentions {
            let clause = self.clause_of(m.start);
            if !clause_hits[clause].is_empty() {
                continue;
            }
            let whole = self.normalised(self.clauses[clause].0.clone());
            let words = rules
                .clause_words
                .as_ref()
                .map(|words| words.scan(whole, rules.skips.len()))
                .unwrap_or_default();
            let word = |rule: usize, i: usize| words.get(rule).is_some_and(|f| f[i]);
            clause_hits[clause] = rules
                .skips
                .iter()
                .enumerate()
                .map(|(i, rule)| {
                    (!rule.clause_words || word(i, 0))
                        && rule.clause.as_ref().is_none_or(|re| re.is_match(whole))
                        && !(rule.unless_words && word(i, 1))
                        && !rule.unless.as_ref().is_some_and(|re| re.is_match(whole))
                })
                .collect();
        }
        clause_hits
    }

    /// Population shares: 90%以上的行政村集体收入超10万元 — the later open numbers of the
    /// clause are thresholds.
    fn after_population_shares(&self, verdicts: &mut [Verdict], reason: SkipReason) {
        let rules = self.rules;
        let mut share_clause: Option<usize> = None;
        for (m, verdict) in self.mentions.iter().zip(verdicts.iter_mut()) {
            if *verdict != Verdict::Open {
                continue;
            }
            let clause_index = self.clause_of(m.start);
            if share_clause == Some(clause_index) {
                *verdict = Verdict::Skip(reason);
                continue;
            }
            if rules.kind(m) != Some(UnitKind::Percent) {
                continue;
            }
            let clause = &self.clauses[clause_index].0;
            let mut after = self.normalised(m.end..clause.end);
            if let Some(b) = rules
                .bound_after
                .as_ref()
                .and_then(|words| words.find(after))
            {
                after = &after[b.end()..];
            }
            let after = after.strip_prefix('的').unwrap_or(after);
            // A noun follows (`90%以上的行政村`), not a verb (`30%提高到50%`).
            let verb = rules
                .cue_words
                .as_ref()
                .and_then(|words| words.at(after, 0))
                .is_some_and(|w| {
                    rules
                        .cue_kinds
                        .get(w.word())
                        .is_some_and(|(kind, _)| *kind != CueKind::Mask)
                });
            // `分别达到98%和96%以上`: another value follows, not a noun.
            let value_follows = after
                .strip_prefix(['和', '及', '与', '、'])
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
            if after.chars().next().is_some_and(|c| is_han(c) || c == '“')
                && !verb
                && !value_follows
            {
                share_clause = Some(clause_index);
            }
        }
    }

    /// Why number `mention_idx` is not a target, before looking at commitment.
    fn verdict_before_commitment(
        &self,
        mention_idx: usize,
        exclude: &[ByteSpan],
        clause_hits: &[Vec<bool>],
    ) -> Verdict {
        let m = &self.mentions[mention_idx];
        let (start, end) = (self.base + m.start, self.base + m.end);
        if exclude.iter().any(|e| e.start < end && start < e.end) {
            return Verdict::Excluded;
        }
        if m.unread {
            return Verdict::passed_over(self.rules.reason(Builtin::UnitName));
        }
        match self.verdict_on_the_number(mention_idx) {
            Some(verdict) => verdict,
            None => self.verdict_in_the_clause(mention_idx, clause_hits),
        }
    }

    /// The builtins that look only at the number and the characters around it.
    fn verdict_on_the_number(&self, mention_idx: usize) -> Option<Verdict> {
        let m = &self.mentions[mention_idx];
        let before_char = self.normalised(0..m.start).chars().next_back();
        self.skip_if(Builtin::QuotedName, || self.in_name(m.start))
            .or_else(|| {
                self.skip_if(Builtin::Alphanumeric, || {
                    self.touches_letters(m, before_char)
                })
            })
            .or_else(|| {
                self.skip_if(Builtin::DocumentNumber, || {
                    self.in_document_number(m, before_char)
                })
            })
            .or_else(|| self.skip_if(Builtin::Date, || self.is_date(mention_idx)))
    }

    /// The skip rules, then the builtins that read the number's clause.
    fn verdict_in_the_clause(&self, mention_idx: usize, clause_hits: &[Vec<bool>]) -> Verdict {
        let rules = self.rules;
        let m = &self.mentions[mention_idx];
        let clause_index = self.clause_of(m.start);
        let clause = self.clauses[clause_index].0.clone();
        let before = self.normalised(clause.start..m.start.max(clause.start));
        let after = self.normalised(m.end.min(clause.end)..clause.end);
        let hits = clause_hits.get(clause_index).map(Vec::as_slice);
        if let Some(reason) = self.skip_rule_reason(m, before, after, hits) {
            return Verdict::Skip(reason);
        }
        let Some(kind) = rules.kind(m) else {
            return rules
                .reason(Builtin::NoUnit)
                .map_or(Verdict::Open, Verdict::Skip);
        };
        // 十九届, 一期工程: a count of sessions only after a verb that holds them.
        if rules
            .family(m)
            .and_then(|f| f.after_verbs.as_ref())
            .is_some_and(|verbs| !verbs.is_match(before))
        {
            return Verdict::passed_over(rules.reason(Builtin::UnitName));
        }
        // `优良天数达到300天`: days that an indicator counts are a level, not a duration.
        let counted_days = kind == UnitKind::Time && before.contains("天数");
        let by_kind = match kind {
            UnitKind::Spec => Some(Builtin::UnitSpec),
            UnitKind::Name => Some(Builtin::UnitName),
            UnitKind::Time if !counted_days => Some(Builtin::Duration),
            _ => None,
        };
        if let Some(reason) = by_kind.and_then(|b| rules.reason(b)) {
            return Verdict::Skip(reason);
        }
        let noun_follows = self.noun_follows(m, after);
        let article = kind == UnitKind::Count
            && m.chinese
            && m.value == 1.0
            && m.value_max.is_none()
            && noun_follows;
        self.skip_if(Builtin::Article, || article)
            .or_else(|| {
                self.skip_if(Builtin::AmountBeforeANoun, || {
                    matches!(kind, UnitKind::Amount | UnitKind::Rate) && noun_follows
                })
            })
            .or_else(|| {
                self.skip_if(Builtin::ListCount, || {
                    kind == UnitKind::Count
                        && self.counts_the_list_before(
                            mention_idx,
                            before,
                            clause.end,
                            noun_follows,
                        )
                })
            })
            .unwrap_or(Verdict::Open)
    }

    /// `Skip` with the reason of builtin `b` when it is on, gives one, and `holds()`.
    fn skip_if(&self, b: Builtin, holds: impl FnOnce() -> bool) -> Option<Verdict> {
        let reason = self.rules.reason(b)?;
        holds().then_some(Verdict::Skip(reason))
    }

    /// `5G`, `P3`: a letter right before the number, or right after one without a unit.
    fn touches_letters(&self, m: &Mention, before_char: Option<char>) -> bool {
        let after_num = self.normalised(m.num_end..self.s.len()).chars().next();
        let latin_unit = m.form.as_ref().is_some_and(|f| f.latin_end);
        before_char.is_some_and(|c| c.is_ascii_alphabetic())
            || (!latin_unit
                && m.form.is_none()
                && after_num.is_some_and(|c| c.is_ascii_alphabetic()))
    }

    /// 文号: the year or the number of `[2024]3号`.
    fn in_document_number(&self, m: &Mention, before_char: Option<char>) -> bool {
        let form = m.form.as_ref().map(|f| &*f.text);
        let next_char = self.normalised(m.end..self.s.len()).chars().next();
        (m.year_like
            && m.form.is_none()
            && matches!(before_char, Some('['))
            && matches!(next_char, Some(']')))
            || (form == Some("号") && matches!(before_char, Some(']' | ')')))
    }

    /// A year, a month, or a day right after the number before it (`2023年8月22日`).
    fn is_date(&self, mention_idx: usize) -> bool {
        let m = &self.mentions[mention_idx];
        let follows_a_number = mention_idx
            .checked_sub(1)
            .is_some_and(|j| self.mentions[j].end == m.start);
        match (self.rules.kind(m), m.form.as_ref().map(|f| &*f.text)) {
            (None, _) => m.year_like,
            (Some(UnitKind::Time), Some("年" | "年度")) => m.year_like,
            (Some(UnitKind::Time), Some("月")) => m.value <= 12.0 && m.value.fract() == 0.0,
            (Some(UnitKind::Time), Some("日")) => follows_a_number,
            _ => false,
        }
    }

    /// The reason of the first skip rule that holds for `m`, whose clause reads `before` it
    /// and `after` it; `hits` says which rules the clause allows.
    fn skip_rule_reason(
        &self,
        m: &Mention,
        before: &str,
        after: &str,
        hits: Option<&[bool]>,
    ) -> Option<SkipReason> {
        // Local context: the last and first few characters around the number.
        let before_near = tail_chars(before, CONTEXT_CHARS);
        let after_near = head_chars(after, CONTEXT_CHARS);
        let rule = self.rules.skips.iter().enumerate().find(|(i, rule)| {
            rule.units.admits(self.rules, m)
                // The clause test is known already; the local patterns only run when it holds.
                && hits.and_then(|h| h.get(*i)).copied().unwrap_or(true)
                && rule.before.as_ref().is_none_or(|p| p.is_match(before_near))
                && rule.after.as_ref().is_none_or(|p| p.is_match(after_near))
        });
        rule.map(|(_, rule)| rule.reason)
    }

    /// Whether a noun follows number `m` and its unit (`after` is the rest of its clause): no
    /// particle, bound word or cue word.
    fn noun_follows(&self, m: &Mention, after: &str) -> bool {
        let rules = self.rules;
        after.chars().next().is_some_and(|c| {
            (is_han(c) && !"的和及与或等以左上下约到至为是用给每".contains(c)) || c == '“'
        }) && !rules
            .bound_after
            .as_ref()
            .is_some_and(|words| words.is_match(after))
            && rules
                .cue_words
                .as_ref()
                .and_then(|words| words.at(self.s, m.end))
                .is_none()
    }

    /// Whether count `mention_idx` counts the list right before it (`before` is its clause up to
    /// it) and is no target: it qualifies another quantity (`徐汇、黄浦等3个集聚区合计营收占…50%`) or names no
    /// thing (`四个到位`); as the object of a verb it is one (`完成张江、金桥3个园区改造`).
    fn counts_the_list_before(
        &self,
        mention_idx: usize,
        before: &str,
        clause_end: usize,
        noun_follows: bool,
    ) -> bool {
        let m = &self.mentions[mention_idx];
        // A list sums up a few items; its count is small (and counting stays cheap).
        let small = (2.0..=MAX_LIST_COUNT).contains(&m.value) && m.value.fract() == 0.0;
        if m.value_max.is_some() || !small {
            return false;
        }
        // The list ends right before the number; look no further back than it can be.
        let list = tail_chars(before.trim_end(), LIST_LOOKBACK_CHARS);
        let list = list.strip_suffix('等').unwrap_or(list);
        let last = list.rsplit('、').next().unwrap_or("");
        // `…数据共享中心等创新平台5个`: the number counts what follows the list.
        let counts_list = !last.contains('等');
        let joined = ["以及", "及", "和", "与"].iter().any(|c| last.contains(c));
        let items = list.matches('、').count() + 1 + usize::from(joined && list.contains('、'));
        let qualifies = || {
            self.mentions[mention_idx + 1..]
                .iter()
                .take_while(|n| n.start < clause_end)
                .take(MAX_LIST_LOOKAHEAD)
                .any(|n| {
                    matches!(
                        self.rules.kind(n),
                        Some(
                            UnitKind::Amount
                                | UnitKind::Extent
                                | UnitKind::Count
                                | UnitKind::Percent
                                | UnitKind::Points
                                | UnitKind::Rate
                        )
                    )
                })
        };
        items > 1
            && counts_list
            && list.chars().next_back().is_some_and(is_han)
            && items as f64 == m.value
            && (!noun_follows || qualifies())
    }
}

/// How many numbers after a list's count are looked at for the quantity it qualifies.
const MAX_LIST_LOOKAHEAD: usize = 8;

/// The largest count read as the size of a list before it (`机构、编制、人员、经费四个到位`).
const MAX_LIST_COUNT: f64 = 30.0;

/// How far back such a list is looked for, in characters.
pub(super) const LIST_LOOKBACK_CHARS: usize = 400;

/// How many characters around a number the `before` and `after` patterns see.
const CONTEXT_CHARS: usize = 24;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::targets::tests::run;
    use aho_corasick::MatchKind;

    #[test]
    fn builtins_are_listed_in_order_and_named_as_the_rules_write_them() {
        #[derive(Deserialize)]
        struct One {
            name: Builtin,
        }
        for (i, b) in Builtin::ALL.into_iter().enumerate() {
            assert_eq!(b as usize, i);
            let read: One = toml::from_str(&format!("name = \"{}\"", b.name())).unwrap();
            assert_eq!(read.name, b);
        }
    }

    #[test]
    fn clause_words_of_all_rules_in_one_pass() {
        let words: Vec<String> = ["已完成", "已完成的", "宽度"]
            .iter()
            .map(|x| x.to_string())
            .collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&words)
            .unwrap();
        let cw = ClauseWords {
            ac,
            owner: vec![(0, false), (0, true), (2, false)],
        };
        // Overlapping words are all seen: the rule's word and its exception.
        assert_eq!(
            cw.scan("对已完成的绿道", 3),
            vec![[true, true], [false, false], [false, false]]
        );
        assert_eq!(cw.scan("步道宽度2米", 3)[2], [true, false]);
        assert_eq!(cw.scan("", 3), vec![[false; 2]; 3]);
    }

    #[test]
    fn sessions_count_only_after_a_verb_that_holds_them() {
        let (t, got) = run("推动一期5万吨项目。连续举办5届博览会。");
        let skipped: Vec<(&str, &str)> = got
            .skipped
            .iter()
            .map(|k| (t.as_written(&k.span), k.reason.as_str()))
            .collect();
        assert!(skipped.contains(&("一期", "name")), "{skipped:?}");
        assert_eq!(got.targets.len(), 1);
        assert_eq!(t.as_written(&got.targets[0].span), "5届");
    }
}
