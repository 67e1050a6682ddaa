//! Print the chapter's generated tables (markdown with claims), to paste into `src/guide.md`
//! when an experiment changes. `tests/claims.rs` fails until the chapter shows exactly these.
//! The tables are separated by a line holding `----`.

use guide::compare::Task;
use guide::figures::{STACK, comparison, seeds};
use guide::render;
use guide::table::{EXAMPLE_LAYER, framework_table, recommendation_table};

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (n_in, n_out) = EXAMPLE_LAYER;
    print!(
        "{}",
        render::recommendation_table(&recommendation_table(n_in, n_out)?)
    );
    println!("----");
    print!("{}", render::framework_table(&framework_table(STACK.0)?));
    println!("----");
    let specs: Vec<_> = Task::ALL.iter().map(|t| t.spec()).collect();
    print!("{}", render::task_table(&specs));
    println!("----");
    print!("{}", render::comparison_table(&comparison(&seeds())?));
    Ok(())
}
