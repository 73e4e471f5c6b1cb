//! API errors as the API server reports them: `metav1.Status` with reason, code, message and
//! details, built like `k8s.io/apimachinery/pkg/api/errors` (`NewNotFound`,
//! `NewAlreadyExists`, `NewConflict`, `NewInvalid`, …) so kubectl and Helm can print them in the
//! API's own words; and kubectl's `StandardErrorMessage` rendering.

use crate::kube::object::GroupVersionResource;
use crate::kube::validation::{aggregate, FieldError};
use serde_json::{json, Map, Value};
use std::fmt;

/// The optimistic-concurrency message of the storage layer.
pub const OPTIMISTIC_LOCK_MSG: &str =
    "the object has been modified; please apply your changes to the latest version and try again";

/// One `metav1.StatusCause`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusCause {
    /// `reason` (a `CauseType`, e.g. `FieldValueInvalid`, `FieldManagerConflict`).
    pub reason: String,
    pub message: String,
    pub field: String,
}

/// `metav1.StatusDetails`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct StatusDetails {
    pub name: String,
    pub group: String,
    /// For most errors the resource (plural), for `Invalid` the kind.
    pub kind: String,
    pub uid: String,
    pub causes: Vec<StatusCause>,
}

/// An API error: a failed `metav1.Status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub code: u16,
    /// `StatusReason`: `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `BadRequest`, …
    pub reason: String,
    pub message: String,
    pub details: Option<Box<StatusDetails>>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    fn with(code: u16, reason: &str, message: String, details: Option<StatusDetails>) -> ApiError {
        ApiError {
            code,
            reason: reason.into(),
            message,
            details: details.map(Box::new),
        }
    }

    fn details_for(gvr: &GroupVersionResource, name: &str) -> Option<StatusDetails> {
        Some(StatusDetails {
            name: name.into(),
            group: gvr.group.clone(),
            kind: gvr.resource.clone(),
            ..Default::default()
        })
    }

    /// `NewNotFound`: `secrets "x" not found`.
    pub fn not_found(gvr: &GroupVersionResource, name: &str) -> ApiError {
        ApiError::with(
            404,
            "NotFound",
            format!(
                "{} {} not found",
                gvr.group_resource(),
                crate::kube::gofmt::quote(name)
            ),
            Self::details_for(gvr, name),
        )
    }

    /// `NewAlreadyExists`: `secrets "x" already exists`.
    pub fn already_exists(gvr: &GroupVersionResource, name: &str) -> ApiError {
        ApiError::with(
            409,
            "AlreadyExists",
            format!(
                "{} {} already exists",
                gvr.group_resource(),
                crate::kube::gofmt::quote(name)
            ),
            Self::details_for(gvr, name),
        )
    }

    /// `NewConflict`: `Operation cannot be fulfilled on secrets "x": <why>`.
    pub fn conflict(gvr: &GroupVersionResource, name: &str, why: &str) -> ApiError {
        ApiError::with(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} {}: {}",
                gvr.group_resource(),
                crate::kube::gofmt::quote(name),
                why
            ),
            Self::details_for(gvr, name),
        )
    }

    /// The stale-`resourceVersion` conflict of an update.
    pub fn stale(gvr: &GroupVersionResource, name: &str) -> ApiError {
        ApiError::conflict(gvr, name, OPTIMISTIC_LOCK_MSG)
    }

    /// `NewApplyConflict`.
    pub fn apply_conflict(causes: Vec<StatusCause>, message: String) -> ApiError {
        ApiError::with(
            409,
            "Conflict",
            message,
            Some(StatusDetails {
                causes,
                ..Default::default()
            }),
        )
    }

    /// `NewInvalid`: `Deployment.apps "x" is invalid: <errors>`.
    pub fn invalid(group: &str, kind: &str, name: &str, errs: &[FieldError]) -> ApiError {
        let gk = if group.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}.{group}")
        };
        let causes = errs
            .iter()
            .map(|e| StatusCause {
                reason: e.kind.cause_type().into(),
                message: e.body(),
                field: e.field.clone(),
            })
            .collect();
        let message = if errs.is_empty() {
            format!("{gk} {} is invalid", crate::kube::gofmt::quote(name))
        } else {
            format!(
                "{gk} {} is invalid: {}",
                crate::kube::gofmt::quote(name),
                aggregate(errs)
            )
        };
        ApiError::with(
            422,
            "Invalid",
            message,
            Some(StatusDetails {
                name: name.into(),
                group: group.into(),
                kind: kind.into(),
                causes,
                ..Default::default()
            }),
        )
    }

    /// `NewBadRequest`.
    pub fn bad_request(msg: impl Into<String>) -> ApiError {
        ApiError::with(400, "BadRequest", msg.into(), None)
    }

    /// `NewMethodNotSupported`.
    pub fn method_not_supported(gvr: &GroupVersionResource, action: &str) -> ApiError {
        ApiError::with(
            405,
            "MethodNotAllowed",
            format!(
                "{action} is not supported on resources of kind {}",
                crate::kube::gofmt::quote(&gvr.group_resource())
            ),
            Self::details_for(gvr, ""),
        )
    }

    /// `NewForbidden`.
    pub fn forbidden(gvr: &GroupVersionResource, name: &str, why: &str) -> ApiError {
        let message = if name.is_empty() {
            format!("{} is forbidden: {why}", gvr.group_resource())
        } else {
            format!(
                "{} {} is forbidden: {why}",
                gvr.group_resource(),
                crate::kube::gofmt::quote(name)
            )
        };
        ApiError::with(403, "Forbidden", message, Self::details_for(gvr, name))
    }

    /// `NewInternalError`.
    pub fn internal(msg: &str) -> ApiError {
        ApiError::with(
            500,
            "InternalError",
            format!("Internal error occurred: {msg}"),
            Some(StatusDetails {
                causes: vec![StatusCause {
                    reason: String::new(),
                    message: msg.into(),
                    field: String::new(),
                }],
                ..Default::default()
            }),
        )
    }

    /// The 404 for a path the server does not serve (no such resource/group).
    pub fn not_found_path() -> ApiError {
        ApiError::with(
            404,
            "NotFound",
            "the server could not find the requested resource".into(),
            Some(StatusDetails::default()),
        )
    }

    pub fn is_not_found(&self) -> bool {
        self.reason == "NotFound"
    }
    pub fn is_already_exists(&self) -> bool {
        self.reason == "AlreadyExists"
    }
    pub fn is_conflict(&self) -> bool {
        self.reason == "Conflict"
    }
    pub fn is_invalid(&self) -> bool {
        self.reason == "Invalid"
    }

    /// The `metav1.Status` object, as the server sends it.
    pub fn to_status(&self) -> Value {
        let mut m = Map::new();
        m.insert("kind".into(), json!("Status"));
        m.insert("apiVersion".into(), json!("v1"));
        m.insert("metadata".into(), json!({}));
        m.insert("status".into(), json!("Failure"));
        m.insert("message".into(), json!(self.message));
        m.insert("reason".into(), json!(self.reason));
        if let Some(d) = &self.details {
            let mut dm = Map::new();
            if !d.name.is_empty() {
                dm.insert("name".into(), json!(d.name));
            }
            if !d.group.is_empty() {
                dm.insert("group".into(), json!(d.group));
            }
            if !d.kind.is_empty() {
                dm.insert("kind".into(), json!(d.kind));
            }
            if !d.uid.is_empty() {
                dm.insert("uid".into(), json!(d.uid));
            }
            if !d.causes.is_empty() {
                let causes: Vec<Value> = d
                    .causes
                    .iter()
                    .map(|c| {
                        let mut cm = Map::new();
                        if !c.reason.is_empty() {
                            cm.insert("reason".into(), json!(c.reason));
                        }
                        if !c.message.is_empty() {
                            cm.insert("message".into(), json!(c.message));
                        }
                        if !c.field.is_empty() {
                            cm.insert("field".into(), json!(c.field));
                        }
                        Value::Object(cm)
                    })
                    .collect();
                dm.insert("causes".into(), Value::Array(causes));
            }
            m.insert("details".into(), Value::Object(dm));
        }
        m.insert("code".into(), json!(self.code));
        Value::Object(m)
    }

    /// Reads a `metav1.Status` (e.g. a REST response body). `None` if it is not a failure.
    pub fn from_status(v: &Value) -> Option<ApiError> {
        if v.get("kind").and_then(Value::as_str) != Some("Status")
            || v.get("status").and_then(Value::as_str) == Some("Success")
        {
            return None;
        }
        let s = |k: &str, o: &Value| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let details = v.get("details").map(|d| {
            Box::new(StatusDetails {
                name: s("name", d),
                group: s("group", d),
                kind: s("kind", d),
                uid: s("uid", d),
                causes: d
                    .get("causes")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .map(|c| StatusCause {
                                reason: s("reason", c),
                                message: s("message", c),
                                field: s("field", c),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        });
        Some(ApiError {
            code: v
                .get("code")
                .and_then(Value::as_u64)
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(500),
            reason: s("reason", v),
            message: s("message", v),
            details,
        })
    }

    /// What kubectl prints for this error (`cmdutil.CheckErr`): invalid objects as
    /// `The Deployment "x" is invalid: …` (one cause inline, several as `* ` lines), others as
    /// `Error from server (Reason): message`. Ends with a newline.
    pub fn kubectl_text(&self) -> String {
        if self.reason == "Invalid" {
            let (kind, name, causes) = match &self.details {
                Some(d) => (d.kind.as_str(), d.name.as_str(), d.causes.as_slice()),
                None => ("", "", &[][..]),
            };
            let prefix = if self.details.is_some() {
                format!(
                    "The {kind} {} is invalid: ",
                    crate::kube::gofmt::quote(name)
                )
            } else {
                "The request is invalid: ".to_string()
            };
            let msgs: Vec<String> = causes
                .iter()
                .map(|c| format!("{}: {}", c.field, c.message))
                .collect();
            return match msgs.len() {
                0 => format!("{prefix}{}\n", self.message),
                1 => format!("{prefix}{}\n", msgs[0]),
                _ => {
                    let mut out = format!("{prefix}\n");
                    for m in msgs {
                        out.push_str("* ");
                        out.push_str(&m);
                        out.push('\n');
                    }
                    out
                }
            };
        }
        if self.reason == "Unauthorized" {
            return format!(
                "error: You must be logged in to the server ({})\n",
                self.message
            );
        }
        if self.reason.is_empty() {
            return format!("Error from server: {}\n", self.message);
        }
        format!("Error from server ({}): {}\n", self.reason, self.message)
    }
}

/// A success `metav1.Status` (what DELETE returns for most resources).
pub fn success_status(gvr: &GroupVersionResource, name: &str, uid: &str) -> Value {
    let mut details = Map::new();
    details.insert("name".into(), json!(name));
    if !gvr.group.is_empty() {
        details.insert("group".into(), json!(gvr.group));
    }
    details.insert("kind".into(), json!(gvr.resource));
    if !uid.is_empty() {
        details.insert("uid".into(), json!(uid));
    }
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": Value::Object(details)})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::validation::FieldError;

    #[test]
    fn messages_in_the_apis_words() {
        let secrets = GroupVersionResource::new("", "v1", "secrets");
        let deploys = GroupVersionResource::new("apps", "v1", "deployments");
        assert_eq!(
            ApiError::not_found(&secrets, "x").to_string(),
            "secrets \"x\" not found"
        );
        assert_eq!(
            ApiError::already_exists(&deploys, "web").to_string(),
            "deployments.apps \"web\" already exists"
        );
        assert_eq!(
            ApiError::stale(&secrets, "sh.helm.release.v1.demo.v1").to_string(),
            "Operation cannot be fulfilled on secrets \"sh.helm.release.v1.demo.v1\": the object has been modified; please apply your changes to the latest version and try again"
        );
        let e = ApiError::not_found(&secrets, "x");
        assert_eq!(
            e.kubectl_text(),
            "Error from server (NotFound): secrets \"x\" not found\n"
        );
        let st = e.to_status();
        assert_eq!(st["code"], 404);
        assert_eq!(ApiError::from_status(&st), Some(e));
    }

    #[test]
    fn invalid_errors() {
        let errs = [FieldError::required("spec.template.spec.containers", "")];
        let e = ApiError::invalid("apps", "Deployment", "web", &errs);
        assert_eq!(
            e.message,
            "Deployment.apps \"web\" is invalid: spec.template.spec.containers: Required value"
        );
        assert_eq!(
            e.kubectl_text(),
            "The Deployment \"web\" is invalid: spec.template.spec.containers: Required value\n"
        );
        let two = [errs[0].clone(), FieldError::required("spec.selector", "")];
        assert_eq!(
            ApiError::invalid("apps", "Deployment", "web", &two).kubectl_text(),
            "The Deployment \"web\" is invalid: \n* spec.template.spec.containers: Required value\n* spec.selector: Required value\n"
        );
    }
}
