//! The explorer's data: the same numbers as initlab, and fresh.

use std::time::Instant;

use explorer::data::{DIR, files};
use explorer::grid::{ACTIVATIONS, DEPTHS, INITS, RUN_SEEDS, WIDTHS, init, layers_config};
use explorer::sweep::sweep_width;
use initlab::layers_over_seeds;

/// The page's numbers for a setting are `initlab layers --seeds 3`'s, to the bit, at every
/// depth (one forward pass and `deltas_from` give what one initlab run per depth gives).
#[test]
fn the_sweep_is_initlab_to_the_bit() {
    for (key, act, width, scale) in [
        ("xavier", "tanh", 50, 1.0),
        ("he", "relu", 20, 10.0),
        ("normal", "sigmoid", 10, 1.0),
    ] {
        let choice = init(key).unwrap();
        let a = explorer::grid::activation(act).unwrap();
        let settings = sweep_width(choice, width, std::slice::from_ref(a), &[scale]).unwrap();
        for (d, summary) in DEPTHS.iter().zip(&settings[0].by_depth) {
            let cfg = layers_config(choice, a, *d, width, scale);
            let report = layers_over_seeds(&cfg, RUN_SEEDS).unwrap();
            assert_eq!(
                &report.layers, summary,
                "{key} {act} width {width} depth {d}"
            );
        }
    }
}

/// LeCun's normal law reads Glorot's data: at equal widths their variances are one number.
#[test]
fn shared_data_is_the_same_networks() {
    for c in INITS.iter().filter(|c| c.data != c.key) {
        let other = init(c.data).unwrap();
        for &n in &WIDTHS {
            assert_eq!(
                (c.init)().variance(n, n),
                (other.init)().variance(n, n),
                "{} at {n}",
                c.key
            );
            assert_eq!(
                (c.init)().to_string().contains("normal"),
                (other.init)().to_string().contains("normal")
            );
        }
    }
    assert!(ACTIVATIONS.len() >= 5 && INITS.len() >= 8);
}

/// The committed files are what the code computes now (`cargo xtask figures explorer`
/// writes them), and the whole grid is computed within the chapter's time budget.
#[test]
fn data_files_are_fresh() {
    let start = Instant::now();
    let files = files().unwrap();
    let seconds = start.elapsed().as_secs_f64();
    eprintln!("explorer data: {} files in {seconds:.1} s", files.len());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(DIR);
    let mut total = 0;
    for (name, text) in &files {
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|_| {
            panic!("{DIR}/{name} is missing: run cargo xtask figures explorer")
        });
        assert!(
            committed == *text,
            "{DIR}/{name} is stale: run cargo xtask figures explorer"
        );
        total += text.len();
    }
    // A few MB at most for the whole grid.
    assert!(total < 5_000_000, "{total} bytes");
}
