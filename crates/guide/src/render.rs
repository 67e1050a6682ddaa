//! The chapter's tables as markdown. [`generated`] runs the experiments and renders every
//! table, and `cargo xtask figures` writes them into the chapter between their marker
//! comments (see `book::generated`), so the tables in the book are the output of the code.
//! Each number cell also has a key, so that the prose can quote a cell as a claim
//! (`<var data-claim="rec.tanh.var">`) and its claims test can look the value up.

use std::fmt::Write as _;

use book::Generated;

use crate::compare::{Summary, Task, TaskSpec};
use crate::figures::{STACK, comparison};
use crate::table::{EXAMPLE_LAYER, FrameworkRow, Row};
use crate::{Result, SEEDS};

/// Every table of the chapter, by the name of its block in the text: `recommendations`,
/// `frameworks`, `tasks` and `comparison` (which trains every initializer on every task
/// over [`SEEDS`]).
pub fn generated() -> Result<Vec<Generated>> {
    let (n_in, n_out) = EXAMPLE_LAYER;
    let specs: Vec<_> = Task::ALL.iter().map(|t| t.spec()).collect();
    Ok(vec![
        Generated::new(
            "recommendations",
            recommendation_table(&crate::table::recommendation_table(n_in, n_out)?).markdown,
        ),
        Generated::new(
            "frameworks",
            framework_table(&crate::table::framework_table(STACK.0)?).markdown,
        ),
        Generated::new("tasks", task_table(&specs).markdown),
        Generated::new(
            "tanh-gain",
            tanh_gain_table(&crate::gain::tanh_gain_table(&crate::gain::DEPTHS)?).markdown,
        ),
        Generated::new(
            "comparison",
            comparison_table(&comparison(&SEEDS)?).markdown,
        ),
        Generated::new("paired", paired_table(&comparison(&SEEDS)?)?.markdown),
    ])
}

/// A rendered table: the markdown, and the text of every number cell by its key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    /// The markdown table, one row per line, ending in a newline.
    pub markdown: String,
    /// (key, text) of every number cell, in order: what the prose quotes as a claim.
    pub cells: Vec<(String, String)>,
}

impl Rendered {
    /// A number cell: its text, recorded under `key`.
    fn cell(&mut self, key: String, text: String) -> String {
        self.cells.push((key, text.clone()));
        text
    }

    /// The text of the number cell `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The header separator: `left` left-aligned (text) columns, then `right` right-aligned
    /// (number) columns.
    fn separator(&mut self, left: usize, right: usize) {
        let cells: Vec<String> = ["---"]
            .repeat(left)
            .into_iter()
            .chain(["---:"].repeat(right))
            .map(String::from)
            .collect();
        self.row(&cells);
    }

    fn row(&mut self, cells: &[String]) {
        let _ = writeln!(self.markdown, "| {} |", cells.join(" | "));
    }
}

impl std::fmt::Display for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.markdown)
    }
}

/// The math of an initializer's variance, for the recommendation table.
fn variance_formula(row: &Row) -> &'static str {
    use initnet::Scheme::*;
    match row.init.scheme {
        LecunNormal | LecunUniform => "$1/n_\\text{in}$",
        XavierNormal | XavierUniform => "$2/(n_\\text{in}+n_\\text{out})$",
        HeNormal { alpha } | HeUniform { alpha } if alpha == 0.0 => "$2/n_\\text{in}$",
        HeNormal { .. } | HeUniform { .. } => "$2/((1+\\alpha^2)\\,n_\\text{in})$",
        _ => "fixed",
    }
}

/// A claim key part from a display name: lower case, runs of other characters as one `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The recommendation table: activation, initializer, Var(W) as math and for the example
/// layer, normal std, uniform limit, gain. Keys `rec.<activation>.<column>`.
pub fn recommendation_table(rows: &[Row]) -> Rendered {
    let mut t = Rendered::default();
    t.row(&[
        "activation".into(),
        "initializer".into(),
        "$\\mathrm{Var}(W)$".into(),
        "$\\mathrm{Var}(W)$ here".into(),
        "normal std".into(),
        "uniform limit".into(),
        "gain".into(),
    ]);
    t.separator(3, 4);
    for r in rows {
        let key = format!("rec.{}", slug(&r.activation.to_string()));
        let cells = [
            format!("`{}`", r.activation),
            format!("`{}`", r.init),
            variance_formula(r).to_string(),
            t.cell(format!("{key}.var"), format!("{:.5}", r.variance)),
            t.cell(format!("{key}.std"), format!("{:.4}", r.normal_std)),
            t.cell(format!("{key}.limit"), format!("{:.4}", r.uniform_limit)),
            t.cell(format!("{key}.gain"), format!("{:.4}", r.gain)),
        ];
        t.row(&cells);
    }
    t
}

/// The framework table: n Var(W), against LeCun and He, and the predicted per-layer shrink
/// of the signal in deep ReLU and (small-signal) tanh stacks. Keys `fw.<framework>.<column>`.
pub fn framework_table(rows: &[FrameworkRow]) -> Rendered {
    let mut t = Rendered::default();
    t.row(&[
        "default".into(),
        "$n\\,\\mathrm{Var}(W)$".into(),
        "vs LeCun".into(),
        "vs He".into(),
        "ReLU: std shrinks per layer by".into(),
        "tanh (small signal)".into(),
    ]);
    t.separator(1, 5);
    for r in rows {
        let key = format!(
            "fw.{}",
            slug(
                r.framework
                    .name
                    .split(' ')
                    .next()
                    .unwrap_or(r.framework.name)
            )
        );
        let cells = [
            r.framework.name.to_string(),
            t.cell(format!("{key}.gain"), format!("{:.4}", r.weight_gain)),
            t.cell(format!("{key}.vs-lecun"), format!("{:.4}", r.vs_lecun)),
            t.cell(format!("{key}.vs-he"), format!("{:.4}", r.vs_he)),
            t.cell(
                format!("{key}.relu-shrink"),
                format!("{:.4}", r.relu_shrink),
            ),
            t.cell(
                format!("{key}.tanh-shrink"),
                format!("{:.4}", r.tanh_shrink),
            ),
        ];
        t.row(&cells);
    }
    t
}

/// `mean ± spread` with three decimals, joined by no-break spaces so that a table cell
/// does not wrap inside it.
pub fn mean_spread((mean, spread): (f64, f64)) -> String {
    format!("{mean:.3}\u{a0}±\u{a0}{spread:.3}")
}

/// The header of the comparison table.
pub fn comparison_header() -> Rendered {
    let mut t = Rendered::default();
    t.row(&[
        "task".into(),
        "initializer".into(),
        "train accuracy".into(),
        "test accuracy".into(),
        "train loss".into(),
        "diverged".into(),
    ]);
    t.separator(2, 4);
    t
}

/// The comparison rows of one task (mean ± spread over the seeds that did not diverge;
/// a dash where every seed diverged). Keys `cmp.<task>.<initializer>.<column>`.
pub fn comparison_rows(summaries: &[Summary]) -> Rendered {
    let mut t = Rendered::default();
    for s in summaries {
        let key = format!("cmp.{}.{}", s.task.key(), s.candidate.key());
        let finished = s.diverged < s.runs.len();
        let stat = |t: &mut Rendered, column: &str, value: (f64, f64)| {
            if finished {
                t.cell(format!("{key}.{column}"), mean_spread(value))
            } else {
                "—".to_string()
            }
        };
        let cells = [
            format!("`{}`", s.task.key()),
            s.candidate.label().to_string(),
            stat(&mut t, "train", s.train_accuracy),
            stat(&mut t, "test", s.test_accuracy),
            stat(&mut t, "loss", s.loss),
            t.cell(
                format!("{key}.diverged"),
                format!("{}/{}", s.diverged, s.runs.len()),
            ),
        ];
        t.row(&cells);
    }
    t
}

/// The whole comparison table: the header, then every task's rows.
pub fn comparison_table(tasks: &[Vec<Summary>]) -> Rendered {
    let mut t = comparison_header();
    for rows in tasks {
        let r = comparison_rows(rows);
        t.markdown.push_str(&r.markdown);
        t.cells.extend(r.cells);
    }
    t
}

/// The initializers the chapter compares pair by pair: the four scaled rules.
pub const PAIRED_GROUP: [&str; 4] = ["lecun", "xavier", "he", "keras"];

/// Per task, the paired comparisons of every two initializers of [`PAIRED_GROUP`]: the
/// largest |t| of the six pairs and the pair it belongs to, how many pairs differ
/// significantly (level 0.05, two-sided), and the largest smallest-detectable difference.
/// Keys `paired.<task>.t`, `.significant`, `.detectable`.
pub fn paired_table(tasks: &[Vec<Summary>]) -> Result<Rendered> {
    let mut t = Rendered::default();
    t.row(&[
        "task".into(),
        "largest $\\lvert t \\rvert$ (pair)".into(),
        "significant pairs".into(),
        "detectable difference".into(),
    ]);
    t.separator(1, 3);
    for rows in tasks {
        let Some(task) = rows.first().map(|s| s.task) else {
            continue;
        };
        let group: Vec<&Summary> = PAIRED_GROUP
            .iter()
            .filter_map(|k| rows.iter().find(|s| s.candidate.key() == *k))
            .collect();
        let mut tests = Vec::new();
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                tests.push((
                    a.candidate.name,
                    b.candidate.name,
                    crate::compare::paired(a, b)?,
                ));
            }
        }
        let Some(worst) = tests
            .iter()
            .max_by(|x, y| x.2.t.abs().total_cmp(&y.2.t.abs()))
        else {
            continue;
        };
        let significant = tests.iter().filter(|x| x.2.significant()).count();
        let detectable = tests.iter().map(|x| x.2.detectable).fold(0.0, f64::max);
        let key = format!("paired.{}", task.key());
        let cells = [
            format!("`{}`", task.key()),
            format!(
                "{} ({}, {})",
                t.cell(format!("{key}.t"), format!("{:.2}", worst.2.t.abs())),
                worst.0,
                worst.1
            ),
            format!(
                "{}/{}",
                t.cell(format!("{key}.significant"), significant.to_string()),
                tests.len()
            ),
            t.cell(format!("{key}.detectable"), format!("{detectable:.3}")),
        ];
        t.row(&cells);
    }
    Ok(t)
}

/// The tanh-gain table: per gain and depth, the std of a^L and the gradient ratio of layer
/// 1 to layer L, by the mean field. Keys `gain.<g>.<L>.std`, `.grad` (g `1` or `5-3`).
pub fn tanh_gain_table(rows: &[crate::gain::GainRow]) -> Rendered {
    let mut t = Rendered::default();
    t.row(&[
        "gain $g$".into(),
        "layers $L$".into(),
        "std of $a^L$".into(),
        "gradient, layer 1 over layer $L$".into(),
    ]);
    t.separator(1, 3);
    for r in rows {
        let (g, math) = if r.gain == 1.0 {
            ("1", "$1$")
        } else {
            ("5-3", "$5/3$")
        };
        let key = format!("gain.{g}.{}", r.depth);
        let cells = [
            math.to_string(),
            r.depth.to_string(),
            t.cell(format!("{key}.std"), format!("{:.3}", r.top_std)),
            t.cell(format!("{key}.grad"), format_ratio(r.grad_ratio)),
        ];
        t.row(&cells);
    }
    t
}

/// A ratio with three significant digits, in scientific notation past 1000.
fn format_ratio(x: f64) -> String {
    if x >= 1000.0 {
        let e = initnet::math::log10(x).floor();
        format!("{:.2}e{}", x / initnet::math::pow(10.0, e), e as i32)
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// Widths as `2-16×10-2`: a run of equal widths is written once with its count.
pub fn compact_widths(widths: &[usize]) -> String {
    let mut parts: Vec<(usize, usize)> = Vec::new();
    for &w in widths {
        match parts.last_mut() {
            Some((last, count)) if *last == w => *count += 1,
            _ => parts.push((w, 1)),
        }
    }
    let text: Vec<String> = parts
        .iter()
        .map(|&(w, n)| {
            if n > 2 {
                format!("{w}×{n}")
            } else {
                vec![w.to_string(); n].join("-")
            }
        })
        .collect();
    text.join("-")
}

/// The tasks: data, network, samples, epochs, learning rate, momentum. Keys `task.<task>.<column>`.
pub fn task_table(specs: &[TaskSpec]) -> Rendered {
    let mut t = Rendered::default();
    t.row(&[
        "task".into(),
        "hidden activation".into(),
        "widths $n_0, \\dots, n_L$".into(),
        "samples".into(),
        "epochs".into(),
        "learning rate".into(),
        "momentum".into(),
    ]);
    t.separator(3, 4);
    for s in specs {
        let key = format!("task.{}", s.task.key());
        let widths = compact_widths(&s.widths);
        let cells = [
            format!("`{}`", s.task.key()),
            format!("`{}`", s.activation),
            format!("`{widths}`"),
            t.cell(format!("{key}.samples"), s.samples.to_string()),
            t.cell(format!("{key}.epochs"), s.config.epochs.to_string()),
            t.cell(format!("{key}.lr"), s.config.lr.to_string()),
            t.cell(format!("{key}.momentum"), s.config.momentum.to_string()),
        ];
        t.row(&cells);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_compact() {
        assert_eq!(compact_widths(&[2, 16, 16, 16, 2]), "2-16×3-2");
        assert_eq!(compact_widths(&[2, 8, 8, 2]), "2-8-8-2");
    }

    /// Every line of every table has as many cells as its header (else markdown does not
    /// see a table at all).
    #[test]
    fn tables_are_rectangular() {
        let (n_in, n_out) = crate::table::EXAMPLE_LAYER;
        let specs: Vec<_> = crate::compare::Task::ALL.iter().map(|t| t.spec()).collect();
        for t in [
            recommendation_table(&crate::table::recommendation_table(n_in, n_out).unwrap()),
            framework_table(&crate::table::framework_table(8).unwrap()),
            task_table(&specs),
            comparison_header(),
        ] {
            let counts: Vec<usize> = t.markdown.lines().map(|l| l.matches('|').count()).collect();
            assert!(counts.iter().all(|&c| c == counts[0]), "{}", t.markdown);
        }
    }

    #[test]
    fn slugs_are_plain() {
        assert_eq!(slug("leaky-relu:0.01"), "leaky-relu-0-01");
        assert_eq!(slug("PyTorch"), "pytorch");
    }

    #[test]
    fn every_number_cell_has_a_key_and_needs_no_claim_in_its_block() {
        let rows = crate::table::recommendation_table(100, 50).unwrap();
        let t = recommendation_table(&rows);
        assert_eq!(t.cells.len(), 4 * rows.len());
        assert_eq!(t.markdown.lines().count(), rows.len() + 2);
        assert_eq!(t.get("rec.tanh.var"), Some("0.01333"));
        assert!(!t.markdown.contains("<var"), "{}", t.markdown);
        // Bare, its numbers are not claims; inside its generated block they need none.
        assert!(!claims::bare_numbers(&t.markdown).is_empty());
        let block = Generated::new("recommendations", t.markdown);
        let text = book::generated::fill(
            "<!-- generated: recommendations -->\n<!-- /generated -->\n",
            &[block],
        )
        .unwrap();
        claims::check(&text, &claims::Claims::new()).unwrap();
    }
}
