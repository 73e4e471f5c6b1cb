//! Compiling JSON Schema documents (santhosh-tekuri/jsonschema v6's compiler): drafts 4, 6, 7,
//! 2019-09 and 2020-12 (chosen by `$schema`, 2020-12 when absent), resources (`$id`), anchors
//! (`$anchor`, `$dynamicAnchor`, `$recursiveAnchor`, draft-7 `#name` ids), `$ref` to JSON pointers
//! and anchors in the same document or in the bundled metaschemas, and the keywords each draft
//! knows — the others are ignored, as the library does.

use std::collections::HashMap;
use std::rc::Rc;

use super::super::jsontext::Json;
use super::num::Num;
use crate::sprig::regex::Regexp as GoRegexp;

/// The URL Helm compiles values.schema.json under.
pub const VALUES_SCHEMA_URL: &str = "file:///values.schema.json";

/// A compiled schema (an arena index into `Compiler::schemas`).
pub type Sch = usize;

#[derive(Clone, Debug, PartialEq)]
pub enum Items {
    One(Sch),
    Many(Vec<Sch>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Additional {
    Bool(bool),
    Schema(Sch),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Dep {
    Props(Vec<String>),
    Schema(Sch),
}

/// JSON Schema's type names in jsonschema's order (also the order "want" lists print in).
pub const TYPE_NAMES: [&str; 7] = [
    "null", "boolean", "number", "integer", "string", "array", "object",
];

/// A compiled Go regexp in a schema.
#[derive(Clone)]
pub struct Re(pub Rc<GoRegexp>);

impl std::fmt::Debug for Re {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("regexp")
    }
}

impl Re {
    pub fn is_match(&self, s: &str) -> bool {
        self.0.is_match(s)
    }
}

/// One compiled (sub)schema.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// Absolute location, `url#/json/pointer`.
    pub location: String,
    pub resource: usize,
    pub draft: u32,
    pub boolean: Option<bool>,
    pub types: Option<u8>,
    pub const_: Option<Json>,
    pub enum_: Option<Vec<Json>>,
    pub format: Option<String>,
    pub ref_: Option<Sch>,
    pub recursive_ref: Option<Sch>,
    pub recursive_anchor: bool,
    pub dynamic_ref: Option<(Sch, String)>,
    pub dynamic_anchor: String,
    // objects
    pub min_properties: Option<i64>,
    pub max_properties: Option<i64>,
    pub required: Vec<String>,
    pub properties: Vec<(String, Sch)>,
    pub pattern_properties: Vec<(Re, Sch)>,
    pub additional_properties: Option<Additional>,
    pub property_names: Option<Sch>,
    pub dependencies: Vec<(String, Dep)>,
    pub dependent_required: Vec<(String, Vec<String>)>,
    pub dependent_schemas: Vec<(String, Sch)>,
    pub unevaluated_properties: Option<Sch>,
    pub unevaluated_items: Option<Sch>,
    // arrays
    pub min_items: Option<i64>,
    pub max_items: Option<i64>,
    pub unique_items: bool,
    pub items: Option<Items>,
    pub additional_items: Option<Additional>,
    pub prefix_items: Vec<Sch>,
    pub items2020: Option<Sch>,
    pub contains: Option<Sch>,
    pub min_contains: Option<i64>,
    pub max_contains: Option<i64>,
    // strings
    pub min_length: Option<i64>,
    pub max_length: Option<i64>,
    pub pattern: Option<(String, Re)>,
    // numbers
    pub minimum: Option<Num>,
    pub maximum: Option<Num>,
    pub exclusive_minimum: Option<Num>,
    pub exclusive_maximum: Option<Num>,
    pub multiple_of: Option<Num>,
    // applicators
    pub not: Option<Sch>,
    pub all_of: Vec<Sch>,
    pub any_of: Vec<Sch>,
    pub one_of: Vec<Sch>,
    pub if_: Option<Sch>,
    pub then_: Option<Sch>,
    pub else_: Option<Sch>,
    /// Whether unevaluatedProperties/Items can be skipped (every property/item is evaluated
    /// by this schema itself).
    pub all_props_evaluated: bool,
    pub all_items_evaluated: bool,
    pub num_items_evaluated: usize,
}

/// A schema resource: a document root or a subschema with its own `$id`.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The resource's absolute URL (no fragment).
    pub url: String,
    /// The document it lives in and its JSON pointer there.
    pub doc: String,
    pub ptr: String,
    pub draft: u32,
    /// Anchor name → pointer in the document.
    pub anchors: HashMap<String, String>,
    /// `$dynamicAnchor` name → compiled schema (filled while compiling).
    pub dynamic_anchor_ptrs: HashMap<String, String>,
    pub recursive_anchor: bool,
}

/// The compiler: documents, resources and the compiled schema arena.
pub struct Compiler {
    pub schemas: Vec<Schema>,
    pub resources: Vec<Resource>,
    docs: HashMap<String, Rc<Json>>,
    /// `doc#ptr` → compiled schema.
    compiled: HashMap<String, Sch>,
    /// Documents whose resources were collected.
    scanned: HashMap<String, ()>,
    /// Dynamic anchors per resource, compiled on demand: (resource, name) → schema.
    pub dynamic_anchors: HashMap<(usize, String), Sch>,
}

/// The drafts' metaschema documents (json-schema.org's, as the library bundles them).
pub(crate) const METASCHEMAS: &[(&str, &str)] = &[
    (
        "http://json-schema.org/draft-04/schema",
        include_str!("meta/draft-04_schema.json"),
    ),
    (
        "http://json-schema.org/draft-06/schema",
        include_str!("meta/draft-06_schema.json"),
    ),
    (
        "http://json-schema.org/draft-07/schema",
        include_str!("meta/draft-07_schema.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/schema",
        include_str!("meta/draft_2019-09_schema.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/core",
        include_str!("meta/draft_2019-09_meta_core.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/applicator",
        include_str!("meta/draft_2019-09_meta_applicator.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/validation",
        include_str!("meta/draft_2019-09_meta_validation.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/meta-data",
        include_str!("meta/draft_2019-09_meta_meta-data.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/format",
        include_str!("meta/draft_2019-09_meta_format.json"),
    ),
    (
        "https://json-schema.org/draft/2019-09/meta/content",
        include_str!("meta/draft_2019-09_meta_content.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/schema",
        include_str!("meta/draft_2020-12_schema.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/core",
        include_str!("meta/draft_2020-12_meta_core.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/applicator",
        include_str!("meta/draft_2020-12_meta_applicator.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/unevaluated",
        include_str!("meta/draft_2020-12_meta_unevaluated.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/validation",
        include_str!("meta/draft_2020-12_meta_validation.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/meta-data",
        include_str!("meta/draft_2020-12_meta_meta-data.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/format-annotation",
        include_str!("meta/draft_2020-12_meta_format-annotation.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/format-assertion",
        include_str!("meta/draft_2020-12_meta_format-assertion.json"),
    ),
    (
        "https://json-schema.org/draft/2020-12/meta/content",
        include_str!("meta/draft_2020-12_meta_content.json"),
    ),
];

thread_local! {
    /// The metaschemas, parsed once per thread.
    static META_DOCS: Vec<(&'static str, Rc<Json>)> = METASCHEMAS
        .iter()
        .filter_map(|(url, text)| {
            super::super::jsontext::parse_document(text)
                .ok()
                .map(|d| (*url, Rc::new(d)))
        })
        .collect();
}

/// The draft a `$schema` URL names (jsonschema's draftFromURL), and its metaschema URL.
pub fn draft_from_url(url: &str) -> Option<(u32, &'static str)> {
    let (u, frag) = split_fragment(url);
    if !frag.is_empty() {
        return None;
    }
    let u = u
        .strip_prefix("http://")
        .or_else(|| u.strip_prefix("https://"))?;
    Some(match u {
        "json-schema.org/schema" | "json-schema.org/draft/2020-12/schema" => {
            (2020, "https://json-schema.org/draft/2020-12/schema")
        }
        "json-schema.org/draft/2019-09/schema" => {
            (2019, "https://json-schema.org/draft/2019-09/schema")
        }
        "json-schema.org/draft-07/schema" => (7, "http://json-schema.org/draft-07/schema"),
        "json-schema.org/draft-06/schema" => (6, "http://json-schema.org/draft-06/schema"),
        "json-schema.org/draft-04/schema" => (4, "http://json-schema.org/draft-04/schema"),
        _ => return None,
    })
}

/// The metaschema URL of a draft.
pub fn metaschema_url(draft: u32) -> &'static str {
    match draft {
        4 => "http://json-schema.org/draft-04/schema",
        6 => "http://json-schema.org/draft-06/schema",
        7 => "http://json-schema.org/draft-07/schema",
        2019 => "https://json-schema.org/draft/2019-09/schema",
        _ => "https://json-schema.org/draft/2020-12/schema",
    }
}

/// Splits `url#fragment`.
pub fn split_fragment(s: &str) -> (&str, &str) {
    match s.find('#') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    }
}

/// JSON pointer token escaping (`~` → `~0`, `/` → `~1`).
pub fn escape_token(tok: &str) -> String {
    tok.replace('~', "~0").replace('/', "~1")
}

fn unescape_token(tok: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = tok.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// url.PathUnescape of a fragment.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// url.PathEscape of one pointer token, as jsonschema's locations print.
fn path_escape(tok: &str) -> String {
    let mut out = String::new();
    for b in tok.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~$&+=:@!'()*,;".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `url#ptr` with the pointer's tokens path-escaped.
pub fn location(url: &str, ptr: &str) -> String {
    let encoded: Vec<String> = ptr.split('/').map(path_escape).collect();
    format!("{url}#{}", encoded.join("/"))
}

fn has_scheme(s: &str) -> bool {
    let Some(i) = s.find(':') else {
        return false;
    };
    let scheme = &s[..i];
    !scheme.is_empty()
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
}

fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        match *seg {
            "." => {
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// RFC 3986 reference resolution (url.ResolveReference), without fragments.
pub fn resolve_url(base: &str, reference: &str) -> String {
    if reference.is_empty() {
        return base.to_string();
    }
    if has_scheme(reference) {
        return reference.to_string();
    }
    let scheme_end = base.find(':').map_or(0, |i| i + 1);
    let scheme = &base[..scheme_end];
    let rest = &base[scheme_end..];
    if let Some(r) = reference.strip_prefix("//") {
        return format!("{scheme}//{r}");
    }
    let (authority, path) = match rest.strip_prefix("//") {
        Some(r) => match r.find('/') {
            Some(i) => (format!("//{}", &r[..i]), &r[i..]),
            None => (format!("//{r}"), ""),
        },
        None => (String::new(), rest),
    };
    if reference.starts_with('/') {
        return format!("{scheme}{authority}{}", remove_dot_segments(reference));
    }
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    };
    format!(
        "{scheme}{authority}{}",
        remove_dot_segments(&format!("{dir}{reference}"))
    )
}

/// A JSON pointer lookup.
fn lookup<'a>(doc: &'a Json, ptr: &str) -> Option<&'a Json> {
    if ptr.is_empty() {
        return Some(doc);
    }
    let mut cur = doc;
    for tok in ptr.split('/').skip(1) {
        let tok = unescape_token(tok)?;
        cur = match cur {
            Json::Object(_) => cur.get(&tok)?,
            Json::Array(a) => {
                let i: usize = tok.parse().ok()?;
                a.get(i)?
            }
            _ => return None,
        };
    }
    Some(cur)
}

fn num(j: Option<&Json>) -> Option<Num> {
    match j {
        Some(Json::Number(n)) => Num::parse(n),
        _ => None,
    }
}

fn int_val(j: Option<&Json>) -> Option<i64> {
    let n = num(j)?;
    if !n.is_integer() {
        return None;
    }
    let f = n.to_f64();
    if f.abs() > 9.0e18 {
        return Some(if f < 0.0 { i64::MIN } else { i64::MAX });
    }
    Some(f as i64)
}

fn strings(j: Option<&Json>) -> Vec<String> {
    match j {
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether the object has subschema keywords whose values should be searched for resources.
fn subschema_children(draft: u32, obj: &[(String, Json)]) -> Vec<(String, &Json)> {
    let mut out = Vec::new();
    let single = [
        "not",
        "if",
        "then",
        "else",
        "additionalProperties",
        "additionalItems",
        "contains",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contentSchema",
        "items",
    ];
    let arrays = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
    let maps = [
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "dependencies",
    ];
    let _ = draft;
    for (k, v) in obj {
        let ek = escape_token(k);
        match v {
            Json::Object(_) | Json::Bool(_) if single.contains(&k.as_str()) => {
                out.push((format!("/{ek}"), v));
            }
            Json::Array(a) if arrays.contains(&k.as_str()) => {
                for (i, e) in a.iter().enumerate() {
                    out.push((format!("/{ek}/{i}"), e));
                }
            }
            Json::Object(m) if maps.contains(&k.as_str()) => {
                for (mk, mv) in m {
                    if matches!(mv, Json::Object(_) | Json::Bool(_)) {
                        out.push((format!("/{ek}/{}", escape_token(mk)), mv));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A compile error in jsonschema's words.
pub type CompileError = String;

impl Compiler {
    pub fn new() -> Compiler {
        let mut c = Compiler {
            schemas: Vec::new(),
            resources: Vec::new(),
            docs: HashMap::new(),
            compiled: HashMap::new(),
            scanned: HashMap::new(),
            dynamic_anchors: HashMap::new(),
        };
        META_DOCS.with(|m| {
            for (url, doc) in m {
                c.docs.insert(url.to_string(), doc.clone());
            }
        });
        c
    }

    /// Adds a document under `url`.
    pub fn add_document(&mut self, url: &str, doc: Json) {
        self.docs.insert(url.to_string(), Rc::new(doc));
    }

    /// The draft a document declares, `default` when it has no known `$schema`.
    pub fn doc_draft(doc: &Json, default: u32) -> u32 {
        match doc.get("$schema").and_then(Json::as_str) {
            Some(s) => draft_from_url(s).map_or(default, |(d, _)| d),
            None => default,
        }
    }

    /// Collects the resources (`$id`) and anchors of a document.
    fn scan(&mut self, doc_url: &str) -> Result<(), CompileError> {
        if self.scanned.contains_key(doc_url) {
            return Ok(());
        }
        self.scanned.insert(doc_url.to_string(), ());
        let Some(doc) = self.docs.get(doc_url).cloned() else {
            return Err(load_error(doc_url));
        };
        let draft = Compiler::doc_draft(&doc, 2020);
        self.scan_node(doc_url, &doc, "", doc_url, draft, true);
        Ok(())
    }

    fn scan_node(
        &mut self,
        doc_url: &str,
        node: &Json,
        ptr: &str,
        base: &str,
        draft: u32,
        root: bool,
    ) {
        let Json::Object(obj) = node else {
            if root {
                self.resources.push(Resource {
                    url: base.to_string(),
                    doc: doc_url.to_string(),
                    ptr: ptr.to_string(),
                    draft,
                    anchors: HashMap::new(),
                    dynamic_anchor_ptrs: HashMap::new(),
                    recursive_anchor: false,
                });
            }
            return;
        };
        let draft = if root {
            draft
        } else {
            match node.get("$schema").and_then(Json::as_str) {
                Some(s) => draft_from_url(s).map_or(draft, |(d, _)| d),
                None => draft,
            }
        };
        let id_key = if draft == 4 { "id" } else { "$id" };
        let mut base = base.to_string();
        let mut res_index = None;
        if let Some(id) = node.get(id_key).and_then(Json::as_str) {
            let (u, frag) = split_fragment(id);
            if !(draft < 2019 && u.is_empty() && !frag.is_empty()) {
                base = resolve_url(&base, u);
            }
        }
        let is_resource = root
            || node
                .get(id_key)
                .and_then(Json::as_str)
                .is_some_and(|id| !split_fragment(id).0.is_empty());
        if is_resource {
            res_index = Some(self.resources.len());
            self.resources.push(Resource {
                url: base.clone(),
                doc: doc_url.to_string(),
                ptr: ptr.to_string(),
                draft,
                anchors: HashMap::new(),
                dynamic_anchor_ptrs: HashMap::new(),
                recursive_anchor: matches!(node.get("$recursiveAnchor"), Some(Json::Bool(true))),
            });
        }
        let owner = res_index.unwrap_or_else(|| self.resource_for(&base).unwrap_or(0));
        // Anchors.
        if draft < 2019 {
            if let Some(id) = node.get(id_key).and_then(Json::as_str) {
                let (_, frag) = split_fragment(id);
                if !frag.is_empty() {
                    if let Some(a) = percent_decode(frag) {
                        if let Some(r) = self.resources.get_mut(owner) {
                            r.anchors.insert(a, ptr.to_string());
                        }
                    }
                }
            }
        } else {
            if let Some(a) = node.get("$anchor").and_then(Json::as_str) {
                if let Some(r) = self.resources.get_mut(owner) {
                    r.anchors.insert(a.to_string(), ptr.to_string());
                }
            }
            if draft >= 2020 {
                if let Some(a) = node.get("$dynamicAnchor").and_then(Json::as_str) {
                    if let Some(r) = self.resources.get_mut(owner) {
                        r.anchors.insert(a.to_string(), ptr.to_string());
                        r.dynamic_anchor_ptrs.insert(a.to_string(), ptr.to_string());
                    }
                }
            }
        }
        for (sub, child) in subschema_children(draft, obj) {
            let child_ptr = format!("{ptr}{sub}");
            self.scan_node(doc_url, child, &child_ptr, &base, draft, false);
        }
    }

    fn resource_for(&self, url: &str) -> Option<usize> {
        self.resources.iter().position(|r| r.url == url)
    }

    /// The resource that contains `doc#ptr` (the deepest one).
    fn owning_resource(&self, doc: &str, ptr: &str) -> usize {
        let mut best: Option<(usize, usize)> = None;
        for (i, r) in self.resources.iter().enumerate() {
            if r.doc == doc
                && (ptr == r.ptr || ptr.starts_with(&format!("{}/", r.ptr)) || r.ptr.is_empty())
            {
                let len = r.ptr.len();
                if best.is_none_or(|(_, l)| len >= l) {
                    best = Some((i, len));
                }
            }
        }
        best.map_or(0, |(i, _)| i)
    }

    /// Resolves `reference` against the resource `res`: (doc, ptr, anchor-or-pointer).
    fn resolve_ref(
        &mut self,
        res: usize,
        reference: &str,
    ) -> Result<(String, String), CompileError> {
        let base = self.resources[res].url.clone();
        let (u, frag) = split_fragment(reference);
        let frag = percent_decode(frag).ok_or_else(|| {
            format!(
                "error in parsing {}: invalid URL escape",
                crate::engine::printf::quote(reference)
            )
        })?;
        let target_url = resolve_url(&base, u);
        // A resource we know (document root or `$id` subresource)?
        let mut target_res = self.resource_for(&target_url);
        if target_res.is_none() {
            if self.docs.contains_key(&target_url) {
                self.scan(&target_url)?;
                target_res = self.resource_for(&target_url);
            } else {
                return Err(load_error(&target_url));
            }
        }
        let r = &self.resources[target_res.unwrap_or(0)];
        let (doc, rptr) = (r.doc.clone(), r.ptr.clone());
        if frag.is_empty() || frag.starts_with('/') {
            let ptr = format!("{rptr}{frag}");
            let found = self
                .docs
                .get(&doc)
                .is_some_and(|d| lookup(d, &ptr).is_some());
            if !found {
                return Err(format!(
                    "json-pointer in {} not found",
                    crate::engine::printf::quote(&location_plain(&target_url, &frag))
                ));
            }
            return Ok((doc, ptr));
        }
        match r.anchors.get(&frag) {
            Some(p) => Ok((doc, p.clone())),
            None => Err(format!(
                "anchor in {} not found in schema {}",
                crate::engine::printf::quote(reference),
                crate::engine::printf::quote(&target_url)
            )),
        }
    }

    /// Compiles the schema at `url` (a document URL, optionally with a fragment).
    pub fn compile_url(&mut self, url: &str) -> Result<Sch, CompileError> {
        let (u, _) = split_fragment(url);
        self.scan(u)?;
        let res = self.resource_for(u).unwrap_or(0);
        let (doc, ptr) = self.resolve_ref(res, url)?;
        self.compile_at(&doc, &ptr)
    }

    fn compile_at(&mut self, doc_url: &str, ptr: &str) -> Result<Sch, CompileError> {
        let key = format!("{doc_url}#{ptr}");
        if let Some(&s) = self.compiled.get(&key) {
            return Ok(s);
        }
        let Some(doc) = self.docs.get(doc_url).cloned() else {
            return Err(load_error(doc_url));
        };
        let Some(node) = lookup(&doc, ptr) else {
            return Err(format!(
                "json-pointer in {} not found",
                crate::engine::printf::quote(&location_plain(doc_url, ptr))
            ));
        };
        let res = self.owning_resource(doc_url, ptr);
        let idx = self.schemas.len();
        let loc_url = self
            .resources
            .get(res)
            .map_or(doc_url.to_string(), |r| r.url.clone());
        let rel_ptr = self
            .resources
            .get(res)
            .map_or(ptr, |r| ptr.strip_prefix(r.ptr.as_str()).unwrap_or(ptr));
        let draft = self.resources.get(res).map_or(2020, |r| r.draft);
        self.schemas.push(Schema {
            location: location(&loc_url, rel_ptr),
            resource: res,
            draft,
            ..Default::default()
        });
        self.compiled.insert(key, idx);
        let s = self.build(doc_url, ptr, node, res, draft)?;
        let location = std::mem::take(&mut self.schemas[idx].location);
        self.schemas[idx] = Schema { location, ..s };
        Ok(idx)
    }

    fn sub(&mut self, doc: &str, ptr: &str, key: &str) -> Result<Sch, CompileError> {
        self.compile_at(doc, &format!("{ptr}/{}", escape_token(key)))
    }

    fn sub2(&mut self, doc: &str, ptr: &str, key: &str, k2: &str) -> Result<Sch, CompileError> {
        self.compile_at(
            doc,
            &format!("{ptr}/{}/{}", escape_token(key), escape_token(k2)),
        )
    }

    fn build(
        &mut self,
        doc: &str,
        ptr: &str,
        node: &Json,
        res: usize,
        draft: u32,
    ) -> Result<Schema, CompileError> {
        let mut s = Schema {
            resource: res,
            draft,
            ..Default::default()
        };
        let obj = match node {
            Json::Bool(b) => {
                s.boolean = Some(*b);
                s.all_props_evaluated = true;
                s.all_items_evaluated = true;
                return Ok(s);
            }
            Json::Object(o) => o.clone(),
            _ => return Ok(s),
        };
        let get = |k: &str| obj.iter().find(|(n, _)| n == k).map(|(_, v)| v);
        let (res_url, res_ptr) = (
            self.resources[res].url.clone(),
            self.resources[res].ptr.clone(),
        );
        let loc_of = |kw: &str| {
            let rel = ptr.strip_prefix(res_ptr.as_str()).unwrap_or(ptr);
            location(&res_url, &format!("{rel}/{}", escape_token(kw)))
        };
        // $ref
        if let Some(Json::String(r)) = get("$ref") {
            let (d, p) = self.resolve_ref(res, r)?;
            s.ref_ = Some(self.compile_at(&d, &p)?);
            if draft < 2019 {
                return Ok(s);
            }
        }
        // applicators
        for (kw, slot) in [("allOf", 0), ("anyOf", 1), ("oneOf", 2)] {
            if let Some(Json::Array(a)) = get(kw) {
                let mut v = Vec::new();
                for i in 0..a.len() {
                    v.push(self.sub2(doc, ptr, kw, &i.to_string())?);
                }
                match slot {
                    0 => s.all_of = v,
                    1 => s.any_of = v,
                    _ => s.one_of = v,
                }
            }
        }
        if get("not").is_some() {
            s.not = Some(self.sub(doc, ptr, "not")?);
        }
        if draft < 2020 {
            match get("items") {
                Some(Json::Array(a)) => {
                    let mut v = Vec::new();
                    for i in 0..a.len() {
                        v.push(self.sub2(doc, ptr, "items", &i.to_string())?);
                    }
                    s.items = Some(Items::Many(v));
                    s.additional_items =
                        self.additional(doc, ptr, get("additionalItems"), "additionalItems")?;
                }
                Some(_) => s.items = Some(Items::One(self.sub(doc, ptr, "items")?)),
                None => {}
            }
        }
        if let Some(Json::Object(m)) = get("properties") {
            for (k, _) in m {
                let sc = self.sub2(doc, ptr, "properties", k)?;
                s.properties.push((k.clone(), sc));
            }
        }
        if let Some(Json::Object(m)) = get("patternProperties") {
            for (k, _) in m {
                let re = crate::sprig::regex::compile(k).map_err(|e| {
                    format!(
                        "invalid regex {} at {}: {e}",
                        crate::engine::printf::quote(k),
                        crate::engine::printf::quote(&loc_of("patternProperties"))
                    )
                })?;
                let sc = self.sub2(doc, ptr, "patternProperties", k)?;
                s.pattern_properties.push((Re(re), sc));
            }
        }
        s.additional_properties = self.additional(
            doc,
            ptr,
            get("additionalProperties"),
            "additionalProperties",
        )?;
        if let Some(Json::Object(m)) = get("dependencies") {
            for (k, v) in m {
                let dep = match v {
                    Json::Array(a) => Dep::Props(
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect(),
                    ),
                    _ => Dep::Schema(self.sub2(doc, ptr, "dependencies", k)?),
                };
                s.dependencies.push((k.clone(), dep));
            }
        }
        // validation
        if let Some(t) = get("type") {
            let mut bits = 0u8;
            let names: Vec<&str> = match t {
                Json::String(n) => vec![n.as_str()],
                Json::Array(a) => a.iter().filter_map(Json::as_str).collect(),
                _ => Vec::new(),
            };
            for n in names {
                if let Some(i) = TYPE_NAMES.iter().position(|t| *t == n) {
                    bits |= 1 << i;
                }
            }
            s.types = Some(bits);
        }
        if let Some(Json::Array(a)) = get("enum") {
            s.enum_ = Some(a.clone());
        }
        s.multiple_of = num(get("multipleOf"));
        s.maximum = num(get("maximum"));
        if matches!(get("exclusiveMaximum"), Some(Json::Bool(true))) {
            s.exclusive_maximum = s.maximum.take();
        } else {
            s.exclusive_maximum = num(get("exclusiveMaximum"));
        }
        s.minimum = num(get("minimum"));
        if matches!(get("exclusiveMinimum"), Some(Json::Bool(true))) {
            s.exclusive_minimum = s.minimum.take();
        } else {
            s.exclusive_minimum = num(get("exclusiveMinimum"));
        }
        s.min_length = int_val(get("minLength"));
        s.max_length = int_val(get("maxLength"));
        if let Some(Json::String(p)) = get("pattern") {
            let re = crate::sprig::regex::compile(p).map_err(|e| {
                format!(
                    "invalid regex {} at {}: {e}",
                    crate::engine::printf::quote(p),
                    crate::engine::printf::quote(&loc_of("pattern"))
                )
            })?;
            s.pattern = Some((p.clone(), Re(re)));
        }
        s.min_items = int_val(get("minItems"));
        s.max_items = int_val(get("maxItems"));
        s.unique_items = matches!(get("uniqueItems"), Some(Json::Bool(true)));
        s.max_properties = int_val(get("maxProperties"));
        s.min_properties = int_val(get("minProperties"));
        s.required = strings(get("required"));
        // Formats are assertions before 2019-09, and always in the metaschemas themselves.
        let is_meta = METASCHEMAS.iter().any(|(u, _)| *u == doc);
        if draft < 2019 || is_meta {
            if let Some(Json::String(f)) = get("format") {
                s.format = Some(f.clone());
            }
        }
        if draft >= 6 {
            if get("contains").is_some() {
                s.contains = Some(self.sub(doc, ptr, "contains")?);
            }
            if get("propertyNames").is_some() {
                s.property_names = Some(self.sub(doc, ptr, "propertyNames")?);
            }
            if let Some(c) = get("const") {
                s.const_ = Some(c.clone());
            }
        }
        if draft >= 7 && get("if").is_some() {
            s.if_ = Some(self.sub(doc, ptr, "if")?);
            let b = match get("if") {
                Some(Json::Bool(b)) => Some(*b),
                _ => None,
            };
            if b != Some(false) && get("then").is_some() {
                s.then_ = Some(self.sub(doc, ptr, "then")?);
            }
            if b != Some(true) && get("else").is_some() {
                s.else_ = Some(self.sub(doc, ptr, "else")?);
            }
        }
        if draft >= 2019 {
            if let Some(Json::String(r)) = get("$recursiveRef") {
                let (d, p) = self.resolve_ref(res, r)?;
                s.recursive_ref = Some(self.compile_at(&d, &p)?);
            }
            s.recursive_anchor = matches!(get("$recursiveAnchor"), Some(Json::Bool(true)));
            if s.contains.is_some() {
                s.min_contains = int_val(get("minContains"));
                s.max_contains = int_val(get("maxContains"));
            }
            if let Some(Json::Object(m)) = get("dependentRequired") {
                for (k, v) in m {
                    if let Json::Array(a) = v {
                        s.dependent_required.push((
                            k.clone(),
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect(),
                        ));
                    }
                }
            }
            if let Some(Json::Object(m)) = get("dependentSchemas") {
                for (k, _) in m {
                    let sc = self.sub2(doc, ptr, "dependentSchemas", k)?;
                    s.dependent_schemas.push((k.clone(), sc));
                }
            }
            if get("unevaluatedItems").is_some() {
                s.unevaluated_items = Some(self.sub(doc, ptr, "unevaluatedItems")?);
            }
            if get("unevaluatedProperties").is_some() {
                s.unevaluated_properties = Some(self.sub(doc, ptr, "unevaluatedProperties")?);
            }
        }
        if draft >= 2020 {
            if let Some(Json::String(r)) = get("$dynamicRef") {
                let (d, p) = self.resolve_ref(res, r)?;
                let target = self.compile_at(&d, &p)?;
                let (_, frag) = split_fragment(r);
                let anchor = if frag.is_empty() || frag.starts_with('/') {
                    String::new()
                } else {
                    percent_decode(frag).unwrap_or_default()
                };
                s.dynamic_ref = Some((target, anchor));
            }
            if let Some(Json::String(a)) = get("$dynamicAnchor") {
                s.dynamic_anchor = a.clone();
            }
            if let Some(Json::Array(a)) = get("prefixItems") {
                for i in 0..a.len() {
                    s.prefix_items
                        .push(self.sub2(doc, ptr, "prefixItems", &i.to_string())?);
                }
            }
            if get("items").is_some() {
                s.items2020 = Some(self.sub(doc, ptr, "items")?);
            }
        }
        // What this schema evaluates by itself (for unevaluated*).
        s.all_props_evaluated = s.additional_properties.is_some();
        s.all_items_evaluated = match draft {
            d if d < 2020 => matches!(s.items, Some(Items::One(_))) || s.additional_items.is_some(),
            _ => s.items2020.is_some(),
        };
        s.num_items_evaluated = if draft < 2020 {
            match &s.items {
                Some(Items::Many(v)) => v.len(),
                _ => 0,
            }
        } else {
            s.prefix_items.len()
        };
        Ok(s)
    }

    fn additional(
        &mut self,
        doc: &str,
        ptr: &str,
        v: Option<&Json>,
        kw: &str,
    ) -> Result<Option<Additional>, CompileError> {
        Ok(match v {
            Some(Json::Bool(b)) => Some(Additional::Bool(*b)),
            Some(_) => Some(Additional::Schema(self.sub(doc, ptr, kw)?)),
            None => None,
        })
    }

    /// The schema a dynamic anchor of a resource names, compiling it on first use.
    pub fn dynamic_anchor(&mut self, res: usize, name: &str) -> Option<Sch> {
        if let Some(&s) = self.dynamic_anchors.get(&(res, name.to_string())) {
            return Some(s);
        }
        let r = self.resources.get(res)?;
        let ptr = r.dynamic_anchor_ptrs.get(name)?.clone();
        let doc = r.doc.clone();
        let s = self.compile_at(&doc, &ptr).ok()?;
        self.dynamic_anchors.insert((res, name.to_string()), s);
        Some(s)
    }
}

impl Default for Compiler {
    fn default() -> Self {
        Compiler::new()
    }
}

fn location_plain(url: &str, frag: &str) -> String {
    format!("{url}#{frag}")
}

/// jsonschema's LoadURLError as Helm's loaders would produce it for a document that is not there.
fn load_error(url: &str) -> String {
    let q = crate::engine::printf::quote(url);
    if let Some(path) = url.strip_prefix("file://") {
        return format!("failing loading {q}: open {path}: no such file or directory");
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        return format!(
            "failing loading {q}: ChartLab runs in the browser and cannot download schemas; inline the referenced schema into values.schema.json"
        );
    }
    if url.starts_with("urn:") {
        return format!("failing loading {q}: URN not resolved: {url}");
    }
    format!("no URLLoader registered for {q}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_like_net_url() {
        assert_eq!(
            resolve_url("file:///values.schema.json", "other.json"),
            "file:///other.json"
        );
        assert_eq!(
            resolve_url("https://json-schema.org/draft/2020-12/schema", "meta/core"),
            "https://json-schema.org/draft/2020-12/meta/core"
        );
        assert_eq!(
            resolve_url("https://a.b/c/d.json", "../e.json"),
            "https://a.b/e.json"
        );
        assert_eq!(resolve_url("https://a.b/c/d.json", "/x"), "https://a.b/x");
        assert_eq!(resolve_url("file:///v.json", "urn:x"), "urn:x");
    }

    #[test]
    fn drafts_from_schema_urls() {
        assert_eq!(
            draft_from_url("http://json-schema.org/draft-07/schema#").map(|d| d.0),
            Some(7)
        );
        assert_eq!(
            draft_from_url("http://json-schema.org/draft-07/schema").map(|d| d.0),
            Some(7)
        );
        assert_eq!(
            draft_from_url("https://json-schema.org/draft/2020-12/schema").map(|d| d.0),
            Some(2020)
        );
        assert_eq!(draft_from_url("http://example.com/x"), None);
    }
}
