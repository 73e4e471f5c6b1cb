//! YAML as Helm reads and writes it: go-yaml v2 behind sigs.k8s.io/yaml, over engine values.
