//! Word-by-word comparison of titles and texts: jieba-rs's HMM words, with department names
//! kept whole, and a similarity of two strings.

use super::*;
use crate::base::display;

/// Word splitting for word-by-word comparison: jieba-rs's HMM, which needs no dictionary
/// (loading jieba's default one would take most of a `diff`; see `benches/README.md`), plus names to
/// keep whole: the departments of the two documents, so that a renamed department reads as one
/// edit.
#[derive(Debug)]
pub struct Words(jieba_rs::Jieba);

impl Words {
    /// A splitter that keeps each of `names` as one word. jieba cuts text at brackets, spaces
    /// and other punctuation before it looks words up, so a name with them is kept as its
    /// pieces (`县农业农村局(县乡村振兴局)` as `县农业农村局` and `县乡村振兴局`); pieces of one
    /// character are left to the HMM.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut j = jieba_rs::Jieba::empty();
        let apart = |c: char| !(c.is_alphanumeric() || matches!(c, '.' | '%' | '-' | '_' | '+'));
        for name in names {
            for piece in name.split(apart) {
                if piece.chars().nth(1).is_some() && !j.has_word(piece) {
                    j.add_word(piece, None, None);
                }
            }
        }
        Words(j)
    }

    /// A splitter that keeps the department names of `docs` whole.
    pub fn of_documents(docs: &[&Document]) -> Self {
        fn tasks<'a>(ts: &'a [Task], out: &mut Vec<&'a str>) {
            for t in ts {
                out.extend(t.lead.iter().chain(&t.participants).map(String::as_str));
                tasks(&t.children, out);
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for d in docs {
            for dep in &d.departments {
                names.push(&dep.name);
                names.extend(dep.aliases.iter().map(String::as_str));
            }
            tasks(&d.tasks, &mut names);
        }
        names.sort_unstable();
        names.dedup();
        Words::new(names)
    }

    /// Word-by-word differences between two strings.
    pub fn diff(&self, old: &str, new: &str) -> Vec<WordOp> {
        let a: Vec<&str> = self.0.cut(old, true).into_iter().map(|t| t.word).collect();
        let b: Vec<&str> = self.0.cut(new, true).into_iter().map(|t| t.word).collect();
        ops_of(&a, &b)
    }
}

/// A word-level edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordOp {
    /// Equal, delete or insert.
    pub tag: DiffTag,
    /// The words.
    pub text: String,
}

/// Word-by-word differences between two strings, words as [`Words`] splits them without names.
pub fn word_diff(old: &str, new: &str) -> Vec<WordOp> {
    static PLAIN: OnceLock<Words> = OnceLock::new();
    PLAIN.get_or_init(|| Words::new([])).diff(old, new)
}

pub(super) fn ops_of(a: &[&str], b: &[&str]) -> Vec<WordOp> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_slices(a, b);
    let mut out: Vec<WordOp> = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_changes(op) {
            let tag = match change.tag() {
                similar::ChangeTag::Equal => DiffTag::Equal,
                similar::ChangeTag::Delete => DiffTag::Delete,
                similar::ChangeTag::Insert => DiffTag::Insert,
            };
            let word = change.value();
            match out.last_mut() {
                Some(last) if last.tag == tag => last.text.push_str(word),
                _ => out.push(WordOp {
                    tag,
                    text: word.to_string(),
                }),
            }
        }
    }
    out
}

/// Renders word edits as `大力发展[-418亿元-]{+450亿元+}`, keeping a little context.
pub(super) fn render_words(ops: &[WordOp]) -> String {
    let mut s = String::new();
    for (i, op) in ops.iter().enumerate() {
        match op.tag {
            DiffTag::Equal => {
                let keep = 12;
                if op.text.chars().count() <= keep * 2 + 1 {
                    s.push_str(&op.text);
                } else {
                    if i > 0 {
                        s.push_str(display::head(&op.text, keep));
                    }
                    s.push('…');
                    if i + 1 < ops.len() {
                        s.push_str(display::tail(&op.text, keep));
                    }
                }
            }
            DiffTag::Delete => {
                let _ = write!(s, "[-{}-]", op.text);
            }
            DiffTag::Insert | DiffTag::Replace => {
                let _ = write!(s, "{{+{}+}}", op.text);
            }
        }
    }
    s
}

/// Character similarity of two strings, 0 to 1.
pub(super) fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_chars(a, b)
        .ratio()
}
