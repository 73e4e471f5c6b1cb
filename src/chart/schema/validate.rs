//! Validating an instance against a compiled schema, following santhosh-tekuri/jsonschema v6's
//! validator: the order keywords are checked in, which failures stop a schema early (type, const,
//! enum, format), how errors nest (Group, Reference, allOf/anyOf/oneOf causes), dynamic and
//! recursive references through the scope chain, and unevaluatedProperties/Items bookkeeping —
//! plus the texts v6.0.2 prints (`'allOf' failed`, `minimum: got 1, want 5`, …).

// Validation errors are trees built only on the failure path; boxing them would only add noise.
#![allow(clippy::result_large_err)]

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::engine::Value;

use super::super::jsontext::Json;
use super::compile::{Additional, Compiler, Dep, Items, Sch, TYPE_NAMES};
use super::num::{display_float, display_int, Num};

/// A JSON instance being validated. Objects iterate in sorted key order (Go iterates maps
/// randomly; sorted is one of its orders and is stable).
#[derive(Clone, Debug, PartialEq)]
pub enum Inst {
    Null,
    Bool(bool),
    Num(Num, String),
    Str(String),
    Arr(Vec<Inst>),
    Obj(BTreeMap<String, Inst>),
    /// A Go value that is not JSON data (its Go type name).
    Invalid(String),
}

impl Inst {
    /// Helm's values as the validator sees them (float64, int64, string, bool, nil, slices, maps).
    pub fn from_value(v: &Value) -> Inst {
        match v {
            Value::Nil => Inst::Null,
            Value::Bool(b) => Inst::Bool(*b),
            Value::Float(f) => Inst::Num(Num::from_f64(*f), String::new()),
            Value::Int(i) | Value::Int64(i) => {
                Inst::Num(Num::from_i128(i128::from(*i)), String::new())
            }
            Value::Uint(u) => Inst::Num(Num::from_i128(i128::from(*u)), String::new()),
            Value::String(s) => Inst::Str(s.to_string()),
            Value::List(l) if l.ty() == crate::engine::value::types::LIST => {
                Inst::Arr(l.iter().map(Inst::from_value).collect())
            }
            Value::Map(m)
                if m.ty() == crate::engine::value::types::MAP
                    || m.ty() == crate::engine::value::types::VALUES =>
            {
                Inst::Obj(
                    m.entries()
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), Inst::from_value(&v)))
                        .collect(),
                )
            }
            other => Inst::Invalid(other.type_name()),
        }
    }

    /// A JSON document (a schema being checked against its metaschema).
    pub fn from_json(j: &Json) -> Inst {
        match j {
            Json::Null => Inst::Null,
            Json::Bool(b) => Inst::Bool(*b),
            Json::Number(n) => Inst::Num(
                Num::parse(n).unwrap_or_else(|| Num::from_i128(0)),
                n.clone(),
            ),
            Json::String(s) => Inst::Str(s.clone()),
            Json::Array(a) => Inst::Arr(a.iter().map(Inst::from_json).collect()),
            Json::Object(o) => Inst::Obj(
                o.iter()
                    .map(|(k, v)| (k.clone(), Inst::from_json(v)))
                    .collect(),
            ),
        }
    }

    fn type_index(&self) -> Option<usize> {
        Some(match self {
            Inst::Null => 0,
            Inst::Bool(_) => 1,
            Inst::Num(..) => 2,
            Inst::Str(_) => 4,
            Inst::Arr(_) => 5,
            Inst::Obj(_) => 6,
            Inst::Invalid(_) => return None,
        })
    }
}

/// What went wrong (jsonschema's kind package).
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Schema(String),
    Group,
    Not,
    AllOf,
    AnyOf,
    OneOf(Option<(usize, usize)>),
    FalseSchema,
    RefCycle(String, String, String),
    Type(String, Vec<&'static str>),
    Enum(Vec<Json>),
    Const(Json),
    Format(String, String, String),
    Reference,
    MinProperties(i64, i64),
    MaxProperties(i64, i64),
    MinItems(i64, i64),
    MaxItems(i64, i64),
    AdditionalItems(i64),
    Required(Vec<String>),
    Dependency(String, Vec<String>),
    DependentRequired(String, Vec<String>),
    AdditionalProperties(Vec<String>),
    PropertyNames(String),
    UniqueItems(usize, usize),
    Contains,
    MinContains(Vec<usize>, i64),
    MaxContains(Vec<usize>, i64),
    MinLength(i64, i64),
    MaxLength(i64, i64),
    Pattern(String, String),
    Minimum(Num, Num),
    Maximum(Num, Num),
    ExclusiveMinimum(Num, Num),
    ExclusiveMaximum(Num, Num),
    MultipleOf(Num, Num),
    InvalidJsonValue(String),
}

/// jsonschema's quote: Go's %q in single quotes.
pub fn quote(s: &str) -> String {
    let q = crate::engine::printf::quote(s);
    let inner = &q[1..q.len() - 1];
    let inner = inner.replace("\\\"", "\"").replace('\'', "\\'");
    format!("'{inner}'")
}

fn join_quoted(v: &[String]) -> String {
    v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ")
}

/// kind's display: primitives as values, strings quoted.
fn display(j: &Json) -> String {
    match j {
        Json::String(s) => quote(s),
        Json::Number(n) => n.clone(),
        Json::Bool(b) => b.to_string(),
        Json::Null => "<nil>".into(),
        Json::Array(_) | Json::Object(_) => "value".into(),
    }
}

fn ints(v: &[usize]) -> String {
    v.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Kind {
    /// The message (jsonschema v6.0.2, English printer).
    pub fn message(&self) -> String {
        let f = |n: &Num| display_float(n.to_f64());
        match self {
            Kind::Schema(loc) => format!("jsonschema validation failed with {}", quote(loc)),
            Kind::Group | Kind::Reference => "validation failed".into(),
            Kind::Not => "'not' failed".into(),
            Kind::AllOf => "'allOf' failed".into(),
            Kind::AnyOf => "'anyOf' failed".into(),
            Kind::OneOf(None) => "'oneOf' failed, none matched".into(),
            Kind::OneOf(Some((a, b))) => format!("'oneOf' failed, subschemas {a}, {b} matched"),
            Kind::FalseSchema => "false schema".into(),
            Kind::RefCycle(url, k1, k2) => format!(
                "both {k1} and {k2} resolve to {} causing reference cycle",
                crate::engine::printf::quote(url)
            ),
            Kind::Type(got, want) => format!("got {got}, want {}", want.join(" or ")),
            Kind::Enum(want) => {
                if want
                    .iter()
                    .any(|w| matches!(w, Json::Array(_) | Json::Object(_)))
                {
                    return "'enum' failed".into();
                }
                if want.len() == 1 {
                    return format!("value must be {}", display(&want[0]));
                }
                format!(
                    "value must be one of {}",
                    want.iter().map(display).collect::<Vec<_>>().join(", ")
                )
            }
            Kind::Const(want) => match want {
                Json::Array(_) | Json::Object(_) => "'const' failed".into(),
                w => format!("value must be {}", display(w)),
            },
            Kind::Format(got, want, err) => format!("{got} is not valid {want}: {err}"),
            Kind::MinProperties(g, w) => format!(
                "minProperties: got {}, want {}",
                display_int(*g),
                display_int(*w)
            ),
            Kind::MaxProperties(g, w) => format!(
                "maxProperties: got {}, want {}",
                display_int(*g),
                display_int(*w)
            ),
            Kind::MinItems(g, w) => format!(
                "minItems: got {}, want {}",
                display_int(*g),
                display_int(*w)
            ),
            Kind::MaxItems(g, w) => format!(
                "maxItems: got {}, want {}",
                display_int(*g),
                display_int(*w)
            ),
            Kind::AdditionalItems(n) => {
                format!("last {} additionalItem(s) not allowed", display_int(*n))
            }
            Kind::Required(m) if m.len() == 1 => format!("missing property {}", quote(&m[0])),
            Kind::Required(m) => format!("missing properties {}", join_quoted(m)),
            Kind::Dependency(p, m) | Kind::DependentRequired(p, m) => {
                format!(
                    "properties {} required, if {} exists",
                    join_quoted(m),
                    quote(p)
                )
            }
            Kind::AdditionalProperties(p) => {
                format!("additional properties {} not allowed", join_quoted(p))
            }
            Kind::PropertyNames(p) => format!("invalid propertyName {}", quote(p)),
            Kind::UniqueItems(i, j) => format!(
                "items at {} and {} are equal",
                display_int(*i as i64),
                display_int(*j as i64)
            ),
            Kind::Contains => "no items match contains schema".into(),
            Kind::MinContains(got, want) if got.is_empty() => format!(
                "min {} items required to match contains schema, but none matched",
                display_int(*want)
            ),
            Kind::MinContains(got, want) => format!(
                "min {} items required to match contains schema, but matched {} items at {}",
                display_int(*want),
                display_int(got.len() as i64),
                ints(got)
            ),
            Kind::MaxContains(got, want) => format!(
                "max {} items required to match contains schema, but matched {} items at {}",
                display_int(*want),
                display_int(got.len() as i64),
                ints(got)
            ),
            Kind::MinLength(g, w) => format!(
                "minLength: got {}, want {}",
                display_int(*g),
                display_int(*w)
            ),
            Kind::MaxLength(g, w) => format!(
                "maxLength: got {}, want {}",
                display_int(*g),
                display_int(*w)
            ),
            Kind::Pattern(g, w) => format!("{} does not match pattern {}", quote(g), quote(w)),
            Kind::Minimum(g, w) => format!("minimum: got {}, want {}", f(g), f(w)),
            Kind::Maximum(g, w) => format!("maximum: got {}, want {}", f(g), f(w)),
            Kind::ExclusiveMinimum(g, w) => {
                format!("exclusiveMinimum: got {}, want {}", f(g), f(w))
            }
            Kind::ExclusiveMaximum(g, w) => {
                format!("exclusiveMaximum: got {}, want {}", f(g), f(w))
            }
            Kind::MultipleOf(g, w) => format!("multipleOf: got {}, want {}", f(g), f(w)),
            Kind::InvalidJsonValue(t) => format!("invalid jsonType {t}"),
        }
    }
}

/// A validation error tree (jsonschema's ValidationError).
#[derive(Clone, Debug, PartialEq)]
pub struct VErr {
    pub loc: Vec<String>,
    pub kind: Kind,
    pub causes: Vec<VErr>,
}

fn json_ptr(loc: &[String]) -> String {
    loc.iter()
        .map(|t| format!("/{}", super::compile::escape_token(t)))
        .collect()
}

impl VErr {
    fn skip(&self) -> bool {
        self.causes.len() == 1 && self.kind == Kind::Reference
    }

    fn display(&self, sb: &mut String, mut indent: usize) {
        if !self.skip() {
            if indent > 0 {
                sb.push('\n');
                for _ in 0..indent - 1 {
                    sb.push_str("  ");
                }
                sb.push_str("- ");
            }
            indent += 1;
            if let Kind::Schema(_) = self.kind {
                sb.push_str(&self.kind.message());
            } else {
                sb.push_str(&format!(
                    "at {}: {}",
                    quote(&json_ptr(&self.loc)),
                    self.kind.message()
                ));
            }
        }
        for c in &self.causes {
            c.display(sb, indent);
        }
    }

    /// ValidationError.Error().
    pub fn text(&self) -> String {
        let mut sb = String::new();
        self.display(&mut sb, 0);
        sb
    }
}

/// Properties and items no keyword has evaluated yet.
#[derive(Clone, Debug, Default)]
struct Uneval {
    props: BTreeSet<String>,
    items: BTreeSet<usize>,
}

impl Uneval {
    fn from(v: &Inst, c: &Compiler, sch: Sch, caller_needs: bool) -> Uneval {
        let s = &c.schemas[sch];
        let mut u = Uneval::default();
        match v {
            Inst::Obj(m)
                if !s.all_props_evaluated
                    && (caller_needs || s.unevaluated_properties.is_some()) =>
            {
                u.props = m.keys().cloned().collect();
            }
            Inst::Arr(a)
                if !s.all_items_evaluated
                    && (caller_needs || s.unevaluated_items.is_some())
                    && s.num_items_evaluated < a.len() =>
            {
                u.items = (s.num_items_evaluated..a.len()).collect();
            }
            _ => {}
        }
        u
    }

    fn merge(&mut self, other: &Uneval) {
        self.props.retain(|p| other.props.contains(p));
        self.items.retain(|i| other.items.contains(i));
    }

    fn is_empty(&self) -> bool {
        self.props.is_empty() && self.items.is_empty()
    }
}

/// The dynamic scope (jsonschema's scope chain).
struct Scope {
    sch: Sch,
    ref_kw: &'static str,
    vid: usize,
    parent: Option<Rc<Scope>>,
}

/// Bounds how much work one validation may do (the instance and schema are user input).
const MAX_STEPS: u64 = 5_000_000;

/// The validator.
pub struct Validator<'c> {
    pub c: &'c mut Compiler,
    steps: u64,
}

struct Vd<'a> {
    v: &'a Inst,
    vloc: Vec<String>,
    sch: Sch,
    scope: Rc<Scope>,
    uneval: Uneval,
    errors: Vec<VErr>,
    bool_result: bool,
}

fn type_name(v: &Inst) -> String {
    match v.type_index() {
        Some(i) => TYPE_NAMES[i].to_string(),
        None => "invalid".into(),
    }
}

fn equals(a: &Inst, b: &Json) -> bool {
    match (a, b) {
        (Inst::Null, Json::Null) => true,
        (Inst::Bool(x), Json::Bool(y)) => x == y,
        (Inst::Str(x), Json::String(y)) => x == y,
        (Inst::Num(x, _), Json::Number(y)) => Num::parse(y).is_some_and(|y| *x == y),
        (Inst::Arr(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equals(p, q))
        }
        (Inst::Obj(x), Json::Object(y)) => {
            x.len() == y.len()
                && y.iter()
                    .all(|(k, q)| x.get(k).is_some_and(|p| equals(p, q)))
        }
        _ => false,
    }
}

fn inst_equals(a: &Inst, b: &Inst) -> bool {
    match (a, b) {
        (Inst::Num(x, _), Inst::Num(y, _)) => x == y,
        (Inst::Arr(x), Inst::Arr(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| inst_equals(p, q))
        }
        (Inst::Obj(x), Inst::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| inst_equals(p, q)))
        }
        _ => a == b,
    }
}

impl<'c> Validator<'c> {
    pub fn new(c: &'c mut Compiler) -> Validator<'c> {
        Validator { c, steps: 0 }
    }

    /// Schema.Validate: Ok, or the top-level error (kind Schema) with its causes.
    pub fn validate(&mut self, sch: Sch, v: &Inst) -> Result<(), VErr> {
        let scope = Rc::new(Scope {
            sch,
            ref_kw: "",
            vid: 0,
            parent: None,
        });
        let uneval = Uneval::from(v, self.c, sch, false);
        let mut vd = Vd {
            v,
            vloc: Vec::new(),
            sch,
            scope,
            uneval,
            errors: Vec::new(),
            bool_result: false,
        };
        match self.run(&mut vd) {
            Ok(_) => Ok(()),
            Err(e) => {
                let causes = if e.kind == Kind::Group {
                    e.causes
                } else {
                    vec![e]
                };
                Err(VErr {
                    loc: Vec::new(),
                    kind: Kind::Schema(self.c.schemas[sch].location.clone()),
                    causes,
                })
            }
        }
    }

    fn error(&self, vd: &Vd, kind: Kind) -> VErr {
        if vd.bool_result {
            return VErr {
                loc: Vec::new(),
                kind: Kind::Group,
                causes: Vec::new(),
            };
        }
        VErr {
            loc: vd.vloc.clone(),
            kind,
            causes: Vec::new(),
        }
    }

    fn add_error(&self, vd: &mut Vd, kind: Kind) {
        let e = self.error(vd, kind);
        vd.errors.push(e);
    }

    fn add_errors(&self, vd: &mut Vd, causes: Vec<VErr>, kind: Kind) {
        let mut e = self.error(vd, kind);
        e.causes = causes;
        vd.errors.push(e);
    }

    fn check_cycle(&self, scope: &Rc<Scope>) -> Option<Rc<Scope>> {
        let mut p = scope.parent.clone();
        while let Some(s) = p {
            if s.vid != scope.vid {
                break;
            }
            if s.sch == scope.sch {
                return Some(s);
            }
            p = s.parent.clone();
        }
        None
    }

    fn kw_loc(&self, scope: &Rc<Scope>) -> String {
        let mut loc = String::new();
        let mut cur = scope.clone();
        while let Some(parent) = cur.parent.clone() {
            if !cur.ref_kw.is_empty() {
                loc = format!("/{}{loc}", super::compile::escape_token(cur.ref_kw));
            } else {
                let c = &self.c.schemas[cur.sch].location;
                let p = &self.c.schemas[parent.sch].location;
                let rel = c.strip_prefix(p.as_str()).unwrap_or(c);
                loc = format!("{rel}{loc}");
            }
            cur = parent;
        }
        loc
    }

    fn run(&mut self, vd: &mut Vd) -> Result<Uneval, VErr> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self.error(vd, Kind::Group));
        }
        let s = self.c.schemas[vd.sch].clone();
        if let Some(b) = s.boolean {
            if b {
                return Ok(std::mem::take(&mut vd.uneval));
            }
            return Err(self.error(vd, Kind::FalseSchema));
        }
        if let Some(other) = self.check_cycle(&vd.scope) {
            let k1 = self.kw_loc(&vd.scope);
            let k2 = self.kw_loc(&other);
            return Err(self.error(vd, Kind::RefCycle(s.location.clone(), k1, k2)));
        }
        let Some(t) = vd.v.type_index() else {
            let name = match vd.v {
                Inst::Invalid(n) => n.clone(),
                _ => String::new(),
            };
            return Err(self.error(vd, Kind::InvalidJsonValue(name)));
        };
        if let Some(types) = s.types {
            if types != 0 {
                let is_int = matches!(vd.v, Inst::Num(n, _) if n.is_integer());
                let matched = types & (1 << t) != 0 || (types & (1 << 3) != 0 && t == 2 && is_int);
                if !matched {
                    let want: Vec<&'static str> = (0..7)
                        .filter(|i| types & (1 << i) != 0)
                        .map(|i| TYPE_NAMES[i])
                        .collect();
                    return Err(self.error(vd, Kind::Type(type_name(vd.v), want)));
                }
            }
        }
        if let Some(c) = &s.const_ {
            if !equals(vd.v, c) {
                return Err(self.error(vd, Kind::Const(c.clone())));
            }
        }
        if let Some(e) = &s.enum_ {
            if !e.iter().any(|item| equals(vd.v, item)) {
                return Err(self.error(vd, Kind::Enum(e.clone())));
            }
        }
        if let Some(f) = &s.format {
            if let Some(err) = super::format::check(f, vd.v) {
                let got = match vd.v {
                    Inst::Str(x) => quote(x),
                    Inst::Num(_, t) if !t.is_empty() => t.clone(),
                    other => format!("{other:?}"),
                };
                return Err(self.error(vd, Kind::Format(got, f.clone(), err)));
            }
        }
        if let Some(r) = s.ref_ {
            let res = self.validate_ref(vd, r, "$ref");
            if s.draft < 2019 {
                return res.map(|_| std::mem::take(&mut vd.uneval));
            }
            if let Err(e) = res {
                vd.errors.push(e);
            }
        }
        match vd.v {
            Inst::Obj(m) => self.obj_validate(vd, &s, m),
            Inst::Arr(a) => self.arr_validate(vd, &s, a),
            Inst::Str(x) => self.str_validate(vd, &s, x),
            Inst::Num(n, _) => self.num_validate(vd, &s, n),
            _ => {}
        }
        if vd.errors.is_empty() || !vd.bool_result {
            if s.draft >= 2019 {
                self.validate_refs(vd, &s);
            }
            self.cond_validate(vd, &s);
            if s.draft >= 2019 {
                self.uneval_validate(vd, &s);
            }
        }
        match vd.errors.len() {
            0 => Ok(std::mem::take(&mut vd.uneval)),
            1 => Err(vd.errors.remove(0)),
            _ => {
                let mut e = self.error(vd, Kind::Group);
                e.causes = std::mem::take(&mut vd.errors);
                Err(e)
            }
        }
    }

    fn find_missing(
        &self,
        vd: &Vd,
        obj: &BTreeMap<String, Inst>,
        reqd: &[String],
    ) -> Option<Vec<String>> {
        let mut missing = Vec::new();
        for p in reqd {
            if !obj.contains_key(p) {
                if vd.bool_result {
                    return Some(Vec::new());
                }
                missing.push(p.clone());
            }
        }
        if missing.is_empty() {
            None
        } else {
            Some(missing)
        }
    }

    fn obj_validate(
        &mut self,
        vd: &mut Vd,
        s: &super::compile::Schema,
        obj: &BTreeMap<String, Inst>,
    ) {
        let n = obj.len() as i64;
        if let Some(min) = s.min_properties {
            if n < min {
                self.add_error(vd, Kind::MinProperties(n, min));
            }
        }
        if let Some(max) = s.max_properties {
            if n > max {
                self.add_error(vd, Kind::MaxProperties(n, max));
            }
        }
        if !s.required.is_empty() {
            if let Some(m) = self.find_missing(vd, obj, &s.required) {
                self.add_error(vd, Kind::Required(m));
            }
        }
        if vd.bool_result && !vd.errors.is_empty() {
            return;
        }
        for (pname, dep) in &s.dependencies {
            if obj.contains_key(pname) {
                match dep {
                    Dep::Props(p) => {
                        if let Some(m) = self.find_missing(vd, obj, p) {
                            self.add_error(vd, Kind::Dependency(pname.clone(), m));
                        }
                    }
                    Dep::Schema(d) => {
                        if let Err(e) = self.validate_self(vd, *d, "", false) {
                            vd.errors.push(e);
                        }
                    }
                }
            }
        }
        let mut additional = Vec::new();
        for (pname, pvalue) in obj {
            if vd.bool_result && !vd.errors.is_empty() {
                return;
            }
            let mut evaluated = false;
            if let Some((_, ps)) = s.properties.iter().find(|(k, _)| k == pname) {
                evaluated = true;
                if let Err(e) = self.validate_val(vd, *ps, pvalue, pname) {
                    vd.errors.push(e);
                }
            }
            for (re, ps) in &s.pattern_properties {
                if re.is_match(pname) {
                    evaluated = true;
                    if let Err(e) = self.validate_val(vd, *ps, pvalue, pname) {
                        vd.errors.push(e);
                    }
                }
            }
            if !evaluated {
                if let Some(a) = &s.additional_properties {
                    evaluated = true;
                    match a {
                        Additional::Bool(false) => additional.push(pname.clone()),
                        Additional::Bool(true) => {}
                        Additional::Schema(a) => {
                            if let Err(e) = self.validate_val(vd, *a, pvalue, pname) {
                                vd.errors.push(e);
                            }
                        }
                    }
                }
            }
            if evaluated {
                vd.uneval.props.remove(pname);
            }
        }
        if !additional.is_empty() {
            self.add_error(vd, Kind::AdditionalProperties(additional));
        }
        if s.draft == 4 {
            return;
        }
        if let Some(pn) = s.property_names {
            for pname in obj.keys() {
                let inst = Inst::Str(pname.clone());
                let scope = Rc::new(Scope {
                    sch: pn,
                    ref_kw: "",
                    vid: 0,
                    parent: None,
                });
                let uneval = Uneval::from(&inst, self.c, pn, false);
                let mut sub = Vd {
                    v: &inst,
                    vloc: Vec::new(),
                    sch: pn,
                    scope,
                    uneval,
                    errors: Vec::new(),
                    bool_result: vd.bool_result,
                };
                if let Err(e) = self.run(&mut sub) {
                    let causes = if e.kind == Kind::Group {
                        e.causes
                    } else {
                        vec![e]
                    };
                    let mut err = self.error(vd, Kind::PropertyNames(pname.clone()));
                    err.causes = causes;
                    vd.errors.push(err);
                }
            }
        }
        if s.draft == 6 {
            return;
        }
        for (pname, ds) in &s.dependent_schemas {
            if obj.contains_key(pname) {
                if let Err(e) = self.validate_self(vd, *ds, "", false) {
                    vd.errors.push(e);
                }
            }
        }
        for (pname, reqd) in &s.dependent_required {
            if obj.contains_key(pname) {
                if let Some(m) = self.find_missing(vd, obj, reqd) {
                    self.add_error(vd, Kind::DependentRequired(pname.clone(), m));
                }
            }
        }
    }

    fn arr_validate(&mut self, vd: &mut Vd, s: &super::compile::Schema, arr: &[Inst]) {
        let n = arr.len() as i64;
        if let Some(min) = s.min_items {
            if n < min {
                self.add_error(vd, Kind::MinItems(n, min));
            }
        }
        if let Some(max) = s.max_items {
            if n > max {
                self.add_error(vd, Kind::MaxItems(n, max));
            }
        }
        if s.unique_items && arr.len() > 1 {
            'outer: for i in 1..arr.len() {
                for j in 0..i {
                    if inst_equals(&arr[i], &arr[j]) {
                        self.add_error(vd, Kind::UniqueItems(j, i));
                        break 'outer;
                    }
                }
            }
        }
        if s.draft < 2020 {
            let mut evaluated = 0;
            match &s.items {
                Some(Items::One(it)) => {
                    for (i, item) in arr.iter().enumerate() {
                        if let Err(e) = self.validate_val(vd, *it, item, &i.to_string()) {
                            vd.errors.push(e);
                        }
                    }
                    evaluated = arr.len();
                }
                Some(Items::Many(its)) => {
                    let min = arr.len().min(its.len());
                    for (i, item) in arr[..min].iter().enumerate() {
                        if let Err(e) = self.validate_val(vd, its[i], item, &i.to_string()) {
                            vd.errors.push(e);
                        }
                    }
                    evaluated = min;
                }
                None => {}
            }
            match &s.additional_items {
                Some(Additional::Bool(false)) if evaluated != arr.len() => {
                    self.add_error(vd, Kind::AdditionalItems((arr.len() - evaluated) as i64));
                }
                Some(Additional::Schema(a)) => {
                    // jsonschema numbers these items from 0, not from their index.
                    for (i, item) in arr[evaluated..].iter().enumerate() {
                        if let Err(e) = self.validate_val(vd, *a, item, &i.to_string()) {
                            vd.errors.push(e);
                        }
                    }
                }
                _ => {}
            }
        } else {
            let evaluated = s.prefix_items.len().min(arr.len());
            for (i, item) in arr[..evaluated].iter().enumerate() {
                if let Err(e) = self.validate_val(vd, s.prefix_items[i], item, &i.to_string()) {
                    vd.errors.push(e);
                }
            }
            if let Some(it) = s.items2020 {
                for (i, item) in arr[evaluated..].iter().enumerate() {
                    if let Err(e) = self.validate_val(vd, it, item, &i.to_string()) {
                        vd.errors.push(e);
                    }
                }
            }
        }
        if let Some(c) = s.contains {
            let mut errors = Vec::new();
            let mut matched = Vec::new();
            for (i, item) in arr.iter().enumerate() {
                match self.validate_val(vd, c, item, &i.to_string()) {
                    Err(e) => errors.push(e),
                    Ok(()) => {
                        matched.push(i);
                        if s.draft >= 2020 {
                            vd.uneval.items.remove(&i);
                        }
                    }
                }
            }
            if let Some(min) = s.min_contains {
                if (matched.len() as i64) < min {
                    self.add_errors(vd, errors, Kind::MinContains(matched.clone(), min));
                }
            } else if matched.is_empty() {
                self.add_errors(vd, errors, Kind::Contains);
            }
            if let Some(max) = s.max_contains {
                if matched.len() as i64 > max {
                    self.add_error(vd, Kind::MaxContains(matched, max));
                }
            }
        }
    }

    fn str_validate(&mut self, vd: &mut Vd, s: &super::compile::Schema, x: &str) {
        let len = x.chars().count() as i64;
        if let Some(min) = s.min_length {
            if len < min {
                self.add_error(vd, Kind::MinLength(len, min));
            }
        }
        if let Some(max) = s.max_length {
            if len > max {
                self.add_error(vd, Kind::MaxLength(len, max));
            }
        }
        if let Some((p, re)) = &s.pattern {
            if !re.is_match(x) {
                self.add_error(vd, Kind::Pattern(x.to_string(), p.clone()));
            }
        }
    }

    fn num_validate(&mut self, vd: &mut Vd, s: &super::compile::Schema, n: &Num) {
        if let Some(m) = &s.minimum {
            if n < m {
                self.add_error(vd, Kind::Minimum(n.clone(), m.clone()));
            }
        }
        if let Some(m) = &s.maximum {
            if n > m {
                self.add_error(vd, Kind::Maximum(n.clone(), m.clone()));
            }
        }
        if let Some(m) = &s.exclusive_minimum {
            if n <= m {
                self.add_error(vd, Kind::ExclusiveMinimum(n.clone(), m.clone()));
            }
        }
        if let Some(m) = &s.exclusive_maximum {
            if n >= m {
                self.add_error(vd, Kind::ExclusiveMaximum(n.clone(), m.clone()));
            }
        }
        if let Some(m) = &s.multiple_of {
            if !n.is_multiple_of(m) {
                self.add_error(vd, Kind::MultipleOf(n.clone(), m.clone()));
            }
        }
    }

    fn cond_validate(&mut self, vd: &mut Vd, s: &super::compile::Schema) {
        if let Some(n) = s.not {
            if self.validate_self(vd, n, "", true).is_ok() {
                self.add_error(vd, Kind::Not);
            }
        }
        if !s.all_of.is_empty() {
            let mut errors = Vec::new();
            for &sch in &s.all_of {
                if let Err(e) = self.validate_self(vd, sch, "", false) {
                    errors.push(e);
                    if vd.bool_result {
                        break;
                    }
                }
            }
            if !errors.is_empty() {
                self.add_errors(vd, errors, Kind::AllOf);
            }
        }
        if !s.any_of.is_empty() {
            let mut matched = false;
            let mut errors = Vec::new();
            for &sch in &s.any_of {
                match self.validate_self(vd, sch, "", false) {
                    Err(e) => errors.push(e),
                    Ok(()) => {
                        matched = true;
                        if vd.uneval.is_empty() {
                            break;
                        }
                    }
                }
            }
            if !matched {
                self.add_errors(vd, errors, Kind::AnyOf);
            }
        }
        if !s.one_of.is_empty() {
            let mut matched: Option<usize> = None;
            let mut errors = Vec::new();
            for (i, &sch) in s.one_of.iter().enumerate() {
                match self.validate_self(vd, sch, "", matched.is_some()) {
                    Err(e) => {
                        if matched.is_none() {
                            errors.push(e);
                        }
                    }
                    Ok(()) => match matched {
                        None => matched = Some(i),
                        Some(m) => {
                            self.add_error(vd, Kind::OneOf(Some((m, i))));
                            break;
                        }
                    },
                }
            }
            if matched.is_none() {
                self.add_errors(vd, errors, Kind::OneOf(None));
            }
        }
        if let Some(i) = s.if_ {
            if self.validate_self(vd, i, "", true).is_ok() {
                if let Some(t) = s.then_ {
                    if let Err(e) = self.validate_self(vd, t, "", false) {
                        vd.errors.push(e);
                    }
                }
            } else if let Some(e) = s.else_ {
                if let Err(e) = self.validate_self(vd, e, "", false) {
                    vd.errors.push(e);
                }
            }
        }
    }

    fn uneval_validate(&mut self, vd: &mut Vd, s: &super::compile::Schema) {
        if let (Inst::Obj(obj), Some(up)) = (vd.v, s.unevaluated_properties) {
            let props: Vec<String> = vd.uneval.props.iter().cloned().collect();
            for p in props {
                if let Some(pv) = obj.get(&p) {
                    if let Err(e) = self.validate_val(vd, up, pv, &p) {
                        vd.errors.push(e);
                    }
                }
            }
            vd.uneval.props.clear();
        }
        if let (Inst::Arr(arr), Some(ui)) = (vd.v, s.unevaluated_items) {
            let items: Vec<usize> = vd.uneval.items.iter().copied().collect();
            for i in items {
                if let Some(item) = arr.get(i) {
                    if let Err(e) = self.validate_val(vd, ui, item, &i.to_string()) {
                        vd.errors.push(e);
                    }
                }
            }
            vd.uneval.items.clear();
        }
    }

    fn validate_self(
        &mut self,
        vd: &mut Vd,
        sch: Sch,
        ref_kw: &'static str,
        bool_result: bool,
    ) -> Result<(), VErr> {
        let scope = Rc::new(Scope {
            sch,
            ref_kw,
            vid: vd.scope.vid,
            parent: Some(vd.scope.clone()),
        });
        let uneval = Uneval::from(vd.v, self.c, sch, !vd.uneval.is_empty());
        let mut sub = Vd {
            v: vd.v,
            vloc: vd.vloc.clone(),
            sch,
            scope,
            uneval,
            errors: Vec::new(),
            bool_result: vd.bool_result || bool_result,
        };
        let r = self.run(&mut sub);
        match r {
            Ok(u) => {
                vd.uneval.merge(&u);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn validate_val(&mut self, vd: &mut Vd, sch: Sch, v: &Inst, tok: &str) -> Result<(), VErr> {
        let mut vloc = vd.vloc.clone();
        vloc.push(tok.to_string());
        let scope = Rc::new(Scope {
            sch,
            ref_kw: "",
            vid: vd.scope.vid + 1,
            parent: Some(vd.scope.clone()),
        });
        let uneval = Uneval::from(v, self.c, sch, false);
        let mut sub = Vd {
            v,
            vloc,
            sch,
            scope,
            uneval,
            errors: Vec::new(),
            bool_result: vd.bool_result,
        };
        self.run(&mut sub).map(|_| ())
    }

    fn validate_ref(&mut self, vd: &mut Vd, sch: Sch, kw: &'static str) -> Result<(), VErr> {
        match self.validate_self(vd, sch, kw, false) {
            Ok(()) => Ok(()),
            Err(e) => {
                let mut r = self.error(vd, Kind::Reference);
                if e.kind == Kind::Group {
                    r.causes = e.causes;
                } else {
                    r.causes.push(e);
                }
                Err(r)
            }
        }
    }

    fn validate_refs(&mut self, vd: &mut Vd, s: &super::compile::Schema) {
        if let Some(r) = s.recursive_ref {
            let mut target = r;
            if self.c.schemas[r].recursive_anchor {
                let mut scope = Some(vd.scope.clone());
                while let Some(sc) = scope {
                    let res = self.c.schemas[sc.sch].resource;
                    if self
                        .c
                        .resources
                        .get(res)
                        .is_some_and(|r| r.recursive_anchor)
                    {
                        target = sc.sch;
                    }
                    scope = sc.parent.clone();
                }
            }
            if let Err(e) = self.validate_ref(vd, target, "$recursiveRef") {
                vd.errors.push(e);
            }
        }
        if let Some((r, anchor)) = &s.dynamic_ref {
            let mut target = *r;
            if !anchor.is_empty() && self.c.schemas[*r].dynamic_anchor == *anchor {
                let mut scope = Some(vd.scope.clone());
                while let Some(sc) = scope {
                    let res = self.c.schemas[sc.sch].resource;
                    if let Some(d) = self.c.dynamic_anchor(res, anchor) {
                        target = d;
                    }
                    scope = sc.parent.clone();
                }
            }
            if let Err(e) = self.validate_ref(vd, target, "$dynamicRef") {
                vd.errors.push(e);
            }
        }
    }
}
