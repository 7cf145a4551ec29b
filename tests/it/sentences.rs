//! The shared sentence splitter (`base::sentence`) against UAX #29's sentence bounds
//! (`unicode-segmentation`), on every fixture and unseen document: every place where the two
//! disagree falls in one of the kinds the splitter's documentation gives, and the counts of
//! each kind are what docs/accuracy.md reports.

use std::collections::BTreeMap;

use unicode_segmentation::UnicodeSegmentation;
use zhengce::base::sentence;
use zhengce::base::text::normalize_str;

use crate::common;

/// Why the two splitters disagree at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// UAX #29 breaks after the `.` of a numbered marker (`1.大力发展`, `(2).`): wrong here.
    MarkerDot,
    /// UAX #29 breaks after another ASCII `.` (`附件1.` in running text, `等.`).
    OtherDot,
    /// Only here: `…` ends a sentence (UAX #29 has it as no sentence end).
    Ellipsis,
    /// UAX #29 takes an opening bracket or quote after a sentence end into that sentence
    /// (its Close class holds opening punctuation too): `…左右。(牵头部门…)` ends before `(`.
    Opener,
    /// Anything else: the test fails and lists it.
    Other,
}

/// Sentence ends as character offsets of a line, by UAX #29 and by the shared splitter.
fn ends(line: &str) -> (Vec<usize>, Vec<usize>) {
    let char_at = |s: &str, byte: usize| s[..byte].chars().count();
    let uax: Vec<usize> = line
        .split_sentence_bound_indices()
        .map(|(i, s)| char_at(line, i + s.len()))
        .collect();
    let norm = normalize_str(line);
    assert_eq!(norm.chars().count(), line.chars().count(), "{line}");
    let ours: Vec<usize> = sentence::sentences(&norm)
        .into_iter()
        .map(|r| char_at(&norm, r.end))
        .collect();
    (uax, ours)
}

const OPENERS: &str = "(（[【“‘《「『〔";

fn kind(line: &[char], at: usize, only_uax: bool) -> Kind {
    // UAX #29 counts trailing spaces into the sentence: look at the last non-space before.
    let mut i = at;
    while i > 0 && line[i - 1].is_whitespace() {
        i -= 1;
    }
    let last = i.checked_sub(1).map(|k| line[k]);
    let before = i.checked_sub(2).map(|k| line[k]);
    let opener = |c: Option<&char>| c.is_some_and(|c| OPENERS.contains(*c));
    if (only_uax && opener(last.as_ref())) || (!only_uax && opener(line.get(at))) {
        return Kind::Opener;
    }
    match (only_uax, last) {
        (true, Some('.' | '．')) => {
            let marker = before.is_some_and(|c| c.is_ascii_digit() || c == ')' || c == '）')
                && line[..i - 1]
                    .iter()
                    .all(|c| c.is_ascii_digit() || c.is_whitespace() || "()（）".contains(*c));
            if marker {
                Kind::MarkerDot
            } else {
                Kind::OtherDot
            }
        }
        (false, Some('…')) => Kind::Ellipsis,
        (false, _) if line[..at].last() == Some(&'…') => Kind::Ellipsis,
        _ => Kind::Other,
    }
}

#[test]
fn uax29_and_the_shared_splitter_differ_only_where_documented() {
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut other = Vec::new();
    let mut agree = 0usize;
    let files: Vec<_> = common::fixtures()
        .into_iter()
        .chain(common::unseen())
        .collect();
    assert!(files.len() >= 30, "{} documents", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for line in text.lines() {
            let (uax, ours) = ends(line);
            let chars: Vec<char> = line.chars().collect();
            // UAX #29 takes trailing spaces into a sentence; compare where the text ends.
            let trim = |v: Vec<usize>| -> Vec<usize> {
                v.into_iter()
                    .map(|mut e| {
                        while e > 0 && chars[e - 1].is_whitespace() {
                            e -= 1;
                        }
                        e
                    })
                    .filter(|&e| e > 0)
                    .collect()
            };
            let (uax, ours) = (trim(uax), trim(ours));
            for &e in &uax {
                if ours.contains(&e) {
                    agree += 1;
                } else {
                    let k = kind(&chars, e, true);
                    *counts.entry(k).or_default() += 1;
                    if k == Kind::Other {
                        other.push(format!("{}: UAX only at {e}: {line}", common::short(path)));
                    }
                }
            }
            for &e in ours.iter().filter(|e| !uax.contains(e)) {
                let k = kind(&chars, e, false);
                *counts.entry(k).or_default() += 1;
                if k == Kind::Other {
                    other.push(format!("{}: ours only at {e}: {line}", common::short(path)));
                }
            }
        }
    }
    eprintln!("sentence ends agreed: {agree}; differences: {counts:?}");
    assert!(agree > 1000, "{agree}");
    assert!(
        other.is_empty(),
        "{} differences of no documented kind:\n{}",
        other.len(),
        other
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
