//! The speed benchmarks of `BENCHMARKS.md` (in this crate), (1) and (2) mirrored op for op
//! by `benches/numpy_reference.py`:
//!
//! 1. `cs231n_forward_backward`: forward a batch of 1000 standard-normal inputs through
//!    10 tanh layers of 500 units (Xavier normal), then back-propagate a given
//!    standard-normal output gradient (dW, db, dL/da and dL/dh of every layer).
//! 2. `blobs_2_2_4_train_1000_epochs`: full-batch gradient descent (lr 0.1) of the
//!    article's 2-2-4 tanh network (Xavier normal) on 400 blob points for 1000 epochs,
//!    loss, accuracy and gradient norms evaluated every epoch as `initnet::train` does;
//!    also with initnet's vector loops capped at AVX2 and at the baseline (`_avx2`,
//!    `_baseline`).
//!
//! 3. `blobs_transcendentals_libm` and `blobs_transcendentals_initnet_math`: only the
//!    tanh, exp and ln evaluations that (2) makes, through the platform's libm (what initnet
//!    called before it had `initnet::math`) and through `initnet::math`'s functions mapped
//!    over slices by `initnet::kernels`.
//!
//! Run with `cargo bench -p initnet`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use initnet::kernels::{self, VectorLevel};
use initnet::ndarray::Array2;
use initnet::random::{Distribution, StandardNormal};
use initnet::{Activation, Blobs, Init, MlpSpec, TrainConfig, train};

/// A `rows x cols` matrix of independent standard-normal draws from stream `stream` of the
/// ChaCha8 generator seeded with `seed` (the draws of `initlab layers`' inputs and top
/// gradient).
fn standard_normal(rows: usize, cols: usize, seed: u64, stream: u64) -> Array2<f64> {
    let mut rng = initnet::rng(seed);
    rng.set_stream(stream);
    Array2::from_shape_simple_fn((rows, cols), || StandardNormal.sample(&mut rng))
}

fn cs231n_forward_backward(c: &mut Criterion) {
    let mut widths = vec![500];
    widths.extend([500; 10]);
    let net = MlpSpec::new(&widths, Activation::Tanh, Init::xavier_normal())
        .output(Activation::Tanh)
        .build(0)
        .expect("a valid network");
    let x = standard_normal(1000, 500, 0, 1);
    let d_out = standard_normal(1000, 500, 0, 2);
    let mut group = c.benchmark_group("speed");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("cs231n_forward_backward", |b| {
        b.iter(|| {
            let trace = net.forward(black_box(&x)).expect("valid input");
            let grads = net
                .backward(&trace, black_box(&d_out))
                .expect("valid gradient");
            black_box(grads);
        })
    });
    group.finish();
}

fn blobs_train(c: &mut Criterion) {
    let data = Blobs::new(400, 4).generate(0).expect("valid blobs");
    let spec = MlpSpec::new(&[2, 2, 4], Activation::Tanh, Init::xavier_normal());
    let net0 = spec.build(0).expect("a valid network");
    let cfg = TrainConfig::new(0.1, 1000);
    let mut group = c.benchmark_group("speed");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    // The widest vectors this CPU has, then capped at AVX2 and at the baseline (SSE2), to
    // show what a narrower machine would see. All three give the same bits.
    for (suffix, level) in [
        ("", VectorLevel::Avx512),
        ("_avx2", VectorLevel::Avx2),
        ("_baseline", VectorLevel::Baseline),
    ] {
        kernels::set_max_vector_level(level);
        group.bench_function(format!("blobs_2_2_4_train_1000_epochs{suffix}"), |b| {
            b.iter(|| {
                let mut net = net0.clone();
                let history =
                    train(&mut net, black_box(&data.x), &data.y, &cfg).expect("valid run");
                black_box((net, history));
            })
        });
    }
    kernels::set_max_vector_level(VectorLevel::Avx512);
    group.finish();
}

/// The transcendental work of (2), through the platform's libm and through
/// `initnet::math`: per evaluation 400 x 2 tanh (hidden layer), 400 x 4 exp and 400 ln
/// (softmax cross-entropy), 1001 evaluations.
// The platform's tanh, exp and ln are what `initnet::math` is measured against.
#[allow(clippy::disallowed_methods)]
fn blobs_transcendentals(c: &mut Criterion) {
    let a = standard_normal(400, 2, 0, 3).mapv(|v| 3.0 * v);
    let z = standard_normal(400, 4, 0, 4).mapv(|v| -v.abs());
    let s = z.column(0).mapv(|v| 1.0 - v);
    let mut group = c.benchmark_group("speed");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("blobs_transcendentals_libm", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for _ in 0..1001 {
                acc += black_box(&a).iter().map(|v| v.tanh()).sum::<f64>();
                acc += black_box(&z).iter().map(|v| v.exp()).sum::<f64>();
                acc += black_box(&s).iter().map(|v| v.ln()).sum::<f64>();
            }
            black_box(acc)
        })
    });
    let (mut a1, mut z1, mut s1) = (a.clone(), z.clone(), s.clone());
    group.bench_function("blobs_transcendentals_initnet_math", |b| {
        b.iter(|| {
            for _ in 0..1001 {
                a1.assign(black_box(&a));
                kernels::tanh_slice(a1.as_slice_mut().expect("standard layout"));
                z1.assign(black_box(&z));
                kernels::exp_slice(z1.as_slice_mut().expect("standard layout"));
                s1.assign(black_box(&s));
                kernels::ln_slice(s1.as_slice_mut().expect("standard layout"));
                black_box((&a1, &z1, &s1));
            }
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    cs231n_forward_backward,
    blobs_train,
    blobs_transcendentals
);
criterion_main!(benches);
