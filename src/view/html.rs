//! The page frame shared by the review page and the diff page: escaping, the head with its
//! content security policy, the embedded style and script.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::compare::diff::Lang;

/// The style of both pages.
const CSS: &str = include_str!("review.css");
/// The script of both pages: navigation, the department filter, target details, change filter.
const JS: &str = include_str!("review.js");

/// `s` with `& < > " '` escaped, safe in text and in quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` escaped.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A value as JSON inside a quoted attribute.
pub fn json_attr<T: serde::Serialize + ?Sized>(v: &T) -> String {
    escape(&serde_json::to_string(v).unwrap_or_default())
}

/// The whole page: `panel` beside `main`, with the style and script inline. The content
/// security policy allows only these two, by hash: no network, and no other script runs even
/// if some text were to slip through unescaped.
pub fn page(lang: Lang, title: &str, class: &str, panel: &str, main: &str) -> String {
    let hash = |s: &str| base64(&Sha256::digest(s.as_bytes()));
    let mut out = String::with_capacity(panel.len() + main.len() + CSS.len() + JS.len() + 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'sha256-{}'; script-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"zhengce {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n\
         <body class=\"{class}\">\n<aside id=\"panel\">\n{panel}</aside>\n<main id=\"doc\">\n{main}</main>\n\
         <script>{JS}</script>\n</body>\n</html>\n",
        lang.html(),
        hash(CSS),
        hash(JS),
        env!("CARGO_PKG_VERSION"),
        escape(title),
    );
    out
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ABC[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_base64() {
        assert_eq!(
            escape(r#"<script>alert("x&y's")</script>"#),
            "&lt;script&gt;alert(&quot;x&amp;y&#39;s&quot;)&lt;/script&gt;"
        );
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
