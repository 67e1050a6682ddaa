//! Element-wise loops over whole slices: `math`'s functions mapped over a slice, and the
//! activation steps of a forward and a backward pass, each compiled per vector width.

use ndarray::Array2;

use super::dispatch::vectorized_fn;
use super::threads;
use crate::activation::Activation;
use crate::math::{exp, ln, sigmoid, tanh};

macro_rules! slice_fn {
    ($(#[$doc:meta])* $name:ident, $scalar:ident) => {
        vectorized_fn!(
            $(#[$doc])*
            pub fn $name(xs: &mut [f64]) {
                xs.iter_mut().for_each(|x| *x = $scalar(*x))
            }
        );
    };
}

// Eight lanes with AVX-512, four with AVX2, two with the x86-64 baseline (SSE2), all
// giving the scalar function's bits.
slice_fn!(
    /// Apply [`exp`](crate::math::exp) to every element, vectorized; the scalar's bits.
    exp_slice,
    exp
);
slice_fn!(
    /// Apply [`ln`](crate::math::ln) to every element, vectorized; the scalar's bits.
    ln_slice,
    ln
);
slice_fn!(
    /// Apply [`tanh`](crate::math::tanh) to every element, vectorized; the scalar's bits.
    tanh_slice,
    tanh
);
slice_fn!(
    /// Apply [`sigmoid`](crate::math::sigmoid) to every element, vectorized; the scalar's
    /// bits.
    sigmoid_slice,
    sigmoid
);

vectorized_fn!(
    /// g *= 1 - h^2, the derivative of tanh read off h = tanh a.
    fn mul_tanh_derivative(g: &mut [f64], h: &[f64]) {
        g.iter_mut().zip(h).for_each(|(g, h)| *g *= 1.0 - h * h)
    }
);

vectorized_fn!(
    /// g *= h (1 - h), the derivative of the sigmoid read off h = sigmoid a.
    fn mul_sigmoid_derivative(g: &mut [f64], h: &[f64]) {
        g.iter_mut().zip(h).for_each(|(g, h)| *g *= h * (1.0 - h))
    }
);

/// h = f(h) in place, for [`Activation::apply_in_place`]: through the slice functions
/// when `h` is contiguous, split over threads when it is large ([`threads::for_each_part`]).
pub(crate) fn apply(f: Activation, h: &mut Array2<f64>) {
    match h.as_slice_memory_order_mut() {
        Some(data) => threads::for_each_part(data, |part| apply_slice(f, part)),
        None => h.mapv_inplace(|v| f.f(v)),
    }
}

/// x = f(x) for every element of a slice.
fn apply_slice(f: Activation, xs: &mut [f64]) {
    match f {
        Activation::Identity => {}
        Activation::Tanh => tanh_slice(xs),
        Activation::Sigmoid => sigmoid_slice(xs),
        _ => xs.iter_mut().for_each(|v| *v = f.f(*v)),
    }
}

/// g *= f'(a) in place, for [`Activation::mul_derivative_given`]: one slice loop when a, h
/// and g share a contiguous layout, else element by element through `df_given`.
pub(crate) fn mul_derivative(f: Activation, a: &Array2<f64>, h: &Array2<f64>, g: &mut Array2<f64>) {
    let same_layout = |x: &Array2<f64>| x.strides() == g.strides();
    if let (true, true, Some(a), Some(h)) = (
        same_layout(a),
        same_layout(h),
        a.as_slice_memory_order(),
        h.as_slice_memory_order(),
    ) && let Some(g) = g.as_slice_memory_order_mut()
    {
        match f {
            Activation::Identity => {}
            Activation::Tanh => mul_tanh_derivative(g, h),
            Activation::Sigmoid => mul_sigmoid_derivative(g, h),
            _ => g.iter_mut().zip(a).for_each(|(g, &a)| *g *= f.df(a)),
        }
        return;
    }
    ndarray::Zip::from(g)
        .and(a)
        .and(h)
        .for_each(|g, &a, &h| *g *= f.df_given(a, h));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::tests::ALL;

    #[test]
    fn slices_give_the_scalar_bits() {
        let xs = crate::math::tests::arguments(-30.0, 30.0, 5_001, 8);
        type Pair = (fn(&mut [f64]), fn(f64) -> f64);
        let pairs: [Pair; 4] = [
            (exp_slice, exp),
            (tanh_slice, tanh),
            (sigmoid_slice, sigmoid),
            (ln_slice, ln),
        ];
        for (slice_fn, scalar) in pairs {
            let mut ys = xs.clone();
            slice_fn(&mut ys);
            for (x, y) in xs.iter().zip(&ys) {
                let want = scalar(*x);
                assert!(
                    y.to_bits() == want.to_bits() || (y.is_nan() && want.is_nan()),
                    "{x}"
                );
            }
        }
    }

    /// The in-place step of the backward pass, g * f'(a), gives the bits of
    /// `g * derivative_given(a, h)`, for row- and column-major arrays.
    #[test]
    fn mul_derivative_is_g_times_the_derivative_bit_for_bit() {
        let a = Array2::from_shape_fn((7, 9), |(i, j)| {
            (i as f64 - 3.0) * 1.7 + j as f64 * 0.31 - 1.2
        });
        let bits = |x: &Array2<f64>| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        for a in [a.clone(), crate::kernels::column_major(&a)] {
            let g = a.mapv(|v| crate::math::cos(v * 0.7));
            for act in ALL {
                let h = act.apply(&a);
                let d = act.derivative_given(&a, &h);
                let mut in_place = g.clone();
                act.mul_derivative_given(&a, &h, &mut in_place);
                assert_eq!(bits(&in_place), bits(&(&g * &d)), "{act}");
            }
        }
    }
}
