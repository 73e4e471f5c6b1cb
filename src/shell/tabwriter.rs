//! Go's `text/tabwriter` (elastic tabstops) with any settings: cells end at tabs, a column's
//! width is its widest cell in a block of consecutive lines that have that column, the last
//! cell of a line takes no part, and a line without tabs ends the block (Go flushes there).
//! kubectl describe uses `(minwidth 0, tabwidth 8, padding 2, ' ', 0)`, helm's tables
//! `(0, 8, 1, ' ', 0)` via gosuri/uitable-like formatting elsewhere.

/// The settings of `tabwriter.NewWriter(out, minwidth, tabwidth, padding, padchar, flags)`
/// with a space pad character and no flags.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub minwidth: usize,
    pub padding: usize,
}

/// Formats `text` as a Go tabwriter with `settings` would (after `Flush`).
pub fn format(text: &str, settings: Settings) -> String {
    let mut out = String::new();
    // split into blocks at lines with a single cell (Go flushes after them)
    let mut lines: Vec<Vec<&str>> = Vec::new();
    let all: Vec<&str> = text.split('\n').collect();
    let n = all.len();
    for (i, l) in all.into_iter().enumerate() {
        let cells: Vec<&str> = l.split('\t').collect();
        let single = cells.len() == 1;
        lines.push(cells);
        let last = i + 1 == n;
        if single || last {
            // the final (unterminated) line has no newline after it
            format_block(&lines, settings, &mut out, !last);
            lines.clear();
        }
    }
    out
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn format_block(lines: &[Vec<&str>], s: Settings, out: &mut String, trailing_newline: bool) {
    let mut widths: Vec<usize> = Vec::new();
    let mut rendered: Vec<String> = vec![String::new(); lines.len()];
    fmt_rec(lines, 0, lines.len(), &mut widths, s, &mut rendered);
    for (i, r) in rendered.iter().enumerate() {
        out.push_str(r);
        if i + 1 < lines.len() || trailing_newline {
            out.push('\n');
        }
    }
}

/// Go's `format`: finds column blocks recursively and renders the lines of `line0..line1`.
fn fmt_rec(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    s: Settings,
    rendered: &mut [String],
) {
    let column = widths.len();
    let mut l0 = line0;
    let mut this = line0;
    while this < line1 {
        let line = &lines[this];
        if column + 1 >= line.len() {
            this += 1;
            continue;
        }
        write_lines(lines, l0, this, widths, rendered);
        l0 = this;
        let mut w = s.minwidth;
        while this < line1 {
            let line = &lines[this];
            if column + 1 >= line.len() {
                break;
            }
            let cw = width(line[column]) + s.padding;
            if cw > w {
                w = cw;
            }
            this += 1;
        }
        widths.push(w);
        fmt_rec(lines, l0, this, widths, s, rendered);
        widths.pop();
        l0 = this;
    }
    write_lines(lines, l0, line1, widths, rendered);
}

fn write_lines(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &[usize],
    rendered: &mut [String],
) {
    for i in line0..line1 {
        if !rendered[i].is_empty() {
            continue;
        }
        let mut r = String::new();
        let line = &lines[i];
        for (j, c) in line.iter().enumerate() {
            r.push_str(c);
            if j < widths.len() && j + 1 < line.len() {
                let pad = widths[j].saturating_sub(width(c));
                for _ in 0..pad {
                    r.push(' ');
                }
            }
        }
        // keep an empty line distinguishable from "not yet written"
        if r.is_empty() {
            r.push('\u{0}');
        }
        rendered[i] = r;
    }
}

/// [`format`] with the empty-line marker removed.
pub fn tabwrite(text: &str, settings: Settings) -> String {
    format(text, settings).replace('\u{0}', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESCRIBE: Settings = Settings {
        minwidth: 0,
        padding: 2,
    };

    #[test]
    fn elastic_columns_like_go() {
        assert_eq!(
            tabwrite("Name:\tx\nNamespace:\tdefault\n", DESCRIBE),
            "Name:       x\nNamespace:  default\n"
        );
        // a line without tabs ends the block
        assert_eq!(
            tabwrite("A:\t1\nplain\nLonger:\t2\n", DESCRIBE),
            "A:  1\nplain\nLonger:  2\n"
        );
        // the last cell does not widen the column
        assert_eq!(
            tabwrite("a\tb\tc\naaaa\tb\n", DESCRIBE),
            "a     b  c\naaaa  b\n"
        );
        assert_eq!(tabwrite("x\n\ny\n", DESCRIBE), "x\n\ny\n");
    }
}
