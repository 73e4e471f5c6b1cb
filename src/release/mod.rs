//! Helm's release machinery (pkg/action, pkg/release, pkg/storage, pkg/kube, and the CLI texts
//! of pkg/cmd) over a [`crate::kube::cluster::Cluster`].
//!
//! - [`model`]: the release record (Helm 4's release v1) with `json.Marshal`'s exact bytes;
//!   [`storage`]: records as Secrets/ConfigMaps/memory, base64(gzip(json)), labels, queries.
//! - [`manifest`]: SplitManifests, SimpleHead, hooks, kind order; [`render`]: renderResources,
//!   `helm template`'s text ([`render::helm_template`]).
//! - [`action::Configuration`] holds the cluster, storage, clock and field manager; the actions
//!   are [`install::Install`], [`upgrade::Upgrade`], [`rollback::Rollback`],
//!   [`uninstall::Uninstall`], and in [`query`] history, list, status, get and test. [`hooks`]
//!   runs hooks; [`kubeclient`] is Helm's kube client (build, apply, delete, waits).
//! - [`cli`] formats what Helm prints; [`commands`] runs an action with parsed flags and returns
//!   stdout, stderr and the `Error:` line, for the shell and the UI.
//! - [`diff`]: revision diffs and plain-words rollout reports (the playground's explanations);
//!   [`preview`]: what an install or upgrade would change on a live cluster (server-side dry
//!   runs compared with the live objects), shown before ChartLab applies anything.

pub mod action;
pub mod cli;
pub mod commands;
pub mod diff;
pub mod gotime;
pub mod hooks;
pub mod install;
pub mod kubeclient;
pub mod lookup;
pub mod manifest;
pub mod model;
pub mod preview;
pub mod query;
pub mod render;
pub mod rollback;
pub mod storage;
pub mod uninstall;
pub mod upgrade;
pub mod util;

#[cfg(test)]
mod cli_tests;
#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod template_tests;
#[cfg(test)]
mod timeline_tests;
