//! Every chart of the chapter, each drawn from an experiment's result, and [`figures`],
//! which runs the experiments with the chapter's settings and draws them all.

use charts::SeriesLabelPosition;
use charts::{BarChart, Figure, LineChart, Mark, Series};
use initnet::{Activation, BiasInit, Init, mean_std};

use crate::SEEDS;
use crate::dying::{
    BornDead, LEARNING_RATES, LrPoint, LrSetting, born_alive_probability, remedies, trials,
};
use crate::signal::{DeepStack, StackStudy};
use crate::training::{DeepTraining, TrainingStudy, activity_at_init};

/// The rms of a^l by layer (geometric mean over seeds) beside the prediction sqrt(q^l),
/// for each study, on a log scale.
pub fn signal_depth(studies: &[(&str, &StackStudy)]) -> Result<Figure, charts::Error> {
    let mut chart = LineChart::new(
        "signal-depth",
        "RMS of the pre-activations through a deep ReLU stack",
    )
    .x_label("layer l")
    .y_label("rms of aˡ (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::LowerLeft);
    for (i, (name, s)) in studies.iter().enumerate() {
        chart = chart.measured_and_predicted(
            Series::from_ys_1(format!("{name}: measured"), &s.geometric_mean_rms()),
            Series::from_ys_1(format!("{name}: predicted"), &s.predicted),
            i,
        );
    }
    chart.render()
}

/// The random walk of the log signal: by layer, the standard deviation over seeds of
/// ln(rms of a^l) (dots) beside the exact single-input spread [`crate::signal::relu_log_rms_sd`] (dashed),
/// which the batch average can only lower.
pub fn signal_walk(study: &StackStudy) -> Result<Figure, charts::Error> {
    // The study's stack is valid, so this cannot fail; were it empty, the chart would say so.
    let single =
        crate::signal::relu_log_rms_sd(study.stack.width, study.stack.depth).unwrap_or_default();
    LineChart::new(
        "signal-walk",
        "Spread of the log signal over networks, He initialization",
    )
    .x_label("layer l")
    .y_label("standard deviation of ln(rms of aˡ)")
    .legend(SeriesLabelPosition::UpperLeft)
    .measured_and_predicted(
        Series::from_ys_1(
            format!(
                "measured over {} seeds (batch of {})",
                study.seeds.len(),
                study.stack.batch
            ),
            &study.log_rms_sd(),
        ),
        Series::from_ys_1("one input, exact", &single),
        0,
    )
    .render()
}

/// Mean training accuracy by epoch with He and with Xavier initialization, with the worst
/// He run and the best Xavier run (the closest the two come).
pub fn training_curves(
    he: &TrainingStudy,
    xavier: &TrainingStudy,
) -> Result<Figure, charts::Error> {
    let final_acc = |s: &TrainingStudy, i: usize| s.histories[i].last().accuracy;
    let pick = |s: &TrainingStudy, best: bool| {
        (0..s.histories.len())
            .reduce(|a, b| {
                let better = final_acc(s, b) > final_acc(s, a);
                if better == best { b } else { a }
            })
            .unwrap_or(0)
    };
    LineChart::new("training-curves", "Thirty ReLU layers on two circles")
        .x_label("epoch")
        .y_label("training accuracy (fraction correct)")
        .legend(SeriesLabelPosition::LowerRight)
        .series(Series::from_ys(
            format!("He: mean of {} runs", he.histories.len()),
            &he.mean_accuracy_curve(),
        ))
        .series_as(
            Series::from_ys("He: worst run", &he.histories[pick(he, false)].accuracies()),
            Mark::Points,
        )
        .series(Series::from_ys(
            format!("Xavier: mean of {} runs", xavier.histories.len()),
            &xavier.mean_accuracy_curve(),
        ))
        .series_as(
            Series::from_ys(
                "Xavier: best run",
                &xavier.histories[pick(xavier, true)].accuracies(),
            ),
            Mark::Dashed,
        )
        .render()
}

/// Per layer, the fraction of zero activations and of dead units at initialization, mean
/// over the runs in `activity` (one `Vec` of layers per seed).
pub fn activity_by_layer(
    activity: &[Vec<crate::dying::LayerActivity>],
) -> Result<Figure, charts::Error> {
    let depth = activity.first().map_or(0, Vec::len);
    let mean = |f: &dyn Fn(&crate::dying::LayerActivity) -> f64| -> Vec<f64> {
        (0..depth)
            .map(|l| activity.iter().map(|r| f(&r[l])).sum::<f64>() / activity.len() as f64)
            .collect()
    };
    LineChart::new(
        "activity-at-init",
        "Zero activations versus dead units at initialization",
    )
    .x_label("hidden layer l")
    .y_label("fraction (mean over seeds)")
    .markers()
    .legend(SeriesLabelPosition::LowerRight)
    .series(Series::from_ys_1(
        "zero activations (one input)",
        &mean(&|a| a.zero_fraction),
    ))
    .series(Series::from_ys_1(
        "dead units (every input)",
        &mean(&|a| a.dead_fraction),
    ))
    .series_as(
        Series::new("1/2", vec![(1.0, 0.5), (depth as f64, 0.5)]),
        Mark::Dashed,
    )
    .render()
}

/// Dead fraction of hidden units at initialization and after training, by learning rate
/// (mean ± standard deviation over seeds): the runs that finished, and apart from them
/// the last finite state of the runs that diverged.
pub fn dead_vs_lr(points: &[LrPoint]) -> Result<Figure, charts::Error> {
    let mut chart = BarChart::new(
        "dead-vs-lr",
        "Dead ReLU units after training, by learning rate",
    )
    .x_label("learning rate")
    .y_label("fraction of hidden units dead (mean ± sd)");
    for p in points {
        let cat = format!("{}", p.lr);
        let (m0, s0) = mean_std(&p.dead_at_init());
        chart = chart.bar(&cat, "at initialization", m0, s0);
        let finished = p.dead_after_runs(true);
        if !finished.is_empty() {
            let (m1, s1) = mean_std(&finished);
            chart = chart.bar(&cat, "after training, finished runs", m1, s1);
        }
        let failed = p.dead_after_runs(false);
        if !failed.is_empty() {
            let (m2, s2) = mean_std(&failed);
            chart = chart.bar(&cat, "diverged runs, last finite state", m2, s2);
        }
    }
    chart.render()
}

/// The born-dead probability by depth: for each setting the Monte Carlo estimate (dots,
/// with error bars of two binomial standard errors) and, where it applies, the closed form
/// (dashed, same colour; its p is also the one the standard error is computed from).
pub fn born_dead(studies: &[BornDeadSeries]) -> Result<Figure, charts::Error> {
    let mut chart = LineChart::new(
        "born-dead",
        "Probability that a narrow ReLU network is born dead",
    )
    .x_label("depth L (layers)")
    .y_label("P(some layer is all zero)")
    .legend(SeriesLabelPosition::LowerRight);
    // The settings without a closed form (the biases) first, so that the closed-form dashed
    // lines are drawn over their dots rather than hidden under them.
    let mut order: Vec<usize> = (0..studies.len()).collect();
    order.sort_by_key(|&i| studies[i].closed_alive.is_some());
    for i in order {
        let s = &studies[i];
        let measured = s.monte_carlo.fraction();
        let p: Vec<f64> = match &s.closed_alive {
            Some(alive) => alive.iter().map(|a| 1.0 - a).collect(),
            None => measured.clone(),
        };
        if s.closed_alive.is_some() {
            chart = chart.series_in(
                Series::from_ys_1(format!("{}: closed form", s.name), &p),
                Mark::Dashed,
                i,
            );
        }
        let errors = p
            .iter()
            .map(|&p| 2.0 * s.monte_carlo.standard_error(p))
            .collect();
        chart = chart.points_with_errors(
            Series::from_ys_1(format!("{}: Monte Carlo ± 2 se", s.name), &measured),
            errors,
            i,
        );
    }
    chart.render()
}

/// Dead fraction at initialization and after training (runs that did not diverge) for
/// each remedy (mean ± sd).
pub fn remedies_chart(runs: &[(String, LrPoint)]) -> Result<Figure, charts::Error> {
    let mut chart = BarChart::new("remedies", "Remedies for dying ReLU units")
        .x_label("setting")
        .y_label("fraction of hidden units dead (mean ± sd)");
    for (name, p) in runs {
        let (m0, s0) = mean_std(&p.dead_at_init());
        let (m1, s1) = mean_std(&p.dead_after_runs(true));
        chart = chart.bar(name, "at initialization", m0, s0).bar(
            name,
            "after training, finished runs",
            m1,
            s1,
        );
    }
    chart.render()
}

/// The chapter's stack studies: He, LeCun (= Glorot for square layers) and leaky He.
pub fn stack_studies() -> Result<Vec<(&'static str, StackStudy)>, crate::Error> {
    let stack = DeepStack::chapter();
    let s = SEEDS;
    Ok(vec![
        (
            "He",
            StackStudy::run(stack, Activation::Relu, Init::he_normal(), &s)?,
        ),
        (
            "LeCun = Glorot",
            StackStudy::run(stack, Activation::Relu, Init::lecun_normal(), &s)?,
        ),
        (
            "leaky 0.1, He",
            StackStudy::run(
                stack,
                Activation::LeakyRelu(0.1),
                Init::he_normal_leaky(0.1)?,
                &s,
            )?,
        ),
    ])
}

/// One setting of the born-dead experiment: its Monte Carlo estimate and, with zero
/// biases, the closed form.
#[derive(Debug, Clone, PartialEq)]
pub struct BornDeadSeries {
    /// Legend name, for example `"width 2"`.
    pub name: String,
    /// P(alive after layer l), l = 1..=depth, from the Markov chain (None when it does not
    /// apply, as with non-zero biases).
    pub closed_alive: Option<Vec<f64>>,
    /// The Monte Carlo estimate.
    pub monte_carlo: BornDead,
}

/// The chapter's born-dead settings, to depth 30 with one network per trial seed: widths
/// 2, 3 and 4 with zero biases, and width 3 with biases 0.1.
pub fn born_dead_studies() -> Result<Vec<BornDeadSeries>, crate::Error> {
    let depth = 30;
    let t = trials();
    let mut out = Vec::new();
    for width in [2, 3, 4] {
        out.push(BornDeadSeries {
            name: format!("width {width}"),
            closed_alive: Some(born_alive_probability(width, depth)?),
            monte_carlo: BornDead::run(
                width,
                depth,
                Activation::Relu,
                Init::he_normal(),
                BiasInit::Zeros,
                &t,
            )?,
        });
    }
    out.push(BornDeadSeries {
        name: "width 3, biases 0.1".to_string(),
        closed_alive: None,
        monte_carlo: BornDead::run(
            3,
            depth,
            Activation::Relu,
            Init::he_normal(),
            BiasInit::Constant(0.1),
            &t,
        )?,
    });
    Ok(out)
}

/// Every chart of the chapter, from the chapter's settings and seeds.
pub fn figures() -> Result<Vec<Figure>, crate::Error> {
    let stacks = stack_studies()?;
    // The leaky stack's curve lies on He's: the chart draws He and LeCun only.
    let signal = signal_depth(&[(stacks[0].0, &stacks[0].1), (stacks[1].0, &stacks[1].1)])?;
    let walk = signal_walk(&stacks[0].1)?;

    let setting = DeepTraining::chapter();
    let he_runs = TrainingStudy::run(&setting, Init::he_normal(), &SEEDS)?;
    let xavier_runs = TrainingStudy::run(&setting, Init::xavier_normal(), &SEEDS)?;
    let curves = training_curves(&he_runs, &xavier_runs)?;

    let activity = activity_by_layer(&activity_at_init(&setting, Init::he_normal(), &SEEDS)?)?;

    let sweep = LrSetting::chapter().sweep(&LEARNING_RATES, &SEEDS)?;
    let lr = dead_vs_lr(&sweep)?;

    let born = born_dead(&born_dead_studies()?)?;

    let runs = remedy_runs()?;
    let rem = remedies_chart(&runs)?;
    Ok(vec![signal, walk, curves, activity, lr, born, rem])
}

/// The chapter's remedies at learning rate 0.5 (smaller: 0.1), one run per seed each.
pub fn remedy_runs() -> Result<Vec<(String, LrPoint)>, crate::Error> {
    remedies(0.5, 0.1)?
        .into_iter()
        .map(|(name, setting, lr)| {
            Ok((
                format!("{name}, lr {lr}"),
                setting.sweep(&[lr], &SEEDS)?.remove(0),
            ))
        })
        .collect()
}
