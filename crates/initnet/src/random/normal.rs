//! The normal law, portable to the last bit: every random weight and every random input
//! of the book is drawn here.
//!
//! [`StandardNormal`] is the ziggurat of `rand_distr` 0.5.1 (Marsaglia and Tsang's method
//! with 256 layers, as `rand_distr::StandardNormal` implements it): the same tables, the
//! same draws from the generator in the same order, the same arithmetic, except that the
//! two elementary functions it needs are [`crate::math::exp`] and [`crate::math::ln`]
//! instead of the platform's `f64::exp` and `f64::ln`. Those come from the C library
//! (glibc, musl and macOS round differently in the last bit), so `rand_distr`'s draws can
//! differ between platforms; these cannot.
//!
//! One draw takes a `u64` from the generator: its low 8 bits pick a layer i, its high 52
//! bits a uniform u in [-1, 1), and x = u x_i. Then:
//!
//! - if |x| < x_{i+1}, x lies inside the layer's rectangle under the density: return it
//!   (about 99 % of draws; pure arithmetic, so the same bits as `rand_distr`);
//! - in the base layer (i = 0) beyond r = 3.654, draw from the tail with Marsaglia's
//!   method, two uniforms in (0, 1) per attempt, with ln (about one draw in 4000);
//! - otherwise x is in a wedge: accept it if f_{i+1} + (f_i - f_{i+1}) v < exp(-x^2 / 2)
//!   for one more uniform v in [0, 1), and start again if not.
//!
//! So a draw equals `rand_distr`'s on glibc bit for bit, except a tail draw, which differs
//! where initnet's ln and glibc's round differently (a few ulp at most), and a wedge test
//! or a tail attempt whose comparison falls between the two exp or ln results (about
//! 1e-16 per comparison). The tests pin this against `rand_distr` over 10^6 draws.
//!
//! ```
//! use initnet::random::{Distribution, Normal, StandardNormal};
//!
//! let mut rng = initnet::rng(0);
//! let z = StandardNormal.sample(&mut rng);
//! let w = Normal::new(0.0, 0.1)?.sample(&mut rng);
//! assert!(z.is_finite() && w.is_finite());
//! // A negative or non-finite standard deviation is an error naming the value.
//! assert!(Normal::new(0.0, -1.0).is_err());
//! # Ok::<(), initnet::Error>(())
//! ```

use rand::Rng;
use rand::distr::{Distribution, Open01};

use crate::error::{Result, finite, non_negative};
use crate::math;

mod ziggurat_tables;
use ziggurat_tables::{ZIG_NORM_F, ZIG_NORM_R, ZIG_NORM_X};

/// The standard normal law N(0, 1), by the ziggurat method on portable arithmetic (see
/// the module's documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StandardNormal;

/// The unnormalized density exp(-x^2 / 2) the wedge test compares with.
fn density(x: f64) -> f64 {
    math::exp(-x * x / 2.0)
}

/// A draw from the tail |z| > r, on the side of `u`'s sign (Marsaglia, 1964): propose
/// x = ln(U1) / r and y = ln(U2) for U1, U2 uniform in (0, 1) until -2y >= x^2.
fn tail<R: Rng + ?Sized>(rng: &mut R, u: f64) -> f64 {
    let x = loop {
        let u1: f64 = rng.sample(Open01);
        let u2: f64 = rng.sample(Open01);
        let x = math::ln(u1) / ZIG_NORM_R;
        let y = math::ln(u2);
        // rand_distr loops while -2y < x^2; both are finite (u1, u2 > 0), so this is its end.
        if -2.0 * y >= x * x {
            break x;
        }
    };
    if u < 0.0 {
        x - ZIG_NORM_R
    } else {
        ZIG_NORM_R - x
    }
}

impl Distribution<f64> for StandardNormal {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        loop {
            let bits = rng.next_u64();
            let i = (bits & 0xff) as usize;
            // The high 52 bits as the mantissa of a number in [2, 4) (exponent 1), minus 3:
            // u in [-1, 1) with 52 random bits.
            let u = f64::from_bits((bits >> 12) | 0x4000_0000_0000_0000) - 3.0;
            let x = u * ZIG_NORM_X[i];
            if x.abs() < ZIG_NORM_X[i + 1] {
                return x;
            }
            if i == 0 {
                return tail(rng, u);
            }
            let v: f64 = rng.random();
            if ZIG_NORM_F[i + 1] + (ZIG_NORM_F[i] - ZIG_NORM_F[i + 1]) * v < density(x) {
                return x;
            }
        }
    }
}

/// The normal law N(mean, sd^2): mean + sd z for a [`StandardNormal`] z.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Normal {
    mean: f64,
    sd: f64,
}

impl Normal {
    /// N(`mean`, `sd`^2). `mean` must be finite, `sd` finite and >= 0; otherwise an
    /// [`crate::Error::OutOfRange`] naming the value. A `sd` of 0 still draws (and returns
    /// `mean`), so the generator advances as for any other `sd`.
    pub fn new(mean: f64, sd: f64) -> Result<Self> {
        finite("mean", mean)?;
        non_negative("standard deviation", sd)?;
        Ok(Self { mean, sd })
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation.
    pub fn sd(&self) -> f64 {
        self.sd
    }
}

impl Distribution<f64> for Normal {
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.mean + self.sd * StandardNormal.sample(rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    const DRAWS: usize = 1_000_000;

    /// The distance in units in the last place between two finite numbers of one sign.
    fn ulps(a: f64, b: f64) -> u64 {
        assert_eq!(a.is_sign_negative(), b.is_sign_negative(), "{a} and {b}");
        a.to_bits().abs_diff(b.to_bits())
    }

    /// Against `rand_distr` 0.5.1 on 10^6 draws from one seeded ChaCha8 stream: every draw
    /// leaves the generator at the same word (so both consume it alike, draw by draw),
    /// every draw outside the tail |z| > r is the same bits (the fast path and the wedges
    /// are arithmetic and one exp comparison), and every tail draw agrees within 4 ulp
    /// (initnet's ln and the platform's differ by at most an ulp; the tail draw divides
    /// it by r and adds r, so no cancellation). Any other consumption of the generator
    /// (another bit for the layer, a u32, a different uniform in the wedge or the tail)
    /// would misalign the two streams at the first draw that differs, and every later
    /// draw with it.
    #[test]
    // The platform's sampler is the reference this test pins the algorithm against.
    #[allow(clippy::disallowed_types)]
    fn same_draws_as_rand_distr() {
        use rand_distr::StandardNormal as Reference;
        let (mut ours, mut theirs) = (crate::rng(11), crate::rng(11));
        let (mut tail, mut slow, mut max_ulps) = (0, 0, 0);
        for k in 0..DRAWS {
            let before = ours.get_word_pos();
            let z: f64 = StandardNormal.sample(&mut ours);
            let reference: f64 = Reference.sample(&mut theirs);
            assert_eq!(ours.get_word_pos(), theirs.get_word_pos(), "draw {k}");
            // One u64 is two words of the ChaCha stream; more means a wedge or the tail.
            if ours.get_word_pos() - before > 2 {
                slow += 1;
            }
            if z.abs() > ZIG_NORM_R {
                tail += 1;
                let d = ulps(z, reference);
                assert!(d <= 4, "tail draw {k}: {z} against {reference}, {d} ulp");
                max_ulps = max_ulps.max(d);
            } else {
                assert_eq!(
                    z.to_bits(),
                    reference.to_bits(),
                    "draw {k}: {z} against {reference}"
                );
            }
        }
        // The test reaches both rare branches: the tail holds 2 P(Z > r) = 2.58e-4 of the
        // draws (258 expected, sd 16), and the slow draws (wedges, rejections, tail) are
        // about 1 %.
        assert!((180..=340).contains(&tail), "{tail} tail draws");
        assert!(slow > 5_000, "{slow} draws went past the fast path");
        assert!(max_ulps <= 4);
    }

    /// The law itself, over 10^6 draws: the mean (standard error 1/sqrt(n) = 0.001), the
    /// variance (standard error sqrt(2/n) = 0.0014) and the fractions beyond 2, r = 3.654
    /// and 4 (standard error sqrt(p(1 - p)/n)), each within 5 standard errors of N(0, 1).
    #[test]
    fn draws_follow_the_standard_normal_law() {
        let mut rng = crate::rng(3);
        let z: Vec<f64> = (0..DRAWS)
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        let n = DRAWS as f64;
        let mean = z.iter().sum::<f64>() / n;
        assert!(mean.abs() < 5.0 / n.sqrt(), "mean {mean}");
        let var = z.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        assert!((var - 1.0).abs() < 5.0 * (2.0 / n).sqrt(), "variance {var}");
        for t in [2.0, ZIG_NORM_R, 4.0] {
            let p = libm::erfc(t / std::f64::consts::SQRT_2);
            let observed = z.iter().filter(|v| v.abs() > t).count() as f64 / n;
            let se = (p * (1.0 - p) / n).sqrt();
            assert!(
                (observed - p).abs() < 5.0 * se,
                "P(|Z| > {t}): {observed} against {p}"
            );
        }
    }

    /// Normal scales and shifts the standard draw, from the same generator position.
    #[test]
    fn normal_is_mean_plus_sd_times_a_standard_draw() {
        let law = Normal::new(1.5, 0.25).unwrap();
        assert_eq!((law.mean(), law.sd()), (1.5, 0.25));
        let (mut a, mut b) = (crate::rng(4), crate::rng(4));
        for _ in 0..1000 {
            let z = StandardNormal.sample(&mut b);
            assert_eq!(law.sample(&mut a), 1.5 + 0.25 * z);
        }
        // sd = 0 draws all the same, so what follows does not depend on the sd.
        let zero = Normal::new(2.0, 0.0).unwrap();
        assert_eq!(zero.sample(&mut a), 2.0);
        StandardNormal.sample(&mut b);
        assert_eq!(a.get_word_pos(), b.get_word_pos());
    }

    #[test]
    fn bad_parameters_are_errors_naming_the_value() {
        for sd in [-1.0, f64::NAN, f64::INFINITY] {
            match Normal::new(0.0, sd) {
                Err(Error::OutOfRange { name, value, .. }) => {
                    assert_eq!(name, "standard deviation");
                    assert!(value.to_bits() == sd.to_bits());
                }
                other => panic!("sd {sd}: {other:?}"),
            }
        }
        match Normal::new(f64::NEG_INFINITY, 1.0) {
            Err(Error::OutOfRange { name, value, .. }) => {
                assert_eq!((name, value), ("mean", f64::NEG_INFINITY));
            }
            other => panic!("mean -inf: {other:?}"),
        }
    }
}
