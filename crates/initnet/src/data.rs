//! Seeded toy data sets with scikit-learn's meaning, its 8×8 digits ([`load_digits`]),
//! standardization and splitting.

use std::f64::consts::PI;

use crate::random::{Distribution, Normal, Uniform};
use ndarray::{Array1, Array2, Axis};
use rand::seq::SliceRandom;

use crate::error::{Error, Result, all_finite, non_negative};
use crate::random::rng;

/// A labelled data set: one sample per row of `x`, classes 0..classes.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Features, shape (n_samples, n_features).
    pub x: Array2<f64>,
    /// Class of each sample.
    pub y: Vec<usize>,
    /// Number of classes.
    pub classes: usize,
}

impl Dataset {
    /// A data set from features and labels, checked for shape, finiteness and labels.
    pub fn new(x: Array2<f64>, y: Vec<usize>, classes: usize) -> Result<Self> {
        if x.nrows() == 0 || x.ncols() == 0 {
            return Err(Error::Zero {
                what: format!("data set shape ({}, {})", x.nrows(), x.ncols()),
            });
        }
        if y.len() != x.nrows() {
            return Err(Error::Shape {
                what: "labels".into(),
                expected: vec![x.nrows()],
                got: vec![y.len()],
            });
        }
        all_finite("features", &x)?;
        if let Some((index, &label)) = y.iter().enumerate().find(|(_, l)| **l >= classes) {
            return Err(Error::Label {
                index,
                label,
                classes,
            });
        }
        Ok(Dataset { x, y, classes })
    }
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.y.len()
    }
    /// Whether there are no samples (never true for a checked data set).
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
    /// Number of features.
    pub fn features(&self) -> usize {
        self.x.ncols()
    }
    /// How many samples each class has.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.classes];
        for &y in &self.y {
            counts[y] += 1;
        }
        counts
    }
    /// The samples at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select(Axis(0), indices),
            y: indices.iter().map(|&i| self.y[i]).collect(),
            classes: self.classes,
        }
    }
    /// The same data set with features standardized by `scaler`.
    pub fn standardized(&self, scaler: &Standardizer) -> Result<Dataset> {
        Ok(Dataset {
            x: scaler.transform(&self.x)?,
            ..self.clone()
        })
    }
}

fn check_samples(what: &'static str, samples: usize, needed: usize) -> Result<()> {
    if samples < needed {
        Err(Error::TooFewSamples {
            what,
            samples,
            needed,
        })
    } else {
        Ok(())
    }
}

/// Parameters of [`Blobs::generate`]: isotropic Gaussian blobs, as scikit-learn's `make_blobs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Blobs {
    /// Total number of samples, split over the centers as evenly as possible
    /// (the first n_samples % centers centers get one more).
    pub n_samples: usize,
    /// Number of features.
    pub n_features: usize,
    /// Number of centers (= classes).
    pub centers: usize,
    /// Standard deviation of each blob.
    pub cluster_std: f64,
    /// Centers are drawn uniformly in this box, in every feature.
    pub center_box: (f64, f64),
}

impl Blobs {
    /// `n_samples` points around `centers` centers in 2 features, std 1, box (-10, 10).
    pub fn new(n_samples: usize, centers: usize) -> Self {
        Blobs {
            n_samples,
            n_features: 2,
            centers,
            cluster_std: 1.0,
            center_box: (-10.0, 10.0),
        }
    }
    /// Set the number of features.
    pub fn features(mut self, n_features: usize) -> Self {
        self.n_features = n_features;
        self
    }
    /// Set the blobs' standard deviation.
    pub fn cluster_std(mut self, std: f64) -> Self {
        self.cluster_std = std;
        self
    }
    /// Set the box the centers are drawn in.
    pub fn center_box(mut self, low: f64, high: f64) -> Self {
        self.center_box = (low, high);
        self
    }
    /// The centers that [`Blobs::generate`] uses for `seed` (drawn first from the same stream).
    pub fn centers(&self, seed: u64) -> Result<Array2<f64>> {
        self.check()?;
        Ok(self.draw_centers(&mut rng(seed)))
    }
    fn check(&self) -> Result<()> {
        if self.centers == 0 {
            return Err(Error::Zero {
                what: "number of centers".to_string(),
            });
        }
        if self.n_features == 0 {
            return Err(Error::Zero {
                what: "number of features".to_string(),
            });
        }
        check_samples("make_blobs", self.n_samples, self.centers)?;
        non_negative("cluster_std", self.cluster_std)?;
        let (lo, hi) = self.center_box;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(Error::OutOfRange {
                name: "center_box upper bound",
                expected: "finite and above the lower bound",
                value: hi,
            });
        }
        Ok(())
    }
    fn draw_centers(&self, rng: &mut impl rand::Rng) -> Array2<f64> {
        let box_law = Uniform::new(self.center_box.0, self.center_box.1).expect("box checked");
        Array2::from_shape_simple_fn((self.centers, self.n_features), || box_law.sample(rng))
    }
    /// Draw the data set from `seed`; samples are shuffled.
    pub fn generate(&self, seed: u64) -> Result<Dataset> {
        self.check()?;
        let mut rng = rng(seed);
        let centers = self.draw_centers(&mut rng);
        let noise = Normal::new(0.0, self.cluster_std)?;
        let (k, n) = (self.centers, self.n_samples);
        let mut x = Array2::zeros((n, self.n_features));
        let mut y = Vec::with_capacity(n);
        let mut row = 0;
        for c in 0..k {
            let count = n / k + usize::from(c < n % k);
            for _ in 0..count {
                for j in 0..self.n_features {
                    x[[row, j]] = centers[[c, j]] + noise.sample(&mut rng);
                }
                y.push(c);
                row += 1;
            }
        }
        Ok(shuffle(Dataset { x, y, classes: k }, &mut rng))
    }
}

fn shuffle(data: Dataset, rng: &mut impl rand::Rng) -> Dataset {
    let mut order: Vec<usize> = (0..data.len()).collect();
    order.shuffle(rng);
    data.select(&order)
}

fn add_noise(x: &mut Array2<f64>, noise: f64, rng: &mut impl rand::Rng) -> Result<()> {
    if noise > 0.0 {
        let law = Normal::new(0.0, noise)?;
        x.mapv_inplace(|v| v + law.sample(rng));
    }
    Ok(())
}

/// Two concentric circles, as scikit-learn's `make_circles`: the outer circle (radius 1,
/// n_samples / 2 points, class 0) and the inner one (radius `factor`, class 1), evenly
/// spaced, shuffled, plus Gaussian noise of std `noise`.
pub fn make_circles(n_samples: usize, noise: f64, factor: f64, seed: u64) -> Result<Dataset> {
    check_samples("make_circles", n_samples, 2)?;
    non_negative("noise", noise)?;
    if !(factor.is_finite() && (0.0..1.0).contains(&factor)) {
        return Err(Error::OutOfRange {
            name: "factor",
            expected: "in [0, 1)",
            value: factor,
        });
    }
    let n_out = n_samples / 2;
    let n_in = n_samples - n_out;
    let mut x = Array2::zeros((n_samples, 2));
    let mut y = Vec::with_capacity(n_samples);
    for (i, &(count, radius, class)) in [(n_out, 1.0, 0), (n_in, factor, 1)].iter().enumerate() {
        let offset = if i == 0 { 0 } else { n_out };
        for k in 0..count {
            let t = 2.0 * PI * k as f64 / count as f64;
            x[[offset + k, 0]] = radius * libm::cos(t);
            x[[offset + k, 1]] = radius * libm::sin(t);
            y.push(class);
        }
    }
    let mut rng = rng(seed);
    let mut data = shuffle(Dataset { x, y, classes: 2 }, &mut rng);
    add_noise(&mut data.x, noise, &mut rng)?;
    Ok(data)
}

/// Two interleaving half circles, as scikit-learn's `make_moons`, with Gaussian noise.
pub fn make_moons(n_samples: usize, noise: f64, seed: u64) -> Result<Dataset> {
    check_samples("make_moons", n_samples, 2)?;
    non_negative("noise", noise)?;
    let n_out = n_samples / 2;
    let n_in = n_samples - n_out;
    let angle = |k: usize, count: usize| {
        if count > 1 {
            PI * k as f64 / (count - 1) as f64
        } else {
            0.0
        }
    };
    let mut x = Array2::zeros((n_samples, 2));
    let mut y = Vec::with_capacity(n_samples);
    for k in 0..n_out {
        let t = angle(k, n_out);
        x[[k, 0]] = libm::cos(t);
        x[[k, 1]] = libm::sin(t);
        y.push(0);
    }
    for k in 0..n_in {
        let t = angle(k, n_in);
        x[[n_out + k, 0]] = 1.0 - libm::cos(t);
        x[[n_out + k, 1]] = 1.0 - libm::sin(t) - 0.5;
        y.push(1);
    }
    let mut rng = rng(seed);
    let mut data = shuffle(Dataset { x, y, classes: 2 }, &mut rng);
    add_noise(&mut data.x, noise, &mut rng)?;
    Ok(data)
}

/// Per-feature standardization to mean 0 and standard deviation 1, fitted on one data set
/// (the training set) and applied to others. A constant feature is only centred.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    /// Mean of each feature.
    pub mean: Array1<f64>,
    /// Standard deviation of each feature (population; 1 for a constant feature).
    pub std: Array1<f64>,
}

impl Standardizer {
    /// Fit the means and standard deviations of the columns of `x`.
    pub fn fit(x: &Array2<f64>) -> Result<Self> {
        if x.nrows() == 0 || x.ncols() == 0 {
            return Err(Error::Zero {
                what: format!("data set shape ({}, {})", x.nrows(), x.ncols()),
            });
        }
        all_finite("features", x)?;
        let mean = x.mean_axis(Axis(0)).expect("non-empty");
        let std = x
            .std_axis(Axis(0), 0.0)
            .mapv(|s| if s > 0.0 { s } else { 1.0 });
        Ok(Standardizer { mean, std })
    }
    /// (x - mean) / std, column by column.
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        if x.ncols() != self.mean.len() {
            return Err(Error::Shape {
                what: "standardized features".into(),
                expected: vec![self.mean.len()],
                got: vec![x.ncols()],
            });
        }
        all_finite("features", x)?;
        Ok((x - &self.mean) / &self.std)
    }
}

/// A test fraction must lie strictly between 0 and 1.
fn check_test_fraction(test_fraction: f64) -> Result<()> {
    if test_fraction.is_finite() && test_fraction > 0.0 && test_fraction < 1.0 {
        Ok(())
    } else {
        Err(Error::OutOfRange {
            name: "test fraction",
            expected: "in (0, 1)",
            value: test_fraction,
        })
    }
}

/// Shuffle and split into (train, test), with round-up(test_fraction * n) test samples;
/// both parts must be non-empty.
pub fn train_test_split(
    data: &Dataset,
    test_fraction: f64,
    seed: u64,
) -> Result<(Dataset, Dataset)> {
    check_test_fraction(test_fraction)?;
    let n = data.len();
    let n_test = (test_fraction * n as f64).ceil() as usize;
    check_samples("train_test_split", n, 2)?;
    let n_test = n_test.min(n - 1);
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng(seed));
    let (test, train) = order.split_at(n_test);
    Ok((data.select(train), data.select(test)))
}

/// Like [`train_test_split`], but class by class: each class c with n_c samples gives
/// round-up(test_fraction * n_c) of them to the test set (at most n_c - 1, so a class of
/// one sample stays in training), so both parts keep the class proportions. Both parts are
/// shuffled. With balanced classes the training set stays exactly balanced, which keeps
/// the chance-level loss at ln(classes).
pub fn stratified_split(
    data: &Dataset,
    test_fraction: f64,
    seed: u64,
) -> Result<(Dataset, Dataset)> {
    check_test_fraction(test_fraction)?;
    check_samples("stratified_split", data.len(), 2)?;
    let mut rng = rng(seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for c in 0..data.classes {
        let mut members: Vec<usize> = (0..data.len()).filter(|&i| data.y[i] == c).collect();
        if members.is_empty() {
            continue;
        }
        members.shuffle(&mut rng);
        let n_test =
            ((test_fraction * members.len() as f64).ceil() as usize).min(members.len() - 1);
        test.extend_from_slice(&members[..n_test]);
        train.extend_from_slice(&members[n_test..]);
    }
    if test.is_empty() {
        let what = "stratified_split (a test set needs a class of 2 samples)";
        return Err(Error::TooFewSamples {
            what,
            samples: data.len(),
            needed: 2,
        });
    }
    train.shuffle(&mut rng);
    test.shuffle(&mut rng);
    Ok((data.select(&train), data.select(&test)))
}

/// The digits of [`load_digits`], one image a line: its class, a space and 64 pixels in
/// `0123456789abcdefg` (0 to 16). Origin and licence: `data/README.md` of this crate.
const DIGITS: &str = include_str!("../data/digits.txt");

/// scikit-learn's 8×8 handwritten digits (`sklearn.datasets.load_digits`), shipped inside
/// this crate, so no download: 1,797 images of 64 pixels, row by row, each an integer
/// count from 0 to 16 (as f64), and their classes 0 to 9, in scikit-learn's order. The
/// data are E. Alpaydin and C. Kaynak's *Optical Recognition of Handwritten Digits* (UCI,
/// 1998, CC BY 4.0); `data/README.md` says where this copy comes from.
///
/// ```
/// let digits = initnet::data::load_digits()?;
/// assert_eq!(digits.x.dim(), (1797, 64));
/// assert_eq!(digits.classes, 10);
/// # Ok::<(), initnet::Error>(())
/// ```
pub fn load_digits() -> Result<Dataset> {
    const PIXELS: usize = 64;
    const ALPHABET: &str = "0123456789abcdefg";
    let bad = |line: &str, reason: &str| Error::Parse {
        what: "a line of the digits data",
        text: line.chars().take(80).collect(),
        reason: reason.into(),
    };
    let lines: Vec<&str> = DIGITS.lines().collect();
    let mut x = Array2::zeros((lines.len(), PIXELS));
    let mut y = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let (label, pixels) = line
            .split_once(' ')
            .ok_or_else(|| bad(line, "no space after the class"))?;
        let label = label
            .parse::<usize>()
            .map_err(|_| bad(line, "the class is not a number"))?;
        if pixels.len() != PIXELS {
            return Err(bad(line, "not 64 pixels"));
        }
        for (j, ch) in pixels.chars().enumerate() {
            let v = ALPHABET
                .find(ch)
                .ok_or_else(|| bad(line, "a pixel outside 0123456789abcdefg"))?;
            x[[i, j]] = v as f64;
        }
        y.push(label);
    }
    Dataset::new(x, y, 10)
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_are_scikit_learns() {
        let d = load_digits().unwrap();
        assert_eq!(d.x.dim(), (1797, 64));
        assert_eq!(d.classes, 10);
        // scikit-learn's class counts.
        assert_eq!(
            d.class_counts(),
            vec![178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
        );
        assert!(
            d.x.iter()
                .all(|&v| (0.0..=16.0).contains(&v) && v.fract() == 0.0)
        );
        assert_eq!(d.x.iter().cloned().fold(0.0, f64::max), 16.0);
        // The first image is a 0 (its top row: 0 0 5 13 9 1 0 0); the first ten labels
        // count 0 to 9.
        let row: Vec<f64> = d.x.row(0).iter().take(8).cloned().collect();
        assert_eq!(row, vec![0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]);
        assert_eq!(&d.y[..10], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        // Pixel sum of the whole set, a checksum of the copy.
        assert_eq!(d.x.sum(), 561_718.0);
    }

    use super::*;

    #[test]
    fn blobs_are_balanced_and_seeded() {
        let d = Blobs::new(402, 4).generate(1).unwrap();
        assert_eq!(d.class_counts(), vec![101, 101, 100, 100]);
        assert_eq!(d.x.dim(), (402, 2));
        assert_eq!(d, Blobs::new(402, 4).generate(1).unwrap());
        assert_ne!(d, Blobs::new(402, 4).generate(2).unwrap());
        let centers = Blobs::new(402, 4).centers(1).unwrap();
        assert!(centers.iter().all(|c| (-10.0..10.0).contains(c)));
        // Each class's mean lies near its center: std error 1/sqrt(100) per coordinate.
        for c in 0..4 {
            let idx: Vec<usize> = (0..d.len()).filter(|&i| d.y[i] == c).collect();
            let m = d.x.select(Axis(0), &idx).mean_axis(Axis(0)).unwrap();
            for j in 0..2 {
                assert!((m[j] - centers[[c, j]]).abs() < 5.0 / 10.0);
            }
        }
    }

    #[test]
    fn circles_and_moons_have_their_shape() {
        let d = make_circles(100, 0.0, 0.5, 0).unwrap();
        assert_eq!(d.class_counts(), vec![50, 50]);
        for (row, &y) in d.x.rows().into_iter().zip(&d.y) {
            let r = crate::kernels::dot(&row, &row).sqrt();
            assert!((r - if y == 0 { 1.0 } else { 0.5 }).abs() < 1e-12);
        }
        let m = make_moons(101, 0.1, 0).unwrap();
        assert_eq!(m.class_counts(), vec![50, 51]);
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert_eq!(
            Blobs::new(3, 4).generate(0).unwrap_err().to_string(),
            "make_blobs: 3 samples is fewer than the 4 needed"
        );
        assert!(Blobs::new(10, 2).cluster_std(-1.0).generate(0).is_err());
        assert!(Blobs::new(10, 2).features(0).generate(0).is_err());
        assert!(make_circles(10, 0.1, 1.0, 0).is_err());
        assert!(make_moons(10, -0.1, 0).is_err());
        assert!(train_test_split(&make_moons(10, 0.1, 0).unwrap(), 0.0, 0).is_err());
        let x = Array2::from_elem((2, 2), f64::NAN);
        assert!(Standardizer::fit(&x).is_err());
        assert!(Dataset::new(Array2::zeros((2, 2)), vec![0, 2], 2).is_err());
    }

    #[test]
    fn standardization_gives_zero_mean_unit_std() {
        let d = Blobs::new(200, 3).generate(5).unwrap();
        let s = Standardizer::fit(&d.x).unwrap();
        let z = s.transform(&d.x).unwrap();
        for col in z.columns() {
            assert!(col.mean().unwrap().abs() < 1e-12);
            assert!((col.std(0.0) - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn stratified_split_keeps_class_proportions() {
        let d = Blobs::new(400, 4).generate(0).unwrap();
        for seed in 0..20 {
            let (train, test) = stratified_split(&d, 0.25, seed).unwrap();
            assert_eq!(train.class_counts(), vec![75; 4]);
            assert_eq!(test.class_counts(), vec![25; 4]);
            // Every sample lands in exactly one part.
            let bits =
                |r: ndarray::ArrayView1<f64>| r.iter().map(|v| v.to_bits()).collect::<Vec<u64>>();
            let mut rows: Vec<Vec<u64>> = train
                .x
                .rows()
                .into_iter()
                .chain(test.x.rows())
                .map(bits)
                .collect();
            rows.sort();
            rows.dedup();
            assert_eq!(rows.len(), 400);
        }
        let (a, _) = stratified_split(&d, 0.25, 1).unwrap();
        assert_eq!(a, stratified_split(&d, 0.25, 1).unwrap().0);
        let uneven = Blobs::new(10, 3).generate(0).unwrap(); // classes of 4, 3, 3
        let (train, test) = stratified_split(&uneven, 0.5, 0).unwrap();
        assert_eq!(
            (train.class_counts(), test.class_counts()),
            (vec![2, 1, 1], vec![2, 2, 2])
        );
        assert!(stratified_split(&d, 1.0, 0).is_err());
        let one_each = Blobs::new(3, 3).generate(0).unwrap();
        let e = stratified_split(&one_each, 0.5, 0).unwrap_err().to_string();
        assert!(e.contains("3 samples"), "{e}");
    }

    #[test]
    fn split_sizes() {
        let d = make_moons(100, 0.1, 0).unwrap();
        let (train, test) = train_test_split(&d, 0.25, 3).unwrap();
        assert_eq!((train.len(), test.len()), (75, 25));
    }
}
