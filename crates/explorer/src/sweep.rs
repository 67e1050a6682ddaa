//! Every setting of the explorer at initialization: per layer, the standard deviation of
//! a^l and of dL/da^l, the saturated and dead fractions, their mean-field predictions, and
//! histograms of a^l and h^l, over [`RUN_SEEDS`] seeds.
//!
//! The numbers are those of `initlab layers --seeds 3` for the same setting (the command
//! [`crate::grid::command`] prints): each seed's network, inputs and top gradient are
//! initlab's, and the summary is [`initlab::summarize`]. It is computed faster than one
//! initlab run per setting, and to the same bits: one network per initializer, width and
//! seed serves every activation (the weights do not depend on it), one forward pass at the
//! largest depth serves every depth (the first d layers of a network are the network of
//! depth d), and [`initnet::Mlp::deltas_from`] gives the gradients of each depth from it.
//! The tests check the bits against initlab.

use initlab::{Error, LayerReport, LayerSpread, LayersReport, SATURATION_THRESHOLD};
use initnet::{Histogram, MlpSpec, layer_stats, mean_std};

use crate::grid::{ACTIVATIONS, ActivationChoice, BINS, DEPTHS, InitChoice, RUN_SEEDS, batch};

/// Counts of one layer's values over all seeds, in [`BINS`] equal bins over `[lo, hi]`
/// (values outside are clamped into the end bins). `None` when no value is finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// Lower end: the smallest value, or the mean minus 4 standard deviations if larger.
    pub lo: f64,
    /// Upper end: the largest value, or the mean plus 4 standard deviations if smaller.
    pub hi: f64,
    /// Count per bin.
    pub counts: Vec<usize>,
}

/// The counts of the finite `values`, over their own range.
pub fn counts(values: &[f64]) -> Option<Counts> {
    let (lo, hi) = own_range(values)?;
    counts_in(values, lo, hi)
}

/// The range [`counts`] bins `values` over: their smallest and largest finite values,
/// pulled in to the mean ± 4 standard deviations. `None` when no value is finite.
pub fn own_range(values: &[f64]) -> Option<(f64, f64)> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    let (mean, sd) = mean_std(&finite);
    let min = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(if sd.is_finite() {
        (min.max(mean - 4.0 * sd), max.min(mean + 4.0 * sd))
    } else {
        (min, max)
    })
}

/// The counts of the finite `values` in [`BINS`] bins over `[lo, hi]` (values outside in
/// the end bins). When `lo == hi` (every value the same) all fall in the first bin and the
/// range stays a point. `None` when no value is finite.
pub fn counts_in(values: &[f64], lo: f64, hi: f64) -> Option<Counts> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    let h = Histogram::new(&finite, BINS, lo, hi);
    Some(Counts {
        lo,
        hi: if hi > lo { h.edges[BINS] } else { lo },
        counts: h.counts,
    })
}

/// The range shared by a column of histograms: the union of the layers' own ranges.
fn shared_range<'a>(columns: impl Iterator<Item = &'a Vec<f64>>) -> Option<(f64, f64)> {
    columns
        .filter_map(|v| own_range(v))
        .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
}

/// One setting (initializer, activation, width, input scale) over the seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The activation's key.
    pub activation: &'static str,
    /// The width.
    pub width: usize,
    /// The input scale.
    pub scale: f64,
    /// For each depth of [`DEPTHS`]: the summary `initlab layers --seeds` prints.
    pub by_depth: Vec<Vec<LayerSpread>>,
    /// For each depth of [`DEPTHS`]: per layer, the smallest and largest value over the
    /// seeds of the standard deviation of a^l and of dL/da^l.
    pub ranges: Vec<Vec<[(f64, f64); 2]>>,
    /// For each depth of [`DEPTHS`] (as a layer): counts of a^l and h^l over the seeds,
    /// each over its own range.
    pub histograms: Vec<(Option<Counts>, Option<Counts>)>,
    /// The same counts over one range per column (a^l, h^l): the union of the layers'
    /// ranges, so that the layers can be compared.
    pub shared: Vec<(Option<Counts>, Option<Counts>)>,
}

/// Every activation, width and input scale the page offers with one initializer.
pub fn sweep_init(choice: &InitChoice, widths: &[usize]) -> Result<Vec<Setting>, Error> {
    let mut out = Vec::new();
    for &width in widths {
        out.extend(sweep_offered(choice, width)?);
    }
    Ok(out)
}

/// One initializer at one width: every activation offered at this width, at each of its
/// input scales.
pub fn sweep_offered(choice: &InitChoice, width: usize) -> Result<Vec<Setting>, Error> {
    let cases: Vec<(ActivationChoice, f64)> = ACTIVATIONS
        .iter()
        .filter(|a| a.widths.contains(&width))
        .flat_map(|a| a.scales.iter().map(move |&s| (*a, s)))
        .collect();
    sweep_cases(choice, width, &cases)
}

/// One initializer at one width: every activation at every one of `scales`.
pub fn sweep_width(
    choice: &InitChoice,
    width: usize,
    activations: &[ActivationChoice],
    scales: &[f64],
) -> Result<Vec<Setting>, Error> {
    let cases: Vec<(ActivationChoice, f64)> = activations
        .iter()
        .flat_map(|a| scales.iter().map(move |&s| (*a, s)))
        .collect();
    sweep_cases(choice, width, &cases)
}

/// One initializer at one width: each (activation, input scale) of `cases`, in order.
pub fn sweep_cases(
    choice: &InitChoice,
    width: usize,
    cases: &[(ActivationChoice, f64)],
) -> Result<Vec<Setting>, Error> {
    let depth = DEPTHS[DEPTHS.len() - 1];
    let init = (choice.init)();
    let b = batch(width);
    let widths = vec![width; depth + 1];
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    // reports[case][d][seed], values[case][d] = (a values, h values) of layer DEPTHS[d].
    let mut reports: Vec<Vec<Vec<LayersReport>>> =
        vec![vec![Vec::new(); DEPTHS.len()]; cases.len()];
    let mut values: Vec<Vec<(Vec<f64>, Vec<f64>)>> =
        vec![vec![(Vec::new(), Vec::new()); DEPTHS.len()]; cases.len()];
    // The mean field does not depend on the seed.
    let predictions = cases
        .iter()
        .map(|(act, scale)| {
            DEPTHS
                .iter()
                .map(|&d| initlab::mean_field(&widths[..=d], &init, act.activation, scale * scale))
                .collect::<Result<Vec<_>, Error>>()
        })
        .collect::<Result<Vec<_>, Error>>()?;
    for seed in 0..RUN_SEEDS as u64 {
        let mut net = MlpSpec::new(&widths, cases[0].0.activation, init)
            .output(cases[0].0.activation)
            .build(seed)?;
        let top = initlab::standard_normal(b, width, seed, initlab::GRADIENT_STREAM);
        for (case, (act, scale)) in cases.iter().enumerate() {
            for l in 1..=depth {
                net.layer_mut(l).activation = act.activation;
            }
            let acts = vec![act.activation; depth];
            let scale = *scale;
            let x = initlab::scaled_inputs(b, width, seed, scale)?;
            let trace = net.forward(&x)?;
            let forward = layer_stats(&trace, &acts, None, SATURATION_THRESHOLD);
            for (di, &d) in DEPTHS.iter().enumerate() {
                let da = net.deltas_from(&trace, d, &top)?;
                let layers = forward[..d]
                    .iter()
                    .zip(&da)
                    .zip(predictions[case][di].iter().copied())
                    .map(|((s, g), predicted)| LayerReport::new(s, mean_std(g).1, predicted))
                    .collect();
                let overflowed = !(trace.pre[..d].iter().chain(&trace.post[..d]).chain(&da))
                    .all(|m| m.iter().all(|v| v.is_finite()));
                reports[case][di].push(LayersReport {
                    config: initlab::LayersConfig {
                        inputs: Some(width),
                        seed,
                        ..crate::grid::layers_config(choice, act, d, width, scale)
                    },
                    layers,
                    overflowed,
                });
                let (va, vh) = &mut values[case][di];
                va.extend(trace.a(d).iter());
                vh.extend(trace.h(d).iter());
            }
        }
    }
    let mut out = Vec::with_capacity(cases.len());
    for (case, &(act, scale)) in cases.iter().enumerate() {
        let by_depth = reports[case]
            .iter()
            .map(|r| initlab::summarize(r))
            .collect::<Result<Vec<_>, Error>>()?;
        let histograms = values[case]
            .iter()
            .map(|(a, h)| (counts(a), counts(h)))
            .collect();
        let ra = shared_range(values[case].iter().map(|(a, _)| a));
        let rh = shared_range(values[case].iter().map(|(_, h)| h));
        let shared = values[case]
            .iter()
            .map(|(a, h)| {
                (
                    ra.and_then(|(lo, hi)| counts_in(a, lo, hi)),
                    rh.and_then(|(lo, hi)| counts_in(h, lo, hi)),
                )
            })
            .collect();
        let extremes = |v: &mut dyn Iterator<Item = f64>| {
            v.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                (lo.min(x), hi.max(x))
            })
        };
        let ranges = reports[case]
            .iter()
            .map(|seeds| {
                (0..seeds[0].layers.len())
                    .map(|i| {
                        [
                            extremes(&mut seeds.iter().map(|r| r.layers[i].pre_std)),
                            extremes(&mut seeds.iter().map(|r| r.layers[i].grad_std)),
                        ]
                    })
                    .collect()
            })
            .collect();
        out.push(Setting {
            activation: act.key,
            width,
            scale,
            by_depth,
            ranges,
            histograms,
            shared,
        });
    }
    Ok(out)
}
