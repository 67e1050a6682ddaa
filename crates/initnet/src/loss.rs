//! Losses on the network's output h^L, averaged over the batch. Both take logits and are
//! written to be numerically stable: no overflow in exp, no infinity from log(0).

use ndarray::{Array1, Array2, Axis};

use crate::error::{Error, Result};
use crate::kernels;
use crate::math;

/// Which loss a network is trained with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Softmax over the n_L outputs, then cross-entropy with the class label.
    SoftmaxCrossEntropy,
    /// One output z, p = sigmoid(z), cross-entropy with a 0/1 label.
    BinaryCrossEntropy,
}

/// Row-wise softmax, computed as exp(z - max z) / sum exp(z - max z), the sum taken
/// left to right (exp from [`crate::math`]).
pub fn softmax(logits: &Array2<f64>) -> Array2<f64> {
    let mut p = logits.clone();
    for mut row in p.rows_mut() {
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| math::exp(v - max));
        let sum = row.fold(0.0, |s, &v| s + v);
        row /= sum;
    }
    p
}

/// Row-wise log-sum-exp, max z + ln sum exp(z - max z), the sum taken left to right.
pub fn log_sum_exp(logits: &Array2<f64>) -> Array1<f64> {
    logits.map_axis(Axis(1), |row| {
        let max = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        max + math::ln(row.fold(0.0, |s, &v| s + math::exp(v - max)))
    })
}

/// Per-sample buffers of [`Loss::evaluate_into`], kept across calls by a training run.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    max: Vec<f64>,
    sum: Vec<f64>,
    best: Vec<usize>,
    best_z: Vec<f64>,
    picked: Vec<f64>,
}

math::vectorized_fn!(
    /// The softmax cross-entropy part of [`Loss::evaluate_into`], `grad` holding a
    /// column-major copy of the logits: each step runs over whole columns (the batch), so
    /// that exp and ln are vectorized.
    fn softmax_cross_entropy_into(
        logits: &Array2<f64>,
        labels: &[usize],
        grad: &mut Array2<f64>,
        scratch: &mut Scratch,
    ) -> f64 {
        let rows = logits.nrows();
        let n = labels.len() as f64;
        let Scratch {
            max,
            sum,
            best,
            best_z,
            picked,
        } = scratch;
        let reset = |v: &mut Vec<f64>, x: f64| {
            v.clear();
            v.resize(rows, x);
        };
        reset(max, f64::NEG_INFINITY);
        reset(best_z, f64::NEG_INFINITY);
        reset(picked, 0.0);
        reset(sum, 0.0);
        best.clear();
        best.resize(rows, 0);
        let (max, best_z, picked, sum) = (
            &mut max[..rows],
            &mut best_z[..rows],
            &mut picked[..rows],
            &mut sum[..rows],
        );
        let (best, labels) = (&mut best[..rows], &labels[..rows]);
        let all = grad.as_slice_memory_order_mut().expect("column-major");
        // Per sample: the largest logit (for stability), the first index of the largest
        // (the prediction, as in `predict`) and the logit of the label.
        for (j, z) in all.chunks_exact(rows).enumerate() {
            for i in 0..rows {
                let v = z[i];
                max[i] = max[i].max(v);
                let better = v > best_z[i];
                best[i] = if better { j } else { best[i] };
                best_z[i] = if better { v } else { best_z[i] };
                picked[i] = if labels[i] == j { v } else { picked[i] };
            }
        }
        // e = exp(z - max), summed per sample over the classes in order.
        for z in all.chunks_exact_mut(rows) {
            for i in 0..rows {
                let e = math::exp(z[i] - max[i]);
                z[i] = e;
                sum[i] += e;
            }
        }
        // dL/dz = (softmax - one_hot(label)) / n; subtracting 0 from the other classes
        // leaves them unchanged, so this is ((e / sum) - [label == j]) / n bit for bit.
        for (j, z) in all.chunks_exact_mut(rows).enumerate() {
            for i in 0..rows {
                let one_hot = if labels[i] == j { 1.0 } else { 0.0 };
                z[i] = (z[i] / sum[i] - one_hot) / n;
            }
        }
        // Per-sample loss log_sum_exp - z_label = (max + ln sum) - z_label, into `sum`.
        for i in 0..rows {
            sum[i] = (max[i] + math::ln(sum[i])) - picked[i];
        }
        sum.iter().sum::<f64>() / n
    }
);

impl Loss {
    /// Check labels against the output width.
    pub fn check_labels(self, n_outputs: usize, labels: &[usize]) -> Result<()> {
        let classes = match self {
            Loss::SoftmaxCrossEntropy => n_outputs,
            Loss::BinaryCrossEntropy => {
                if n_outputs != 1 {
                    return Err(Error::Shape {
                        what: "binary cross-entropy output".into(),
                        expected: vec![1],
                        got: vec![n_outputs],
                    });
                }
                2
            }
        };
        match labels.iter().enumerate().find(|(_, l)| **l >= classes) {
            Some((index, &label)) => Err(Error::Label {
                index,
                label,
                classes,
            }),
            None => Ok(()),
        }
    }

    /// The mean loss over the batch and its gradient dL/d(logits).
    pub fn evaluate(self, logits: &Array2<f64>, labels: &[usize]) -> Result<(f64, Array2<f64>)> {
        if logits.nrows() != labels.len() {
            return Err(Error::Shape {
                what: "labels".into(),
                expected: vec![logits.nrows()],
                got: vec![labels.len()],
            });
        }
        if labels.is_empty() {
            return Err(Error::Zero {
                what: "batch size".to_string(),
            });
        }
        self.check_labels(logits.ncols(), labels)?;
        Ok(self.evaluate_unchecked(logits, labels))
    }

    pub(crate) fn evaluate_unchecked(
        self,
        logits: &Array2<f64>,
        labels: &[usize],
    ) -> (f64, Array2<f64>) {
        let mut grad = Array2::zeros((0, 0));
        let (loss, _) = self.evaluate_into(logits, labels, &mut grad, &mut Scratch::default());
        (loss, grad)
    }

    /// Loss, accuracy and dL/dz into `grad` (column-major, reused when its shape fits).
    /// Bit for bit what [`log_sum_exp`], [`softmax`] and [`Loss::accuracy`] give, but one
    /// pass of exp for both the loss and the gradient, and column by column, so that exp
    /// and ln run vectorized over the whole batch.
    pub(crate) fn evaluate_into(
        self,
        logits: &Array2<f64>,
        labels: &[usize],
        grad: &mut Array2<f64>,
        scratch: &mut Scratch,
    ) -> (f64, f64) {
        kernels::copy(logits, grad);
        let n = labels.len() as f64;
        let loss = match self {
            Loss::SoftmaxCrossEntropy => softmax_cross_entropy_into(logits, labels, grad, scratch),
            Loss::BinaryCrossEntropy => {
                // -[y ln s(z) + (1-y) ln(1-s(z))] = max(z,0) - y z + ln(1 + e^{-|z|})
                let mut loss = 0.0;
                for (i, &y) in labels.iter().enumerate() {
                    let z = logits[[i, 0]];
                    let y = y as f64;
                    loss += z.max(0.0) - y * z + math::ln_1p(math::exp(-z.abs()));
                    grad[[i, 0]] = (math::sigmoid(z) - y) / n;
                }
                loss / n
            }
        };
        let hits = match self {
            Loss::SoftmaxCrossEntropy => scratch
                .best
                .iter()
                .zip(labels)
                .filter(|(j, y)| j == y)
                .count(),
            Loss::BinaryCrossEntropy => labels
                .iter()
                .enumerate()
                .filter(|&(i, &y)| usize::from(logits[[i, 0]] > 0.0) == y)
                .count(),
        };
        (loss, hits as f64 / labels.len().max(1) as f64)
    }

    /// The predicted class of each row of logits.
    pub fn predict(self, logits: &Array2<f64>) -> Vec<usize> {
        match self {
            Loss::SoftmaxCrossEntropy => logits
                .rows()
                .into_iter()
                .map(|row| {
                    // First maximum wins, so ties (for example all-equal logits) give class 0.
                    row.iter()
                        .enumerate()
                        .fold((0, f64::NEG_INFINITY), |best, (j, &v)| {
                            if v > best.1 { (j, v) } else { best }
                        })
                        .0
                })
                .collect(),
            Loss::BinaryCrossEntropy => logits
                .column(0)
                .iter()
                .map(|&z| usize::from(z > 0.0))
                .collect(),
        }
    }

    /// The fraction of rows whose predicted class equals the label.
    pub fn accuracy(self, logits: &Array2<f64>, labels: &[usize]) -> f64 {
        let predicted = self.predict(logits);
        let hits = predicted.iter().zip(labels).filter(|(p, y)| p == y).count();
        hits as f64 / labels.len().max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn softmax_cross_entropy_of_equal_logits_is_ln_k() {
        let (loss, _) = Loss::SoftmaxCrossEntropy
            .evaluate(&Array2::zeros((5, 4)), &[0, 1, 2, 3, 0])
            .unwrap();
        assert!((loss - 4f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn softmax_cross_entropy_is_bit_identical_to_its_definition() {
        use rand_distr::{Distribution, Normal};
        let mut rng = crate::rng(3);
        for (scale, transposed) in [
            (0.1, false),
            (1.0, false),
            (30.0, true),
            (1e3, false),
            (3.0, true),
        ] {
            let law = Normal::new(0.0, scale).unwrap();
            let z = if transposed {
                // Column-major logits take the general path.
                Array2::from_shape_simple_fn((5, 37), || law.sample(&mut rng)).reversed_axes()
            } else {
                Array2::from_shape_simple_fn((37, 5), || law.sample(&mut rng))
            };
            assert_eq!(z.is_standard_layout(), !transposed);
            let labels: Vec<usize> = (0..37).map(|i| (i * 7) % 5).collect();
            let (loss, grad) = Loss::SoftmaxCrossEntropy.evaluate(&z, &labels).unwrap();
            let lse = log_sum_exp(&z);
            let expected_loss = labels
                .iter()
                .enumerate()
                .map(|(i, &y)| lse[i] - z[[i, y]])
                .sum::<f64>()
                / 37.0;
            let mut expected_grad = softmax(&z);
            for (i, &y) in labels.iter().enumerate() {
                expected_grad[[i, y]] -= 1.0;
            }
            expected_grad /= 37.0;
            assert_eq!(loss.to_bits(), expected_loss.to_bits(), "scale {scale}");
            assert!(
                grad.iter()
                    .zip(&expected_grad)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "scale {scale}"
            );
        }
    }

    /// The accuracy of `evaluate_into` (column by column, vectorized) is that of `accuracy`
    /// (row by row, through `predict`), ties to the first maximum included.
    #[test]
    fn evaluate_into_accuracy_is_predicts() {
        let z = array![
            [1.0, 2.0, 2.0],
            [0.0, 0.0, 0.0],
            [3.0, -1.0, 3.0],
            [-5.0, -4.0, -6.0],
            [0.5, 0.25, 0.75]
        ];
        for labels in [[1, 0, 0, 1, 2], [2, 1, 2, 0, 0], [1, 1, 1, 1, 1]] {
            let mut grad = Array2::zeros((0, 0));
            let (_, acc) = Loss::SoftmaxCrossEntropy.evaluate_into(
                &z,
                &labels,
                &mut grad,
                &mut Scratch::default(),
            );
            assert_eq!(acc, Loss::SoftmaxCrossEntropy.accuracy(&z, &labels));
        }
        assert_eq!(Loss::SoftmaxCrossEntropy.predict(&z), vec![1, 0, 0, 1, 2]);
        let b = array![[0.5], [-0.5], [0.0]];
        let mut grad = Array2::zeros((0, 0));
        let (_, acc) = Loss::BinaryCrossEntropy.evaluate_into(
            &b,
            &[1, 1, 0],
            &mut grad,
            &mut Scratch::default(),
        );
        assert_eq!(acc, Loss::BinaryCrossEntropy.accuracy(&b, &[1, 1, 0]));
    }

    #[test]
    fn losses_stay_finite_for_huge_logits() {
        let z = array![[1e6, -1e6], [-1e6, 1e6]];
        let (loss, grad) = Loss::SoftmaxCrossEntropy.evaluate(&z, &[1, 1]).unwrap();
        assert!((loss - 1e6).abs() < 1e-6, "{loss}");
        assert!(grad.iter().all(|g| g.is_finite()));
        let z = array![[1e6], [-1e6]];
        let (loss, grad) = Loss::BinaryCrossEntropy.evaluate(&z, &[0, 1]).unwrap();
        assert!((loss - 1e6).abs() < 1e-6, "{loss}");
        assert!(grad.iter().all(|g| g.is_finite()));
    }

    #[test]
    fn label_errors_name_the_label() {
        let e = Loss::SoftmaxCrossEntropy
            .evaluate(&Array2::zeros((2, 3)), &[0, 3])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "label 3 at sample 1 is out of range for 3 classes"
        );
        assert!(
            Loss::SoftmaxCrossEntropy
                .evaluate(&Array2::zeros((2, 3)), &[0])
                .is_err()
        );
        assert!(
            Loss::BinaryCrossEntropy
                .evaluate(&Array2::zeros((2, 2)), &[0, 1])
                .is_err()
        );
    }
}
