//! The chart model (Helm's pkg/chart/v2 chart.go, metadata.go, dependency.go): what a loaded chart
//! holds, and `.Chart` as templates see it (Helm's structToMap of the Metadata struct).

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::engine::value::types;
use crate::engine::{List, Map, Str, Value};

/// A file of a chart: its path relative to the chart root (`templates/a.yaml`) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub data: Rc<[u8]>,
}

impl File {
    pub fn new(name: impl Into<String>, data: impl Into<Vec<u8>>) -> File {
        File {
            name: name.into(),
            data: Rc::from(data.into()),
        }
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// A maintainer entry of Chart.yaml.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// A `dependencies:` entry of Chart.yaml (or requirements.yaml), or of Chart.lock.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Strings (`exports` shorthand) or `{child, parent}` maps, as written.
    pub import_values: Vec<Value>,
    pub alias: String,
}

/// Chart.yaml (Helm's Metadata struct).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    /// `None` when Chart.yaml has no annotations (Go's nil map).
    pub annotations: Option<BTreeMap<String, String>>,
    pub kube_version: String,
    /// `None` when Chart.yaml has no `dependencies:` (Go's nil slice, which Helm's dependency
    /// processing treats differently from an empty list).
    pub dependencies: Option<Vec<Dependency>>,
    pub type_: String,
    /// A `null` entry in `maintainers:` (Go's nil pointer), reported by validation.
    pub(crate) null_maintainer: bool,
    /// How many dependencies come before the first `null` entry of `dependencies:`.
    pub(crate) null_dependency: Option<usize>,
}

/// Chart.lock (or requirements.lock): the resolved dependencies.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lock {
    /// `generated`, as RFC 3339 text.
    pub generated: String,
    pub digest: String,
    pub dependencies: Vec<Dependency>,
}

/// A loaded chart and its subcharts.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// Every file as loaded (Helm's Chart.Raw), in load order: `helm show values` and packaging
    /// read Chart.yaml and values.yaml from here.
    pub raw: Vec<File>,
    pub lock: Option<Lock>,
    /// Files under templates/.
    pub templates: Vec<File>,
    /// The chart's default values (values.yaml), parsed.
    pub values: Map,
    /// Whether the chart has values (Helm's `Chart.Values != nil`): a values.yaml was loaded, or
    /// import-values processing set them. A release record stores `null` otherwise.
    pub values_present: bool,
    pub schema: Option<Rc<[u8]>>,
    /// Every other file (what `.Files` sees), in load order.
    pub files: Vec<File>,
    /// Subcharts from charts/ (and, after dependency processing, only the enabled ones).
    pub dependencies: Vec<Chart>,
    /// Path from the root chart: `demo`, `demo/charts/sub` (Helm's ChartFullPath).
    pub full_path: String,
    pub is_root: bool,
    /// What Helm logs while loading this chart (deprecated requirements files).
    pub warnings: Vec<String>,
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_library(&self) -> bool {
        self.metadata.type_.eq_ignore_ascii_case("library")
    }

    /// A file of Chart.Raw by name (`values.yaml`, `Chart.yaml`, `README.md`, …).
    pub fn raw_file(&self, name: &str) -> Option<&File> {
        self.raw.iter().find(|f| f.name == name)
    }

    /// values.yaml as written (Helm's `show values`).
    pub fn raw_values(&self) -> Option<String> {
        self.raw_file("values.yaml").map(File::text)
    }

    /// The declared dependencies (empty when Chart.yaml has none).
    pub fn meta_dependencies(&self) -> &[Dependency] {
        self.metadata.dependencies.as_deref().unwrap_or(&[])
    }

    /// Sets `full_path`/`is_root` for this chart and its subcharts (Helm derives them from parents).
    pub fn set_root(&mut self) {
        self.is_root = true;
        self.full_path = self.metadata.name.clone();
        let base = self.full_path.clone();
        for d in &mut self.dependencies {
            d.set_parent_path(&base);
        }
    }

    fn set_parent_path(&mut self, parent: &str) {
        self.is_root = false;
        self.full_path = format!("{parent}/charts/{}", self.metadata.name);
        let base = self.full_path.clone();
        for d in &mut self.dependencies {
            d.set_parent_path(&base);
        }
    }

    /// CRD files of this chart (crds/ at the chart root, `.yaml`/`.yml`/`.json`), Helm's CRDs().
    pub fn crds(&self) -> impl Iterator<Item = &File> {
        self.files
            .iter()
            .filter(|f| f.name.starts_with("crds/") && has_manifest_extension(&f.name))
    }

    /// Helm's CRDObjects: (file name inside the chart, name with the chart's full path, file) for
    /// this chart and its subcharts.
    pub fn crd_objects(&self) -> Vec<(String, String, File)> {
        let mut out: Vec<(String, String, File)> = self
            .crds()
            .map(|f| {
                (
                    f.name.clone(),
                    format!("{}/{}", self.full_path, f.name),
                    f.clone(),
                )
            })
            .collect();
        for d in &self.dependencies {
            out.extend(d.crd_objects());
        }
        out
    }
}

fn has_manifest_extension(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    let ext = match base.rfind('.') {
        Some(i) => &base[i..],
        None => return false,
    };
    ext.eq_ignore_ascii_case(".yaml")
        || ext.eq_ignore_ascii_case(".yml")
        || ext.eq_ignore_ascii_case(".json")
}

/// A Go `[]string` field through structToMap: a `[]interface {}` of strings.
fn strings_value(items: &[String]) -> Value {
    Value::list(items.iter().map(|s| Value::str(s)).collect())
}

impl Dependency {
    /// The dependency as Helm's structToMap shows it under `.Chart.Dependencies`.
    pub fn as_map(&self) -> Value {
        let m = Map::new();
        m.insert("Name", Value::str(&self.name));
        m.insert("Version", Value::str(&self.version));
        m.insert("Repository", Value::str(&self.repository));
        m.insert("Condition", Value::str(&self.condition));
        m.insert("Tags", strings_value(&self.tags));
        m.insert("Enabled", Value::Bool(self.enabled));
        m.insert("ImportValues", Value::list(self.import_values.clone()));
        m.insert("Alias", Value::str(&self.alias));
        Value::Map(m)
    }
}

impl Metadata {
    /// `.Chart`: Helm's structToMap of the Metadata struct (Go field names as keys).
    pub fn as_map(&self) -> Map {
        let m = Map::new();
        m.insert("Name", Value::str(&self.name));
        m.insert("Home", Value::str(&self.home));
        m.insert("Sources", strings_value(&self.sources));
        m.insert("Version", Value::str(&self.version));
        m.insert("Description", Value::str(&self.description));
        m.insert("Keywords", strings_value(&self.keywords));
        m.insert(
            "Maintainers",
            Value::list(
                self.maintainers
                    .iter()
                    .map(|mt| {
                        let mm = Map::new();
                        mm.insert("Name", Value::str(&mt.name));
                        mm.insert("Email", Value::str(&mt.email));
                        mm.insert("URL", Value::str(&mt.url));
                        Value::Map(mm)
                    })
                    .collect(),
            ),
        );
        m.insert("Icon", Value::str(&self.icon));
        m.insert("APIVersion", Value::str(&self.api_version));
        m.insert("Condition", Value::str(&self.condition));
        m.insert("Tags", Value::str(&self.tags));
        m.insert("AppVersion", Value::str(&self.app_version));
        m.insert("Deprecated", Value::Bool(self.deprecated));
        let ann = match &self.annotations {
            Some(a) => Map::typed(
                types::STRING_MAP,
                a.iter()
                    .map(|(k, v)| (Str::from(k.as_str()), Value::str(v)))
                    .collect(),
            ),
            None => Map::nil(types::STRING_MAP),
        };
        m.insert("Annotations", Value::Map(ann));
        m.insert("KubeVersion", Value::str(&self.kube_version));
        m.insert(
            "Dependencies",
            Value::List(List::new(
                self.dependencies
                    .iter()
                    .flatten()
                    .map(Dependency::as_map)
                    .collect(),
            )),
        );
        m.insert("Type", Value::str(&self.type_));
        m
    }
}
