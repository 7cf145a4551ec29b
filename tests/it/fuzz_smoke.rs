//! The fuzz targets' properties on stable Rust, as a smoke run in the suite: the fixtures, every
//! committed regression input (`fuzz/regressions/`), random bytes, and generated policy-like
//! text. The libFuzzer targets in `fuzz/` check the same functions at length.

use crate::common;

use proptest::prelude::*;
use zhengce::invariants::{diff_self, number_roundtrip, pattern, pipeline, stream};

#[test]
fn fixtures_and_regressions() {
    let mut inputs: Vec<(String, Vec<u8>)> = common::fixtures()
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    let dir = common::root().join("fuzz/regressions");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_none_or(|e| e != "md") {
            inputs.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    for (name, bytes) in inputs {
        pipeline(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        diff_self(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        stream(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        number_roundtrip(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        pattern(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// Pieces that policy documents are made of, in both widths, plus noise.
fn piece() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "一、",
        "二、",
        "十二、",
        "(一)",
        "（二）",
        "1.",
        "2、",
        "３．",
        "(1)",
        "（2）",
        "①",
        "⑳",
        "第一章",
        "第二条",
        "1 ",
        "1.1",
        "2.3.1",
        "总体要求",
        "加强组织领导",
        "到2025年，",
        "2025年底前",
        "产值达到418亿元左右",
        "新增就业1.7万人",
        "百分之九十",
        "下降27%、10%",
        "分别",
        "3-5个",
        "1,000台",
        "“十四五”末",
        "比2020年",
        "（牵头单位：区发展改革委、区财政局；配合单位：各街镇）",
        "(牵头部门:县发展和改革局;参与部门:县工业和信息局)",
        "【责任部门：县大数据局】",
        "（市发展改革委牵头，市财政局等按职责分工负责）",
        "牵头部门：",
        "（",
        "）",
        "(",
        ")",
        "【",
        "】",
        "〔2023〕",
        "鲁政办发〔2023〕5号",
        "各镇党委、政府：",
        "2023年8月22日",
        "二〇二三年八月二十二日",
        "(此件公开发布)",
        "附件",
        "鲁公网安备37172602000105号",
        "| 发布日期: | 2023 年 08 月 22 日 | |",
        "。",
        "，",
        "；",
        "：",
        "、",
        " ",
        "\u{3000}",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\u{FFFD}",
        "\u{FEFF}",
        "关于印发《行动计划》的通知",
        "行动计划(2023—2025年)",
        "0",
        "99999999999999999999",
        "1e308",
        "-",
        "~",
        "至",
        "%",
        "‰",
        "个百分点",
    ]);
    prop_oneof![
        8 => fixed.prop_map(str::to_string),
        1 => "[一二三四五六七八九十百千万亿零两〇0-9.%、，。()（）]{1,6}",
        1 => "\\PC{1,8}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn policy_like_text(doc in document()) {
        prop_assert_eq!(pipeline(doc.as_bytes()), Ok(()));
        prop_assert_eq!(diff_self(doc.as_bytes()), Ok(()));
    }

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        prop_assert_eq!(pipeline(&bytes), Ok(()));
        prop_assert_eq!(stream(&bytes), Ok(()));
    }

    #[test]
    fn stream_lines(id in "[ -~]{0,12}", text in document(), junk in prop::collection::vec(any::<u8>(), 0..40)) {
        // Well-formed lines, lines with junk bytes, and lines cut short.
        let line = format!("{{\"id\":{},\"text\":{}}}", serde_json::json!(id), serde_json::json!(text));
        prop_assert_eq!(stream(line.as_bytes()), Ok(()));
        let mut spoilt = line.clone().into_bytes();
        let at = junk.len() * 7 % (spoilt.len() + 1);
        spoilt.splice(at..at, junk.iter().copied());
        prop_assert_eq!(stream(&spoilt), Ok(()));
        prop_assert_eq!(stream(&line.as_bytes()[..at]), Ok(()));
    }

    #[test]
    fn patterns(
        start in prop::sample::select(vec!["", "^", "(?m)^", "(?i)", "^[ \t]*"]),
        body in prop::collection::vec(prop::sample::select(vec![
            "一", "二", "年", "[一二三]", "[0-9]", r"\(", "(", ")", "(?:", "(?P<g>", "|", "*", "+",
            "?", "{1,3}", "+?", r"\p{Han}", r"\d", r"\w", r"\s", r"\b", "[^。]", ".", "$", "、",
        ]), 1..12),
        texts in prop::collection::vec("[一二三(（)）0-9a-z.、年 。]{0,16}", 0..6),
    ) {
        // Mostly well-formed patterns; those regex turns away are skipped, and a repeated
        // group name is renamed so that more of them compile.
        let mut body = body.concat();
        let mut n = 0;
        while let Some(i) = body.find("(?P<g>") {
            body.replace_range(i..i + 6, &format!("(?P<n{n}>"));
            n += 1;
        }
        let data = format!("{start}{body}\n{}", texts.join("\n"));
        prop_assert_eq!(pattern(data.as_bytes()), Ok(()));
    }

    #[test]
    fn numbers(text in "[0-9０-９.,，、%％万亿千百十零〇一二两三四五六七八九点分之个~至-]{0,16}", bytes in prop::collection::vec(any::<u8>(), 0..16)) {
        prop_assert_eq!(number_roundtrip(text.as_bytes()), Ok(()));
        prop_assert_eq!(number_roundtrip(&bytes), Ok(()));
    }
}
