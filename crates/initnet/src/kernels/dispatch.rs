//! CPU feature dispatch: `vectorized_fn!` compiles a loop once per x86-64 vector width
//! and runs the widest the CPU has, below a cap a caller may lower ([`VectorLevel`]).

use std::sync::atomic::{AtomicU8, Ordering};

/// Define a function whose body is compiled three times on x86-64, for AVX-512F, AVX2 and
/// the baseline (SSE2), the first the CPU supports running (the two wide levels with FMA,
/// which every CPU with AVX2 has); elsewhere the body simply runs. The body and what it
/// inlines (the `#[inline(always)]` functions of `math` and of the kernels) then use the
/// widest vector registers. All three give the same bits: the compiler never forms a fused
/// multiply-add on its own (only an explicit `f64::mul_add` fuses, and that is correctly
/// rounded at every level, one instruction with FMA and the C library's exact `fma`
/// without), and every loop fixes its order of summation; only the speed differs.
///
/// This macro holds the only `unsafe` of the workspace: each call of a
/// `#[target_feature]` function right after the check that the CPU has that feature.
macro_rules! vectorized_fn {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$attr])*
        $vis fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,fma")]
                fn avx512($($arg: $ty),*) $(-> $ret)? $body
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) $(-> $ret)? $body
                if $crate::kernels::dispatch::allows(2)
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("fma")
                {
                    // SAFETY: the CPU supports AVX-512F, checked just above; that is the
                    // only requirement of a `#[target_feature(enable = "avx512f,fma")]` fn.
                    #[allow(unsafe_code)]
                    return unsafe { avx512($($arg),*) };
                }
                if $crate::kernels::dispatch::allows(1) && std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
                    // SAFETY: the CPU supports AVX2 and FMA, checked just above.
                    #[allow(unsafe_code)]
                    return unsafe { avx2($($arg),*) };
                }
            }
            $body
        }
    };
}
pub(crate) use vectorized_fn;

/// The instruction sets the vectorized loops of initnet (the element-wise maps, the small
/// layers' products, the fused loss) may use on x86-64; elsewhere there is only the
/// baseline. Every level gives the same bits; only the speed differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VectorLevel {
    /// The target's baseline (SSE2 on x86-64: two f64 lanes).
    Baseline = 0,
    /// AVX2: four lanes.
    Avx2 = 1,
    /// AVX-512F: eight lanes.
    Avx512 = 2,
}

static MAX_LEVEL: AtomicU8 = AtomicU8::new(VectorLevel::Avx512 as u8);

/// Cap the instruction set of the vectorized loops for the whole process (the CPU's own
/// support still decides below the cap), for example to time a narrower machine:
///
/// ```
/// use initnet::kernels::{VectorLevel, max_vector_level, set_max_vector_level};
/// set_max_vector_level(VectorLevel::Avx2);
/// assert_eq!(max_vector_level(), VectorLevel::Avx2);
/// set_max_vector_level(VectorLevel::Avx512);
/// ```
pub fn set_max_vector_level(level: VectorLevel) {
    MAX_LEVEL.store(level as u8, Ordering::Relaxed);
}

/// The cap set by [`set_max_vector_level`] (AVX-512F, that is no cap, by default).
pub fn max_vector_level() -> VectorLevel {
    match MAX_LEVEL.load(Ordering::Relaxed) {
        0 => VectorLevel::Baseline,
        1 => VectorLevel::Avx2,
        _ => VectorLevel::Avx512,
    }
}

/// Whether a `vectorized_fn` may use instruction level `level` (1: AVX2, 2: AVX-512F).
#[cfg(not(test))]
#[inline(always)]
pub(crate) fn allows(level: u8) -> bool {
    MAX_LEVEL.load(Ordering::Relaxed) >= level
}

#[cfg(test)]
thread_local! {
    static LEVEL: std::cell::Cell<u8> = const { std::cell::Cell::new(2) };
}

/// In initnet's own tests the cap is also per thread, so that one test can compare the
/// levels while the others run.
#[cfg(test)]
pub(crate) fn allows(level: u8) -> bool {
    MAX_LEVEL.load(Ordering::Relaxed) >= level && LEVEL.with(|l| l.get() >= level)
}

/// Run `f` with the vectorized functions capped at instruction level `level`
/// (0: baseline, 1: AVX2, 2: AVX-512F) on this thread.
#[cfg(test)]
pub(crate) fn at_level<R>(level: u8, f: impl FnOnce() -> R) -> R {
    let before = LEVEL.with(|l| l.replace(level));
    let r = f();
    LEVEL.with(|l| l.set(before));
    r
}
