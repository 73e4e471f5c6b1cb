//! JSON as Go's encoding/json reads and writes engine values (`json.Marshal`,
//! `json.MarshalIndent`, `json.Unmarshal`), plus serde_json conversions for later layers.

mod decode;
mod encode;
pub(crate) mod number;
mod serde;

pub use decode::{check_valid_text, parse, unmarshal, Decoded, Target};
pub use encode::{to_json, to_json_indent, write_string};
pub use number::{format_g, format_json};
pub use serde::{from_serde, to_serde};
