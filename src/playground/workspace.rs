//! The workspace: a chart directory held in memory (what `helm create` writes to disk and
//! Helm's loader reads back) — files with their bytes, plus directories that exist without files
//! (`charts/` right after `helm create`).
//!
//! Paths are relative, `/`-separated and checked on the way in ([`check_path`]), so nothing a
//! user types, uploads or opens from a link can name a parent directory or an absolute path.
//! Sizes and counts are bounded ([`MAX_FILES`], [`MAX_TOTAL_BYTES`]) so a hostile link or archive
//! is refused with a message instead of exhausting the tab.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::chart::FileMap;

/// Most files a workspace holds.
pub const MAX_FILES: usize = 5_000;
/// Most bytes a workspace holds, all files together.
pub const MAX_TOTAL_BYTES: usize = 64 << 20;
/// Longest path accepted.
pub const MAX_PATH_LEN: usize = 512;
/// Deepest path accepted (components).
pub const MAX_DEPTH: usize = 32;

/// Checks a workspace path: relative, `/`-separated, no empty, `.` or `..` components, no NUL
/// or backslash, not too long or deep. The error says what is wrong in the user's terms.
pub fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("a path cannot be empty".into());
    }
    if path.len() > MAX_PATH_LEN {
        return Err(format!("the path is longer than {MAX_PATH_LEN} characters"));
    }
    if path.starts_with('/') {
        return Err(format!("{path:?}: paths are relative to the chart folder"));
    }
    if path.contains('\\') || path.contains('\0') {
        return Err(format!(
            "{path:?}: use / between folders (no backslash or NUL)"
        ));
    }
    let mut depth = 0;
    for part in path.split('/') {
        depth += 1;
        match part {
            "" => {
                return Err(format!(
                    "{path:?}: empty folder name (a doubled or trailing /)"
                ))
            }
            "." | ".." => {
                return Err(format!("{path:?}: . and .. are not allowed in a path"));
            }
            _ => {}
        }
    }
    if depth > MAX_DEPTH {
        return Err(format!("{path:?}: more than {MAX_DEPTH} levels deep"));
    }
    Ok(())
}

/// Normalises what a user typed as a path: trims blanks and a leading `./` or `/`, and a
/// trailing `/`; then checks it.
pub fn normalize_path(input: &str) -> Result<String, String> {
    let mut p = input.trim();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let p = p.trim_start_matches('/').trim_end_matches('/');
    check_path(p)?;
    Ok(p.to_string())
}

/// The parent folder of `path` (`None` at the top).
pub fn parent(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(p, _)| p)
}

/// The last component of `path`.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// One row of the file tree as the UI lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    pub path: String,
    pub name: String,
    /// 0 at the top level.
    pub depth: usize,
    pub is_dir: bool,
}

/// A chart directory in memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Workspace {
    files: BTreeMap<String, Rc<[u8]>>,
    /// Folders recorded on their own (they may also hold files).
    dirs: BTreeSet<String>,
    total: usize,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// A workspace from files and extra (possibly empty) folders, every path checked.
    pub fn from_parts<'a>(
        files: impl IntoIterator<Item = (String, Vec<u8>)>,
        dirs: impl IntoIterator<Item = &'a str>,
    ) -> Result<Workspace, String> {
        let mut ws = Workspace::new();
        for (path, data) in files {
            let path = normalize_path(&path)?;
            ws.write(&path, data)?;
        }
        for d in dirs {
            ws.create_dir(&normalize_path(d)?)?;
        }
        Ok(ws)
    }

    /// A workspace from a chart file map (an unpacked archive, a dropped folder).
    pub fn from_file_map(files: &FileMap) -> Result<Workspace, String> {
        Workspace::from_parts(files.iter().map(|(k, v)| (k.clone(), v.clone())), [])
    }

    /// The files as Helm's loader takes them.
    pub fn to_file_map(&self) -> FileMap {
        self.files
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect()
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    pub fn total_bytes(&self) -> usize {
        self.total
    }

    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|d| &d[..])
    }

    /// The file's shared bytes (cheap to clone).
    pub fn file_rc(&self, path: &str) -> Option<Rc<[u8]>> {
        self.files.get(path).cloned()
    }

    /// The file as text (invalid UTF-8 replaced, as the editor would show it).
    pub fn text(&self, path: &str) -> Option<Cow<'_, str>> {
        self.file(path).map(String::from_utf8_lossy)
    }

    pub fn is_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Whether `path` is a folder: recorded, or holding a file.
    pub fn is_dir(&self, path: &str) -> bool {
        if self.dirs.contains(path) {
            return true;
        }
        let prefix = format!("{path}/");
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
            || self
                .dirs
                .range(prefix.clone()..)
                .next()
                .is_some_and(|k| k.starts_with(&prefix))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.is_file(path) || self.is_dir(path)
    }

    /// Files in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), &v[..]))
    }

    pub fn file_paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Folders recorded on their own.
    pub fn recorded_dirs(&self) -> impl Iterator<Item = &str> {
        self.dirs.iter().map(String::as_str)
    }

    /// Folders with nothing in them (what a file map alone cannot say).
    pub fn empty_dirs(&self) -> Vec<&str> {
        self.dirs
            .iter()
            .filter(|d| {
                let prefix = format!("{d}/");
                !self.files.keys().any(|k| k.starts_with(&prefix))
                    && !self.dirs.iter().any(|k| k.starts_with(&prefix))
            })
            .map(String::as_str)
            .collect()
    }

    fn check_no_file_above(&self, path: &str) -> Result<(), String> {
        let mut p = path;
        while let Some(up) = parent(p) {
            if self.files.contains_key(up) {
                return Err(format!("{up:?} is a file, so it cannot hold {path:?}"));
            }
            p = up;
        }
        Ok(())
    }

    /// Creates or replaces the file at `path`.
    pub fn write(&mut self, path: &str, data: impl Into<Rc<[u8]>>) -> Result<(), String> {
        check_path(path)?;
        let data: Rc<[u8]> = data.into();
        if self.is_dir(path) {
            return Err(format!("{path:?} is a folder"));
        }
        self.check_no_file_above(path)?;
        let old = self.files.get(path).map_or(0, |d| d.len());
        let total = self.total - old + data.len();
        if total > MAX_TOTAL_BYTES {
            return Err(format!(
                "the chart would hold more than {} MiB",
                MAX_TOTAL_BYTES >> 20
            ));
        }
        if old == 0 && !self.files.contains_key(path) && self.files.len() >= MAX_FILES {
            return Err(format!("a chart here holds at most {MAX_FILES} files"));
        }
        self.total = total;
        self.files.insert(path.to_string(), data);
        Ok(())
    }

    /// Creates a new file; an existing file or folder of that name is an error.
    pub fn create_file(&mut self, path: &str, data: impl Into<Rc<[u8]>>) -> Result<(), String> {
        if self.exists(path) {
            return Err(format!("{path:?} already exists"));
        }
        self.write(path, data)
    }

    /// Creates a folder (and so its parents).
    pub fn create_dir(&mut self, path: &str) -> Result<(), String> {
        check_path(path)?;
        if self.files.contains_key(path) {
            return Err(format!("{path:?} is a file"));
        }
        self.check_no_file_above(path)?;
        if self.dirs.len() >= MAX_FILES {
            return Err(format!("a chart here holds at most {MAX_FILES} folders"));
        }
        self.dirs.insert(path.to_string());
        Ok(())
    }

    /// Makes `dirs` exactly the folders recorded on their own (as a decoded link says them).
    pub fn set_recorded_dirs(&mut self, dirs: &[String]) -> Result<(), String> {
        let old = std::mem::take(&mut self.dirs);
        for d in dirs {
            if let Err(e) = self.create_dir(d) {
                self.dirs = old;
                return Err(e);
            }
        }
        Ok(())
    }

    /// Deletes a file, or a folder with everything in it. The parent folder stays (as an
    /// empty folder) so deleting the last file of `templates/` leaves `templates/` in the tree.
    pub fn remove(&mut self, path: &str) -> Result<(), String> {
        if let Some(data) = self.files.remove(path) {
            self.total -= data.len();
        } else if self.is_dir(path) {
            let prefix = format!("{path}/");
            let inside: Vec<String> = self
                .files
                .keys()
                .filter(|k| k.starts_with(&prefix))
                .cloned()
                .collect();
            for k in inside {
                if let Some(d) = self.files.remove(&k) {
                    self.total -= d.len();
                }
            }
            self.dirs.retain(|d| d != path && !d.starts_with(&prefix));
        } else {
            return Err(format!("{path:?} does not exist"));
        }
        if let Some(up) = parent(path) {
            if !self.is_dir(up) {
                self.dirs.insert(up.to_string());
            }
        }
        Ok(())
    }

    /// Renames (moves) a file or a folder with everything in it.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), String> {
        check_path(to)?;
        if from == to {
            return Ok(());
        }
        if self.exists(to) {
            return Err(format!("{to:?} already exists"));
        }
        if to.starts_with(&format!("{from}/")) {
            return Err(format!("cannot move {from:?} into itself"));
        }
        self.check_no_file_above(to)?;
        if let Some(data) = self.files.remove(from) {
            self.files.insert(to.to_string(), data);
        } else if self.is_dir(from) {
            let prefix = format!("{from}/");
            let inside: Vec<String> = self
                .files
                .keys()
                .filter(|k| k.starts_with(&prefix))
                .cloned()
                .collect();
            for k in inside {
                if let Some(d) = self.files.remove(&k) {
                    self.files.insert(format!("{to}/{}", &k[prefix.len()..]), d);
                }
            }
            let dirs: Vec<String> = self
                .dirs
                .iter()
                .filter(|d| *d == from || d.starts_with(&prefix))
                .cloned()
                .collect();
            for d in dirs {
                self.dirs.remove(&d);
                let moved = if d == from {
                    to.to_string()
                } else {
                    format!("{to}/{}", &d[prefix.len()..])
                };
                self.dirs.insert(moved);
            }
        } else {
            return Err(format!("{from:?} does not exist"));
        }
        if let Some(up) = parent(from) {
            if !self.is_dir(up) {
                self.dirs.insert(up.to_string());
            }
        }
        Ok(())
    }

    /// Every folder, recorded or implied by a file.
    pub fn all_dirs(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = BTreeSet::new();
        let mut add = |p: &str| {
            let mut p = p;
            while let Some(up) = parent(p) {
                if !out.insert(up.to_string()) {
                    break;
                }
                p = up;
            }
        };
        for f in self.files.keys() {
            add(f);
        }
        for d in &self.dirs {
            add(d);
        }
        out.extend(self.dirs.iter().cloned());
        out
    }

    /// The tree as the UI lists it: depth first, folders before files, each level sorted.
    pub fn tree(&self) -> Vec<TreeEntry> {
        let dirs = self.all_dirs();
        let mut children: BTreeMap<&str, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
        for d in &dirs {
            children
                .entry(parent(d).unwrap_or(""))
                .or_default()
                .0
                .push(d);
        }
        for f in self.files.keys() {
            children
                .entry(parent(f).unwrap_or(""))
                .or_default()
                .1
                .push(f);
        }
        let mut out = Vec::with_capacity(dirs.len() + self.files.len());
        fn walk<'a>(
            at: &str,
            depth: usize,
            children: &BTreeMap<&'a str, (Vec<&'a str>, Vec<&'a str>)>,
            out: &mut Vec<TreeEntry>,
        ) {
            let Some((dirs, files)) = children.get(at) else {
                return;
            };
            for d in dirs {
                out.push(TreeEntry {
                    path: d.to_string(),
                    name: base_name(d).to_string(),
                    depth,
                    is_dir: true,
                });
                walk(d, depth + 1, children, out);
            }
            for f in files {
                out.push(TreeEntry {
                    path: f.to_string(),
                    name: base_name(f).to_string(),
                    depth,
                    is_dir: false,
                });
            }
        }
        walk("", 0, &children, &mut out);
        out
    }
}

/// Whether the bytes look like text the editor can show and edit (valid UTF-8 without NUL).
pub fn is_text(data: &[u8]) -> bool {
    !data.contains(&0) && std::str::from_utf8(data).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(files: &[(&str, &str)], dirs: &[&str]) -> Workspace {
        Workspace::from_parts(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
            dirs.iter().copied(),
        )
        .expect("valid workspace")
    }

    #[test]
    fn paths_are_checked() {
        assert!(check_path("templates/a.yaml").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "a//b",
            "a/",
            "../x",
            "a/./b",
            "a\\b",
            "a\0b",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?} accepted");
        }
        assert!(check_path("a/".repeat(40).trim_end_matches('/')).is_err());
        assert!(check_path(&"x".repeat(600)).is_err());
        assert_eq!(
            normalize_path(" ./templates/x.yaml/ ").as_deref(),
            Ok("templates/x.yaml")
        );
    }

    #[test]
    fn tree_lists_folders_first_and_keeps_empty_folders() {
        let w = ws(
            &[
                ("values.yaml", ""),
                ("Chart.yaml", ""),
                ("templates/tests/t.yaml", ""),
                ("templates/a.yaml", ""),
                ("templates/_helpers.tpl", ""),
            ],
            &["charts"],
        );
        let rows: Vec<(usize, String, bool)> = w
            .tree()
            .into_iter()
            .map(|e| (e.depth, e.name, e.is_dir))
            .collect();
        let want: Vec<(usize, String, bool)> = [
            (0, "charts", true),
            (0, "templates", true),
            (1, "tests", true),
            (2, "t.yaml", false),
            (1, "_helpers.tpl", false),
            (1, "a.yaml", false),
            (0, "Chart.yaml", false),
            (0, "values.yaml", false),
        ]
        .into_iter()
        .map(|(d, n, i)| (d, n.to_string(), i))
        .collect();
        assert_eq!(rows, want);
        assert_eq!(w.empty_dirs(), vec!["charts"]);
    }

    #[test]
    fn rename_moves_a_folder_with_its_contents() {
        let mut w = ws(
            &[
                ("charts/sub/Chart.yaml", "x"),
                ("charts/sub/templates/a", "y"),
            ],
            &["charts/sub/crds"],
        );
        w.rename("charts/sub", "charts/other").expect("rename");
        assert_eq!(
            w.file_paths().collect::<Vec<_>>(),
            vec!["charts/other/Chart.yaml", "charts/other/templates/a"]
        );
        assert!(w.is_dir("charts/other/crds"));
        assert!(!w.exists("charts/sub"));
        assert!(w.rename("charts/other", "charts/other/inner").is_err());
        assert!(w.rename("nope", "x").is_err());
    }

    #[test]
    fn remove_keeps_the_parent_folder() {
        let mut w = ws(&[("templates/a.yaml", "abc")], &[]);
        assert_eq!(w.total_bytes(), 3);
        w.remove("templates/a.yaml").expect("remove");
        assert!(w.is_dir("templates"));
        assert_eq!(w.total_bytes(), 0);
        w.remove("templates").expect("remove dir");
        assert!(w.tree().is_empty());
        assert!(w.remove("templates").is_err());
    }

    #[test]
    fn files_and_folders_do_not_collide() {
        let mut w = ws(&[("a", "x")], &["d"]);
        assert!(w.write("a/b", &b"y"[..]).is_err());
        assert!(w.write("d", &b"y"[..]).is_err());
        assert!(w.create_dir("a").is_err());
        assert!(w.create_file("a", &b"z"[..]).is_err());
        assert!(w.write("a", &b"z"[..]).is_ok());
        assert_eq!(w.file("a"), Some(&b"z"[..]));
    }

    #[test]
    fn size_is_bounded() {
        let mut w = Workspace::new();
        let big: Rc<[u8]> = Rc::from(vec![b'x'; MAX_TOTAL_BYTES / 2 + 1]);
        w.write("a", big.clone()).expect("first half");
        assert!(w.write("b", big.clone()).is_err());
        // replacing a file counts only the new size
        w.write("a", big).expect("replace");
    }
}
