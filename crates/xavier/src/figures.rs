//! Every chart of the chapter. Each public function draws one chart (its file name and
//! title are its own) from the result of an experiment; the chapter's code blocks call
//! them, and [`figures`] runs the experiments and draws them all.

use charts::SeriesLabelPosition;
use charts::{Error, Figure, HistogramPanel, LineChart, Mark, Series};
use initnet::Activation;

use crate::experiments::{Curve, Probe, Shares, Training};
use crate::theory::{q_map, tanh_fixed_point};

/// The hidden layers of a probe: every layer but the output.
fn hidden(p: &Probe) -> usize {
    p.pre_std.len() - 1
}

fn layers_label() -> &'static str {
    "layer l"
}

/// Add "{label}: measured" as dots and "{label}: {what}" (a prediction) dashed, each in the
/// next palette colour.
fn beside(
    chart: LineChart,
    label: &str,
    measured: &[f64],
    what: &str,
    predicted: &[f64],
) -> LineChart {
    chart
        .series_as(
            Series::from_ys_1(format!("{label}: measured"), measured),
            Mark::Points,
        )
        .series_as(
            Series::from_ys_1(format!("{label}: {what}"), predicted),
            Mark::Dashed,
        )
}

/// Per-layer histograms of the tanh activations h^l under Glorot and Bengio's standard
/// init (their Figure 6, top).
pub fn activations_standard(standard: &Probe) -> Result<Figure, Error> {
    activation_histograms(
        "activations-standard",
        "tanh activations hˡ, standard init U[±1/√n]",
        standard,
    )
}

/// Per-layer histograms of the tanh activations h^l under the normalized init (their
/// Figure 6, bottom).
pub fn activations_normalized(normalized: &Probe) -> Result<Figure, Error> {
    activation_histograms(
        "activations-normalized",
        "tanh activations hˡ, normalized init U[±√(6/(nᵢₙ+nₒᵤₜ))]",
        normalized,
    )
}

/// Back-propagated gradients per layer under the standard init (their Figure 7, top).
pub fn gradients_standard(standard: &Probe) -> Result<Figure, Error> {
    gradient_histograms(
        "gradients-standard",
        "Back-propagated gradients ∂L/∂aˡ, standard init",
        standard,
    )
}

/// Back-propagated gradients per layer under the normalized init (their Figure 7, bottom).
pub fn gradients_normalized(normalized: &Probe) -> Result<Figure, Error> {
    gradient_histograms(
        "gradients-normalized",
        "Back-propagated gradients ∂L/∂aˡ, normalized init",
        normalized,
    )
}

/// Per-layer histograms of the hidden activations h^l.
fn activation_histograms(name: &str, title: &str, p: &Probe) -> Result<Figure, Error> {
    let (lo, hi) = match p.activations[0] {
        Activation::Sigmoid => (0.0, 1.0),
        _ => (-1.0, 1.0),
    };
    let mut chart = HistogramPanel::new(name, title)
        .x_label("hˡ (no unit)")
        .range(lo, hi)
        .columns(2);
    for l in 1..=hidden(p) {
        chart = chart.panel(format!("layer {l}"), &p.act_values[l - 1]);
    }
    chart.render()
}

/// Per-layer histograms of the back-propagated gradients dL/da^l of the hidden layers,
/// over +-4 times the largest layer's standard deviation.
fn gradient_histograms(name: &str, title: &str, p: &Probe) -> Result<Figure, Error> {
    let range = 4.0 * p.grad_std[..hidden(p)].iter().copied().fold(0.0, f64::max);
    let mut chart = HistogramPanel::new(name, title)
        .x_label("∂L/∂aˡ")
        .range(-range, range)
        .columns(2);
    for l in 1..=hidden(p) {
        chart = chart.panel(format!("layer {l}"), &p.grad_values[l - 1]);
    }
    chart.render()
}

/// Std of a^l per layer in Glorot and Bengio's tanh network, standard and normalized init:
/// measured, mean field and linear regime.
pub fn std_by_layer(standard: &Probe, normalized: &Probe) -> Result<Figure, Error> {
    std_chart(
        "std-by-layer",
        "Std of aˡ: measured and predicted (5 tanh layers of 300)",
        &[("standard", standard), ("normalized", normalized)],
        true,
    )
}

/// Std of a^l per layer in 30 tanh layers of 200 with gains 1 and 5/3: measured and mean
/// field.
pub fn deep_tanh_std(g1: &Probe, g53: &Probe) -> Result<Figure, Error> {
    std_chart(
        "deep-tanh-std",
        "Std of aˡ in 30 tanh layers of 200, LeCun × gain g",
        &[("g = 1", g1), ("g = 5/3", g53)],
        false,
    )
}

/// Measured standard deviation of a^l per layer beside the mean-field prediction and,
/// if `linear`, the linear-regime prediction. Hidden layers only.
fn std_chart(
    name: &str,
    title: &str,
    probes: &[(&str, &Probe)],
    linear: bool,
) -> Result<Figure, Error> {
    let mut chart = LineChart::new(name, title)
        .x_label(layers_label())
        .y_label("std of aˡ (log scale)")
        .log_y()
        .legend(SeriesLabelPosition::LowerLeft);
    for (label, p) in probes {
        let n = hidden(p);
        chart = beside(
            chart,
            label,
            &p.pre_std[..n],
            "mean field",
            &p.predicted.pre_std()[..n],
        );
        if linear {
            chart = chart.series_as(
                Series::from_ys_1(format!("{label}: linear regime"), &p.linear.pre_std()[..n]),
                Mark::Dashed,
            );
        }
    }
    chart.render()
}

/// Std of dL/da^l per layer in Glorot and Bengio's tanh network, standard and
/// normalized init: measured and mean field.
pub fn grad_std_by_layer(standard: &Probe, normalized: &Probe) -> Result<Figure, Error> {
    grad_std_chart(
        "grad-std-by-layer",
        "Std of ∂L/∂aˡ: measured and predicted",
        &[("standard", standard), ("normalized", normalized)],
    )
}

/// Std of dL/da^l per layer in 30 tanh layers of 200 with gains 1 and 5/3.
pub fn deep_tanh_grad_std(g1: &Probe, g53: &Probe) -> Result<Figure, Error> {
    grad_std_chart(
        "deep-tanh-grad-std",
        "Std of ∂L/∂aˡ in 30 tanh layers of 200",
        &[("g = 1", g1), ("g = 5/3", g53)],
    )
}

/// Measured standard deviation of dL/da^l per layer beside the mean-field prediction
/// (which starts from the measured top-layer gradient). Hidden layers only.
fn grad_std_chart(name: &str, title: &str, probes: &[(&str, &Probe)]) -> Result<Figure, Error> {
    let mut chart = LineChart::new(name, title)
        .x_label(layers_label())
        .y_label("std of ∂L/∂aˡ (log scale)")
        .log_y()
        .legend(SeriesLabelPosition::LowerRight);
    for (label, p) in probes {
        let n = hidden(p);
        chart = beside(
            chart,
            label,
            &p.grad_std[..n],
            "mean field",
            &p.predicted.grad_std()[..n],
        );
    }
    chart.render()
}

/// "Linear funnel 512 → 16" (or "Linear network 16 → 512" when it widens), from the
/// probe's widths.
fn linear_title(p: &Probe) -> String {
    let (first, last) = (
        p.widths.first().copied().unwrap_or_default(),
        p.widths.last().copied().unwrap_or_default(),
    );
    let kind = if first > last { "funnel" } else { "network" };
    format!("Linear {kind} {first} → {last}")
}

/// A linear funnel, forward: E[(a^l)^2] / E[x^2] by layer, measured and in closed form.
pub fn funnel_forward(lecun: &Probe, glorot: &Probe) -> Result<Figure, Error> {
    let mut chart = LineChart::new(
        "funnel-forward",
        format!("{}, forward: E[(aˡ)²] / E[x²]", linear_title(lecun)),
    )
    .x_label(layers_label())
    .y_label("second moment of aˡ over the input's (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperLeft);
    for (label, p) in [("LeCun", lecun), ("Glorot", glorot)] {
        let measured: Vec<f64> = p.pre_rms.iter().map(|r| r * r / p.q0).collect();
        let closed: Vec<f64> = p.predicted.q.iter().map(|q| q / p.q0).collect();
        chart = beside(chart, label, &measured, "closed form", &closed);
    }
    chart.render()
}

/// A linear funnel, backward: E[(dL/da^l)^2] / E[(dL/da^L)^2] by layer, measured and in
/// closed form.
pub fn funnel_backward(lecun: &Probe, glorot: &Probe) -> Result<Figure, Error> {
    let mut chart = LineChart::new(
        "funnel-backward",
        format!("{}, backward: E[(δˡ)²] / E[(δᴸ)²]", linear_title(lecun)),
    )
    .x_label(layers_label())
    .y_label("second moment of δˡ = ∂L/∂aˡ over the top's (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperLeft);
    for (label, p) in [("LeCun", lecun), ("Glorot", glorot)] {
        let depth = p.grad_rms.len();
        let top = initnet::math::powi(p.grad_rms[depth - 1], 2);
        let measured: Vec<f64> = p.grad_rms.iter().map(|r| r * r / top).collect();
        let closed: Vec<f64> = p
            .predicted
            .r
            .iter()
            .map(|r| r / p.predicted.r[depth - 1])
            .collect();
        chart = beside(chart, label, &measured, "closed form", &closed);
    }
    chart.render()
}

fn mean_by_epoch(curves: &[Curve], f: impl Fn(&Curve) -> &Vec<f64>) -> (Vec<f64>, Vec<f64>) {
    let epochs = curves.iter().map(|c| f(c).len()).min().unwrap_or(0);
    (0..epochs)
        .map(|e| initnet::mean_std(curves.iter().map(|c| &f(c)[e])))
        .unzip()
}

/// Training loss by epoch of 8 tanh layers of 16 on circles, standard against normalized
/// init ([`crate::training`]).
pub fn training_standard_vs_normalized(runs: &Training) -> Result<Figure, Error> {
    training_curves(
        "training-standard-vs-normalized",
        "8 tanh layers of 16 on circles",
        runs,
        ("standard", "normalized"),
    )
}

/// Training loss by epoch of 4 layers of 16 on circles, sigmoid against tanh
/// ([`crate::sigmoid_vs_tanh`]).
pub fn training_sigmoid_vs_tanh(runs: &Training) -> Result<Figure, Error> {
    training_curves(
        "training-sigmoid-vs-tanh",
        "4 layers of 16 on circles, normalized init",
        runs,
        ("sigmoid", "tanh"),
    )
}

/// Training loss by epoch: mean over seeds (solid), and the per-epoch largest and smallest
/// loss over the seeds (dashed; each may come from a different seed at each epoch).
fn training_curves(
    name: &str,
    title: &str,
    t: &Training,
    labels: (&str, &str),
) -> Result<Figure, Error> {
    let mut chart = LineChart::new(name, title)
        .x_label("epoch")
        .y_label("training loss (nats)")
        .legend(SeriesLabelPosition::UpperRight);
    for (label, curves) in [(labels.0, &t.first), (labels.1, &t.second)] {
        let (mean, _) = mean_by_epoch(curves, |c| &c.loss);
        let extreme = |pick: fn(f64, f64) -> f64, start: f64| -> Vec<f64> {
            (0..mean.len())
                .map(|e| curves.iter().map(|c| c.loss[e]).fold(start, pick))
                .collect()
        };
        let (hi, lo) = (
            extreme(f64::max, f64::NEG_INFINITY),
            extreme(f64::min, f64::INFINITY),
        );
        chart = chart
            .series(Series::from_ys(
                format!("{label}: mean over {} seeds", curves.len()),
                &mean,
            ))
            .series_as(
                Series::from_ys(format!("{label}: max over seeds"), &hi),
                Mark::Dashed,
            )
            .series_as(
                Series::from_ys(format!("{label}: min over seeds"), &lo),
                Mark::Dashed,
            );
    }
    chart.render()
}

/// Mean of the top hidden layer's activation by epoch, averaged over seeds: the sigmoid
/// and tanh networks of [`crate::sigmoid_vs_tanh`] (normalized init) and the sigmoid
/// network under the standard init ([`crate::sigmoid_standard`]), dashed.
pub fn top_layer_mean(t: &Training, standard: &[Curve]) -> Result<Figure, Error> {
    let mut chart = LineChart::new(
        "top-layer-mean",
        "Change of the top hidden layer's mean activation in training",
    )
    .x_label("epoch")
    .y_label("mean of hᴸ⁻¹ minus its start")
    .legend(SeriesLabelPosition::MiddleRight);
    for (label, curves, mark) in [
        ("sigmoid, normalized", &t.first[..], Mark::Line),
        ("sigmoid, standard", standard, Mark::Dashed),
        ("tanh, normalized", &t.second[..], Mark::Line),
    ] {
        // The change since epoch 0, so the sigmoid's small drift (a few hundredths from
        // one half) is visible beside tanh's on one axis.
        let (mean, _) = mean_by_epoch(curves, |c| &c.top_mean);
        let mean: Vec<f64> = mean.iter().map(|m| m - mean[0]).collect();
        chart = chart.series_as(
            Series::from_ys(format!("{label}: mean over {} seeds", curves.len()), &mean),
            mark,
        );
    }
    chart.render()
}

/// Per-layer mean of h^l for the logistic sigmoid and tanh, beside E[f(a)] for a
/// symmetric a: 1/2 and 0.
pub fn activation_means(sigmoid: &Probe, tanh: &Probe) -> Result<Figure, Error> {
    let n = hidden(sigmoid);
    LineChart::new(
        "sigmoid-vs-tanh-means",
        "Mean of hˡ per layer (normalized init)",
    )
    .x_label(layers_label())
    .y_label("mean of hˡ over units and inputs")
    .legend(SeriesLabelPosition::MiddleRight)
    .series_as(
        Series::from_ys_1("logistic sigmoid: measured", &sigmoid.act_mean[..n]),
        Mark::Points,
    )
    .series_as(
        Series::from_ys_1("logistic sigmoid: E[σ(a)] = 1/2", &vec![0.5; n]),
        Mark::Dashed,
    )
    .series_as(
        Series::from_ys_1("tanh: measured", &tanh.act_mean[..n]),
        Mark::Points,
    )
    .series_as(
        Series::from_ys_1("tanh: E[tanh(a)] = 0", &vec![0.0; n]),
        Mark::Dashed,
    )
    .render()
}

/// The share of the pre-activation's second moment that varies from input to input, after
/// each sigmoid layer: the logistic sigmoid at gain 1 and gain 4 (measured and mean field)
/// and the centred sigmoid at gain 4 (measured; the mean field's share is exactly 1).
pub fn signal_share(g1: &Shares, g4: &Shares) -> Result<Figure, Error> {
    let n = g1.sigmoid.len();
    let gain = |s: &Shares| {
        if s.gain == 1.0 {
            "1".to_string()
        } else {
            format!("{}", s.gain)
        }
    };
    let mut chart = LineChart::new(
        "signal-share",
        "Input-dependent share of the next layer's aˡ",
    )
    .x_label("sigmoid layers passed")
    .y_label("share of E[(aˡ)²] that varies with x (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::LowerLeft);
    for s in [g1, g4] {
        chart = beside(
            chart,
            &format!("sigmoid, g = {}", gain(s)),
            &s.sigmoid,
            "mean field",
            &s.sigmoid_mean_field,
        );
    }
    chart
        .series_as(
            Series::from_ys_1(format!("σ − 1/2, g = {}: measured", gain(g4)), &g4.centred),
            Mark::Points,
        )
        .series_as(
            Series::from_ys_1(
                format!("σ − 1/2, g = {}: mean field", gain(g4)),
                &vec![1.0; n],
            ),
            Mark::Dashed,
        )
        .render()
}

/// The mean-field map q -> g^2 E[tanh(sqrt(q) z)^2] for g = 1 and g = 5/3 against the
/// diagonal, with the fixed point of g = 5/3.
pub fn tanh_q_map() -> Result<Figure, Error> {
    let qs: Vec<f64> = (0..=60).map(|i| i as f64 * 0.05).collect();
    let curve = |g: f64| -> Result<Series, Error> {
        Ok(Series::new(
            format!("g = {}", if g == 1.0 { "1" } else { "5/3" }),
            qs.iter()
                .map(|&q| Ok((q, q_map(Activation::Tanh, g * g, 0.0, q)?)))
                .collect::<initnet::Result<_>>()
                .map_err(|e| Error::Draw(e.to_string()))?,
        ))
    };
    let star = tanh_fixed_point(5.0 / 3.0)
        .map_err(|e| Error::Draw(e.to_string()))?
        .ok_or_else(|| Error::Draw("g = 5/3 > 1 must have a non-zero fixed point".into()))?;
    LineChart::new(
        "tanh-q-map",
        "One tanh layer's variance map, Var(W) = g²/nᵢₙ",
    )
    .legend(SeriesLabelPosition::UpperLeft)
    .x_label("q = Var(aˡ⁻¹)")
    .y_label("Var(aˡ)")
    .series(curve(1.0)?)
    .series(curve(5.0 / 3.0)?)
    .series_as(
        Series::new(
            "diagonal: Var(aˡ) = Var(aˡ⁻¹)",
            qs.iter().map(|&q| (q, q)).collect(),
        ),
        Mark::Dashed,
    )
    .series_as(
        Series::new("fixed point q* of g = 5/3", vec![(star, star)]),
        Mark::Points,
    )
    .render()
}

/// Every chart of the chapter.
pub fn figures() -> book::Result<Vec<Figure>> {
    use crate::experiments::*;
    let seeds = SEEDS;
    let (standard, normalized) = glorot_bengio(Activation::Tanh, 0)?;
    let (_, sigmoid) = glorot_bengio(Activation::Sigmoid, 0)?;
    let (g1_shares, g4_shares) = (sigmoid_shares(1.0, 0)?, sigmoid_shares(4.0, 0)?);
    let (lecun, glorot) = funnel(0)?;
    let (g1, g53) = (deep_tanh(1.0, 0)?, deep_tanh(5.0 / 3.0, 0)?);
    let trained = training(&seeds)?;
    let sig = sigmoid_vs_tanh(&seeds)?;
    let sig_standard = sigmoid_standard(&seeds)?;
    Ok(vec![
        activations_standard(&standard)?,
        activations_normalized(&normalized)?,
        gradients_standard(&standard)?,
        gradients_normalized(&normalized)?,
        std_by_layer(&standard, &normalized)?,
        grad_std_by_layer(&standard, &normalized)?,
        funnel_forward(&lecun, &glorot)?,
        funnel_backward(&lecun, &glorot)?,
        training_standard_vs_normalized(&trained)?,
        activation_means(&sigmoid, &normalized)?,
        signal_share(&g1_shares, &g4_shares)?,
        training_sigmoid_vs_tanh(&sig)?,
        top_layer_mean(&sig, &sig_standard)?,
        tanh_q_map()?,
        deep_tanh_std(&g1, &g53)?,
        deep_tanh_grad_std(&g1, &g53)?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FUNNEL_WIDTHS, funnel, funnel_with};

    #[test]
    fn the_funnel_charts_follow_the_widths() {
        let (lecun, glorot) = funnel_with(&[16, 32, 64], 0).unwrap();
        assert_eq!(lecun.widths, [16, 32, 64]);
        let svg = funnel_forward(&lecun, &glorot).unwrap().svg;
        assert!(
            svg.contains("<title>Linear network 16 → 64, forward"),
            "{svg}"
        );
        assert_eq!(funnel(0).unwrap(), funnel_with(&FUNNEL_WIDTHS, 0).unwrap());
        let (lecun, glorot) = funnel(0).unwrap();
        let svg = funnel_backward(&lecun, &glorot).unwrap().svg;
        assert!(
            svg.contains("<title>Linear funnel 512 → 16, backward"),
            "{svg}"
        );
    }

    #[test]
    fn train_curve_is_train_curve_on_the_circles() {
        use crate::{
            DEEP_TRAIN_WIDTHS, LEARNING_RATE, circles, normalized_init, train_curve, train_curve_on,
        };
        use initnet::{Activation, MlpSpec};
        let spec = MlpSpec::new(&DEEP_TRAIN_WIDTHS, Activation::Tanh, normalized_init());
        let on = train_curve_on(&spec, &circles(1).unwrap(), LEARNING_RATE, 3, 1).unwrap();
        assert_eq!(train_curve(&spec, 3, 1).unwrap(), on);
        assert_eq!(on.loss.len(), 4);
        let moons = initnet::make_moons(100, 0.1, 1).unwrap();
        let slow = train_curve_on(&spec, &moons, 0.01, 3, 1).unwrap();
        assert_ne!(slow.loss, on.loss);
    }
}
