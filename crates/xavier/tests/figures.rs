//! Every chart renders, with a CSV header and unique names; rendering twice gives the same
//! bytes. With XAVIER_FIGURES_DIR set, the figures are also written to that folder (the
//! stand-in for `cargo xtask figures` until the workspace tool exists).

#[test]
fn every_figure_renders_deterministically() {
    let figures = xavier::figures::figures().unwrap();
    let mut names: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), figures.len(), "figure names must be unique");
    for f in &figures {
        assert!(f.svg.starts_with("<svg"), "{}", f.name);
        assert!(f.csv.lines().count() > 1, "{} has no data rows", f.name);
    }
    // Byte-identical on a second run (the cheap charts; the experiments are seeded).
    let (s, n) = xavier::glorot_bengio(initnet::Activation::Tanh, 0).unwrap();
    let again = xavier::figures::activation_histograms(
        "activations-standard",
        "tanh activations h^l, standard init U[±1/√n]",
        &s,
    )
    .unwrap();
    assert_eq!(figures[0], again);
    let _ = n;
    if let Some(dir) = std::env::var_os("XAVIER_FIGURES_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for f in &figures {
            f.save(&dir).unwrap();
        }
    }
}
