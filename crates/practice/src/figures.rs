//! Every chart of the chapter, and the chapter's default studies, each run once per
//! process ([`fixed_points`], [`outputs`], [`lsuv_studies`]) so that the text's code, the
//! figures, the tables and the claims test share one run.

use book::memo::Memo;

use charts::Series;
use charts::{Figure, LineChart, Mark, SeriesLabelPosition};
use initnet::Activation;

use book::Result;

use crate::SEEDS;
use crate::activations::{FixedPointStudy, Stack, chart_qs, fixed_point_study, gain_curve};
use crate::lsuv::{LSUV_ACTIVATIONS, LsuvStudy, lsuv_study};
use crate::output::{OutputSettings, OutputStart, OutputStudy, RateSweep, SWEEP_RATES, rate_sweep};

/// The fixed-point study of the chapter's stack over [`SEEDS`] (memoized).
pub fn fixed_points() -> Result<FixedPointStudy> {
    static CELL: Memo<(), FixedPointStudy> = Memo::new();
    CELL.get_or_run((), || fixed_point_study(Stack::chapter(), &SEEDS))
}

/// The learning-rate sweep of the output-layer studies over [`SWEEP_RATES`] and
/// [`SEEDS`], the other settings the default ones (memoized).
pub fn sweep() -> Result<RateSweep> {
    static CELL: Memo<(), RateSweep> = Memo::new();
    CELL.get_or_run((), || {
        rate_sweep(&OutputSettings::default(), &SWEEP_RATES, &SEEDS)
    })
}

/// The output-layer studies with the default settings over [`SEEDS`]: the sweep's first
/// rate, which is the default one (memoized with the sweep).
pub fn outputs() -> Result<Vec<OutputStudy>> {
    let sweep = sweep()?;
    debug_assert_eq!(sweep.rates[0], OutputSettings::default().lr);
    Ok(sweep.studies[0].clone())
}

/// LSUV on the chapter's stack for each of [`LSUV_ACTIVATIONS`] over [`SEEDS`] (memoized).
pub fn lsuv_studies() -> Result<Vec<LsuvStudy>> {
    static CELL: Memo<(), Vec<LsuvStudy>> = Memo::new();
    CELL.get_or_run((), || {
        LSUV_ACTIVATIONS
            .iter()
            .map(|&f| lsuv_study(Stack::chapter(), f, &SEEDS))
            .collect()
    })
}

/// The digits miniature of Glorot and Bengio's Table 1 with the default settings over
/// [`SEEDS`] (memoized).
pub fn digits_table() -> Result<Vec<(crate::digits::Setting, Vec<f64>)>> {
    static CELL: Memo<(), Vec<(crate::digits::Setting, Vec<f64>)>> = Memo::new();
    CELL.get_or_run((), || {
        crate::digits::table(&crate::digits::DigitsSettings::default(), &SEEDS)
    })
}

/// The coordinate check for both parametrizations with the default settings over
/// [`SEEDS`] (memoized).
pub fn coord_studies() -> Result<Vec<crate::width::CoordStudy>> {
    use crate::width::{CoordCheck, Parametrization, coord_study};
    static CELL: Memo<(), Vec<crate::width::CoordStudy>> = Memo::new();
    CELL.get_or_run((), || {
        [Parametrization::Standard, Parametrization::MuP]
            .iter()
            .map(|&p| coord_study(&CoordCheck::default(), p, &SEEDS))
            .collect()
    })
}

/// The coordinate check: rms of the last hidden layer and of the logits after a few Adam
/// steps, against the width, standard parametrization and μP, on log-log axes.
pub fn coord_check(studies: &[crate::width::CoordStudy]) -> Result<Figure> {
    let mut chart = LineChart::new(
        "coord-check",
        "Coordinate check: size after a few Adam steps",
    )
    .x_label("width n (log scale)")
    .y_label("rms of the entries (log scale)")
    .log_x()
    .log_y()
    .markers()
    .legend(SeriesLabelPosition::UpperLeft);
    for (i, s) in studies.iter().enumerate() {
        let xs: Vec<f64> = s.widths.iter().map(|&n| n as f64).collect();
        let name = s.parametrization.name();
        chart = chart
            .series_in(
                Series::from_xy(format!("{name}: logits"), &xs, &s.logits)?,
                Mark::Line,
                i,
            )
            .series_in(
                Series::from_xy(format!("{name}: last hidden layer"), &xs, &s.hidden)?,
                Mark::Dashed,
                i,
            );
    }
    Ok(chart.render()?)
}

/// The name of an activation in charts and tables.
pub fn label(f: Activation) -> &'static str {
    match f {
        Activation::Tanh => "tanh",
        Activation::Relu => "ReLU",
        Activation::Gelu => "GELU",
        Activation::GeluTanh => "GELU (tanh form)",
        Activation::Silu => "SiLU",
        Activation::Elu(_) => "ELU",
        Activation::Selu => "SELU",
        Activation::Sigmoid => "sigmoid",
        Activation::Identity => "identity",
        Activation::LeakyRelu(_) => "leaky ReLU",
    }
}

/// The largest gain the gain chart shows: tanh's curve stops there.
pub const GAIN_CLIP: f64 = 2.5;

/// The gain g(q) that keeps q fixed, against q (log scale), for tanh, ReLU, GELU, SiLU,
/// ELU and SELU; tanh's curve up to [`GAIN_CLIP`].
pub fn gains() -> Result<Figure> {
    let qs = chart_qs(41);
    let mut chart = LineChart::new("gains", "The gain that keeps the signal's variance q fixed")
        .x_label("variance q of the pre-activations (log scale)")
        .y_label("gain g(q)")
        .log_x()
        .legend(SeriesLabelPosition::UpperRight);
    let marks = [
        Mark::Line,
        Mark::Dashed,
        Mark::Line,
        Mark::Dashed,
        Mark::Line,
        Mark::Dashed,
    ];
    for (i, f) in [
        Activation::Tanh,
        Activation::Relu,
        Activation::Gelu,
        Activation::Silu,
        Activation::Elu(1.0),
        Activation::Selu,
    ]
    .into_iter()
    .enumerate()
    {
        let gains = gain_curve(f, &qs)?;
        // tanh's gain grows without bound: it is drawn up to GAIN_CLIP, where it leaves the
        // chart, so that the others' range 0.8 to 2 keeps its height.
        let kept: Vec<(f64, f64)> = qs
            .iter()
            .copied()
            .zip(gains)
            .take_while(|&(_, g)| g <= GAIN_CLIP)
            .collect();
        let name = if kept.len() < qs.len() {
            format!("{} (leaves the chart)", label(f))
        } else {
            label(f).to_string()
        };
        let (xs, ys): (Vec<f64>, Vec<f64>) = kept.into_iter().unzip();
        let series = Series::from_xy(name, &xs, &ys)?;
        chart = chart.series_in(series, marks[i], i);
    }
    Ok(chart.render()?)
}

/// The variance q of the pre-activations by layer for one activation of the study (SELU
/// with LeCun weights or GELU at its gain g(1)), from each of the three input scales:
/// measured (dots, mean over seeds) and the mean field (lines), one colour per start.
pub fn fixed_point_chart(study: &FixedPointStudy, activation: Activation) -> Result<Figure> {
    let (name, title) = match activation {
        Activation::Selu => (
            "fixed-points-selu",
            "SELU with LeCun's weights returns to q = 1",
        ),
        _ => ("fixed-points-gelu", "GELU at its gain g(1) leaves q = 1"),
    };
    let mut chart = LineChart::new(name, title)
        .x_label("layer l")
        .y_label("variance qˡ of the pre-activations (log scale)")
        .log_y()
        .legend(SeriesLabelPosition::UpperLeft);
    let cases = study.cases.iter().filter(|c| c.0 == activation);
    for (i, (_, _, s, runs, predicted)) in cases.enumerate() {
        let depth = predicted.len();
        let measured: Vec<f64> = (0..depth)
            .map(|l| book::mean(runs.iter().map(|r| r.q[l])))
            .collect();
        chart = chart.measured_and_predicted(
            Series::from_ys_1(format!("q¹ = {s}: measured"), &measured),
            Series::from_ys_1(format!("q¹ = {s}: mean field"), predicted),
            i,
        );
    }
    Ok(chart.render()?)
}

/// The two fixed-point charts, SELU's and GELU's.
pub fn fixed_point_charts(study: &FixedPointStudy) -> Result<Vec<Figure>> {
    [Activation::Selu, Activation::Gelu]
        .into_iter()
        .map(|f| fixed_point_chart(study, f))
        .collect()
}

/// Mean training loss by epoch for each start of the output layer, with ln K.
pub fn hockey_stick(studies: &[OutputStudy], classes: usize) -> Result<Figure> {
    let mut chart = LineChart::new(
        "hockey-stick",
        "The first epochs, by the output layer's start",
    )
    .x_label("epoch")
    .y_label("training loss (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperRight);
    // The small start last, dashed over the zero start's curve; colours by start.
    let mut drawn: Vec<(usize, &OutputStudy)> = studies.iter().enumerate().collect();
    drawn.sort_by_key(|(_, s)| s.start == OutputStart::Small);
    for (i, s) in drawn {
        chart = chart.series_in(
            Series::from_ys(
                format!(
                    "output layer {}: mean of {}",
                    s.start.name(),
                    s.losses.len()
                ),
                &s.mean_curve(),
            ),
            start_mark(s.start),
            i,
        );
    }
    let epochs = studies.first().map_or(1, |s| s.losses[0].len());
    let ln_k = initnet::math::ln(classes as f64);
    chart = chart.series_in(
        Series::from_ys(format!("ln K = ln {classes}"), &vec![ln_k; epochs]),
        Mark::Dashed,
        studies.len(),
    );
    Ok(chart.render()?)
}

/// The small start's curve lies on the zero start's: it is dashed, drawn over it.
fn start_mark(start: OutputStart) -> Mark {
    match start {
        OutputStart::Small => Mark::Dashed,
        _ => Mark::Line,
    }
}

/// The mean final training loss against the learning rate, one curve per start of the
/// output layer, on log-log axes.
pub fn rate_sweep_chart(sweep: &RateSweep) -> Result<Figure> {
    let mut chart = LineChart::new(
        "rate-sweep",
        "Final loss against the learning rate, by the output layer's start",
    )
    .x_label("learning rate η (log scale)")
    .y_label("training loss after the last epoch (log scale)")
    .log_x()
    .log_y()
    .markers()
    .legend(SeriesLabelPosition::UpperRight);
    // The small start last, dashed over the zero start's curve; colours by start.
    let mut order: Vec<(usize, OutputStart)> = OutputStart::ALL.into_iter().enumerate().collect();
    order.sort_by_key(|&(_, s)| s == OutputStart::Small);
    for (i, start) in order {
        let name = format!("output layer {}", start.name());
        let series = Series::from_xy(name, &sweep.rates, &sweep.final_losses(start))?;
        chart = chart.series_in(series, start_mark(start), i);
    }
    Ok(chart.render()?)
}

/// Every chart of the chapter.
pub fn figures() -> Result<Vec<Figure>> {
    Ok(vec![
        gains()?,
        fixed_point_chart(&fixed_points()?, Activation::Selu)?,
        fixed_point_chart(&fixed_points()?, Activation::Gelu)?,
        hockey_stick(&outputs()?, OutputSettings::default().classes)?,
        rate_sweep_chart(&sweep()?)?,
        coord_check(&coord_studies()?)?,
    ])
}
