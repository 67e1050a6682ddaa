//! # claims: the numbers in the prose are the numbers the code computed
//!
//! A chapter states a computed figure as `<var data-claim="key">0.25</var>`. In the
//! rendered book that is an ordinary (italic) number; to the tests it is a claim:
//! the chapter's `tests/claims.rs` runs the experiments, formats each result, and
//! [`check`] fails unless every claim in the text equals its computed value and every
//! computed value is stated somewhere. [`bare_numbers`] finds digits in the prose that
//! are neither claims, math, code, nor citations, so that no figure slips past.
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

/// Computed values, by key, in the order they were added.
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

const OPEN: &str = "<var data-claim=\"";

/// Every claim in a markdown text, in order.
pub fn vars(md: &str) -> Vec<Var> {
    let mut out = Vec::new();
    for (i, line) in md.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find(OPEN) {
            let after = &rest[start + OPEN.len()..];
            let Some(q) = after.find("\">") else { break };
            let key = &after[..q];
            let body = &after[q + 2..];
            let Some(end) = body.find("</var>") else {
                break;
            };
            out.push(Var {
                key: key.to_string(),
                text: body[..end].to_string(),
                line: i + 1,
            });
            rest = &body[end + 6..];
        }
    }
    out
}

/// Check a chapter's claims against the computed values: every claim in the text must
/// have a computed value and show exactly it, and every computed value must be claimed
/// at least once. The error lists every problem, one per line.
pub fn check(md: &str, claims: &Claims) -> Result<(), String> {
    let found = vars(md);
    let mut problems = generated_problems(md, &found);
    for var in &found {
        match claims.get(&var.key) {
            None => problems.push(format!(
                "line {}: claim {:?} has no computed value",
                var.line, var.key
            )),
            Some(v) if v != var.text => problems.push(format!(
                "line {}: claim {:?} says {:?} but the experiment gives {:?}",
                var.line, var.key, var.text, v
            )),
            Some(_) => {}
        }
    }
    for key in claims.values.keys() {
        if !found.iter().any(|v| &v.key == key) {
            problems.push(format!("computed value {key:?} is not stated in the text"));
        }
    }
    let bare = bare_numbers(md);
    for (line, text) in bare {
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

/// Numbers in the prose that no claim covers: digits outside fenced and inline code,
/// math (`$...$`, `$$...$$`), claims, `<cite>` citations, HTML tags, HTML comments that
/// open and close on one line, link targets, ordered-list markers and generated blocks.
/// Table cells are prose. A digit that continues a word (as in `W1` or `log2`) is not a
/// number. Returns (1-based line, the number).
pub fn bare_numbers(md: &str) -> Vec<(usize, String)> {
    let md = &without_generated(md);
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let mut in_display_math = false;
    for (i, raw) in md.lines().enumerate() {
        let trimmed = raw.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        let line = strip_list_marker(raw);
        let cleaned = strip_non_prose(line, &mut in_display_math);
        let chars: Vec<char> = cleaned.chars().collect();
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
        let blank: String = md[r.body.clone()]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
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

fn strip_list_marker(line: &str) -> &str {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")) {
        &t[digits + 2..]
    } else {
        line
    }
}

/// The line with code, math, claims, citations, tags and link targets blanked out.
fn strip_non_prose(line: &str, in_display_math: &mut bool) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        if *in_display_math {
            match rest.find("$$") {
                Some(p) => {
                    *in_display_math = false;
                    rest = &rest[p + 2..];
                    out.push(' ');
                }
                None => return out,
            }
        }
        // Find the earliest opener among the constructs we skip.
        let openers: [(&str, &str); 7] = [
            ("$$", "$$"),
            ("`", "`"),
            ("$", "$"),
            ("<var", "</var>"),
            ("<cite>", "</cite>"),
            ("<!--", "-->"),
            ("](", ")"),
        ];
        let next = openers
            .iter()
            .filter_map(|&(o, c)| rest.find(o).map(|p| (p, o, c)))
            .min_by_key(|&(p, o, _)| (p, usize::MAX - o.len()));
        let tag = rest
            .find('<')
            .filter(|&p| rest[p + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/'));
        match (next, tag) {
            (Some((p, o, c)), t) if t.is_none_or(|t| p <= t) => {
                out.push_str(&rest[..p]);
                out.push(' ');
                let after = &rest[p + o.len()..];
                match after.find(c) {
                    Some(q) => rest = &after[q + c.len()..],
                    None if o == "$$" => {
                        *in_display_math = true;
                        return out;
                    }
                    None => return out,
                }
            }
            (_, Some(t)) => {
                out.push_str(&rest[..t]);
                out.push(' ');
                match rest[t..].find('>') {
                    Some(q) => rest = &rest[t + q + 1..],
                    None => return out,
                }
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
