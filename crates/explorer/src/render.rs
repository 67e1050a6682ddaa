//! The chapter's generated table and the numbers its worked examples state, computed by
//! the same sweep that writes the page's data.

use std::sync::OnceLock;

use initlab::{Error, LayerSpread, four_digits};

use crate::grid::{WIDTHS, activation, init};
use crate::sweep::sweep_width;

/// The summary (at the depth `depth` of the page's presets) of one setting at input scale 1.
pub fn summary(
    init_key: &str,
    act_key: &str,
    width: usize,
    depth: usize,
) -> Result<Vec<LayerSpread>, Error> {
    let unknown = |what: &str| Error::Invalid(format!("no {what} in the explorer's grid"));
    let choice = init(init_key).ok_or_else(|| unknown(init_key))?;
    let act = activation(act_key).ok_or_else(|| unknown(act_key))?;
    let d = crate::grid::DEPTHS
        .iter()
        .position(|&d| d == depth)
        .ok_or_else(|| unknown("depth"))?;
    let mut s = sweep_width(choice, width, std::slice::from_ref(act), &[1.0])?;
    Ok(s.remove(0).by_depth.swap_remove(d))
}

/// Layer five of ten tanh layers with N(0, 1) weights at every width of the page:
/// (width, saturated fraction over the seeds, mean field).
pub fn saturation_by_width() -> Result<&'static [(usize, LayerSpread)], Error> {
    static CELL: OnceLock<Vec<(usize, LayerSpread)>> = OnceLock::new();
    if let Some(v) = CELL.get() {
        return Ok(v);
    }
    let rows = WIDTHS
        .iter()
        .map(|&w| Ok((w, summary("normal", "tanh", w, 10)?.swap_remove(4))))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(CELL.get_or_init(|| rows))
}

/// The table of the saturation example.
pub fn saturation_table() -> Result<String, Error> {
    let mut out = String::from(
        "| width $n$ | saturated in layer five, measured | mean field |\n|---:|---:|---:|\n",
    );
    for (w, l) in saturation_by_width()? {
        out.push_str(&format!(
            "| {w} | {:.3} ± {:.3} | {} |\n",
            l.saturated_fraction.mean,
            l.saturated_fraction.sd,
            l.predicted_saturated_fraction
                .map_or("–".to_string(), |p| format!("{p:.3}"))
        ));
    }
    Ok(out)
}

/// The chapter's generated blocks.
pub fn generated() -> book::Result<Vec<book::Generated>> {
    let table = saturation_table().map_err(|e| book::Error::Unknown {
        what: "explorer setting",
        name: e.to_string(),
        expected: "a setting of the grid",
    })?;
    Ok(vec![book::Generated::new("saturation", table)])
}

/// The template of every page's `<head>`, where the explorer page gets its settings
/// ([`head_blocks`]) and its script: there they are read and the data of the chosen
/// setting asked for before the page's stylesheets and mdBook's scripts have loaded.
pub const HEAD: &str = "theme/head.hbs";

/// The generated blocks of [`HEAD`]: the page's settings, [`index_block`].
pub fn head_blocks() -> Vec<book::Generated> {
    vec![book::Generated::new("explorer-index", index_block())]
}

/// [`HEAD`]'s text `text` with its generated blocks filled in (`cargo xtask figures
/// explorer` writes it; the tests check the committed file is the same).
pub fn fill_head(text: &str) -> book::Result<String> {
    book::generated::fill(text, &head_blocks())
}

/// The page's settings ([`crate::data::index`]) as a JSON block in the page's `<head>`, read
/// by the explorer's script as it starts: with it, the script asks for the layers and the
/// training file of the chosen setting at once, with no round trip for the index first.
/// A `<script type="application/json">` is not run, not shown and not in mdBook's search
/// index. A `<` is written `\u003c`, so that no `</script>` can close it early, and JSON
/// never holds `{{`, which the handlebars template would read as an expression.
pub fn index_block() -> String {
    let json = crate::data::index().to_string().replace('<', "\\u003c");
    debug_assert!(!json.contains("{{"));
    format!("<script type=\"application/json\" id=\"explorer-index\">{json}</script>")
}

/// The page's four significant digits.
pub fn digits(x: f64) -> String {
    four_digits(x)
}
