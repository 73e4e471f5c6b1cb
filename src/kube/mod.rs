//! Kubernetes objects, the `Cluster` trait and the simulated cluster.

pub mod cluster;
pub mod fieldpath;
pub mod gofmt;
pub mod jsonpath;
pub mod object;
pub mod printers;
pub mod resources;
pub mod rest;
pub mod selector;
pub mod sim;
pub mod status;
pub mod time;
pub mod validation;
