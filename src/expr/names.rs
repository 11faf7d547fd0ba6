//! Which characters make a name, and when two spellings are the same name.
//!
//! A name starts with a letter (any Unicode alphabetic character: `x`, `ω`, `λ`, `ŷ`)
//! or `_`, and continues with letters, ASCII digits, `_` and combining marks (the
//! accents of U+0300–U+036F, U+1AB0–U+1AFF, U+1DC0–U+1DFF, U+20D0–U+20FF and
//! U+FE20–U+FE2F: `y` followed by U+0302 is `ŷ`). A precomposed letter and the same
//! letter written as base plus combining marks are one name: names are kept composed
//! (as Unicode NFC composes the Latin and Greek letters), so `ŷ` typed either way
//! refers to the same quantity and prints as one character. Digits other than ASCII (`²`) and symbols (`∂`,
//! `∑`, `·`) are not part of names.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::names_table::DECOMPOSITIONS;

/// Whether `c` can start a name.
pub(crate) fn starts_name(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// Whether `c` can continue a name.
pub(crate) fn continues_name(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || c == '_' || is_combining_mark(c)
}

/// Whether `c` is a combining mark (an accent placed on the letter before it).
pub(crate) fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// `name` in the form names are stored and looked up in: every letter with accents
/// written as one precomposed character where Unicode has one (`y` + U+0302 → `ŷ`,
/// U+0177), as Unicode's NFC does for the Latin and Greek letters; other marks stay
/// combining, in the order written.
pub(crate) fn canonical(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let chars: Vec<char> = decompose(name).chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        // The letter and the marks after it; the longest run of them that is one
        // precomposed character becomes that character.
        let marks = chars[i + 1..]
            .iter()
            .take_while(|&&c| is_combining_mark(c))
            .count();
        let composed = (1..=marks).rev().find_map(|k| {
            let run: String = chars[i..=i + k].iter().collect();
            compositions().get(run.as_str()).map(|&c| (c, k))
        });
        match composed {
            Some((c, k)) => {
                out.push(c);
                i += k + 1;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    if out == name {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(out)
    }
}

/// `name` with every precomposed Latin or Greek letter decomposed into its base letter
/// and combining marks (Unicode NFD for those letters).
pub(crate) fn decompose(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        match DECOMPOSITIONS.binary_search_by_key(&c, |&(p, _)| p) {
            Ok(i) => out.push_str(DECOMPOSITIONS[i].1),
            Err(_) => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Decomposed letter → precomposed character: the table read backwards, built once.
fn compositions() -> &'static HashMap<&'static str, char> {
    static MAP: OnceLock<HashMap<&'static str, char>> = OnceLock::new();
    MAP.get_or_init(|| DECOMPOSITIONS.iter().map(|&(c, d)| (d, c)).collect())
}

/// The LaTeX of a name's letters that are not plain ASCII: Greek letters as their
/// commands (`λ` → `\lambda`), accents as accent commands (`ŷ` → `\hat{y}`), any other
/// character in `\text{}`. `None` for an ASCII `stem` (the caller spells those).
pub(crate) fn latex_letters(stem: &str) -> Option<String> {
    if stem.is_ascii() {
        return None;
    }
    let stem = decompose(stem);
    // Each letter with the marks that follow it.
    let mut pieces: Vec<String> = Vec::new();
    for c in stem.chars() {
        if is_combining_mark(c) {
            let base = pieces.pop().unwrap_or_default();
            pieces.push(match accent(c) {
                Some(command) => format!("{command}{{{base}}}"),
                // An accent KaTeX and TeX have no command for: left off the LaTeX
                // (the text form keeps it).
                None => base,
            });
        } else {
            pieces.push(match greek(c) {
                Some(command) => command.to_string(),
                None if c.is_ascii_alphanumeric() => c.to_string(),
                None if c == '_' => "\\_".to_string(),
                None => format!("\\text{{{c}}}"),
            });
        }
    }
    // A command followed by a letter needs a separator: braces keep each piece whole.
    Some(if pieces.len() == 1 {
        pieces.pop().unwrap_or_default()
    } else {
        pieces.iter().map(|p| format!("{{{p}}}")).collect()
    })
}

/// The accent command for a combining mark.
fn accent(mark: char) -> Option<&'static str> {
    Some(match mark {
        '\u{300}' => "\\grave",
        '\u{301}' => "\\acute",
        '\u{302}' => "\\hat",
        '\u{303}' => "\\tilde",
        '\u{304}' | '\u{305}' => "\\bar",
        '\u{306}' => "\\breve",
        '\u{307}' => "\\dot",
        '\u{308}' => "\\ddot",
        '\u{30c}' => "\\check",
        '\u{20d7}' => "\\vec",
        _ => return None,
    })
}

/// The LaTeX command for a Greek letter (capitals that look Latin are Latin letters).
fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "\\alpha",
        'β' => "\\beta",
        'γ' => "\\gamma",
        'δ' => "\\delta",
        'ε' => "\\varepsilon",
        'ϵ' => "\\epsilon",
        'ζ' => "\\zeta",
        'η' => "\\eta",
        'θ' => "\\theta",
        'ϑ' => "\\vartheta",
        'ι' => "\\iota",
        'κ' => "\\kappa",
        'λ' => "\\lambda",
        'μ' | 'µ' => "\\mu",
        'ν' => "\\nu",
        'ξ' => "\\xi",
        'ο' => "o",
        'π' => "\\pi",
        'ρ' => "\\rho",
        'σ' => "\\sigma",
        'ς' => "\\varsigma",
        'τ' => "\\tau",
        'υ' => "\\upsilon",
        'φ' => "\\varphi",
        'ϕ' => "\\phi",
        'χ' => "\\chi",
        'ψ' => "\\psi",
        'ω' => "\\omega",
        'Γ' => "\\Gamma",
        'Δ' => "\\Delta",
        'Θ' => "\\Theta",
        'Λ' => "\\Lambda",
        'Ξ' => "\\Xi",
        'Π' => "\\Pi",
        'Σ' => "\\Sigma",
        'Υ' => "\\Upsilon",
        'Φ' => "\\Phi",
        'Ψ' => "\\Psi",
        'Ω' => "\\Omega",
        'Α' => "A",
        'Β' => "B",
        'Ε' => "E",
        'Ζ' => "Z",
        'Η' => "H",
        'Ι' => "I",
        'Κ' => "K",
        'Μ' => "M",
        'Ν' => "N",
        'Ο' => "O",
        'Ρ' => "P",
        'Τ' => "T",
        'Χ' => "X",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decomposition_table_is_sorted_for_binary_search() {
        assert!(DECOMPOSITIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn precomposed_and_combining_spellings_are_one_name() {
        assert_eq!(canonical("\u{177}"), "\u{177}");
        assert_eq!(canonical("y\u{302}"), "\u{177}");
        assert_eq!(canonical("w47"), "w47");
        // A letter decomposing in two steps (ấ = â + ´ = a + ̂ + ´), either way.
        assert_eq!(decompose("\u{1ea5}"), "a\u{302}\u{301}");
        assert_eq!(canonical("a\u{302}\u{301}"), "\u{1ea5}");
        assert_eq!(canonical("\u{e2}\u{301}"), "\u{1ea5}");
        // A mark with no precomposed letter stays combining (x̂).
        assert_eq!(canonical("x\u{302}"), "x\u{302}");
    }

    #[test]
    fn letters_and_marks_make_names_symbols_and_other_digits_do_not() {
        for c in ['x', 'ω', 'λ', 'η', 'ŷ', 'Σ', '_'] {
            assert!(starts_name(c), "{c}");
        }
        assert!(continues_name('\u{302}') && !starts_name('\u{302}'));
        for c in ['∂', '∑', '·', '²', '−', '$'] {
            assert!(!starts_name(c) && !continues_name(c), "{c}");
        }
    }

    #[test]
    fn unicode_names_print_as_latex_commands() {
        assert_eq!(latex_letters("λ").as_deref(), Some("\\lambda"));
        assert_eq!(latex_letters("\u{177}").as_deref(), Some("\\hat{y}"));
        assert_eq!(latex_letters("y\u{302}").as_deref(), Some("\\hat{y}"));
        assert_eq!(latex_letters("ηx").as_deref(), Some("{\\eta}{x}"));
        assert_eq!(latex_letters("x"), None);
    }
}
