//! Stage 6a: who leads and who takes part in each task.
//!
//! Input: a task's own text (title sentence and body, without children) and the department
//! rules. Output: the attributions found in it, each with its role, the role word as written,
//! the names as written and its span. An attribution belongs to the innermost task whose text
//! contains it, which is the task whose own text is searched.
//!
//! Also builds the document's department index and flags near-duplicate names.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use aho_corasick::{Anchored, Input};

use crate::base::diag::{Code, Diag};
use crate::base::text::{ByteSpan, Text, split_top_level, squash, squash_normalised, trim_span};
use crate::model::{Department, Role};
use crate::stages::outline::Outline;

pub mod rules;

pub use rules::{Convention, DepartmentRules};

/// An attribution found in a task's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundAttribution {
    /// Lead or participant.
    pub role: Role,
    /// The role word as written.
    pub role_word: ByteSpan,
    /// The names as written.
    pub names: Vec<ByteSpan>,
    /// The role word and the names.
    pub span: ByteSpan,
}

/// How many stack entries a closing bracket may look through for its opener; keeps the scan
/// linear on pathological input.
const BRACKET_LOOKBACK: usize = 8;

fn closer(open: char) -> char {
    if open == '(' { ')' } else { ']' }
}

/// The ASCII brackets of `s` (which no multi-byte character holds) and where they are, found
/// with SIMD searches rather than a walk over every character.
fn ascii_brackets(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let b = s.as_bytes();
    let mut round = memchr::memchr2_iter(b'(', b')', b).peekable();
    let mut square = memchr::memchr2_iter(b'[', b']', b).peekable();
    std::iter::from_fn(move || {
        let i = match (round.peek(), square.peek()) {
            (Some(r), Some(q)) if q < r => square.next(),
            (Some(_), _) => round.next(),
            (None, _) => square.next(),
        }?;
        Some((i, char::from(b[i])))
    })
}

/// Top-level bracket groups of `span` (outer brackets included), and the start of any
/// bracket left open at the end.
pub fn bracket_groups(s: &str, base: usize) -> (Vec<ByteSpan>, Option<usize>) {
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut groups = Vec::new();
    for (i, c) in ascii_brackets(s) {
        match c {
            '(' | '[' => stack.push((c, i)),
            ')' | ']' => {
                let depth = stack.len();
                let found = stack
                    .iter()
                    .rev()
                    .take(BRACKET_LOOKBACK)
                    .position(|&(o, _)| closer(o) == c);
                if let Some(k) = found {
                    let (_, start) = stack[depth - 1 - k];
                    stack.truncate(depth - 1 - k);
                    if stack.is_empty() {
                        groups.push(base + start..base + i + 1);
                    }
                }
            }
            _ => {}
        }
    }
    (groups, stack.first().map(|&(_, p)| base + p))
}

impl DepartmentRules {
    /// The patterns read as [`Pattern`]s (for tests).
    #[cfg(test)]
    pub(crate) fn patterns(&self) -> Vec<crate::base::pattern::Pattern> {
        vec![self.body.clone(), self.other_label.clone()]
    }

    /// The label at the very start of `s`, if any: its byte length and role.
    fn label_at(&self, s: &str) -> Option<(usize, Role)> {
        let m = self.label_ac.find(Input::new(s).anchored(Anchored::Yes))?;
        Some((m.end(), self.labels[m.pattern().as_usize()].1))
    }

    /// The role verb that ends `s` with the modifiers before it (`按职责分工` + `牵头负责`):
    /// where it starts, and its role. Something must stand before it.
    fn verb_at_end(&self, s: &str) -> Option<(usize, Role)> {
        let s = s.trim_end();
        let m = self.verb_ends.as_ref()?.find(s)?;
        let mut at = m.start();
        if at == 0 {
            return None;
        }
        let role = self.verbs.get(m.word())?.1;
        while let Some(w) = self.verb_modifiers.as_ref().and_then(|v| v.find(&s[..at])) {
            if w.start() == 0 {
                break;
            }
            at = w.start();
        }
        Some((at, role))
    }

    fn is_body(&self, s: &str) -> bool {
        self.body.is_match(s)
    }

    /// Splits a names span into names, as the `[names]` rules say.
    fn split_names(&self, text: &Text, span: &ByteSpan) -> Vec<ByteSpan> {
        let norm = text.norm();
        let mut pieces = split_top_level(text, span, &self.separators);
        for p in pieces.iter_mut() {
            *p = self.strip(text, p.clone());
        }
        pieces.retain(|p| !p.is_empty());
        // Join fragments that cannot stand alone: a generic tail continues the name before it
        // (`各区、县级市`), and a fragment that is no body continues into a collective that
        // takes a coordinated modifier (`全县新能源、新材料产业专班成员单位`).
        let mut merged: Vec<ByteSpan> = Vec::new();
        for p in pieces {
            let s = &norm[p.clone()];
            match merged.last_mut() {
                Some(last)
                    if self.generic.iter().any(|g| g == s)
                        || (!self.is_body(&norm[last.clone()])
                            && self.collective.iter().any(|c| s.ends_with(c.as_str()))) =>
                {
                    last.end = p.end;
                }
                _ => merged.push(p),
            }
        }
        // Split at a conjunction between two bodies.
        let mut out = Vec::new();
        for p in merged {
            out.extend(self.split_conjunction(text, p));
        }
        out
    }

    fn split_conjunction(&self, text: &Text, span: ByteSpan) -> Vec<ByteSpan> {
        let s = &text.norm()[span.clone()];
        // Each conjunction in list order, its occurrences left to right and not overlapping
        // (as `match_indices` reads them).
        for (conj, finder) in self.conjunctions.iter().zip(&self.conjunction_finders) {
            for i in finder.find_iter(s.as_bytes()) {
                // An empty conjunction (a user's rules may hold one) matches inside characters.
                if !s.is_char_boundary(i) {
                    continue;
                }
                let (left, right) = (&s[..i], &s[i + conj.len()..]);
                if self.is_body(left) && self.is_body(right) {
                    let mut v = Vec::with_capacity(2);
                    v.push(span.start..span.start + i);
                    v.extend(self.split_conjunction(text, span.start + i + conj.len()..span.end));
                    return v;
                }
            }
        }
        vec![span]
    }

    /// Trims spaces, leading words (`由`) and trailing words (`等部门`) off a name.
    fn strip(&self, text: &Text, span: ByteSpan) -> ByteSpan {
        let norm = text.norm();
        let mut sp = trim_span(norm, span);
        for w in &self.leading {
            if norm[sp.clone()].starts_with(w.as_str()) && sp.len() > w.len() {
                sp.start += w.len();
            }
        }
        for w in &self.trailing {
            if norm[sp.clone()].ends_with(w.as_str()) && sp.len() > w.len() {
                sp.end -= w.len();
                break;
            }
        }
        trim_span(norm, sp)
    }

    /// Reads the attribution segments of `span` (a bracket's inside, or a line). `None` when
    /// the first segment is neither labelled nor verb-final. What deserves a look (an unknown
    /// label of bodies, a role word left in a name) goes to `notes`.
    fn parse_segments(
        &self,
        text: &Text,
        span: &ByteSpan,
        convention: Option<Convention>,
        notes: &mut Vec<Diag>,
    ) -> Option<Vec<FoundAttribution>> {
        let norm = text.norm();
        if convention == Some(Convention::BeforeFirstCommaLead) {
            if let Some(found) = self.split_at_first_comma(text, span) {
                return Some(found);
            }
        }
        let segments = split_top_level(text, span, &[';', ',', '。']);
        let mut out: Vec<FoundAttribution> = Vec::new();
        let mut labelled_open = false;
        // Where the names of segments without a label or a verb began: a list that groups its
        // bodies with commas before one verb (`（省发展改革委、商务厅，各省辖市政府，航空港区管委会
        // 按职责分工负责）`).
        let mut pending: Option<usize> = None;
        // Whether the bracket ends in a verb, asked once: only then can names wait for it.
        let mut tail_verb: Option<bool> = None;
        for seg in segments {
            let s = &norm[seg.clone()];
            let labelled = self.label_at(s).and_then(|(len, role)| {
                let rest = &s[len..];
                let colon = rest.len() - rest.trim_start_matches([' ', ':']).len();
                rest[..colon].contains(':').then_some((len, colon, role))
            });
            if labelled.is_none() && (self.other_label.is_match(s) || self.not_names.is_match(s)) {
                // A label of another kind (`完成时限：…`), or a date or a state: no names, and
                // the end of the list before it.
                if let Some(m) = self.unit_label.find(s) {
                    let label_text = m.as_str().trim_end_matches([' ', '\t', ':']);
                    let label = seg.start..seg.start + label_text.len();
                    notes.push(Diag::warning(
                        Code::UnknownAttributionLabel,
                        format!(
                            "`{}` names bodies but is not a known role label; its names are not read (add it to a role in rules/departments.toml)",
                            text.as_written(&label)
                        ),
                        Some(label),
                    ));
                }
                labelled_open = false;
                continue;
            }
            if let Some((len, colon, role)) = labelled {
                let word = seg.start..seg.start + len;
                let names_span = seg.start + len + colon..seg.end;
                let names = self.clean_names(text, self.split_names(text, &names_span), notes);
                self.clause(text, names, role, word, seg.clone(), &mut out);
                labelled_open = true;
            } else if let Some((at, role)) = self.verb_at_end(s) {
                let names_span = pending.take().unwrap_or(seg.start)..seg.start + at;
                let verb = seg.start + at..seg.end;
                let Some(clauses) = self.verb_clauses(text, names_span, role, verb) else {
                    break;
                };
                out.extend(clauses);
                labelled_open = false;
            } else if !labelled_open
                && *tail_verb.get_or_insert_with(|| self.verb_at_end(&norm[span.clone()]).is_some())
                && self.names_in(text, &seg).is_some()
            {
                pending.get_or_insert(seg.start);
            } else if labelled_open && !norm[..seg.start].trim_end().ends_with('。') {
                // A list runs on after a comma, not after a sentence's end (`…。按职责分工，下同`).
                let names = self.clean_names(text, self.split_names(text, &seg), notes);
                if let Some(last) = out.last_mut() {
                    last.names.extend(names);
                    last.span.end = seg.end;
                }
            } else {
                break;
            }
        }
        out.retain(|f| !f.names.is_empty());
        self.primary_leads(norm, &mut out);
        if convention == Some(Convention::FirstLeads) {
            first_leads(&mut out);
        }
        (!out.is_empty()).then_some(out)
    }

    /// `（A牵头，B、C按职责分工负责）`, `（牵头单位：A；责任单位：B）`: where a bracket names a
    /// leading body by a primary word, the bodies of its secondary lead words take part.
    fn primary_leads(&self, norm: &str, out: &mut [FoundAttribution]) {
        let word = |f: &FoundAttribution| &norm[f.role_word.clone()];
        let has = |list: &[String], w: &str| list.iter().any(|p| w.contains(p.as_str()));
        let leads = |f: &&mut FoundAttribution| f.role == Role::Lead;
        if !out
            .iter()
            .any(|f| f.role == Role::Lead && has(&self.primary_lead, word(f)))
        {
            return;
        }
        for f in out.iter_mut().filter(leads) {
            let w = word(f);
            if has(&self.secondary_lead, w) && !has(&self.primary_lead, w) {
                f.role = Role::Participant;
            }
        }
    }

    /// `(A、B，C、D负责)` where the document declares that the bodies before the first comma
    /// lead: A and B lead, C and D take part. `None` when `span` is no such list.
    fn split_at_first_comma(&self, text: &Text, span: &ByteSpan) -> Option<Vec<FoundAttribution>> {
        let norm = text.norm();
        let (at, role) = self.verb_at_end(&norm[span.clone()])?;
        let names_span = span.start..span.start + at;
        let parts = split_top_level(text, &names_span, &[',']);
        if role != Role::Lead || parts.len() < 2 {
            return None;
        }
        let lead = self.split_names(text, &parts[0]);
        let rest = parts[1].start..names_span.end;
        let part = self.split_names(text, &rest);
        let all_bodies = lead
            .iter()
            .chain(&part)
            .all(|n| self.is_body(&norm[n.clone()]));
        if lead.is_empty() || part.is_empty() || !all_bodies {
            return None;
        }
        let word = span.start + at..span.end;
        Some(vec![
            FoundAttribution {
                role: Role::Lead,
                role_word: word.clone(),
                names: lead,
                span: parts[0].clone(),
            },
            FoundAttribution {
                role: Role::Participant,
                role_word: word,
                names: part,
                span: rest.start..span.end,
            },
        ])
    }

    /// The clauses of a verb-final segment. Clauses joined by `、` each keep their verb
    /// (`市交通委牵头负责、各区政府组织落实`: the first leads, the second takes part); in a
    /// clause that leads, the bodies after a joint word take part (`市商务委会同市财政局负责`).
    /// `None` when the names read as prose (`所需资金由市财政负责`).
    fn verb_clauses(
        &self,
        text: &Text,
        names_span: ByteSpan,
        role: Role,
        verb: ByteSpan,
    ) -> Option<Vec<FoundAttribution>> {
        let norm = text.norm();
        let pieces = self.split_names(text, &names_span);
        // Names, not prose: one of them at least reads as a body, and none is long or holds
        // sentence punctuation.
        let name_like = |n: &ByteSpan| {
            let t = &norm[n.clone()];
            t.chars().count() <= 40 && !t.contains(['。', '!', '?', ':'])
        };
        if pieces.is_empty()
            || !pieces.iter().all(name_like)
            || !pieces.iter().any(|n| self.is_body(&norm[n.clone()]))
        {
            return None;
        }
        let mut out = Vec::new();
        let mut names = Vec::new();
        // A later clause starts at its first name, after the `、` that joins it.
        let mut start = Some(names_span.start);
        for p in pieces {
            let from = *start.get_or_insert(p.start);
            match self.verb_at_end(&norm[p.clone()]) {
                Some((at, inner)) => {
                    names.push(trim_span(norm, p.start..p.start + at));
                    let word = p.start + at..p.end;
                    let span = trim_span(norm, from..word.end);
                    self.clause(
                        text,
                        std::mem::take(&mut names),
                        inner,
                        word,
                        span,
                        &mut out,
                    );
                    start = None;
                }
                None => names.push(p),
            }
        }
        let start = start.unwrap_or(verb.start);
        let span = trim_span(norm, start..verb.end);
        self.clause(text, names, role, verb, span, &mut out);
        Some(out)
    }

    /// One clause's attributions: `names` with `role`, or, in a leading clause with a joint
    /// word, those before it leading and those after it taking part.
    fn clause(
        &self,
        text: &Text,
        names: Vec<ByteSpan>,
        role: Role,
        word: ByteSpan,
        span: ByteSpan,
        out: &mut Vec<FoundAttribution>,
    ) {
        let norm = text.norm();
        let mut lead = Vec::new();
        let mut part: Vec<ByteSpan> = Vec::new();
        let mut joint_word = None;
        for n in names {
            if joint_word.is_some() || role != Role::Lead {
                part.push(n);
                continue;
            }
            let s = &norm[n.clone()];
            let at = self.joint.iter().find_map(|j| {
                let i = s.find(j.as_str())?;
                (i > 0 && self.is_body(&s[..i])).then_some((i, j.len()))
            });
            match at {
                Some((i, len)) => {
                    lead.push(trim_span(norm, n.start..n.start + i));
                    joint_word = Some(n.start + i..n.start + i + len);
                    let rest = trim_span(norm, n.start + i + len..n.end);
                    // `会同有关部门`: no body to name.
                    if self.is_body(&norm[rest.clone()]) && !self.generic_party(&norm[rest.clone()])
                    {
                        part.push(rest);
                    }
                }
                None => lead.push(n),
            }
        }
        match joint_word {
            None => out.push(FoundAttribution {
                role,
                role_word: word,
                names: part.into_iter().chain(lead).collect(),
                span,
            }),
            Some(joint) => {
                out.push(FoundAttribution {
                    role: Role::Lead,
                    role_word: word.clone(),
                    names: lead,
                    span: span.clone(),
                });
                part.retain(|p| !self.generic_party(&norm[p.clone()]));
                if !part.is_empty() {
                    out.push(FoundAttribution {
                        role: Role::Participant,
                        role_word: joint,
                        names: part,
                        span,
                    });
                }
            }
        }
    }

    /// Whether a name only stands for unnamed bodies (`有关部门`, `其他相关单位`).
    fn generic_party(&self, s: &str) -> bool {
        let mut rest = s;
        for w in ["各", "其他", "有关", "相关"] {
            rest = rest.strip_prefix(w).unwrap_or(rest);
        }
        rest.len() < s.len() && (rest.is_empty() || self.generic.iter().any(|g| g == rest))
    }

    /// The bodies a table cell names (a 牵头单位 or 配合单位 cell of an annex task table), each
    /// with its role, split as an attribution bracket's names are. A cell that reads as an
    /// attribution (`牵头单位：A；配合单位：B`, `A牵头，B配合`) keeps the roles it states.
    /// Otherwise every name takes `role`, the column's, except one that a role word marks
    /// (`A（牵头）`, `A牵头`): it takes that word's role, and then the unmarked names of a
    /// column of leads take part. Under a convention the document declares
    /// (`列第一位者为牵头单位`), a column of leads has its first body lead and the rest take
    /// part. A line break splits two names where the text before it is a body's name, and
    /// joins a name wrapped inside (`区发展和改` / `革委`). Pieces that are dates, states or
    /// hold no Chinese character (`无`, `/`) are no names.
    pub fn cell_names(
        &self,
        text: &Text,
        span: &ByteSpan,
        role: Role,
        convention: Option<Convention>,
        notes: &mut Vec<Diag>,
    ) -> Vec<(Role, ByteSpan)> {
        let norm = text.norm();
        let span = trim_span(norm, span.clone());
        if span.is_empty() {
            return Vec::new();
        }
        if let Some(found) = self.parse_segments(text, &span, convention, notes) {
            return found
                .into_iter()
                .flat_map(|f| f.names.into_iter().map(move |n| (f.role, n)))
                .filter(|(_, n)| self.is_name(&norm[n.clone()]))
                .collect();
        }
        let mut names: Vec<(Option<Role>, ByteSpan)> = Vec::new();
        for piece in self.line_pieces(text, &span) {
            for n in self.split_names(text, &piece) {
                let (marked, name) = self.marked_role(text, n);
                if self.is_name(&norm[name.clone()]) {
                    names.push((marked, name));
                }
            }
        }
        let any_marked = names.iter().any(|(m, _)| m.is_some());
        let mut out: Vec<(Role, ByteSpan)> = names
            .into_iter()
            .map(|(m, n)| match m {
                Some(r) => (r, n),
                None if any_marked && role == Role::Lead => (Role::Participant, n),
                None => (role, n),
            })
            .collect();
        if !any_marked && role == Role::Lead && convention == Some(Convention::FirstLeads) {
            for (r, _) in out.iter_mut().skip(1) {
                *r = Role::Participant;
            }
        }
        out
    }

    /// How many bodies a table cell names, when it holds nothing else (`区财政局、各街道`,
    /// `区房管局牵头`): what a department column's cell looks like.
    pub fn names_in(&self, text: &Text, span: &ByteSpan) -> Option<usize> {
        let norm = text.norm();
        let mut count = 0;
        for piece in self.line_pieces(text, span) {
            for n in self.split_names(text, &piece) {
                let (_, name) = self.marked_role(text, n);
                let s = &norm[name];
                if s.chars().count() > 40 || !self.is_body(s) || counts_things(s) {
                    return None;
                }
                count += 1;
            }
        }
        (count > 0).then_some(count)
    }

    /// The lines of a cell, a line break standing between two names where the text before it
    /// ends in a body's name, and joined where it does not (a name wrapped inside).
    fn line_pieces(&self, text: &Text, span: &ByteSpan) -> Vec<ByteSpan> {
        let norm = text.norm();
        let mut out = Vec::new();
        let mut start = span.start;
        let mut at = span.start;
        while let Some(i) = norm[at..span.end].find('\n') {
            let nl = at + i;
            // The last name before the break: after the last separator.
            let before = &norm[start..nl];
            let last = before
                .rfind(|c| self.separators.contains(&c))
                .map_or(before, |k| &before[k..]);
            let last = last.trim_start_matches(|c| self.separators.contains(&c));
            let ends_list = last.trim().is_empty();
            if ends_list || self.is_body(last.trim()) {
                out.push(trim_span(norm, start..nl));
                start = nl + 1;
            }
            at = nl + 1;
        }
        out.push(trim_span(norm, start..span.end));
        out.retain(|p| !p.is_empty());
        out
    }

    /// A name with the role a word marks it with, cut off: `A（牵头）`, `A(配合)`, `A牵头`.
    fn marked_role(&self, text: &Text, n: ByteSpan) -> (Option<Role>, ByteSpan) {
        let norm = text.norm();
        let s = &norm[n.clone()];
        if let Some(open) = s.strip_suffix(')').and_then(|r| r.rfind('(')) {
            let inner = s[open + 1..s.len() - 1].trim();
            let role = self
                .labels
                .iter()
                .chain(&self.verbs)
                .find(|(w, _)| w == inner)
                .map(|(_, r)| *r);
            if let Some(r) = role {
                if open > 0 {
                    return (Some(r), trim_span(norm, n.start..n.start + open));
                }
            }
        }
        match self.verb_at_end(s) {
            Some((at, r)) if self.is_body(s[..at].trim()) => {
                (Some(r), trim_span(norm, n.start..n.start + at))
            }
            _ => (None, n),
        }
    }

    /// Whether a piece of a cell can be a name: not a date or a state, and holding a Chinese
    /// character (`无`, `/` and `—` are none).
    fn is_name(&self, s: &str) -> bool {
        s.chars().any(|c| matches!(c, '\u{3400}'..='\u{9FFF}'))
            && s != "无"
            && !self.not_names.is_match(s)
    }

    /// Names as read, with a role word that a list left at the end of one cut off and
    /// reported (`市公安局牵头` in a labelled list).
    fn clean_names(
        &self,
        text: &Text,
        names: Vec<ByteSpan>,
        notes: &mut Vec<Diag>,
    ) -> Vec<ByteSpan> {
        let norm = text.norm();
        names
            .into_iter()
            .map(|n| match self.verb_at_end(&norm[n.clone()]) {
                Some((at, _)) => {
                    let word = n.start + at..n.end;
                    notes.push(Diag::warning(
                        Code::RoleWordInName,
                        format!(
                            "`{}` ends in the role word `{}`, which was cut off the name",
                            text.as_written(&n),
                            text.as_written(&word)
                        ),
                        Some(n.clone()),
                    ));
                    trim_span(norm, n.start..n.start + at)
                }
                None => n,
            })
            .collect()
    }
}

/// Whether a text counts things (`创建20个示范小区`, `新建9座口袋公园`): a task's words, not a
/// body's name.
fn counts_things(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit()
            && chars
                .peek()
                .is_some_and(|n| matches!(n, '个' | '座' | '家' | '项' | '处' | '条' | '万' | '亿'))
        {
            return true;
        }
    }
    false
}

/// Where the document declares the first body of a list to lead: a list that is the bracket's
/// only attribution, leading, keeps its first body as lead and the rest take part.
fn first_leads(out: &mut Vec<FoundAttribution>) {
    if let [only] = out.as_mut_slice() {
        if only.role == Role::Lead && only.names.len() > 1 {
            let rest = only.names.split_off(1);
            let part = FoundAttribution {
                role: Role::Participant,
                role_word: only.role_word.clone(),
                names: rest,
                span: only.span.clone(),
            };
            out.push(part);
        }
    }
}

/// Where `span` declares a convention for reading attribution lists, in order: each holds from
/// where it is declared (a declaration inside a bracket holds for that bracket too).
pub fn declarations(
    text: &Text,
    span: &ByteSpan,
    rules: &DepartmentRules,
) -> Vec<(usize, Convention)> {
    let Some(s) = text.norm().get(span.clone()) else {
        return Vec::new();
    };
    let mut out: Vec<(usize, Convention)> = Vec::new();
    for c in &rules.conventions {
        let holds = |w: &String| memchr::memmem::find(s.as_bytes(), w.as_bytes()).is_some();
        if !c.requires.iter().any(holds) {
            continue;
        }
        if let Some(re) = c.regex() {
            out.extend(re.find_iter(s).map(|m| (span.start + m.start(), c.kind)));
        }
    }
    out.sort_by_key(|&(at, _)| at);
    out
}

/// Reads the attributions of one task's own text.
pub fn extract_task(text: &Text, own: &ByteSpan, rules: &DepartmentRules) -> Vec<FoundAttribution> {
    let declared = declarations(text, own, rules);
    extract_task_with_diags(text, own, rules, &declared, &mut Vec::new())
}

/// Reads the attributions of one task's own text, with the conventions the document declared
/// (from [`declarations`]); reports an attribution bracket that never closes.
pub fn extract_task_with_diags(
    text: &Text,
    own: &ByteSpan,
    rules: &DepartmentRules,
    declared: &[(usize, Convention)],
    diags: &mut Vec<Diag>,
) -> Vec<FoundAttribution> {
    let in_force = |end: usize| {
        declared
            .iter()
            .rev()
            .find(|&&(at, _)| at < end)
            .map(|&(_, c)| c)
    };
    let norm = text.norm();
    let Some(s) = norm.get(own.clone()) else {
        return Vec::new();
    };
    let (groups, unclosed) = bracket_groups(s, own.start);
    let mut out = Vec::new();
    for g in &groups {
        let inner = g.start + 1..g.end - 1;
        let convention = in_force(g.end);
        if let Some(found) = rules.parse_segments(text, &trim_span(norm, inner), convention, diags)
        {
            out.extend(found);
        }
    }
    // Lines of their own that begin with a label (`牵头部门：…`), outside any bracket.
    let mut pos = own.start;
    for line in s.split('\n') {
        let span = trim_span(norm, pos..pos + line.len());
        pos += line.len() + 1;
        let inside = groups
            .iter()
            .any(|g| g.start <= span.start && span.start < g.end);
        if !inside && rules.label_at(&norm[span.clone()]).is_some() {
            if let Some(found) = rules.parse_segments(text, &span, in_force(span.end), diags) {
                out.extend(found);
            }
        }
    }
    if let Some(u) = unclosed {
        let after = trim_span(norm, u + 1..own.end);
        if rules.label_at(&norm[after.clone()]).is_some() {
            diags.push(Diag::warning(
                Code::UnclosedAttribution,
                format!(
                    "an attribution bracket is never closed: `{}`",
                    text.as_written(&(u..after.end.min(u + 60).max(u)))
                        .chars()
                        .take(30)
                        .collect::<String>()
                ),
                Some(u..u + 1),
            ));
        }
    }
    out.sort_by_key(|f| f.span.start);
    out
}

/// The department index: one entry per distinct body, in order of first appearance, with the
/// tasks it leads and takes part in. `per_task` pairs task ids with their attributions.
pub fn index(
    text: &Text,
    per_task: &[(String, &[FoundAttribution])],
    rules: &DepartmentRules,
) -> Vec<Department> {
    /// What makes two names one body: an alias group, or the name without spaces.
    #[derive(PartialEq, Eq, Hash)]
    enum Key<'t> {
        Alias(usize),
        Name(Cow<'t, str>),
    }
    let mut out: Vec<Department> = Vec::new();
    let mut key_of: FxHashMap<Key, usize> = FxHashMap::default();
    for (id, found) in per_task {
        for f in found.iter() {
            for n in &f.names {
                let name = text.as_written(n);
                let sq = squash_normalised(text.normalised(n));
                let key = match rules.aliases.get(sq.as_ref()) {
                    Some(&g) => Key::Alias(g),
                    None => Key::Name(sq),
                };
                // An alias group is named by its canonical name, whatever spelling comes first.
                let canonical = match &key {
                    Key::Alias(g) => rules.canonical.get(*g).filter(|c| !c.is_empty()),
                    Key::Name(_) => None,
                };
                let i = *key_of.entry(key).or_insert_with(|| {
                    out.push(Department {
                        name: canonical.map_or(name, String::as_str).to_string(),
                        aliases: Vec::new(),
                        lead: Vec::new(),
                        participates: Vec::new(),
                    });
                    out.len() - 1
                });
                let d = &mut out[i];
                if !d.aliases.iter().any(|a| a == name) {
                    d.aliases.push(name.to_string());
                }
                let list = match f.role {
                    Role::Lead => &mut d.lead,
                    Role::Participant => &mut d.participates,
                };
                // Tasks come in order, so a repeat can only be of the task just added.
                if list.last() != Some(id) {
                    list.push(id.clone());
                }
            }
        }
    }
    out
}

/// Pairs of index entries whose names differ by one character left out
/// (`县住房和城乡建设局` / `县住房城乡建设局`), for staff to decide. Each name's one-deletion
/// variants are looked up, so the work grows with the total length of the names, not with
/// the square of their number.
pub fn similar_names(deps: &[Department]) -> Vec<(usize, usize)> {
    let keys: Vec<String> = deps.iter().map(|d| squash(&d.name)).collect();
    let index: FxHashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut out = BTreeSet::new();
    let mut shorter = String::new();
    for (i, k) in keys.iter().enumerate() {
        if k.chars().count() < 5 {
            continue;
        }
        for (pos, c) in k.char_indices() {
            shorter.clear();
            shorter.push_str(&k[..pos]);
            shorter.push_str(&k[pos + c.len_utf8()..]);
            if let Some(&j) = index.get(shorter.as_str()) {
                out.insert((i.min(j), i.max(j)));
            }
        }
    }
    out.into_iter().collect()
}

/// Flags a task-level heading (one without sub-headings) that has no attribution while its
/// siblings all have one (in them or below them).
pub fn report_gaps(outline: &Outline, found: &[Vec<FoundAttribution>], diags: &mut Vec<Diag>) {
    let n = outline.nodes.len();
    let mut has = vec![false; n];
    for i in (0..n).rev() {
        has[i] = has[i] || found.get(i).is_some_and(|f| !f.is_empty());
        if let Some(p) = outline.nodes[i].parent {
            if has[i] {
                has[p] = true;
            }
        }
    }
    let groups = std::iter::once(&outline.roots).chain(outline.nodes.iter().map(|n| &n.children));
    for g in groups {
        if g.len() < 2 {
            continue;
        }
        let without: Vec<usize> = g.iter().copied().filter(|&i| !has[i]).collect();
        if let [i] = without.as_slice() {
            if !outline.nodes[*i].children.is_empty() {
                continue;
            }
            let node = &outline.nodes[*i];
            diags.push(Diag::warning(
                Code::MissingAttribution,
                format!(
                    "task {} has no lead or participating department, though its siblings all have one",
                    node.id
                ),
                Some(node.marker.start..node.title.end.max(node.marker.end)),
            ));
        }
    }
}

/// Reports index entries whose names differ by one character, naming where each occurs.
pub fn report_similar(
    text: &Text,
    deps: &[Department],
    per_task: &[(String, &[FoundAttribution])],
    diags: &mut Vec<Diag>,
) {
    let pairs = similar_names(deps);
    if pairs.is_empty() {
        return;
    }
    let mut first: BTreeMap<&str, ByteSpan> = BTreeMap::new();
    for n in per_task
        .iter()
        .flat_map(|(_, f)| f.iter().flat_map(|f| f.names.iter()))
    {
        first.entry(text.as_written(n)).or_insert_with(|| n.clone());
    }
    let first_span = |name: &str| first.get(name).cloned();
    let tasks = |d: &Department| -> String {
        let mut ids: Vec<&str> = Vec::new();
        for id in d.lead.iter().chain(&d.participates) {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
        ids.join(", ")
    };
    for (i, j) in pairs {
        let (a, b) = (&deps[i], &deps[j]);
        diags.push(Diag::warning(
            Code::SimilarDepartmentNames,
            format!(
                "`{}` (tasks {}) and `{}` (tasks {}) differ by one character; if they are one body, add an alias to rules/departments.toml",
                a.name,
                tasks(a),
                b.name,
                tasks(b)
            ),
            first_span(&b.name),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    proptest::proptest! {
        /// The SIMD search finds every bracket a walk over the characters finds, in order.
        #[test]
        fn ascii_brackets_are_those_of_a_walk(s in "[()\\[\\]牵头部门a、]{0,40}") {
            let walk: Vec<(usize, char)> =
                s.char_indices().filter(|(_, c)| "()[]".contains(*c)).collect();
            proptest::prop_assert_eq!(ascii_brackets(&s).collect::<Vec<_>>(), walk);
        }
    }

    /// The diagnostics reading `s` gives, as (code, the text of its span).
    fn notes(s: &str) -> Vec<(&'static str, String)> {
        let rules = Rules::embedded().unwrap();
        let t = Text::new(s.to_string());
        let mut d = Vec::new();
        extract_task_with_diags(&t, &(0..t.norm().len()), &rules.departments, &[], &mut d);
        d.iter()
            .map(|d| {
                let at = d.span.clone().unwrap_or(0..0);
                (d.code.as_str(), t.as_written(&at).to_string())
            })
            .collect()
    }

    #[test]
    fn a_convention_with_a_broken_pattern_is_a_rules_error() {
        let toml = crate::rules::embedded_text(crate::base::rule_file::RuleFile::Departments);
        let broken = toml.replace(
            "requires = [\"为牵头\", \"是牵头\"]\npattern = '",
            "requires = [\"为牵头\", \"是牵头\"]\npattern = '(",
        );
        assert_ne!(broken, toml);
        let e = rules::compile(&crate::base::rule_file::RuleSource {
            display: "departments.toml".into(),
            text: &broken,
        })
        .unwrap_err();
        assert_eq!(e.rule.as_deref(), Some("first-listed-leads"));
        assert!(
            e.line.is_some() && e.message.contains("invalid regex"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_label_of_bodies_is_named() {
        assert_eq!(
            notes("（督办单位：县政府督查室；责任单位：县教育局）"),
            [("unknown-attribution-label", "督办单位".to_string())]
        );
        // Labels of other kinds are not reported.
        assert!(notes("（牵头单位：县司法局；完成时限：2024年12月）").is_empty());
    }

    #[test]
    fn a_role_word_left_in_a_labelled_list_is_cut_off_and_reported() {
        let got = read("（责任单位：市公安局牵头，市交通委）");
        assert_eq!(
            got,
            [(
                Role::Lead,
                "责任单位".to_string(),
                vec!["市公安局".to_string(), "市交通委".to_string()]
            )]
        );
        assert_eq!(
            notes("（责任单位：市公安局牵头，市交通委）"),
            [("role-word-in-name", "市公安局牵头".to_string())]
        );
    }

    #[test]
    fn joined_clauses_keep_their_spans() {
        let rules = Rules::embedded().unwrap();
        let t = Text::new("（市交通委牵头负责、各区政府组织落实）".to_string());
        let found = extract_task(&t, &(0..t.norm().len()), &rules.departments);
        let spans: Vec<&str> = found.iter().map(|f| t.as_written(&f.span)).collect();
        assert_eq!(spans, ["市交通委牵头负责", "各区政府组织落实"]);
    }

    fn read(s: &str) -> Vec<(Role, String, Vec<String>)> {
        let rules = Rules::embedded().unwrap();
        let t = Text::new(s.to_string());
        let mut d = Vec::new();
        extract_task_with_diags(&t, &(0..t.norm().len()), &rules.departments, &[], &mut d)
            .iter()
            .map(|f| {
                (
                    f.role,
                    t.as_written(&f.role_word).to_string(),
                    f.names
                        .iter()
                        .map(|n| t.as_written(n).to_string())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn role_word_is_kept_as_written() {
        let got = read("（牵头单位：区商务委；配合单位：区财政局）");
        assert_eq!(got[0].1, "牵头单位");
        assert_eq!(
            got[1],
            (
                Role::Participant,
                "配合单位".to_string(),
                vec!["区财政局".to_string()]
            )
        );
    }

    #[test]
    fn nested_brackets_stay_inside_names() {
        let got = read("（牵头单位：县农业农村局（县乡村振兴局）、县财政局）");
        assert_eq!(got[0].2, ["县农业农村局（县乡村振兴局）", "县财政局"]);
    }

    #[test]
    fn an_unclosed_bracket_is_no_attribution_but_a_diagnostic() {
        let rules = Rules::embedded().unwrap();
        let t = Text::new("加强统筹。（牵头单位：区商务委".to_string());
        let mut d = Vec::new();
        let found =
            extract_task_with_diags(&t, &(0..t.norm().len()), &rules.departments, &[], &mut d);
        assert!(found.is_empty());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code.as_str(), "unclosed-attribution");
    }

    #[test]
    fn many_nested_brackets_are_linear_and_harmless() {
        let s = format!("{}{}", "（".repeat(10_000), "）".repeat(3));
        assert!(read(&s).is_empty());
        let s = "(]".repeat(10_000);
        assert!(read(&s).is_empty());
    }

    #[test]
    fn prose_mentions_are_not_attributions() {
        assert!(read("明确牵头部门和工作责任，由县发展和改革局负责协调。").is_empty());
        assert!(read("（以下简称“牵头单位”）").is_empty());
    }

    #[test]
    fn similar_names_are_paired() {
        let dep = |n: &str| Department {
            name: n.to_string(),
            aliases: vec![n.to_string()],
            lead: vec![],
            participates: vec![],
        };
        let deps = vec![
            dep("县住房和城乡建设局"),
            dep("县财政局"),
            dep("县住房城乡建设局"),
            dep("区科委"),
            dep("区商委"),
        ];
        assert_eq!(similar_names(&deps), [(0, 2)]);
    }

    /// The conjunction split as first written: each conjunction in list order, its
    /// occurrences left to right.
    fn split_conjunction_by_search(
        r: &DepartmentRules,
        text: &Text,
        span: ByteSpan,
    ) -> Vec<ByteSpan> {
        let s = &text.norm()[span.clone()];
        for conj in &r.conjunctions {
            for (i, _) in s.match_indices(conj.as_str()) {
                if r.is_body(&s[..i]) && r.is_body(&s[i + conj.len()..]) {
                    let mut v = Vec::new();
                    v.push(span.start..span.start + i);
                    v.extend(split_conjunction_by_search(
                        r,
                        text,
                        span.start + i + conj.len()..span.end,
                    ));
                    return v;
                }
            }
        }
        vec![span]
    }

    #[test]
    fn conjunctions_split_as_a_search_per_conjunction_did() {
        let rules = Rules::embedded().unwrap();
        let r = &rules.departments;
        let mut texts: Vec<String> = [
            "县发展和改革局和县财政局",
            "市教育局以及市卫生健康委员会",
            "区民政局会同区财政局及各街道办事处",
            "县住房和城乡建设局与县自然资源局",
        ]
        .map(String::from)
        .to_vec();
        for (_, t) in crate::fixture_texts() {
            let t = crate::base::text::normalize_str(&t);
            // Every piece between separators: what names are split from.
            texts.extend(t.split(['\n', '、', ',', ';', '(', ')']).map(String::from));
        }
        // A user's rules may list an empty conjunction, which matches between any characters.
        let toml = crate::rules::embedded_text(crate::base::rule_file::RuleFile::Departments);
        let start = toml.find("\nconjunctions = ").unwrap() + 1;
        let end = start + toml[start..].find('\n').unwrap();
        let edited = format!(
            "{}conjunctions = [\"和\", \"\", \"及\"]{}",
            &toml[..start],
            &toml[end..]
        );
        let empty = rules::compile(&crate::base::rule_file::RuleSource {
            display: "departments.toml".into(),
            text: &edited,
        })
        .unwrap();
        assert!(empty.conjunctions.iter().any(String::is_empty));
        let mut split = 0;
        for r in [r, &empty] {
            for t in &texts {
                let text = Text::new(t.clone());
                let all = 0..text.norm().len();
                let got = r.split_conjunction(&text, all.clone());
                assert_eq!(got, split_conjunction_by_search(r, &text, all), "{t}");
                split += got.len() - 1;
            }
        }
        assert!(split >= 8, "{split}");
    }
}
