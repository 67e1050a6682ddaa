//! Axis scales and their ticks: nice round values, integers only on integer data, and at
//! least three labelled ticks on a log axis.

use crate::style::{LABEL_SIZE, format_number};
use crate::text;

/// A linear or logarithmic map from data values onto [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) log: bool,
}

impl Scale {
    /// Where `v` falls between the ends: 0 at `lo`, 1 at `hi`.
    pub(crate) fn unit(&self, v: f64) -> f64 {
        if self.log {
            (libm::log(v) - libm::log(self.lo)) / (libm::log(self.hi) - libm::log(self.lo))
        } else {
            (v - self.lo) / (self.hi - self.lo)
        }
    }
}

/// 10^k, multiplied out in a fixed order (the platform's `powi` leaves its rounding
/// unspecified): exact for 0 <= k <= 22, and 1 / 10^|k|, rounded once, below.
/// Positions on a log axis use `libm`'s log, not the platform's, so that a chart is the
/// same bytes on every CPU.
pub(crate) fn pow10(k: i32) -> f64 {
    let p = (0..k.unsigned_abs()).fold(1.0, |p, _| p * 10.0);
    if k < 0 { 1.0 / p } else { p }
}

/// The ticks of an axis: labelled values (with grid lines) and unlabelled ones (light
/// grid lines only).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    pub(crate) major: Vec<(f64, String)>,
    pub(crate) minor: Vec<f64>,
}

/// Which way an axis runs, for the spacing its labels need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Labels side by side: each needs its width plus a gap.
    Horizontal,
    /// Labels stacked: each needs about two lines of height.
    Vertical,
}

/// Smallest gap between neighbouring horizontal tick labels.
const LABEL_GAP: f64 = 14.0;
/// Smallest distance between neighbouring vertical tick labels.
const VERTICAL_PITCH: f64 = 2.1 * LABEL_SIZE;
/// At most this many labelled ticks along a horizontal and a vertical axis.
const MAX_HORIZONTAL: usize = 10;
const MAX_VERTICAL: usize = 7;

/// The ticks of `scale` drawn over `length` px: on a linear axis the densest round step
/// (1, 2 or 5 times a power of ten; whole numbers when `integer`) whose labels fit; on a
/// log axis powers of ten if at least three fall inside, otherwise 1-2-5 or 1-to-9
/// multiples, otherwise round linear steps, so there are always at least three labels
/// where the range allows.
pub(crate) fn ticks(scale: &Scale, integer: bool, length: f64, dir: Direction) -> Ticks {
    if scale.log {
        log_ticks(scale, length, dir)
    } else {
        Ticks {
            major: linear_ticks(scale, integer, length, dir),
            minor: Vec::new(),
        }
    }
}

fn fits(scale: &Scale, ticks: &[(f64, String)], length: f64, dir: Direction) -> bool {
    let max = match dir {
        Direction::Horizontal => MAX_HORIZONTAL,
        Direction::Vertical => MAX_VERTICAL,
    };
    if ticks.len() > max {
        return false;
    }
    ticks.windows(2).all(|w| {
        let gap = (scale.unit(w[1].0) - scale.unit(w[0].0)).abs() * length;
        match dir {
            Direction::Horizontal => {
                let need = (text::width(&w[0].1, LABEL_SIZE, false)
                    + text::width(&w[1].1, LABEL_SIZE, false))
                    / 2.0
                    + LABEL_GAP;
                gap >= need
            }
            Direction::Vertical => gap >= VERTICAL_PITCH,
        }
    })
}

/// Round linear steps over `scale`, densest first that fits (falling back to the coarsest
/// that leaves two ticks).
fn linear_ticks(scale: &Scale, integer: bool, length: f64, dir: Direction) -> Vec<(f64, String)> {
    let (lo, hi) = (scale.lo, scale.hi);
    let span = hi - lo;
    let first = libm::log10(span / 100.0).floor() as i32;
    let mut fallback = Vec::new();
    for k in first..first + 8 {
        for m in [1.0, 2.0, 5.0] {
            let step = m * pow10(k);
            if integer && step < 1.0 {
                continue;
            }
            let values = multiples(lo, hi, step);
            if values.len() < 2 {
                continue;
            }
            let labelled = label_linear(&values, step);
            if fits(scale, &labelled, length, dir) {
                return labelled;
            }
            fallback = labelled;
        }
    }
    fallback
}

/// The multiples of `step` within [lo, hi] (with a tolerance of a millionth of a step).
fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let a = (lo / step - 1e-6).ceil() as i64;
    let b = (hi / step + 1e-6).floor() as i64;
    if b < a || b - a > 10_000 {
        return Vec::new();
    }
    (a..=b).map(|i| i as f64 * step).collect()
}

/// Labels with as many decimals as the step needs, all alike (0.0, 0.5, 1.0), a real
/// minus sign, and powers of ten for very large or small values.
fn label_linear(values: &[f64], step: f64) -> Vec<(f64, String)> {
    let biggest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if biggest >= 1e5 || step < 1e-3 {
        return values.iter().map(|&v| (v, scientific(v))).collect();
    }
    let decimals = (0..10)
        .find(|&d| {
            let scaled = step * pow10(d);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(10) as usize;
    values
        .iter()
        .map(|&v| (v, minus(&format!("{v:.decimals$}"))))
        .collect()
}

/// `-` as a real minus sign, and `-0` (or `-0.00`) as `0`.
fn minus(s: &str) -> String {
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s.replace('-', "−")
    }
}

/// `v` as 10ⁿ or m×10ⁿ with Unicode superscripts (m with at most three digits).
fn scientific(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let s = format!("{v:.2e}");
    let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    let power = format!("10^{{{exponent}}}");
    let power: String = text::plain(&power);
    match mantissa {
        "1" => power,
        "-1" => format!("−{power}"),
        m => format!("{}×{power}", minus(m)),
    }
}

/// Ticks of a log axis (see [`ticks`]).
fn log_ticks(scale: &Scale, length: f64, dir: Direction) -> Ticks {
    let (lo, hi) = (scale.lo, scale.hi);
    let d0 = (libm::log10(lo) - 1e-9).ceil() as i32;
    let d1 = (libm::log10(hi) + 1e-9).floor() as i32;
    let inside = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    // Multiples m x 10^k of a decade that lie inside the range.
    let multiples_of = |ms: &[f64]| -> Vec<f64> {
        let mut out = Vec::new();
        for k in d0 - 1..=d1 {
            for &m in ms {
                let v = m * pow10(k);
                if inside(v) {
                    out.push(v);
                }
            }
        }
        out
    };
    let all_nine = multiples_of(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    // Minor ticks at every multiple 1..9 of a power of ten that is not a major tick.
    let nine_but = |major: &[f64]| -> Vec<f64> {
        all_nine
            .iter()
            .copied()
            .filter(|v| !major.contains(v))
            .collect()
    };
    if d1 - d0 + 1 >= 3 {
        let decades: Vec<i32> = (d0..=d1).collect();
        for stride in [1, 2, 3, 4, 5, 10, 20, 50, 100] {
            let major: Vec<f64> = decades
                .iter()
                .filter(|d| d.rem_euclid(stride) == 0)
                .map(|&d| pow10(d))
                .collect();
            let labelled = label_log(&major);
            if labelled.len() >= 2 && (fits(scale, &labelled, length, dir) || stride == 100) {
                let mut minor: Vec<f64> = decades
                    .iter()
                    .map(|&d| pow10(d))
                    .filter(|v| !major.contains(v))
                    .collect();
                if stride == 1 && decades.len() <= 4 {
                    minor = nine_but(&major);
                }
                return Ticks {
                    major: labelled,
                    minor,
                };
            }
        }
    }
    for ms in [
        &[1.0, 2.0, 5.0][..],
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0][..],
    ] {
        let major = multiples_of(ms);
        let labelled = label_log(&major);
        if labelled.len() >= 3 && fits(scale, &labelled, length, dir) {
            let minor = nine_but(&major);
            return Ticks {
                major: labelled,
                minor,
            };
        }
    }
    // A narrow range: round linear steps, labelled as on a linear axis.
    Ticks {
        major: linear_ticks(scale, false, length, dir)
            .into_iter()
            .filter(|(v, _)| *v > 0.0)
            .collect(),
        minor: Vec::new(),
    }
}

/// Labels of log ticks: plain numbers when all lie in [0.001, 10⁴], powers of ten otherwise.
fn label_log(values: &[f64]) -> Vec<(f64, String)> {
    let plain = values
        .iter()
        .all(|v| (1e-3 * 0.999..=1e4 * 1.001).contains(v));
    values
        .iter()
        .map(|&v| {
            let label = if plain {
                format_number(v)
            } else {
                scientific(v)
            };
            (v, label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(t: &[(f64, String)]) -> Vec<&str> {
        t.iter().map(|(_, s)| s.as_str()).collect()
    }

    fn lin(lo: f64, hi: f64) -> Scale {
        Scale { lo, hi, log: false }
    }

    fn log(lo: f64, hi: f64) -> Scale {
        Scale { lo, hi, log: true }
    }

    #[test]
    fn powers_of_ten_are_exact_and_log_positions_exact_at_decades() {
        assert_eq!(pow10(0), 1.0);
        assert_eq!(pow10(22), 1e22);
        assert_eq!(pow10(-3), 0.001);
        assert_eq!(pow10(-22), 1e-22);
        for k in -30..=30 {
            assert_eq!(libm::log10(pow10(k)), f64::from(k), "10^{k}");
        }
        assert_eq!(log(1e-3, 1e3).unit(1.0), 0.5);
    }

    #[test]
    fn integer_axes_get_whole_numbers_only() {
        let t = ticks(&lin(0.8, 5.2), true, 500.0, Direction::Horizontal);
        assert_eq!(labels(&t.major), ["1", "2", "3", "4", "5"]);
        let t = ticks(&lin(0.8, 2.2), true, 500.0, Direction::Horizontal);
        assert_eq!(labels(&t.major), ["1", "2"]);
        let t = ticks(&lin(-50.0, 1050.0), true, 500.0, Direction::Horizontal);
        assert_eq!(labels(&t.major), ["0", "200", "400", "600", "800", "1000"]);
        // Without the integer constraint the same short range gets halves.
        let t = ticks(&lin(0.8, 2.2), false, 500.0, Direction::Horizontal);
        assert!(labels(&t.major).contains(&"1.2"), "{t:?}");
    }

    #[test]
    fn linear_labels_share_their_decimals_and_use_a_minus_sign() {
        let t = ticks(&lin(-1.05, 1.05), false, 300.0, Direction::Vertical);
        assert_eq!(labels(&t.major), ["−1.0", "−0.5", "0.0", "0.5", "1.0"]);
        let t = ticks(&lin(0.0, 2e-5), false, 300.0, Direction::Vertical);
        assert!(t.major.iter().any(|(_, s)| s.contains("×10⁻⁵")), "{t:?}");
        // Steps under a thousandth are written with powers of ten, zero as 0.
        let t = ticks(&lin(-2.6e-4, 2.6e-4), false, 240.0, Direction::Horizontal);
        assert_eq!(labels(&t.major), ["−2×10⁻⁴", "0", "2×10⁻⁴"]);
    }

    #[test]
    fn log_axes_have_at_least_three_labels() {
        // The failure of the old charts: a curve in 0.15 to 1 labelled only "1" and "10".
        let t = ticks(&log(0.14, 1.05), false, 300.0, Direction::Vertical);
        assert_eq!(labels(&t.major), ["0.2", "0.5", "1"]);
        let t = ticks(&log(1e-6, 2.0), false, 300.0, Direction::Vertical);
        assert!(t.major.len() >= 3 && t.major.len() <= MAX_VERTICAL, "{t:?}");
        assert!(labels(&t.major).contains(&"10⁻⁶"), "{t:?}");
        let t = ticks(&log(3.0, 300.0), false, 500.0, Direction::Horizontal);
        assert_eq!(labels(&t.major), ["5", "10", "20", "50", "100", "200"]);
        let t = ticks(&log(0.9, 1.1), false, 300.0, Direction::Vertical);
        assert!(t.major.len() >= 3, "{t:?}");
        let t = ticks(&log(1e-30, 10.0), false, 300.0, Direction::Vertical);
        assert!(t.major.len() >= 3 && t.major.len() <= MAX_VERTICAL, "{t:?}");
    }

    #[test]
    fn scientific_labels() {
        assert_eq!(scientific(1e-5), "10⁻⁵");
        assert_eq!(scientific(2e6), "2×10⁶");
        assert_eq!(scientific(-2.5e-7), "−2.5×10⁻⁷");
        assert_eq!(minus("-0.00"), "0.00");
        assert_eq!(minus("-1.5"), "−1.5");
    }
}
