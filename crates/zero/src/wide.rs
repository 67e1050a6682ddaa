//! The showcase: a wide hidden layer started at zero is worth one hidden unit.
//!
//! The data are four quadrants of the square (a four-class XOR): points uniform in
//! [-1, 1]², class 0 in the upper right, 1 upper left, 2 lower left, 3 lower right. One
//! hidden unit can only cut the plane into parallel strips, which cannot separate the
//! quadrants; two units already can (the two axes).

use initnet::random::{Distribution, Uniform};
use initnet::{Activation, Dataset, Error, Init, Mlp, MlpSpec, Result};

use crate::experiments::{RANDOM, ZERO, best_strip_accuracy, same_bits, strip_accuracy, train_net};

/// Samples of the quadrant data.
pub const QUADRANT_SAMPLES: usize = 400;
/// The wide network: 16 hidden units.
pub const WIDE: [usize; 3] = [2, 16, 4];
/// The one-unit control.
pub const NARROW: [usize; 3] = [2, 1, 4];
/// The showcase's activation: the sigmoid, the one activation whose zero start moves
/// (f(0) = 1/2), so that the zero-initialized network trains, as far as it can.
pub const WIDE_ACTIVATION: Activation = Activation::Sigmoid;

/// Four quadrants: `n_samples` points uniform in [-1, 1]², class = quadrant, counted
/// counter-clockwise from the upper right (x > 0, y > 0 is class 0). Class counts vary
/// with the draw, as they do in real data.
pub fn quadrants(n_samples: usize, seed: u64) -> Result<Dataset> {
    if n_samples == 0 {
        return Err(Error::Zero {
            what: "number of samples".to_string(),
        });
    }
    let mut rng = initnet::rng(seed);
    let u = Uniform::new(-1.0, 1.0).expect("bounds are finite and ordered");
    let mut x = initnet::ndarray::Array2::zeros((n_samples, 2));
    let mut y = Vec::with_capacity(n_samples);
    for i in 0..n_samples {
        let (a, b): (f64, f64) = (u.sample(&mut rng), u.sample(&mut rng));
        x[[i, 0]] = a;
        x[[i, 1]] = b;
        y.push(match (a >= 0.0, b >= 0.0) {
            (true, true) => 0,
            (false, true) => 1,
            (false, false) => 2,
            (true, false) => 3,
        });
    }
    Dataset::new(x, y, 4)
}

/// A network of widths `widths` (one hidden layer) with the showcase's activation.
pub fn wide_network(widths: &[usize], init: Init, seed: u64) -> Result<Mlp> {
    MlpSpec::new(widths, WIDE_ACTIVATION, init).build(seed)
}

/// The angle in degrees between two vectors of the same length (0 if either is zero).
/// Two-dimensional vectors use atan2(|a × b|, a · b), which is exactly 0 for parallel
/// vectors and accurate near 0 and 180 degrees; longer ones the arc cosine.
pub fn angle_degrees(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    if let ([a0, a1], [b0, b1]) = (a, b) {
        let cross = a0 * b1 - a1 * b0;
        if (*a0 == 0.0 && *a1 == 0.0) || (*b0 == 0.0 && *b1 == 0.0) {
            return 0.0;
        }
        return initnet::math::atan2(cross.abs(), dot).to_degrees();
    }
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    initnet::math::acos((dot / (na * nb)).clamp(-1.0, 1.0)).to_degrees()
}

/// The largest angle between the incoming weight vectors (rows of W¹) of two hidden
/// units of `net`: 0 when all units point the same way.
pub fn widest_angle(net: &Mlp) -> f64 {
    let w = &net.layer(1).w;
    let mut widest = 0.0f64;
    for i in 0..w.nrows() {
        for j in i + 1..w.nrows() {
            let (a, b) = (w.row(i).to_vec(), w.row(j).to_vec());
            widest = widest.max(angle_degrees(&a, &b));
        }
    }
    widest
}

/// The 2-1-4 network that computes what `net` computes when all its hidden units are
/// identical: unit 1's incoming weights and bias, and the sum of all units' outgoing
/// weights.
pub fn collapse(net: &Mlp) -> Result<Mlp> {
    let (l1, l2) = (net.layer(1), net.layer(2));
    let w1 = l1.w.slice(initnet::ndarray::s![0..1, ..]).to_owned();
    let b1 = l1.b.slice(initnet::ndarray::s![0..1]).to_owned();
    let v =
        l2.w.sum_axis(initnet::ndarray::Axis(1))
            .insert_axis(initnet::ndarray::Axis(1));
    Mlp::from_layers(vec![
        initnet::Dense::new(w1, b1, l1.activation)?,
        initnet::Dense::new(v, l2.b.clone(), l2.activation)?,
    ])
}

/// One trained network of the showcase.
#[derive(Debug, Clone, PartialEq)]
pub struct WideRun {
    /// Final training accuracy.
    pub accuracy: f64,
    /// Final loss.
    pub loss: f64,
    /// Loss at the start.
    pub initial_loss: f64,
    /// Whether all hidden units were bit-identical at every step.
    pub identical: bool,
    /// The widest angle between two units' incoming weights at the end, in degrees.
    pub angle: f64,
    /// The best strip accuracy along the network's first unit's direction.
    pub strips_along_w: f64,
    /// The largest |logit| difference between the network and its one-unit collapse.
    pub collapse_error: f64,
    /// The trained network.
    pub end: Mlp,
}

/// Train a network of `widths` from `init` on `quadrants(QUADRANT_SAMPLES, seed)`.
pub fn wide_run(
    widths: &[usize],
    init: Init,
    seed: u64,
    lr: f64,
    epochs: usize,
) -> Result<WideRun> {
    let data = quadrants(QUADRANT_SAMPLES, seed)?;
    let r = train_net(wide_network(widths, init, seed)?, &data, lr, epochs)?;
    let u = r.end.layer(1).w.row(0).to_owned();
    let z = r.end.predict(&data.x)?;
    let z1 = collapse(&r.end)?.predict(&data.x)?;
    let collapse_error = z
        .iter()
        .zip(&z1)
        .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
    Ok(WideRun {
        accuracy: r.history.last().accuracy,
        loss: r.history.last().loss,
        initial_loss: r.history.records[0].loss,
        identical: r.identical_every_epoch && same_bits(r.units.last().expect("epoch 0")),
        angle: widest_angle(&r.end),
        strips_along_w: strip_accuracy(&data, initnet::math::atan2(u[1], u[0]))?,
        collapse_error,
        end: r.end,
    })
}

/// The showcase over seeds: 2-16-4 from zero, 2-1-4 from a random start, 2-16-4 from a
/// random start, and the best strips of each data set.
#[derive(Debug, Clone, PartialEq)]
pub struct Wide {
    /// 2-16-4 from zero.
    pub zero_wide: Vec<WideRun>,
    /// 2-1-4 from N(0, 0.1²).
    pub random_narrow: Vec<WideRun>,
    /// 2-16-4 from N(0, 0.1²).
    pub random_wide: Vec<WideRun>,
    /// Best strip accuracy over the directions tried, per seed.
    pub best_strips: Vec<f64>,
}

/// Run the showcase on every seed with learning rate `lr` for `epochs` steps.
pub fn wide(seeds: &[u64], lr: f64, epochs: usize, directions: usize) -> Result<Wide> {
    if seeds.is_empty() {
        return Err(Error::Zero {
            what: "number of seeds".to_string(),
        });
    }
    let mut w = Wide {
        zero_wide: vec![],
        random_narrow: vec![],
        random_wide: vec![],
        best_strips: vec![],
    };
    for &seed in seeds {
        w.zero_wide.push(wide_run(&WIDE, ZERO, seed, lr, epochs)?);
        w.random_narrow
            .push(wide_run(&NARROW, RANDOM, seed, lr, epochs)?);
        w.random_wide
            .push(wide_run(&WIDE, RANDOM, seed, lr, epochs)?);
        w.best_strips.push(best_strip_accuracy(
            &quadrants(QUADRANT_SAMPLES, seed)?,
            directions,
        )?);
    }
    Ok(w)
}

/// The three trained networks of one seed of the showcase, for its charts.
#[derive(Debug, Clone, PartialEq)]
pub struct ShowcaseRuns {
    /// The seed of the data and of the random starts.
    pub seed: u64,
    /// The quadrant data.
    pub data: Dataset,
    /// (name, widths, start, run) for 2-16-4 from zero, 2-1-4 and 2-16-4 from random.
    pub runs: Vec<(&'static str, WideRun)>,
}

/// The names of the showcase's three networks, in order.
pub const SHOWCASE: [&str; 3] = ["zero-16", "random-1", "random-16"];

/// Train the showcase's three networks on seed `seed` (learning rate `lr`, `epochs` steps).
pub fn showcase_runs(seed: u64, lr: f64, epochs: usize) -> Result<ShowcaseRuns> {
    Ok(ShowcaseRuns {
        seed,
        data: quadrants(QUADRANT_SAMPLES, seed)?,
        runs: vec![
            (SHOWCASE[0], wide_run(&WIDE, ZERO, seed, lr, epochs)?),
            (SHOWCASE[1], wide_run(&NARROW, RANDOM, seed, lr, epochs)?),
            (SHOWCASE[2], wide_run(&WIDE, RANDOM, seed, lr, epochs)?),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadrants_are_labelled_by_quadrant_and_bad_input_is_an_error() {
        let d = quadrants(200, 3).unwrap();
        for (x, &y) in d.x.rows().into_iter().zip(&d.y) {
            let expected = match (x[0] >= 0.0, x[1] >= 0.0) {
                (true, true) => 0,
                (false, true) => 1,
                (false, false) => 2,
                (true, false) => 3,
            };
            assert_eq!(y, expected);
            assert!(x[0].abs() <= 1.0 && x[1].abs() <= 1.0);
        }
        assert_eq!(d, quadrants(200, 3).unwrap());
        assert!(quadrants(0, 3).is_err());
        assert!(wide(&[], 0.5, 1, 4).is_err());
    }

    #[test]
    fn angles_and_the_one_unit_collapse() {
        assert_eq!(angle_degrees(&[1.0, 2.0], &[2.0, 4.0]), 0.0);
        assert!((angle_degrees(&[1.0, 0.0], &[0.0, 3.0]) - 90.0).abs() < 1e-12);
        assert!((angle_degrees(&[1.0, 0.0], &[-1.0, 0.0]) - 180.0).abs() < 1e-12);
        assert!((angle_degrees(&[1.0, 0.0, 0.0], &[0.0, 1.0, 0.0]) - 90.0).abs() < 1e-12);
        assert_eq!(angle_degrees(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        let net = wide_network(&WIDE, crate::CONSTANT, 0).unwrap();
        assert_eq!(widest_angle(&net), 0.0);
        let x = quadrants(50, 1).unwrap().x;
        let (a, b) = (
            net.predict(&x).unwrap(),
            collapse(&net).unwrap().predict(&x).unwrap(),
        );
        assert!(a.iter().zip(&b).all(|(p, q)| (p - q).abs() < 1e-12));
    }
}
