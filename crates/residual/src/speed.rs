//! How the chapter's costly studies are made fast without changing a bit of their results.
//!
//! - **Once per process.** The chapter's figures, the outputs under its code blocks and its
//!   claims test run the same experiments with the same settings, and `cargo xtask
//!   figures` draws the figures and runs the printing blocks in one process. Every
//!   experiment is a pure function of its settings and seeds, so a second call with equal
//!   arguments may return a copy of the first call's result: [`Memo::get_or_run`] does,
//!   and a call with other arguments runs the experiment. Nothing is written to disk; a
//!   new process (a doctest, a notebook cell) starts empty.
//! - **Seeds on every core.** The runs of different seeds share nothing, so [`per_seed`]
//!   shares them out over the available cores and returns their results in the order of
//!   the seeds: the same values, bit for bit, as one loop over the seeds.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use book::Error;

/// Results by key, kept for the life of the process.
pub(crate) struct Memo<K, V> {
    entries: Mutex<Vec<(K, V)>>,
}

impl<K: PartialEq, V: Clone> Memo<K, V> {
    /// An empty memo (usable in a `static`).
    pub(crate) const fn new() -> Self {
        Memo {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The result stored for `key`, or `run()`'s, stored if it is `Ok`. The lock is not
    /// held while `run` works, so two threads asking for the same key at once may both
    /// run it (and get the same result: the experiments are deterministic).
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

/// `run(seed)` for every seed, in the order of `seeds`, computed on up to as many threads
/// as there are cores: each thread takes the next seed not yet taken. The first error, in
/// the order of the seeds, is returned.
pub(crate) fn per_seed<T: Send>(
    seeds: &[u64],
    run: impl Fn(u64) -> Result<T, Error> + Sync,
) -> Result<Vec<T>, Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(seeds.len());
    if threads <= 1 {
        return seeds.iter().map(|&s| run(s)).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&seed) = seeds.get(i) else {
                return done;
            };
            done.push((i, run(seed)));
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
        assert_eq!(
            memo.get_or_run(8, || Err(Error::NoSeeds)),
            Err(Error::NoSeeds)
        );
        assert_eq!(memo.get_or_run(8, || Ok(64)), Ok(64));
    }

    #[test]
    fn seeds_come_back_in_order_with_the_first_error() {
        let seeds: Vec<u64> = (0..37).rev().collect();
        let squares = per_seed(&seeds, |s| Ok(s * s)).unwrap();
        assert_eq!(squares, seeds.iter().map(|s| s * s).collect::<Vec<_>>());
        let failed = per_seed(&seeds, |s| {
            if s % 10 == 3 {
                Err(Error::Zero(if s == 33 { "first" } else { "later" }))
            } else {
                Ok(s)
            }
        });
        assert_eq!(failed, Err(Error::Zero("first")));
        assert_eq!(per_seed(&[], Ok), Ok(vec![]));
    }
}
