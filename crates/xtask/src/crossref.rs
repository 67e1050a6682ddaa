//! An mdBook preprocessor that runs before mdbook-katex (`[preprocessor.crossref]` in
//! `book.toml`): it links every citation to the bibliography and numbers every chart with
//! its caption (`book::crossref`, which the workspace tests check against the sources).

use anyhow::{Result, bail};

/// Apply `book::crossref` to every chapter of an mdBook `Book` in JSON; fails naming the
/// chapter's file and line.
fn crossref_book(value: &mut serde_json::Value) -> Result<()> {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("sub_items") {
                let path = map
                    .get("path")
                    .and_then(|p| p.as_str())
                    .unwrap_or_default()
                    .to_string();
                let number = map
                    .get("number")
                    .and_then(|n| n.as_array())
                    .and_then(|n| n.first())
                    .and_then(serde_json::Value::as_u64)
                    .map(|n| u32::try_from(n).unwrap_or(u32::MAX));
                if let Some(serde_json::Value::String(content)) = map.get_mut("content") {
                    let numbered = match book::crossref::number_figures(content, number) {
                        Ok(text) => text,
                        Err(e) => bail!("src/{path}: {e}"),
                    };
                    *content = book::crossref::link_citations(&numbered);
                }
            }
            for v in map.values_mut() {
                crossref_book(v)?;
            }
        }
        serde_json::Value::Array(items) => {
            for v in items.iter_mut() {
                crossref_book(v)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The preprocessor's entry point: `supports <renderer>` answers whether it runs for that
/// renderer (html only); otherwise it reads `[context, book]` on stdin and writes the book.
pub fn run(args: &[String]) -> Result<bool> {
    crate::mathml::preprocess(args, crossref_book)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_figures_by_chapter_and_links_citations() {
        let mut book = serde_json::json!({"items": [
            {"Chapter": {"path": "intro.md", "number": null, "content": "![A](figures/intro/a.svg)\n", "sub_items": []}},
            {"Chapter": {"path": "zero.md", "number": [1], "content": "<cite>He et al., 2015</cite>\n\n![B](figures/zero/b.svg)\n", "sub_items": []}},
        ]});
        crossref_book(&mut book).unwrap();
        let intro = book["items"][0]["Chapter"]["content"].as_str().unwrap();
        assert!(intro.contains("Figure 0.1</span> A"), "{intro}");
        let zero = book["items"][1]["Chapter"]["content"].as_str().unwrap();
        assert!(zero.contains("Figure 1.1</span> B"), "{zero}");
        assert!(zero.contains("references.html#he2015"), "{zero}");
        let mut bad = serde_json::json!({"items": [
            {"Chapter": {"path": "he.md", "number": [5], "content": "[Figure](#fig-x)\n", "sub_items": []}}
        ]});
        let err = crossref_book(&mut bad).unwrap_err().to_string();
        assert!(err.contains("src/he.md") && err.contains("#fig-x"), "{err}");
    }
}
