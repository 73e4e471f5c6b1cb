//! The files a terminal sees (POSIX file operations as coreutils reports them): the [`Fs`]
//! trait, path resolution like the kernel's (`.`, `..`, `~`), and [`MemFs`], the browser's
//! in-memory workspace that serializes to JSON. The native CLI implements [`Fs`] over the real
//! current directory.

use crate::engine::sort::SliceSort;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Why a file operation failed, as `strerror` words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    NotADirectory,
    IsADirectory,
    AlreadyExists,
    NotEmpty,
    PermissionDenied,
    /// `EINVAL` (e.g. moving a directory into itself).
    Invalid,
    Other(String),
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FsError::NotFound => "No such file or directory",
            FsError::NotADirectory => "Not a directory",
            FsError::IsADirectory => "Is a directory",
            FsError::AlreadyExists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::PermissionDenied => "Permission denied",
            FsError::Invalid => "Invalid argument",
            FsError::Other(s) => s,
        })
    }
}

/// What `stat` says about a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub is_dir: bool,
    /// Bytes (files only).
    pub size: u64,
    /// Last modification, Unix seconds (0 when unknown).
    pub modified: i64,
}

/// One directory entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
}

/// The file operations the shell and its commands use. Paths given to these methods are
/// absolute and normalized (see [`resolve`]); `cwd` is the shell's working directory.
pub trait Fs {
    /// The working directory (absolute).
    fn cwd(&self) -> String;
    /// Changes the working directory (`abs` is absolute; must be a directory).
    fn set_cwd(&mut self, abs: &str) -> Result<(), FsError>;
    /// `$HOME`.
    fn home(&self) -> String;
    fn read(&self, path: &str) -> Result<Vec<u8>, FsError>;
    /// Creates or replaces a file; the parent directory must exist.
    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), FsError>;
    /// Appends to a file, creating it if needed.
    fn append(&mut self, path: &str, data: &[u8]) -> Result<(), FsError> {
        let mut cur = match self.read(path) {
            Ok(d) => d,
            Err(FsError::NotFound) => Vec::new(),
            Err(e) => return Err(e),
        };
        cur.extend_from_slice(data);
        self.write(path, &cur)
    }
    /// The entries of a directory, sorted by name.
    fn list(&self, path: &str) -> Result<Vec<DirEntry>, FsError>;
    /// Creates one directory; the parent must exist.
    fn mkdir(&mut self, path: &str) -> Result<(), FsError>;
    /// Removes a file (not a directory).
    fn remove_file(&mut self, path: &str) -> Result<(), FsError>;
    /// Removes an empty directory.
    fn remove_dir(&mut self, path: &str) -> Result<(), FsError>;
    fn metadata(&self, path: &str) -> Result<Metadata, FsError>;
    /// Renames a file or directory (`to` must not be an existing non-empty directory).
    fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError>;
    /// Sets a file's modification time to now (creating nothing).
    fn touch(&mut self, path: &str) -> Result<(), FsError> {
        let data = self.read(path)?;
        self.write(path, &data)
    }
    /// Whether this is the browser's workspace (messages that explain limits use it).
    fn is_virtual(&self) -> bool {
        true
    }
}

/// Joins `path` to `cwd` and normalizes it like the kernel does for existing paths: `.` and
/// empty components vanish, `..` climbs (never above `/`), `~` and `~/…` mean `home`.
pub fn resolve(cwd: &str, home: &str, path: &str) -> String {
    let expanded;
    let path = if path == "~" {
        home
    } else if let Some(rest) = path.strip_prefix("~/") {
        expanded = format!("{home}/{rest}");
        &expanded
    } else {
        path
    };
    let base = if path.starts_with('/') { "" } else { cwd };
    let mut parts: Vec<&str> = Vec::new();
    for p in base.split('/').chain(path.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The parent of an absolute normalized path (`/` for top-level entries and for `/`).
pub fn parent(abs: &str) -> &str {
    match abs.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &abs[..i],
    }
}

/// The last component of a path (`/` stays `/`).
pub fn base_name(path: &str) -> &str {
    let t = path.trim_end_matches('/');
    if t.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    t.rsplit('/').next().unwrap_or(t)
}

/// Joins a directory and a name.
pub fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Every file under `dir` (recursively), as paths relative to `dir` with `/` separators, in
/// name order; directories are descended, not listed. At most `limit` files.
pub fn walk_files(fs: &dyn Fs, dir: &str, limit: usize) -> Result<Vec<String>, FsError> {
    let mut out = Vec::new();
    let mut stack = vec![String::new()];
    while let Some(rel) = stack.pop() {
        let abs = if rel.is_empty() {
            dir.to_string()
        } else {
            join(dir, &rel)
        };
        let entries = fs.list(&abs)?;
        let mut subdirs = Vec::new();
        for e in entries {
            let r = if rel.is_empty() {
                e.name.clone()
            } else {
                format!("{rel}/{}", e.name)
            };
            if e.is_dir {
                subdirs.push(r);
            } else {
                if out.len() >= limit {
                    return Err(FsError::Other(format!("more than {limit} files")));
                }
                out.push(r);
            }
        }
        // depth-first in name order
        for d in subdirs.into_iter().rev() {
            stack.push(d);
        }
    }
    out.sort_stable();
    Ok(out)
}

/// A node of the in-memory workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Node {
    Dir {
        #[serde(default)]
        modified: i64,
    },
    File {
        #[serde(with = "bytes_as_text")]
        data: Vec<u8>,
        #[serde(default)]
        modified: i64,
    },
}

/// File contents in JSON: UTF-8 text as a string, anything else as `{"base64": …}`.
mod bytes_as_text {
    use base64::Engine;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Text(String),
        Binary { base64: String },
    }

    pub fn serialize<S: Serializer>(data: &[u8], s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(data) {
            Ok(t) => Repr::Text(t.to_string()).serialize(s),
            Err(_) => Repr::Binary {
                base64: base64::engine::general_purpose::STANDARD.encode(data),
            }
            .serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        match Repr::deserialize(d)? {
            Repr::Text(t) => Ok(t.into_bytes()),
            Repr::Binary { base64 } => base64::engine::general_purpose::STANDARD
                .decode(base64)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// The browser's workspace: a tree of directories and files in memory, serializable (the page
/// keeps it in local storage). Holds at most [`MemFs::MAX_BYTES`] of file data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemFs {
    /// Absolute normalized path → node; `/` is always a directory.
    nodes: BTreeMap<String, Node>,
    cwd: String,
    home: String,
    /// The time new writes are stamped with (Unix seconds), set by the shell before each command.
    #[serde(default)]
    now: i64,
}

impl MemFs {
    /// Total file bytes a workspace may hold (64 MiB).
    pub const MAX_BYTES: usize = 64 << 20;

    /// An empty workspace with `home` created and current.
    pub fn new(home: &str) -> MemFs {
        let mut fs = MemFs {
            nodes: BTreeMap::new(),
            cwd: "/".into(),
            home: resolve("/", "/", home),
            now: 0,
        };
        fs.nodes.insert("/".into(), Node::Dir { modified: 0 });
        let home = fs.home.clone();
        let mut p = String::new();
        for part in home.split('/').filter(|s| !s.is_empty()) {
            p.push('/');
            p.push_str(part);
            fs.nodes.insert(p.clone(), Node::Dir { modified: 0 });
        }
        fs.cwd = home;
        fs
    }

    /// Stamps later writes with `unix_secs`.
    pub fn set_now(&mut self, unix_secs: i64) {
        self.now = unix_secs;
    }

    /// The workspace as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A workspace saved with [`MemFs::to_json`].
    pub fn from_json(s: &str) -> Result<MemFs, String> {
        let fs: MemFs = serde_json::from_str(s).map_err(|e| format!("invalid workspace: {e}"))?;
        if !matches!(fs.nodes.get("/"), Some(Node::Dir { .. })) {
            return Err("invalid workspace: no root directory".into());
        }
        Ok(fs)
    }

    fn total_bytes(&self) -> usize {
        self.nodes
            .values()
            .map(|n| match n {
                Node::File { data, .. } => data.len(),
                Node::Dir { .. } => 0,
            })
            .sum()
    }

    /// Checks that every ancestor of `path` is a directory.
    fn check_parent(&self, path: &str) -> Result<(), FsError> {
        let par = parent(path);
        match self.nodes.get(par) {
            Some(Node::Dir { .. }) => Ok(()),
            Some(Node::File { .. }) => Err(FsError::NotADirectory),
            None => {
                // a file further up gives ENOTDIR, like the kernel
                let mut p = par;
                while p != "/" {
                    p = parent(p);
                    if let Some(Node::File { .. }) = self.nodes.get(p) {
                        return Err(FsError::NotADirectory);
                    }
                }
                Err(FsError::NotFound)
            }
        }
    }

    fn lookup(&self, path: &str) -> Result<&Node, FsError> {
        match self.nodes.get(path) {
            Some(n) => Ok(n),
            None => {
                if path != "/" {
                    self.check_parent(path)?;
                }
                Err(FsError::NotFound)
            }
        }
    }

    fn children<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a String, &'a Node)> + 'a {
        let skip = if dir == "/" { 1 } else { dir.len() + 1 };
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .filter(move |(k, _)| {
                let rest = &k[skip..];
                !rest.is_empty() && !rest.contains('/')
            })
    }
}

impl Fs for MemFs {
    fn cwd(&self) -> String {
        self.cwd.clone()
    }

    fn set_cwd(&mut self, abs: &str) -> Result<(), FsError> {
        match self.lookup(abs)? {
            Node::Dir { .. } => {
                self.cwd = abs.to_string();
                Ok(())
            }
            Node::File { .. } => Err(FsError::NotADirectory),
        }
    }

    fn home(&self) -> String {
        self.home.clone()
    }

    fn read(&self, path: &str) -> Result<Vec<u8>, FsError> {
        match self.lookup(path)? {
            Node::File { data, .. } => Ok(data.clone()),
            Node::Dir { .. } => Err(FsError::IsADirectory),
        }
    }

    fn write(&mut self, path: &str, data: &[u8]) -> Result<(), FsError> {
        if path == "/" {
            return Err(FsError::IsADirectory);
        }
        self.check_parent(path)?;
        let old = match self.nodes.get(path) {
            Some(Node::Dir { .. }) => return Err(FsError::IsADirectory),
            Some(Node::File { data, .. }) => data.len(),
            None => 0,
        };
        if self.total_bytes() - old + data.len() > Self::MAX_BYTES {
            return Err(FsError::Other("No space left on device".into()));
        }
        self.nodes.insert(
            path.to_string(),
            Node::File {
                data: data.to_vec(),
                modified: self.now,
            },
        );
        Ok(())
    }

    fn list(&self, path: &str) -> Result<Vec<DirEntry>, FsError> {
        match self.lookup(path)? {
            Node::File { .. } => Err(FsError::NotADirectory),
            Node::Dir { .. } => Ok(self
                .children(path)
                .map(|(k, n)| DirEntry {
                    name: base_name(k).to_string(),
                    is_dir: matches!(n, Node::Dir { .. }),
                })
                .collect()),
        }
    }

    fn mkdir(&mut self, path: &str) -> Result<(), FsError> {
        if self.nodes.contains_key(path) {
            return Err(FsError::AlreadyExists);
        }
        self.check_parent(path)?;
        self.nodes
            .insert(path.to_string(), Node::Dir { modified: self.now });
        Ok(())
    }

    fn remove_file(&mut self, path: &str) -> Result<(), FsError> {
        match self.lookup(path)? {
            Node::Dir { .. } => Err(FsError::IsADirectory),
            Node::File { .. } => {
                self.nodes.remove(path);
                Ok(())
            }
        }
    }

    fn remove_dir(&mut self, path: &str) -> Result<(), FsError> {
        match self.lookup(path)? {
            Node::File { .. } => Err(FsError::NotADirectory),
            Node::Dir { .. } => {
                if path == "/" {
                    return Err(FsError::PermissionDenied);
                }
                if self.children(path).next().is_some() {
                    return Err(FsError::NotEmpty);
                }
                self.nodes.remove(path);
                Ok(())
            }
        }
    }

    fn metadata(&self, path: &str) -> Result<Metadata, FsError> {
        Ok(match self.lookup(path)? {
            Node::Dir { modified } => Metadata {
                is_dir: true,
                size: 4096,
                modified: *modified,
            },
            Node::File { data, modified } => Metadata {
                is_dir: false,
                size: data.len() as u64,
                modified: *modified,
            },
        })
    }

    fn rename(&mut self, from: &str, to: &str) -> Result<(), FsError> {
        let src_is_dir = matches!(self.lookup(from)?, Node::Dir { .. });
        if from == to {
            return Ok(());
        }
        if from == "/" || to.starts_with(&format!("{from}/")) {
            return Err(FsError::Invalid);
        }
        self.check_parent(to)?;
        match self.nodes.get(to) {
            Some(Node::Dir { .. }) if !src_is_dir => return Err(FsError::IsADirectory),
            Some(Node::File { .. }) if src_is_dir => return Err(FsError::NotADirectory),
            Some(Node::Dir { .. }) => {
                if self.children(to).next().is_some() {
                    return Err(FsError::NotEmpty);
                }
                self.nodes.remove(to);
            }
            _ => {}
        }
        let prefix = format!("{from}/");
        let moved: Vec<String> = self
            .nodes
            .range(from.to_string()..)
            .take_while(|(k, _)| k.as_str() == from || k.starts_with(&prefix))
            .map(|(k, _)| k.clone())
            .collect();
        for k in moved {
            if let Some(n) = self.nodes.remove(&k) {
                let nk = format!("{to}{}", &k[from.len()..]);
                self.nodes.insert(nk, n);
            }
        }
        if self.cwd == from || self.cwd.starts_with(&prefix) {
            self.cwd = format!("{to}{}", &self.cwd[from.len()..]);
        }
        Ok(())
    }

    fn touch(&mut self, path: &str) -> Result<(), FsError> {
        let now = self.now;
        match self.nodes.get_mut(path) {
            Some(Node::File { modified, .. }) | Some(Node::Dir { modified }) => {
                *modified = now;
                Ok(())
            }
            None => self.lookup(path).map(|_| ()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_the_kernel() {
        assert_eq!(resolve("/home/u", "/home/u", "a/./b/../c"), "/home/u/a/c");
        assert_eq!(resolve("/home/u", "/home/u", "../../../x"), "/x");
        assert_eq!(resolve("/a", "/home/u", "~/k"), "/home/u/k");
        assert_eq!(resolve("/a", "/home/u", "~"), "/home/u");
        assert_eq!(resolve("/a", "/h", "/"), "/");
        assert_eq!(resolve("/a", "/h", "b//c/"), "/a/b/c");
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(parent("/a"), "/");
        assert_eq!(base_name("/a/b/"), "b");
        assert_eq!(base_name("/"), "/");
    }

    #[test]
    fn memfs_operations_and_errors() {
        let mut fs = MemFs::new("/home/student");
        assert_eq!(fs.cwd(), "/home/student");
        fs.mkdir("/home/student/charts").unwrap();
        assert_eq!(
            fs.mkdir("/home/student/charts"),
            Err(FsError::AlreadyExists)
        );
        assert_eq!(fs.mkdir("/home/student/x/y"), Err(FsError::NotFound));
        fs.write("/home/student/charts/a.txt", b"hi").unwrap();
        assert_eq!(
            fs.write("/home/student/charts/a.txt/b", b""),
            Err(FsError::NotADirectory)
        );
        assert_eq!(fs.read("/home/student/charts"), Err(FsError::IsADirectory));
        assert_eq!(
            fs.remove_dir("/home/student/charts"),
            Err(FsError::NotEmpty)
        );
        fs.rename("/home/student/charts", "/home/student/c2")
            .unwrap();
        assert_eq!(fs.read("/home/student/c2/a.txt").unwrap(), b"hi");
        let names: Vec<String> = fs
            .list("/home/student")
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["c2"]);
        fs.write("/home/student/bin", &[0xff, 0x00]).unwrap();
        let back = MemFs::from_json(&fs.to_json()).unwrap();
        assert_eq!(back, fs);
        assert_eq!(
            walk_files(&fs, "/home/student", 100).unwrap(),
            ["bin", "c2/a.txt"]
        );
    }
}
