//! Every chart and generated table of the chapter.

use charts::{Figure, LineChart, Mark, Series, SeriesLabelPosition};

use crate::SEEDS;
use crate::adam::{Failure, Reruns};
use crate::scale::{SCALES, ScaleStudy};
use crate::signal::{PROFILED, ProfileStudy, SETUPS, TrainingStudy};

/// Index of a setup in [`PROFILED`] (whose first entries are [`SETUPS`]) by name.
fn index(name: &str) -> usize {
    PROFILED.iter().position(|s| s.name == name).unwrap_or(0)
}

/// Palette colours that stay distinct on the white card and on the dark themes' inverted
/// card (the palette's orange, sky blue and yellow turn dark there, so they are not used).
const BLUE: usize = 0;
const GREEN: usize = 2;
const VERMILLION: usize = 3;
const PURPLE: usize = 4;
const BLACK: usize = 6;

/// The mean field's q^l for the setups with a prediction: plain and α = 1/√L (geometric,
/// branch gain 2), BatchNorm (linear, increment γ² = 1), pre-LN (linear, increment r = 2),
/// from the measured q^0.
pub fn predicted_q(study: &ProfileStudy, name: &str) -> book::Result<Vec<f64>> {
    let i = index(name);
    let setup = PROFILED[i];
    let q0 = study.mean_by_block(i, false)[0];
    let l = study.setting.blocks;
    let gain = theory::branch_gain(initnet::Activation::Relu, 2.0, 2)?.unwrap_or(2.0);
    Ok(match setup.recipe {
        _ if setup.position == initnet::NormPosition::Pre && setup.norm.is_some() => {
            theory::pre_norm_residual_q(q0, 1.0, gain, l)?
        }
        _ if setup.norm.is_some() => theory::normalized_residual_q(q0, 1.0, 1.0, l)?,
        initnet::Recipe::Scaled => theory::residual_q(q0, 1.0 / (l as f64).sqrt(), gain, l)?,
        _ => theory::residual_q(q0, 1.0, gain, l)?,
    })
}

/// Every `step`-th point of `ys` (and the last), at x = its block: dots sparse enough for
/// the dashed prediction beneath them to show.
fn every(label: String, ys: &[f64], step: usize) -> charts::Series {
    let points = ys
        .iter()
        .enumerate()
        .filter(|(l, _)| l % step == 0 || *l + 1 == ys.len())
        .map(|(l, &y)| (l as f64, y))
        .collect();
    charts::Series::new(label, points)
}

/// The plain network's q^l by block on a log scale: the mean over seeds, the geometric mean
/// over seeds (the typical network) and the mean field's 3^l.
pub fn signal_blocks(study: &ProfileStudy) -> book::Result<Figure> {
    let plain = index("plain");
    let blocks = study.setting.blocks;
    let chart = LineChart::new(
        "signal-blocks",
        format!("Signal through {blocks} plain residual blocks at initialization"),
    )
    .x_label("block l")
    .y_label("mean square qˡ of xˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperLeft)
    .series_in(
        every(
            "mean over seeds".to_string(),
            &study.mean_by_block(plain, false),
            5,
        ),
        Mark::Points,
        BLUE,
    )
    .series_in(
        Series::from_ys(
            "geometric mean over seeds",
            &study.geometric_mean_by_block(plain, false),
        ),
        Mark::Line,
        VERMILLION,
    )
    .series_in(
        Series::from_ys("mean field 3ˡ q⁰", &predicted_q(study, "plain")?),
        Mark::Dashed,
        BLUE,
    );
    Ok(chart.render()?)
}

/// q^l by block (mean over seeds) of the networks that tame the growth, on a linear scale,
/// beside their mean fields.
pub fn signal_tamed(study: &ProfileStudy) -> book::Result<Figure> {
    let blocks = study.setting.blocks;
    let mut chart = LineChart::new(
        "signal-tamed",
        format!("Signal through {blocks} tamed residual blocks at initialization"),
    )
    .x_label("block l")
    .y_label("mean square qˡ of xˡ")
    .legend(SeriesLabelPosition::UpperLeft);
    for (name, color) in [
        ("pre-LN", PURPLE),
        ("BatchNorm", BLACK),
        ("α = 1/√L", GREEN),
    ] {
        chart = chart
            .series_in(
                every(
                    format!("{name}: measured"),
                    &study.mean_by_block(index(name), false),
                    5,
                ),
                Mark::Points,
                color,
            )
            .series_in(
                Series::from_ys(format!("{name}: predicted"), &predicted_q(study, name)?),
                Mark::Dashed,
                color,
            );
    }
    chart = chart.series_in(
        Series::from_ys(
            "Fixup, ReZero, zero γ (equal)",
            &study.mean_by_block(index("ReZero"), false),
        ),
        Mark::Line,
        VERMILLION,
    );
    Ok(chart.render()?)
}

/// The mean square of ∂ℓ/∂xˡ by block (mean over seeds), for every setup whose gradient
/// reaches the blocks (Fixup's head starts at zero), and the plain network's mean field.
pub fn gradient_blocks(study: &ProfileStudy) -> book::Result<Figure> {
    let blocks = study.setting.blocks;
    let plain = index("plain");
    let measured = study.mean_by_block(plain, true);
    // The mean field from the top: 3^(L-l) times the measured mean square at x^L.
    let top = measured[blocks];
    let predicted: Vec<f64> = theory::residual_q(top, 1.0, 2.0, blocks)?
        .into_iter()
        .rev()
        .collect();
    let mut chart = LineChart::new(
        "gradient-blocks",
        format!("Gradient through {blocks} residual blocks at initialization"),
    )
    .x_label("block l")
    .y_label("mean square of ∂ℓ/∂xˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperRight)
    .series_in(Series::from_ys("plain", &measured), Mark::Line, BLUE)
    .series_in(
        Series::from_ys("plain: mean field", &predicted),
        Mark::Dashed,
        BLUE,
    );
    for (name, color) in [("BatchNorm", BLACK), ("α = 1/√L", GREEN)] {
        chart = chart.series_in(
            Series::from_ys(name, &study.mean_by_block(index(name), true)),
            Mark::Line,
            color,
        );
    }
    chart = chart.series_in(
        Series::from_ys(
            "ReZero, zero γ (equal)",
            &study.mean_by_block(index("ReZero"), true),
        ),
        Mark::Dashed,
        VERMILLION,
    );
    Ok(chart.render()?)
}

/// Mean ± spread, joined by no-break spaces so that a narrow table does not wrap them.
fn mean_sd(v: &[f64]) -> String {
    let (m, s) = book::mean_sd(v);
    format!("{m:.3}\u{a0}±\u{a0}{s:.3}")
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// The training table: the linear baseline, then per setup the runs that diverged, the
/// final training accuracy of the others and its paired difference from the baseline
/// (mean ± standard error over seeds).
pub fn training_table(study: &TrainingStudy) -> String {
    let mut out = String::from(
        "| start | diverged | train accuracy | lowest | minus linear |\n\
         | --- | ---: | ---: | ---: | ---: |\n",
    );
    out += &format!(
        "| linear (stem + head) | – | {} | {:.3} | – |\n",
        mean_sd(&study.linear),
        min(&study.linear)
    );
    for (i, s) in SETUPS.iter().enumerate() {
        let acc = study.accuracies(i);
        let (shown, lowest) = if acc.is_empty() {
            ("–".to_string(), "–".to_string())
        } else {
            (mean_sd(&acc), format!("{:.3}", min(&acc)))
        };
        let diff = study.minus_linear(i).map_or("–".to_string(), |(m, se)| {
            // A mean that rounds to zero is shown without a sign.
            let m = if m.abs() < 5e-4 {
                "0.000".to_string()
            } else {
                format!("{m:+.3}")
            };
            format!("{m}\u{a0}±\u{a0}{se:.3}")
        });
        out += &format!(
            "| {} | {} of {} | {shown} | {lowest} | {diff} |\n",
            s.name,
            study.diverged(i),
            study.outcomes[i].len()
        );
    }
    out
}

/// The scale table: per weight multiplier κ, what changes under layer normalization.
pub fn scale_table(study: &ScaleStudy) -> String {
    let mut out = String::from(
        "| κ | logit change | κ·‖∂ℓ/∂W‖ ratio | GD step ‖ΔW‖/‖W‖ | Adam step ‖ΔW‖/‖W‖ |\n\
         | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (k, s) in SCALES.iter().enumerate() {
        let change = study
            .at(k, |a| a.logit_change)
            .iter()
            .copied()
            .fold(0.0, f64::max);
        out += &format!(
            "| {s} | {change:.1e} | {} | {:.2e} | {:.2e} |\n",
            mean_sd(&study.at(k, |a| a.grad_ratio)),
            book::mean(study.at(k, |a| a.sgd_step)),
            book::mean(study.at(k, |a| a.adam_step)),
        );
    }
    out
}

/// The Adam table: per failure, the final training accuracy under Adam of the failing
/// initialization and of He's.
pub fn adam_table(reruns: &Reruns) -> String {
    let mut out = String::from(
        "| network | initialization | train accuracy (Adam) | lowest |\n| --- | --- | ---: | ---: |\n",
    );
    for (f, acc) in Failure::ALL.iter().zip(&reruns.acc) {
        let net = match f {
            Failure::PytorchDeepRelu => "moons, 10 × 16 ReLU",
            Failure::XavierThirtyRelu => "circles, 30 × 32 ReLU",
        };
        for (name, a) in [f.name(), "He"].iter().zip(acc) {
            out += &format!("| {net} | {name} | {} | {:.3} |\n", mean_sd(a), min(a));
        }
    }
    out
}

/// The generated blocks of the chapter.
pub fn generated() -> book::Result<Vec<book::Generated>> {
    Ok(vec![
        book::Generated::new("training", training_table(&TrainingStudy::chapter(&SEEDS)?)),
        book::Generated::new("scale", scale_table(&ScaleStudy::chapter(&SEEDS)?)),
        book::Generated::new("adam", adam_table(&Reruns::chapter(&SEEDS)?)),
    ])
}

/// Every chart of the chapter, drawn with its settings.
pub fn figures() -> book::Result<Vec<Figure>> {
    let study = ProfileStudy::chapter(&SEEDS)?;
    Ok(vec![
        signal_blocks(&study)?,
        signal_tamed(&study)?,
        gradient_blocks(&study)?,
    ])
}
