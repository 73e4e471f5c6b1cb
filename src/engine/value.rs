//! Go's `interface{}` values as Helm's engine sees them (reflect kinds, type names, `%v` printing).
//!
//! Helm feeds templates plain Go data: `map[string]interface{}` (with the named type
//! `common.Values` for `.Values`), `[]interface{}`, `string`, `bool`, `float64` for every number that
//! came from YAML, `int`/`int64` from functions, and a few structs (`.Release`, `.Chart`,
//! `.Capabilities`, `.Files`, `time.Time`, a semver version, certificates). This module models exactly
//! that: the variants below carry their Go type name so `%T`, `typeOf`, `kindOf` and argument type
//! checks read as Go's do, and [`Value::write_v`] prints like `fmt`'s `%v`.
//!
//! Maps have reference semantics like Go maps (Sprig's `set`, `unset`, `merge` mutate them in
//! place, and every holder sees the change); lists and strings are immutable and shared.

use std::any::Any;
use std::cell::{Ref, RefCell, RefMut};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// An immutable shared string (Go `string`).
pub type Str = Rc<str>;

/// Go type names used by the values Helm and Sprig produce.
pub mod types {
    pub const IFACE: &str = "interface {}";
    pub const LIST: &str = "[]interface {}";
    pub const STRINGS: &str = "[]string";
    pub const INTS: &str = "[]int";
    pub const LISTS: &str = "[][]interface {}";
    pub const MAP: &str = "map[string]interface {}";
    pub const STRING_MAP: &str = "map[string]string";
    /// `.Values` (Helm 4 moved chartutil.Values to pkg/chart/common).
    pub const VALUES: &str = "common.Values";
    pub const BYTES: &str = "[]uint8";
}

/// reflect.Kind of a value, as `kindOf`/`kindIs` print it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Invalid,
    Bool,
    Int,
    Int64,
    Uint64,
    Float64,
    Complex128,
    String,
    Slice,
    Map,
    Struct,
    Ptr,
    Func,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Invalid => "invalid",
            Kind::Bool => "bool",
            Kind::Int => "int",
            Kind::Int64 => "int64",
            Kind::Uint64 => "uint64",
            Kind::Float64 => "float64",
            Kind::Complex128 => "complex128",
            Kind::String => "string",
            Kind::Slice => "slice",
            Kind::Map => "map",
            Kind::Struct => "struct",
            Kind::Ptr => "ptr",
            Kind::Func => "func",
        }
    }
}

/// A dynamic Go value.
#[derive(Clone, Default)]
pub enum Value {
    /// The nil interface (an invalid reflect.Value): missing map keys, YAML `null`.
    #[default]
    Nil,
    Bool(bool),
    /// Go `int` (literals, `len`, `atoi`, `int`, `.Release.Revision`).
    Int(i64),
    /// Go `int64` (Sprig arithmetic: `add`, `sub`, `int64`, `toDecimal`, …).
    Int64(i64),
    /// Go `uint64` (semver's `Major`/`Minor`/`Patch`).
    Uint(u64),
    /// Go `float64`: every number that came from YAML or JSON.
    Float(f64),
    /// Go `complex128` (only from complex constants in templates).
    Complex(f64, f64),
    String(Str),
    /// Go `[]byte` (`.Files.GetBytes`).
    Bytes(Rc<[u8]>),
    List(List),
    Map(Map),
    /// A struct or pointer with fields and methods (`.Release`, `.Chart`, time.Time, …).
    Object(Rc<dyn Object>),
}

/// An immutable, cheaply cloned Go slice with its type name.
#[derive(Clone)]
pub struct List(Rc<ListData>);

pub struct ListData {
    pub ty: &'static str,
    pub items: Vec<Value>,
    /// A nil slice (Go `[]T(nil)`): prints `[]` like an empty one but marshals to JSON `null`
    /// and is not `reflect.DeepEqual` to an empty slice (Sprig's `rest`/`initial` of an empty
    /// list, `concat` of nothing).
    pub nil: bool,
}

/// A Go map with reference semantics (cloning shares the map, like copying a Go map value).
/// Keys iterate in sorted byte order, which is the order Go's printing and `range` use.
#[derive(Clone)]
pub struct Map(Rc<RefCell<MapData>>, Option<&'static str>);

pub struct MapData {
    pub ty: &'static str,
    pub entries: BTreeMap<Str, Value>,
    /// A nil map (the `nil` literal passed for a map parameter): reads as empty, prints `map[]`,
    /// marshals to JSON `null`, and assigning to it is Go's panic "assignment to entry in nil map".
    pub nil: bool,
}

/// A Go struct (or pointer to one) exposed to templates: fields, methods, printing.
pub trait Object: Any {
    /// The Go type as `%T` prints it, e.g. `*chart.Metadata`, `time.Time`.
    fn type_name(&self) -> &str;
    /// `Kind::Struct` or `Kind::Ptr` (or `Kind::Map` for named map types such as `.Files`).
    fn kind(&self) -> Kind {
        Kind::Ptr
    }
    /// An exported field (or map entry) by name; `None` if there is no such field.
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    /// The signature of a method callable from templates, `None` if there is no such method.
    fn method(&self, _name: &str) -> Option<crate::engine::func::Signature> {
        None
    }
    /// Calls a method found by [`Object::method`] with arguments already converted to its
    /// parameter types. `Err` is the method's returned error (without "error calling").
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        Err(format!("no method {name}"))
    }
    /// Writes the value as `fmt`'s `%v` (`plus`: `%+v`) would.
    fn write_v(&self, out: &mut String, plus: bool);
    /// Writes the value as a template action prints it (`{{ x }}`), which differs from `%v` when
    /// Go finds a `String()` method on the pointer of an addressable struct. Defaults to `%v`.
    fn write_print(&self, out: &mut String) {
        self.write_v(out, false)
    }
    /// The value as plain data for `toYaml`/`toJson` (Go's json tags), if it marshals.
    fn marshal(&self) -> Option<Value> {
        None
    }
    /// For named integer types (`time.Month`, `time.Duration`): the integer, which Go's comparisons
    /// and integer verbs use instead of `String()`.
    fn as_int(&self) -> Option<i64> {
        None
    }
    /// For a Go struct: its JSON fields in declaration order (`toJson` writes struct fields in
    /// that order, not sorted like map keys), e.g. `[("Version", …), ("Major", …), ("Minor", …)]`.
    /// `None` (the default): encoding/json uses [`Object::marshal`].
    fn marshal_ordered(&self) -> Option<Vec<(Str, Value)>> {
        None
    }
    /// Go truthiness: structs and non-nil pointers are true.
    fn truth(&self) -> bool {
        true
    }
    fn as_any(&self) -> &dyn Any;
}

impl List {
    pub fn new(items: Vec<Value>) -> List {
        List::typed(types::LIST, items)
    }
    pub fn typed(ty: &'static str, items: Vec<Value>) -> List {
        List(Rc::new(ListData {
            ty,
            items,
            nil: false,
        }))
    }
    /// A nil slice of the given type (`[]interface {}(nil)`).
    pub fn nil(ty: &'static str) -> List {
        List(Rc::new(ListData {
            ty,
            items: Vec::new(),
            nil: true,
        }))
    }
    /// Whether this is a nil slice (as opposed to an empty one).
    pub fn is_nil(&self) -> bool {
        self.0.nil
    }
    pub fn ty(&self) -> &'static str {
        self.0.ty
    }
    pub fn items(&self) -> &[Value] {
        &self.0.items
    }
    pub fn len(&self) -> usize {
        self.0.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.items.is_empty()
    }
    pub fn get(&self, i: usize) -> Option<&Value> {
        self.0.items.get(i)
    }
    pub fn ptr_eq(&self, other: &List) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
    /// The element type name, e.g. `string` for `[]string`.
    pub fn elem_ty(&self) -> &'static str {
        self.0.ty.strip_prefix("[]").unwrap_or(types::IFACE)
    }
}

impl std::ops::Deref for List {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        &self.0.items
    }
}

impl Map {
    pub fn new() -> Map {
        Map::typed(types::MAP, BTreeMap::new())
    }
    pub fn typed(ty: &'static str, entries: BTreeMap<Str, Value>) -> Map {
        Map(
            Rc::new(RefCell::new(MapData {
                ty,
                entries,
                nil: false,
            })),
            None,
        )
    }
    /// A nil map of the given type (what the `nil` literal becomes for a map parameter).
    pub fn nil(ty: &'static str) -> Map {
        Map(
            Rc::new(RefCell::new(MapData {
                ty,
                entries: BTreeMap::new(),
                nil: true,
            })),
            None,
        )
    }
    /// Whether this is a nil map (writes to it panic in Go).
    pub fn is_nil(&self) -> bool {
        self.0.borrow().nil
    }
    pub fn from_entries<I: IntoIterator<Item = (Str, Value)>>(iter: I) -> Map {
        Map::typed(types::MAP, iter.into_iter().collect())
    }
    /// The Go type of this handle: a conversion view (`with_type_shared`) or the map's own.
    pub fn ty(&self) -> &'static str {
        match self.1 {
            Some(t) => t,
            None => self.0.borrow().ty,
        }
    }
    /// The same map seen as another named type (Go's `common.Values(m)` conversion: the data is
    /// shared, only the type differs).
    pub fn with_type_shared(&self, ty: &'static str) -> Map {
        Map(self.0.clone(), Some(ty))
    }
    pub fn borrow(&self) -> Ref<'_, MapData> {
        self.0.borrow()
    }
    pub fn borrow_mut(&self) -> RefMut<'_, MapData> {
        self.0.borrow_mut()
    }
    pub fn get(&self, key: &str) -> Option<Value> {
        self.0.borrow().entries.get(key).cloned()
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.borrow().entries.contains_key(key)
    }
    pub fn insert(&self, key: impl Into<Str>, value: Value) {
        self.0.borrow_mut().entries.insert(key.into(), value);
    }
    pub fn remove(&self, key: &str) -> Option<Value> {
        self.0.borrow_mut().entries.remove(key)
    }
    pub fn len(&self) -> usize {
        self.0.borrow().entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.borrow().entries.is_empty()
    }
    /// The keys in Go's sorted order (a snapshot: the map may change while iterating).
    pub fn keys(&self) -> Vec<Str> {
        self.0.borrow().entries.keys().cloned().collect()
    }
    /// A snapshot of the entries in sorted key order.
    pub fn entries(&self) -> Vec<(Str, Value)> {
        self.0
            .borrow()
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
    pub fn ptr_eq(&self, other: &Map) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
    /// A new map with the same entries (values shared), keeping the type name.
    pub fn shallow_copy(&self) -> Map {
        let ty = self.ty();
        Map::typed(ty, self.0.borrow().entries.clone())
    }
    /// The same entries under another Go type name (e.g. to pass `.Values` as a plain map).
    pub fn with_type(&self, ty: &'static str) -> Map {
        let d = self.0.borrow();
        Map::typed(ty, d.entries.clone())
    }
}

impl Default for Map {
    fn default() -> Self {
        Map::new()
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Str::from(s))
    }
    pub fn string(s: String) -> Value {
        Value::String(Str::from(s))
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(List::new(items))
    }
    pub fn strings<I: IntoIterator<Item = S>, S: AsRef<str>>(items: I) -> Value {
        Value::List(List::typed(
            types::STRINGS,
            items.into_iter().map(|s| Value::str(s.as_ref())).collect(),
        ))
    }
    pub fn map(m: Map) -> Value {
        Value::Map(m)
    }
    pub fn empty_map() -> Value {
        Value::Map(Map::new())
    }
    pub fn object<O: Object>(o: O) -> Value {
        Value::Object(Rc::new(o))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// reflect.Kind of the value.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Nil => Kind::Invalid,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_) => Kind::Int,
            Value::Int64(_) => Kind::Int64,
            Value::Uint(_) => Kind::Uint64,
            Value::Float(_) => Kind::Float64,
            Value::Complex(..) => Kind::Complex128,
            Value::String(_) => Kind::String,
            Value::Bytes(_) | Value::List(_) => Kind::Slice,
            Value::Map(_) => Kind::Map,
            Value::Object(o) => o.kind(),
        }
    }

    /// The Go type as `%T` prints it (`<nil>` for the nil interface).
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Uint(_) => "uint64".into(),
            Value::Float(_) => "float64".into(),
            Value::Complex(..) => "complex128".into(),
            Value::String(_) => "string".into(),
            Value::Bytes(_) => types::BYTES.into(),
            Value::List(l) => l.ty().into(),
            Value::Map(m) => m.ty().into(),
            Value::Object(o) => o.type_name().into(),
        }
    }

    /// text/template's truth: false, 0, nil, and empty strings/collections are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex(re, im) => *re != 0.0 || *im != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => o.truth(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_list(&self) -> Option<&List> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }
    /// Downcasts an object value to a concrete Rust type.
    pub fn downcast<T: 'static>(&self) -> Option<&T> {
        match self {
            Value::Object(o) => o.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }

    /// `fmt.Sprint(v)`: `%v` formatting.
    pub fn to_v(&self) -> String {
        let mut s = String::new();
        self.write_v(&mut s, false);
        s
    }

    /// Writes `%v` (`plus`: `%+v`) of the value, as Go's fmt does at the top level.
    pub fn write_v(&self, out: &mut String, plus: bool) {
        if plus {
            crate::engine::printf::write_sprintf(out, "%+v", std::slice::from_ref(self));
        } else {
            crate::engine::printf::write_v(out, self);
        }
    }

    /// A deep copy (Sprig's `deepCopy`, Helm's values copying): maps are new maps.
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(l) if l.is_nil() => Value::List(List::nil(l.ty())),
            Value::List(l) => Value::List(List::typed(
                l.ty(),
                l.iter().map(Value::deep_copy).collect(),
            )),
            Value::Map(m) if m.is_nil() => Value::Map(Map::nil(m.ty())),
            Value::Map(m) => {
                let ty = m.ty();
                // clone the tree as it is (no re-sorting), then copy nested collections
                let mut entries = m.borrow().entries.clone();
                for v in entries.values_mut() {
                    if matches!(v, Value::Map(_) | Value::List(_)) {
                        *v = v.deep_copy();
                    }
                }
                Value::Map(Map::typed(ty, entries))
            }
            other => other.clone(),
        }
    }

    /// reflect.DeepEqual: same types and deeply equal contents. A nil slice or map is not equal
    /// to an empty one, and, like Go, a pair of maps met again while comparing them counts as
    /// equal, so cyclic maps (`set $d "self" $d`) compare without endless recursion.
    pub fn deep_equal(&self, other: &Value) -> bool {
        let mut visited = Vec::new();
        deep_equal_in(self, other, &mut visited)
    }
}

fn deep_equal_in(a: &Value, b: &Value, visited: &mut Vec<(usize, usize)>) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Int(a), Value::Int(b)) | (Value::Int64(a), Value::Int64(b)) => a == b,
        (Value::Uint(a), Value::Uint(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b,
        (Value::Complex(a, b), Value::Complex(c, d)) => a == c && b == d,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        (Value::List(a), Value::List(b)) => {
            a.ty() == b.ty()
                && a.is_nil() == b.is_nil()
                && a.len() == b.len()
                && (a.ptr_eq(b)
                    || a.iter()
                        .zip(b.iter())
                        .all(|(x, y)| deep_equal_in(x, y, visited)))
        }
        (Value::Map(a), Value::Map(b)) => {
            if a.ty() != b.ty() || a.is_nil() != b.is_nil() {
                return false;
            }
            if a.ptr_eq(b) {
                return true;
            }
            // Rc::as_ptr of the shared data: two views of one map are the same map
            let key = {
                let (x, y) = (Rc::as_ptr(&a.0) as usize, Rc::as_ptr(&b.0) as usize);
                (x.min(y), x.max(y))
            };
            if visited.contains(&key) {
                return true;
            }
            visited.push(key);
            let (a, b) = (a.borrow(), b.borrow());
            a.entries.len() == b.entries.len()
                && a.entries.iter().all(|(k, v)| {
                    b.entries
                        .get(k)
                        .is_some_and(|w| deep_equal_in(v, w, visited))
                })
        }
        (Value::Object(a), Value::Object(b)) => {
            Rc::ptr_eq(a, b)
                || (a.type_name() == b.type_name() && {
                    let (mut x, mut y) = (String::new(), String::new());
                    a.write_v(&mut x, true);
                    b.write_v(&mut y, true);
                    x == y
                })
        }
        _ => false,
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => write!(f, "{s:?}"),
            other => write!(f, "{}({})", other.type_name(), other.to_v()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_v())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::string(s)
    }
}
impl From<Str> for Value {
    fn from(s: Str) -> Value {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Map(m)
    }
}
impl From<List> for Value {
    fn from(l: List) -> Value {
        Value::List(l)
    }
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, which `%v` uses: shortest digits, exponent form when
/// the exponent is < -4 or >= 6 (`1000000` → `1e+06`, `999999` → `999999`).
pub fn format_float_g(f: f64) -> String {
    crate::engine::printf::format_float(f, 'g', None)
}

impl PartialEq for Value {
    /// reflect.DeepEqual.
    fn eq(&self, other: &Value) -> bool {
        self.deep_equal(other)
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.ty(), Value::Map(self.clone()).to_v())
    }
}

impl fmt::Debug for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.ty(), Value::List(self.clone()).to_v())
    }
}
