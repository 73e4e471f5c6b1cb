//! Rendering a release (pkg/action action.go `renderResources`) and printing it the way
//! `helm template` does (pkg/cmd/template.go): NOTES.txt pulled out, documents sorted into
//! hooks and manifests, CRDs from `crds/` prepended on request, `---\n# Source: …` blocks,
//! `--show-only` by glob over template paths, `--skip-tests`, `--no-hooks`.

use std::collections::BTreeMap;

use super::manifest::{self, INSTALL_ORDER};
use super::model::{Hook, HookEvent};
use crate::chart::{self, Chart, RenderOptions};
use crate::engine::{Env, Map};

/// The output of `renderResources`.
#[derive(Clone, Debug, Default)]
pub struct RenderedResources {
    /// Hooks in install kind order.
    pub hooks: Vec<Hook>,
    /// The manifest: `---\n# Source: path\n<doc>\n` per document, CRDs first when asked.
    pub manifest: String,
    /// NOTES.txt rendered (the root chart's; subcharts' too with `sub_notes`).
    pub notes: String,
}

/// A failed render: Helm's message, and the manifest text it had (for `--debug`).
#[derive(Clone, Debug, PartialEq)]
pub struct RenderFailure {
    pub message: String,
    /// On a YAML error in a rendered document: every non-blank file as `---\n# Source: …`.
    pub manifest: String,
}

/// What `renderResources` does besides rendering.
#[derive(Clone, Debug, Default)]
pub struct ResourceOptions {
    /// `--render-subchart-notes`.
    pub sub_notes: bool,
    /// `--include-crds` (`helm template`).
    pub include_crds: bool,
    /// `--hide-secret` (dry runs): v1 Secrets replaced by a `# HIDDEN` line.
    pub hide_secret: bool,
}

/// Files of `crds/` (with a .yaml, .yml or .json extension, any case) of the chart and its
/// subcharts: (path shown in `# Source:`, contents) — `Chart.CRDObjects`.
pub fn crd_objects(c: &Chart) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in &c.files {
        if !f.name.starts_with("crds/") {
            continue;
        }
        let ext = f
            .name
            .rsplit('/')
            .next()
            .and_then(|b| b.rfind('.').map(|i| &b[i..]))
            .unwrap_or("");
        if [".yaml", ".yml", ".json"]
            .iter()
            .any(|e| e.eq_ignore_ascii_case(ext))
        {
            out.push((format!("{}/{}", c.full_path, f.name), f.text()));
        }
    }
    for d in &c.dependencies {
        out.extend(crd_objects(d));
    }
    out
}

/// `renderResources` for already-rendered files (Helm's engine output, partials excluded).
pub fn resources_from_files(
    chart_name: &str,
    crds: &[(String, String)],
    mut files: BTreeMap<String, String>,
    opts: &ResourceOptions,
) -> Result<RenderedResources, RenderFailure> {
    // NOTES.txt: every file ending in it is removed; the root's (and with sub_notes every
    // one) joins the notes, separated by a newline.
    let root_notes = format!("{chart_name}/templates/NOTES.txt");
    let mut notes = String::new();
    let notes_keys: Vec<String> = files
        .keys()
        .filter(|k| k.ends_with("NOTES.txt"))
        .cloned()
        .collect();
    for k in notes_keys {
        let v = files.remove(&k).unwrap_or_default();
        if opts.sub_notes || k == root_notes {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(&v);
        }
    }
    let (hooks, manifests) = match manifest::sort_manifests(&files, INSTALL_ORDER) {
        Ok(x) => x,
        Err(e) => {
            let mut blob = String::new();
            for (name, content) in &files {
                if content.trim().is_empty() {
                    continue;
                }
                blob.push_str(&format!("---\n# Source: {name}\n{content}\n"));
            }
            return Err(RenderFailure {
                message: e.message,
                manifest: blob,
            });
        }
    };
    let mut b = String::new();
    if opts.include_crds {
        for (name, data) in crds {
            b.push_str(&format!("---\n# Source: {name}\n{data}\n"));
        }
    }
    for m in &manifests {
        if opts.hide_secret && m.head.kind == "Secret" && m.head.version == "v1" {
            b.push_str(&format!(
                "---\n# Source: {}\n# HIDDEN: The Secret output has been suppressed\n",
                m.name
            ));
        } else {
            b.push_str(&format!("---\n# Source: {}\n{}\n", m.name, m.content));
        }
    }
    Ok(RenderedResources {
        hooks,
        manifest: b,
        notes,
    })
}

/// `renderResources`: renders `chart` with the user's values and sorts the result.
pub fn render_resources(
    c: &Chart,
    user_values: &Map,
    render: &RenderOptions,
    env: &Env,
    opts: &ResourceOptions,
) -> Result<RenderedResources, RenderFailure> {
    let out = chart::render(c, user_values, render, env).map_err(|e| RenderFailure {
        message: e.message,
        manifest: String::new(),
    })?;
    resources_from_files(c.name(), &crd_objects(c), out.files, opts)
}

/// `helm template` flags that shape the printed text.
#[derive(Clone, Debug, Default)]
pub struct TemplateOptions {
    /// `--show-only` / `-s`: template paths or globs (relative to the chart, e.g.
    /// `templates/service.yaml`).
    pub show_only: Vec<String>,
    pub skip_tests: bool,
    pub include_crds: bool,
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `--debug`: print what was rendered even when it failed.
    pub debug: bool,
    /// `--render-subchart-notes` (changes nothing printed; kept for completeness).
    pub sub_notes: bool,
}

/// `helm template`'s failure: the message after `Error: ` and what was printed before it.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateFailure {
    pub message: String,
    pub stdout: String,
}

/// Helm's release name rule (`chartutil.ValidateReleaseName`).
pub fn validate_release_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("no name provided".into());
    }
    if name.len() > 53 || !valid_dns_name(name) {
        return Err(
            "invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
                .into(),
        );
    }
    Ok(())
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
pub fn valid_dns_name(s: &str) -> bool {
    s.split('.').all(|label| {
        let b = label.as_bytes();
        let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        !b.is_empty()
            && alnum(b[0])
            && alnum(b[b.len() - 1])
            && b.iter().all(|&c| alnum(c) || c == b'-')
    })
}

/// Prints a rendered release as `helm template` does.
pub fn template_text(
    rendered: &RenderedResources,
    opts: &TemplateOptions,
) -> Result<String, String> {
    let mut manifests = String::new();
    manifests.push_str(rendered.manifest.trim_matches(char::is_whitespace));
    manifests.push('\n');
    if !opts.no_hooks {
        for h in &rendered.hooks {
            if opts.skip_tests && h.has_event(HookEvent::Test) {
                continue;
            }
            manifests.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest));
        }
    }
    if opts.show_only.is_empty() {
        return Ok(manifests);
    }
    let split = manifest::split_manifests(&manifests);
    let mut out = String::new();
    for f in &opts.show_only {
        let f = f.replace('\\', "/");
        let mut missing = true;
        for m in &split {
            let Some(path) = source_path(m) else {
                continue;
            };
            if !go_path_match(&f, path) {
                continue;
            }
            out.push_str(&format!("---\n{m}\n"));
            missing = false;
        }
        if missing {
            return Err(format!("could not find template {f} in chart"));
        }
    }
    Ok(out)
}

/// The capture of `# Source: [^/]+/(.+)` (leftmost match): `[^/]+` runs to the first `/`
/// (across lines, as RE2's negated classes do), `(.+)` to the end of that line.
fn source_path(m: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(i) = m[from..].find("# Source: ") {
        let start = from + i + "# Source: ".len();
        let rest = &m[start..];
        if let Some(slash) = rest.find('/') {
            let tail = &rest[slash + 1..];
            let end = tail.find('\n').unwrap_or(tail.len());
            if slash > 0 && end > 0 {
                return Some(&tail[..end]);
            }
        }
        from = start;
    }
    None
}

/// Go's `path/filepath.Match` on `/`-separated paths; a malformed pattern matches nothing.
pub fn go_path_match(pattern: &str, name: &str) -> bool {
    match_impl(pattern.as_bytes(), name.as_bytes()).unwrap_or(false)
}

fn match_impl(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, ()> {
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // trailing * matches the rest unless it contains a separator
            return Ok(!name.contains(&b'/'));
        }
        let (t, ok) = match_chunk(chunk, name)?;
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            let mut i = 0;
            while i < name.len() && name[i] != b'/' {
                let (t, ok) = match_chunk(chunk, &name[i + 1..])?;
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        i += 1;
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
                i += 1;
            }
        }
        // the rest of the pattern must still be well-formed for Go to return ErrBadPattern
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

fn scan_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while pattern.first() == Some(&b'*') {
        pattern = &pattern[1..];
        star = true;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Decodes one UTF-8 char at the start (Go's utf8.DecodeRune; invalid bytes count as one).
fn first_char(s: &[u8]) -> (u32, usize) {
    let len = match s.first() {
        None => return (0, 0),
        Some(b) if *b < 0x80 => 1,
        Some(b) if *b >= 0xF0 => 4,
        Some(b) if *b >= 0xE0 => 3,
        Some(b) if *b >= 0xC0 => 2,
        Some(_) => 1,
    };
    match std::str::from_utf8(&s[..len.min(s.len())]) {
        Ok(t) => (
            t.chars().next().map(u32::from).unwrap_or(0xFFFD),
            len.min(s.len()),
        ),
        Err(_) => (0xFFFD, 1),
    }
}

fn match_chunk<'a>(mut chunk: &[u8], mut s: &'a [u8]) -> Result<(&'a [u8], bool), ()> {
    let mut failed = false;
    while !chunk.is_empty() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match chunk[0] {
            b'[' => {
                let mut r = 0;
                if !failed {
                    let (c, n) = first_char(s);
                    r = c;
                    s = &s[n..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut nrange = 0;
                loop {
                    if !chunk.is_empty() && chunk[0] == b']' && nrange > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (h, rest) = get_esc(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    nrange += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if s[0] == b'/' {
                        failed = true;
                    }
                    let (_, n) = first_char(s);
                    s = &s[n..];
                }
                chunk = &chunk[1..];
            }
            b'\\' => {
                chunk = &chunk[1..];
                if chunk.is_empty() {
                    return Err(());
                }
                if !failed {
                    if chunk[0] != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
            c => {
                if !failed {
                    if c != s[0] {
                        failed = true;
                    }
                    s = &s[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    if failed {
        return Ok((b"", false));
    }
    Ok((s, true))
}

fn get_esc(chunk: &[u8]) -> Result<(u32, &[u8]), ()> {
    if chunk.is_empty() || chunk[0] == b'-' || chunk[0] == b']' {
        return Err(());
    }
    let mut chunk = chunk;
    if chunk[0] == b'\\' {
        chunk = &chunk[1..];
        if chunk.is_empty() {
            return Err(());
        }
    }
    let (r, n) = first_char(chunk);
    if r == 0xFFFD && n == 1 && chunk[0] >= 0x80 {
        return Err(());
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(());
    }
    Ok((r, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_match_like_go() {
        assert!(go_path_match(
            "templates/service.yaml",
            "templates/service.yaml"
        ));
        assert!(go_path_match("templates/*", "templates/service.yaml"));
        assert!(!go_path_match("templates/*", "templates/tests/test.yaml"));
        assert!(go_path_match("templates/*/*", "templates/tests/test.yaml"));
        assert!(go_path_match("*/service.yaml", "templates/service.yaml"));
        assert!(go_path_match(
            "templates/s?rvice.yaml",
            "templates/service.yaml"
        ));
        assert!(go_path_match(
            "templates/[a-s]ervice.yaml",
            "templates/service.yaml"
        ));
        assert!(!go_path_match(
            "templates/[^s]ervice.yaml",
            "templates/service.yaml"
        ));
        assert!(go_path_match(
            "charts/sub/templates/*.yaml",
            "charts/sub/templates/cm.yaml"
        ));
        assert!(!go_path_match("templates/[", "templates/["));
        assert!(go_path_match("a\\*b", "a*b"));
        assert!(!go_path_match("templates", "templates/service.yaml"));
    }

    #[test]
    fn source_capture() {
        assert_eq!(
            source_path("# Source: demo/templates/a.yaml\nkind: A"),
            Some("templates/a.yaml")
        );
        assert_eq!(
            source_path("# Source: demo/charts/sub/templates/a.yaml\n"),
            Some("charts/sub/templates/a.yaml")
        );
        assert_eq!(source_path("kind: A\n"), None);
    }

    #[test]
    fn release_names() {
        assert!(validate_release_name("demo").is_ok());
        assert!(validate_release_name("my.app-1").is_ok());
        assert!(validate_release_name("Demo").is_err());
        assert!(validate_release_name("-demo").is_err());
        assert!(validate_release_name("a..b").is_err());
        assert_eq!(validate_release_name("").unwrap_err(), "no name provided");
        assert!(validate_release_name(&"a".repeat(54)).is_err());
        assert!(validate_release_name(&"a".repeat(53)).is_ok());
    }
}

/// A `helm template` run: release settings and the printing flags.
#[derive(Clone, Debug)]
pub struct TemplateRequest {
    /// `release-name` unless given.
    pub release_name: String,
    pub namespace: String,
    /// `--is-upgrade`.
    pub is_upgrade: bool,
    pub kube_version: Option<crate::chart::objects::KubeVersion>,
    pub api_versions: Vec<String>,
    pub options: TemplateOptions,
}

impl Default for TemplateRequest {
    fn default() -> Self {
        TemplateRequest {
            release_name: "release-name".into(),
            namespace: "default".into(),
            is_upgrade: false,
            kube_version: None,
            api_versions: Vec::new(),
            options: TemplateOptions::default(),
        }
    }
}

/// `helm template`: a client-side dry-run install (name check, Helm's default capabilities
/// plus `--kube-version`/`--api-versions`, revision 1) printed as pkg/cmd/template.go prints
/// it. A failure while rendering carries the `--debug` hint, and with `debug` whatever was
/// rendered is printed before the error, as Helm does.
pub fn helm_template(
    chart: &Chart,
    vals: &Map,
    req: &TemplateRequest,
    env: &Env,
) -> Result<String, TemplateFailure> {
    let fail = |message: String, stdout: String| TemplateFailure { message, stdout };
    if let Err(e) = validate_release_name(&req.release_name) {
        return Err(fail(
            format!(
                "release name check failed: release name {}: {e}",
                super::kubeclient::quote(&req.release_name)
            ),
            String::new(),
        ));
    }
    let mut ro = RenderOptions {
        capabilities: super::install::client_capabilities(&req.kube_version, &req.api_versions),
        ..RenderOptions::default()
    };
    ro.release.name = req.release_name.clone();
    ro.release.namespace = req.namespace.clone();
    ro.release.revision = 1;
    ro.release.is_install = !req.is_upgrade;
    ro.release.is_upgrade = req.is_upgrade;
    let mut processed = chart.clone();
    let mut dep_warnings = Vec::new();
    if let Err(e) =
        crate::chart::dependencies::process_dependencies(&mut processed, vals, &mut dep_warnings)
    {
        return Err(fail(
            format!("chart dependencies processing failed: {e}"),
            String::new(),
        ));
    }
    let res = super::install::render_release(
        &processed,
        vals,
        &ro,
        env,
        &ResourceOptions {
            sub_notes: req.options.sub_notes,
            include_crds: req.options.include_crds,
            hide_secret: false,
        },
    );
    match res {
        Ok(r) => template_text(&r, &req.options).map_err(|e| fail(e, String::new())),
        Err(f) if !f.during_render => Err(fail(f.message, String::new())),
        Err(f) if req.options.debug => {
            let failed = RenderedResources {
                manifest: f.manifest,
                ..Default::default()
            };
            let out = template_text(&failed, &req.options).unwrap_or_default();
            Err(fail(f.message, out))
        }
        Err(f) => Err(fail(
            format!(
                "{}\n\nUse --debug flag to render out invalid YAML",
                f.message
            ),
            String::new(),
        )),
    }
}
