//! Kubernetes objects, the `Cluster` trait and the simulated cluster.
