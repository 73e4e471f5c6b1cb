//! Results remembered by the text they were computed from: Helm decodes values.yaml and every
//! rendered document afresh on each `helm template`; a playground that re-renders on every
//! keystroke sees mostly the same texts again, and a pure function of a text may return what it
//! returned before. Bounded by entries and by bytes of remembered text.

use rustc_hash::FxHashMap;

/// Entries kept before the memo starts over.
const MAX_ENTRIES: usize = 1024;
/// Bytes of remembered text kept before the memo starts over.
const MAX_BYTES: usize = 8 << 20;
/// Texts longer than this are never remembered (one would take a large part of the budget).
const MAX_TEXT: usize = 256 << 10;

/// A memo of `text → V` for one pure function of the text.
pub struct TextMemo<V> {
    map: FxHashMap<String, V>,
    bytes: usize,
}

impl<V: Clone> Default for TextMemo<V> {
    fn default() -> Self {
        TextMemo {
            map: FxHashMap::default(),
            bytes: 0,
        }
    }
}

impl<V: Clone> TextMemo<V> {
    /// What `f(text)` returned for this text before, or `f(text)` (then remembered).
    pub fn get_or(&mut self, text: &str, f: impl FnOnce(&str) -> V) -> V {
        if let Some(v) = self.map.get(text) {
            return v.clone();
        }
        let v = f(text);
        if text.len() <= MAX_TEXT {
            if self.map.len() >= MAX_ENTRIES || self.bytes + text.len() > MAX_BYTES {
                self.map.clear();
                self.bytes = 0;
            }
            self.bytes += text.len();
            self.map.insert(text.to_string(), v.clone());
        }
        v
    }

    /// Entries remembered.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_text_and_stays_bounded() {
        let mut m: TextMemo<usize> = TextMemo::default();
        let mut calls = 0;
        for _ in 0..3 {
            let v = m.get_or("abc", |t| {
                calls += 1;
                t.len()
            });
            assert_eq!(v, 3);
        }
        assert_eq!(calls, 1);
        for i in 0..(MAX_ENTRIES + 10) {
            m.get_or(&i.to_string(), str::len);
        }
        assert!(m.len() <= MAX_ENTRIES);
        let big = "x".repeat(MAX_TEXT + 1);
        assert_eq!(m.get_or(&big, str::len), MAX_TEXT + 1);
        assert!(!m.map.contains_key(&big));
    }
}
