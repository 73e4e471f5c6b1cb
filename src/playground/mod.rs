//! The app's document and its state machine (State/Action/reduce), share codec, examples.

/// Renders one template with values given as YAML, for the placeholder page.
/// Until the engine lands this returns the template text unchanged.
pub fn preview_render(template: &str, values_yaml: &str) -> Result<String, String> {
    let _ = values_yaml;
    Ok(template.to_string())
}
