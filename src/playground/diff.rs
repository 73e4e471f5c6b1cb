//! Line diffs (Myers' O(ND) algorithm, as `diff` and git use): the edits that turn one text into
//! another, as hunks that apply exactly (line endings included). The share codec stores a chart
//! derived from an example as these hunks, which is what keeps its links short.

/// One change: replace `old_len` lines starting at line `old_start` (0-based, in the old text)
/// by `new_lines` (each with its line ending, as in the new text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub old_start: usize,
    pub old_len: usize,
    pub new_lines: Vec<String>,
}

/// Beyond this many differing lines Myers' search stops and one hunk covers the changed middle.
const MAX_EDIT_DISTANCE: usize = 1_000;

/// Splits text into lines, each keeping its `\n` (the last may have none).
pub fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The hunks that turn `old` into `new`, in order, not overlapping.
pub fn diff(old: &str, new: &str) -> Vec<Hunk> {
    let a = lines(old);
    let b = lines(new);
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let a_mid = &a[prefix..a.len() - suffix];
    let b_mid = &b[prefix..b.len() - suffix];
    if a_mid.is_empty() && b_mid.is_empty() {
        return Vec::new();
    }
    let ops = myers(a_mid, b_mid).unwrap_or_else(|| {
        // too different: one replacement of the whole middle
        let mut ops = vec![Op::Delete; a_mid.len()];
        ops.extend(std::iter::repeat_n(Op::Insert, b_mid.len()));
        ops
    });
    let mut hunks: Vec<Hunk> = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    let mut current: Option<Hunk> = None;
    for op in ops {
        match op {
            Op::Equal => {
                if let Some(h) = current.take() {
                    hunks.push(h);
                }
                i += 1;
                j += 1;
            }
            Op::Delete => {
                current
                    .get_or_insert_with(|| Hunk {
                        old_start: prefix + i,
                        old_len: 0,
                        new_lines: Vec::new(),
                    })
                    .old_len += 1;
                i += 1;
            }
            Op::Insert => {
                current
                    .get_or_insert_with(|| Hunk {
                        old_start: prefix + i,
                        old_len: 0,
                        new_lines: Vec::new(),
                    })
                    .new_lines
                    .push(b_mid[j].to_string());
                j += 1;
            }
        }
    }
    if let Some(h) = current {
        hunks.push(h);
    }
    hunks
}

/// Applies hunks (from [`diff`], or decoded from a link) to `old`. Hunks out of order,
/// overlapping or past the end are an error, never a panic.
pub fn apply(old: &str, hunks: &[Hunk]) -> Result<String, String> {
    let a = lines(old);
    let mut out = String::with_capacity(old.len());
    let mut at = 0usize;
    for h in hunks {
        let end = h
            .old_start
            .checked_add(h.old_len)
            .filter(|&e| h.old_start >= at && e <= a.len())
            .ok_or_else(|| {
                format!(
                    "a change at line {} does not fit the {}-line original",
                    h.old_start.saturating_add(1),
                    a.len()
                )
            })?;
        for l in &a[at..h.old_start] {
            out.push_str(l);
        }
        for l in &h.new_lines {
            out.push_str(l);
        }
        at = end;
    }
    for l in &a[at..] {
        out.push_str(l);
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Equal,
    Delete,
    Insert,
}

/// Myers' greedy shortest edit script; `None` when more than [`MAX_EDIT_DISTANCE`] edits.
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let n = a.len() as isize;
    let m = b.len() as isize;
    let max = ((n + m) as usize).min(MAX_EDIT_DISTANCE) as isize;
    let offset = max + 1;
    let width = (2 * max + 3) as usize;
    let mut v = vec![0isize; width];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    for d in 0..=max {
        // the frontier before step d, for diagonals -(d+1)..=d+1 (all backtracking reads)
        trace.push(v[(offset - d - 1) as usize..=(offset + d + 1) as usize].to_vec());
        let mut k = -d;
        while k <= d {
            let idx = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                return Some(backtrack(&trace, n, m));
            }
            k += 2;
        }
    }
    None
}

/// Walks the saved frontiers back from the end: each step is the snake (equal lines) that
/// followed an edit, then the edit itself.
fn backtrack(trace: &[Vec<isize>], n: isize, m: isize) -> Vec<Op> {
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..trace.len() as isize).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let at = |k: isize| v[(k + d + 1) as usize];
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Equal);
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            ops.push(if x == prev_x { Op::Insert } else { Op::Delete });
        }
        x = prev_x;
        y = prev_y;
    }
    ops.reverse();
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(a: &str, b: &str) -> Vec<Hunk> {
        let h = diff(a, b);
        assert_eq!(apply(a, &h).as_deref(), Ok(b), "{a:?} -> {b:?} via {h:?}");
        h
    }

    #[test]
    fn one_changed_line_is_one_small_hunk() {
        let a = "a: 1\nb: 2\nc: 3\n";
        let b = "a: 1\nb: 5\nc: 3\n";
        assert_eq!(
            round_trip(a, b),
            vec![Hunk {
                old_start: 1,
                old_len: 1,
                new_lines: vec!["b: 5\n".into()]
            }]
        );
    }

    #[test]
    fn round_trips() {
        let cases = [
            ("", ""),
            ("", "x"),
            ("x", ""),
            ("a\nb\n", "a\nb"),
            ("a\nb", "a\nb\n"),
            ("a\nb\nc\nd\ne\n", "b\nc\nx\nd\n"),
            ("1\n2\n3\n4\n5\n6\n7\n8\n", "0\n1\n2\n9\n4\n5\n7\n8\n10\n"),
            ("same\nsame\nsame\n", "same\nother\nsame\nsame\n"),
            ("x\ny\nz\n", "z\ny\nx\n"),
        ];
        for (a, b) in cases {
            round_trip(a, b);
            round_trip(b, a);
        }
    }

    #[test]
    fn distant_edits_are_separate_hunks() {
        let a: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let b = a.replace("line 3\n", "LINE 3\n").replace("line 90\n", "");
        let h = round_trip(&a, &b);
        assert_eq!(h.len(), 2);
        assert_eq!((h[0].old_start, h[0].old_len), (3, 1));
        assert_eq!(
            (h[1].old_start, h[1].old_len, h[1].new_lines.len()),
            (90, 1, 0)
        );
    }

    #[test]
    fn pseudo_random_round_trips() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..200 {
            let mk = |next: &mut dyn FnMut() -> usize| -> String {
                let n = next() % 30;
                (0..n).map(|_| format!("{}\n", next() % 5)).collect()
            };
            let a = mk(&mut next);
            let b = mk(&mut next);
            round_trip(&a, &b);
        }
    }

    #[test]
    fn hostile_hunks_are_errors() {
        let h = |s, l| Hunk {
            old_start: s,
            old_len: l,
            new_lines: vec![],
        };
        assert!(apply("a\n", &[h(5, 0)]).is_err());
        assert!(apply("a\nb\n", &[h(1, 1), h(0, 1)]).is_err());
        assert!(apply("a\n", &[h(usize::MAX, 2)]).is_err());
        assert!(apply("a\n", &[h(0, usize::MAX)]).is_err());
    }

    #[test]
    fn very_different_texts_still_round_trip() {
        let a: String = (0..5000).map(|i| format!("{i}\n")).collect();
        let b: String = (0..5000).map(|i| format!("x{i}\n")).collect();
        let h = round_trip(&a, &b);
        assert_eq!(h.len(), 1);
    }
}
