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
            if let Some(&(ri, unless)) = self.owner.get(m.pattern().as_usize()) {
                if let Some(f) = found.get_mut(ri) {
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
    /// Why a number is not a target, before looking at commitment.
    pub(super) fn verdict_before_commitment(
        &self,
        k: usize,
        exclude: &[ByteSpan],
        clause_hits: &[Vec<bool>],
    ) -> Verdict {
        let r = self.rules;
        let m = &self.mentions[k];
        let (g0, g1) = (self.base + m.start, self.base + m.end);
        if exclude.iter().any(|e| e.start < g1 && g0 < e.end) {
            return Verdict::Excluded;
        }
        if m.unread {
            return Verdict::passed_over(r.reason(Builtin::UnitName));
        }
        if self.in_name(m.start) {
            if let Some(reason) = r.reason(Builtin::QuotedName) {
                return Verdict::Skip(reason);
            }
        }
        let before_char = self.slice(0..m.start).chars().next_back();
        let after_num = self.slice(m.num_end..self.s.len()).chars().next();
        let latin_unit = m.form.as_ref().is_some_and(|f| f.latin_end);
        if before_char.is_some_and(|c| c.is_ascii_alphabetic())
            || (!latin_unit
                && m.form.is_none()
                && after_num.is_some_and(|c| c.is_ascii_alphabetic()))
        {
            if let Some(reason) = r.reason(Builtin::Alphanumeric) {
                return Verdict::Skip(reason);
            }
        }
        let kind = r.kind(m);
        let form = m.form.as_ref().map(|f| &*f.text);
        // 文号: [2024]3号
        if let Some(reason) = r.reason(Builtin::DocumentNumber) {
            let next_char = self.slice(m.end..self.s.len()).chars().next();
            if (m.year_like
                && m.form.is_none()
                && matches!(before_char, Some('['))
                && matches!(next_char, Some(']')))
                || (form == Some("号") && matches!(before_char, Some(']' | ')')))
            {
                return Verdict::Skip(reason);
            }
        }
        if let Some(reason) = r.reason(Builtin::Date) {
            let prev_date_end = k.checked_sub(1).and_then(|j| {
                let p = &self.mentions[j];
                (p.end == m.start).then_some(())
            });
            let date = match (kind, form) {
                (None, _) => m.year_like,
                (Some(UnitKind::Time), Some("年" | "年度")) => m.year_like,
                (Some(UnitKind::Time), Some("月")) => m.value <= 12.0 && m.value.fract() == 0.0,
                (Some(UnitKind::Time), Some("日")) => prev_date_end.is_some(),
                _ => false,
            };
            if date {
                return Verdict::Skip(reason);
            }
        }
        let ci = self.clause_of(m.start);
        let clause = self.clauses[ci].0.clone();
        let before = self.slice(clause.start..m.start.max(clause.start));
        let after = self.slice(m.end.min(clause.end)..clause.end);
        // Local context: the last and first few characters around the number.
        let before_w = tail_chars(before, CONTEXT_CHARS);
        let after_w = head_chars(after, CONTEXT_CHARS);
        for (ri, rule) in r.skips.iter().enumerate() {
            if !rule.units.admits(r, m) {
                continue;
            }
            // The clause test is known already; the local patterns only run when it holds.
            if !clause_hits
                .get(ci)
                .and_then(|h| h.get(ri))
                .copied()
                .unwrap_or(true)
                || rule
                    .before
                    .as_ref()
                    .is_some_and(|re| !re.is_match(before_w))
                || rule.after.as_ref().is_some_and(|re| !re.is_match(after_w))
            {
                continue;
            }
            return Verdict::Skip(rule.reason);
        }
        let Some(kind) = kind else {
            return r
                .reason(Builtin::NoUnit)
                .map_or(Verdict::Open, Verdict::Skip);
        };
        // 十九届, 一期工程: a count of sessions only after a verb that holds them.
        if r.family(m)
            .and_then(|f| f.after_verbs.as_ref())
            .is_some_and(|w| !w.is_match(before))
        {
            return Verdict::passed_over(r.reason(Builtin::UnitName));
        }
        let by_kind = match kind {
            UnitKind::Spec => r.reason(Builtin::UnitSpec),
            UnitKind::Name => r.reason(Builtin::UnitName),
            UnitKind::Time => r.reason(Builtin::Duration),
            _ => None,
        };
        if let Some(reason) = by_kind {
            return Verdict::Skip(reason);
        }
        let next = after.chars().next();
        let noun_follows = next.is_some_and(|c| {
            (is_han(c)
                && !"的和及与或等以左上下约到至为是用给每"
                    .chars()
                    .any(|x| x == c))
                || c == '“'
        }) && !r.bound_after.as_ref().is_some_and(|re| re.is_match(after))
            && r.cue_re
                .as_ref()
                .and_then(|w| w.at(self.s, m.end))
                .is_none();
        if kind == UnitKind::Count
            && m.chinese
            && m.value == 1.0
            && m.value_max.is_none()
            && noun_follows
        {
            if let Some(reason) = r.reason(Builtin::Article) {
                return Verdict::Skip(reason);
            }
        }
        if matches!(kind, UnitKind::Amount | UnitKind::Rate) && noun_follows {
            if let Some(reason) = r.reason(Builtin::AmountBeforeANoun) {
                return Verdict::Skip(reason);
            }
        }
        // A list sums up a few items; its count is small (and counting stays cheap).
        let small = (2.0..=MAX_LIST_COUNT).contains(&m.value) && m.value.fract() == 0.0;
        if kind == UnitKind::Count && m.value_max.is_none() && small {
            if let Some(reason) = r.reason(Builtin::ListCount) {
                // The list ends right before the number; look no further back than it can be.
                let list = tail_chars(before.trim_end(), LIST_LOOKBACK_CHARS);
                let list = list.strip_suffix('等').unwrap_or(list);
                let last = list.rsplit('、').next().unwrap_or("");
                // `…数据共享中心等创新平台5个`: the number counts what follows the list.
                let counts_list = !last.contains('等');
                let joined = ["以及", "及", "和", "与"].iter().any(|c| last.contains(c));
                let items =
                    list.matches('、').count() + 1 + usize::from(joined && list.contains('、'));
                // The count of a list is no target when it qualifies another quantity
                // (`徐汇、黄浦等3个集聚区合计营收占…50%`) or names no thing (`四个到位`);
                // as the object of a verb it is one (`完成张江、金桥3个园区改造`).
                let qualifies = || {
                    self.mentions[k + 1..]
                        .iter()
                        .take_while(|n| n.start < clause.end)
                        .take(MAX_LIST_LOOKAHEAD)
                        .any(|n| {
                            matches!(
                                r.kind(n),
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
                if items > 1
                    && counts_list
                    && list.chars().next_back().is_some_and(is_han)
                    && items as f64 == m.value
                    && (!noun_follows || qualifies())
                {
                    return Verdict::Skip(reason);
                }
            }
        }
        Verdict::Open
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
            .map(|k| (t.slice(&k.span), k.reason.as_str()))
            .collect();
        assert!(skipped.contains(&("一期", "name")), "{skipped:?}");
        assert_eq!(got.targets.len(), 1);
        assert_eq!(t.slice(&got.targets[0].span), "5届");
    }
}
