//! The review page and the diff page in a real browser: headless Chromium driven through
//! chromedriver's WebDriver HTTP API, one session for every check. The DOM must show the
//! tasks, attributions, deadlines and targets of the JSON; clicking a task in the tree and
//! filtering by department must work; text that looks like markup must stay text. The
//! screenshot goes to the build's scratch folder, or with `ZHENGCE_SCREENSHOT=docs/img/review.png`
//! to the README's picture.
//!
//! Without chromium and chromedriver the test says so and passes, unless
//! ZHENGCE_REQUIRE_BROWSER is set (as `.ci/run` does).

use crate::common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use zhengce::model::Span;

/// The first of `names` found on the PATH.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// chromedriver, ended when the test ends however it ends.
struct Driver {
    child: Child,
    base: String,
    agent: ureq::Agent,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self
                .agent
                .delete(&format!("{}/session/{}", self.base, self.session))
                .call();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(driver: &Path, chrome: &Path, profile: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut d = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            agent,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = d
                .agent
                .get(&format!("{}/status", d.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_to_string().ok())
                .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": {
                "binary": chrome,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1400,900",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let v = d.call("POST", "/session", Some(caps));
        d.session = v["sessionId"].as_str().expect("a session").to_string();
        d
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let resp = match body {
            Some(b) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(b.to_string()),
            None if method == "GET" => self.agent.get(&url).call(),
            None => self.agent.delete(&url).call(),
        };
        let text = resp
            .expect("chromedriver answers")
            .body_mut()
            .read_to_string()
            .unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(
            v["value"].get("error").is_none(),
            "{method} {path}: {}",
            v["value"]
        );
        v["value"].clone()
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    fn open(&self, file: &Path) {
        self.call(
            "POST",
            &self.s("/url"),
            Some(json!({"url": format!("file://{}", file.display())})),
        );
    }

    fn js(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    fn click(&self, css: &str) {
        let el = self.call(
            "POST",
            &self.s("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        let id = el
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element id")
            .to_string();
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            _ => 63,
        }
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &c)| n | (val(c) << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// The text of `[span)` in characters.
fn slice(chars: &[char], span: Span) -> String {
    chars[span.start..span.end].iter().collect()
}

#[test]
fn review_and_diff_pages_in_a_real_browser() {
    let chrome = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = on_path(&["chromedriver"]);
    let (Some(chrome), Some(driver)) = (chrome, driver) else {
        eprintln!(
            "note: chromium and chromedriver are not both installed, so the browser test of the review page did not run (Debian: apt-get install chromium chromium-driver)"
        );
        assert!(
            std::env::var_os("ZHENGCE_REQUIRE_BROWSER").is_none(),
            "ZHENGCE_REQUIRE_BROWSER is set, but chromium or chromedriver is missing"
        );
        return;
    };
    let started = Instant::now();
    let dir = common::tmp("browser");
    let seed = common::seed();
    let text = std::fs::read_to_string(&seed)
        .unwrap()
        .replace("\r\n", "\n");
    let chars: Vec<char> = text.chars().collect();

    // The pages, made by the real binary.
    let doc = common::parse(&common::seed());
    let json_path = dir.join("seed.json");
    std::fs::write(&json_path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let review = dir.join("review.html");
    common::zhengce()
        .arg("view")
        .arg(&json_path)
        .arg("--source")
        .arg(&seed)
        .arg("-o")
        .arg(&review)
        .assert()
        .success();
    let evil_src = dir.join("evil.txt");
    std::fs::write(
        &evil_src,
        "一、总体要求<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">\n(一)𠀀𠀀到2025年,𠀀产值达到418亿元。(牵头单位:县发展和改革局)\n",
    )
    .unwrap();
    let evil = dir.join("evil.html");
    common::zhengce()
        .arg("view")
        .arg(&evil_src)
        .arg("-o")
        .arg(&evil)
        .assert()
        .success();
    let edited = dir.join("v2.txt");
    std::fs::write(
        &edited,
        text.replacen("产值达到418亿元左右", "产值达到450亿元左右", 1)
            .replacen(
                "1.大力发展新能源新材料产业。",
                "1.加快发展新能源新材料产业。",
                1,
            ),
    )
    .unwrap();
    let changes = dir.join("changes.html");
    common::zhengce()
        .arg("diff")
        .arg(&seed)
        .arg(&edited)
        .args(["--format", "html", "-o"])
        .arg(&changes)
        .assert()
        .code(1);

    let d = Driver::start(&driver, &chrome, &dir.join("profile"));
    d.open(&review);

    // Tasks: every one, in order, with its title.
    let shown = d.js("return Array.from(document.querySelectorAll('#doc .task')).map(t => [t.dataset.id, t.dataset.title]);");
    let tasks = doc.all_tasks();
    let expected: Vec<Value> = tasks.iter().map(|t| json!([t.id, t.title])).collect();
    assert_eq!(shown, json!(expected));
    let tree = d.js("return document.querySelectorAll('#tree a[data-goto]').length;");
    assert_eq!(tree, json!(tasks.len()));

    // Attributions: task, role, names and the text they mark (all pieces of a split mark).
    let whole = "const whole = el => [el].concat(Array.from(document.querySelectorAll('[data-ref=\"' + el.id + '\"]'))).map(x => x.textContent).join('');";
    let atts = d.js(&format!("{whole} return Array.from(document.querySelectorAll('.att[id]')).map(a => [a.dataset.task, a.dataset.role, JSON.parse(a.dataset.names), whole(a)]);"));
    let expected: Vec<Value> = tasks
        .iter()
        .flat_map(|t| {
            t.attributions
                .iter()
                .map(|a| json!([t.id, a.role, a.names, slice(&chars, a.span)]))
        })
        .collect();
    assert_eq!(atts.as_array().unwrap().len(), 101);
    assert_eq!(atts, json!(expected));

    // Targets: value, unit, year, kind, bound, and the number they mark.
    let tgts = d.js(&format!("{whole} return Array.from(document.querySelectorAll('.tgt[id]')).map(g => [g.dataset.task, parseFloat(g.dataset.value), g.dataset.unit, g.dataset.year === '' ? null : parseInt(g.dataset.year), g.dataset.kind, g.dataset.bound, whole(g)]);"));
    let expected: Vec<Value> = tasks
        .iter()
        .flat_map(|t| {
            t.targets.iter().map(|g| {
                json!([
                    t.id,
                    serde_json::to_value(g).unwrap()["value"],
                    g.unit,
                    g.year,
                    g.kind,
                    g.bound,
                    slice(&chars, g.span)
                ])
            })
        })
        .collect();
    assert_eq!(tgts.as_array().unwrap().len(), 64);
    assert_eq!(tgts, json!(expected));

    // The deadline the JSON carries, and the counts and diagnostics of the panel.
    let dl = d.js(&format!("{whole} return Array.from(document.querySelectorAll('.dl[id]')).map(x => [x.dataset.task, x.dataset.kind, x.dataset.year, whole(x)]);"));
    let expected: Vec<Value> = tasks
        .iter()
        .filter_map(|t| {
            let d = t.deadline.as_ref()?;
            let kind = serde_json::to_value(d.kind).unwrap();
            let year = d.year.map_or(String::new(), |y| y.to_string());
            let shown = d.span.map_or(String::new(), |s| slice(&chars, s));
            Some(json!([t.id, kind, year, shown]))
        })
        .collect();
    assert!(
        expected.len() > 30,
        "the seed's deadlines: {}",
        expected.len()
    );
    assert_eq!(dl, json!(expected));
    let skipped = d.js("return document.querySelectorAll('.skip[id]').length;");
    let n_skipped: usize = tasks.iter().map(|t| t.numbers_skipped.len()).sum();
    assert_eq!(skipped, json!(n_skipped));
    let diags = d.js("return [document.querySelectorAll('#diags li').length, Array.from(document.querySelectorAll('#diags a')).every(a => document.getElementById(a.dataset.gotoDiag) !== null)];");
    assert_eq!(diags, json!([doc.diagnostics.len(), true]));
    let chrome_dimmed = d.js("const c = document.querySelector('.blk.chrome'); return c !== null && getComputedStyle(c).color !== getComputedStyle(document.querySelector('.task')).color;");
    assert_eq!(chrome_dimmed, json!(true));

    // Clicking a task in the tree brings it to the top and marks it.
    d.click("#tree a[data-goto=\"5.2\"]");
    let at = d.js("const t = document.getElementById('t-5.2'); return [Math.round(t.getBoundingClientRect().top), t.classList.contains('current'), window.scrollY > 0];");
    assert!(at[0].as_i64().unwrap().abs() <= 2, "{at}");
    assert_eq!((&at[1], &at[2]), (&json!(true), &json!(true)));

    // The department filter: exactly that department's tasks stand out.
    let dep = doc
        .departments
        .iter()
        .position(|x| x.lead.len() + x.participates.len() >= 3)
        .unwrap();
    d.click(&format!("#dept option:nth-child({})", dep + 2));
    let hit = d.js("return [document.body.classList.contains('filtering'), Array.from(document.querySelectorAll('.task.hit')).map(t => t.dataset.id), document.querySelectorAll('.dept.hit').length];");
    let mut want: Vec<String> = doc.departments[dep]
        .lead
        .iter()
        .chain(&doc.departments[dep].participates)
        .cloned()
        .collect();
    want.sort();
    want.dedup();
    let mut got: Vec<String> = serde_json::from_value(hit[1].clone()).unwrap();
    got.sort();
    assert_eq!(hit[0], json!(true));
    assert_eq!(got, want, "{}", doc.departments[dep].name);
    assert!(hit[2].as_u64().unwrap() >= want.len() as u64, "{hit}");

    // A target's details on click; then the screenshot of that view.
    d.js("document.getElementById('t-2.1').scrollIntoView({block: 'start'}); return 0;");
    d.click("#g-2\\.1\\.1-0");
    let detail =
        d.js("const x = document.getElementById('detail'); return [x.hidden, x.textContent];");
    assert_eq!(detail[0], json!(false));
    assert!(detail[1].as_str().unwrap().contains("418亿元"), "{detail}");
    let png = d.call("GET", &d.s("/screenshot"), None);
    let png = base64_decode(png.as_str().unwrap());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // Kept in the build's scratch folder; `ZHENGCE_SCREENSHOT=docs/img/review.png` refreshes
    // the README's picture instead.
    let shot = std::env::var_os("ZHENGCE_SCREENSHOT").map_or_else(
        || Path::new(env!("CARGO_TARGET_TMPDIR")).join("review.png"),
        |p| common::root().join(p),
    );
    std::fs::write(&shot, &png).unwrap();

    // Markup in a document stays text, and offsets count characters outside the BMP once.
    d.open(&evil);
    let safe = d.js(&format!("{whole} return [typeof window.__pwned, document.querySelectorAll('script').length, document.querySelectorAll('#doc img').length, document.querySelector('.ttl').textContent, Array.from(document.querySelectorAll('.tgt[id]')).map(whole), Array.from(document.querySelectorAll('.dept')).map(x => x.textContent)];"));
    assert_eq!(
        safe,
        json!([
            "undefined",
            1,
            0,
            "总体要求<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">",
            ["418亿元"],
            ["县发展和改革局"]
        ])
    );

    // The diff page: one card per task changed, the changes listed, the filter by kind.
    d.open(&changes);
    let shown = d.js("return [document.querySelectorAll('.card').length, Array.from(document.querySelectorAll('.chg')).map(c => c.dataset.kind), document.querySelectorAll('.card del, .card ins').length];");
    assert_eq!(shown[0], json!(1), "{shown}");
    assert_eq!(
        shown[1],
        json!(["target-changed", "task-changed"]),
        "{shown}"
    );
    assert!(shown[2].as_u64().unwrap() >= 2, "{shown}");
    d.click("#kinds input[value=\"changed\"]");
    let hidden = d.js("return Array.from(document.querySelectorAll('.card')).map(c => c.classList.contains('hidden'));");
    assert_eq!(hidden, json!([true]));

    drop(d);
    eprintln!("browser test: {:.1} s", started.elapsed().as_secs_f64());
}
