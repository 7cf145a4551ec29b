//! Text cut for display (a ledger cell, a diff's context, a diagnostic's quote): cuts fall
//! between grapheme clusters, so a base character keeps its combining marks and a flag or
//! an emoji sequence is never split.

use unicode_segmentation::UnicodeSegmentation;

/// The longest start of `s` of at most `n` characters that ends between grapheme clusters.
pub fn head(s: &str, n: usize) -> &str {
    let mut chars = 0;
    let mut end = 0;
    for (at, g) in s.grapheme_indices(true) {
        chars += g.chars().count();
        if chars > n {
            break;
        }
        end = at + g.len();
    }
    &s[..end]
}

/// The longest end of `s` of at most `n` characters that starts between grapheme clusters.
pub fn tail(s: &str, n: usize) -> &str {
    let mut chars = 0;
    let mut start = s.len();
    for (at, g) in s.grapheme_indices(true).rev() {
        chars += g.chars().count();
        if chars > n {
            break;
        }
        start = at;
    }
    &s[start..]
}

/// `s` if it has at most `n` characters, else its [`head`] of `n - 1` characters and `…`.
pub fn clip(s: &str, n: usize) -> std::borrow::Cow<'_, str> {
    if s.len() <= n || s.chars().count() <= n {
        return s.into();
    }
    format!("{}…", head(s, n.saturating_sub(1))).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_between_grapheme_clusters() {
        // `e` and a combining acute accent are one cluster of two characters.
        let s = "ae\u{301}bc";
        assert_eq!(head(s, 2), "a");
        assert_eq!(head(s, 3), "ae\u{301}");
        assert_eq!(tail(s, 3), "bc");
        assert_eq!(tail(s, 4), "e\u{301}bc");
        // A flag is two regional indicators.
        assert_eq!(head("目标🇨🇳达成", 3), "目标");
        assert_eq!(clip("一二三四五", 3), "一二…");
        assert_eq!(clip("一二三", 3), "一二三");
        assert_eq!(head("", 3), "");
    }

    proptest::proptest! {
        #[test]
        fn head_and_tail_stay_within_bounds(s in "\\PC{0,30}", n in 0usize..40) {
            let h = head(&s, n);
            let t = tail(&s, n);
            proptest::prop_assert!(h.chars().count() <= n && s.starts_with(h));
            proptest::prop_assert!(t.chars().count() <= n && s.ends_with(t));
            if s.chars().count() <= n {
                proptest::prop_assert_eq!(h, s.as_str());
            }
        }
    }
}
