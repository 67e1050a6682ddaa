//! Losses on the network's output h^L, averaged over the batch. Both take logits and are
//! written to be numerically stable: no overflow in exp, no infinity from log(0).

use ndarray::{Array1, Array2, Axis};

use crate::error::{Error, Result};
use crate::kernels::fused;
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

/// Binary cross-entropy of one logit z with label y (0 or 1), p = sigmoid(z):
/// -[y ln p + (1 - y) ln(1 - p)] = max(z, 0) - y z + ln(1 + e^-|z|), which never
/// overflows and never takes the logarithm of 0.
pub(crate) fn binary_cross_entropy(z: f64, y: f64) -> f64 {
    z.max(0.0) - y * z + math::ln_1p(math::exp(-z.abs()))
}

/// Its derivative with respect to the logit, dL/dz = sigmoid(z) - y.
pub(crate) fn binary_cross_entropy_gradient(z: f64, y: f64) -> f64 {
    math::sigmoid(z) - y
}

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

    /// The mean loss over the batch and its gradient dL/d(logits). For softmax
    /// cross-entropy: the mean over samples of log_sum_exp(z) - z_label ([`log_sum_exp`])
    /// and (softmax(z) - one_hot(label)) / n ([`softmax`]); for binary cross-entropy: the
    /// mean of max(z, 0) - y z + ln(1 + e^-|z|) and (sigmoid(z) - y) / n. Computed in one
    /// fused, vectorized pass (see [`crate::kernels`]) that gives these definitions' bits.
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
        let (loss, _) = fused::loss_and_gradient(
            self,
            logits,
            labels,
            &mut grad,
            &mut fused::Scratch::default(),
        );
        (loss, grad)
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
        assert!((loss - crate::math::ln(4.0)).abs() < 1e-15);
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
