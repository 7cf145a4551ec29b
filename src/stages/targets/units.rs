//! What unit a text starts with: the unit families and forms of `rules/units.toml`.
//!
//! Input: `units.toml`, then a text right after a number. Output: the [`Form`] written there
//! (magnitude prefix included), its [`Family`] and [`UnitKind`], and the value in the
//! family's base unit.

use super::*;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::base::numbers;
use crate::base::rule_file::{RuleSource, RulesError};
use crate::base::word_set::{Anchor, WordSet};

/// How the stage treats a family of units (see `rules/units.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// Money, mass, energy, volume: before a noun, a specification.
    Amount,
    /// Length, area: before a noun, the object's size.
    Extent,
    /// Things, people, events.
    Count,
    /// `%`, `‰`.
    Percent,
    /// `个百分点`.
    Points,
    /// Concentrations, intensities.
    Rate,
    /// Never a target (`千伏`, `级`).
    Spec,
    /// A date or a duration.
    Time,
    /// Part of a name (`十大`, `8号`).
    Name,
}

impl UnitKind {
    /// The kind `units.toml` and the `units` filters name so.
    fn from_name(name: &str) -> Option<UnitKind> {
        Some(match name {
            "amount" => UnitKind::Amount,
            "extent" => UnitKind::Extent,
            "count" => UnitKind::Count,
            "percent" => UnitKind::Percent,
            "points" => UnitKind::Points,
            "rate" => UnitKind::Rate,
            "spec" => UnitKind::Spec,
            "time" => UnitKind::Time,
            "name" => UnitKind::Name,
            _ => return None,
        })
    }
}

/// The numbers a rule applies to (`units = ["count", "things"]`): those whose unit is of one
/// of the kinds or families named; every number when none is.
#[derive(Debug, Clone, Default)]
pub(super) struct UnitFilter {
    kinds: Vec<UnitKind>,
    /// Indices into [`TargetRules::families`].
    families: Vec<usize>,
}

impl UnitFilter {
    /// The filter of `names`, each a unit kind or the name of one of `families`; the first
    /// name that is neither is the error.
    pub(super) fn read<'n>(names: &'n [String], families: &[Family]) -> Result<Self, &'n str> {
        let mut filter = UnitFilter::default();
        for name in names {
            let kind = UnitKind::from_name(name);
            filter.kinds.extend(kind);
            let before = filter.families.len();
            filter.families.extend(
                (0..families.len()).filter(|&i| families.get(i).is_some_and(|f| f.name == *name)),
            );
            if kind.is_none() && filter.families.len() == before {
                return Err(name);
            }
        }
        Ok(filter)
    }

    /// Whether the filter names anything.
    pub(super) fn is_empty(&self) -> bool {
        self.kinds.is_empty() && self.families.is_empty()
    }

    /// Whether mention `m` passes: its unit is of a kind or family named, or none is named.
    pub(super) fn admits(&self, rules: &TargetRules, m: &Mention) -> bool {
        if self.is_empty() {
            return true;
        }
        let Some(family) = m.form.as_ref().map(|f| f.family) else {
            return false;
        };
        self.families.contains(&family)
            || rules
                .families
                .get(family)
                .is_some_and(|f| self.kinds.contains(&f.kind))
    }
}

/// One surface form of a unit, magnitude prefix included.
#[derive(Debug, Clone)]
pub(super) struct Form {
    pub(super) text: Arc<str>,
    pub(super) family: usize,
    /// Power of ten of the magnitude prefix.
    pub(super) exp: i32,
    /// Factor to the family's base unit.
    pub(super) factor: f64,
    pub(super) not_before: Arc<[String]>,
    pub(super) latin_end: bool,
    pub(super) prefixed: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Family {
    pub(super) name: String,
    pub(super) kind: UnitKind,
    pub(super) base: Option<String>,
    /// Verbs one of which must stand before the number in its clause for the unit to
    /// count (`举办培训班2期`); without, the number is part of a name (`十九届`, `一期工程`).
    pub(super) after_verbs: Option<WordSet>,
}

/// Unit forms as a trie of their characters: the forms that begin a text lie on one path,
/// longer ones deeper, so a lookup reads a few characters instead of comparing every form
/// that shares the first (with magnitude prefixes, some 150 begin with `万`).
#[derive(Debug, Clone, Default)]
pub(super) struct FormIndex {
    pub(super) forms: Vec<Form>,
    /// Per form, the next form of its node (`u32::MAX`: none).
    pub(super) next: Vec<u32>,
    nodes: Vec<FormNode>,
}

/// A node of [`FormIndex`].
#[derive(Debug, Clone)]
struct FormNode {
    /// Children by character, sorted.
    children: Vec<(char, u32)>,
    /// The first and last form that ends here.
    pub(super) first: u32,
    pub(super) last: u32,
}

impl Default for FormNode {
    fn default() -> Self {
        FormNode {
            children: Vec::new(),
            first: NO_FORM,
            last: NO_FORM,
        }
    }
}

const NO_FORM: u32 = u32::MAX;

impl FormIndex {
    /// The forms; forms of one text keep their order.
    pub(super) fn new(forms: Vec<Form>) -> Self {
        // Leaves, most nodes, allocate nothing: a node's forms are a chain in one list.
        let mut nodes: Vec<FormNode> = Vec::with_capacity(forms.len() * 2);
        nodes.push(FormNode::default());
        let mut next = vec![NO_FORM; forms.len()];
        for (i, f) in forms.iter().enumerate() {
            let mut node = 0;
            for c in f.text.chars() {
                let fresh = nodes.len() as u32;
                let children = &mut nodes[node].children;
                node = match children.binary_search_by_key(&c, |x| x.0) {
                    Ok(k) => children[k].1 as usize,
                    Err(k) => {
                        children.insert(k, (c, fresh));
                        nodes.push(FormNode::default());
                        fresh as usize
                    }
                };
            }
            let i = i as u32;
            let n = &mut nodes[node];
            match n.last {
                NO_FORM => n.first = i,
                l => next[l as usize] = i,
            }
            n.last = i;
        }
        FormIndex { forms, next, nodes }
    }

    /// The longest form that begins `s` and for which `ok(form, rest of s)` holds; at equal
    /// text, the first.
    pub(super) fn find(&self, s: &str, ok: &impl Fn(&Form, &str) -> bool) -> Option<&Form> {
        self.find_from(0, s, 0, ok)
    }

    fn find_from(
        &self,
        node: usize,
        s: &str,
        at: usize,
        ok: &impl Fn(&Form, &str) -> bool,
    ) -> Option<&Form> {
        let FormNode {
            children, first, ..
        } = self.nodes.get(node)?;
        let rest = s.get(at..)?;
        if let Some(c) = rest.chars().next() {
            if let Ok(k) = children.binary_search_by_key(&c, |x| x.0) {
                let deeper = self.find_from(children[k].1 as usize, s, at + c.len_utf8(), ok);
                if deeper.is_some() {
                    return deeper;
                }
            }
        }
        let mut i = *first;
        while let Some(f) = self.forms.get(i as usize) {
            if ok(f, rest) {
                return Some(f);
            }
            i = self.next[i as usize];
        }
        None
    }
}

impl TargetRules {
    pub(super) fn unit_at(&self, s: &str) -> Option<&Form> {
        self.forms.find(s, &|f, rest| {
            if f.not_before.iter().any(|w| rest.starts_with(w.as_str())) {
                return false;
            }
            !(f.latin_end
                && rest
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric()))
        })
    }

    /// A unit after optional whitespace: the whitespace's length and the form.
    pub(super) fn unit_after_space(&self, s: &str) -> Option<(usize, &Form)> {
        let trimmed = s.trim_start_matches([' ', '\t', '\n', '\r']);
        let ws = s.len() - trimmed.len();
        if ws > 0 && !self.enabled(Builtin::LineBreakBeforeUnit) {
            return None;
        }
        self.unit_at(trimmed).map(|f| (ws, f))
    }

    pub(super) fn family(&self, m: &Mention) -> Option<&Family> {
        m.form.as_ref().and_then(|f| self.families.get(f.family))
    }

    pub(super) fn kind(&self, m: &Mention) -> Option<UnitKind> {
        self.family(m).map(|f| f.kind)
    }

    pub(super) fn si(&self, m: &Mention) -> Option<(f64, String)> {
        let f = m.form.as_ref()?;
        let base = self.families.get(f.family)?.base.clone()?;
        let scaled: f64 = format!("{}e{}", numbers::format_number(m.value), f.exp)
            .parse()
            .ok()?;
        let si = scaled * f.factor;
        // A figure too large for a float has no base value (JSON has no infinity).
        si.is_finite().then_some((si, base))
    }
}

// ------------------------------------------------------------------------------------------
// units.toml

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnits {
    #[serde(default)]
    prefix: Vec<RawPrefix>,
    #[serde(default)]
    unit: Vec<RawFamily>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrefix {
    text: Spanned<String>,
    exp: i32,
    #[serde(default)]
    examples: Vec<UnitExample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFamily {
    name: Spanned<String>,
    kind: UnitKind,
    base: Option<String>,
    #[serde(default)]
    prefixes: bool,
    forms: Vec<RawForm>,
    #[serde(default)]
    not_before: Vec<String>,
    #[serde(default)]
    after_verbs: Vec<String>,
    #[serde(default)]
    examples: Vec<UnitExample>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawForm {
    Text(String),
    Full(RawFormFull),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormFull {
    text: String,
    #[serde(default = "one")]
    factor: f64,
    not_before: Option<Vec<String>>,
}

pub(super) fn one() -> f64 {
    1.0
}

pub(super) fn compile_units(src: &RuleSource, rules: &mut TargetRules) -> Result<(), RulesError> {
    let raw: RawUnits = src.parse()?;
    let mut forms: Vec<Form> = Vec::new();
    let mut prefixes: Vec<(String, i32)> = Vec::new();
    for p in raw.prefix {
        let text = p.text.get_ref().clone();
        if text.is_empty() || numbers::magnitude(&text) != Some(p.exp) {
            return Err(src.error(
                Some(p.text.span()),
                Some(&text),
                format!("prefix `{text}` is not a magnitude of 10^{}", p.exp),
            ));
        }
        for ex in p.examples {
            rules.unit_examples.push((format!("prefix {text}"), ex));
        }
        prefixes.push((text, p.exp));
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for f in raw.unit {
        let name = f.name.get_ref().clone();
        let family = rules.families.len();
        let verbs: Vec<String> = f
            .after_verbs
            .iter()
            .map(|v| crate::base::text::normalize_str(v))
            .collect();
        rules.families.push(Family {
            name: name.clone(),
            kind: f.kind,
            base: f.base.clone(),
            after_verbs: WordSet::new(&verbs, Anchor::None),
        });
        for form in f.forms {
            let (text, factor, not_before) = match form {
                RawForm::Text(t) => (t, 1.0, f.not_before.clone()),
                RawForm::Full(x) => (
                    x.text,
                    x.factor,
                    x.not_before.unwrap_or_else(|| f.not_before.clone()),
                ),
            };
            let text = crate::base::text::normalize_str(&text);
            if text.is_empty() {
                return Err(src.error(Some(f.name.span()), Some(&name), "empty unit form".into()));
            }
            let mut variants = vec![(text.clone(), 0, false)];
            if f.prefixes {
                for (p, e) in &prefixes {
                    variants.push((format!("{p}{text}"), *e, true));
                }
            }
            for (t, exp, prefixed) in variants {
                if !prefixed {
                    if let Some(other) = seen.insert(t.clone(), name.clone()) {
                        return Err(src.error(
                            Some(f.name.span()),
                            Some(&name),
                            format!("unit form `{t}` is also in family `{other}`"),
                        ));
                    }
                }
                let latin_end = t.chars().last().is_some_and(|c| c.is_ascii_alphanumeric());
                forms.push(Form {
                    text: t.into(),
                    family,
                    exp,
                    factor,
                    not_before: not_before.clone().into(),
                    latin_end,
                    prefixed,
                });
            }
        }
        for ex in f.examples {
            rules.unit_examples.push((name.clone(), ex));
        }
    }
    rules.rate_family = rules.families.iter().position(|f| f.kind == UnitKind::Rate);
    // At equal text, a form as listed before one made with a prefix.
    forms.sort_by_key(|f| f.prefixed);
    rules.forms = FormIndex::new(forms);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_kinds_are_named_as_units_toml_writes_them() {
        #[derive(Deserialize)]
        struct One {
            kind: UnitKind,
        }
        for name in [
            "amount", "extent", "count", "percent", "points", "rate", "spec", "time", "name",
        ] {
            let read: One = toml::from_str(&format!("kind = \"{name}\"")).unwrap();
            assert_eq!(UnitKind::from_name(name), Some(read.kind));
        }
        assert_eq!(UnitKind::from_name("things"), None);
    }

    #[test]
    fn unit_filters_name_kinds_and_families() {
        let rules = crate::rules::Rules::embedded().expect("embedded rules");
        let r = rules.targets();
        let names = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let first = |s: &str| {
            let text = Text::new(s.to_string());
            let para = Para::new(r, &text, text.norm(), 0);
            para.mentions[0].clone()
        };
        let (people, tons, bare) = (first("100人"), first("5万吨"), first("9"));
        let count = UnitFilter::read(&names(&["count"]), &r.families).unwrap();
        assert!(count.admits(r, &people) && !count.admits(r, &tons) && !count.admits(r, &bare));
        let mass = UnitFilter::read(&names(&["mass", "percent"]), &r.families).unwrap();
        assert!(mass.admits(r, &tons) && !mass.admits(r, &people));
        let any = UnitFilter::read(&[], &r.families).unwrap();
        assert!(any.is_empty() && any.admits(r, &bare));
        assert_eq!(
            UnitFilter::read(&names(&["count", "litres"]), &r.families).unwrap_err(),
            "litres"
        );
    }

    proptest::proptest! {
        /// The index finds what comparing every form, longest first, finds.
        #[test]
        fn form_index_agrees_with_the_sorted_list(
            texts in proptest::collection::vec("[万吨元a亿]{1,4}", 1..16),
            s in "[万吨元a亿 ]{0,8}",
        ) {
            let forms: Vec<Form> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| Form {
                    text: t.as_str().into(),
                    family: i,
                    exp: 0,
                    factor: 1.0,
                    not_before: Arc::new([]),
                    latin_end: false,
                    prefixed: false,
                })
                .collect();
            // A condition on the form and the rest, as `not_before` is.
            let ok = |f: &Form, rest: &str| f.family % 3 != 0 || !rest.starts_with('元');
            let mut sorted = forms.clone();
            sorted.sort_by_key(|f| std::cmp::Reverse(f.text.len()));
            let want = sorted
                .iter()
                .find(|f| s.strip_prefix(&*f.text).is_some_and(|rest| ok(f, rest)))
                .map(|f| f.family);
            let index = FormIndex::new(forms);
            proptest::prop_assert_eq!(index.find(&s, &ok).map(|f| f.family), want);
        }
    }
}
