// The rule files in `rules/`, in `RuleFile` order. `build.rs` includes this list too, so the
// files it embeds without their examples are exactly these.
const RULE_FILE_NAMES: [&str; 9] = [
    "html.toml",
    "markers.toml",
    "chrome.toml",
    "meta.toml",
    "departments.toml",
    "deadlines.toml",
    "annex.toml",
    "units.toml",
    "targets.toml",
];
