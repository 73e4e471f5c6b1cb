//! Helm's release list helpers (pkg/release/v1/util sorter.go, filter.go).

use super::model::Release;
use crate::engine::sort::SliceSort;

/// `SortByRevision`: ascending revision.
pub fn sort_by_revision(list: &mut [Release]) {
    list.sort_stable_by_key(|r| r.version);
}

/// `SortByName`: lexical by name. Go's `sort.Slice` is not stable; ties (the same name in two
/// namespaces) keep their input order here.
pub fn sort_by_name(list: &mut [Release]) {
    list.sort_stable_by(|a, b| a.name.cmp(&b.name));
}

/// `SortByDate`: by last-deployed Unix second, then name.
pub fn sort_by_date(list: &mut [Release]) {
    let secs = |r: &Release| {
        r.info
            .as_ref()
            .map(|i| i.last_deployed.secs)
            .unwrap_or(i64::MIN)
    };
    list.sort_stable_by(|a, b| secs(a).cmp(&secs(b)).then_with(|| a.name.cmp(&b.name)));
}

/// `Reverse(list, sortFn)`.
pub fn reverse(list: &mut [Release], sort: fn(&mut [Release])) {
    sort(list);
    list.reverse();
}
