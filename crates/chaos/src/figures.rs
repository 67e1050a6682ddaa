//! Every chart of the chapter, each drawn from an experiment's result, and [`figures`],
//! which runs the experiments with the chapter's settings and draws them all.

use charts::{Figure, LineChart, Mark, Series, SeriesLabelPosition};
use theory::Criticality;

use crate::propagation::{CorrelationStudy, PhaseStudy, SIGMA_B2, correlation_studies};
use crate::trainability::Grid;
use crate::{Error, SEEDS};

/// A name for a σ_w²'s phase at σ_b²: ordered, critical (within 1%) or chaotic.
pub fn phase_name(sigma_w2: f64, sigma_b2: f64) -> Result<&'static str, Error> {
    let critical = theory::tanh_critical_sigma_w2(sigma_b2)?;
    Ok(if (sigma_w2 / critical - 1.0).abs() < 0.01 {
        "critical"
    } else if sigma_w2 < critical {
        "ordered"
    } else {
        "chaotic"
    })
}

/// The correlation of two inputs by layer, mean over seeds (dots), beside the c-map
/// (dashed), for each study.
pub fn correlation_depth(studies: &[CorrelationStudy]) -> Result<Figure, Error> {
    let mut chart = LineChart::new(
        "correlation-depth",
        "Correlation of two inputs through a deep tanh network",
    )
    .x_label("layer l")
    .y_label("correlation cˡ of the two inputs")
    .legend(SeriesLabelPosition::LowerLeft);
    for (i, s) in studies.iter().enumerate() {
        let name = format!(
            "σ_w² = {:.2} ({})",
            s.stack.sigma_w2,
            phase_name(s.stack.sigma_w2, s.stack.sigma_b2)?
        );
        chart = chart.measured_and_predicted(
            Series::from_ys_1(format!("{name}: measured"), &s.mean_c()),
            Series::from_ys_1(format!("{name}: c-map"), &s.predicted),
            i,
        );
    }
    Ok(chart.render()?)
}

/// The σ_w² of the theory curves: 0.5 to 6 in steps of 0.25, skipping points within
/// 0.02 of the critical σ_w²* at σ_b² (where ξ_c diverges), and points closing in on it
/// from both sides, σ_w²* (1 ± 10⁻ᵏ) for k = 1.5, 2, …, 4, sorted.
pub fn theory_sigma_w2(sigma_b2: f64) -> Result<Vec<f64>, Error> {
    let critical = theory::tanh_critical_sigma_w2(sigma_b2)?;
    let mut w: Vec<f64> = (0..=22)
        .map(|i| 0.5 + 0.25 * i as f64)
        .filter(|w| (w - critical).abs() > 0.02)
        .collect();
    for k in 3..=8 {
        let offset = initnet::math::pow(10.0, -0.5 * k as f64);
        w.push(critical * (1.0 - offset));
        w.push(critical * (1.0 + offset));
    }
    w.sort_by(f64::total_cmp);
    Ok(w)
}

/// ξ_c (and ξ_q) against σ_w² at the chapter's σ_b², from the mean field.
pub fn depth_scales_of(sigma_w2: &[f64]) -> Result<Vec<Criticality>, Error> {
    sigma_w2
        .iter()
        .map(|&w| Ok(Criticality::tanh(w, SIGMA_B2)?))
        .collect()
}

/// [`depth_scales_of`] the chapter's [`theory_sigma_w2`] at σ_b² = 0.05 (memoized per
/// process).
pub fn chapter_depth_scales() -> Result<Vec<Criticality>, Error> {
    static SCALES: book::memo::Memo<u8, Vec<Criticality>> = book::memo::Memo::new();
    SCALES.get_or_run(0, || depth_scales_of(&theory_sigma_w2(SIGMA_B2)?))
}

/// The top of the depth-scales chart: ξ_c above it is not drawn.
pub const DEPTH_SCALE_TOP: f64 = 100.0;

/// The depth scales ξ_c and ξ_q against σ_w² at σ_b² = 0.05, on a log scale cut at
/// [`DEPTH_SCALE_TOP`] layers, with the critical σ_w²* as a vertical line.
pub fn depth_scales(points: &[Criticality]) -> Result<Figure, Error> {
    let critical = theory::tanh_critical_sigma_w2(SIGMA_B2)?;
    let xi_c: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| p.xi_c.map(|x| (p.sigma_w2, x)))
        .filter(|&(_, x)| x <= DEPTH_SCALE_TOP)
        .collect();
    let xi_q: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| p.xi_q.map(|x| (p.sigma_w2, x)))
        .collect();
    let bottom = xi_c
        .iter()
        .chain(&xi_q)
        .map(|p| p.1)
        .fold(f64::INFINITY, f64::min);
    let line = vec![(critical, bottom), (critical, DEPTH_SCALE_TOP)];
    let (below, above): (Vec<_>, Vec<_>) = xi_c.into_iter().partition(|p| p.0 < critical);
    Ok(LineChart::new(
        "depth-scales",
        "Depth scales of a deep tanh network, σ_b² = 0.05",
    )
    .x_label("σ_w²")
    .y_label("depth scale in layers (log scale)")
    .log_y()
    .legend(SeriesLabelPosition::UpperRight)
    // ξ_c in two pieces, so that no line joins the two sides across the divergence.
    .series_in(Series::new("ξ_c, correlations", below), Mark::Line, 0)
    .series_in(Series::new("", above), Mark::Line, 0)
    .series_in(Series::new("ξ_q, lengths", xi_q), Mark::Dashed, 1)
    .series_in(
        Series::new(format!("critical σ_w²* = {critical:.3}"), line),
        Mark::Dashed,
        3,
    )
    .render()?)
}

/// The phase diagram: tanh's critical line χ₁ = 1 over (σ_w², σ_b²) from the mean field,
/// beside the σ_w² where χ₁ measured in finite networks crosses 1.
pub fn phase_diagram(phase: &PhaseStudy) -> Result<Figure, Error> {
    let mut line = Vec::new();
    for i in 0..=40 {
        let q = 0.02 * theory_q_step(i);
        let (w, b) = theory::tanh_critical_point(q)?;
        if w <= 4.5 {
            line.push((w, b));
        }
    }
    let measured: Vec<(f64, f64)> = (0..phase.sigma_b2.len())
        .filter_map(|b| phase.measured_critical(b).map(|w| (w, phase.sigma_b2[b])))
        .collect();
    Ok(LineChart::new(
        "phase-diagram",
        "Ordered (left) and chaotic (right) phases of tanh networks",
    )
    .x_label("σ_w²   (← ordered | chaotic →)")
    .y_label("σ_b²")
    .legend(SeriesLabelPosition::UpperLeft)
    .series_in(Series::new("χ₁ = 1, mean field", line), Mark::Dashed, 0)
    .series_in(
        Series::new(
            format!(
                "χ₁ = 1, measured (width {}, depth {})",
                phase.width, phase.depth
            ),
            measured,
        ),
        Mark::Points,
        1,
    )
    .render()?)
}

/// q* along the critical line: 0.02 × 1.15^i, from 0.02 to about 5.4.
fn theory_q_step(i: usize) -> f64 {
    initnet::math::powi(1.15, i as i32)
}

/// The trainability grid: the cells trained in at least half the seeds (dots, the deepest
/// of each σ_w² joined by a line, so that they differ from the others by more than their
/// colour), the others (dots), and 6 ξ_c from the mean field, cut at 60 layers (it
/// diverges at the critical point).
pub fn trainability(grid: &Grid, scales: &[Criticality]) -> Result<Figure, Error> {
    let fraction = grid.trained_fraction();
    let (mut ok, mut not, mut deepest) = (Vec::new(), Vec::new(), Vec::new());
    for (w, &sigma_w2) in grid.sigma_w2.iter().enumerate() {
        let mut top = None;
        for (d, row) in fraction.iter().enumerate() {
            let p = (sigma_w2, grid.depths[d] as f64);
            if row[w] >= 0.5 {
                ok.push(p);
                top = Some(p);
            } else {
                not.push(p);
            }
        }
        deepest.extend(top);
    }
    let top = 60.0;
    let six: Vec<(f64, f64)> = scales
        .iter()
        .map(|p| (p.sigma_w2, p.xi_c.map_or(top, |x| (6.0 * x).min(top))))
        .collect();
    let mut chart = LineChart::new(
        "trainability",
        format!(
            "Which tanh networks learn the digits in {} epochs",
            grid.task.epochs
        ),
    )
    .x_label("σ_w²")
    .y_label("depth L")
    .legend(SeriesLabelPosition::UpperRight)
    .series_in(
        Series::new("6 ξ_c, mean field (cut at 60)", six),
        Mark::Dashed,
        0,
    );
    if !deepest.is_empty() {
        chart = chart.series_in(
            Series::new("deepest trained, per σ_w²", deepest),
            Mark::Line,
            2,
        );
    }
    if !ok.is_empty() {
        chart = chart.series_in(
            Series::new("trained (half the seeds or more)", ok),
            Mark::Points,
            2,
        );
    }
    if !not.is_empty() {
        chart = chart.series_in(Series::new("not trained", not), Mark::Points, 3);
    }
    Ok(chart.render()?)
}

/// Every chart of the chapter.
pub fn figures() -> Result<Vec<Figure>, Error> {
    let correlation = correlation_depth(&correlation_studies(&SEEDS)?)?;
    let scales = chapter_depth_scales()?;
    let depth = depth_scales(&scales)?;
    let phase = phase_diagram(&PhaseStudy::chapter(&SEEDS)?)?;
    let train = trainability(&Grid::chapter(&SEEDS)?, &scales)?;
    Ok(vec![correlation, depth, phase, train])
}
