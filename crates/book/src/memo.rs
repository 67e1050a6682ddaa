//! How a chapter's costly studies are made fast without changing a bit of their results.
//!
//! - **Once per process.** A chapter's figures, the outputs under its code blocks and its
//!   claims run the same studies with the same settings, in one process: `cargo xtask
//!   figures` draws the figures and runs the printing blocks together, and the chapter's
//!   claims test checks the committed figures and outputs beside its claims. Every study
//!   is a pure function of its settings and seeds, so a second call with equal arguments
//!   may return a copy of the first call's result: [`Memo::get_or_run`] does, and a call
//!   with other arguments runs the study. A thread that asks for a key another thread is
//!   computing waits for that result instead of computing it again. Nothing is written to
//!   disk; a new process (a doctest, a notebook cell) starts empty.
//! - **Seeds on every core.** The runs of different seeds share nothing, so [`per_seed`]
//!   (and [`per_item`], for any list of independent jobs) shares them out over the
//!   available cores and returns their results in the order of the list: the same values,
//!   bit for bit, as one loop over it.
//!
//! ```
//! use book::memo::{Memo, per_seed};
//!
//! static SQUARES: Memo<u64, Vec<u64>> = Memo::new();
//! let study = |n: u64| {
//!     SQUARES.get_or_run(n, || per_seed(&[1, 2, 3], |s| Ok::<_, book::Error>(s * n)))
//! };
//! assert_eq!(study(10)?, vec![10, 20, 30]);
//! assert_eq!(study(10)?, vec![10, 20, 30]); // the stored copy
//! # Ok::<(), book::Error>(())
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// One key's result: empty until a run of it succeeds.
type Slot<V> = Arc<Mutex<Option<V>>>;

/// Results by key, kept for the life of the process.
pub struct Memo<K, V> {
    entries: Mutex<Vec<(K, Slot<V>)>>,
}

impl<K: PartialEq, V: Clone> Memo<K, V> {
    /// An empty memo (usable in a `static`).
    pub const fn new() -> Self {
        Memo {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The result stored for `key`, or `run()`'s, stored if it is `Ok` (an error, of any
    /// type, is returned and not stored). While one thread runs a key, another asking for
    /// the same key waits for it and gets a copy; different keys run at the same time.
    pub fn get_or_run<E>(&self, key: K, run: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        let slot = {
            let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
            match entries.iter().find(|(k, _)| *k == key) {
                Some((_, slot)) => Arc::clone(slot),
                None => {
                    let slot = Slot::default();
                    entries.push((key, Arc::clone(&slot)));
                    slot
                }
            }
        };
        // A run that panicked leaves its slot empty (and poisoned): run it again.
        let mut value = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(v) = value.as_ref() {
            return Ok(v.clone());
        }
        let v = run()?;
        *value = Some(v.clone());
        Ok(v)
    }
}

impl<K: PartialEq, V: Clone> Default for Memo<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

/// `run(item)` for every item, in their order, computed on up to as many threads as there
/// are cores: each thread takes the next item not yet taken. The first error, in the
/// order of the items, is returned (of any error type, as [`Memo::get_or_run`]).
pub fn per_item<S: Sync, T: Send, E: Send>(
    items: &[S],
    run: impl Fn(&S) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
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
    let mut results: Vec<(usize, Result<T, E>)> = std::thread::scope(|scope| {
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

/// `run(seed)` for every seed, in the order of `seeds`, on every core ([`per_item`]).
pub fn per_seed<T: Send, E: Send>(
    seeds: &[u64],
    run: impl Fn(u64) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    per_item(seeds, |&s| run(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn per_seed_keeps_the_order_and_the_first_error() {
        let seeds: Vec<u64> = (0..9).collect();
        let squares = per_seed(&seeds, |s| Ok::<_, Error>(s * s)).unwrap();
        assert_eq!(squares, seeds.iter().map(|s| s * s).collect::<Vec<_>>());
        let failed = per_seed(&seeds, |s| {
            if s >= 4 {
                Err(Error::Zero(if s == 4 { "four" } else { "later" }))
            } else {
                Ok(s)
            }
        });
        assert_eq!(failed, Err(Error::Zero("four")));
    }

    #[test]
    fn a_key_runs_once_even_when_asked_for_at_once() {
        let memo: Memo<u8, u64> = Memo::new();
        let runs = AtomicUsize::new(0);
        let ask = || {
            memo.get_or_run(7, || {
                runs.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(50));
                Ok::<_, Error>(49)
            })
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(ask);
            let b = s.spawn(ask);
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!((a, b), (Ok(49), Ok(49)));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        // An error is returned and not stored: the next call runs again.
        assert_eq!(
            memo.get_or_run(8, || Err(Error::Zero("no"))),
            Err(Error::Zero("no"))
        );
        assert_eq!(memo.get_or_run(8, || Ok::<_, Error>(64)), Ok(64));
    }
}
