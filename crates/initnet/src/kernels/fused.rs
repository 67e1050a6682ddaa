//! The loss and its gradient in one pass: softmax cross-entropy's exp is evaluated once
//! for both the loss and dL/dz, column by column (one column per class, the batch along
//! it), so that exp and ln run vectorized over the whole batch; the prediction for the
//! accuracy comes out of the same pass. The results are bit for bit those of the book's
//! definitions in `loss` ([`log_sum_exp`], [`softmax`], [`Loss::predict`]).

use ndarray::Array2;

use super::dispatch::vectorized_fn;
use super::layout::copy;
use crate::loss::{Loss, binary_cross_entropy, binary_cross_entropy_gradient};
#[cfg(doc)]
use crate::loss::{log_sum_exp, softmax};
use crate::math;

/// Per-sample buffers of [`loss_and_gradient`], kept across calls by a training run.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    max: Vec<f64>,
    sum: Vec<f64>,
    best: Vec<usize>,
    best_z: Vec<f64>,
    picked: Vec<f64>,
}

vectorized_fn!(
    /// The softmax cross-entropy part of [`loss_and_gradient`], `grad` holding a
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

/// The mean loss over the batch, the accuracy, and dL/dz into `grad` (column-major,
/// reused when its shape fits); labels must have been checked. Bit for bit what
/// [`log_sum_exp`], [`softmax`] and [`Loss::accuracy`] give for softmax cross-entropy,
/// and what [`binary_cross_entropy`] and its gradient give sample by sample.
pub(crate) fn loss_and_gradient(
    loss: Loss,
    logits: &Array2<f64>,
    labels: &[usize],
    grad: &mut Array2<f64>,
    scratch: &mut Scratch,
) -> (f64, f64) {
    copy(logits, grad);
    let n = labels.len() as f64;
    let value = match loss {
        Loss::SoftmaxCrossEntropy => softmax_cross_entropy_into(logits, labels, grad, scratch),
        Loss::BinaryCrossEntropy => {
            let mut sum = 0.0;
            for (i, &y) in labels.iter().enumerate() {
                let z = logits[[i, 0]];
                let y = y as f64;
                sum += binary_cross_entropy(z, y);
                grad[[i, 0]] = binary_cross_entropy_gradient(z, y) / n;
            }
            sum / n
        }
    };
    let hits = match loss {
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
    (value, hits as f64 / labels.len().max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::{log_sum_exp, softmax};
    use ndarray::array;

    #[test]
    fn softmax_cross_entropy_is_bit_identical_to_its_definition() {
        use crate::random::{Distribution, Normal};
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

    /// The accuracy of `loss_and_gradient` (column by column, vectorized) is that of
    /// `accuracy` (row by row, through `predict`), ties to the first maximum included.
    #[test]
    fn the_fused_accuracy_is_predicts() {
        let z = array![
            [1.0, 2.0, 2.0],
            [0.0, 0.0, 0.0],
            [3.0, -1.0, 3.0],
            [-5.0, -4.0, -6.0],
            [0.5, 0.25, 0.75]
        ];
        let fused = |loss, z: &Array2<f64>, labels: &[usize]| {
            let mut grad = Array2::zeros((0, 0));
            loss_and_gradient(loss, z, labels, &mut grad, &mut Scratch::default()).1
        };
        for labels in [[1, 0, 0, 1, 2], [2, 1, 2, 0, 0], [1, 1, 1, 1, 1]] {
            let acc = fused(Loss::SoftmaxCrossEntropy, &z, &labels);
            assert_eq!(acc, Loss::SoftmaxCrossEntropy.accuracy(&z, &labels));
        }
        assert_eq!(Loss::SoftmaxCrossEntropy.predict(&z), vec![1, 0, 0, 1, 2]);
        let b = array![[0.5], [-0.5], [0.0]];
        let acc = fused(Loss::BinaryCrossEntropy, &b, &[1, 1, 0]);
        assert_eq!(acc, Loss::BinaryCrossEntropy.accuracy(&b, &[1, 1, 0]));
    }
}
