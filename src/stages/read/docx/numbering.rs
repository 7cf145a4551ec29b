//! Word's automatic numbering: the numbering and style definitions read, and the marker each
//! numbered paragraph shows (`一、`, `（一）`, `1.`, `第一条` …), counted as Word counts.
//!
//! Input: `word/numbering.xml` and `word/styles.xml`, then the paragraphs in order with their
//! style and numbering properties. Output: each paragraph's marker, or none.
//!
//! A paragraph's list and level come from its own `w:numPr`, else from its style's along the
//! `w:basedOn` chain (the nearest style that sets each wins), else the default paragraph
//! style's; `numId` 0 switches numbering off; a level missing is the one whose `w:pStyle` names
//! the paragraph's style, else 0. Counters are kept per abstract list, so two lists on one
//! definition continue each other; a `w:startOverride` restarts its level the first time its
//! list is used; lower levels restart after a higher one unless `w:lvlRestart` says otherwise;
//! `w:isLgl` shows every number in Arabic digits. `%1`…`%9` in a level's text are the counters
//! of levels 1–9 in their formats: decimal (also full-width, zero-padded, circled, in
//! brackets), Chinese counting (一, 十一, 一百零一), legal Chinese (壹), 甲乙丙, letters and Roman
//! numerals; a symbol-font bullet is `•`.

use std::collections::{HashMap, HashSet};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::attr;

/// A paragraph style's numbering, and the style it is based on.
#[derive(Debug, Default, Clone)]
struct Style {
    based_on: Option<String>,
    num_id: Option<u32>,
    ilvl: Option<usize>,
}

/// The paragraph styles of a document.
#[derive(Debug, Default)]
pub(super) struct Styles {
    styles: HashMap<String, Style>,
    default: Option<String>,
}

/// Reads `word/styles.xml`; what cannot be read is left out.
pub(super) fn parse_styles(xml: &str) -> Styles {
    let mut out = Styles::default();
    let mut r = Reader::from_str(xml);
    let mut cur: Option<(String, Style)> = None;
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "style" => {
                    cur = (attr(&e, "type").as_deref() == Some("paragraph")).then(|| {
                        let id = attr(&e, "styleId").unwrap_or_default();
                        if matches!(attr(&e, "default").as_deref(), Some("1" | "true" | "on")) {
                            out.default = Some(id.clone());
                        }
                        (id, Style::default())
                    });
                }
                "basedOn" => {
                    if let Some((_, s)) = &mut cur {
                        s.based_on = attr(&e, "val");
                    }
                }
                "numId" => {
                    if let Some((_, s)) = &mut cur {
                        s.num_id = attr(&e, "val").and_then(|v| v.parse().ok());
                    }
                }
                "ilvl" => {
                    if let Some((_, s)) = &mut cur {
                        s.ilvl = level(attr(&e, "val"));
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "style" => {
                if let Some((id, s)) = cur.take() {
                    out.styles.insert(id, s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// A level index 0–8.
fn level(v: Option<String>) -> Option<usize> {
    v.and_then(|v| v.parse().ok()).filter(|&i: &usize| i < 9)
}

impl Styles {
    /// The list and level a style gives along its `basedOn` chain.
    fn numbering_of(&self, style: &str) -> (Option<u32>, Option<usize>) {
        let (mut num, mut lvl) = (None, None);
        let mut cur = Some(style);
        // Chains are short; a cycle (they occur) stops here.
        for _ in 0..32 {
            let Some(s) = cur.and_then(|id| self.styles.get(id)) else {
                break;
            };
            num = num.or(s.num_id);
            lvl = lvl.or(s.ilvl);
            cur = s.based_on.as_deref();
        }
        (num, lvl)
    }
}

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: String,
    text: String,
    /// `None`: restarts after any higher level; `Some(0)`: never; `Some(k)`: after level k.
    restart: Option<u32>,
    style: Option<String>,
    legal: bool,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            format: "decimal".into(),
            text: String::new(),
            restart: None,
            style: None,
            legal: false,
        }
    }
}

/// A list definition (`w:abstractNum`).
#[derive(Debug, Default, Clone)]
struct Abstract {
    levels: [Option<Level>; 9],
    /// A list defined by the list a numbering style points at.
    style_link: Option<String>,
}

/// A list (`w:num`): a definition with overrides.
#[derive(Debug, Default, Clone)]
struct Num {
    abstract_id: u32,
    start_override: [Option<u32>; 9],
    level_override: [Option<Level>; 9],
}

/// The numbering definitions of a document.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<u32, Abstract>,
    nums: HashMap<u32, Num>,
}

/// Reads `word/numbering.xml`; what cannot be read is left out.
pub(super) fn parse_numbering(xml: &str) -> Numbering {
    let mut out = Numbering::default();
    let mut r = Reader::from_str(xml);
    let mut abs: Option<(u32, Abstract)> = None;
    let mut num: Option<(u32, Num)> = None;
    let mut override_level: Option<usize> = None;
    let mut lvl: Option<(usize, Level)> = None;
    let id = |v: Option<String>| v.and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
    loop {
        let (e, empty) = match r.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(end)) => {
                match end.local_name().as_ref() {
                    "lvl" => {
                        if let Some((i, l)) = lvl.take() {
                            if let Some((_, n)) = &mut num {
                                n.level_override[i] = Some(l);
                            } else if let Some((_, a)) = &mut abs {
                                a.levels[i] = Some(l);
                            }
                        }
                    }
                    "abstractNum" => {
                        if let Some((k, a)) = abs.take() {
                            out.abstracts.insert(k, a);
                        }
                    }
                    "num" => {
                        if let Some((k, n)) = num.take() {
                            out.nums.insert(k, n);
                        }
                    }
                    "lvlOverride" => override_level = None,
                    _ => {}
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        let val = || attr(&e, "val");
        match e.local_name().as_ref() {
            "abstractNum" if !empty => {
                abs = Some((id(attr(&e, "abstractNumId")), Abstract::default()));
            }
            "num" if !empty => num = Some((id(attr(&e, "numId")), Num::default())),
            "abstractNumId" => {
                if let Some((_, n)) = &mut num {
                    n.abstract_id = id(val());
                }
            }
            "numStyleLink" => {
                if let Some((_, a)) = &mut abs {
                    a.style_link = val();
                }
            }
            "lvlOverride" if !empty => override_level = level(attr(&e, "ilvl")),
            "startOverride" => {
                if let (Some((_, n)), Some(i)) = (&mut num, override_level) {
                    n.start_override[i] = val().and_then(|v| v.parse().ok());
                }
            }
            "lvl" if !empty => {
                let i = level(attr(&e, "ilvl")).or(override_level).unwrap_or(0);
                lvl = Some((i, Level::default()));
            }
            "start" => {
                if let Some((_, l)) = lvl.as_mut() {
                    l.start = val().and_then(|v| v.parse().ok()).unwrap_or(1);
                }
            }
            "numFmt" => {
                if let Some((_, l)) = lvl.as_mut() {
                    l.format = val().unwrap_or_else(|| "decimal".into());
                }
            }
            "lvlText" => {
                if let Some((_, l)) = lvl.as_mut() {
                    l.text = val().unwrap_or_default();
                }
            }
            "lvlRestart" => {
                if let Some((_, l)) = lvl.as_mut() {
                    l.restart = val().and_then(|v| v.parse().ok());
                }
            }
            "pStyle" => {
                if let Some((_, l)) = lvl.as_mut() {
                    l.style = val();
                }
            }
            "isLgl" => {
                if let Some((_, l)) = lvl.as_mut() {
                    l.legal = !matches!(val().as_deref(), Some("0" | "false" | "off"));
                }
            }
            _ => {}
        }
    }
    out
}

const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// One counter value in a number format (ECMA-376 ST_NumberFormat, the formats Chinese
/// documents use; any other is decimal).
pub(super) fn format_number(n: u32, format: &str) -> String {
    let nth = |base: u32, count: u32| {
        (1..=count)
            .contains(&n)
            .then(|| char::from_u32(base + n - 1))
            .flatten()
    };
    let digit_by_digit = |n: u32| -> String {
        n.to_string()
            .bytes()
            .map(|b| DIGITS[usize::from(b - b'0')])
            .collect()
    };
    let listed = |names: &[&str]| {
        n.checked_sub(1)
            .and_then(|i| names.get(i as usize))
            .map(|s| (*s).to_string())
    };
    let found = match format {
        "none" => Some(String::new()),
        "bullet" => Some("•".into()),
        "decimalZero" if n < 10 => Some(format!("0{n}")),
        "decimalFullWidth" | "decimalFullWidth2" => Some(
            n.to_string()
                .chars()
                .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10))
                .collect(),
        ),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
            nth(0x2460, 20).map(String::from)
        }
        "decimalEnclosedParen" => nth(0x2474, 20).map(String::from),
        "decimalEnclosedFullstop" => nth(0x2488, 20).map(String::from),
        "ideographEnclosedCircle" => nth(0x3280, 10).map(String::from),
        "ideographTraditional" => {
            listed(&["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"])
        }
        "ideographZodiac" => listed(&[
            "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
        ]),
        "ideographDigital" | "japaneseDigitalTenThousand" => Some(digit_by_digit(n)),
        "chineseCounting" | "taiwaneseCounting" | "japaneseCounting" => Some(if n < 100 {
            counting(n)
        } else {
            digit_by_digit(n)
        }),
        "chineseCountingThousand" | "taiwaneseCountingThousand" => Some(myriad(
            n,
            &["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"],
            &["", "十", "百", "千"],
            false,
        )),
        "chineseLegalSimplified" => Some(myriad(
            n,
            &["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"],
            &["", "拾", "佰", "仟"],
            true,
        )),
        "ideographLegalTraditional" => Some(myriad(
            n,
            &["零", "壹", "貳", "參", "肆", "伍", "陸", "柒", "捌", "玖"],
            &["", "拾", "佰", "仟"],
            true,
        )),
        "upperLetter" | "lowerLetter" if n > 0 => {
            let c = char::from(b'A' + ((n - 1) % 26) as u8);
            let s = c.to_string().repeat(((n - 1) / 26 + 1).min(100) as usize);
            Some(if format == "lowerLetter" {
                s.to_lowercase()
            } else {
                s
            })
        }
        "upperRoman" | "lowerRoman" if n > 0 && n < 4000 => {
            let s = roman(n);
            Some(if format == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            })
        }
        _ => None,
    };
    found.unwrap_or_else(|| n.to_string())
}

/// 1–99 in Chinese counting: 一, 十, 十一, 二十, 九十九.
fn counting(n: u32) -> String {
    let d = |k: u32| DIGITS[k as usize];
    match n {
        0..=9 => d(n).into(),
        10..=19 => format!("十{}", if n.is_multiple_of(10) { "" } else { d(n % 10) }),
        _ => format!(
            "{}十{}",
            d(n / 10),
            if n.is_multiple_of(10) { "" } else { d(n % 10) }
        ),
    }
}

/// Chinese counting with units (一百零一, 一千零一十, 一万零五); `legal` keeps the leading
/// one of the tens (壹拾壹).
fn myriad(n: u32, d: &[&str; 10], units: &[&str; 4], legal: bool) -> String {
    if n == 0 {
        return d[0].into();
    }
    if n >= 10_000 {
        let (hi, lo) = (n / 10_000, n % 10_000);
        let mut s = myriad(hi, d, units, legal) + "万";
        if lo > 0 {
            if lo < 1000 {
                s += d[0];
            }
            s += &below_myriad(lo, d, units, true, legal);
        }
        return s;
    }
    below_myriad(n, d, units, false, legal)
}

fn below_myriad(n: u32, d: &[&str; 10], units: &[&str; 4], in_group: bool, legal: bool) -> String {
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let mut s = String::new();
    let (mut zero, mut started) = (false, false);
    for (i, &dg) in digits.iter().enumerate() {
        if dg == 0 {
            zero |= started;
            continue;
        }
        if std::mem::take(&mut zero) {
            s += d[0];
        }
        // 十一 rather than 一十一 at the head of a number; the legal forms keep 壹拾壹.
        if !(i == 2 && dg == 1 && !started && !in_group && !legal) {
            s += d[dg as usize];
        }
        s += units[3 - i];
        started = true;
    }
    s
}

fn roman(mut n: u32) -> String {
    const R: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s += r;
            n -= v;
        }
    }
    s
}

/// The numbering state while the paragraphs are read in order.
pub(super) struct Counter<'a> {
    numbering: &'a Numbering,
    styles: &'a Styles,
    /// Per list definition: the counters of its nine levels.
    counters: HashMap<u32, [Option<u32>; 9]>,
    /// (list, level) whose start override has been applied.
    applied: HashSet<(u32, usize)>,
}

impl<'a> Counter<'a> {
    pub(super) fn new(numbering: &'a Numbering, styles: &'a Styles) -> Self {
        Counter {
            numbering,
            styles,
            counters: HashMap::new(),
            applied: HashSet::new(),
        }
    }

    /// The definition of list `num_id` (following a numbering style's link), with its id.
    fn definition(&self, num_id: u32) -> Option<(u32, &'a Abstract)> {
        let n = self.numbering.nums.get(&num_id)?;
        let a = self.numbering.abstracts.get(&n.abstract_id)?;
        let linked = a.style_link.as_deref().and_then(|link| {
            let target = self
                .numbering
                .nums
                .get(&self.styles.numbering_of(link).0?)?;
            Some((
                target.abstract_id,
                self.numbering.abstracts.get(&target.abstract_id)?,
            ))
        });
        Some(linked.unwrap_or((n.abstract_id, a)))
    }

    fn level(&self, num_id: u32, def: &'a Abstract, i: usize) -> Option<&'a Level> {
        self.numbering
            .nums
            .get(&num_id)
            .and_then(|n| n.level_override[i].as_ref())
            .or(def.levels[i].as_ref())
    }

    /// The marker of the next paragraph, from its style and its own list and level, counting
    /// it; `None` when it is not numbered.
    pub(super) fn next(
        &mut self,
        style: Option<&str>,
        num_id: Option<u32>,
        ilvl: Option<usize>,
    ) -> Option<String> {
        let style = style.or(self.styles.default.as_deref());
        let (style_num, style_level) = style.map_or((None, None), |s| self.styles.numbering_of(s));
        let num_id = num_id.or(style_num).filter(|&n| n != 0)?;
        let (def_id, def) = self.definition(num_id)?;
        let i = ilvl
            .or(style_level)
            .or_else(|| {
                let st = style?;
                (0..9)
                    .find(|&i| def.levels[i].as_ref().and_then(|l| l.style.as_deref()) == Some(st))
            })
            .unwrap_or(0)
            .min(8);
        let lvl = self.level(num_id, def, i)?;
        let num = self.numbering.nums.get(&num_id);
        let start_override = num.and_then(|n| n.start_override[i]);
        let level_override = num.is_some_and(|n| n.level_override[i].is_some());
        let first_use = self.applied.insert((num_id, i));
        let counters = self.counters.entry(def_id).or_insert([None; 9]);
        counters[i] = match (start_override, level_override && first_use) {
            (Some(s), _) if first_use => Some(s),
            (_, true) => Some(lvl.start),
            _ => Some(counters[i].map_or(lvl.start, |c| c.saturating_add(1))),
        };
        // Lower levels restart, unless their lvlRestart says otherwise.
        for (m, c) in counters.iter_mut().enumerate().skip(i + 1) {
            let restart = def.levels[m].as_ref().and_then(|l| l.restart);
            if match restart {
                None => true,
                Some(0) => false,
                Some(k) => (i as u32) < k,
            } {
                *c = None;
            }
        }
        let counters = *counters;
        let mut out = String::new();
        let mut chars = lvl.text.chars().peekable();
        while let Some(c) = chars.next() {
            let placeholder = (c == '%')
                .then(|| chars.peek().and_then(|d| d.to_digit(10)))
                .flatten()
                .filter(|d| (1..=9).contains(d));
            if let Some(d) = placeholder {
                chars.next();
                let k = d as usize - 1;
                let lk = self.level(num_id, def, k);
                let value = counters[k].unwrap_or_else(|| lk.map_or(1, |l| l.start));
                let format = if lvl.legal {
                    "decimal"
                } else {
                    lk.map_or("decimal", |l| l.format.as_str())
                };
                out += &format_number(value, format);
            } else if ('\u{E000}'..='\u{F8FF}').contains(&c) {
                // A bullet in a symbol font is a private-use character.
                out.push('•');
            } else {
                out.push(c);
            }
        }
        if lvl.format == "bullet" && out.is_empty() {
            out.push('•');
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_the_formats_chinese_documents_use() {
        let cases = [
            (1, "chineseCounting", "一"),
            (10, "chineseCounting", "十"),
            (11, "chineseCounting", "十一"),
            (20, "chineseCounting", "二十"),
            (99, "chineseCounting", "九十九"),
            (101, "chineseCountingThousand", "一百零一"),
            (1010, "chineseCountingThousand", "一千零一十"),
            (11, "chineseCountingThousand", "十一"),
            (10005, "chineseCountingThousand", "一万零五"),
            (11, "chineseLegalSimplified", "壹拾壹"),
            (3, "ideographTraditional", "丙"),
            (11, "ideographTraditional", "11"),
            (3, "decimalEnclosedCircleChinese", "③"),
            (2, "decimalEnclosedParen", "⑵"),
            (12, "decimalFullWidth", "１２"),
            (4, "upperRoman", "IV"),
            (28, "lowerLetter", "bb"),
            (7, "decimalZero", "07"),
            (7, "unknownFormat", "7"),
        ];
        for (n, f, want) in cases {
            assert_eq!(format_number(n, f), want, "{n} {f}");
        }
    }
}
