//! # theory: the mathematics the book teaches, defined once
//!
//! Everything the chapters predict without running a network: Gaussian expectations, the
//! mean-field maps, the saturation cutoffs, the closed forms of piecewise-linear
//! activations, the finite-width corrections and the special functions under them. The
//! network itself is [`initnet`]'s; this crate only reads its activations and initializers.
//! A chapter calls these functions and never re-derives them; a new closed form belongs
//! here, with its formula, its source and a test against an independent computation.
//!
//! | module | what |
//! |---|---|
//! | [`gains`] | the gain that keeps q fixed for non-homogeneous activations (GELU, SiLU, ELU, SELU), the fixed point of a given gain, SELU's moments |
//! | [`gaussian`] | E[g(a)] for a ~ N(0, q) ([`gaussian_expectation`], exact at kinks at 0), E[g(u1, u2)] for correlated Gaussians, and their closed forms for ReLU, leaky ReLU and the identity |
//! | [`mean_field`](mod@mean_field) | the q-map, χ₁, the c-map, fixed points q* and c*, the depth scales ξ_q and ξ_c, tanh's critical line, and the per-layer prediction of a whole network ([`mean_field()`](fn@mean_field)) |
//! | [`saturation`] | the book's one threshold [`SATURATION_THRESHOLD`], the cutoffs it implies, the predicted saturated fraction |
//! | [`norms`] | the chi law of a Gaussian vector's length and the log-chi-square steps of the log-norm's random walk |
//! | [`finite_width`] | fluctuations of finite layers around the mean field, and the born-dead law of narrow ReLU networks |
//! | [`isometry`] | products of random matrices (exact moments, the Fuss–Catalan law), the learning dynamics of deep linear networks, the Jacobian spectrum of deep networks |
//! | [`residual`] | the mean field of residual networks: geometric growth without normalization, linear growth with it |
//! | [`special`] | the normal density and tail, Simpson, Gauss–Hermite and Gauss–Legendre rules, digamma and trigamma |
//!
//! ```
//! use initnet::Activation;
//!
//! // One tanh layer with Var(W) = (5/3)^2 / n_in fed N(0, 1): its output variance, the
//! // fixed point of the map, and the gradient factor there (above 1: the gradient's second
//! // moment grows by 21% per layer going down).
//! let g2 = 25.0 / 9.0;
//! let q1 = theory::q_map(Activation::Tanh, g2, 0.0, 1.0)?;
//! let q_star = theory::tanh_fixed_point(g2, 0.0)?.expect("g > 1 has a fixed point");
//! let chi = theory::chi(Activation::Tanh, g2, q_star)?;
//! assert!((q1 - 1.095).abs() < 1e-3 && (chi - 1.210).abs() < 1e-3);
//! // ReLU with He's Var(W) = 2 / n_in keeps the variance, exactly in closed form.
//! assert_eq!(theory::kept_fraction(Activation::Relu), Some(0.5));
//! assert!((theory::q_map(Activation::Relu, 2.0, 0.0, 3.0)? - 3.0).abs() < 1e-12);
//! # Ok::<(), initnet::Error>(())
//! ```
//!
//! Every function checks its input and returns an [`initnet::Error`] naming a bad value (a
//! negative or non-finite variance, a zero width); where a closed form exists only for some
//! activations, the others get `None`.
//!
//! References: Abramowitz and Stegun (1964); Klambauer et al. (2017), *Self-normalizing
//! neural networks*; Cho and Saul (2009), *Kernel methods for deep
//! learning*; He et al. (2015), *Delving deep into rectifiers*; Lu et al. (2019), *Dying
//! ReLU and initialization*; Poole et al. (2016), *Exponential expressivity in deep neural
//! networks through transient chaos*; Press et al. (2007), *Numerical Recipes*, 3rd ed.;
//! Schoenholz et al. (2017), *Deep information propagation*.

pub mod finite_width;
pub mod gains;
pub mod gaussian;
pub mod isometry;
pub mod mean_field;
pub mod norms;
pub mod residual;
pub mod saturation;
pub mod special;

pub use finite_width::{
    born_alive_probability, linear_stack_rms_sd, one_layer_rms_sd, relative_variance,
};
pub use gains::{fixed_point_gain, fixed_point_slope, gain_fixed_point, selu_moments};
pub use gaussian::{
    arc_cosine_kernel, correlated_expectation, gaussian_expectation, kappa, kept_fraction,
    piecewise_linear_covariance, slopes,
};
pub use isometry::{
    deep_linear_mode, deep_linear_time, fuss_catalan_expectation, fuss_catalan_log_sigma_density,
    gaussian_product_mean_log_sigma, gaussian_product_sigma4, jacobian_spectrum,
    relu_jacobian_moments,
};
pub use mean_field::{
    Criticality, Prediction, activation_mean, c_fixed_point, c_map, chi, chi_c, depth_scale,
    input_share, mean_field, q_map, q_map_slope, q_trajectory, q_trajectory_closed_form,
    tanh_critical_point, tanh_critical_sigma_w2, tanh_fixed_point,
};
pub use norms::{chi_density, chi_expectation, log_chi_square_moments, log_relu_square_moments};
pub use residual::{branch_gain, normalized_residual_q, pre_norm_residual_q, residual_q};
pub use saturation::{
    SATURATION_THRESHOLD, saturation_cutoff, saturation_cutoff_at, saturation_probability,
    saturation_slope, sigmoid_cutoff, tanh_cutoff,
};
pub use special::{
    GaussHermite, GaussLegendre, digamma, gaussian_tail, normal_pdf, simpson, trigamma,
};
