//! The explorer's data: the same numbers as initlab, and fresh.

use std::time::Instant;

use explorer::data::{
    DIR, case_json, case_key, data_inits, file_names, layers_name, points_json, run_json, run_key,
    train_name,
};
use explorer::grid::{
    ACTIVATIONS, DEPTHS, INITS, INPUT_SCALES, RUN_SEEDS, WIDTHS, init, layers_config,
};
use explorer::sweep::sweep_width;
use explorer::training::{self, DATASETS};
use initlab::layers_over_seeds;
use serde_json::Value;

/// The page's numbers for a setting are `initlab layers --seeds 3`'s, to the bit, at every
/// depth (one forward pass and `deltas_from` give what one initlab run per depth gives).
#[test]
fn the_sweep_is_initlab_to_the_bit() {
    for (key, act, width, scale) in [
        ("xavier", "tanh", 50, 1.0),
        ("he", "relu", 20, 10.0),
        ("normal", "sigmoid", 10, 1.0),
        ("orthogonal", "tanh", 20, 1.0),
        ("he", "gelu", 10, 1.0),
        ("lecun", "selu", 10, 1.0),
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
    assert!(ACTIVATIONS.len() >= 9 && INITS.len() >= 9);
    // Every activation is offered at widths and input scales of the grid.
    for a in ACTIVATIONS {
        assert!(a.widths.iter().all(|w| WIDTHS.contains(w)), "{}", a.key);
        assert!(
            a.scales.iter().all(|s| INPUT_SCALES.contains(s)),
            "{}",
            a.key
        );
    }
}

/// The committed files are what the code computes now (`cargo xtask figures explorer`
/// writes them all). The whole grid takes minutes to compute, so the check recomputes a
/// spread-out sample, byte for byte: eighteen settings (every initializer and
/// every activation at least twice, in distinct pairs, the width and input scale turning
/// through the grid from one to the next, so that every width and scale is sampled), the
/// points of every data set and one training run of each. Every file must be there and parse, no other file may be, every
/// layers file must hold every width and scale, and the whole stays under 5 MB. (The index of
/// the settings is a generated block of the page's head: `head_index_is_fresh`.)
#[test]
fn data_files_are_fresh() {
    let start = Instant::now();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(DIR);
    let stale = "run cargo xtask figures explorer";
    let read = |name: &str| -> (String, Value) {
        let text = std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|_| panic!("{DIR}/{name} is missing: {stale}"));
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{DIR}/{name} does not parse ({e}): {stale}"));
        (text, value)
    };
    // The files: exactly the expected ones, each parsing, all together a few MB.
    let names = file_names();
    let mut total = 0;
    let mut parsed = std::collections::BTreeMap::new();
    let mut texts = std::collections::BTreeMap::new();
    for name in &names {
        let (text, value) = read(name);
        total += text.len();
        parsed.insert(name.clone(), value);
        texts.insert(name.clone(), text);
    }
    // Byte for byte: the committed text holds `"key":` followed by the computed JSON.
    let holds = |name: &str, key: &str, computed: &Value| {
        texts[name].contains(&format!("{}:{computed}", Value::from(key)))
    };
    for sub in ["", "layers", "train"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                let name = path
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                assert!(
                    names.contains(&name),
                    "{DIR}/{name} is computed by nothing: {stale}"
                );
            }
        }
    }
    assert!(total < 5_000_000, "{total} bytes");
    // Every layers file holds every width and scale its activation is offered at.
    let inits: Vec<_> = data_inits().collect();
    for init in &inits {
        for act in ACTIVATIONS {
            let name = layers_name(init, act);
            let cases = parsed[&name]["cases"].as_object().unwrap();
            for (w, s) in act.cases() {
                assert!(
                    cases.contains_key(&case_key(w, s)),
                    "{DIR}/{name}: no {w}/{s}: {stale}"
                );
            }
            assert_eq!(cases.len(), act.cases().count(), "{DIR}/{name}: {stale}");
        }
    }
    // The sample: initializer p, activation 2p (distinct pairs, as the counts are coprime
    // with each other and 2 with the activations' count), turning through widths and scales.
    assert_eq!(ACTIVATIONS.len() % 2, 1);
    let mut sampled = 0;
    for p in 0..2 * inits.len().max(ACTIVATIONS.len()) {
        let (init, act) = (
            inits[p % inits.len()],
            &ACTIVATIONS[(2 * p) % ACTIVATIONS.len()],
        );
        let name = layers_name(init, act);
        let cells: Vec<(usize, f64)> = act.cases().collect();
        let (w, s) = cells[(7 * p) % cells.len()];
        let computed = case_json(init, act, w, s).unwrap();
        assert!(
            holds(&name, &case_key(w, s), &computed),
            "{DIR}/{name} at {w}/{s}: {stale}"
        );
        sampled += 1;
    }
    // The training files: the points, and one run of each, turning through the menus.
    for (k, &kind) in DATASETS.iter().enumerate() {
        let name = train_name(kind);
        let file = &parsed[&name];
        assert!(
            holds(&name, "points", &points_json(kind).unwrap()),
            "{DIR}/{name}: {stale}"
        );
        assert_eq!(
            file["runs"].as_object().unwrap().len(),
            INITS.len() * ACTIVATIONS.len()
        );
        let init = &INITS[(3 * k + 1) % INITS.len()];
        let act = &ACTIVATIONS[(2 * k + 1) % ACTIVATIONS.len()];
        let run = training::run(kind, init, act).unwrap();
        assert!(
            holds(&name, &run_key(init, act), &run_json(&run)),
            "{DIR}/{name}, run {}: {stale}",
            run_key(init, act)
        );
    }
    eprintln!(
        "explorer data: {} files, {total} bytes; {sampled} settings and {} runs recomputed in {:.1} s",
        names.len(),
        DATASETS.len(),
        start.elapsed().as_secs_f64()
    );
}

/// The settings in the explorer page's `<head>` (a generated block of `theme/head.hbs`) are
/// what the code computes now.
#[test]
fn head_index_is_fresh() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(explorer::render::HEAD);
    let text = std::fs::read_to_string(&path).unwrap();
    let filled = explorer::render::fill_head(&text).unwrap();
    assert!(
        filled == text,
        "{}: the explorer's settings are stale: run cargo xtask figures explorer",
        explorer::render::HEAD
    );
}
