//! The introduction's chart: the toy data set.

use charts::{Figure, ScatterChart};
use initnet::Dataset;

use crate::toy::{SEED, toy_data};

/// The toy data set as a scatter chart, one colour and marker per class (`toy-data`).
pub fn toy_data_figure(data: &Dataset) -> Result<Figure, charts::Error> {
    data_figure(data, "toy-data", "The toy problem: four Gaussian blobs")
}

/// A scatter chart of a two-feature data set, one colour and marker per class.
fn data_figure(data: &Dataset, name: &str, title: &str) -> Result<Figure, charts::Error> {
    if data.features() != 2 {
        return Err(charts::Error::Mismatch {
            what: "features of a data set drawn in the plane".into(),
            expected: 2,
            got: data.features(),
        });
    }
    let points = data.x.rows().into_iter().map(|r| (r[0], r[1])).collect();
    ScatterChart::new(name, title)
        .axes("feature x₁ (no unit)", "feature x₂ (no unit)")
        .points(points, data.y.clone())
        .render()
}

/// Every chart of the introduction.
pub fn figures() -> book::Result<Vec<Figure>> {
    Ok(vec![toy_data_figure(&toy_data(SEED)?)?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toy::SAMPLES;
    use initnet::Blobs;

    #[test]
    fn figure_csv_has_every_sample() {
        let data = toy_data(SEED).unwrap();
        let fig = data_figure(&data, "t", "t").unwrap();
        assert_eq!(fig.csv.lines().count(), 1 + SAMPLES);
        assert_eq!(
            fig.csv.lines().nth(1).unwrap(),
            format!("{},{},{}", data.y[0], data.x[[0, 0]], data.x[[0, 1]])
        );
    }

    #[test]
    fn three_features_are_a_typed_error() {
        let data = Blobs::new(10, 2).features(3).generate(0).unwrap();
        assert!(matches!(
            data_figure(&data, "t", "t"),
            Err(charts::Error::Mismatch {
                expected: 2,
                got: 3,
                ..
            })
        ));
    }
}
