//! How the chapter's costly studies are made fast without changing a bit of their results
//! (the same two devices as the He chapter's).
//!
//! - **Once per process.** The figures, the outputs under the code blocks and the claims
//!   test run the same studies with the same settings. Every study is a pure function of
//!   its settings and seeds, so [`Memo::get_or_run`] returns a copy of an earlier call's
//!   result for equal arguments, and runs the study for other arguments. Nothing is
//!   written to disk; a new process (a doctest, a notebook cell) starts empty.
//! - **Seeds on every core.** The runs of different seeds share nothing, so [`per_seed`]
//!   shares them out over the available cores and returns their results in the order of
//!   the seeds: the same values, bit for bit, as one loop over the seeds.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::Error;

/// Results by key, kept for the life of the process.
pub(crate) struct Memo<K, V> {
    entries: Mutex<Vec<(K, V)>>,
}

impl<K: PartialEq, V: Clone> Memo<K, V> {
    pub(crate) const fn new() -> Self {
        Memo {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The stored value for `key`, or `run()`'s, stored if it is `Ok`.
    pub(crate) fn get_or_run(
        &self,
        key: K,
        run: impl FnOnce() -> Result<V, Error>,
    ) -> Result<V, Error> {
        if let Some(v) = self.find(&key) {
            return Ok(v);
        }
        let v = run()?;
        if let Ok(mut entries) = self.entries.lock()
            && !entries.iter().any(|(k, _)| *k == key)
        {
            entries.push((key, v.clone()));
        }
        Ok(v)
    }

    fn find(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// `run(item)` for every item, in their order, computed on up to as many threads as there
/// are cores: each thread takes the next item not yet taken. The first error, in the
/// order of the items, is returned.
pub(crate) fn per_seed<S: Sync, T: Send>(
    items: &[S],
    run: impl Fn(&S) -> Result<T, Error> + Sync,
) -> Result<Vec<T>, Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(&run).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, run(item)));
        }
    };
    let mut results: Vec<(usize, Result<T, Error>)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for helper in helpers {
            match helper.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_seed_keeps_the_order_and_the_first_error() {
        let items: Vec<u64> = (0..9).collect();
        let out = per_seed(&items, |&s| Ok(s * s)).unwrap();
        assert_eq!(out, items.iter().map(|s| s * s).collect::<Vec<_>>());
        let err = per_seed(&items, |&s| {
            if s >= 4 {
                Err(Error::Zero(if s == 4 { "four" } else { "later" }))
            } else {
                Ok(s)
            }
        });
        assert_eq!(err, Err(Error::Zero("four")));
    }

    #[test]
    fn a_key_runs_once_and_errors_are_not_stored() {
        let memo: Memo<u32, u32> = Memo::new();
        let mut runs = 0;
        for _ in 0..3 {
            let v = memo
                .get_or_run(7, || {
                    runs += 1;
                    Ok(49)
                })
                .unwrap();
            assert_eq!(v, 49);
        }
        assert_eq!(runs, 1);
        assert!(memo.get_or_run(8, || Err(Error::NoSeeds)).is_err());
        assert_eq!(memo.get_or_run(8, || Ok(64)).unwrap(), 64);
    }
}
