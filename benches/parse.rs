//! In-process parsing speed: the seed through the whole pipeline, decoding alone, and the same
//! pipeline at 1, 10 and 100 MB of input to show that cost grows linearly.
//!
//! `cargo bench --bench parse` (add `-- scale` for the size series only, `-- stage` for the
//! seed's time split between decoding, the analysis, building the output and writing its JSON,
//! `-- formats` for reading the seed as a web page, a Word file and a PDF against the parse
//! after it).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zhengce::Parser;
use zhengce::rules::Rules;

// The allocator the command line uses.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture")
}

/// The seed and corpus documents joined, repeated until `bytes` long: one large document.
fn large(bytes: usize) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut parts = vec![fixture("seeds/000_c965c7f64a70dc2d.txt")];
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    parts.extend(names.iter().map(|p| std::fs::read(p).expect("read")));
    let mut out = Vec::with_capacity(bytes + 50_000);
    'fill: loop {
        for p in &parts {
            out.extend_from_slice(p);
            out.push(b'\n');
            if out.len() >= bytes {
                break 'fill;
            }
        }
    }
    out
}

fn seed(c: &mut Criterion) {
    let parser = Parser::new(Rules::embedded().expect("rules"));
    let seed = fixture("seeds/000_c965c7f64a70dc2d.txt");
    let mut g = c.benchmark_group("seed");
    g.throughput(Throughput::Bytes(seed.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| parser.parse_bytes(black_box(&seed), None))
    });
    g.bench_function("parse+json", |b| {
        b.iter(|| serde_json::to_vec(&parser.parse_bytes(black_box(&seed), None)).expect("json"))
    });
    let gbk = encoding_rs::GBK
        .encode(std::str::from_utf8(&seed).expect("utf-8"))
        .0
        .into_owned();
    g.bench_function("decode-utf8", |b| {
        b.iter(|| zhengce::stages::read::text::decode(black_box(&seed)))
    });
    g.bench_function("decode-gbk", |b| {
        b.iter(|| zhengce::stages::read::text::decode(black_box(&gbk)))
    });
    g.finish();
}

/// The seed's parse split into its parts, each timed on the output of the one before: what a
/// document costs beside the analysis (decoding, the output model, its JSON) is a floor that no
/// change to the rules or stages can lower.
fn stage(c: &mut Criterion) {
    let parser = Parser::new(Rules::embedded().expect("rules"));
    let seed = fixture("seeds/000_c965c7f64a70dc2d.txt");
    let decoded = zhengce::stages::read::text::decode(&seed);
    let analysis = parser.analyze(decoded.clone());
    let doc = zhengce::emit::document(analysis.clone(), None);
    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(seed.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| zhengce::stages::read::text::decode(black_box(&seed)))
    });
    // The clones are timed alone too, so that they can be taken off the next two figures.
    g.bench_function("clone-decoded", |b| b.iter(|| black_box(&decoded).clone()));
    g.bench_function("analyze", |b| {
        b.iter(|| parser.analyze(black_box(&decoded).clone()))
    });
    g.bench_function("clone-analysis", |b| {
        b.iter(|| black_box(&analysis).clone())
    });
    g.bench_function("emit", |b| {
        b.iter(|| zhengce::emit::document(black_box(&analysis).clone(), None))
    });
    g.bench_function("json", |b| {
        b.iter(|| serde_json::to_vec(black_box(&doc)).expect("json"))
    });
    g.finish();
}

fn scale(c: &mut Criterion) {
    let parser = Parser::new(Rules::embedded().expect("rules"));
    let mut g = c.benchmark_group("scale");
    g.sample_size(10);
    for mb in [1usize, 10, 100] {
        let input = large(mb * 1_000_000);
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_with_input(
            BenchmarkId::new("parse", format!("{mb}MB")),
            &input,
            |b, input| b.iter(|| parser.parse_bytes(black_box(input), None)),
        );
    }
    g.finish();
}

/// The seed as a saved web page: its lines as paragraphs of a `TRS_Editor` container, with a
/// page's navigation, scripts and footer around them.
fn seed_page(text: &str) -> Vec<u8> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let paras: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            format!(
                "<p style=\"text-indent:2em\"><span>{}</span></p>\n",
                escape(l)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>鄄城县人民政府</title>\
         <script>var a = 1;</script></head><body><ul class=\"nav\"><li><a href=\"/\">首页</a></li>\
         <li><a href=\"/zwgk\">政务公开</a></li></ul><div class=\"TRS_Editor\">\n{paras}</div>\
         <div class=\"footer\">主办单位：鄄城县人民政府办公室</div></body></html>"
    )
    .into_bytes()
}

/// The seed as a Word file: its lines as paragraphs of two runs each.
fn seed_docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = String::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let cut = l
            .char_indices()
            .nth(l.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            escape(&l[..cut]),
            escape(&l[cut..])
        ));
    }
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("zip");
    w.write_all(doc.as_bytes()).expect("zip");
    w.finish().expect("zip").into_inner()
}

/// Reading the seed as a web page and as a Word file, against the parse that follows (the
/// text's own read and parse for comparison), and a PDF of a corpus text read in process.
fn formats(c: &mut Criterion) {
    let parser = Parser::new(Rules::embedded().expect("rules"));
    let seed = fixture("seeds/000_c965c7f64a70dc2d.txt");
    let text = String::from_utf8(seed.clone()).expect("utf-8");
    let pdf = fixture("tests/fixtures/formats/001.pdf");
    let inputs = [
        ("text", seed),
        ("html", seed_page(&text)),
        ("docx", seed_docx(&text)),
        ("pdf", pdf),
    ];
    let mut g = c.benchmark_group("formats");
    for (name, bytes) in &inputs {
        let decoded = zhengce::files::read_document(&parser, bytes, None, false).expect("read");
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("read", name), bytes, |b, bytes| {
            b.iter(|| zhengce::files::read_document(&parser, black_box(bytes), None, false))
        });
        g.bench_with_input(BenchmarkId::new("parse-after", name), &decoded, |b, d| {
            b.iter(|| parser.analyze(black_box(d).clone()))
        });
    }
    g.finish();
}

criterion_group!(benches, seed, stage, scale, formats);
criterion_main!(benches);
