//! Stable sorting for the whole crate, in the shape of Go's `sort.SliceStable(x, less)`: one
//! sorting routine whatever the element type and the ordering.
//!
//! Rust's `sort_by` is generic over the element type *and* the comparison closure, so every call
//! site compiles its own copy of the sorting algorithm (several KB of wasm each; ~100 KB on the
//! page before this module existed). In the browser, [`SliceSort`] therefore sorts a list of
//! indices with one non-generic routine and then moves the elements into place; natively, where
//! size does not matter, it is the standard library's stable sort. Both are stable and give the
//! same order, which the tests below check against each other.

use std::cmp::Ordering;

/// Stable sorts on slices (and, through `Deref`, on `Vec`s). Equal elements keep their order.
pub trait SliceSort<T> {
    /// Sorts by `Ord`, like `slice::sort`.
    fn sort_stable(&mut self)
    where
        T: Ord;
    /// Sorts by a comparison, like `slice::sort_by`.
    fn sort_stable_by(&mut self, cmp: impl FnMut(&T, &T) -> Ordering);
    /// Sorts by a key, like `slice::sort_by_key`.
    fn sort_stable_by_key<K: Ord>(&mut self, key: impl FnMut(&T) -> K);
}

impl<T> SliceSort<T> for [T] {
    fn sort_stable(&mut self)
    where
        T: Ord,
    {
        self.sort_stable_by(T::cmp)
    }

    fn sort_stable_by(&mut self, cmp: impl FnMut(&T, &T) -> Ordering) {
        #[cfg(target_arch = "wasm32")]
        by_indices(self, cmp);
        #[cfg(not(target_arch = "wasm32"))]
        self.sort_by(cmp);
    }

    fn sort_stable_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.sort_stable_by(|a, b| key(a).cmp(&key(b)))
    }
}

/// Sorts `v` stably by `cmp` with the one shared index sort, then permutes `v` in place.
#[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
fn by_indices<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    {
        let items: &[T] = v;
        sort_indices(&mut order, &mut |a, b| cmp(&items[a], &items[b]));
    }
    permute(v, &mut order);
}

/// The only instance of the standard library's sort that this module compiles.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Puts `v[order[i]]` at position `i` for every `i`, following each cycle of the permutation
/// with swaps. `order` is used up (each visited slot is set to its own index).
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the comparison covers many shapes of input.
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn index_sort_equals_the_standard_stable_sort() {
        let mut seed = 7;
        for len in [0usize, 1, 2, 3, 7, 20, 21, 64, 257, 1000] {
            for _ in 0..8 {
                // (key, original position): ties on the key show whether the sort is stable
                let input: Vec<(u64, usize)> = (0..len).map(|i| (lcg(&mut seed) % 5, i)).collect();
                let mut expected = input.clone();
                expected.sort_by_key(|p| p.0);
                let mut got = input.clone();
                by_indices(&mut got, |a, b| a.0.cmp(&b.0));
                assert_eq!(got, expected, "len {len}");
                let mut via_trait = input;
                via_trait.sort_stable_by_key(|p| p.0);
                assert_eq!(via_trait, expected, "len {len}");
            }
        }
    }

    #[test]
    fn strings_sort_like_slice_sort() {
        let mut v: Vec<String> = ["b", "a", "c", "a", "B"].map(String::from).to_vec();
        let mut w = v.clone();
        v.sort_stable();
        w.sort();
        assert_eq!(v, w);
        let mut x = vec!["b".to_string(), "a".to_string(), "c".to_string()];
        by_indices(&mut x, |a, b| b.cmp(a));
        assert_eq!(x, ["c", "b", "a"]);
    }
}
