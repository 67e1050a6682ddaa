//! Every chart and generated table of the chapter.

use charts::{Figure, LineChart, Mark, Series, SeriesLabelPosition};

use crate::SEEDS;
use crate::adam::{Failure, Reruns};
use crate::scale::{SCALES, ScaleStudy};
use crate::signal::{ProfileStudy, SETUPS, TrainingStudy};

/// Index of a setup in [`SETUPS`] by name.
fn index(name: &str) -> usize {
    SETUPS.iter().position(|s| s.name == name).unwrap_or(0)
}

/// The mean field's q^l for the setups with a prediction: plain and α = 1/√L (geometric,
/// branch gain 2), BatchNorm (linear), from the measured q^0.
pub fn predicted_q(study: &ProfileStudy, name: &str) -> book::Result<Vec<f64>> {
    let i = index(name);
    let q0 = study.mean_by_block(i, false)[0];
    let l = study.setting.blocks;
    let gain = theory::branch_gain(initnet::Activation::Relu, 2.0, 2)?.unwrap_or(2.0);
    Ok(match SETUPS[i].recipe {
        _ if SETUPS[i].norm.is_some() => theory::normalized_residual_q(q0, 1.0, 1.0, l)?,
        initnet::Recipe::Scaled => theory::residual_q(q0, 1.0 / (l as f64).sqrt(), gain, l)?,
        _ => theory::residual_q(q0, 1.0, gain, l)?,
    })
}

/// q^l by block (mean over seeds) for every setup, beside the mean field.
pub fn signal_blocks(study: &ProfileStudy) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "signal-blocks",
        "Signal through 50 residual blocks at initialization",
    )
    .x_label("block l")
    .y_label("mean square qˡ of xˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperLeft);
    for (c, name) in ["plain", "BatchNorm", "α = 1/√L"].iter().enumerate() {
        chart = chart.measured_and_predicted(
            Series::from_ys(
                format!("{name}: measured"),
                &study.mean_by_block(index(name), false),
            ),
            Series::from_ys(format!("{name}: predicted"), &predicted_q(study, name)?),
            c,
        );
    }
    chart = chart.series_in(
        Series::from_ys(
            "Fixup, ReZero, zero γ (equal)",
            &study.mean_by_block(index("ReZero"), false),
        ),
        Mark::Dashed,
        3,
    );
    Ok(chart.render()?)
}

/// The mean square of ∂L/∂xˡ by block (mean over seeds), for every setup whose gradient
/// reaches the blocks (Fixup's head starts at zero).
pub fn gradient_blocks(study: &ProfileStudy) -> book::Result<Figure> {
    let mut chart = LineChart::new(
        "gradient-blocks",
        "Gradient through 50 residual blocks at initialization",
    )
    .x_label("block l")
    .y_label("mean square of ∂L/∂xˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperRight);
    for (c, name) in ["plain", "BatchNorm", "α = 1/√L"].iter().enumerate() {
        chart = chart.series_in(
            Series::from_ys(*name, &study.mean_by_block(index(name), true)),
            Mark::Line,
            c,
        );
    }
    chart = chart.series_in(
        Series::from_ys(
            "ReZero, zero γ (equal)",
            &study.mean_by_block(index("ReZero"), true),
        ),
        Mark::Dashed,
        3,
    );
    Ok(chart.render()?)
}

fn mean_sd(v: &[f64]) -> String {
    let (m, s) = book::mean_sd(v);
    format!("{m:.3} ± {s:.3}")
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

/// The training table: per setup, runs that diverged, and the final training accuracy
/// of the others.
pub fn training_table(study: &TrainingStudy) -> String {
    let mut out = String::from(
        "| start | diverged | train accuracy | lowest |\n| --- | ---: | ---: | ---: |\n",
    );
    for (i, s) in SETUPS.iter().enumerate() {
        let acc = study.accuracies(i);
        let (shown, lowest) = if acc.is_empty() {
            ("–".to_string(), "–".to_string())
        } else {
            (mean_sd(&acc), format!("{:.3}", min(&acc)))
        };
        out += &format!(
            "| {} | {} of {} | {shown} | {lowest} |\n",
            s.name,
            study.diverged(i),
            study.outcomes[i].len()
        );
    }
    out
}

/// The scale table: per weight scale s, what changes under layer normalization.
pub fn scale_table(study: &ScaleStudy) -> String {
    let mut out = String::from(
        "| s | logit change | s·‖∂L/∂W‖ ratio | GD step ‖ΔW‖/‖W‖ | Adam step ‖ΔW‖/‖W‖ |\n\
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
    Ok(vec![signal_blocks(&study)?, gradient_blocks(&study)?])
}
