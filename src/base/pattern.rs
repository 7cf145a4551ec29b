//! Rule patterns, compiled for the way the rules use them.
//!
//! Input: a pattern in the syntax of the `regex` crate. Output: a [`Pattern`] that matches
//! exactly as `regex::Regex` does, with its groups read through [`Caps`].
//!
//! Rules compile dozens of patterns at every start, and each is only ever asked about the first
//! match in a line or a short text: whether there is one, and what its groups hold. So a
//! pattern is compiled forward only: a Thompson NFA (one compiler reused per thread, so its
//! UTF-8 tables are filled once), a lazy DFA that answers whether there is a match and where
//! it ends, and the engines that read the groups over the text up to that end: a one-pass DFA
//! for a pattern anchored at the start (`^…`, built when a match first needs it), else the
//! bounded backtracker or, for long texts, the PikeVM. `regex` would also build reverse
//! automata and prefilters over the literals a match can begin with, which find where a match
//! starts faster in long texts: for the rules' patterns about 60% of its compile time, in texts
//! a line long. Here a pattern anchored at the start is not run on a line whose first byte no
//! match can begin with, and one that may match anywhere but always begins with one literal
//! gets a memmem prefilter, cheap to build. What `regex` turns away as too large is turned
//! away here too. Tests compare every answer with `regex::Regex` on every fixture line and on
//! generated patterns, and the `pattern` fuzz target on arbitrary ones.

use std::fmt;
use std::sync::{Arc, OnceLock};

use regex_automata::dfa::onepass;
use regex_automata::hybrid;
use regex_automata::nfa::thompson::{self, NFA, backtrack, pikevm};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::{Hir, Look};

/// What `regex` allows a compiled pattern by default: 10 MiB of NFA, 2 MiB of lazy DFA cache.
const NFA_SIZE_LIMIT: usize = 10 * (1 << 20);
const DFA_CACHE_CAPACITY: usize = 2 * (1 << 20);

/// A compiled rule pattern; cheap to clone and share across threads.
#[derive(Clone)]
pub struct Pattern(Arc<Compiled>);

struct Compiled {
    source: String,
    nfa: NFA,
    /// `None` when the NFA is too large for the cache limit; the NFA engines answer then.
    dfa: Option<hybrid::dfa::DFA>,
    backtrack: backtrack::BoundedBacktracker,
    pikevm: pikevm::PikeVM,
    caches: Pool<Caches, CacheFn>,
    /// Set when every match starts at the start of the text.
    anchored: Option<AnchoredStart>,
}

/// What a pattern anchored at the start has besides.
struct AnchoredStart {
    /// The bytes a match can begin with, when they are few.
    bytes: Option<StartBytes>,
    onepass: OnceLock<Option<onepass::DFA>>,
}

/// Why a pattern did not compile: the message of the syntax or size error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PatternError(String);

type CacheFn =
    Box<dyn Fn() -> Caches + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// One thread's scratch space for a pattern's engines, each made when first used.
#[derive(Default)]
struct Caches {
    dfa: Option<hybrid::dfa::Cache>,
    onepass: Option<onepass::Cache>,
    backtrack: Option<backtrack::Cache>,
    pikevm: Option<pikevm::Cache>,
}

thread_local! {
    /// Reused for every pattern compiled on a thread: a compiler keeps its UTF-8 tables
    /// (320 kB, filled at creation) between patterns.
    static COMPILER: thompson::Compiler = {
        let mut c = thompson::Compiler::new();
        c.configure(thompson::Config::new().nfa_size_limit(Some(NFA_SIZE_LIMIT)));
        c
    };
}

impl Pattern {
    /// Compiles `pattern` with the `regex` crate's defaults.
    ///
    /// # Errors
    /// A syntax error, or a pattern too large for the size limit `regex` sets by default; the
    /// messages are those `regex` gives.
    pub fn new(pattern: &str) -> Result<Pattern, PatternError> {
        let error = |e: &dyn fmt::Display| PatternError(e.to_string());
        let hir = regex_syntax::Parser::new()
            .parse(pattern)
            .map_err(|e| error(&e))?;
        let nfa = COMPILER.with(|c| c.build_from_hir(&hir).map_err(too_big))?;
        // `regex` holds its reverse NFA to the limit too, and that one can be twice the size:
        // a pattern whose forward NFA is a sizeable part of the limit is built in reverse as
        // well, so that what `regex` turns away is turned away here.
        if nfa.memory_usage() > NFA_SIZE_LIMIT / 8 {
            thompson::Compiler::new()
                .configure(
                    thompson::Config::new()
                        .nfa_size_limit(Some(NFA_SIZE_LIMIT))
                        .reverse(true)
                        .which_captures(thompson::WhichCaptures::None),
                )
                .build_from_hir(&hir)
                .map_err(too_big)?;
        }
        let anchored = hir.properties().look_set_prefix().contains(Look::Start);
        let pre = if anchored {
            None
        } else {
            literal_prefilter(&hir)
        };
        // As the meta engine of `regex` configures its lazy DFA, so that it gives up where
        // that one would.
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::LeftmostFirst)
                    .prefilter(pre.clone())
                    .specialize_start_states(pre.is_some())
                    .starts_for_each_pattern(false)
                    .byte_classes(true)
                    .unicode_word_boundary(true)
                    .cache_capacity(DFA_CACHE_CAPACITY)
                    .skip_cache_capacity_check(false)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .ok();
        let backtrack = backtrack::Builder::new()
            .configure(backtrack::Config::new().prefilter(pre.clone()))
            .build_from_nfa(nfa.clone())
            .map_err(|e| error(&e))?;
        let pikevm = pikevm::Builder::new()
            .configure(pikevm::Config::new().prefilter(pre))
            .build_from_nfa(nfa.clone())
            .map_err(|e| error(&e))?;
        let anchored = anchored.then(|| AnchoredStart {
            bytes: StartBytes::of(&hir),
            onepass: OnceLock::new(),
        });
        Ok(Pattern(Arc::new(Compiled {
            source: pattern.to_string(),
            nfa,
            dfa,
            backtrack,
            pikevm,
            caches: Pool::new(Box::new(Caches::default)),
            anchored,
        })))
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// Whether the pattern matches somewhere in `s`.
    pub fn is_match(&self, s: &str) -> bool {
        let Some(input) = self.0.input(s) else {
            return false;
        };
        let c = &self.0;
        let input = input.earliest(true);
        let mut caches = c.caches.get();
        if let Some(dfa) = &c.dfa {
            let cache = caches.dfa.get_or_insert_with(|| dfa.create_cache());
            if let Ok(m) = dfa.try_search_fwd(cache, &input) {
                return m.is_some();
            }
        }
        // Without slots the engines only say whether there is a match.
        let mut caps = Captures::empty(c.nfa.group_info().clone());
        c.nfa_search(&mut caches, input, &mut caps);
        caps.is_match()
    }

    /// The first match in `s`, if any.
    pub fn find<'h>(&self, s: &'h str) -> Option<Group<'h>> {
        if let (Some(_), Some(dfa)) = (&self.0.anchored, &self.0.dfa) {
            // Every match starts at 0: where the lazy DFA says it ends is enough.
            let input = self.0.input(s)?;
            let mut caches = self.0.caches.get();
            let cache = caches.dfa.get_or_insert_with(|| dfa.create_cache());
            if let Ok(m) = dfa.try_search_fwd(cache, &input) {
                return m.map(|m| Group {
                    hay: s,
                    start: 0,
                    end: m.offset(),
                });
            }
        }
        let mut caps = Captures::matches(self.0.nfa.group_info().clone());
        self.0.search(s, &mut caps);
        let m = caps.get_match()?;
        Some(Group {
            hay: s,
            start: m.start(),
            end: m.end(),
        })
    }

    /// The groups of the first match in `s`, if any.
    pub fn captures<'h>(&self, s: &'h str) -> Option<Caps<'h>> {
        let mut caps = Captures::all(self.0.nfa.group_info().clone());
        self.0.search(s, &mut caps);
        caps.is_match().then_some(Caps { hay: s, caps })
    }

    /// The names of the pattern's groups in order, `None` for the whole match and unnamed
    /// groups.
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.0
            .nfa
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
    }

    /// Whether every match starts at the start of the text (for tests).
    #[cfg(test)]
    fn is_anchored(&self) -> bool {
        self.0.anchored.is_some()
    }
}

impl Compiled {
    /// The search of `s`, anchored when every match starts at 0; `None` when the first byte
    /// of `s` rules a match out.
    fn input<'h>(&self, s: &'h str) -> Option<Input<'h>> {
        match &self.anchored {
            None => Some(Input::new(s)),
            Some(a) if a.bytes.as_ref().is_some_and(|b| !b.admits(s)) => None,
            Some(_) => Some(Input::new(s).anchored(Anchored::Yes)),
        }
    }

    /// The first match in `s` into `caps` (no match leaves `caps` without one).
    fn search(&self, s: &str, caps: &mut Captures) {
        caps.set_pattern(None);
        let Some(mut input) = self.input(s) else {
            return;
        };
        let mut caches = self.caches.get();
        // The lazy DFA finds where the first match ends; the group engines then read the text
        // only up to there, and find the same match in it.
        if let Some(dfa) = &self.dfa {
            let cache = caches.dfa.get_or_insert_with(|| dfa.create_cache());
            match dfa.try_search_fwd(cache, &input) {
                Ok(None) => return,
                Ok(Some(m)) => input.set_end(m.offset()),
                Err(_) => {}
            }
        }
        let onepass = self
            .anchored
            .as_ref()
            .and_then(|a| a.onepass.get_or_init(|| build_onepass(&self.nfa)).as_ref());
        if let Some(op) = onepass {
            let cache = caches.onepass.get_or_insert_with(|| op.create_cache());
            op.captures(cache, input, caps);
            return;
        }
        self.nfa_search(&mut caches, input, caps);
    }

    /// The first match in `input` into `caps`: by the bounded backtracker, or by the PikeVM
    /// when the text is too long for the backtracker's memory.
    fn nfa_search(&self, caches: &mut Caches, input: Input<'_>, caps: &mut Captures) {
        if input.get_span().len() <= self.backtrack.max_haystack_len() {
            let cache = caches
                .backtrack
                .get_or_insert_with(|| self.backtrack.create_cache());
            if self
                .backtrack
                .try_captures(cache, input.clone(), caps)
                .is_ok()
            {
                return;
            }
        }
        let cache = caches
            .pikevm
            .get_or_insert_with(|| self.pikevm.create_cache());
        self.pikevm.captures(cache, input, caps);
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.as_str()).finish()
    }
}

/// The groups of one match.
pub struct Caps<'h> {
    hay: &'h str,
    caps: Captures,
}

impl<'h> Caps<'h> {
    /// Group `i` (0 is the whole match), if it took part in the match.
    pub fn get(&self, i: usize) -> Option<Group<'h>> {
        self.caps.get_group(i).map(|s| Group {
            hay: self.hay,
            start: s.start,
            end: s.end,
        })
    }

    /// The group called `name`, if the pattern has it and it took part in the match.
    pub fn name(&self, name: &str) -> Option<Group<'h>> {
        // A pattern has a few groups: comparing their names costs less than the hash of the
        // group table's lookup.
        let i = self
            .caps
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .position(|n| n == Some(name))?;
        self.get(i)
    }
}

/// Where one group matched: byte offsets into the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group<'h> {
    hay: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Group<'h> {
    /// Byte offset of the group's start.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Byte offset just past the group's end.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The text of the group.
    pub fn as_str(&self) -> &'h str {
        &self.hay[self.start..self.end]
    }
}

/// A substring search for the one literal every match of an unanchored pattern begins with,
/// if there is one (`公网安备…`): it skips most of a line at memchr speed, and costs little to
/// build, where prefilters over many literals cost more than lines this short repay.
fn literal_prefilter(hir: &Hir) -> Option<Prefilter> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_total(16)
        .extract(hir);
    seq.optimize_for_prefix_by_preference();
    match seq.literals()? {
        [one] if one.len() >= 2 => Prefilter::new(MatchKind::LeftmostFirst, &[one.as_bytes()]),
        _ => None,
    }
}

/// A compile error as `regex` words it.
fn too_big(e: thompson::BuildError) -> PatternError {
    match e.size_limit() {
        Some(limit) => PatternError(format!(
            "Compiled regex exceeds size limit of {limit} bytes."
        )),
        None => PatternError(e.to_string()),
    }
}

/// The one-pass DFA of an anchored pattern, when it has groups to read and is one-pass.
fn build_onepass(nfa: &NFA) -> Option<onepass::DFA> {
    if nfa.group_info().explicit_slot_len() == 0 {
        return None;
    }
    onepass::Builder::new()
        .configure(
            onepass::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .byte_classes(true),
        )
        .build_from_nfa(nfa.clone())
        .ok()
}

/// The bytes with which a match of a pattern anchored at the start can begin, when the
/// pattern's prefixes are few. Most lines begin with none of them, and one byte answers for
/// them where even a lazy DFA search has a fixed cost of its own.
struct StartBytes(Box<[bool; 256]>);

impl StartBytes {
    /// The start bytes of an anchored pattern, or `None` when it may match the empty string or
    /// begins in too many ways to list.
    fn of(hir: &Hir) -> Option<Self> {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
        let mut set = [false; 256];
        for lit in seq.literals()? {
            set[usize::from(*lit.as_bytes().first()?)] = true;
        }
        Some(Self(Box::new(set)))
    }

    /// Whether a match may start at the beginning of `s`.
    fn admits(&self, s: &str) -> bool {
        s.as_bytes()
            .first()
            .is_some_and(|&b| self.0[usize::from(b)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether `p` reads `s` as `regex::Regex` does, group names included.
    fn agrees(p: &Pattern, re: &regex::Regex, s: &str) -> Result<(), String> {
        if !p.capture_names().eq(re.capture_names()) {
            return Err(format!("group names differ for `{p}`"));
        }
        crate::invariants::pattern_agrees(p, re, s)
    }

    #[test]
    fn rule_patterns_read_every_fixture_line_as_regex_does() {
        let rules = crate::rules::Rules::embedded().expect("embedded rules");
        let patterns = rules.patterns();
        let anchored = patterns.iter().filter(|p| p.is_anchored()).count();
        assert!(anchored >= 25, "only {anchored} anchored patterns");
        let regexes: Vec<regex::Regex> = patterns
            .iter()
            .map(|p| regex::Regex::new(p.as_str()).expect("regex compiles it too"))
            .collect();
        let mut lines = 0;
        let mut matched = 0;
        for (_, text) in crate::fixture_texts() {
            let norm = crate::base::text::normalize_str(&text);
            for line in norm.lines().flat_map(|l| [l, l.trim()]) {
                lines += 1;
                for (p, re) in patterns.iter().zip(&regexes) {
                    agrees(p, re, line).unwrap();
                    matched += usize::from(re.is_match(line));
                }
            }
        }
        assert!(
            lines > 1000 && matched > 500,
            "{lines} lines, {matched} matches"
        );
    }

    #[test]
    fn start_bytes_are_those_a_match_can_begin_with() {
        let of = |p: &str| StartBytes::of(&regex_syntax::Parser::new().parse(p).unwrap());
        let b = of(r"^(?:\(|（)[一二]").expect("few prefixes");
        assert!(b.admits("(一)") && b.admits("（二）") && !b.admits("一、") && !b.admits(""));
        assert!(of(r"^[0-9]+\.").is_some_and(|b| b.admits("12.") && !b.admits("a")));
        let b = of(r"^[ \t]*一").expect("spaces or the numeral");
        assert!(b.admits(" 一") && b.admits("\t一") && b.admits("一") && !b.admits("a一"));
        // An empty match, too many starts: no filter.
        assert!(of(r"^x?").is_none() && of(r"^\p{Han}").is_none());
        assert!(of(r"^(?i)icp").is_some_and(|b| b.admits("ICP") && b.admits("icp")));
        // Case folding reaches beyond ASCII: the Kelvin sign folds to `k`.
        assert!(of(r"^(?i)k").is_some_and(|b| b.admits("K") && b.admits("\u{212A}")));
    }

    #[test]
    fn anchored_means_every_match_starts_at_the_start() {
        for (p, anchored) in [
            ("^a", true),
            ("^a|^b", true),
            ("(?:^a)+", true),
            ("^a|b", false),
            ("(?m)^a", false),
            ("a", false),
            (r"\Aa", true),
        ] {
            assert_eq!(Pattern::new(p).unwrap().is_anchored(), anchored, "{p}");
        }
    }

    #[test]
    fn errors_read_as_regex_gives_them() {
        for p in ["(unclosed", "[z-a]", r"\p{NotAClass}", "a{5,3}"] {
            let want = regex::Regex::new(p).unwrap_err().to_string();
            assert_eq!(Pattern::new(p).unwrap_err().to_string(), want, "{p}");
            assert!(Pattern::new(&format!("^{p}")).is_err(), "{p}");
        }
        // Too large for the default size limit, forward or only in reverse, as for regex.
        for big in [r"^\w{1000}", r"\w{250}", r"^\w{300}", r"\p{L}{300}"] {
            let want = regex::Regex::new(big).unwrap_err().to_string();
            assert_eq!(Pattern::new(big).unwrap_err().to_string(), want, "{big}");
        }
        assert!(Pattern::new(r"\w{100}").is_ok() && regex::Regex::new(r"\w{100}").is_ok());
    }

    #[test]
    fn where_the_lazy_dfa_gives_up_the_other_engines_answer() {
        // A Unicode word boundary makes the lazy DFA quit at non-ASCII text; a text longer than
        // the backtracker's memory takes the PikeVM.
        let long = format!("{}到2025年 达到 x1", "建设".repeat(60_000));
        let texts = ["到 2025 年, x1", "建设到2025年", long.as_str()];
        for src in [
            r"(?P<w>\w+)",
            r"年",
            r"(?P<y>[0-9]+)\s*年",
            r"^\S+\s(?P<r>.*)",
        ] {
            let (p, re) = (Pattern::new(src).unwrap(), regex::Regex::new(src).unwrap());
            for t in texts {
                agrees(&p, &re, t).unwrap();
            }
        }
    }

    #[test]
    fn a_pattern_shared_across_threads_reads_the_same() {
        let p = Pattern::new(r"^(?P<n>[0-9]+)(?P<u>[\p{Han}]+)?").unwrap();
        let got: Vec<Option<(String, Option<String>)>> = std::thread::scope(|s| {
            let hs: Vec<_> = ["12年", "x", "7"]
                .into_iter()
                .map(|t| {
                    let p = p.clone();
                    s.spawn(move || {
                        p.captures(t).map(|c| {
                            (
                                c.name("n").unwrap().as_str().to_string(),
                                c.name("u").map(|g| g.as_str().to_string()),
                            )
                        })
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            got,
            vec![
                Some(("12".into(), Some("年".into()))),
                None,
                Some(("7".into(), None))
            ]
        );
    }

    /// Pieces of patterns in the shapes the rules use: classes with Chinese text, bounded and
    /// lazy repetition, alternation, groups, the line's end.
    fn atom() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("一".to_string()),
            Just("[一二三]".to_string()),
            Just(r"\p{Han}".to_string()),
            Just("[0-9]".to_string()),
            Just("[ \t]".to_string()),
            Just("[^。:]".to_string()),
            Just(".".to_string()),
            Just("(?:年|月)".to_string()),
            Just("、".to_string()),
            Just(r"\(".to_string()),
        ]
    }

    fn piece() -> impl Strategy<Value = String> {
        (atom(), 0..7usize, any::<bool>()).prop_map(|(a, rep, named)| {
            let q = ["", "?", "*", "+", "{1,3}", "+?", "{2,}"][rep];
            if named {
                format!("(?P<g{}>{a}{q})", a.len())
            } else {
                format!("{a}{q}")
            }
        })
    }

    /// A pattern and whether it is anchored at the start.
    fn pattern() -> impl Strategy<Value = (String, bool)> {
        (
            prop::collection::vec(piece(), 1..5),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(pieces, alt, anchored, end)| {
                let mut body = pieces.join("");
                if alt {
                    body = format!("(?:{body}|二)");
                }
                // Group names must be unique: number them.
                let mut n = 0;
                while let Some(i) = body.find("(?P<g") {
                    let close = i + body[i..].find('>').unwrap();
                    body.replace_range(i..=close, &format!("(?P<n{n}>"));
                    n += 1;
                }
                let start = if anchored { "^" } else { "" };
                let end = if end { "$" } else { "" };
                (format!("{start}{body}{end}"), anchored)
            })
    }

    fn hay() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "一", "二", "三", "年", "月", "1", "9", " ", "。", ":", "(", "、", "a", "政",
            ]),
            0..12,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn generated_patterns_read_as_regex_does(
            (p, anchored) in pattern(),
            hays in prop::collection::vec(hay(), 1..8),
        ) {
            let re = regex::Regex::new(&p).unwrap();
            let pat = Pattern::new(&p).unwrap();
            prop_assert_eq!(pat.is_anchored(), anchored);
            for s in &hays {
                if let Err(e) = agrees(&pat, &re, s) {
                    return Err(TestCaseError::fail(e));
                }
            }
        }
    }
}
