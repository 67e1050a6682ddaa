//! Chart text: typesetting of sub- and superscripts, width estimates and line wrapping.
//!
//! Labels are plain strings with TeX-like scripts: `a^l`, `a^{l-1}` or `16^(l-1)` is a
//! superscript, `σ_w` or `n_{in}` a subscript (a script is one run of letters and digits,
//! or a group in braces or parentheses, whose brackets are dropped). A script whose every
//! character has a Unicode sub- or superscript form is written with those (`aˡ`, `16ˡ⁻¹`,
//! `nᵢₙ`), so it reads the same when copied; any other (`σ_w`) is set in a smaller size
//! and shifted, with an SVG `tspan`. Characters outside scripts are kept as written, so
//! labels may use Unicode directly: `∂L/∂aˡ`, `1/√n`, `×4.97`.

/// A piece of typeset text: `text` at the base size, or a script set smaller and shifted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) text: String,
    pub(crate) shift: Shift,
}

/// Where a span sits relative to the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shift {
    Base,
    Sub,
    Super,
}

/// The size of a shifted script for text of `size` px: four fifths, but never under the
/// book's minimum text size.
pub(crate) fn script_size(size: f64) -> f64 {
    (0.8 * size).round().max(crate::MIN_TEXT_PX).min(size)
}

/// How far (in px, y down) a script of text at `size` px moves from the baseline.
pub(crate) fn script_offset(shift: Shift, size: f64) -> f64 {
    match shift {
        Shift::Base => 0.0,
        Shift::Sub => (0.22 * size).round(),
        Shift::Super => -(0.38 * size).round(),
    }
}

fn superscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        'a' => 'ᵃ',
        'b' => 'ᵇ',
        'c' => 'ᶜ',
        'd' => 'ᵈ',
        'e' => 'ᵉ',
        'f' => 'ᶠ',
        'g' => 'ᵍ',
        'h' => 'ʰ',
        'i' => 'ⁱ',
        'j' => 'ʲ',
        'k' => 'ᵏ',
        'l' => 'ˡ',
        'm' => 'ᵐ',
        'n' => 'ⁿ',
        'o' => 'ᵒ',
        'p' => 'ᵖ',
        'r' => 'ʳ',
        's' => 'ˢ',
        't' => 'ᵗ',
        'u' => 'ᵘ',
        'v' => 'ᵛ',
        'w' => 'ʷ',
        'x' => 'ˣ',
        'y' => 'ʸ',
        'z' => 'ᶻ',
        'A' => 'ᴬ',
        'B' => 'ᴮ',
        'D' => 'ᴰ',
        'E' => 'ᴱ',
        'G' => 'ᴳ',
        'H' => 'ᴴ',
        'I' => 'ᴵ',
        'J' => 'ᴶ',
        'K' => 'ᴷ',
        'L' => 'ᴸ',
        'M' => 'ᴹ',
        'N' => 'ᴺ',
        'O' => 'ᴼ',
        'P' => 'ᴾ',
        'R' => 'ᴿ',
        'T' => 'ᵀ',
        'U' => 'ᵁ',
        'W' => 'ᵂ',
        _ => return None,
    })
}

fn subscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '₀',
        '1' => '₁',
        '2' => '₂',
        '3' => '₃',
        '4' => '₄',
        '5' => '₅',
        '6' => '₆',
        '7' => '₇',
        '8' => '₈',
        '9' => '₉',
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'h' => 'ₕ',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'o' => 'ₒ',
        'p' => 'ₚ',
        'r' => 'ᵣ',
        's' => 'ₛ',
        't' => 'ₜ',
        'u' => 'ᵤ',
        'v' => 'ᵥ',
        'x' => 'ₓ',
        _ => return None,
    })
}

/// The script after a `^` or `_` at the start of `rest`: a braced or parenthesized group
/// (brackets dropped) or a run of ASCII letters and digits. Returns the script and the
/// number of bytes it took, or `None` if nothing script-like follows.
fn script(rest: &str) -> Option<(&str, usize)> {
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    let close = match first {
        '{' => Some('}'),
        '(' => Some(')'),
        _ => None,
    };
    if let Some(close) = close {
        let mut depth = 0usize;
        for (i, c) in rest.char_indices() {
            if c == first {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    return (i > 1).then(|| (&rest[1..i], i + 1));
                }
            }
        }
        return None;
    }
    let end = rest
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(rest.len(), |(i, _)| i);
    (end > 0).then(|| (&rest[..end], end))
}

/// Typeset `text` into spans: scripts become Unicode sub- or superscripts where every
/// character has one, shifted spans otherwise. Adjacent base text is merged. A `^` or `_`
/// with nothing before it (at the start or after a space) or nothing script-like after it
/// is kept as written.
pub(crate) fn typeset(text: &str) -> Vec<Span> {
    fn push(spans: &mut Vec<Span>, text: &str, shift: Shift) {
        if text.is_empty() {
            return;
        }
        match spans.last_mut() {
            Some(last) if last.shift == shift => last.text.push_str(text),
            _ => spans.push(Span {
                text: text.to_string(),
                shift,
            }),
        }
    }
    let mut spans = Vec::new();
    let (mut start, mut i) = (0, 0);
    while let Some(offset) = text[i..].find(['^', '_']) {
        let p = i + offset;
        let attached = text[..p]
            .chars()
            .next_back()
            .is_some_and(|c| !c.is_whitespace());
        match script(&text[p + 1..]) {
            Some((body, used)) if attached => {
                push(&mut spans, &text[start..p], Shift::Base);
                let (shift, map): (Shift, fn(char) -> Option<char>) = if &text[p..=p] == "^" {
                    (Shift::Super, superscript)
                } else {
                    (Shift::Sub, subscript)
                };
                match body.chars().map(map).collect::<Option<String>>() {
                    Some(unicode) => push(&mut spans, &unicode, Shift::Base),
                    None => push(&mut spans, &body.replace('-', "−"), shift),
                }
                i = p + 1 + used;
                start = i;
            }
            _ => i = p + 1,
        }
    }
    push(&mut spans, &text[start..], Shift::Base);
    spans
}

/// The text a reader sees (scripts in place, without markup): for width estimates and
/// the audit.
pub(crate) fn plain(text: &str) -> String {
    typeset(text).into_iter().map(|s| s.text).collect()
}

/// Advance widths of DejaVu Sans, in thousandths of an em, for ASCII 32 to 126. DejaVu
/// Sans (and Verdana, the next font the charts ask for) is among the widest common sans
/// faces, so widths estimated from it bound those of the face a reader's system picks.
const ASCII_WIDTHS: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// The advance width of `c` in em (an upper estimate for characters outside the table).
fn char_em(c: char) -> f64 {
    let code = c as u32;
    if (32..127).contains(&code) {
        return f64::from(ASCII_WIDTHS[(code - 32) as usize]) / 1000.0;
    }
    if superscript_or_subscript(c) {
        return 0.5;
    }
    match c {
        '·' | '’' | 'ʼ' => 0.32,
        '√' | 'σ' | 'δ' | 'Σ' | 'α' | 'β' | 'η' | 'θ' | 'μ' | 'ρ' | 'φ' | 'ψ' | 'π' | 'τ' => {
            0.66
        }
        '∂' | '∫' | 'ε' | 'ν' | 'γ' | 'λ' | 'χ' | '–' | '°' => 0.6,
        '…' | '—' => 1.0,
        _ => 0.84,
    }
}

fn superscript_or_subscript(c: char) -> bool {
    matches!(c as u32, 0xB2 | 0xB3 | 0xB9 | 0x2070..=0x209C | 0x1D2C..=0x1D6A | 0x1D9C..=0x1DBF | 0x2B0..=0x2B8 | 0x2E0..=0x2E4 | 0x2C7C)
}

/// Estimated width in px of `text` (with markup) set at `size` px, `bold` or not: an
/// upper bound for common sans-serif faces (a few percent above DejaVu Sans).
pub(crate) fn width(text: &str, size: f64, bold: bool) -> f64 {
    let factor = if bold { 1.12 } else { 1.03 };
    typeset(text)
        .iter()
        .map(|span| {
            let s = match span.shift {
                Shift::Base => size,
                _ => script_size(size),
            };
            span.text.chars().map(char_em).sum::<f64>() * s * factor
        })
        .sum()
}

/// Break `text` at spaces into lines no wider than `max` px (a single word wider than
/// `max` gets a line of its own).
pub(crate) fn wrap(text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && width(&candidate, size, bold) > max {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Like [`wrap`], but with lines as even as the same number of lines allows, so that a
/// title or axis description breaks in the middle rather than leaving a word alone.
pub(crate) fn wrap_balanced(text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let lines = wrap(text, size, bold, max);
    if lines.len() < 2 {
        return lines;
    }
    let (mut lo, mut hi) = (0.0, max);
    for _ in 0..20 {
        let mid = (lo + hi) / 2.0;
        if wrap(text, size, bold, mid).len() <= lines.len() {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    wrap(text, size, bold, hi)
}

/// Escape text for SVG content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(s: &str) -> Vec<Span> {
        vec![Span {
            text: s.to_string(),
            shift: Shift::Base,
        }]
    }

    #[test]
    fn scripts_become_unicode_where_they_can() {
        assert_eq!(typeset("std of a^l"), base("std of aˡ"));
        assert_eq!(typeset("layer 1 / 16^(l-1)"), base("layer 1 / 16ˡ⁻¹"));
        assert_eq!(typeset("E[(a^{l})^2]"), base("E[(aˡ)²]"));
        assert_eq!(typeset("n_in + n_out"), base("nᵢₙ + nₒᵤₜ"));
        assert_eq!(typeset("sqrt(ln(1 + v_l))"), base("sqrt(ln(1 + vₗ))"));
        assert_eq!(typeset("x_1, x_2"), base("x₁, x₂"));
    }

    #[test]
    fn scripts_without_unicode_forms_are_shifted_spans() {
        assert_eq!(
            typeset("mean field, σ_w = 1"),
            vec![
                Span {
                    text: "mean field, σ".into(),
                    shift: Shift::Base
                },
                Span {
                    text: "w".into(),
                    shift: Shift::Sub
                },
                Span {
                    text: " = 1".into(),
                    shift: Shift::Base
                },
            ]
        );
        assert_eq!(plain("|x_L|"), "|xL|");
        assert_eq!(typeset("h^(L-1)"), base("hᴸ⁻¹"));
        assert_eq!(typeset("x_(L-1)")[1].text, "L−1");
    }

    #[test]
    fn marks_with_nothing_to_script_are_kept() {
        assert_eq!(typeset("a ^ b"), base("a ^ b"));
        assert_eq!(typeset("^l"), base("^l"));
        assert_eq!(typeset("under_"), base("under_"));
        assert_eq!(typeset("x^()"), base("x^()"));
        assert_eq!(typeset("plain text"), base("plain text"));
        assert_eq!(typeset(""), vec![]);
    }

    #[test]
    fn widths_grow_with_text_and_size_and_wrapping_respects_them() {
        assert!(width("layer", 14.0, false) < width("layer 10", 14.0, false));
        assert!(width("layer", 14.0, false) < width("layer", 16.0, false));
        assert!(width("layer", 14.0, false) < width("layer", 14.0, true));
        // "a^l" is narrower than "a^(l-1)" and than the markup's own characters.
        assert!(width("a^l", 14.0, false) < width("a^l-", 14.0, false));
        let lines = wrap("one two three four five six", 14.0, false, 60.0);
        assert!(lines.len() > 1);
        assert!(
            lines
                .iter()
                .all(|l| width(l, 14.0, false) <= 60.0 || !l.contains(' '))
        );
        assert_eq!(lines.join(" "), "one two three four five six");
        assert_eq!(wrap("", 14.0, false, 60.0), vec![String::new()]);
        let text = "fraction of hidden units dead (mean ± sd)";
        let full = width(text, 14.0, false);
        let greedy = wrap(text, 14.0, false, 0.9 * full);
        let balanced = wrap_balanced(text, 14.0, false, 0.9 * full);
        assert_eq!(greedy.len(), 2);
        assert_eq!(balanced.len(), 2);
        assert!(greedy[1].len() < 10, "{greedy:?}");
        assert!(balanced[1].len() > 15, "{balanced:?}");
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }
}
