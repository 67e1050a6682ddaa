//! The portable matrix product: C = A B where every element is one chain of fused
//! multiply-adds in increasing k,
//!
//! ```text
//! c_ij = fma(a_i,k-1, b_k-1,j, ... fma(a_i1, b_1j, fma(a_i0, b_0j, 0)) ...)
//! ```
//!
//! whatever the CPU, the vector width and the thread split. `f64::mul_add` is correctly
//! rounded by IEEE 754 on every platform (one instruction where the CPU has FMA, the C
//! library's `fma`, exact too, where it has not), so the result is the same bits
//! everywhere. Only the speed comes from the machinery: the rows of C are computed
//! [`MR`] at a time as independent vector lanes, in register blocks of [`MR`] x [`NR`]
//! accumulators, over panels of A and B packed for the cache ([`KC`] deep, [`MC`] rows),
//! and large products split their columns over threads. A block of k that is not the
//! first continues each chain from the value the previous block stored in C (a store and
//! a load change no bit), so the order of every chain is k = 0, 1, 2, ...

use ndarray::{Array2, ArrayBase, ArrayView2, Data, Ix1, Ix2, ShapeBuilder};

use super::dispatch::vectorized_fn;

/// Rows of C per register block: the vector lanes (8 per AVX-512 register, 4 per AVX2
/// register, 2 with SSE2).
const MR: usize = 16;
/// Columns of C per register block.
const NR: usize = 4;
/// Depth of a packed block of k.
const KC: usize = 256;
/// Rows of A per packed block.
const MC: usize = 128;

/// Products with fewer multiply-adds than this stay on one thread.
const PARALLEL_MIN_FLOPS: usize = 1 << 22;

/// A matrix as a slice and its strides (in elements, non-negative): a_ij = data[i rs + j cs].
#[derive(Clone, Copy)]
struct Strided<'a> {
    data: &'a [f64],
    rs: usize,
    cs: usize,
}

impl Strided<'_> {
    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.rs + j * self.cs]
    }
}

/// `x` as a slice with non-negative strides, copying it when its layout has none.
fn strided<'a>(x: &'a ArrayView2<'a, f64>, owned: &'a mut Option<Array2<f64>>) -> Strided<'a> {
    let s = x.strides();
    if s[0] >= 0
        && s[1] >= 0
        && let Some(data) = x.to_slice_memory_order()
    {
        return Strided {
            data,
            rs: s[0] as usize,
            cs: s[1] as usize,
        };
    }
    let copy = owned.insert(x.as_standard_layout().into_owned());
    Strided {
        data: copy.as_slice().expect("standard layout"),
        rs: x.ncols(),
        cs: 1,
    }
}

/// C = A B into `c`, which must be m x n column-major (its columns contiguous) or
/// row-major; every element is the fused chain of the module's documentation.
pub(crate) fn gemm_into(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut Array2<f64>) {
    let (m, k) = a.dim();
    let n = b.ncols();
    assert_eq!(b.nrows(), k, "inner dimensions");
    assert_eq!(c.dim(), (m, n), "output shape");
    if c.t().is_standard_layout() {
        let data = c.as_slice_memory_order_mut().expect("column-major");
        gemm_col_major(a, b, data, m, n);
    } else {
        // Row-major C is column-major C^T = B^T A^T; each element is the same chain
        // (b_kj a_ik = a_ik b_kj exactly).
        assert!(c.is_standard_layout(), "C must be column- or row-major");
        let data = c.as_slice_mut().expect("row-major");
        gemm_col_major(b.t(), a.t(), data, n, m);
    }
}

/// The portable matrix product C = A B (a new column-major array), the replacement for
/// ndarray's `dot` in code whose bits reach the book: every c_ij is the chain
/// c = fma(a_ik, b_kj, c) over k = 0, 1, ... started from 0, on every CPU.
///
/// ```
/// use initnet::kernels::matmul;
/// use initnet::ndarray::array;
///
/// let a = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let b = array![[1.0, 0.5], [-1.0, 2.0]];
/// assert_eq!(matmul(&a, &b), array![[-1.0, 4.5], [-1.0, 9.5], [-1.0, 14.5]]);
/// ```
///
/// # Panics
///
/// When the inner dimensions differ (a.ncols() != b.nrows()).
pub fn matmul<A, B>(a: &ArrayBase<A, Ix2>, b: &ArrayBase<B, Ix2>) -> Array2<f64>
where
    A: Data<Elem = f64>,
    B: Data<Elem = f64>,
{
    let mut c = Array2::zeros((a.nrows(), b.ncols()).f());
    gemm_into(a.view(), b.view(), &mut c);
    c
}

/// The portable dot product of two vectors, the replacement for ndarray's `dot` in code
/// whose bits reach the book: the chain s = fma(a_k, b_k, s) over k = 0, 1, ... started
/// from 0, which is also each element of [`matmul`] (a row times a column).
///
/// ```
/// use initnet::kernels::dot;
/// use initnet::ndarray::array;
///
/// let x = array![3.0, 4.0];
/// assert_eq!(dot(&x, &x).sqrt(), 5.0);
/// ```
///
/// # Panics
///
/// When the lengths differ.
pub fn dot<A, B>(a: &ArrayBase<A, Ix1>, b: &ArrayBase<B, Ix1>) -> f64
where
    A: Data<Elem = f64>,
    B: Data<Elem = f64>,
{
    assert_eq!(a.len(), b.len(), "vector lengths");
    a.iter().zip(b).fold(0.0, |s, (x, y)| x.mul_add(*y, s))
}

/// C = A B into the column-major m x n buffer `c`: the columns split over threads when the
/// product is large (each element is computed by one thread, in the same order).
fn gemm_col_major(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut [f64], m: usize, n: usize) {
    gemm_threads(a, b, c, m, n, super::threads::count());
}

/// [`gemm_col_major`] on at most `threads` threads.
fn gemm_threads(
    a: ArrayView2<f64>,
    b: ArrayView2<f64>,
    c: &mut [f64],
    m: usize,
    n: usize,
    threads: usize,
) {
    let k = a.ncols();
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        c.fill(0.0);
        return;
    }
    let (mut own_a, mut own_b) = (None, None);
    let (a, b) = (strided(&a, &mut own_a), strided(&b, &mut own_b));
    if threads <= 1 || m * n * k < PARALLEL_MIN_FLOPS || n < 2 * NR {
        gemm_part(a, b, c, m, k, 0, n);
        return;
    }
    // Equal parts of whole register blocks of columns, one per thread.
    let per = n.div_ceil(threads).div_ceil(NR) * NR;
    std::thread::scope(|scope| {
        let mut rest = c;
        let mut j0 = 0;
        let mut mine = None;
        while j0 < n {
            let cols = per.min(n - j0);
            let (part, tail) = rest.split_at_mut(cols * m);
            rest = tail;
            if mine.is_none() {
                mine = Some((part, j0, cols));
            } else {
                scope.spawn(move || gemm_part(a, b, part, m, k, j0, cols));
            }
            j0 += cols;
        }
        if let Some((part, j0, cols)) = mine {
            gemm_part(a, b, part, m, k, j0, cols);
        }
    });
}

vectorized_fn!(
    #[allow(clippy::too_many_arguments)]
    /// Columns j0 .. j0 + cols of C = A B into `c` (m x cols, column-major): packed blocks
    /// of A (MC x KC) and B (KC x cols), register blocks of MR x NR.
    fn gemm_part(
        a: Strided,
        b: Strided,
        c: &mut [f64],
        m: usize,
        k: usize,
        j0: usize,
        cols: usize,
    ) {
        let mut packed_a = vec![0.0; MC.div_ceil(MR) * MR * KC];
        let mut packed_b = vec![0.0; cols.div_ceil(NR) * NR * KC];
        let mut k0 = 0;
        while k0 < k {
            let kc = KC.min(k - k0);
            pack_b(&b, k0, kc, j0, cols, &mut packed_b);
            let mut i0 = 0;
            while i0 < m {
                let mc = MC.min(m - i0);
                pack_a(&a, i0, mc, k0, kc, &mut packed_a);
                for (jb, bp) in packed_b.chunks_exact(NR * kc).enumerate() {
                    let jr = jb * NR;
                    if jr >= cols {
                        break;
                    }
                    let nr = NR.min(cols - jr);
                    for (ib, ap) in packed_a.chunks_exact(MR * kc).enumerate() {
                        let ir = ib * MR;
                        if ir >= mc {
                            break;
                        }
                        let mr = MR.min(mc - ir);
                        micro(ap, bp, kc, c, m, i0 + ir, mr, jr, nr, k0 > 0);
                    }
                }
                i0 += mc;
            }
            k0 += kc;
        }
    }
);

/// Pack rows i0 .. i0 + mc, depth k0 .. k0 + kc of A: for each block of MR rows, for each
/// k, the MR values a_ik contiguous (rows past the end are 0).
#[inline(always)]
fn pack_a(a: &Strided, i0: usize, mc: usize, k0: usize, kc: usize, out: &mut [f64]) {
    for (ib, panel) in out.chunks_exact_mut(MR * kc).enumerate() {
        let ir = ib * MR;
        if ir >= mc {
            break;
        }
        let mr = MR.min(mc - ir);
        for (p, lanes) in panel.chunks_exact_mut(MR).enumerate() {
            for (r, v) in lanes.iter_mut().enumerate() {
                *v = if r < mr {
                    a.at(i0 + ir + r, k0 + p)
                } else {
                    0.0
                };
            }
        }
    }
}

/// Pack depth k0 .. k0 + kc, columns j0 .. j0 + cols of B: for each block of NR columns,
/// for each k, the NR values b_kj contiguous (columns past the end are 0).
#[inline(always)]
fn pack_b(b: &Strided, k0: usize, kc: usize, j0: usize, cols: usize, out: &mut [f64]) {
    for (jb, panel) in out.chunks_exact_mut(NR * kc).enumerate() {
        let jr = jb * NR;
        if jr >= cols {
            break;
        }
        for (p, vals) in panel.chunks_exact_mut(NR).enumerate() {
            for (q, v) in vals.iter_mut().enumerate() {
                *v = if jr + q < cols {
                    b.at(k0 + p, j0 + jr + q)
                } else {
                    0.0
                };
            }
        }
    }
}

/// One register block: c[i0 .. i0 + mr, jr .. jr + nr] continued (or, for the first
/// block of k, started from 0) by the chain of fused multiply-adds over the packed depth.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn micro(
    ap: &[f64],
    bp: &[f64],
    kc: usize,
    c: &mut [f64],
    ldc: usize,
    i0: usize,
    mr: usize,
    jr: usize,
    nr: usize,
    resume: bool,
) {
    let mut acc = [[0.0f64; MR]; NR];
    if resume {
        for (q, col) in acc.iter_mut().enumerate().take(nr) {
            let base = (jr + q) * ldc + i0;
            col[..mr].copy_from_slice(&c[base..base + mr]);
        }
    }
    let (ap, bp) = (&ap[..MR * kc], &bp[..NR * kc]);
    for (av, bv) in ap.chunks_exact(MR).zip(bp.chunks_exact(NR)) {
        let av: &[f64; MR] = av.try_into().expect("MR lanes");
        for q in 0..NR {
            let bq = bv[q];
            for r in 0..MR {
                acc[q][r] = av[r].mul_add(bq, acc[q][r]);
            }
        }
    }
    for (q, col) in acc.iter().enumerate().take(nr) {
        let base = (jr + q) * ldc + i0;
        c[base..base + mr].copy_from_slice(&col[..mr]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::dispatch::at_level;
    use crate::random::{Distribution, Normal};

    fn random(shape: (usize, usize), seed: u64) -> Array2<f64> {
        let mut g = crate::rng(seed);
        let law = Normal::new(0.0, 1.0).expect("a valid law");
        Array2::from_shape_simple_fn(shape, || law.sample(&mut g))
    }

    /// The definition: c_ij = fma(a_ik, b_kj, c) over k = 0, 1, ... from c = 0.
    fn naive(a: &Array2<f64>, b: &Array2<f64>) -> Vec<u64> {
        let (m, k) = a.dim();
        let n = b.ncols();
        let mut out = Vec::with_capacity(m * n);
        for j in 0..n {
            for i in 0..m {
                let mut c = 0.0f64;
                for p in 0..k {
                    c = a[[i, p]].mul_add(b[[p, j]], c);
                }
                out.push(c.to_bits());
            }
        }
        out
    }

    #[test]
    fn dot_is_an_element_of_matmul() {
        let a = random((1, 300), 11);
        let b = random((300, 1), 12);
        let want = matmul(&a, &b)[[0, 0]];
        assert_eq!(dot(&a.row(0), &b.column(0)).to_bits(), want.to_bits());
        assert_eq!(naive(&a, &b), vec![want.to_bits()]);
    }

    fn bits_col_major(c: &Array2<f64>) -> Vec<u64> {
        c.t().iter().map(|v| v.to_bits()).collect()
    }

    /// Shapes that cross every block edge: fewer rows than MR, a partial register block,
    /// more than MC rows, depths across KC, a single column, column counts that split
    /// unevenly over threads.
    const SHAPES: [(usize, usize, usize); 8] = [
        (1, 1, 1),
        (3, 5, 2),
        (17, 9, 5),
        (130, 300, 7),
        (257, 513, 9),
        (64, 1, 64),
        (200, 600, 33),
        (33, 257, 1),
    ];

    /// Every vector level this CPU has, with 1, 2 and 3 threads, gives the bits of the
    /// naive chain, for column-major and row-major outputs and transposed inputs.
    #[test]
    fn every_level_and_thread_split_gives_the_naive_chain_bit_for_bit() {
        for (seed, &(m, k, n)) in SHAPES.iter().enumerate() {
            let a = random((m, k), 2 * seed as u64);
            let b = random((k, n), 2 * seed as u64 + 1);
            let want = naive(&a, &b);
            let at = a.t().as_standard_layout().into_owned();
            for level in 0..=2 {
                for threads in 1..=3 {
                    let mut c = vec![f64::NAN; m * n];
                    at_level(level, || {
                        gemm_threads(a.view(), b.view(), &mut c, m, n, threads)
                    });
                    let got: Vec<u64> = c.iter().map(|v| v.to_bits()).collect();
                    assert!(got == want, "{m}x{k}x{n}, level {level}, {threads} threads");
                    // A transposed input (strides swapped) and a row-major output.
                    let mut r = Array2::from_elem((m, n), f64::NAN);
                    at_level(level, || gemm_into(at.t(), b.view(), &mut r));
                    assert!(
                        bits_col_major(&r) == want,
                        "{m}x{k}x{n} row-major, level {level}"
                    );
                }
            }
            assert!(
                bits_col_major(&matmul(&a, &b)) == want,
                "{m}x{k}x{n} matmul"
            );
        }
    }

    /// The fused chain is not the unfused one: a case where they differ, so the test
    /// above would notice a kernel that multiplied and added separately.
    #[test]
    fn the_chain_is_fused() {
        let x = 1.0 + f64::EPSILON;
        let a = ndarray::array![[1.0, x]];
        let b = ndarray::array![[-(1.0 + 2.0 * f64::EPSILON)], [x]];
        // c = -(1 + 2 eps), then x^2 + c with x^2 = 1 + 2 eps + eps^2: fused keeps eps^2
        // (the result is eps^2), unfused rounds x^2 to 1 + 2 eps first (the result is 0).
        assert_eq!(matmul(&a, &b)[[0, 0]], f64::EPSILON * f64::EPSILON);
        assert_eq!(naive(&a, &b), vec![(f64::EPSILON * f64::EPSILON).to_bits()]);
    }

    /// Empty inner dimension: C = 0.
    #[test]
    fn an_empty_inner_dimension_gives_zeros() {
        let c = matmul(&Array2::<f64>::zeros((3, 0)), &Array2::<f64>::zeros((0, 2)));
        assert_eq!(c, Array2::<f64>::zeros((3, 2)));
    }
}
