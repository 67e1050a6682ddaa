//! The speed machinery: how initnet computes fast what the book-facing modules define.
//!
//! [`Activation`](crate::Activation), [`Loss`](crate::Loss) and [`Mlp`](crate::Mlp) say
//! *what* is computed, in the book's symbols and one value at a time where the book does.
//! This module says *how*, over whole batches, and it never changes a result: every piece
//! below is tested bit for bit against the definition it speeds up. Here, and only here,
//! is why each piece exists and what it guarantees:
//!
//! - **`dispatch`**, CPU feature dispatch. A loop compiled for the x86-64 baseline uses
//!   two f64 lanes; the CPU may have four (AVX2) or eight (AVX-512F). `vectorized_fn!`
//!   compiles a function once per width and runs the widest the CPU has, below the cap
//!   of [`set_max_vector_level`]. *Guarantee:* the same bits at every width, because Rust
//!   never contracts `a * b + c` into a fused multiply-add and every loop fixes its order
//!   of summation. Its macro holds the only `unsafe` of the workspace, each call right
//!   after the check for the feature it needs.
//! - **`layout`**, column-major batches. The a^l, h^l and gradients of a pass are stored
//!   in ndarray's "F" order: each unit's values over the batch are contiguous, so the
//!   loops below run over long contiguous columns. The buffers are reused across the
//!   epochs of a run, so an epoch allocates only its record. *Guarantee:* indexing is
//!   unaffected (`trace.a(l)[[i, j]]` is sample i, unit j).
//! - **`elementwise`**, vector loops over slices: `math`'s exp, ln, tanh and sigmoid
//!   ([`tanh_slice`], ...), h = f(a) for the forward pass and g *= f'(a) for the
//!   backward pass (f' read off h for tanh and the sigmoid). *Guarantee:* the scalar
//!   function's bits, entry by entry: `Activation::apply` is `f` on every entry,
//!   `Activation::mul_derivative_given` is `g * derivative_given(a, h)`.
//! - **`products`**, the three products of a dense layer: a = h W^T + b, dW = da^T h with
//!   db, and dh = da W. Layers of at most [`SMALL_LAYER`] weights (the article's 2-2-4
//!   network, the guide's small nets) use direct loops, free of the setup cost of a
//!   general matrix product, which dominated at widths 2 and 4. *Guarantee:* the direct
//!   loops fix their order of summation (axpy is element-wise; dot and sum keep 16
//!   partial sums combined in a fixed tree), so their bits do not depend on the vector
//!   width. Larger layers go through `gemm`.
//! - **`gemm`**, the portable matrix product ([`matmul`], and [`dot`] for two vectors:
//!   what chapters use instead of ndarray's `dot`, which `clippy.toml` disallows): every element c_ij is one chain c = fma(a_ik, b_kj, c) over k in
//!   increasing order, started from 0; rows of C are vector lanes, register-blocked
//!   (16 x 4 accumulators) over panels of A and B packed for the cache, and large
//!   products split their columns over threads. *Guarantee:* the same bits as that naive
//!   chain, at every vector width, with any number of threads, on every CPU
//!   (`f64::mul_add` is correctly rounded everywhere).
//! - **`fused`**, the loss in one pass: softmax cross-entropy, its gradient and the
//!   accuracy, column by column, so that exp (once, for the loss and the gradient) and ln
//!   run vectorized over the batch. *Guarantee:* bit for bit log_sum_exp(z) - z_label,
//!   (softmax(z) - one_hot) / n and `Loss::predict` (the first maximum wins).
//! - **`threads`**, the one thread split: element-wise maps of at least
//!   [`PARALLEL_MIN_LEN`] entries (the CS231n stack's 1000 x 500 activations) run on up
//!   to 4 cores (`std::thread::scope`, no pool). *Guarantee:* each entry is computed
//!   alone, so the split changes no bit.
//!
//! What is *not* here: `math`'s scalar exp, ln and tanh are book-facing arithmetic, not
//! speed machinery. They exist so that the network gives the same bits on every platform
//! (the C library's functions round differently on glibc, musl and macOS), which is what
//! lets the book state results at the rounding level. That they are branch-free, and so
//! vectorize in the loops here, is a bonus.
//!
//! The test of each guarantee sits beside its piece; the test at the end of this file
//! trains whole networks at every vector width this CPU has and compares them bit for bit.
//!
//! ```
//! use initnet::kernels::{self, VectorLevel};
//! use initnet::math;
//!
//! let mut xs = [-1.0, 0.5, 3.0];
//! kernels::tanh_slice(&mut xs);
//! assert_eq!(xs, [math::tanh(-1.0), math::tanh(0.5), math::tanh(3.0)]);
//! assert!(kernels::max_vector_level() <= VectorLevel::Avx512);
//! ```

pub(crate) mod dispatch;
mod elementwise;
pub(crate) mod fused;
mod gemm;
mod layout;
mod products;
mod threads;

pub use dispatch::{VectorLevel, max_vector_level, set_max_vector_level};
pub use elementwise::{exp_slice, ln_slice, sigmoid_slice, tanh_slice};
pub use gemm::{dot, matmul};
pub use products::SMALL_LAYER;
pub use threads::PARALLEL_MIN_LEN;

pub(crate) use elementwise::{apply, mul_derivative};
pub(crate) use layout::{column_major, copy};
pub(crate) use products::{affine, back_prop, weight_grads};

#[cfg(test)]
mod tests {
    use super::dispatch::at_level;
    use crate::{Activation, Blobs, Init, Loss, MlpSpec, TrainConfig, train};

    /// The vectorized loops give the same bits at every instruction level this CPU has
    /// (baseline, AVX2, AVX-512F): a whole training run, with tanh and with the sigmoid,
    /// softmax and binary cross-entropy, full batch and mini-batch.
    #[test]
    fn every_vector_width_trains_the_same_bits() {
        let data = Blobs::new(203, 4).generate(3).unwrap();
        let binary: Vec<usize> = data.y.iter().map(|&y| y % 2).collect();
        let runs = [
            (Activation::Tanh, 4, Loss::SoftmaxCrossEntropy, None),
            (Activation::Sigmoid, 4, Loss::SoftmaxCrossEntropy, Some(50)),
            (Activation::Tanh, 1, Loss::BinaryCrossEntropy, None),
        ];
        for (act, outputs, loss, batch) in runs {
            let labels = if outputs == 1 { &binary } else { &data.y };
            let run = |level| {
                at_level(level, || {
                    let mut net = MlpSpec::new(&[2, 3, outputs], act, Init::xavier_normal())
                        .build(5)
                        .unwrap();
                    let mut cfg = TrainConfig::new(0.5, 60).loss(loss);
                    if let Some(size) = batch {
                        cfg = cfg.mini_batch(size, 1);
                    }
                    let h = train(&mut net, &data.x, labels, &cfg).unwrap();
                    let bits: Vec<u64> = h
                        .records
                        .iter()
                        .flat_map(|r| [r.loss, r.accuracy].into_iter().chain(r.grad_norms.clone()))
                        .chain(
                            net.layers
                                .iter()
                                .flat_map(|d| d.w.iter().chain(&d.b).copied()),
                        )
                        .map(f64::to_bits)
                        .collect();
                    bits
                })
            };
            let widest = run(2);
            assert_eq!(run(1), widest, "{act} AVX2");
            assert_eq!(run(0), widest, "{act} baseline");
        }
    }
}
