//! Sets of literal words found in one pass, longest first: a cheaper stand-in for a regular
//! expression that is an alternation of words.
//!
//! Input: a list of words and where they must match (anywhere, at the start, at the end).
//! Output: [`WordSet`] with its matches ([`WordMatch`], which knows its word's index in the
//! list), and [`Matcher`] for a rule pattern given as a regular expression or as a word list.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use regex::Regex;

/// A pattern of a rule: a regular expression, or a list of literal words (cheaper to build).
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A regular expression.
    Regex(Regex),
    /// A list of literal words.
    Words(WordSet),
}

impl Matcher {
    /// Whether it matches somewhere in `t`.
    pub fn is_match(&self, t: &str) -> bool {
        match self {
            Matcher::Regex(re) => re.is_match(t),
            Matcher::Words(w) => w.is_match(t),
        }
    }

    /// Where the matches start.
    pub fn starts(&self, t: &str) -> Vec<usize> {
        match self {
            Matcher::Regex(re) => re.find_iter(t).map(|m| m.start()).collect(),
            Matcher::Words(w) => w.find_iter(t).iter().map(WordMatch::start).collect(),
        }
    }
}

/// Where a [`WordSet`] must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Anchor {
    /// Anywhere (`find_iter`).
    #[default]
    None,
    /// At the start, after spaces (like `^\s*(?:…)`).
    Start,
    /// At the end, before spaces (like `(?:…)\s*$`).
    End,
}

/// A set of literal words matched longest first: cheaper to build than a regular expression
/// with the same alternation. Aho-Corasick finds them anywhere or at a given place in one pass;
/// a map by last character finds them at the end.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    ac: Option<AhoCorasick>,
    /// For a set anchored nowhere: a SIMD searcher, when the CPU and the set's size allow one.
    packed: Option<Box<Packed>>,
    /// The index in the list given of each pattern of `ac`.
    ids: Vec<usize>,
    /// Words (with their index) by last character, longest first.
    by_last: CharMap<Vec<(String, usize)>>,
    anchor: Anchor,
}

/// A packed (Teddy) searcher for a set's unanchored searches, and the automaton its anchored
/// ones need, built on first need.
#[derive(Debug, Clone)]
struct Packed {
    searcher: aho_corasick::packed::Searcher,
    ac: std::sync::OnceLock<Option<AhoCorasick>>,
    words: Vec<String>,
}

/// A map from characters, built once: a bit set rejects most characters at once, a sorted
/// list finds the rest. Lookups happen for every character of a clause, so they must be cheap.
#[derive(Debug, Clone)]
struct CharMap<V> {
    keys: Vec<char>,
    vals: Vec<V>,
    /// Bit `c mod 65536` is set for every key `c`.
    bits: Vec<u64>,
}

impl<V> Default for CharMap<V> {
    fn default() -> Self {
        CharMap {
            keys: Vec::new(),
            vals: Vec::new(),
            bits: vec![0; 1024],
        }
    }
}

impl<V> CharMap<V> {
    fn from_map(m: HashMap<char, V>) -> Self {
        let mut pairs: Vec<(char, V)> = m.into_iter().collect();
        pairs.sort_by_key(|(c, _)| *c);
        let mut map = CharMap::default();
        for (c, v) in pairs {
            let h = (c as usize) & 0xFFFF;
            map.bits[h >> 6] |= 1 << (h & 63);
            map.keys.push(c);
            map.vals.push(v);
        }
        map
    }

    fn get(&self, c: char) -> Option<&V> {
        let h = (c as usize) & 0xFFFF;
        if self
            .bits
            .get(h >> 6)
            .is_none_or(|b| b & (1 << (h & 63)) == 0)
        {
            return None;
        }
        self.keys
            .binary_search(&c)
            .ok()
            .and_then(|i| self.vals.get(i))
    }
}

/// A match of a [`WordSet`].
#[derive(Debug, Clone, Copy)]
pub struct WordMatch<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    /// The index of the word in the list the set was made from.
    word: usize,
}

impl<'t> WordMatch<'t> {
    /// Where it starts, in bytes.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Where it ends, in bytes.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The text matched.
    pub fn as_str(&self) -> &'t str {
        self.text.get(self.start..self.end).unwrap_or("")
    }

    /// The index of its word in the list the set was made from.
    pub fn word(&self) -> usize {
        self.word
    }
}

impl WordSet {
    /// The set of `words` (empty ones left out) matched as `anchor` says; `None` when there
    /// is no word.
    pub fn new(words: &[String], anchor: Anchor) -> Option<Self> {
        Self::build(words, anchor, true)
    }

    /// A set; `packed` allows the SIMD searcher (tests compare the set without it).
    fn build(words: &[String], anchor: Anchor, packed: bool) -> Option<Self> {
        let mut last: HashMap<char, Vec<(String, usize)>> = HashMap::new();
        for (i, x) in words.iter().enumerate() {
            let Some(l) = x.chars().next_back() else {
                continue;
            };
            last.entry(l).or_default().push((x.clone(), i));
        }
        for v in last.values_mut() {
            v.sort_by_key(|x| std::cmp::Reverse(x.0.len()));
        }
        if last.is_empty() {
            return None;
        }
        let ids: Vec<usize> = (0..words.len()).filter(|&i| !words[i].is_empty()).collect();
        // Teddy finds these sets' words at a fraction of the automaton's cost on Chinese text,
        // where the automaton's prefilter (start or rare bytes) stops at most characters.
        let packed = match anchor {
            Anchor::None if packed => aho_corasick::packed::Config::new()
                .match_kind(aho_corasick::packed::MatchKind::LeftmostLongest)
                .builder()
                .extend(ids.iter().map(|&i| &words[i]))
                .build()
                .map(|searcher| {
                    Box::new(Packed {
                        searcher,
                        ac: std::sync::OnceLock::new(),
                        words: words.to_vec(),
                    })
                }),
            _ => None,
        };
        // Each automaton costs about 0.3M instructions at every start: a set read at the end
        // needs none (`by_last` answers it), one read at the start only anchored searches, for
        // which the simplest automaton to build does as well as any, and one with a packed
        // searcher waits for its first anchored search (`at`).
        let ac = match anchor {
            Anchor::End => None,
            Anchor::Start => Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Anchored)
                    .prefilter(false)
                    .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                    .build(ids.iter().map(|&i| &words[i]))
                    .ok()?,
            ),
            Anchor::None if packed.is_some() => None,
            Anchor::None => Some(Self::unanchored(&ids, words)?),
        };
        Some(WordSet {
            ac,
            packed,
            ids,
            by_last: CharMap::from_map(last),
            anchor,
        })
    }

    fn unanchored(ids: &[usize], words: &[String]) -> Option<AhoCorasick> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(ids.iter().map(|&i| &words[i]))
            .ok()
    }

    /// The automaton of the set, built on first need when a packed searcher does the rest.
    fn automaton(&self) -> Option<&AhoCorasick> {
        match (&self.ac, &self.packed) {
            (Some(ac), _) => Some(ac),
            (None, Some(p)) => {
                p.ac.get_or_init(|| Self::unanchored(&self.ids, &p.words))
                    .as_ref()
            }
            (None, None) => None,
        }
    }

    /// The longest word starting at byte `i` of `t` (a set not anchored at the end).
    pub fn at<'t>(&self, t: &'t str, i: usize) -> Option<WordMatch<'t>> {
        debug_assert!(
            self.anchor != Anchor::End,
            "a set read at the end has no automaton"
        );
        if !t.is_char_boundary(i) || i >= t.len() {
            return None;
        }
        let input = Input::new(t).span(i..t.len()).anchored(Anchored::Yes);
        let m = self.automaton()?.find(input)?;
        Some(self.word_match(t, &m))
    }

    fn word_match<'t>(&self, t: &'t str, m: &aho_corasick::Match) -> WordMatch<'t> {
        WordMatch {
            text: t,
            start: m.start(),
            end: m.end(),
            word: self.ids.get(m.pattern().as_usize()).copied().unwrap_or(0),
        }
    }

    /// The match, by the set's anchor (for `None`, the first one).
    pub fn find<'t>(&self, t: &'t str) -> Option<WordMatch<'t>> {
        match self.anchor {
            Anchor::Start => {
                let lead = t.len() - t.trim_start().len();
                let w = self.at(t, lead)?;
                Some(WordMatch { start: 0, ..w })
            }
            Anchor::End => {
                let body = t.trim_end();
                let c = body.chars().next_back()?;
                let w = self
                    .by_last
                    .get(c)?
                    .iter()
                    .find(|w| body.ends_with(w.0.as_str()))?;
                Some(WordMatch {
                    text: t,
                    start: body.len() - w.0.len(),
                    end: t.len(),
                    word: w.1,
                })
            }
            Anchor::None => {
                let m = match &self.packed {
                    Some(p) => p.searcher.find(t)?,
                    None => self.ac.as_ref()?.find(t)?,
                };
                Some(self.word_match(t, &m))
            }
        }
    }

    /// Whether the set matches `t` (as [`WordSet::find`]).
    pub fn is_match(&self, t: &str) -> bool {
        self.find(t).is_some()
    }

    /// Every match, leftmost first, longest at each place, not overlapping (a set anchored
    /// nowhere).
    pub fn find_iter<'t>(&self, t: &'t str) -> Vec<WordMatch<'t>> {
        debug_assert!(
            self.anchor == Anchor::None,
            "only a set anchored nowhere is searched"
        );
        if let Some(p) = &self.packed {
            return p
                .searcher
                .find_iter(t)
                .map(|m| self.word_match(t, &m))
                .collect();
        }
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        ac.find_iter(t).map(|m| self.word_match(t, &m)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The SIMD searcher finds what the automaton finds: every match, the first one, and
        /// the word at each place.
        #[test]
        fn word_sets_agree_without_the_packed_searcher(
            words in proptest::collection::vec("[建成区新和及a1]{0,4}", 1..12),
            text in "[建成区新和及a1 ,]{0,40}",
        ) {
            let (Some(fast), Some(slow)) = (
                WordSet::build(&words, Anchor::None, true),
                WordSet::build(&words, Anchor::None, false),
            ) else {
                return Ok(());
            };
            let key = |m: &WordMatch| (m.start(), m.end(), m.word);
            let all = |w: &WordSet| w.find_iter(&text).iter().map(key).collect::<Vec<_>>();
            proptest::prop_assert_eq!(all(&fast), all(&slow));
            proptest::prop_assert_eq!(fast.find(&text).map(|m| key(&m)), slow.find(&text).map(|m| key(&m)));
            for i in 0..text.len() {
                proptest::prop_assert_eq!(fast.at(&text, i).map(|m| key(&m)), slow.at(&text, i).map(|m| key(&m)));
            }
        }
    }

    /// The words a set finds in `t`, in order.
    fn found<'t>(w: &WordSet, t: &'t str) -> Vec<&'t str> {
        w.find_iter(t).iter().map(WordMatch::as_str).collect()
    }

    #[test]
    fn word_sets_use_the_packed_searcher_when_they_can() {
        let list: Vec<String> = ["每年度", "每年", "逐年"].map(String::from).to_vec();
        let w = WordSet::new(&list, Anchor::None).unwrap();
        // Teddy needs SIMD (SSSE3 or AVX2 here, NEON on aarch64); without, the automaton.
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            assert!(w.packed.is_some() && w.ac.is_none());
        }
        assert_eq!(found(&w, "每年度计划,逐年每年"), ["每年度", "逐年", "每年"]);
        // The automaton for `at` is built on first need.
        assert_eq!(w.at("计划每年", "计划".len()).map(|m| m.word), Some(1));
    }

    #[test]
    fn word_sets_match_longest_first() {
        let w =
            |v: &[&str], a| WordSet::new(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>(), a);
        let any = w(&["建成", "建成区", "新建"], Anchor::None).unwrap();
        assert_eq!(found(&any, "新建建成区和建成"), ["新建", "建成区", "建成"]);
        let end = w(&["低于", "不低于"], Anchor::End).unwrap();
        let m = end.find("比例不低于 ").unwrap();
        assert_eq!((m.as_str(), m.start()), ("不低于 ", "比例".len()));
        let start = w(&["以上", "及以上"], Anchor::Start).unwrap();
        assert_eq!(
            start.find(" 及以上的").map(|m| m.end()),
            Some(" 及以上".len())
        );
        assert!(start.find("上以").is_none());
        assert!(w(&[], Anchor::None).is_none());
    }

    #[test]
    fn char_maps() {
        let m = CharMap::from_map(HashMap::from([('个', 1), ('a', 2), ('😀', 3)]));
        assert_eq!(
            (m.get('个'), m.get('a'), m.get('😀'), m.get('家')),
            (Some(&1), Some(&2), Some(&3), None)
        );
    }

    #[test]
    fn word_matches_know_their_word() {
        let list: Vec<String> = ["", "达到", "达", "直达"]
            .iter()
            .map(|x| x.to_string())
            .collect();
        let w = WordSet::new(&list, Anchor::None).unwrap();
        let got: Vec<(&str, usize)> = w
            .find_iter("直达达到达")
            .iter()
            .map(|m| (m.as_str(), m.word))
            .collect();
        // Indices are those of the list given, empty words included.
        assert_eq!(got, [("直达", 3), ("达到", 1), ("达", 2)]);
        assert_eq!(w.at("达到5", 0).map(|m| m.word), Some(1));
        let end = WordSet::new(&list, Anchor::End).unwrap();
        assert_eq!(end.find("规模达").map(|m| m.word), Some(2));
    }
}
