//! Randomness: every draw of the library comes from a ChaCha8 generator seeded with an
//! explicit seed, so a seed gives the same numbers on every platform.
//!
//! Weights are drawn by an initializer ([`crate::Init::sample`]); inputs, noise and
//! injected gradients, which are data rather than weights, by [`normal_matrix`]. Every
//! normal draw comes from [`StandardNormal`] ([`normal`]), the ziggurat of `rand_distr`
//! on initnet's portable exp and ln, so a seed gives the same bits on every platform;
//! uniform draws from rand's [`Uniform`], which uses only correctly rounded arithmetic.
//!
//! ```
//! let mut g = initnet::rng(7);
//! let x = initnet::random::normal_matrix((3, 2), 1.0, &mut g)?;
//! assert_eq!(x.dim(), (3, 2));
//! assert_eq!(x, initnet::random::normal_matrix((3, 2), 1.0, &mut initnet::rng(7))?);
//! # Ok::<(), initnet::Error>(())
//! ```

use ndarray::Array2;

use crate::error::{Error, Result, non_negative};

pub mod normal;

pub use normal::{Normal, StandardNormal};
/// The trait of a law to draw from (`law.sample(&mut rng)`), and rand's uniform law:
/// re-exported so that code drawing from the book's laws needs only initnet.
pub use rand::distr::{Distribution, Uniform};

/// The seeded, portable random number generator every function of the library uses.
pub type Rng = rand_chacha::ChaCha8Rng;

/// A generator seeded with `seed`: the same stream on every platform.
pub fn rng(seed: u64) -> Rng {
    use rand::SeedableRng;
    Rng::seed_from_u64(seed)
}

/// A matrix of shape `(rows, columns)` with independent N(0, std^2) entries, drawn row by
/// row from `rng`. `std` must be finite and >= 0; a `std` of 0 gives zeros and draws
/// nothing, like every constant initializer.
pub fn normal_matrix<R: rand::Rng + ?Sized>(
    shape: (usize, usize),
    std: f64,
    rng: &mut R,
) -> Result<Array2<f64>> {
    non_negative("standard deviation", std)?;
    let (rows, cols) = shape;
    if rows == 0 || cols == 0 {
        return Err(Error::Zero {
            what: format!("matrix shape ({rows}, {cols})"),
        });
    }
    if std == 0.0 {
        return Ok(Array2::zeros(shape));
    }
    let law = Normal::new(0.0, std)?;
    Ok(Array2::from_shape_simple_fn(shape, || law.sample(rng)))
}
