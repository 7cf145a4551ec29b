//! Which body task a table row restates: a conservative match of the row's task cell against
//! the titles of the body's tasks.
//!
//! Both are compared as their letters and digits only (punctuation, spaces and brackets
//! aside). Their similarity is the Dice coefficient of their character bigrams (twice the
//! shared bigrams over all bigrams); where the shorter, of six characters at least, stands
//! whole in the longer and is at least three fifths of it, the similarity is at least 0.85
//! (`推进生活垃圾分类` in `全面推进生活垃圾分类工作`). A row restates the task whose title is
//! most similar, when that is 0.8 or more and no other title comes within 0.05 of it (two
//! tasks alike are no answer). A task cell under four characters restates nothing.

use rustc_hash::FxHashMap;

/// The best similarity needed.
const AT_LEAST: f64 = 0.8;
/// How far ahead of every other title the best must be.
const MARGIN: f64 = 0.05;
/// The shortest task cell, in characters, that may restate a task.
const SHORTEST: usize = 4;

/// A text as compared: its letters and digits.
pub(super) fn key(s: &str) -> Vec<char> {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The similarity of two keys, 0 to 1.
pub(super) fn similarity(a: &[char], b: &[char]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() < 2 || b.len() < 2 {
        return 0.0;
    }
    let mut grams: FxHashMap<(char, char), i32> = FxHashMap::default();
    for w in a.windows(2) {
        *grams.entry((w[0], w[1])).or_default() += 1;
    }
    let mut shared = 0;
    for w in b.windows(2) {
        if let Some(n) = grams.get_mut(&(w[0], w[1])) {
            if *n > 0 {
                *n -= 1;
                shared += 1;
            }
        }
    }
    let dice = 2.0 * f64::from(shared) / (a.len() + b.len() - 2) as f64;
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let inside = short.len() >= 6
        && short.len() * 5 >= long.len() * 3
        && long.windows(short.len()).any(|w| w == short);
    if inside { dice.max(0.85) } else { dice }
}

/// The index of the title in `titles` the task cell `task` restates, if one clearly does.
pub(super) fn restated(task: &[char], titles: &[Vec<char>]) -> Option<usize> {
    if task.len() < SHORTEST {
        return None;
    }
    let mut best: Option<(usize, f64)> = None;
    let mut second = 0.0_f64;
    for (i, t) in titles.iter().enumerate() {
        let v = similarity(task, t);
        match best {
            Some((_, b)) if v <= b => second = second.max(v),
            _ => {
                if let Some((_, b)) = best {
                    second = second.max(b);
                }
                best = Some((i, v));
            }
        }
    }
    let (i, v) = best?;
    (v >= AT_LEAST && v - second >= MARGIN).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Vec<char> {
        key(s)
    }

    #[test]
    fn similar_titles_match_and_different_ones_do_not() {
        assert_eq!(similarity(&k("推进垃圾分类"), &k("推进垃圾分类。")), 1.0);
        assert!(similarity(&k("推进生活垃圾分类"), &k("全面推进生活垃圾分类工作")) >= 0.85);
        assert!(similarity(&k("完善收运体系"), &k("完善转运体系")) < AT_LEAST);
        assert!(similarity(&k("加强宣传引导"), &k("强化考核评估")) < 0.2);
    }

    #[test]
    fn a_row_restates_one_task_or_none() {
        let titles: Vec<Vec<char>> = [
            "总体要求",
            "推进生活垃圾分类",
            "完善收运体系",
            "加强组织领导",
        ]
        .iter()
        .map(|t| k(t))
        .collect();
        assert_eq!(restated(&k("推进生活垃圾分类"), &titles), Some(1));
        assert_eq!(restated(&k("全面推进生活垃圾分类工作"), &titles), Some(1));
        assert_eq!(restated(&k("建设再生资源回收站"), &titles), None);
        // Too short to say.
        assert_eq!(restated(&k("宣传"), &titles), None);
        // Two tasks alike: no answer.
        let twice: Vec<Vec<char>> = ["完善收运体系", "完善收运体系"]
            .iter()
            .map(|t| k(t))
            .collect();
        assert_eq!(restated(&k("完善收运体系"), &twice), None);
    }
}
