//! Randomness: every draw of the library comes from a ChaCha8 generator seeded with an
//! explicit seed, so a seed gives the same numbers on every platform.

/// The seeded, portable random number generator every function of the library uses.
pub type Rng = rand_chacha::ChaCha8Rng;

/// A generator seeded with `seed`: the same stream on every platform.
pub fn rng(seed: u64) -> Rng {
    use rand::SeedableRng;
    Rng::seed_from_u64(seed)
}
