//! An mdBook preprocessor that runs after mdbook-katex (`[preprocessor.mathml]` in
//! `book.toml`; `cargo xtask book` and `serve` put this binary on mdBook's `PATH`).
//!
//! mdbook-katex pastes KaTeX's output into the chapter's Markdown, which mdBook then
//! renders. The HTML part is safe, but the MathML beside it holds raw characters: the TeX
//! source in `<annotation>` (`a_j`, `W^l_{ji}`, `\{`, `|x|`) and operators such as the tilde
//! accent's `<mo>~</mo>`. Markdown reads those as emphasis, strikethrough, backslash escapes
//! and table cells, which breaks the markup (pulldown-cmark issue 989). This step writes
//! every such character inside the MathML as a character reference, which Markdown turns
//! back into the same character.

use std::io::{Read, Write};

use anyhow::{Context, Result};

/// Characters that Markdown gives a meaning inside a line of inline HTML text.
const SPECIAL: &[(char, &str)] = &[
    ('\\', "&#92;"),
    ('*', "&#42;"),
    ('_', "&#95;"),
    ('~', "&#126;"),
    ('`', "&#96;"),
    ('|', "&#124;"),
    ('[', "&#91;"),
    (']', "&#93;"),
    ('!', "&#33;"),
    ('$', "&#36;"),
];

const OPEN: &str = "<span class=\"katex-mathml\">";
const CLOSE: &str = "</math>";

/// `content` with the Markdown-special characters in the text of every KaTeX MathML
/// element replaced by character references; tags and everything else are left alone.
pub fn escape(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + content.len() / 8);
    let mut rest = content;
    while let Some(start) = rest.find(OPEN) {
        let Some(len) = rest[start..].find(CLOSE) else {
            break;
        };
        let end = start + len + CLOSE.len();
        out.push_str(&rest[..start]);
        let mut in_tag = false;
        for c in rest[start..end].chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ => {}
            }
            match SPECIAL.iter().find(|(s, _)| *s == c) {
                Some((_, reference)) if !in_tag => out.push_str(reference),
                _ => out.push(c),
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Apply [`escape`] to the content of every chapter of an mdBook `Book` in JSON.
fn escape_book(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("sub_items")
                && let Some(serde_json::Value::String(content)) = map.get_mut("content")
            {
                *content = escape(content);
            }
            for v in map.values_mut() {
                escape_book(v);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(escape_book),
        _ => {}
    }
}

/// The preprocessor's entry point: `supports <renderer>` answers whether it runs for that
/// renderer (html only); otherwise it reads `[context, book]` on stdin and writes the book.
pub fn run(args: &[String]) -> Result<bool> {
    preprocess(args, |book| {
        escape_book(book);
        Ok(())
    })
}

/// An mdBook preprocessor of the html renderer: `supports <renderer>` answers whether it
/// runs for that renderer; otherwise it reads `[context, book]` on stdin, lets `transform`
/// change the book, and writes it to stdout. Shared by this one and `crossref`.
pub fn preprocess(
    args: &[String],
    transform: impl FnOnce(&mut serde_json::Value) -> Result<()>,
) -> Result<bool> {
    if let [supports, renderer] = args
        && supports == "supports"
    {
        return Ok(renderer == "html");
    }
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let parsed: serde_json::Value =
        serde_json::from_str(&input).context("reading mdBook's [context, book] from stdin")?;
    let mut book = parsed
        .get(1)
        .cloned()
        .context("mdBook's input has no book")?;
    transform(&mut book)?;
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book)?;
    stdout.flush()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_inside_mathml_only() {
        let html = concat!(
            "a_b *c* <span class=\"katex\"><span class=\"katex-mathml\">",
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics><mrow>",
            "<mover accent=\"true\"><mi>h</mi><mo>~</mo></mover></mrow>",
            "<annotation encoding=\"application/x-tex\">\\tilde h_i * |x|</annotation>",
            "</semantics></math></span><span class=\"katex-html\">h_i</span></span> e_f"
        );
        let out = escape(html);
        assert!(out.starts_with("a_b *c* <span class=\"katex\">"));
        assert!(out.ends_with("<span class=\"katex-html\">h_i</span></span> e_f"));
        assert!(out.contains("<mo>&#126;</mo>"));
        assert!(out.contains(
            "<annotation encoding=\"application/x-tex\">&#92;tilde h&#95;i &#42; &#124;x&#124;</annotation>"
        ));
        assert!(out.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"));
    }

    #[test]
    fn leaves_content_without_math_alone() {
        let text = "plain *markdown* with `code` and a_b\n";
        assert_eq!(escape(text), text);
        let unclosed = "x <span class=\"katex-mathml\"><math>a_b";
        assert_eq!(escape(unclosed), unclosed);
    }

    #[test]
    fn walks_nested_chapters() {
        let mut book = serde_json::json!({"items": [
            {"Chapter": {"content": "<span class=\"katex-mathml\"><math>a_b</math>", "sub_items": [
                {"Chapter": {"content": "<span class=\"katex-mathml\"><math>c*d</math>", "sub_items": []}}
            ]}},
            "Separator"
        ]});
        escape_book(&mut book);
        assert_eq!(
            book["items"][0]["Chapter"]["content"],
            "<span class=\"katex-mathml\"><math>a&#95;b</math>"
        );
        assert_eq!(
            book["items"][0]["Chapter"]["sub_items"][0]["Chapter"]["content"],
            "<span class=\"katex-mathml\"><math>c&#42;d</math>"
        );
    }
}
