//! The experiments behind the worked solutions of the chapter's exercises.

use initnet::{Activation, Init};

use crate::compare::{Candidate, Summary, Task, TaskSpec, candidates};
use crate::figures::STACK;
use crate::signal::{Propagation, Stack};
use crate::{Error, Result};

/// Exercise 1: a tanh stack of the chapter's size with Glorot's variance times 5/3.
pub fn tanh_five_thirds(seeds: &[u64]) -> Result<Propagation> {
    let (width, depth, batch) = STACK;
    let init = Init::xavier_normal().with_gain(5.0 / 3.0)?;
    Stack::new(Activation::Tanh, init, width, depth, batch).over_seeds(seeds)
}

/// Exercise 3: plain He in a leaky-ReLU stack of slope `alpha`.
pub fn leaky_he(alpha: f64, seeds: &[u64]) -> Result<Propagation> {
    let (width, depth, batch) = STACK;
    Stack::new(
        Activation::leaky_relu(alpha)?,
        Init::he_normal(),
        width,
        depth,
        batch,
    )
    .over_seeds(seeds)
}

/// The candidate named `key` ([`Candidate::key`]).
pub fn candidate(key: &str) -> Result<Candidate> {
    candidates()
        .into_iter()
        .find(|c| c.key() == key)
        .ok_or_else(|| Error::Unknown {
            what: "candidate",
            name: key.to_string(),
            expected: "a key of compare::candidates()",
        })
}

/// `spec` trained with each of the candidates `keys` over `seeds`.
pub fn compare_some(spec: &TaskSpec, keys: &[&str], seeds: &[u64]) -> Result<Vec<Summary>> {
    if seeds.is_empty() {
        return Err(Error::NoSeeds);
    }
    keys.iter()
        .map(|k| {
            let c = candidate(k)?;
            let runs = book::memo::per_seed(seeds, |s| spec.run(&c, s))?;
            Ok(Summary::new(spec.task, c, runs))
        })
        .collect()
}

/// Exercise 4: `deep-relu` with learning rate `lr`, for PyTorch's default and He.
pub fn deep_relu_at(lr: f64, seeds: &[u64]) -> Result<Vec<Summary>> {
    let mut spec = Task::DeepRelu.spec();
    spec.config.lr = lr;
    compare_some(&spec, &["pytorch", "he"], seeds)
}

/// Exercise 5: `deep-relu` with `hidden` hidden layers of sixteen units, LeCun against He.
pub fn deep_relu_depth(hidden: usize, seeds: &[u64]) -> Result<Vec<Summary>> {
    if hidden == 0 {
        return Err(Error::Zero("hidden layers"));
    }
    let mut spec = Task::DeepRelu.spec();
    spec.widths = [2]
        .into_iter()
        .chain(std::iter::repeat_n(16, hidden))
        .chain([2])
        .collect();
    compare_some(&spec, &["lecun", "he"], seeds)
}
