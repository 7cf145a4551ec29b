//! Numerals: Chinese (`三十五`, `一千二百`, `两万`, `二〇二三`, `零点五`), Arabic (`1,000`,
//! `55.5`, `１２`, `1.7万`), percentages written out (`百分之三十`) and circled numbers.
//!
//! Two kinds of readers: whole-string parsers ([`parse_number`], [`chinese_integer`],
//! [`arabic_integer`]) and a prefix reader for scanning running text ([`read_numeral`]), which
//! leaves a trailing magnitude (`万`, `亿`) to the unit so that `1.7万人` reads as 1.7 `万人`.

/// Value of one Chinese digit character.
pub fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' | '○' | 'O' | 'Ｏ' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn small_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

fn big_unit(c: char) -> Option<u64> {
    Some(match c {
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

/// Reads a Chinese integer: `十二` → 12, `一百零五` → 105, `两万` → 20000, `二〇二三` → 2023
/// (digits without units are read positionally). `None` for anything else or on overflow.
pub fn chinese_integer(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let has_unit = s
        .chars()
        .any(|c| small_unit(c).is_some() || big_unit(c).is_some());
    if !has_unit {
        let mut v: u64 = 0;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(chinese_digit(c)?)?;
        }
        return Some(v);
    }
    let mut total: u64 = 0; // completed 亿 and 万 groups
    let mut section: u64 = 0; // below the current big unit
    let mut num: Option<u64> = None; // pending digit
    for c in s.chars() {
        if let Some(d) = chinese_digit(c) {
            if num.is_some() && d != 0 {
                return None; // two digits in a row (一二十) is not a number
            }
            num = if d == 0 { None } else { Some(d) };
        } else if let Some(u) = small_unit(c) {
            section = section.checked_add(num.unwrap_or(1).checked_mul(u)?)?;
            num = None;
        } else if let Some(u) = big_unit(c) {
            let group = section.checked_add(num.unwrap_or(0))?;
            if group == 0 && total > 0 {
                // 万亿: a magnitude right after another multiplies what came before.
                total = total.checked_mul(u)?;
                section = 0;
                num = None;
                continue;
            }
            let group = if group == 0 { 1 } else { group };
            if u == 100_000_000 {
                total = total.checked_add(group)?.checked_mul(u)?;
            } else {
                total = total.checked_add(group.checked_mul(u)?)?;
            }
            section = 0;
            num = None;
        } else {
            return None;
        }
    }
    total.checked_add(section)?.checked_add(num.unwrap_or(0))
}

/// Value of a circled number `①`–`⑳`.
pub fn circled(c: char) -> Option<u64> {
    match c {
        '①'..='⑳' => Some(c as u64 - '①' as u64 + 1),
        _ => None,
    }
}

/// Reads an ASCII or full-width Arabic integer.
pub fn arabic_integer(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u64 - '0' as u64,
            '０'..='９' => c as u64 - '０' as u64,
            _ => return None,
        };
        v = v.checked_mul(10)?.checked_add(d)?;
    }
    Some(v)
}

/// Magnitude characters that may follow a number: `十 百 千 万 亿` and their combinations
/// (`十万`, `百万`, `千万`, `万亿`). Returns the power of ten of the whole suffix.
pub fn magnitude(s: &str) -> Option<i32> {
    let mut e = 0;
    for c in s.chars() {
        e += match c {
            '十' => 1,
            '百' => 2,
            '千' => 3,
            '万' | '萬' => 4,
            '亿' | '億' => 8,
            _ => return None,
        };
    }
    (e > 0).then_some(e)
}

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

fn is_chinese_numeral_char(c: char) -> bool {
    (chinese_digit(c).is_some() && c != 'O' && c != 'Ｏ')
        || small_unit(c).is_some()
        || big_unit(c).is_some()
}

/// A numeral read from the start of a string by [`read_numeral`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Numeral {
    /// Its value. For an Arabic numeral a following `万`/`亿` is not read (it belongs to the
    /// unit); a Chinese numeral is read whole (`二十万` is 200000).
    pub value: f64,
    /// Bytes read.
    pub len: usize,
    /// Whether it is written in Chinese characters.
    pub chinese: bool,
    /// Whether it has a fractional part.
    pub decimal: bool,
    /// For a Chinese numeral that ends in its only magnitude character (`二十万`, `两亿`): the
    /// value and length without it (20 and the bytes of `二十`), so the magnitude can go to
    /// the unit as written (`二十万头` is 20 `万头`).
    pub head: Option<(f64, usize)>,
}

/// Reads the numeral at the very start of `s`: Arabic digits (ASCII or full-width) with an
/// optional decimal part and thousands separators (`1,000`, only where every group has three
/// digits), or Chinese numerals (`三十五`, `一百零五`, `两万`, `零点五`, `二〇二三`).
/// Digits read positionally (without `十 百 千`) are accepted only one at a time or with a zero
/// (`二〇二三`), so `一二` is not read as twelve. `None` when `s` does not start with a numeral.
pub fn read_numeral(s: &str) -> Option<Numeral> {
    let first = s.chars().next()?;
    if ascii_digit(first).is_some() {
        read_arabic(s)
    } else if is_chinese_numeral_char(first) && big_unit(first).is_none() {
        read_chinese(s)
    } else {
        None
    }
}

fn read_arabic(s: &str) -> Option<Numeral> {
    let mut digits = String::new();
    let mut end = 0;
    let mut group = 0; // digits since the last separator
    let mut groups_ok = true;
    let mut seps = 0;
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if let Some(d) = ascii_digit(c) {
            digits.push(d);
            group += 1;
            end = i + c.len_utf8();
            chars.next();
        } else if c == ',' && group > 0 {
            // A thousands separator needs exactly three digits after it.
            let rest = &s[i + 1..];
            let next3: Vec<char> = rest.chars().take(4).collect();
            let three = next3.len() >= 3 && next3[..3].iter().all(|&d| ascii_digit(d).is_some());
            let fourth_digit = next3.get(3).is_some_and(|&d| ascii_digit(d).is_some());
            if !three || fourth_digit || (seps == 0 && group > 3) || (seps > 0 && group != 3) {
                break;
            }
            seps += 1;
            group = 0;
            chars.next();
        } else {
            break;
        }
    }
    if digits.is_empty() {
        return None;
    }
    if seps > 0 && group != 3 {
        groups_ok = false;
    }
    if !groups_ok {
        return None;
    }
    let mut decimal = false;
    let rest = &s[end..];
    if let Some(frac) = rest.strip_prefix('.').or_else(|| rest.strip_prefix('．')) {
        let dot_len = rest.len() - frac.len();
        let mut fd = String::new();
        let mut flen = 0;
        for c in frac.chars() {
            match ascii_digit(c) {
                Some(d) => {
                    fd.push(d);
                    flen += c.len_utf8();
                }
                None => break,
            }
        }
        if !fd.is_empty() {
            digits.push('.');
            digits.push_str(&fd);
            end += dot_len + flen;
            decimal = true;
        }
    }
    // Hundreds of digits overflow a float: no number.
    let value: f64 = digits.parse().ok().filter(|v: &f64| v.is_finite())?;
    Some(Numeral {
        value,
        len: end,
        chinese: false,
        decimal,
        head: None,
    })
}

fn read_chinese(s: &str) -> Option<Numeral> {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if is_chinese_numeral_char(c) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let int = &s[..end];
    let positional = !int
        .chars()
        .any(|c| small_unit(c).is_some() || big_unit(c).is_some());
    if positional && int.chars().count() > 1 && !int.chars().any(|c| chinese_digit(c) == Some(0)) {
        return None;
    }
    let mut value = chinese_integer(int)? as f64;
    let mut len = end;
    let mut decimal = false;
    // 零点五, 三点一四
    if let Some(frac) = s[end..].strip_prefix('点') {
        let mut digits = String::from("0.");
        let mut flen = 0;
        for c in frac.chars() {
            match chinese_digit(c) {
                Some(d) if c != 'O' && c != 'Ｏ' => {
                    digits.push(char::from(b'0' + d as u8));
                    flen += c.len_utf8();
                }
                _ => break,
            }
        }
        if flen > 0 && !int.chars().any(|c| big_unit(c).is_some()) {
            let f: f64 = digits.parse().ok()?;
            value += f;
            len = end + '点'.len_utf8() + flen;
            decimal = true;
        }
    }
    // A trailing single magnitude goes to the unit when one follows: 二十万头.
    let head = if decimal {
        None
    } else {
        let bigs: Vec<(usize, char)> = int
            .char_indices()
            .filter(|&(_, c)| big_unit(c).is_some())
            .collect();
        match bigs.as_slice() {
            [(i, c)] if i + c.len_utf8() == end && *i > 0 => {
                chinese_integer(&int[..*i]).map(|v| (v as f64, *i))
            }
            _ => None,
        }
    };
    Some(Numeral {
        value,
        len,
        chinese: true,
        decimal,
        head,
    })
}

/// Parses a whole string as a number: Arabic (`418`, `55.5`, `1,000`, `１２`) or Chinese
/// (`三十五`, `一千二百`, `两万`, `零点五`) with an optional magnitude (`1.7万` is 17000, `3亿`,
/// `三点五万`), or a percentage written out (`百分之三十` reads as its figure, 30). Surrounding
/// whitespace is ignored. `None` for anything else.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Some(rest) = s
        .strip_prefix("百分之")
        .or_else(|| s.strip_prefix("千分之"))
    {
        return parse_number(rest).filter(|_| !rest.trim().is_empty());
    }
    let n = read_numeral(s)?;
    let rest = &s[n.len..];
    if rest.is_empty() {
        return Some(n.value);
    }
    // Scale in decimal so that 1.7万 is exactly 17000; a magnitude repeated past what a float
    // holds (`11亿亿亿…`) is no number.
    let e = magnitude(rest)?;
    format!("{}e{e}", format_number(n.value))
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
}

/// Writes a number in Arabic digits, as short as reads back exactly (`418`, `55.5`, `0.1`).
pub fn format_number(v: f64) -> String {
    format!("{v}")
}

/// Writes an Arabic integer with thousands separators (`1,000,000`).
pub fn format_grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes an integer below 10^16 in Chinese numerals the way documents do (`一百零五`,
/// `一千二百`, `二万`, `十二`, `一亿二千万`); larger numbers are written with repeated `亿`.
pub fn to_chinese(n: u64) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    fn below_10k(n: u64, leading: bool, out: &mut String) {
        let mut zero = false;
        let mut started = false;
        for (p, u) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
            let d = (n / p) % 10;
            if d == 0 {
                zero |= started;
                continue;
            }
            if zero {
                out.push('零');
                zero = false;
            }
            if !(p == 10 && d == 1 && !started && leading) {
                out.push(DIGITS[d as usize]);
            }
            out.push_str(u);
            started = true;
        }
    }
    fn below_1e8(n: u64, leading: bool, out: &mut String) {
        if n >= 10_000 {
            below_10k(n / 10_000, leading, out);
            out.push('万');
            let lo = n % 10_000;
            if lo > 0 {
                if lo < 1000 {
                    out.push('零');
                }
                below_10k(lo, false, out);
            }
        } else {
            below_10k(n, leading, out);
        }
    }
    if n == 0 {
        return "零".to_string();
    }
    let mut out = String::new();
    if n >= 100_000_000 {
        out.push_str(&to_chinese(n / 100_000_000));
        out.push('亿');
        let lo = n % 100_000_000;
        if lo > 0 {
            if lo < 10_000_000 {
                out.push('零');
            }
            below_1e8(lo, false, &mut out);
        }
    } else {
        below_1e8(n, true, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_integers() {
        for (s, v) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("三十五", 35),
            ("一百零五", 105),
            ("一千二百", 1200),
            ("两万", 20000),
            ("二十万", 200_000),
            ("四十三", 43),
            ("二〇二三", 2023),
            ("一亿二千万", 120_000_000),
        ] {
            assert_eq!(chinese_integer(s), Some(v), "{s}");
        }
        for s in ["", "一二十", "十a", "abc"] {
            assert_eq!(chinese_integer(s), None, "{s}");
        }
    }

    #[test]
    fn circled_and_arabic() {
        assert_eq!(circled('①'), Some(1));
        assert_eq!(circled('⑳'), Some(20));
        assert_eq!(circled('1'), None);
        assert_eq!(arabic_integer("１２"), Some(12));
        assert_eq!(arabic_integer("40"), Some(40));
        assert_eq!(arabic_integer("99999999999999999999999"), None);
    }

    #[test]
    fn whole_numbers_in_every_form() {
        for (s, v) in [
            ("418", 418.0),
            ("55.5", 55.5),
            ("7.31", 7.31),
            ("1,000", 1000.0),
            ("12,345,678", 12_345_678.0),
            ("１２", 12.0),
            ("１２．５", 12.5),
            ("1.7万", 17000.0),
            ("50万", 500_000.0),
            ("1.5万亿", 1.5e12),
            ("3亿", 3e8),
            ("5千万", 5e7),
            ("三十五", 35.0),
            ("一千二百", 1200.0),
            ("两万", 20000.0),
            ("十", 10.0),
            ("二十万", 200_000.0),
            ("一百零五", 105.0),
            ("零点五", 0.5),
            ("三点二五", 3.25),
            ("三点五万", 35000.0),
            ("百分之三十", 30.0),
            ("百分之九十", 90.0),
            ("百分之5", 5.0),
            ("千分之五", 5.0),
            ("二十万亿", 2e13),
            ("一万二千亿", 1.2e12),
        ] {
            assert_eq!(parse_number(s), Some(v), "{s}");
        }
        for s in [
            "",
            "abc",
            "百分之",
            "1,00",
            "1,0000",
            "万",
            "一二",
            "5G",
            "1.7万人",
        ] {
            assert_eq!(parse_number(s), None, "{s}");
        }
    }

    #[test]
    fn prefix_reader_leaves_magnitude_to_the_unit() {
        let n = read_numeral("1.7万人左右").unwrap();
        assert_eq!(
            (n.value, n.len, n.chinese, n.decimal),
            (1.7, 3, false, true)
        );
        let n = read_numeral("418亿元").unwrap();
        assert_eq!((n.value, n.len), (418.0, 3));
        let n = read_numeral("1,000名").unwrap();
        assert_eq!((n.value, n.len), (1000.0, 5));
        // A comma that is not a thousands separator ends the number.
        let n = read_numeral("390个,配备").unwrap();
        assert_eq!(n.value, 390.0);
        let n = read_numeral("27%,10%").unwrap();
        assert_eq!((n.value, n.len), (27.0, 2));
        let n = read_numeral("2020,2025").unwrap();
        assert_eq!((n.value, n.len), (2020.0, 4));
        let n = read_numeral("二十万头").unwrap();
        assert_eq!(n.value, 200_000.0);
        assert_eq!(n.head, Some((20.0, "二十".len())));
        let n = read_numeral("零点五个百分点").unwrap();
        assert_eq!((n.value, n.len, n.decimal), (0.5, "零点五".len(), true));
        let n = read_numeral("三十五岁").unwrap();
        assert_eq!((n.value, n.head), (35.0, None));
        assert_eq!(read_numeral("万元"), None);
        assert_eq!(read_numeral("一二三四"), None);
        assert_eq!(read_numeral("个"), None);
        assert_eq!(read_numeral("二〇二三年").unwrap().value, 2023.0);
        assert_eq!(read_numeral("5.").unwrap().len, 1);
    }

    #[test]
    fn chinese_writing() {
        for (n, s) in [
            (0, "零"),
            (10, "十"),
            (12, "十二"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1200, "一千二百"),
            (1005, "一千零五"),
            (20000, "二万"),
            (100_000, "十万"),
            (120_000_000, "一亿二千万"),
            (100_000_005, "一亿零五"),
        ] {
            assert_eq!(to_chinese(n), s, "{n}");
        }
        assert_eq!(format_grouped(1_234_567), "1,234,567");
        assert_eq!(format_grouped(999), "999");
    }

    use proptest::prelude::*;

    fn numeral_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            (0u64..10_000_000_000).prop_map(|n| n.to_string()),
            (0u64..10_000_000_000).prop_map(format_grouped),
            (0u64..1_000_000, 0u32..10_000).prop_map(|(i, f)| format!("{i}.{f}")),
            (0u64..1_000_000_000_000).prop_map(to_chinese),
            (
                1u64..10_000,
                prop::sample::select(vec!["万", "亿", "千", "万亿", "百万"])
            )
                .prop_map(|(n, m)| format!("{n}{m}")),
            (1u64..1000, 0u32..100).prop_map(|(i, f)| format!("{i}.{f}万")),
            (0u64..100).prop_map(|n| format!("百分之{}", to_chinese(n))),
            (0u32..10).prop_map(|d| format!("零点{}", to_chinese(u64::from(d)))),
        ]
    }

    proptest! {
        /// Formatting a parsed number and parsing it again gives the same value.
        #[test]
        fn parse_format_parse(s in numeral_strategy()) {
            let v = parse_number(&s);
            prop_assert!(v.is_some(), "{} did not parse", s);
            let v = v.unwrap();
            prop_assert_eq!(parse_number(&format_number(v)), Some(v));
        }

        #[test]
        fn arabic_round_trip(v in 0.0f64..1e15) {
            prop_assert_eq!(parse_number(&format_number(v)), Some(v));
        }

        #[test]
        fn chinese_round_trip(n in 0u64..10_000_000_000_000_000) {
            prop_assert_eq!(parse_number(&to_chinese(n)), Some(n as f64));
            prop_assert_eq!(chinese_integer(&to_chinese(n)), Some(n));
        }

        #[test]
        fn grouped_round_trip(n in 0u64..u64::MAX / 10) {
            prop_assert_eq!(parse_number(&format_grouped(n)), Some(n as f64));
        }

                #[test]
        fn huge_numbers_are_no_numbers(n in 1usize..80) {
            let repeated = format!("11{}", "亿".repeat(n));
            prop_assert!(parse_number(&repeated).is_none_or(f64::is_finite));
            let digits = "9".repeat(n * 10);
            prop_assert!(parse_number(&digits).is_none_or(f64::is_finite));
        }

        #[test]
        fn reading_never_panics(s in "\\PC{0,12}") {
            let _ = read_numeral(&s);
            let _ = parse_number(&s);
        }
    }
}
