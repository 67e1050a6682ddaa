//! `initlab layers --jacobian`: the Jacobian summary of the library and of the binary.

use std::process::Command;

use initlab::LayersConfig;
use initlab::jacobian::jacobian;
use initnet::{Activation, Init};

fn config(init: Init, activation: Activation) -> LayersConfig {
    LayersConfig {
        init,
        activation,
        depth: 16,
        width: 64,
        batch: 1,
        ..LayersConfig::default()
    }
}

#[test]
fn orthogonal_tanh_near_isometry_and_relu_far_from_it() {
    // tanh at σ_w² = 1 with small inputs: orthogonal weights keep the spread near zero,
    // Gaussian ones add about one per layer; the mean follows the χ₁ product for both.
    let orth = jacobian(&config(Init::orthogonal(), Activation::Tanh), 0.1).unwrap();
    let gauss = jacobian(&config(Init::lecun_normal(), Activation::Tanh), 0.1).unwrap();
    let (so, sg) = (orth.spread.unwrap(), gauss.spread.unwrap());
    assert!(so < 0.05 && sg > 5.0, "{so} {sg}");
    assert!(orth.predicted_spread.unwrap() < 0.05);
    assert!((gauss.predicted_spread.unwrap() - 16.0).abs() < 0.1);
    let pm = orth.predicted_mean_sigma2.unwrap();
    assert_eq!(Some(pm), gauss.predicted_mean_sigma2);
    // One orthogonal network's mean is the prediction within a few per cent: its spread
    // is about 1 %.
    assert!(
        (orth.mean_sigma2 / pm - 1.0).abs() < 0.05,
        "{} {pm}",
        orth.mean_sigma2
    );
    assert!(orth.condition.unwrap() < 2.0 && orth.sigma_min > 0.5);
    // ReLU: a zero singular value, no finite condition number; spread predicted 2L.
    let relu = jacobian(&config(Init::he_normal(), Activation::Relu), 1.0).unwrap();
    assert_eq!(relu.condition, None);
    assert!((relu.predicted_spread.unwrap() - 32.0).abs() < 1e-9);
    // The prediction needs square layers with zero-mean weights.
    let wide = LayersConfig {
        inputs: Some(10),
        ..config(Init::lecun_normal(), Activation::Tanh)
    };
    assert_eq!(jacobian(&wide, 1.0).unwrap().predicted_spread, None);
    // Bad input scales are errors naming the value.
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = jacobian(&config(Init::orthogonal(), Activation::Tanh), bad).unwrap_err();
        assert!(e.to_string().contains("input scale"), "{e}");
    }
}

#[test]
fn the_flag_prints_the_summary_and_json() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "layers",
            "--init",
            "orthogonal",
            "--activation",
            "tanh",
            "--depth",
            "8",
            "--width",
            "32",
            "--batch",
            "4",
            "--jacobian",
            "--input-scale",
            "0.1",
        ];
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_initlab"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&[]);
    for part in [
        "input-output Jacobian",
        "mean of sigma^2",
        "chi_1 product",
        "max/min",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let v: serde_json::Value = serde_json::from_str(&run(&["--json"])).unwrap();
    assert!(v["layers"]["layers"].is_array());
    let spread = v["jacobian"]["spread"].as_f64().unwrap();
    assert!(spread < 0.05, "{spread}");
    // --input-scale also scales the inputs without --jacobian (the explorer's flag):
    // tests/cli.rs checks that.
}
