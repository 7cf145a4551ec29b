//! The target stage on arbitrary text: it never panics, and every span it reports lies on
//! character boundaries inside the task's text, with target spans inside their clauses. The
//! whole pipeline keeps the output invariants on such text too.

use proptest::prelude::*;
use zhengce::base::text::Text;
use zhengce::invariants::invariants;
use zhengce::stages::targets::extract_task;

/// Pieces that policy text is made of, so that random strings hit the interesting paths.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "到2025年",
            "2025年底前",
            "“十四五”末",
            "每年",
            "年均",
            "比2020年",
            "分别",
            "新建",
            "达到",
            "提高",
            "下降",
            "累计",
            "不少于",
            "左右",
            "以上",
            "以内",
            "约",
            "第",
            "共",
            "、",
            ",",
            "，",
            "。",
            ";",
            ":",
            "(",
            ")",
            "（",
            "）",
            "“",
            "”",
            "《",
            "》",
            "\n",
            "\n\n",
            " ",
            "　",
            "——",
            "万",
            "亿",
            "元",
            "个",
            "家",
            "%",
            "％",
            "‰",
            "个百分点",
            "公里",
            "平方米",
            "万亩",
            "吨",
            "千伏",
            "微克/立方米",
            "/",
            "-",
            "~",
            "至",
            "到",
            "一",
            "二",
            "十",
            "百",
            "千",
            "两",
            "零点五",
            "百分之",
            "三十五",
            "的",
            "等",
            "号",
            "[2023]",
            "5G",
            "PM2.5",
            "已",
            "宜",
            "一、发展现状",
            "|",
            "\t",
            "指标",
            "单位",
            "目标",
            "１２",
            "1,000",
            "1.7",
            "8-10",
            "2-3",
            "0",
            "9",
            "99999999999999999999",
            "届",
            "期",
            "对",
            "达",
            "占",
            "直达",
            "举办",
            "现有",
            "以来",
            "以",
            "为核心",
            "共计",
            "项任务",
            "范围内",
            "宽度",
            "提升项目",
            "赴",
        ])
        .prop_map(str::to_string),
        "[0-9]{1,6}",
        "\\PC{0,3}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn stage_spans_are_sound(s in text()) {
        let rules = zhengce::rules::Rules::embedded().unwrap();
        let t = Text::new(s.clone());
        let norm = t.norm();
        // The whole text, and a part of it, as a task's own text.
        let mid = norm.char_indices().nth(norm.chars().count() / 3).map_or(0, |(i, _)| i);
        for own in [0..norm.len(), mid..norm.len()] {
            let got = extract_task(&t, &own, &[], rules.targets());
            for k in &got.skipped {
                prop_assert!(own.start <= k.span.start && k.span.end <= own.end);
                prop_assert!(norm.is_char_boundary(k.span.start) && norm.is_char_boundary(k.span.end));
                prop_assert!(k.span.start < k.span.end);
            }
            for tg in &got.targets {
                prop_assert!(own.start <= tg.span.start && tg.span.end <= own.end);
                prop_assert!(norm.is_char_boundary(tg.span.start) && norm.is_char_boundary(tg.span.end));
                prop_assert!(t.as_written(&tg.clause).contains(t.as_written(&tg.span)));
                prop_assert!(tg.value.is_finite());
            }
        }
    }

    #[test]
    fn pipeline_invariants_hold(s in text()) {
        let parser = zhengce::Parser::new(zhengce::rules::Rules::embedded().unwrap());
        let doc = parser.parse_bytes(s.as_bytes(), None);
        // Spans index the text as repaired (a lone bracket joined to its line, say).
        let bad = invariants(&doc, &parser.text(s.as_bytes()));
        prop_assert!(bad.is_empty(), "{:?}", bad);
    }
}

/// How many numbers the stage reads in `s` (targets and numbers passed over).
fn numbers_read(s: &str) -> usize {
    let rules = zhengce::rules::Rules::embedded().unwrap();
    let t = Text::new(s.to_string());
    let got = extract_task(&t, &(0..t.norm().len()), &[], rules.targets());
    got.targets.len() + got.skipped.len()
}

#[test]
fn long_inputs_are_read_whole() {
    // Four times the input gives four times the numbers, give or take the ends: nothing is
    // cut off or read twice at length. (Speed, and that it grows linearly, is measured by
    // `cargo bench --bench parse -- scale`, not asserted here.)
    for unit in [
        "到2025年,新建充电桩390个、",
        "新建A1个、",
        "“一”“二”3个",
        "到2025年底前,比2020年下降1%,",
        "一、发展目标\n到2025年,新建充电桩390个。\n",
        "——每年新增5家,",
        "分别达到80%、",
        "以滨江5公里为核心,",
        "1",
        "一",
        "、",
    ] {
        let small = numbers_read(&unit.repeat(1500));
        let large = numbers_read(&unit.repeat(6000));
        assert!(
            large + 8 >= 4 * small && large <= 4 * small + 8,
            "{unit:?}: {small} numbers for 1500, {large} for 6000"
        );
    }
}
