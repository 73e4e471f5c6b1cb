//! The little markup of lesson texts (a subset of Markdown): paragraphs separated by blank
//! lines, ```` ``` ```` fenced blocks, `- ` list items, and inline `` `code` `` and `**bold**`.
//! Anything else is plain text, so a stray character never breaks a lesson.

/// A run of inline text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Bold(String),
}

/// A block of a lesson text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Para(Vec<Inline>),
    /// A fenced block's lines (the fence's info string dropped).
    Code(String),
    List(Vec<Vec<Inline>>),
}

/// Splits inline markup. An unclosed `` ` `` or `**` is kept as text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`') {
            if let Some(end) = after.find('`') {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(Inline::Code(after[..end].to_string()));
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("**") {
            if let Some(end) = after.find("**") {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(Inline::Bold(after[..end].to_string()));
                rest = &after[end + 2..];
                continue;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            plain.push(c);
        }
        rest = chars.as_str();
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// Splits a text into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    fn flush(out: &mut Vec<Block>, para: &mut Vec<&str>, items: &mut Vec<String>) {
        if !para.is_empty() {
            out.push(Block::Para(inlines(&para.join(" "))));
            para.clear();
        }
        if !items.is_empty() {
            out.push(Block::List(items.iter().map(|i| inlines(i)).collect()));
            items.clear();
        }
    }
    for line in text.lines() {
        if let Some(lines) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                out.push(Block::Code(lines.join("\n")));
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        let t = line.trim();
        if t.starts_with("```") {
            flush(&mut out, &mut para, &mut items);
            code = Some(Vec::new());
        } else if t.is_empty() {
            flush(&mut out, &mut para, &mut items);
        } else if let Some(item) = t.strip_prefix("- ") {
            if !para.is_empty() {
                out.push(Block::Para(inlines(&para.join(" "))));
                para.clear();
            }
            items.push(item.to_string());
        } else if !items.is_empty() && line.starts_with("  ") {
            // a list item's continuation line
            if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
        } else {
            if !items.is_empty() {
                out.push(Block::List(items.iter().map(|i| inlines(i)).collect()));
                items.clear();
            }
            para.push(t);
        }
    }
    if let Some(lines) = code {
        out.push(Block::Code(lines.join("\n")));
    }
    flush(&mut out, &mut para, &mut items);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_code() {
        let b = blocks(
            "Run `helm ls`, then\nlook **twice**.\n\n- one\n- two `x`\n  more\n\n```bash\nhelm ls\n  indented\n```\nafter",
        );
        assert_eq!(
            b,
            vec![
                Block::Para(vec![
                    Inline::Text("Run ".into()),
                    Inline::Code("helm ls".into()),
                    Inline::Text(", then look ".into()),
                    Inline::Bold("twice".into()),
                    Inline::Text(".".into()),
                ]),
                Block::List(vec![
                    vec![Inline::Text("one".into())],
                    vec![
                        Inline::Text("two ".into()),
                        Inline::Code("x".into()),
                        Inline::Text(" more".into())
                    ],
                ]),
                Block::Code("helm ls\n  indented".into()),
                Block::Para(vec![Inline::Text("after".into())]),
            ]
        );
    }

    #[test]
    fn unclosed_markup_is_text() {
        assert_eq!(inlines("a `b **c"), vec![Inline::Text("a `b **c".into())]);
        assert_eq!(blocks("```\nopen"), vec![Block::Code("open".into())]);
        assert!(blocks("").is_empty());
    }
}
