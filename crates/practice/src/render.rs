//! The chapter's tables as markdown, written between their markers by `cargo xtask
//! figures` and checked for freshness by the book's tests.

use std::fmt::Write as _;

use book::{Generated, Result};

use crate::activations::{GainRow, TABLE_QS};
use crate::figures::label;
use crate::frameworks::FrameworkRow;
use crate::lsuv::LsuvStudy;

/// Every table of the chapter: `gains`, `lsuv`, `digits` and `frameworks`.
pub fn generated() -> Result<Vec<Generated>> {
    Ok(vec![
        Generated::new("gains", gain_table(&crate::activations::gain_table()?)),
        Generated::new("lsuv", lsuv_table(&crate::figures::lsuv_studies()?)),
        Generated::new("digits", digits_table(&crate::figures::digits_table()?)),
        Generated::new(
            "frameworks",
            framework_table(&crate::frameworks::framework_table(FRAMEWORK_SEED)?),
        ),
    ])
}

/// The seed of the framework table's samples.
pub const FRAMEWORK_SEED: u64 = 0;

/// The gain table: g(q) at each q, the slope at q = 1, PyTorch's gain.
pub fn gain_table(rows: &[GainRow]) -> String {
    let mut t = String::from("| activation |");
    for q in TABLE_QS {
        let _ = write!(t, " $g$ at $q = {q}$ |");
    }
    t.push_str(" slope at $q = 1$ | PyTorch's gain |\n| --- |");
    for _ in TABLE_QS {
        t.push_str(" ---: |");
    }
    t.push_str(" ---: | ---: |\n");
    for r in rows {
        let _ = write!(t, "| {} |", label(r.activation));
        for g in &r.gains {
            let _ = write!(t, " {g:.3} |");
        }
        let _ = writeln!(
            t,
            " {:.3} | {} |",
            r.slope,
            r.pytorch
                .map_or("not in its table".to_string(), |g| format!("{g:.3}"))
        );
    }
    t
}

/// The LSUV table: per activation, the mean field's g(1) beside LSUV's factors.
pub fn lsuv_table(studies: &[LsuvStudy]) -> String {
    let mut t = String::from(
        "| activation | mean field $g(1)$ | LSUV, layers $\\ge 2$ (mean ± sd) | layer 1 (mean) |\n\
         | --- | ---: | ---: | ---: |\n",
    );
    for s in studies {
        let (m, sd) = book::mean_sd(&s.deep_factors());
        let first = book::mean(s.factors.iter().map(|f| f[0]));
        let _ = writeln!(
            t,
            "| {} | {:.3} | {m:.3} ± {sd:.3} | {first:.3} |",
            label(s.activation),
            s.predicted
        );
    }
    t
}

/// The framework table: per default its law, the documented variance and the sampled one
/// with its z (initnet's closed form equals the documented variance; the claims test
/// checks it). Three narrow columns, so that it fits a phone; the fans follow the table.
pub fn framework_table(rows: &[FrameworkRow]) -> String {
    let mut t = String::from(
        "| default and law | Var, documented | Var, sampled |\n\
         | --- | ---: | ---: |\n",
    );
    for r in rows {
        let _ = writeln!(
            t,
            "| {}:<br>{} | {:.3e} | {:.3e}<br>($z$ = {:+.1}) |",
            r.what,
            r.law,
            r.documented,
            r.sampled,
            r.z()
        );
    }
    let (n_in, n_out) = crate::frameworks::DENSE;
    let (c_in, c_out, k) = crate::frameworks::CONV;
    let _ = writeln!(
        t,
        "\nThe example layers have $n_\\text{{in}} = {n_in}$ inputs and \
         $n_\\text{{out}} = {n_out}$ outputs; the convolutions have {c_in} input and {c_out} \
         output channels and a ${k} \\times {k}$ kernel, so fans \
         $C_\\text{{in}} k^2 = {}$ and $C_\\text{{out}} k^2 = {}$.",
        c_in * k * k,
        c_out * k * k
    );
    t
}

/// The digits miniature of Glorot and Bengio's Table 1: test error in percent, mean ± sd
/// over the seeds, with the range.
pub fn digits_table(rows: &[(crate::digits::Setting, Vec<f64>)]) -> String {
    let mut t = String::from(
        "| five hidden layers | test error here, % (mean ± sd) | range over seeds, % \
         | Glorot and Bengio, MNIST, % |\n\
         | --- | ---: | ---: | ---: |\n",
    );
    for (setting, errors) in rows {
        let pct: Vec<f64> = errors.iter().map(|e| 100.0 * e).collect();
        let (m, sd) = book::mean_sd(&pct);
        let lo = pct.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = pct.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let _ = writeln!(
            t,
            "| {} | {m:.1} ± {sd:.1} | {lo:.1} to {hi:.1} | {:.2} |",
            setting.name(),
            setting.glorot_bengio_mnist()
        );
    }
    t
}
