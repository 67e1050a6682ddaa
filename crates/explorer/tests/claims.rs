//! Every number the explorer's text states: the numbers the page shows for the settings
//! its worked examples link to (computed by the same sweep that writes the page's data).

use explorer::CHAPTER;
use explorer::grid::RUN_SEEDS;
use explorer::render::{digits, saturation_by_width, summary};

#[test]
fn explorer_claims() {
    let mut claims = claims::Claims::new();
    claims.add("seeds", RUN_SEEDS);

    let he = summary("he", "relu", 500, 30).unwrap();
    claims.add("he_sd30", digits(he[29].pre_std.mean));
    claims.add("he_mf30", digits(he[29].predicted_pre_std.unwrap()));
    claims.add("he_spread30", format!("{:.2}", he[29].pre_std.sd));
    // He's rule keeps the signal's size: one network's signal wanders (the He chapter's
    // random walk of the log), so the mean of three seeds is within a third of the mean
    // field, and within two spreads of it.
    let (mean, mf) = (he[29].pre_std.mean, he[29].predicted_pre_std.unwrap());
    assert!((mean / mf - 1.0).abs() < 1.0 / 3.0 && (mean - mf).abs() < 2.0 * he[29].pre_std.sd);
    let xavier = summary("xavier", "relu", 500, 30).unwrap();
    claims.add("xavier_sd30", digits(xavier[29].pre_std.mean));
    assert!(xavier[29].pre_std.mean < 1e-3 * mean);

    let sat = saturation_by_width().unwrap();
    let half = sat
        .iter()
        .find(|(_, l)| l.saturated_fraction.mean > 0.5)
        .map(|(w, _)| *w)
        .unwrap();
    claims.add("sat_half_width", half);
    // Monotone in the width, as Var(a) = n Var(h) grows.
    assert!(
        sat.windows(2)
            .all(|p| p[1].1.saturated_fraction.mean >= p[0].1.saturated_fraction.mean)
    );

    // Width 20, ten layers: the gradient grows on its way down (chi_1 > 1 in the mean
    // field too), by the factor the page shows (the mean of its three seeds).
    let n20 = summary("normal", "tanh", 20, 10).unwrap();
    let growth = n20[0].grad_std.mean / n20[9].grad_std.mean;
    let predicted = n20[0].predicted_grad_std.unwrap() / n20[9].predicted_grad_std.unwrap();
    assert!(growth > 10.0 && predicted > 10.0, "{growth} {predicted}");
    claims.add("grad_growth20", format!("{:.0}", growth));

    let x = summary("xavier", "tanh", 500, 10).unwrap();
    claims.add("xavier_tanh_sd5", digits(x[4].pre_std.mean));
    claims.add("xavier_tanh_mf5", digits(x[4].predicted_pre_std.unwrap()));
    assert!(x[0].saturated_fraction.mean < 0.01);
    assert!(x[1..].iter().all(|l| l.saturated_fraction.mean == 0.0));

    // Orthogonal weights in thirty tanh layers: the gradient shrinks on its way down as with
    // Xavier's Gaussian weights, both near the mean field (one number for both: Var(W) = 1/n
    // at equal widths); what orthogonal weights narrow is the spread between networks.
    let orth = summary("orthogonal", "tanh", 500, 30).unwrap();
    let gauss = summary("xavier", "tanh", 500, 30).unwrap();
    let mf1 = orth[0].predicted_grad_std.unwrap();
    assert_eq!(Some(mf1), gauss[0].predicted_grad_std);
    for (g, top) in [
        (orth[0].grad_std.mean, orth[29].grad_std.mean),
        (gauss[0].grad_std.mean, gauss[29].grad_std.mean),
    ] {
        assert!(
            (g / mf1 - 1.0).abs() < 0.05 && g < top / 4.0,
            "{g} {mf1} {top}"
        );
    }
    claims.add("orth_grad1", digits(orth[0].grad_std.mean));
    claims.add("orth_grad30", digits(orth[29].grad_std.mean));
    claims.add("xavier_grad1", digits(gauss[0].grad_std.mean));
    claims.add("tanh_mf_grad1", digits(mf1));
    let narrower = gauss[9].pre_std.sd / orth[9].pre_std.sd;
    assert!(narrower > 3.0, "{narrower}");
    claims.add("orth_narrower10", format!("{narrower:.0}"));

    // SELU with LeCun's normal law: the fixed point of variance one holds at depth thirty
    // (the mean field is exactly 1: the fixed point); with He's variance it grows.
    let selu = summary("lecun", "selu", 500, 30).unwrap();
    let (sd, mf) = (selu[29].pre_std.mean, selu[29].predicted_pre_std.unwrap());
    assert!(
        (sd - 1.0).abs() < 0.1 && (mf - 1.0).abs() < 1e-3,
        "{sd} {mf}"
    );
    claims.add("selu_sd30", digits(sd));
    claims.add("selu_mf30", digits(mf));
    let he_selu = summary("he", "selu", 500, 30).unwrap();
    assert!(he_selu[29].pre_std.mean > 5.0);
    claims.add("he_selu_sd30", digits(he_selu[29].pre_std.mean));
    // SELU's fixed point is on the chaotic side: chi_1 slightly above one, so the mean
    // field's gradient grows on the way down, and the measured one with it.
    let (g1, g30) = (
        selu[0].predicted_grad_std.unwrap(),
        selu[29].predicted_grad_std.unwrap(),
    );
    let chi = initnet::math::pow(g1 / g30, 2.0 / 29.0);
    assert!(chi > 1.0 && chi < 1.2, "SELU's chi_1 {chi}");
    assert!(selu[0].grad_std.mean > selu[29].grad_std.mean);

    // He's variance with GELU: the mean of three networks sits well above the mean field
    // deep in a narrow network (a heavy upper tail over networks, not a bug: the
    // networks that drift to a large signal stop shrinking).
    let gelu = summary("he", "gelu", 100, 30).unwrap();
    let (sd, mf) = (gelu[29].pre_std.mean, gelu[29].predicted_pre_std.unwrap());
    assert!(sd > 2.0 * mf, "GELU at width 100: {sd} against {mf}");

    claims::check(CHAPTER.markdown, &claims).unwrap();
}

/// The chapter's figures, generated blocks and the outputs under its code are what its
/// code computes now (`cargo xtask figures explorer` rewrites them); in this process, beside
/// the claims, so the studies the chapter memoizes are computed once for both.
#[test]
fn the_committed_figures_and_outputs_are_what_the_code_computes_now() {
    outputs::assert_fresh(&explorer::CHAPTER);
}
