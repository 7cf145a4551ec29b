//! Numeric targets: the seed and the corpus against their gold files, with the shared scorer.
//! Run with `--nocapture` to see the tables; `ZC_DETAIL=1` also lists misses and spurious
//! targets.

use crate::common;

use zhengce::compare::score::{Scores, same_target, score};
use zhengce::model::{Document, Target, Task};

fn pct(x: f64) -> String {
    format!("{:5.1}", x * 100.0)
}

fn by_task(doc: &Document) -> Vec<(&Task, &Target)> {
    doc.all_tasks()
        .into_iter()
        .flat_map(|t| t.targets.iter().map(move |g| (t, g)))
        .collect()
}

/// Lists the expected targets not found and the found ones not expected (optional ones
/// excepted), and the found ones whose year, kind or bound differ.
fn details(expected: &Document, actual: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let exp = by_task(expected);
    let act = by_task(actual);
    let mut used = vec![false; exp.len()];
    for (t, a) in &act {
        let pick = (0..exp.len())
            .filter(|&i| !used[i] && exp[i].0.id == t.id && same_target(exp[i].1, a))
            .min_by_key(|&i| exp[i].1.optional);
        match pick {
            Some(i) => {
                used[i] = true;
                let e = exp[i].1;
                if !e.optional && (e.year != a.year || e.kind != a.kind || e.bound != a.bound) {
                    out.push(format!(
                        "  wrong  {} {}{}: year {:?}/{:?} kind {:?}/{:?} bound {:?}/{:?}  «{}»",
                        t.id,
                        a.value,
                        a.unit,
                        a.year,
                        e.year,
                        a.kind,
                        e.kind,
                        a.bound,
                        e.bound,
                        a.text
                    ));
                }
            }
            None => out.push(format!(
                "  spurious {} {}{} ({}) «{}»",
                t.id, a.value, a.unit, a.indicator, a.text
            )),
        }
    }
    for (i, (t, e)) in exp.iter().enumerate() {
        if !used[i] && !e.optional {
            out.push(format!(
                "  missed {} {}{} ({})",
                t.id, e.value, e.unit, e.indicator
            ));
        }
    }
    out
}

fn detail_wanted() -> bool {
    std::env::var("ZC_DETAIL").is_ok_and(|v| !v.is_empty())
}

#[test]
fn seed_targets_against_gold() {
    let seed = common::seed();
    let doc = common::parse(&seed);
    let gold = common::gold(&seed).to_document();
    let s = score(&gold, &doc);
    let required = gold
        .all_tasks()
        .iter()
        .flat_map(|t| &t.targets)
        .filter(|t| !t.optional)
        .count();
    println!(
        "seed: found {}/{required}, spurious {}, year {}/{} kind {}/{} bound {}/{}",
        s.targets.tp,
        s.targets.fp,
        s.target_year.correct,
        s.target_year.total,
        s.target_kind.correct,
        s.target_kind.total,
        s.target_bound.correct,
        s.target_bound.total
    );
    let d = details(&gold, &doc);
    for line in &d {
        println!("{line}");
    }
    assert_eq!(required, 60);
    assert!(s.targets.tp >= 58, "found {} of 60: {d:#?}", s.targets.tp);
    assert!(s.targets.fp <= 3, "{} spurious: {d:#?}", s.targets.fp);
    for (what, acc) in [
        ("year", s.target_year),
        ("kind", s.target_kind),
        ("bound", s.target_bound),
    ] {
        assert!(
            acc.rate() >= 0.95,
            "{what} right for {:.3}: {d:#?}",
            acc.rate()
        );
    }
}

#[test]
fn corpus_targets_against_gold() {
    let mut total = Scores::default();
    println!(
        "{:<5} {:>4} {:>4} {:>4} {:>23} {:>7} {:>7} {:>7}",
        "doc", "tp", "fp", "fn", "targets P / R / F1", "year", "kind", "bound"
    );
    let mut lines = Vec::new();
    for path in common::fixtures() {
        let doc = common::parse(&path);
        let gold = common::gold(&path).to_document();
        let s = score(&gold, &doc);
        println!(
            "{:<5} {:>4} {:>4} {:>4} {:>23} {:>7} {:>7} {:>7}",
            common::short(&path),
            s.targets.tp,
            s.targets.fp,
            s.targets.fn_,
            format!(
                "{} / {} / {}",
                pct(s.targets.precision()),
                pct(s.targets.recall()),
                pct(s.targets.f1())
            ),
            pct(s.target_year.rate()),
            pct(s.target_kind.rate()),
            pct(s.target_bound.rate()),
        );
        if detail_wanted() {
            for l in details(&gold, &doc) {
                lines.push(format!("{} {l}", common::short(&path)));
            }
        }
        total.add(&s);
    }
    println!(
        "{:<5} {:>4} {:>4} {:>4} {:>23} {:>7} {:>7} {:>7}",
        "all",
        total.targets.tp,
        total.targets.fp,
        total.targets.fn_,
        format!(
            "{} / {} / {}",
            pct(total.targets.precision()),
            pct(total.targets.recall()),
            pct(total.targets.f1())
        ),
        pct(total.target_year.rate()),
        pct(total.target_kind.rate()),
        pct(total.target_bound.rate()),
    );
    for l in &lines {
        println!("{l}");
    }
    assert!(
        total.targets.f1() >= 0.85,
        "overall target F1 {:.3}",
        total.targets.f1()
    );
}

// ---------------------------------------------------------------------------------------------
// The forms of the issue, one by one, through the public stage function.

use zhengce::base::text::Text;
use zhengce::model::{Bound, TargetKind};
use zhengce::stages::targets::{TaskTargets, extract_task};

fn read(s: &str) -> (Text, TaskTargets) {
    let rules = zhengce::rules::Rules::embedded().expect("rules");
    let text = Text::new(s.to_string());
    let own = 0..text.norm().len();
    let got = extract_task(&text, &own, &[], rules.targets());
    (text, got)
}

/// `(value, value_max, unit as written)` of every target.
fn values(s: &str) -> Vec<(f64, Option<f64>, String)> {
    read(s)
        .1
        .targets
        .iter()
        .map(|t| (t.value, t.value_max, t.unit.clone()))
        .collect()
}

fn one(s: &str) -> zhengce::stages::targets::FoundTarget {
    let (_, got) = read(s);
    assert_eq!(got.targets.len(), 1, "{s}: {:?}", got.targets);
    got.targets[0].clone()
}

/// The passed-over numbers as `(text as written, reason)`.
fn skipped(s: &str) -> Vec<(String, &'static str)> {
    let (t, got) = read(s);
    got.skipped
        .iter()
        .map(|k| (t.as_written(&k.span).to_string(), k.reason.as_str()))
        .collect()
}

#[test]
fn number_forms() {
    for (s, v, max, unit) in [
        ("到2025年,产值达到55.5亿元。", 55.5, None, "亿元"),
        ("到2025年,培训农民1,000人次。", 1000.0, None, "人次"),
        ("到2025年,新建充电桩１２个。", 12.0, None, "个"),
        ("到2025年,建设1-2个特色专科。", 1.0, Some(2.0), "个"),
        ("到2025年,打造3至5个示范园。", 3.0, Some(5.0), "个"),
        ("到2025年,培育3~5家龙头企业。", 3.0, Some(5.0), "家"),
        ("到2025年,覆盖率达到94.1%。", 94.1, None, "%"),
        ("到2025年,覆盖率达到94.1％。", 94.1, None, "％"),
        ("到2025年,覆盖率达到百分之九十。", 90.0, None, "%"),
        ("到2025年,机械化率提高2.5个百分点。", 2.5, None, "个百分点"),
        ("到2025年,出生缺陷率控制在5‰以内。", 5.0, None, "‰"),
        ("到2025年,新建三十五个示范村。", 35.0, None, "个"),
        ("到2025年,新增就业一千二百人。", 1200.0, None, "人"),
        ("到2025年,新增就业两万人。", 2.0, None, "万人"),
        ("到2025年,新建十个驿站。", 10.0, None, "个"),
        ("到2025年,出栏生猪二十万头。", 20.0, None, "万头"),
        ("到2025年,新建一百零五个驿站。", 105.0, None, "个"),
        ("到2025年,占比提高零点五个百分点。", 0.5, None, "个百分点"),
        ("到2025年,活跃用户数达到4.6亿。", 4.6, None, "亿"),
        ("到2025年,累计城镇新增就业1.7万人左右。", 1.7, None, "万人"),
    ] {
        assert_eq!(values(s), vec![(v, max, unit.to_string())], "{s}");
    }
}

#[test]
fn numerals_inside_names_and_fixed_words_are_not_numbers() {
    for s in [
        "发挥“一区四园”主阵地作用,一企一策清理“僵尸企业”。",
        "严格落实“四个不摘”要求。",
        "深入实施十大战略。",
        "提标改造第一污水处理厂。",
        "坚持“一二三四”总体思路。",
    ] {
        let (_, got) = read(s);
        assert!(got.targets.is_empty(), "{s}: {:?}", got.targets);
    }
    assert!(skipped("深入实施十大战略。").contains(&("十大".into(), "name")));
    assert!(skipped("提标改造第一污水处理厂。").contains(&("一".into(), "ordinal")));
    assert!(skipped("严格落实“四个不摘”要求。").contains(&("四个".into(), "name")));
}

#[test]
fn units_keep_their_magnitude_and_give_base_figures() {
    let t = one("到2025年,新能源新材料产业产值达到418亿元左右。");
    assert_eq!((t.value, t.unit.as_str()), (418.0, "亿元"));
    assert_eq!(t.si, Some((41_800_000_000.0, "元".to_string())));
    let t = one("到2025年,累计城镇新增就业1.7万人左右。");
    assert_eq!(t.si, Some((17_000.0, "人".to_string())));
    let t = one("到2025年,新建供电线路7.31公里。");
    assert!((t.si.unwrap().0 - 7310.0).abs() < 1e-6);
    let t = one("到2025年,新增城区绿化15万平方米左右。");
    assert_eq!(t.si, Some((150_000.0, "平方米".to_string())));
    let t = one("到2025年,粮食综合产能稳定在15亿斤以上。");
    assert_eq!(t.si, Some((750_000_000.0, "千克".to_string())));
    let t = one("到2025年,细颗粒物(PM2.5)浓度达到46微克/立方米。");
    assert_eq!((t.unit.as_str(), t.si.is_none()), ("微克/立方米", true));
    let t = one("到2025年,单位能耗降至0.5吨标准煤/万元。");
    assert_eq!(t.unit, "吨标准煤/万元");
    let t = one("到2025年,新建充电桩390个。");
    assert_eq!(t.si, None);
    let t = one("到2025年,覆盖率达到92%。");
    assert_eq!(t.si, Some((92.0, "%".to_string())));
    for (s, unit) in [
        ("完成智慧路灯升级改造5000基。", "基"),
        ("完成改造1000户。", "户"),
        ("新增养老床位200张。", "张"),
        ("每年各类文化惠民活动不少于5000场。", "场"),
        ("新建“如康家园”7处。", "处"),
        ("完成新改扩建中小学6所。", "所"),
        ("新增授权发明专利300项。", "项"),
        ("配电变压器新建160台。", "台"),
        ("新建110千伏变电站1座。", "座"),
        ("新增公交车辆100辆。", "辆"),
        ("培训农民5000人次。", "人次"),
        ("培养100名优秀企业家。", "名"),
        ("免费开展新生儿48种遗传代谢病筛查。", "种"),
        ("全县人均期望寿命达到78岁。", "岁"),
        ("年出栏生猪20万头。", "万头"),
        ("出栏肉鸭3000万只。", "万只"),
        ("培育高新技术企业45家。", "家"),
    ] {
        let s = format!("到2025年,{s}");
        let t = one(&s);
        assert_eq!(t.unit, unit, "{s}");
    }
}

#[test]
fn comparators_give_bounds() {
    for (s, bound) in [
        ("到2025年,产值达到418亿元左右。", Bound::Approx),
        ("到2025年,完成整治约48公里。", Bound::Approx),
        ("到2025年,产值大约30亿元。", Bound::Approx),
        ("到2025年,产值30亿元上下。", Bound::Approx),
        ("到2025年,利用率达到90%以上。", Bound::AtLeast),
        ("到2025年,活动不少于5000场。", Bound::AtLeast),
        ("到2025年,比例不低于50%。", Bound::AtLeast),
        ("到2025年,营收超过4500亿元。", Bound::AtLeast),
        ("到2025年,营收超4500亿元。", Bound::AtLeast),
        ("到2025年,满管率控制在50%以下。", Bound::AtMost),
        ("到2025年,缺陷率控制在5‰以内。", Bound::AtMost),
        ("到2025年,能耗不超过0.5吨标准煤/万元。", Bound::AtMost),
        ("到2025年,比例不高于20%。", Bound::AtMost),
        ("到2025年,产值达到30亿元。", Bound::Exact),
    ] {
        assert_eq!(one(s).bound, bound, "{s}");
    }
}

#[test]
fn verbs_give_kinds() {
    for (s, kind) in [
        ("到2025年,产值达到30亿元。", TargetKind::Level),
        ("到2025年,产能稳定在15亿斤。", TargetKind::Level),
        ("到2025年,满管率控制在50%以下。", TargetKind::Level),
        ("到2025年,发制品产业实现产值55.5亿元。", TargetKind::Level),
        ("到2025年,覆盖率保持100%。", TargetKind::Level),
        ("到2025年,肉鸭3000万只。", TargetKind::Level),
        ("到2025年,机械化率提高2.5个百分点。", TargetKind::Increase),
        ("到2025年,收入年均增长5.2%。", TargetKind::Increase),
        ("到2025年,绿化覆盖率提升3个百分点。", TargetKind::Increase),
        ("到2025年,能耗下降13.5%。", TargetKind::Decrease),
        ("到2025年,用水量降低10%。", TargetKind::Decrease),
        ("到2025年,化肥用量减少5%。", TargetKind::Decrease),
        ("到2025年,新建充电桩390个。", TargetKind::New),
        ("到2025年,新增授权发明专利300项。", TargetKind::New),
        ("到2025年,建成高标准农田9万亩。", TargetKind::New),
        ("到2025年,培育20家龙头企业。", TargetKind::New),
        ("到2025年,创建17个示范片区。", TargetKind::New),
        ("到2025年,完成新改扩建中小学6所。", TargetKind::New),
        ("到2025年,累计城镇新增就业1.7万人。", TargetKind::New),
        ("到2025年,新改建农村公路370公里。", TargetKind::New),
    ] {
        assert_eq!(one(s).kind, kind, "{s}");
    }
}

#[test]
fn deadline_forms() {
    for (s, year) in [
        ("到2025年,产值达到30亿元。", Some(2025)),
        ("2025年前,新建充电桩390个。", Some(2025)),
        ("2025年底前,新建充电桩390个。", Some(2025)),
        ("到2025年底,新建充电桩390个。", Some(2025)),
        ("“十四五”末,全民社保覆盖率达到92%。", Some(2025)),
        ("“十五五”末,全民社保覆盖率达到95%。", Some(2030)),
        ("至2027年,研发投入占比达5.5%。", Some(2027)),
        ("力争2030年完整社区覆盖率达到60%。", Some(2030)),
        ("每年各类文化惠民活动不少于5000场。", None),
        ("到2025年,居民人均可支配收入年均增长5.2%左右。", Some(2025)),
    ] {
        assert_eq!(one(s).year, year, "{s}");
    }
    // A deadline holds to the end of its sentence, not into the next one …
    let (_, got) = read(
        "完善配套管网建设。整合组建集中供暖公司,到2025年新增城区供热面积100万平方米左右。实施输变电工程,新建变电站1座。",
    );
    assert_eq!(got.targets[0].year, Some(2025));
    assert_eq!(got.targets[1].year, None);
    // … unless it opens the paragraph; and it does not reach back.
    let (_, got) =
        read("到2025年,设施菜田绿叶菜生产机械化水平达到60%。打造10万亩粮食生产无人农场。");
    assert_eq!(got.targets[1].year, Some(2025));
    let (_, got) = read("重点工作。完成17处卫生院提升改造任务,到2025年,争创示范卫生室15处。");
    assert_eq!(
        (got.targets[0].year, got.targets[1].year),
        (None, Some(2025))
    );
}

#[test]
fn comparison_years() {
    for s in [
        "到2025年,万元地区生产总值能耗比2020年下降19.4%。",
        "到2025年,万元地区生产总值能耗较2020年下降19.4%。",
        "与2020年相比,万元地区生产总值能耗下降19.4%。",
    ] {
        assert_eq!(one(s).baseline_year, Some(2020), "{s}");
    }
}

#[test]
fn respectively_gives_one_target_per_number() {
    let (_, got) =
        read("到2025年,万元地区生产总值用水量、万元工业增加值用水量分别比2020年分别下降27%、10%。");
    let t: Vec<(f64, &str, Option<i32>)> = got
        .targets
        .iter()
        .map(|t| (t.value, t.indicator.as_str(), t.baseline_year))
        .collect();
    assert_eq!(
        t,
        vec![
            (27.0, "万元地区生产总值用水量", Some(2020)),
            (10.0, "万元工业增加值用水量", Some(2020)),
        ]
    );
    assert_eq!(
        values("到2025年,新建10千伏线路100公里左右、配电变压器160台。"),
        vec![
            (100.0, None, "公里".to_string()),
            (160.0, None, "台".to_string())
        ]
    );
}

#[test]
fn what_is_not_a_target() {
    for (s, number, reason) in [
        ("新建110千伏变电站。", "110千伏", "specification"),
        (
            "推动一期5万吨磷酸铁项目达产稳产。",
            "5万吨",
            "specification",
        ),
        ("力争打造千亿级锂电产业集群。", "千亿级", "specification"),
        ("加快P3超级细菌实验室建设。", "3", "name"),
        ("鼓励企业运用5G技术。", "5", "name"),
        ("2023年8月22日印发。", "2023年", "date"),
        ("依据鄄政发[2023]5号文件。", "5号", "document-number"),
        ("编制“十四五”规划。", "十四五", "name"),
        ("编制十四五规划。", "十四五", "name"),
        (
            "到2025年,90%以上的行政村集体收入超10万元。",
            "10万元",
            "threshold",
        ),
        ("第二批试点。", "二", "ordinal"),
        (
            "全区总规划面积约60.61平方公里。",
            "60.61平方公里",
            "no-commitment",
        ),
        ("彭一小区和谈家桥路121号改造。", "121号", "name"),
        ("进一步提高9类困难群众救助标准。", "9", "no-unit"),
        ("建立15分钟医保服务圈。", "15分钟", "duration"),
    ] {
        let sk = skipped(s);
        let (_, got) = read(s);
        assert!(
            sk.contains(&(number.to_string(), reason)),
            "{s}: {sk:?} (targets {:?})",
            got.targets
        );
        assert!(
            !got.targets.iter().any(|t| t.unit.contains(number)),
            "{s}: {:?}",
            got.targets
        );
    }
}

#[test]
fn skipped_and_target_spans_are_exact() {
    let s = "到2025年,新建110千伏变电站1座、供电线路7.31公里,90%以上的行政村集体收入超10万元。";
    let (t, got) = read(s);
    for k in &got.skipped {
        let text = t.as_written(&k.span);
        assert!(!text.is_empty());
        assert!(s.contains(text));
    }
    for tg in &got.targets {
        assert!(t.as_written(&tg.clause).contains(t.as_written(&tg.span)));
        assert!(
            t.as_written(&tg.span)
                .starts_with(|c: char| c.is_ascii_digit() || "一二三四五六七八九十两百".contains(c))
        );
    }
}

#[test]
fn indicator_tables_are_read_or_reported() {
    let (_, got) = read(
        "| 指标 | 单位 | 2020年基数 | 2025年目标 | 属性 |\n| 森林覆盖率 | % | 18 | 20 | 约束性 |\n| 新增城镇就业 | 万人 | 1.2 | ≥1.5 | 预期性 |",
    );
    let t: Vec<(f64, &str, Option<i32>, Bound)> = got
        .targets
        .iter()
        .map(|t| (t.value, t.unit.as_str(), t.year, t.bound))
        .collect();
    assert_eq!(
        t,
        vec![
            (20.0, "%", Some(2025), Bound::Exact),
            (1.5, "万人", Some(2025), Bound::AtLeast)
        ]
    );
    // A target of words is reported, not read.
    let (_, got) = read("主要指标\n指标\n单位\n2025年目标\n森林覆盖率\n%\n基本完成");
    assert!(got.targets.is_empty(), "{:?}", got.targets);
    assert!(
        got.diags
            .iter()
            .any(|d| d.code.as_str() == "indicator-table-not-read")
    );
}

/// A table target as `(indicator, value, bound, unit, year, span as written, span's first
/// character)`.
type TableTarget = (String, f64, Bound, String, Option<i32>, String, usize);

fn table_targets(s: &str) -> Vec<TableTarget> {
    let (t, got) = read(s);
    assert!(
        !got.diags
            .iter()
            .any(|d| d.code.as_str() == "indicator-table-not-read"),
        "{s}: {:?}",
        got.diags
    );
    got.targets
        .iter()
        .map(|g| {
            (
                g.indicator.clone(),
                g.value,
                g.bound,
                g.unit.clone(),
                g.year,
                t.as_written(&g.span).to_string(),
                t.char_index(g.span.start),
            )
        })
        .collect()
}

/// The character offset in `s` of `cell` (a line of its own, the `nth` such line).
fn cell_at(s: &str, cell: &str, nth: usize) -> usize {
    let lines: Vec<(usize, &str)> = s
        .split('\n')
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len() + 1;
            Some((start, l))
        })
        .collect();
    let (byte, line) = lines
        .iter()
        .filter(|(_, l)| {
            l.trim()
                .trim_matches('|')
                .split(['|', '\t'])
                .any(|c| c.trim() == cell)
        })
        .nth(nth)
        .unwrap_or_else(|| panic!("no cell {cell:?} in {s:?}"));
    let within = line.find(cell).expect("cell");
    let digits = cell.find(|c: char| c.is_ascii_digit()).expect("digits");
    s[..byte + within + digits].chars().count()
}

fn tt(
    indicator: &str,
    value: f64,
    bound: Bound,
    unit: &str,
    year: Option<i32>,
    span: &str,
    at: usize,
) -> TableTarget {
    (
        indicator.into(),
        value,
        bound,
        unit.into(),
        year,
        span.into(),
        at,
    )
}

#[test]
fn indicator_tables_of_every_shape() {
    use Bound::*;
    // 序号/指标/预期值/属性 without a unit column, flattened with blank lines between cells:
    // the unit in brackets at the indicator's end; signs kept as bounds.
    let s = "主要指标\n\n序号\n\n指标\n\n预期值\n\n属性\n\n1\n\n城镇调查失业率（%）\n\n<5.5\n\n预期性\n\n2\n\n新增就业人数（万人）\n\n≥95\n\n约束性\n\n3\n\n单位产值能耗（吨标准煤）\n\n≤0.3\n\n约束性";
    assert_eq!(
        table_targets(s),
        vec![
            tt(
                "城镇调查失业率",
                5.5,
                AtMost,
                "%",
                None,
                "5.5",
                cell_at(s, "<5.5", 0)
            ),
            tt(
                "新增就业人数",
                95.0,
                AtLeast,
                "万人",
                None,
                "95",
                cell_at(s, "≥95", 0)
            ),
            tt(
                "单位产值能耗",
                0.3,
                AtMost,
                "吨标准煤",
                None,
                "0.3",
                cell_at(s, "≤0.3", 0)
            ),
        ]
    );
    // Year columns, one cell per line: the last year is the target and its year the
    // deadline, the first the baseline (not read); the unit column gives the unit.
    let s = "指标\n单位\n2020年\n2025年\n森林覆盖率\n%\n18\n>20\n污水处理率\n%\n90\n95";
    assert_eq!(
        table_targets(s),
        vec![
            tt(
                "森林覆盖率",
                20.0,
                AtLeast,
                "%",
                Some(2025),
                "20",
                cell_at(s, ">20", 0)
            ),
            tt(
                "污水处理率",
                95.0,
                Exact,
                "%",
                Some(2025),
                "95",
                cell_at(s, "95", 0)
            ),
        ]
    );
    // Base-period and target-value columns with their years, rows as `|` lines; a unit in
    // the value cell is the unit and part of the span.
    let s = "| 序号 | 指标 | 基期值（2020年） | 目标值（2025年） | 属性 |\n| --- | --- | --- | --- | --- |\n| 1 | 新能源汽车占比 | 12% | ≥30% | 预期性 |\n| 2 | 细颗粒物浓度（微克/立方米） | 35 | <30 | 约束性 |";
    assert_eq!(
        table_targets(s),
        vec![
            tt(
                "新能源汽车占比",
                30.0,
                AtLeast,
                "%",
                Some(2025),
                "30%",
                cell_at(s, "≥30%", 0)
            ),
            tt(
                "细颗粒物浓度",
                30.0,
                AtMost,
                "微克/立方米",
                Some(2025),
                "30",
                cell_at(s, "<30", 0)
            ),
        ]
    );
    // Tab-separated rows; the table's title gives the year of a target column without one.
    let s = "“十四五”时期主要指标\n指标名称\t单位\t现状值\t目标值\n公交线路\t条\t120\t150\n充电桩\t万个\t1.2\t≥2";
    assert_eq!(
        table_targets(s),
        vec![
            tt(
                "公交线路",
                150.0,
                Exact,
                "条",
                Some(2025),
                "150",
                cell_at(s, "150", 0)
            ),
            tt(
                "充电桩",
                2.0,
                AtLeast,
                "万个",
                Some(2025),
                "2",
                cell_at(s, "≥2", 0)
            ),
        ]
    );
    // A long note at the indicator's end, or one on a line of its own, is not its name; a
    // short one is. Words before a bound in the value cell are the value's scope.
    let s = "序号\n\n指标\n\n单位\n\n2035年\n\n1\n\n保护建筑数量（登记不可移动文物和优秀历史建筑）\n\n处\n\n40\n\n2\n\n供水水质合格率\n（国标GB5749）\n\n%\n\n100\n\n3\n\n风貌保护道路（街巷）\n\n条\n\n12\n\n4\n\n满足消防响应时间\n\n分钟\n\n5分钟覆盖区超80%";
    assert_eq!(
        table_targets(s),
        vec![
            tt(
                "保护建筑数量",
                40.0,
                Exact,
                "处",
                Some(2035),
                "40",
                cell_at(s, "40", 0)
            ),
            tt(
                "供水水质合格率",
                100.0,
                Exact,
                "%",
                Some(2035),
                "100",
                cell_at(s, "100", 0)
            ),
            tt(
                "风貌保护道路（街巷）",
                12.0,
                Exact,
                "条",
                Some(2035),
                "12",
                cell_at(s, "12", 0)
            ),
            tt(
                "满足消防响应时间（5分钟覆盖区）",
                80.0,
                AtLeast,
                "%",
                Some(2035),
                "80%",
                cell_at(s, "5分钟覆盖区超80%", 0) + 7,
            ),
        ]
    );
    // A year with the column's role in brackets: the baseline is not read.
    let s = "| 指标 | 单位 | 2020年（基期） | 2025年（目标） | 属性 |\n| 失业率 | % | 5 | <5.5 | 预期性 |";
    assert_eq!(
        table_targets(s),
        vec![tt(
            "失业率",
            5.5,
            AtMost,
            "%",
            Some(2025),
            "5.5",
            cell_at(s, "<5.5", 0)
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// Cases from documents the rules were not written on (the review of the target stage), and
// sentences of the same shapes.

use zhengce::stages::targets::{DocContext, extract_task_in};

/// The targets as `(value, unit as written, kind, bound, year)`.
fn found(s: &str) -> Vec<(f64, String, TargetKind, Bound, Option<i32>)> {
    read(s)
        .1
        .targets
        .iter()
        .map(|t| (t.value, t.unit.clone(), t.kind, t.bound, t.year))
        .collect()
}

#[test]
fn commitment_needs_a_verb_that_governs_the_number() {
    for s in [
        // A requirement noun, 落实 of named lists, 服务 as a noun's verb: no commitment.
        "注：海绵城市建设用地面积要求按照100.9平方公里计。",
        "注:道路面积要求按照65.3平方公里计。",
        "重点落实五张清单。",
        "该中心服务人口约50万人。",
        "本站服务半径内人口约8万人。",
        // A clause about what is or was.
        "全区现有绿道120公里。",
        "近年来全区累计建成绿道80公里。",
        // Cue words inside a name are no verbs of the sentence.
        "深入实施“百校计划”,覆盖学生3万人。",
    ] {
        let (_, got) = read(s);
        assert!(got.targets.is_empty(), "{s}: {:?}", got.targets);
    }
    // 达 inside 直达 is no cue; 达 right before the number is.
    assert_eq!(one("建成直达航线5条。").kind, TargetKind::New);
    assert_eq!(
        one("全市跨境电商交易规模达1200亿元。").kind,
        TargetKind::Level
    );
    assert_eq!(
        one("到2025年,全区营业收入达约50亿元。").bound,
        Bound::Approx
    );
    // 占 governs a share, not an area.
    assert_eq!(one("绿色建筑占新建建筑比例保持100%。").value, 100.0);
    assert!(read("该园区占全区面积约3平方公里。").1.targets.is_empty());
    // A verb of change after a word of the present sets a target.
    let (_, got) = read("到2025年,将目前的30%提高到50%。");
    let v: Vec<f64> = got.targets.iter().map(|t| t.value).collect();
    assert_eq!(v, vec![50.0]);
}

#[test]
fn a_deadline_before_the_documents_year_is_past() {
    let s = "2023年全区第三产业占地区生产总值比重为70%。";
    let text = Text::new(s.to_string());
    let own = 0..text.norm().len();
    let rules = zhengce::rules::Rules::embedded().expect("rules");
    let in_year = |year| {
        extract_task_in(
            &text,
            &own,
            &[],
            rules.targets(),
            &DocContext::new(&text, rules.targets(), year),
        )
        .targets
        .len()
    };
    // Without the document's date the stage cannot tell; with it, 2023 is past in 2024.
    assert_eq!(
        (in_year(None), in_year(Some(2023)), in_year(Some(2024))),
        (1, 1, 0)
    );
}

#[test]
fn design_norms_are_local_to_their_number() {
    assert_eq!(
        found("2026年底实现轨道交通站点50米范围内地面公交配套服务占比达到90%。"),
        vec![(
            90.0,
            "%".into(),
            TargetKind::Level,
            Bound::Exact,
            Some(2026)
        )]
    );
    assert_eq!(
        found("到2025年,15分钟生活圈范围内公共服务设施覆盖率达到90%。").len(),
        1
    );
    assert!(
        skipped("强化轨道交通站点周边50米内配套公交基础设施建设。")
            .contains(&("50米".into(), "specification"))
    );
    assert!(
        skipped("慢行系统宽度在1.5m-3.5m之间。").contains(&("1.5m-3.5m".into(), "specification"))
    );
    // Size of a named place in brackets; a frame `以…为核心`.
    let s = "2024年推进远香湖南（4.73平方公里）、北部片区（10.46平方公里），共计15.19平方公里海绵城市建设达标评估。";
    assert_eq!(values(s), vec![(15.19, None, "平方公里".to_string())]);
    assert!(skipped(s).contains(&("4.73平方公里".into(), "specification")));
    assert!(
        read("打造以滨江5.5公里岸线为核心的文化休闲带。")
            .1
            .targets
            .is_empty()
    );
}

#[test]
fn totals_are_targets_and_task_counts_are_not() {
    assert_eq!(
        found("至2025年底，嘉定区建设用地面积共计52.12平方公里达到海绵城市建设目标要求。"),
        vec![(
            52.12,
            "平方公里".into(),
            TargetKind::Level,
            Bound::Exact,
            Some(2025)
        )]
    );
    assert_eq!(one("到2025年,新建、改建绿道共计120公里。").value, 120.0);
    for s in [
        "本方案共提出18条具体措施。",
        "到2025年,明确40项重点任务,涉及21个责任单位。",
    ] {
        assert!(read(s).1.targets.is_empty(), "{s}");
    }
}

#[test]
fn a_list_count_is_a_target_as_the_object_of_a_verb() {
    let t = one("完成张江、金桥、外高桥3个园区改造。");
    assert_eq!((t.value, t.kind), (3.0, TargetKind::New));
    // It qualifies another quantity: the count is part of the indicator.
    let s = "推动虹口、杨浦、宝山等3个区生活垃圾分类达标率达到95%以上。";
    assert_eq!(values(s), vec![(95.0, None, "%".to_string())]);
    assert!(skipped(s).contains(&("3个".into(), "indicator")));
    // It names no thing: a slogan.
    assert!(
        read("做到机构、编制、人员、经费四个到位。")
            .1
            .targets
            .is_empty()
    );
}

#[test]
fn sessions_pairs_and_names() {
    assert!(read("全面贯彻落实党的十九大和十九届二中、三中、四中、五中全会精神,按照省委九届十一次全会部署。").1.targets.is_empty());
    assert!(read("推动平台二期开发和建设。").1.targets.is_empty());
    assert_eq!(
        found("每年举办乡村振兴培训班2期。"),
        vec![(2.0, "期".into(), TargetKind::New, Bound::Exact, None)]
    );
    assert_eq!(
        found("至2026年金山铁路全天开行列车38对。"),
        vec![(
            38.0,
            "对".into(),
            TargetKind::Level,
            Bound::Exact,
            Some(2026)
        )]
    );
    assert!(read("开展1对1帮扶。").1.targets.is_empty());
}

#[test]
fn kinds_of_nouns_and_counts() {
    for (s, kind) in [
        ("完成慢行交通专项提升项目300项。", TargetKind::New),
        ("三年累计完成缓拥堵提升21个点位。", TargetKind::New),
        ("每年投运中小车型公交车200辆。", TargetKind::New),
        ("更新投运无障碍低地板公交车1200辆。", TargetKind::New),
        ("到2025年,绿化覆盖率提升3个百分点。", TargetKind::Increase),
    ] {
        assert_eq!(one(s).kind, kind, "{s}");
    }
}

#[test]
fn a_bound_after_a_list_of_numbers_holds_for_each() {
    let b: Vec<Bound> = read(
        "到2028年底，乡土适生树种和地产草种在新建、改建公园绿地的应用比例分别达到80％、50％以上。",
    )
    .1
    .targets
    .iter()
    .map(|t| t.bound)
    .collect();
    assert_eq!(b, vec![Bound::AtLeast, Bound::AtLeast]);
    // Only across numbers of one unit with nothing but 、 between them.
    let b: Vec<Bound> = read("到2025年,新增公园30座、绿道50公里以上。")
        .1
        .targets
        .iter()
        .map(|t| t.bound)
        .collect();
    assert_eq!(b, vec![Bound::Exact, Bound::AtLeast]);
}

#[test]
fn indicators_end_at_verbs_and_skip_abstract_heads() {
    for (s, ind) in [
        (
            "重点支持300名经营管理领军人才赴境外培训。",
            "经营管理领军人才",
        ),
        ("每年选派200名青年教师参加海外研修。", "青年教师"),
        ("组织100名干部进行挂职锻炼。", "干部"),
        ("推动5个老旧工业园区的转型升级。", "老旧工业园区"),
        ("完成20个小区的雨污混接改造。", "小区"),
        ("三年累计完成1990个积水点改造。", "积水点改造"),
    ] {
        assert_eq!(one(s).indicator, ind, "{s}");
    }
}

/// Rows of `|` and of tabs in a whole document are neither page chrome nor headings: the
/// table's rows are the targets of the task it stands in.
#[test]
fn indicator_table_rows_in_a_document_are_its_tasks_targets() {
    for table in [
        "| 序号 | 指标 | 单位 | 2025年目标 | 属性 |\n| 1 | 森林覆盖率 | % | >20 | 约束性 |\n| 2 | 新增就业 | 万人 | ≥1.5 | 预期性 |",
        "序号\t指标\t单位\t2025年目标\t属性\n1\t森林覆盖率\t%\t>20\t约束性\n2\t新增就业\t万人\t≥1.5\t预期性",
    ] {
        let s = format!(
            "关于印发某某规划的通知\n\n一、主要目标\n\n主要指标表\n\n{table}\n\n二、保障措施\n\n加强组织领导。\n"
        );
        let doc = common::parser().parse_str(&s, None);
        assert_eq!(doc.tasks.len(), 2, "{table}: {:?}", doc.tasks);
        // Spans count characters.
        let got: Vec<TableTarget> = doc.tasks[0]
            .targets
            .iter()
            .map(|t| {
                let span = s
                    .chars()
                    .skip(t.span.start)
                    .take(t.span.end - t.span.start)
                    .collect();
                let (ind, unit) = (t.indicator.clone(), t.unit.clone());
                (ind, t.value, t.bound, unit, t.year, span, t.span.start)
            })
            .collect();
        let at = |cell: &str| cell_at(&s, cell, 0);
        assert_eq!(
            got,
            vec![
                tt(
                    "森林覆盖率",
                    20.0,
                    Bound::AtLeast,
                    "%",
                    Some(2025),
                    "20",
                    at(">20")
                ),
                tt(
                    "新增就业",
                    1.5,
                    Bound::AtLeast,
                    "万人",
                    Some(2025),
                    "1.5",
                    at("≥1.5")
                ),
            ],
            "{table}"
        );
    }
}
