//! The explorer draws in the browser from [`crate::data`]; it has no chart of its own.

/// No charts: the page draws its plots from the data files.
pub fn figures() -> book::Result<Vec<charts::Figure>> {
    Ok(Vec::new())
}
