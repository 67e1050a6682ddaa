//! # claims: the numbers in the prose are the numbers the code computed
//!
//! A chapter states a computed figure as `<var data-claim="key">0.25</var>`. In the
//! rendered book that is an ordinary (italic) number; to the tests it is a claim:
//! the chapter's `tests/claims.rs` runs the experiments, formats each result, and
//! [`check`] fails unless every claim in the text equals its computed value and every
//! computed value is stated somewhere. [`bare_numbers`] finds digits in the prose that
//! are neither claims, math, code, nor citations, so that no figure slips past. The
//! markdown is read by [`book::markdown`], the reader the notebooks and the workspace
//! tests use too.
//!
//! A generated block (`<!-- generated: name -->` ... `<!-- /generated -->`, see
//! `book::generated`) is not prose: its text is computed and checked for freshness by the
//! workspace tests, so its numbers need no claim, and [`check`] rejects a claim inside it
//! (the prose quotes a generated number as a claim of its own instead). A table outside
//! generated blocks is prose like any other: each number in it needs a claim.
//!
//! ```
//! let md = "The loss stays at <var data-claim=\"loss\">1.386</var>, which is $\\ln 4$.";
//! let mut claims = claims::Claims::new();
//! claims.add("loss", format!("{:.3}", 4f64.ln()));
//! claims::check(md, &claims).unwrap();
//! assert!(claims::bare_numbers(md).is_empty());
//! // Change the computed value, or the number in the text, and the check fails.
//! claims.add("loss", "1.387");
//! assert!(claims::check(md, &claims).is_err());
//! ```

use std::collections::BTreeMap;
use std::fmt::Display;

use book::markdown::Document;

/// Computed values by key (iterated in key order; a later add of a key replaces its
/// value).
#[derive(Debug, Clone, Default)]
pub struct Claims {
    values: BTreeMap<String, String>,
}

impl Claims {
    /// No claims yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Record that the prose's claim `key` must read `text` (a later add replaces).
    pub fn add(&mut self, key: &str, text: impl Display) -> &mut Self {
        self.values.insert(key.to_string(), text.to_string());
        self
    }
    /// The recorded value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
    /// Number of recorded claims.
    pub fn len(&self) -> usize {
        self.values.len()
    }
    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// 10ᵏ as prose beside KaTeX powers of ten writes it, with Unicode superscripts: a claim
/// cannot stand inside math, and `1e-16` in running text reads as code.
///
/// ```
/// assert_eq!(claims::power_of_ten(-16), "10⁻¹⁶");
/// assert_eq!(claims::power_of_ten(3), "10³");
/// ```
pub fn power_of_ten(k: i32) -> String {
    let sup: String = k
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            d => ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][d as usize - '0' as usize],
        })
        .collect();
    format!("10{sup}")
}

/// `x` with `decimals` decimals times a power of ten (see [`power_of_ten`]), the prose's
/// form of `format!("{x:.1e}")`.
///
/// ```
/// assert_eq!(claims::times_power_of_ten(1.26e-14, 1), "1.3×10⁻¹⁴");
/// assert_eq!(claims::times_power_of_ten(-0.0365, 1), "−3.6×10⁻²");
/// ```
pub fn times_power_of_ten(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$e}");
    let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
    let k: i32 = exponent.parse().unwrap_or(0);
    format!("{}×{}", mantissa.replace('-', "−"), power_of_ten(k))
}

/// One `<var data-claim="key">text</var>` in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// The claim's key.
    pub key: String,
    /// The text the prose shows.
    pub text: String,
    /// 1-based line number.
    pub line: usize,
}

/// Every claim in a markdown text, in order (read by [`book::markdown`]).
pub fn vars(md: &str) -> Vec<Var> {
    vars_of(&Document::parse(md))
}

fn vars_of(doc: &Document<'_>) -> Vec<Var> {
    doc.claims()
        .iter()
        .map(|c| Var {
            key: c.key.clone(),
            text: c.text.clone(),
            line: c.line,
        })
        .collect()
}

/// Check a chapter's claims against the computed values: every claim in the text must
/// have a computed value and show exactly it, every computed value must be claimed at
/// least once, no number may stand in the prose outside a claim ([`bare_numbers`]), and
/// the claims' markup must be well formed (a `<var>` with a key, closed in its
/// paragraph). The error lists every problem, one per line, each with its line.
pub fn check(md: &str, claims: &Claims) -> Result<(), String> {
    let doc = Document::parse(md);
    let found = vars_of(&doc);
    let mut problems: Vec<String> = doc.problems().iter().map(ToString::to_string).collect();
    problems.extend(generated_problems(md, &found));
    for var in &found {
        match claims.get(&var.key) {
            None => problems.push(format!(
                "line {}: claim {:?} has no computed value",
                var.line, var.key
            )),
            Some(v) if v != var.text => problems.push(disagrees(var, v)),
            Some(_) => {}
        }
    }
    for key in claims.values.keys() {
        if !found.iter().any(|v| &v.key == key) {
            problems.push(unstated(key));
        }
    }
    for (line, text) in bare_numbers(md) {
        problems.push(format!(
            "line {line}: number {text:?} in the prose is not a claim"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The problem of a claim whose text is not its computed value.
fn disagrees(var: &Var, value: &str) -> String {
    format!(
        "line {}: claim {:?} says {:?} but the experiment gives {:?}",
        var.line, var.key, var.text, value
    )
}

/// The problem of a computed value the text never states.
fn unstated(key: &str) -> String {
    format!("computed value {key:?} is not stated in the text")
}

/// Check a subset of a chapter's claims: every computed value must be stated in the text
/// at least once, and every statement of it must show exactly it. Claims of the text that
/// were not computed are ignored (the chapter's full [`check`] covers them); this serves a
/// test that recomputes only some claims, e.g. under an emulated CPU.
pub fn check_some(md: &str, claims: &Claims) -> Result<(), String> {
    let found = vars(md);
    let mut problems = Vec::new();
    for (key, value) in &claims.values {
        let stated: Vec<&Var> = found.iter().filter(|v| &v.key == key).collect();
        if stated.is_empty() {
            problems.push(unstated(key));
        }
        for var in stated {
            if &var.text != value {
                problems.push(disagrees(var, value));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Numbers in the prose that no claim covers: digits outside fenced, indented and inline
/// code (and `<code>`), math (`$...$`, `$$...$$`), claims, `<cite>` citations, HTML tags
/// and comments, link targets and ordered-list markers; that is, digits in
/// [`Document::prose`], outside generated blocks. Table cells are prose. A digit that continues a word (as in `W1` or `log2`) is not a
/// number. Returns (1-based line, the number).
pub fn bare_numbers(md: &str) -> Vec<(usize, String)> {
    numbers_in_prose(&Document::parse(&without_generated(md)))
}

fn numbers_in_prose(doc: &Document<'_>) -> Vec<(usize, String)> {
    // The source with everything but prose blanked, line by line: a construct that was
    // blanked separates what stands before it from what follows.
    let source = doc.source();
    let mut masked: Vec<u8> = source
        .bytes()
        .map(|b| if b == b'\n' { b'\n' } else { b' ' })
        .collect();
    for span in doc.prose() {
        masked[span.range.clone()].copy_from_slice(&source.as_bytes()[span.range.clone()]);
    }
    // Prose ranges lie on character boundaries, and blanks are ASCII.
    let masked = String::from_utf8(masked).unwrap_or_default();
    let mut out = Vec::new();
    for (i, line) in masked.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let starts_number = chars[k].is_ascii_digit()
                && (k == 0 || !(chars[k - 1].is_alphanumeric() || chars[k - 1] == '_'));
            if starts_number {
                let start = k;
                while k < chars.len()
                    && (chars[k].is_ascii_digit()
                        || (chars[k] == '.'
                            && k + 1 < chars.len()
                            && chars[k + 1].is_ascii_digit()))
                {
                    k += 1;
                }
                out.push((i + 1, chars[start..k].iter().collect()));
            } else {
                k += 1;
            }
        }
    }
    out
}

/// `md` with the text of every generated block blanked out, line breaks kept (so that
/// line numbers stay). Markers that do not pair up blank nothing; [`check`] reports them.
fn without_generated(md: &str) -> String {
    let mut out = md.to_string();
    for r in book::generated::regions(md).unwrap_or_default() {
        // One space per byte, so that the byte ranges of the later regions stay valid.
        let blank: String = md[r.body.clone()]
            .chars()
            .map(|c| {
                if c == '\n' {
                    "\n".to_string()
                } else {
                    " ".repeat(c.len_utf8())
                }
            })
            .collect();
        out.replace_range(r.body.clone(), &blank);
    }
    out
}

/// Claims inside generated blocks, and markers that do not pair up.
fn generated_problems(md: &str, found: &[Var]) -> Vec<String> {
    let regions = match book::generated::regions(md) {
        Ok(regions) => regions,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems = Vec::new();
    for r in &regions {
        let last = r.line + md[r.body.clone()].matches('\n').count();
        for var in found.iter().filter(|v| v.line > r.line && v.line <= last) {
            problems.push(format!(
                "line {}: claim {:?} is inside generated block {:?}, whose numbers are computed; quote the number as a claim in the prose instead",
                var.line, var.key, r.name
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated block with multi-byte characters (±, no-break spaces) before another:
    /// blanking the first keeps the second's byte range, so its numbers need no claim.
    #[test]
    fn generated_blocks_after_multibyte_text_are_blanked() {
        let md = "<!-- generated: a -->\n\n| 0.5\u{a0}±\u{a0}0.1 | 2×3 |\n\n<!-- /generated -->\n\
                  <!-- generated: b -->\n\n| 1.94 | 0/6 |\n\n<!-- /generated -->\n";
        assert!(bare_numbers(md).is_empty(), "{:?}", bare_numbers(md));
    }

    /// A subset check: uncomputed claims are ignored; a computed one must be stated, and
    /// every statement of it must match.
    #[test]
    fn check_some_ignores_other_claims_only() {
        let md = "A <var data-claim=\"a\">1</var>, <var data-claim=\"b\">2</var>, \
                  <var data-claim=\"a\">1</var>.";
        let mut c = Claims::new();
        c.add("a", 1);
        assert_eq!(check_some(md, &c), Ok(()));
        c.add("a", 3);
        let err = check_some(md, &c).unwrap_err();
        assert_eq!(err.lines().count(), 2, "{err}");
        let mut c = Claims::new();
        c.add("z", 1);
        assert!(
            check_some(md, &c)
                .unwrap_err()
                .contains("\"z\" is not stated")
        );
    }

    #[test]
    fn finds_bare_numbers_only_in_prose() {
        let md = "A net of 4 classes.\n\n```rust\nlet x = 5;\n```\nMath $W^1 = 2$ and `code 3`, \
                  <cite>Glorot and Bengio, 2010</cite>, [link](figures/a1.svg), W1 h2.\n\
                  1. a list item\n$$\nx = 7\n$$\n<var data-claim=\"k\">0.5</var> and 12.5%\n<img width=\"300\">";
        assert_eq!(
            bare_numbers(md),
            vec![(1, "4".to_string()), (11, "12.5".to_string())]
        );
    }

    /// The bare numbers as `line:number`.
    fn numbers(md: &str) -> Vec<String> {
        bare_numbers(md)
            .into_iter()
            .map(|(l, n)| format!("{l}:{n}"))
            .collect()
    }

    #[test]
    fn code_blocks_are_what_commonmark_calls_code() {
        // A fence inside a list item.
        let md = "- item\n  ```rust\n  let x = 5;\n  ```\n- 6 more";
        assert_eq!(numbers(md), ["5:6"]);
        // `~~~` fences, and a longer fence holding a shorter one.
        let md = "~~~text\n```\n3\n~~~\n````markdown\n```\n4\n```\n````\nthen 7";
        assert_eq!(numbers(md), ["10:7"]);
        // An indented code block (rustdoc runs it as a doctest).
        let md = "Text.\n\n    let x = 5;\n\nMore 6.";
        assert_eq!(numbers(md), ["5:6"]);
        // An unclosed fence runs to the end.
        assert_eq!(numbers("A\n```\n1\n2"), Vec::<String>::new());
    }

    #[test]
    fn inline_code_math_and_html() {
        // Inline code with digits, double backticks holding a backtick.
        assert_eq!(numbers("`x2 = 3` and ``a ` 4`` and 5"), ["1:5"]);
        // A `$` inside code opens no math, and math may follow.
        assert_eq!(numbers("Price `$5` and $x = 2$ and 3"), ["1:3"]);
        assert_eq!(numbers("`a $` 4 `$ b`"), ["1:4"]);
        // Escaped dollars are text.
        assert_eq!(numbers("It costs \\$5 and \\$6."), ["1:5", "1:6"]);
        // Display math over lines; `<code>` is code; a comment is not prose.
        assert_eq!(
            numbers("$$\nx = 1\n$$\n<code>f(2)</code> <!-- 3 --> <sup>4</sup>"),
            ["4:4"]
        );
        // Inside a raw HTML block (a `<details>` hint), tags and math are read too.
        let md = "<details><summary>Hint 1</summary>Take $n = 2$,\n<var data-claim=\"k\">3</var> and 4.</details>\n";
        assert_eq!(numbers(md), ["1:1", "2:4"]);
    }

    #[test]
    fn list_markers_and_link_targets() {
        // An ordered-list marker is not a number; a year that only looks like one, in the
        // middle of a paragraph, is (CommonMark lets only `1.` interrupt a paragraph).
        assert_eq!(numbers("1. first\n2. second"), Vec::<String>::new());
        assert_eq!(numbers("Published in\n2010. Then"), ["2:2010"]);
        assert_eq!(
            numbers("[fig 3](figures/a1.svg) <https://x.org/2> ![4](b5.png)"),
            ["1:3", "1:4"]
        );
    }

    #[test]
    fn malformed_claims_are_errors_with_their_line() {
        let md = "Fine.\n\nA <var data-claim=\"k\">1\n\nand <var>2</var>\n";
        let mut c = Claims::new();
        c.add("k", 1);
        let err = check(md, &c).unwrap_err();
        assert!(
            err.contains("line 3: <var> is not closed before its paragraph ends"),
            "{err}"
        );
        assert!(
            err.contains("line 5: <var> without a data-claim key"),
            "{err}"
        );
        assert!(err.contains("computed value \"k\" is not stated"), "{err}");
    }

    #[test]
    fn table_cells_are_prose_but_generated_blocks_are_not() {
        let table = "| a | b |\n| --- | ---: |\n| x | 0.25 |\n";
        assert_eq!(bare_numbers(table), vec![(3, "0.25".to_string())]);
        let md = format!(
            "Text <!-- a 3 comment -->.\n<!-- generated: t -->\n\n{table}\n<!-- /generated -->\nNow 7.\n"
        );
        assert_eq!(bare_numbers(&md), vec![(9, "7".to_string())]);
        let quoted = md.replace("Now 7", "Now <var data-claim=\"x\">0.25</var>");
        let mut c = Claims::new();
        c.add("x", "0.25");
        assert!(check(&quoted, &c).is_ok());
    }

    #[test]
    fn a_claim_inside_a_generated_block_or_a_broken_marker_is_a_problem() {
        let md = "<!-- generated: t -->\n\n<var data-claim=\"x\">1</var>\n\n<!-- /generated -->\n";
        let mut c = Claims::new();
        c.add("x", 1);
        let err = check(md, &c).unwrap_err();
        assert!(
            err.contains("line 3: claim \"x\" is inside generated block \"t\""),
            "{err}"
        );
        let err = check("<!-- generated: t -->\nno end\n", &Claims::new()).unwrap_err();
        assert!(err.contains("\"t\" is never closed"), "{err}");
    }

    #[test]
    fn check_reports_every_problem() {
        let md = "<var data-claim=\"a\">1</var> <var data-claim=\"b\">2</var> <var data-claim=\"a\">1</var>";
        let mut c = Claims::new();
        c.add("a", 1).add("b", 2);
        assert!(check(md, &c).is_ok());
        c.add("b", 3).add("c", 4);
        let err = check(md, &c).unwrap_err();
        assert!(
            err.contains("claim \"b\" says \"2\" but the experiment gives \"3\""),
            "{err}"
        );
        assert!(err.contains("computed value \"c\" is not stated"), "{err}");
        let mut d = Claims::new();
        d.add("a", 1);
        assert!(
            check(md, &d)
                .unwrap_err()
                .contains("claim \"b\" has no computed value")
        );
    }
}
