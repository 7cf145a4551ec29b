//! Numerals: Chinese (`三十五`, `一千二百`, `两万`, `二〇二三`), Arabic and circled.

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
}
