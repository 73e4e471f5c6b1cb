//! The layering of ARCHITECTURE.md, enforced: every module of `src/` may refer only to the
//! modules its "may import" cell of the code map lists, and only `ui` may use browser crates.
//!
//! The check reads the code with comments and string literals blanked out, then looks at every
//! `crate::NAME` path (in `use` lines and inline), every `super::` chain that climbs out of the
//! top-level module, and every path through a browser crate.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Crates that only exist for the browser build.
const BROWSER_CRATES: [&str; 5] = ["yew", "web_sys", "js_sys", "wasm_bindgen", "gloo"];
/// The one module allowed to use them.
const BROWSER_MODULE: &str = "ui";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The code map of ARCHITECTURE.md: module → modules it may import.
fn allowed_imports(markdown: &str) -> BTreeMap<String, BTreeSet<String>> {
    let section = markdown
        .split("\n## ")
        .find(|s| s.starts_with("Code map"))
        .expect("ARCHITECTURE.md has a `## Code map` section");
    let mut map = BTreeMap::new();
    for line in section.lines().filter(|l| l.trim_start().starts_with('|')) {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        let (Some(first), Some(last)) = (cells.first(), cells.last()) else {
            continue;
        };
        let Some(module) = backticked(first).into_iter().next() else {
            continue; // header and separator rows
        };
        map.insert(module, backticked(last).into_iter().collect());
    }
    assert!(
        !map.is_empty(),
        "ARCHITECTURE.md's code map has no module rows"
    );
    map
}

/// The `code` spans of a table cell.
fn backticked(cell: &str) -> Vec<String> {
    cell.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

/// The code with every `#[cfg(test)]` item blanked out: test code ships nowhere, so it may use
/// any layer (e.g. a JSON test that checks the YAML encoder agrees).
fn without_test_modules(code: &str) -> String {
    let mut out: Vec<char> = code.chars().collect();
    let text: Vec<char> = out.clone();
    let pat: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + pat.len() <= text.len() {
        if text[i..i + pat.len()] != pat[..] {
            i += 1;
            continue;
        }
        // blank up to the end of the item: its matching closing brace, or a `;` before any brace
        let mut j = i + pat.len();
        let mut depth = 0usize;
        while j < text.len() {
            match text[j] {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        j += 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    j += 1;
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        for c in &mut out[i..j.min(text.len())] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        i = j;
    }
    out.into_iter().collect()
}

/// Rust source with comments, string and char literals replaced by spaces (newlines kept).
fn code_only(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0usize;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, i) {
            // r"…", r#"…"#, br#"…"#: ends at a quote followed by the same number of #.
            let open = i + hashes.0;
            for &ch in &chars[i..open] {
                blank(&mut out, ch);
            }
            i = open;
            while i < chars.len() {
                let end = chars[i] == '"' && (1..=hashes.1).all(|k| chars.get(i + k) == Some(&'#'));
                if end {
                    for _ in 0..=hashes.1 {
                        out.push(' ');
                    }
                    i += hashes.1 + 1;
                    break;
                }
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
                if let Some(&ch) = chars.get(i) {
                    blank(&mut out, ch);
                }
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars, i) {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                out.push(' ');
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// At a raw string start (`r"`, `r#"`, `br"`, …) not inside an identifier: (length up to and
/// including the opening quote, number of `#`).
fn raw_string_start(chars: &[char], i: usize) -> Option<(usize, usize)> {
    if i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i;
    if chars.get(j) == Some(&'b') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    (chars.get(j) == Some(&'"')).then_some((j + 1 - i, hashes))
}

/// `'x'` or `'\n'` is a char literal; `'a` in `&'a str` is a lifetime.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// The identifier paths `a::b::…` in code, each as its segments (groups expanded one level).
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < bytes.len() {
        if !is_ident(bytes[i]) || (i > 0 && (is_ident(bytes[i - 1]) || bytes[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let mut segs = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < bytes.len() && is_ident(bytes[j]) {
                j += 1;
            }
            if start == j {
                break;
            }
            segs.push(bytes[start..j].iter().collect::<String>());
            // `::` possibly around whitespace, and `::{` groups end the path here.
            let mut k = j;
            while k < bytes.len() && bytes[k].is_whitespace() {
                k += 1;
            }
            if bytes.get(k) == Some(&':') && bytes.get(k + 1) == Some(&':') {
                k += 2;
                while k < bytes.len() && bytes[k].is_whitespace() {
                    k += 1;
                }
                if bytes.get(k) == Some(&'{') {
                    // `a::{b::c, d}`: one path per entry of the group, `a::b` and `a::d`.
                    for first in group_heads(&bytes, k) {
                        let mut p = segs.clone();
                        p.push(first);
                        out.push(p);
                    }
                }
                j = k;
            } else {
                break;
            }
        }
        if !segs.is_empty() {
            out.push(segs);
        }
        i = j.max(i + 1);
    }
    out
}

/// The first identifier of each entry of the `{…}` group opening at `open`.
fn group_heads(chars: &[char], open: usize) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut expecting = true;
    let mut i = open;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' => {
                depth += 1;
                expecting = depth == 1;
            }
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expecting = true,
            c if expecting && (c.is_alphanumeric() || c == '_') => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                heads.push(chars[start..i].iter().collect());
                expecting = false;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    heads
}

/// What one source file breaks: `file` is its path under src/ (for `super::` depth),
/// `module` its top-level module.
fn violations(
    file: &str,
    module: &str,
    src: &str,
    allowed: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut found = BTreeSet::new();
    let ok = allowed.get(module);
    // src/engine/mod.rs is `engine` (depth 1), src/engine/exec.rs `engine::exec` (depth 2), …
    let rel = Path::new(file);
    let mut depth = rel.components().count();
    if rel.file_name().and_then(|f| f.to_str()) == Some("mod.rs") {
        depth -= 1;
    }
    let code = without_test_modules(&code_only(src));
    for path in paths(&code) {
        let first = path[0].as_str();
        let target = if first == "crate" {
            path.get(1).cloned()
        } else if first == "super" {
            let ups = path.iter().take_while(|s| *s == "super").count();
            if ups >= depth {
                path.get(ups).cloned()
            } else {
                None
            }
        } else {
            None
        };
        if let Some(target) = target {
            let is_module = allowed.contains_key(&target);
            let permitted = target == module || ok.is_some_and(|set| set.contains(&target));
            if is_module && !permitted {
                found.insert(format!(
                    "src/{file}: `{}` — `{module}` may not import `{target}`",
                    path.join("::")
                ));
            }
        }
        if BROWSER_CRATES.contains(&first) && module != BROWSER_MODULE {
            found.insert(format!(
                "src/{file}: `{}` — only `{BROWSER_MODULE}` may use the browser crates",
                path.join("::")
            ));
        }
    }
    found.into_iter().collect()
}

/// Every `.rs` file under `dir`, recursively, sorted.
/// A file that its parent declares as `#[cfg(test)] mod name;` (a test module in its own file).
fn is_test_only_file(file: &Path) -> bool {
    let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else {
        return false;
    };
    let Some(dir) = file.parent() else {
        return false;
    };
    // the parent module is dir/mod.rs, or dir.rs next to dir
    let mut parents = vec![dir.join("mod.rs")];
    if let (Some(up), Some(name)) = (dir.parent(), dir.file_name()) {
        parents.push(up.join(format!("{}.rs", name.to_string_lossy())));
    }
    parents.push(dir.join("lib.rs"));
    let decl = format!("mod {stem};");
    parents.iter().any(|p| {
        let Ok(text) = std::fs::read_to_string(p) else {
            return false;
        };
        let code = code_only(&text);
        let compact: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
        compact.contains(&format!("#[cfg(test)] {decl}"))
            || compact.contains(&format!("#[cfg(test)] pub(crate) {decl}"))
    })
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("reading {}: {e}", d.display()));
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn code_map() -> BTreeMap<String, BTreeSet<String>> {
    let path = repo().join("ARCHITECTURE.md");
    let md = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    allowed_imports(&md)
}

#[test]
fn modules_import_only_what_architecture_md_allows() {
    let allowed = code_map();
    let src = repo().join("src");
    let mut problems = Vec::new();
    let mut checked = 0;
    for file in rust_files(&src) {
        let rel = file.strip_prefix(&src).unwrap_or(&file);
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        // lib.rs declares the modules; bin/ are separate crates that use `chartlab::` freely.
        if rel_str == "lib.rs" || rel_str.starts_with("bin/") {
            continue;
        }
        let module = rel_str
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_string();
        if !allowed.contains_key(&module) {
            problems.push(format!(
                "src/{rel_str}: module `{module}` is not in ARCHITECTURE.md's code map"
            ));
            continue;
        }
        if is_test_only_file(&file) {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        problems.extend(violations(&rel_str, &module, &text, &allowed));
        checked += 1;
    }
    assert!(checked > 0, "no source files under {}", src.display());
    assert!(
        problems.is_empty(),
        "layering broken (see ARCHITECTURE.md, code map):\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_code_map_is_acyclic_and_names_only_known_modules() {
    let allowed = code_map();
    for (module, imports) in &allowed {
        for imp in imports {
            assert!(
                allowed.contains_key(imp),
                "`{module}` may import `{imp}`, which is not a module of the map"
            );
            assert_ne!(imp, module, "`{module}` lists itself");
        }
    }
    // Every module must reach a fixpoint: repeatedly remove modules whose imports are all removed.
    let mut left: BTreeMap<_, _> = allowed.clone();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|(_, imps)| imps.iter().all(|i| !left.contains_key(i)))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(
            !ready.is_empty(),
            "the code map has a cycle among {:?}",
            left.keys().collect::<Vec<_>>()
        );
        for m in ready {
            left.remove(&m);
        }
    }
    assert_eq!(
        allowed.get("engine").map(BTreeSet::len),
        Some(0),
        "engine imports nothing"
    );
}

// ---- the checker itself, on made-up sources ---------------------------------------------------

fn sample_map() -> BTreeMap<String, BTreeSet<String>> {
    allowed_imports(
        "# x\n\n## Code map\n\n| module | may import |\n| --- | --- |\n\
         | `engine` | — |\n| `sprig` | `engine` |\n| `chart` | `engine`, `sprig` |\n| `ui` | `chart` |\n\n## Next\n",
    )
}

#[test]
fn checker_flags_upward_imports_inline_paths_and_super_escapes() {
    let map = sample_map();
    let src = "use crate::engine::Value;\nuse crate::{chart::Chart};\nfn f() { crate::sprig::funcs(); }\n";
    let v = violations("engine/exec.rs", "engine", src, &map);
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(
        v[0].contains("`engine` may not import `chart`")
            || v[1].contains("`engine` may not import `chart`")
    );
    assert!(v.iter().any(|s| s.contains("`crate::sprig::funcs`")));

    let v = violations(
        "sprig/lists.rs",
        "sprig",
        "use super::super::chart::x;\nuse super::util;\n",
        &map,
    );
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("may not import `chart`"));
    assert!(violations("sprig/mod.rs", "sprig", "use super::engine::Value;", &map).is_empty());

    let v = violations(
        "engine/value.rs",
        "engine",
        "fn f(e: &web_sys::Element) { yew::x(); }",
        &map,
    );
    assert_eq!(v.len(), 2, "{v:?}");
    assert!(violations(
        "ui/mod.rs",
        "ui",
        "use yew::prelude::*;\nuse crate::chart::X;",
        &map
    )
    .is_empty());
}

#[test]
fn checker_ignores_comments_strings_and_lifetimes() {
    let map = sample_map();
    let src = r##"
//! Sprig's `slice` replaces Go's; see crate::chart for Helm.
/* crate::chart::x /* nested crate::ui */ still comment crate::sprig */
fn f<'a>(s: &'a str) -> (&'a str, char, &'static str) {
    let _ = "crate::chart::Chart and yew::Html";
    let _ = r#"crate::sprig "quoted" yew"#;
    (s, '"', "\"crate::chart\"")
}
"##;
    assert_eq!(
        violations("engine/value.rs", "engine", src, &map),
        Vec::<String>::new()
    );
    let after = format!("{src}\nuse crate::chart::Values;\n");
    assert_eq!(
        violations("engine/value.rs", "engine", &after, &map).len(),
        1
    );
}
