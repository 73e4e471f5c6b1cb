//! The document a learner edits: the chart (a [`Workspace`]) plus everything `helm template` /
//! `helm install` take on the command line — the release settings (`NAME`, `--namespace`,
//! the revision, `--is-upgrade`, `--kube-version`, `--api-versions`) and the user values
//! (`-f values.yaml` and the `--set` family).

use super::workspace::Workspace;

/// Longest release name Helm accepts (chartutil.ValidateReleaseName: 53).
pub const MAX_RELEASE_NAME: usize = 53;
/// Most `--set`-style entries kept.
pub const MAX_SET_ENTRIES: usize = 200;
/// Most extra API versions kept.
pub const MAX_API_VERSIONS: usize = 200;
/// Longest text of one setting (namespace, kube version, one `--set` expression, …).
pub const MAX_SETTING_LEN: usize = 4096;

/// What `helm template NAME CHART` is told about the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseSettings {
    /// The release name (`.Release.Name`).
    pub name: String,
    /// `--namespace` (`.Release.Namespace`).
    pub namespace: String,
    /// `.Release.Revision` (1 for an install).
    pub revision: i64,
    /// `--is-upgrade`: `.Release.IsUpgrade` true and `.Release.IsInstall` false.
    pub is_upgrade: bool,
    /// `--kube-version`; empty means Helm's default (the Kubernetes version Helm was built
    /// against).
    pub kube_version: String,
    /// `--api-versions`, added to Helm's default set (`.Capabilities.APIVersions`).
    pub api_versions: Vec<String>,
}

impl Default for ReleaseSettings {
    fn default() -> Self {
        ReleaseSettings {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_upgrade: false,
            kube_version: String::new(),
            api_versions: Vec::new(),
        }
    }
}

/// Which `--set` flag an entry stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetKind {
    /// `--set a.b=c` (values typed: numbers, booleans, null).
    Set,
    /// `--set-string a.b=c` (always strings).
    SetString,
    /// `--set-json a.b={"x":1}`.
    SetJson,
    /// `--set-literal a.b=c` (the whole right side as one string, no escapes).
    SetLiteral,
}

impl SetKind {
    pub const ALL: [SetKind; 4] = [
        SetKind::Set,
        SetKind::SetString,
        SetKind::SetJson,
        SetKind::SetLiteral,
    ];

    /// The flag as typed on Helm's command line.
    pub fn flag(self) -> &'static str {
        match self {
            SetKind::Set => "--set",
            SetKind::SetString => "--set-string",
            SetKind::SetJson => "--set-json",
            SetKind::SetLiteral => "--set-literal",
        }
    }

    pub fn from_flag(flag: &str) -> Option<SetKind> {
        SetKind::ALL.into_iter().find(|k| k.flag() == flag)
    }

    pub(crate) fn code(self) -> u8 {
        match self {
            SetKind::Set => 0,
            SetKind::SetString => 1,
            SetKind::SetJson => 2,
            SetKind::SetLiteral => 3,
        }
    }

    pub(crate) fn from_code(c: u8) -> Option<SetKind> {
        SetKind::ALL.get(c as usize).copied()
    }
}

/// One `--set`-family entry: the flag and its argument (`a.b=c`, possibly comma-separated
/// pairs, as Helm parses them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetEntry {
    pub kind: SetKind,
    pub expr: String,
}

/// The user's values on top of the chart's own `values.yaml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// A values file given with `-f` (YAML); empty means none.
    pub values: String,
    /// The `--set` family, in the order given (Helm applies each kind in its fixed order).
    pub set: Vec<SetEntry>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.values.trim().is_empty() && self.set.is_empty()
    }
}

/// The whole document: chart, release settings and user values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub workspace: Workspace,
    pub release: ReleaseSettings,
    pub overrides: Overrides,
}

impl Document {
    /// Checks the settings' sizes (contents are Helm's to judge when rendering).
    pub fn check_limits(&self) -> Result<(), String> {
        let r = &self.release;
        for (what, s) in [
            ("release name", &r.name),
            ("namespace", &r.namespace),
            ("kube version", &r.kube_version),
        ] {
            if s.len() > MAX_SETTING_LEN {
                return Err(format!("the {what} is too long"));
            }
        }
        if r.api_versions.len() > MAX_API_VERSIONS
            || r.api_versions.iter().any(|v| v.len() > MAX_SETTING_LEN)
        {
            return Err("too many or too long API versions".into());
        }
        if self.overrides.set.len() > MAX_SET_ENTRIES
            || self
                .overrides
                .set
                .iter()
                .any(|e| e.expr.len() > MAX_SETTING_LEN)
        {
            return Err("too many or too long --set entries".into());
        }
        if self.overrides.values.len() > super::workspace::MAX_TOTAL_BYTES {
            return Err("the values override is too large".into());
        }
        Ok(())
    }

    /// The chart's name as Chart.yaml says it (for file names of exports), if it can be read.
    pub fn chart_name(&self) -> Option<String> {
        let text = self.workspace.text("Chart.yaml")?;
        text.lines().find_map(|l| {
            let rest = l.strip_prefix("name:")?;
            let name = rest.split('#').next()?.trim().trim_matches(['"', '\'']);
            (!name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')))
            .then(|| name.to_string())
        })
    }

    /// The command line this document stands for, as a learner would type it.
    pub fn command_line(&self) -> String {
        let r = &self.release;
        let chart = self
            .chart_name()
            .map_or_else(|| "./chart".to_string(), |n| format!("./{n}"));
        let mut cmd = format!("helm template {} {chart}", shell_word(&r.name));
        if r.namespace != "default" {
            cmd.push_str(&format!(" --namespace {}", shell_word(&r.namespace)));
        }
        if r.is_upgrade {
            cmd.push_str(" --is-upgrade");
        }
        if !r.kube_version.is_empty() {
            cmd.push_str(&format!(" --kube-version {}", shell_word(&r.kube_version)));
        }
        for v in &r.api_versions {
            cmd.push_str(&format!(" --api-versions {}", shell_word(v)));
        }
        if !self.overrides.values.trim().is_empty() {
            cmd.push_str(" -f overrides.yaml");
        }
        for e in &self.overrides.set {
            cmd.push_str(&format!(" {} {}", e.kind.flag(), shell_word(&e.expr)));
        }
        cmd
    }
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/' | b'=' | b',' | b':')
        });
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_reads_like_helm() {
        let mut d = Document::default();
        d.workspace
            .write(
                "Chart.yaml",
                &b"apiVersion: v2\nname: myapi # the chart\nversion: 0.1.0\n"[..],
            )
            .expect("write");
        d.release.name = "myapi-release".into();
        d.release.namespace = "team a".into();
        d.release.is_upgrade = true;
        d.overrides.set.push(SetEntry {
            kind: SetKind::SetString,
            expr: "image.tag=v1".into(),
        });
        assert_eq!(
            d.command_line(),
            "helm template myapi-release ./myapi --namespace 'team a' --is-upgrade --set-string image.tag=v1"
        );
    }

    #[test]
    fn set_kinds_round_trip() {
        for k in SetKind::ALL {
            assert_eq!(SetKind::from_code(k.code()), Some(k));
            assert_eq!(SetKind::from_flag(k.flag()), Some(k));
        }
        assert_eq!(SetKind::from_code(9), None);
    }
}
