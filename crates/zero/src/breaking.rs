//! Which differences between two hidden units break their symmetry: each part of a unit
//! (incoming weights, bias, outgoing weights) is filled on its own, equal for both units
//! or drawn at random for each, and the 2-2-4 network is trained on the chapter's blobs.

use initnet::ndarray::{Array1, Array2};
use initnet::{Activation, Dense, Error, Mlp, Result};

use crate::experiments::{SAMPLES, blobs, same_bits, train_net, units};
use crate::wide::widest_angle;

/// How one part of the hidden units starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fill {
    /// Every entry is this constant: the same for both units.
    Same(f64),
    /// Every entry drawn from N(0, std²): different for each unit.
    Random(f64),
}

/// How the three parts of the hidden units start; the output biases b² start at 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartStart {
    /// A short name for tables.
    pub name: &'static str,
    /// The incoming weights W¹.
    pub w_in: Fill,
    /// The biases b¹.
    pub bias: Fill,
    /// The outgoing weights W².
    pub w_out: Fill,
}

/// The standard deviation of every random part.
pub const PART_STD: f64 = 0.1;

/// The starts the chapter compares: nothing different, then one part different at a time.
pub const PART_STARTS: [PartStart; 5] = [
    PartStart {
        name: "nothing differs (all 0.5)",
        w_in: Fill::Same(0.5),
        bias: Fill::Same(0.0),
        w_out: Fill::Same(0.5),
    },
    PartStart {
        name: "incoming differ, b¹ = 0, W² = 0",
        w_in: Fill::Random(PART_STD),
        bias: Fill::Same(0.0),
        w_out: Fill::Same(0.0),
    },
    PartStart {
        name: "bias differs (W¹ = W² = 0.5)",
        w_in: Fill::Same(0.5),
        bias: Fill::Random(PART_STD),
        w_out: Fill::Same(0.5),
    },
    PartStart {
        name: "outgoing differ (W¹ = 0.5)",
        w_in: Fill::Same(0.5),
        bias: Fill::Same(0.0),
        w_out: Fill::Random(PART_STD),
    },
    PartStart {
        name: "outgoing differ, W¹ = 0",
        w_in: Fill::Same(0.0),
        bias: Fill::Same(0.0),
        w_out: Fill::Random(PART_STD),
    },
];

/// The exercise's start: random biases, every weight 0.
pub const BIAS_ONLY: PartStart = PartStart {
    name: "bias differs, W¹ = W² = 0",
    w_in: Fill::Same(0.0),
    bias: Fill::Random(PART_STD),
    w_out: Fill::Same(0.0),
};

fn fill(f: Fill, shape: (usize, usize), rng: &mut initnet::Rng) -> Result<Array2<f64>> {
    match f {
        Fill::Same(c) => Ok(Array2::from_elem(shape, c)),
        Fill::Random(std) => initnet::random::normal_matrix(shape, std, rng),
    }
}

/// The 2-2-4 network with hidden activation `activation` started as `start`, its random
/// parts drawn from `seed` (W¹, then b¹, then W²).
pub fn part_network(start: &PartStart, activation: Activation, seed: u64) -> Result<Mlp> {
    let mut rng = initnet::rng(seed);
    let w1 = fill(start.w_in, (2, 2), &mut rng)?;
    let b1 = fill(start.bias, (1, 2), &mut rng)?;
    let w2 = fill(start.w_out, (4, 2), &mut rng)?;
    Mlp::from_layers(vec![
        Dense::new(w1, b1.row(0).to_owned(), activation)?,
        Dense::new(w2, Array1::zeros(4), Activation::Identity)?,
    ])
}

/// What training from one [`PartStart`] did, over the seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct PartOutcome {
    /// The start.
    pub start: PartStart,
    /// Whether the two units started bit-identical (on every seed).
    pub identical_at_start: bool,
    /// Whether the two units were bit-identical at every step of every seed.
    pub identical_throughout: bool,
    /// The angle between the two units' incoming weight vectors at the end, per seed,
    /// in degrees.
    pub angle: Vec<f64>,
    /// The loss at the start, per seed.
    pub initial_loss: Vec<f64>,
    /// The final accuracy, per seed.
    pub accuracy: Vec<f64>,
    /// The largest change of any entry of W¹ over the run, per seed.
    pub w1_moved: Vec<f64>,
}

/// Train the 2-2-4 network from `start` on `blobs(SAMPLES, seed)` for every seed.
pub fn part_outcome(
    start: &PartStart,
    activation: Activation,
    seeds: &[u64],
    lr: f64,
    epochs: usize,
) -> Result<PartOutcome> {
    if seeds.is_empty() {
        return Err(Error::Zero {
            what: "number of seeds".to_string(),
        });
    }
    let mut o = PartOutcome {
        start: *start,
        identical_at_start: true,
        identical_throughout: true,
        angle: vec![],
        initial_loss: vec![],
        accuracy: vec![],
        w1_moved: vec![],
    };
    for &seed in seeds {
        let data = blobs(SAMPLES, seed)?;
        let net = part_network(start, activation, seed)?;
        o.identical_at_start &= same_bits(&units(&net)?);
        let r = train_net(net, &data, lr, epochs)?;
        o.identical_throughout &= r.identical_every_epoch;
        o.angle.push(widest_angle(&r.end));
        o.initial_loss.push(r.history.records[0].loss);
        o.accuracy.push(r.history.last().accuracy);
        o.w1_moved.push(r.moved()?.w1);
    }
    Ok(o)
}

/// Every start of [`PART_STARTS`] with `activation`.
pub fn part_table(
    activation: Activation,
    seeds: &[u64],
    lr: f64,
    epochs: usize,
) -> Result<Vec<PartOutcome>> {
    PART_STARTS
        .iter()
        .map(|s| part_outcome(s, activation, seeds, lr, epochs))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_filled_as_asked() {
        let net = part_network(&PART_STARTS[2], Activation::Tanh, 4).unwrap();
        let (l1, l2) = (net.layer(1), net.layer(2));
        assert!(l1.w.iter().all(|&w| w == 0.5) && l2.w.iter().all(|&w| w == 0.5));
        assert_ne!(l1.b[0], l1.b[1]);
        assert!(l2.b.iter().all(|&b| b == 0.0));
        assert_eq!(
            net,
            part_network(&PART_STARTS[2], Activation::Tanh, 4).unwrap()
        );
        assert!(part_outcome(&PART_STARTS[0], Activation::Tanh, &[], 0.5, 1).is_err());
    }
}
