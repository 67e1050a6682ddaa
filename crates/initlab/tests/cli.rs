//! Run the built `initlab` binary: the documented commands, the JSON shape, exit codes and
//! error messages.

use std::process::{Command, Output};

use serde_json::Value;

fn initlab(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_initlab"))
        .args(args)
        .output()
        .expect("the initlab binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "initlab {args:?} panicked: {stderr}"
    );
    assert!(
        !stderr.contains("RUST_BACKTRACE"),
        "initlab {args:?}: {stderr}"
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 errors")
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = initlab(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "initlab {all:?}: {}",
        stderr(&out)
    );
    serde_json::from_str(&stdout(&out)).expect("valid JSON")
}

fn number(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

#[test]
fn help_shows_examples_and_both_verbs() {
    let out = initlab(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for needle in [
        "layers",
        "train",
        "Examples:",
        "initlab train --dataset blobs --init zeros",
    ] {
        assert!(text.contains(needle), "--help lacks {needle:?}:\n{text}");
    }
    let text = stdout(&initlab(&["layers", "--help"]));
    assert!(text.contains("standard-normal gradient"), "{text}");
    let text = stdout(&initlab(&["train", "--help"]));
    assert!(
        text.contains("--test-fraction") && text.contains("--standardize"),
        "{text}"
    );
}

#[test]
fn layers_documented_command_prints_a_table() {
    let out = initlab(&[
        "layers",
        "--init",
        "xavier",
        "--activation",
        "tanh",
        "--depth",
        "10",
        "--width",
        "500",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("10 layers of 500 tanh units"), "{text}");
    let header = text
        .lines()
        .find(|l| l.trim_start().starts_with("layer"))
        .expect("a header row");
    for column in [
        "pre_mean",
        "pre_std",
        "act_mean",
        "act_std",
        "saturated",
        "dead",
        "grad_std",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("layer"))
        .skip(1)
        .collect();
    assert_eq!(rows.len(), 10, "{text}");
    assert!(rows[9].trim_start().starts_with("10 "), "{}", rows[9]);
}

/// The saturated and dead columns hold numbers only where they mean something (tanh and
/// the sigmoid saturate; ReLU's units switch off), a dash elsewhere, as on the explorer.
#[test]
fn counts_that_mean_nothing_for_an_activation_are_dashes() {
    // The cells of column `name` in the table (one per layer).
    let column = |args: &[&str], name: &str| -> Vec<String> {
        let out = initlab(args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        let mut lines = text
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("layer"));
        let header: Vec<&str> = lines.next().expect("a header").split_whitespace().collect();
        let j = header.iter().position(|h| *h == name).expect("the column");
        // "mean +- sd" cells hold three words: a cell is its first word.
        lines
            .map(|l| {
                let words: Vec<&str> = l
                    .split("  ")
                    .map(str::trim)
                    .filter(|w| !w.is_empty())
                    .collect();
                words[j]
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    };
    let small = ["--depth", "3", "--width", "20", "--batch", "50"];
    for (act, saturated, dead) in [
        ("gelu", false, false),
        ("selu", false, false),
        ("tanh", true, false),
        ("relu", false, true),
    ] {
        for seeds in [&[][..], &["--seeds", "2"][..]] {
            let args = [&["layers", "--activation", act][..], &small[..], seeds].concat();
            for (name, shown) in [("saturated", saturated), ("dead", dead)] {
                let cells = column(&args, name);
                assert_eq!(cells.len(), 3, "{args:?}");
                assert!(
                    cells.iter().all(|c| (c != "-") == shown),
                    "{args:?}: {name} {cells:?}"
                );
            }
        }
    }
}

#[test]
fn layers_json_has_the_documented_fields() {
    let v = json(&[
        "layers",
        "--depth",
        "4",
        "--width",
        "64",
        "--batch",
        "100",
        "--activation",
        "relu",
        "--init",
        "he",
    ]);
    let config = &v["config"];
    assert_eq!(config["init"], "he-normal");
    assert_eq!(config["activation"], "relu");
    assert_eq!(
        (config["depth"].as_u64(), config["width"].as_u64()),
        (Some(4), Some(64))
    );
    assert_eq!(
        (config["inputs"].as_u64(), config["batch"].as_u64()),
        (Some(64), Some(100))
    );
    assert_eq!(
        (config["seed"].as_u64(), config["gain"].as_f64()),
        (Some(0), Some(1.0))
    );
    let layers = v["layers"].as_array().expect("a layers array");
    assert_eq!(layers.len(), 4);
    for (i, layer) in layers.iter().enumerate() {
        assert_eq!(layer["layer"].as_u64(), Some(i as u64 + 1));
        for key in [
            "pre_mean",
            "pre_std",
            "act_mean",
            "act_std",
            "saturated_fraction",
            "dead_fraction",
            "grad_std",
        ] {
            assert!(number(layer, key).is_finite(), "{key} in {layer}");
        }
        // ReLU never saturates.
        assert_eq!(number(layer, "saturated_fraction"), 0.0);
    }
}

/// Today's activations: each parses, runs and reports itself; SELU with LeCun weights keeps
/// the pre-activations' standard deviation near 1 through every layer (its fixed point,
/// Klambauer et al. 2017; a layer of 128 units and 256 inputs estimates it to a few
/// percent).
#[test]
fn layers_runs_todays_activations() {
    for name in ["gelu", "gelu-tanh", "silu", "elu", "selu"] {
        let v = json(&[
            "layers",
            "--depth",
            "8",
            "--width",
            "128",
            "--batch",
            "256",
            "--activation",
            name,
            "--init",
            "lecun",
        ]);
        let shown = v["config"]["activation"]
            .as_str()
            .expect("a name")
            .to_string();
        assert!(shown.starts_with(name), "{shown}");
        let layers = v["layers"].as_array().expect("a layers array");
        assert_eq!(layers.len(), 8);
        for layer in layers {
            assert!(number(layer, "pre_std").is_finite(), "{name}: {layer}");
            if name == "selu" {
                let s = number(layer, "pre_std");
                assert!((0.85..=1.15).contains(&s), "selu: {layer}");
            }
        }
    }
}

#[test]
fn layers_output_is_deterministic_and_seeded() {
    let args = [
        "layers", "--depth", "3", "--width", "50", "--batch", "40", "--seed", "7", "--json",
    ];
    assert_eq!(stdout(&initlab(&args)), stdout(&initlab(&args)));
    let other = [
        "layers", "--depth", "3", "--width", "50", "--batch", "40", "--seed", "8", "--json",
    ];
    assert_ne!(stdout(&initlab(&args)), stdout(&initlab(&other)));
}

#[test]
fn train_zeros_shows_the_symmetry_problem() {
    let out = initlab(&["train", "--dataset", "blobs", "--init", "zeros"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("final training loss 1.386294"), "{text}");
    assert!(text.contains("symmetry"), "{text}");
    assert!(text.contains("stuck at the chance level"), "{text}");
    // Across seeds: the loss stays at ln 4 (the classes of the stratified training part are
    // balanced, so even the output biases get a zero gradient) and the accuracy at 1/4
    // (all logits equal, so every sample is put in class 0).
    for seed in ["0", "1", "2", "3", "4"] {
        let v = json(&[
            "train",
            "--dataset",
            "blobs",
            "--init",
            "zeros",
            "--epochs",
            "200",
            "--seed",
            seed,
        ]);
        let loss = number(&v, "final_train_loss");
        assert!(
            (loss - initnet::math::ln(4.0)).abs() < 1e-9,
            "seed {seed}: {loss}"
        );
        assert_eq!(number(&v, "final_train_accuracy"), 0.25);
        assert_eq!(number(&v, "test_accuracy"), 0.25);
        assert_eq!(v["symmetric_layers"], serde_json::json!([1]));
    }
}

#[test]
fn train_json_has_the_documented_fields() {
    let v = json(&[
        "train",
        "--dataset",
        "moons",
        "--hidden",
        "8,4",
        "--activation",
        "relu",
        "--init",
        "he",
        "--epochs",
        "50",
        "--standardize",
    ]);
    assert_eq!(v["config"]["dataset"], "moons");
    assert_eq!(v["config"]["widths"], serde_json::json!([2, 8, 4, 2]));
    for key in [
        "final_train_loss",
        "final_train_accuracy",
        "test_accuracy",
        "dead_fraction",
        "saturated_fraction",
    ] {
        assert!(number(&v, key).is_finite(), "{key}");
    }
    assert_eq!(v["diverged"], Value::Bool(false));
    assert_eq!(v["diverged_at_epoch"], Value::Null);
    let history = v["history"].as_array().expect("a history array");
    assert_eq!(history.len(), 51);
    for (i, point) in history.iter().enumerate() {
        assert_eq!(point["epoch"].as_u64(), Some(i as u64));
        assert!(
            number(point, "loss").is_finite() && (0.0..=1.0).contains(&number(point, "accuracy"))
        );
    }
    assert_eq!(number(&v, "final_train_loss"), number(&history[50], "loss"));
}

#[test]
fn a_diverging_run_says_so_in_text_and_valid_json() {
    let args = [
        "train",
        "--hidden",
        "16,16",
        "--activation",
        "identity",
        "--init",
        "normal:3",
        "--lr",
        "50",
        "--epochs",
        "100",
    ];
    let out = initlab(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("DIVERGED at epoch"),
        "{}",
        stdout(&out)
    );
    let v = json(&args);
    assert_eq!(v["diverged"], Value::Bool(true));
    let epoch = v["diverged_at_epoch"]
        .as_u64()
        .expect("the epoch of divergence");
    // The history holds the finite epochs 0..epoch-1; the final figures are the last of them.
    assert_eq!(v["history"].as_array().map(Vec::len), Some(epoch as usize));
    assert_eq!(v["final_epoch"].as_u64(), Some(epoch - 1));
}

#[test]
fn bad_flags_exit_2_with_clap_messages() {
    for (args, needle) in [
        (vec!["layers", "--bogus"], "--bogus"),
        (vec!["layers", "--init", "orthonormal"], "orthonormal"),
        (vec!["layers", "--init", "normal:-1"], "got -1"),
        (vec!["layers", "--activation", "softplus"], "softplus"),
        (vec!["layers", "--depth", "-3"], "-3"),
        (vec!["train", "--dataset", "spirals"], "spirals"),
        (vec!["train", "--hidden", "3,x"], "'x'"),
        (vec!["frobnicate"], "frobnicate"),
    ] {
        let out = initlab(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn bad_values_exit_1_with_the_library_message() {
    for (args, message) in [
        (
            vec!["layers", "--width", "0"],
            "error: width must be at least 1, got 0\n",
        ),
        (
            vec!["layers", "--depth", "0"],
            "error: depth must be at least 1, got 0\n",
        ),
        (
            vec!["layers", "--gain", "0"],
            "error: gain must be finite and > 0, got 0\n",
        ),
        (
            vec!["train", "--lr", "0"],
            "error: learning rate must be finite and > 0, got 0\n",
        ),
        (
            vec!["train", "--samples", "3"],
            "error: make_blobs: 3 samples is fewer than the 4 needed\n",
        ),
        (
            vec!["train", "--noise", "-1"],
            "error: cluster_std must be finite and >= 0, got -1\n",
        ),
        (
            vec!["train", "--momentum", "1"],
            "error: momentum must be in [0, 1), got 1\n",
        ),
        (
            vec!["residual", "--recipe", "zero-gamma"],
            "error: the zero-gamma recipe sets the scale of each branch's last normalization to 0: it needs --norm batch or --norm layer\n",
        ),
        (
            vec!["train", "--optimizer", "adam", "--momentum", "0.9"],
            "error: momentum with Adam must be 0 (Adam's momentum is beta1), got 0.9\n",
        ),
        (
            vec!["train", "--test-fraction", "1"],
            "error: test fraction must be in (0, 1), got 1\n",
        ),
        (
            vec!["train", "--hidden", "4,0"],
            "error: width of layer 2 must be at least 1, got 0\n",
        ),
        (
            vec!["train", "--batch-size", "0"],
            "error: batch size must be at least 1, got 0\n",
        ),
    ] {
        let out = initlab(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), message, "{args:?}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn overflow_is_an_error_or_a_flag_never_invalid_json() {
    // The variance itself overflows: a typed error.
    let out = initlab(&["layers", "--init", "normal:1e200"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: weight variance must be finite, got inf\n"
    );
    // The weights are finite but the signal overflows by layer 2 (1e120^2 * 10 > f64::MAX):
    // valid JSON, the statistics are null and `overflowed` says why.
    let overflowing = [
        "layers",
        "--init",
        "normal:1e120",
        "--activation",
        "relu",
        "--depth",
        "3",
        "--width",
        "10",
        "--batch",
        "5",
    ];
    let v = json(&overflowing);
    assert_eq!(v["overflowed"], Value::Bool(true));
    assert_eq!(v["layers"][2]["pre_std"], Value::Null);
    let text = stdout(&initlab(&overflowing));
    assert!(text.contains("overflowed"), "{text}");
    let v = json(&["layers", "--depth", "2", "--width", "10", "--batch", "5"]);
    assert_eq!(v["overflowed"], Value::Bool(false));
}

#[test]
fn correlation_prints_the_maps_and_the_phase() {
    let out = initlab(&[
        "correlation",
        "--sigma-w2",
        "4",
        "--sigma-b2",
        "0.05",
        "--depth",
        "12",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("(chaotic)") && text.contains("c* = 0.1651"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 4 + 12, "{text}");
    let v = json(&["correlation", "--sigma-w2", "1.761", "--depth", "3"]);
    assert_eq!(v["layers"].as_array().map(Vec::len), Some(3));
    assert!((v["summary"]["chi1"].as_f64().unwrap() - 1.0).abs() < 1e-3);
    let out = initlab(&["correlation", "--c0", "2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("c0"), "{}", stderr(&out));
}

/// `--seeds N` prints the mean and spread over seeds of what single-seed runs print, and
/// `--input-scale s` multiplies the inputs (so Var(a^1) by s^2 in the mean field).
#[test]
fn seeds_summarize_single_runs_and_input_scale_enters_the_mean_field() {
    let base = [
        "layers",
        "--init",
        "he",
        "--activation",
        "relu",
        "--depth",
        "3",
        "--width",
        "40",
        "--batch",
        "16",
        "--input-scale",
        "2",
    ];
    let one = |seed: &str| {
        let mut args = base.to_vec();
        args.extend(["--seed", seed]);
        json(&args)
    };
    let (a, b) = (one("0"), one("1"));
    let mut args = base.to_vec();
    args.extend(["--seeds", "2"]);
    let both = json(&args);
    for l in 0..3 {
        let x = number(&a["layers"][l], "pre_std");
        let y = number(&b["layers"][l], "pre_std");
        let spread = &both["layers"][l]["pre_std"];
        assert!((number(spread, "mean") - (x + y) / 2.0).abs() < 1e-14 * x);
        assert!((number(spread, "sd") - (x - y).abs() / 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(
            number(&both["layers"][l], "predicted_pre_std"),
            number(&a["layers"][l], "predicted_pre_std")
        );
    }
    // He weights: Var(a^1) = n_0 (2/n_0) s^2 = 8.
    assert!((number(&a["layers"][0], "predicted_pre_std") - 8f64.sqrt()).abs() < 1e-12);
    let text = stdout(&initlab(&args));
    assert!(
        text.contains("+-") && text.contains("seeds 0..=1"),
        "{text}"
    );
    let out = initlab(&["layers", "--input-scale", "0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("input scale"), "{}", stderr(&out));
}

/// The command the book's explorer prints under its table prints the explorer's numbers:
/// `--seeds 3 --json` is [`initlab::layers_over_seeds`] (which the explorer's tests compare
/// with its data to the bit), also for orthogonal weights and the newer activations.
#[test]
fn the_explorers_commands_print_the_library_numbers() {
    use initlab::{LayersConfig, layers_over_seeds};
    use initnet::{Activation, Init};
    for (init, act, args) in [
        (
            Init::orthogonal(),
            Activation::Tanh,
            "--init orthogonal --activation tanh",
        ),
        (
            Init::he_normal(),
            Activation::Gelu,
            "--init he-normal --activation gelu",
        ),
        (
            Init::lecun_normal(),
            Activation::Selu,
            "--init lecun-normal --activation selu",
        ),
    ] {
        let line =
            format!("layers {args} --depth 5 --width 20 --batch 100 --input-scale 1 --seeds 3");
        let printed = json(&line.split(' ').collect::<Vec<_>>());
        let cfg = LayersConfig {
            init,
            activation: act,
            depth: 5,
            width: 20,
            inputs: None,
            batch: 100,
            seed: 0,
            gain: 1.0,
            input_scale: 1.0,
        };
        let report = layers_over_seeds(&cfg, 3).unwrap();
        // The same numbers, up to serde_json's reading of the printed decimals (its default
        // float parser may miss the nearest double by an ulp).
        same(
            &printed["layers"],
            &serde_json::to_value(&report.layers).unwrap(),
            &line,
        );
    }
}

fn same(a: &Value, b: &Value, what: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!(
                (x - y).abs() <= 1e-15 * x.abs().max(y.abs()),
                "{what}: {x} vs {y}"
            );
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{what}");
            x.iter().zip(y).for_each(|(x, y)| same(x, y, what));
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(x.len(), y.len(), "{what}");
            x.iter().for_each(|(k, v)| same(v, &y[k], what));
        }
        _ => assert_eq!(a, b, "{what}"),
    }
}
