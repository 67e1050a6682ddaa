//! The one thread split of initnet: large element-wise maps run on several cores
//! (`std::thread::scope`, no thread pool).

use std::sync::OnceLock;

/// [`Activation::apply`](crate::Activation::apply) maps arrays with at least this many
/// entries on several threads.
pub const PARALLEL_MIN_LEN: usize = 1 << 16;

/// The number of threads for large element-wise maps and large products: the available
/// cores, at most 4.
pub(crate) fn count() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4)
    })
}

/// Run `op` on `data`: on the whole slice, or, from [`PARALLEL_MIN_LEN`] entries on and
/// with more than one core, on equal consecutive parts, one per thread. `op` must treat
/// each entry alone (an element-wise map), so the result is the same bit for bit.
pub(crate) fn for_each_part(data: &mut [f64], op: impl Fn(&mut [f64]) + Sync) {
    let threads = count();
    if data.len() < PARALLEL_MIN_LEN || threads <= 1 {
        op(data);
        return;
    }
    let chunk = data.len().div_ceil(threads);
    let mut parts = data.chunks_mut(chunk);
    let first = parts.next();
    let op = &op;
    std::thread::scope(|scope| {
        for part in parts {
            scope.spawn(move || op(part));
        }
        if let Some(part) = first {
            op(part);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::tests::ALL;

    #[test]
    fn parallel_apply_is_the_sequential_map_bit_for_bit() {
        let n = PARALLEL_MIN_LEN + 7;
        let a = ndarray::Array2::from_shape_fn((n / 7 + 1, 7), |(i, j)| {
            crate::math::sin((i * 7 + j) as f64 * 0.37) * 4.0
        });
        let transposed = a.t().to_owned();
        for act in ALL {
            for x in [&a, &transposed] {
                let parallel = act.apply(x);
                let sequential = x.mapv(|v| act.f(v));
                assert_eq!(parallel.dim(), sequential.dim());
                assert!(
                    parallel
                        .iter()
                        .zip(&sequential)
                        .all(|(p, q)| p.to_bits() == q.to_bits()),
                    "{act}"
                );
            }
        }
    }
}
