use std::time::Instant;
fn main() {
    let t = Instant::now();
    let f = explorer::data::train_file(1).unwrap();
    println!(
        "train circles {:.2} s {} bytes",
        t.elapsed().as_secs_f64(),
        f.1.len()
    );
    for &w in &explorer::grid::WIDTHS {
        let t = Instant::now();
        explorer::sweep::sweep_width(
            &explorer::grid::INITS[4],
            w,
            explorer::grid::ACTIVATIONS,
            &explorer::grid::INPUT_SCALES,
        )
        .unwrap();
        println!("width {w}: {:.2} s", t.elapsed().as_secs_f64());
    }
}
