//! Why a number is not a target, before its commitment is looked at: it is left out, part of a
//! name, a date, a specification, a count of a list, a threshold, … (the builtin rules and the
//! `skip` rules of `rules/targets.toml`).
//!
//! Input: a paragraph's numbers, in their clauses. Output: for each number, open (still to be
//! read as a target), left out, or passed over with a reason.

use super::*;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::base::word_set::Matcher;

/// Structural rules implemented here, with the reason they give by default (if they skip).
pub(super) const BUILTINS: &[(&str, Option<SkipReason>)] = &[
    ("quoted-name", Some(SkipReason::Name)),
    ("alphanumeric", Some(SkipReason::Name)),
    ("date", Some(SkipReason::Date)),
    ("document-number", Some(SkipReason::DocumentNumber)),
    ("no-unit", Some(SkipReason::NoUnit)),
    ("unit-spec", Some(SkipReason::Specification)),
    ("unit-name", Some(SkipReason::Name)),
    ("duration", Some(SkipReason::Duration)),
    ("article", Some(SkipReason::Article)),
    ("amount-before-a-noun", Some(SkipReason::Specification)),
    ("list-count", Some(SkipReason::Indicator)),
    ("population-share", Some(SkipReason::Threshold)),
    ("commitment", Some(SkipReason::NoCommitment)),
    ("past-year", Some(SkipReason::NoCommitment)),
    ("paragraph-deadline", None),
    ("continued-clause", None),
    ("line-break-before-unit", None),
];

/// The position of a builtin in [`BUILTINS`] (its length when there is none).
pub(super) const fn builtin(name: &str) -> usize {
    let mut i = 0;
    while i < BUILTINS.len() {
        let b = BUILTINS[i].0.as_bytes();
        let n = name.as_bytes();
        if b.len() == n.len() {
            let mut j = 0;
            while j < b.len() && b[j] == n[j] {
                j += 1;
            }
            if j == b.len() {
                return i;
            }
        }
        i += 1;
    }
    BUILTINS.len()
}

/// A builtin's index as a constant, `b!("unit-name")`: a misspelt name does not compile.
macro_rules! b {
    ($name:literal) => {
        const {
            let i = builtin($name);
            assert!(i < BUILTINS.len(), "not a builtin rule");
            i
        }
    };
}

pub(super) use b;

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
    pub(super) units: Vec<String>,
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
    /// Whether builtin `i` (see [`b!`]) is on.
    pub(super) fn enabled(&self, i: usize) -> bool {
        self.builtins.get(i).is_some_and(Option::is_some)
    }

    /// The reason builtin `i` gives, when it is on and gives one.
    pub(super) fn reason(&self, i: usize) -> Option<SkipReason> {
        self.builtins.get(i).copied().flatten().flatten()
    }
}

impl Para<'_> {
    /// Why a number is not a target, before looking at commitment.
    pub(super) fn first_skip(
        &self,
        k: usize,
        exclude: &[ByteSpan],
        clause_hits: &[Vec<bool>],
    ) -> Option<Option<SkipReason>> {
        let r = self.rules;
        let m = &self.mentions[k];
        let (g0, g1) = (self.base + m.start, self.base + m.end);
        if exclude.iter().any(|e| e.start < g1 && g0 < e.end) {
            return Some(None);
        }
        if m.unread {
            return Some(r.reason(b!("unit-name")));
        }
        if self.in_name(m.start) {
            if let Some(reason) = r.reason(b!("quoted-name")) {
                return Some(Some(reason));
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
            if let Some(reason) = r.reason(b!("alphanumeric")) {
                return Some(Some(reason));
            }
        }
        let kind = r.kind(m);
        let form = m.form.as_ref().map(|f| &*f.text);
        // 文号: [2024]3号
        if let Some(reason) = r.reason(b!("document-number")) {
            let next_char = self.slice(m.end..self.s.len()).chars().next();
            if (m.year_like
                && m.form.is_none()
                && matches!(before_char, Some('['))
                && matches!(next_char, Some(']')))
                || (form == Some("号") && matches!(before_char, Some(']' | ')')))
            {
                return Some(Some(reason));
            }
        }
        if let Some(reason) = r.reason(b!("date")) {
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
                return Some(Some(reason));
            }
        }
        let ci = self.clause_of(m.start);
        let clause = self.clauses[ci].0.clone();
        let before = self.slice(clause.start..m.start.max(clause.start));
        let after = self.slice(m.end.min(clause.end)..clause.end);
        let fam = r.family(m).map(|f| f.name.as_str());
        // Local context: the last and first few characters around the number.
        let before_w = tail_chars(before, CONTEXT_CHARS);
        let after_w = head_chars(after, CONTEXT_CHARS);
        for (ri, rule) in r.skips.iter().enumerate() {
            if !rule.units.is_empty()
                && !rule.units.iter().any(|u| {
                    Some(u.as_str()) == kind.map(UnitKind::as_str) || Some(u.as_str()) == fam
                })
            {
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
            return Some(Some(rule.reason));
        }
        let Some(kind) = kind else {
            return r.reason(b!("no-unit")).map(Some);
        };
        // 十九届, 一期工程: a count of sessions only after a verb that holds them.
        if r.family(m)
            .and_then(|f| f.after_verbs.as_ref())
            .is_some_and(|w| !w.is_match(before))
        {
            return Some(r.reason(b!("unit-name")));
        }
        let by_kind = match kind {
            UnitKind::Spec => r.reason(b!("unit-spec")),
            UnitKind::Name => r.reason(b!("unit-name")),
            UnitKind::Time => r.reason(b!("duration")),
            _ => None,
        };
        if by_kind.is_some() {
            return Some(by_kind);
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
            if let Some(reason) = r.reason(b!("article")) {
                return Some(Some(reason));
            }
        }
        if matches!(kind, UnitKind::Amount | UnitKind::Rate) && noun_follows {
            if let Some(reason) = r.reason(b!("amount-before-a-noun")) {
                return Some(Some(reason));
            }
        }
        // A list sums up a few items; its count is small (and counting stays cheap).
        let small = (2.0..=MAX_LIST_COUNT).contains(&m.value) && m.value.fract() == 0.0;
        if kind == UnitKind::Count && m.value_max.is_none() && small {
            if let Some(reason) = r.reason(b!("list-count")) {
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
                    return Some(Some(reason));
                }
            }
        }
        None
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
