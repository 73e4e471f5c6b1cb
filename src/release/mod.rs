//! Helm's release machinery (pkg/action, pkg/release, pkg/storage): release records and their
//! storage, manifest splitting and sorting, hooks, the install/upgrade/rollback/uninstall/test
//! actions over a [`crate::kube::cluster::Cluster`], and the CLI texts Helm prints for them.

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
