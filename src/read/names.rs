//! One symbol, one name: the document's notation to the `.grad` program's names.
//!
//! A symbol is its [`Key`]: base letter, decorations and subscript (after bound
//! indices are substituted), so `\hat{y}_7`, `\hat{y_7}`, `\hat{y}_{7}` and
//! `\hat{y_{7}}` are one key. Its name is the one the LaTeX printer
//! ([`latex_name`](crate::expr::latex_name)) prints back as the same symbol, where the
//! printer has a convention (`yhat7` → `\hat{y}_7`, `w47` → `\omega_{47}`, `a4` →
//! `\alpha_4`, `L7` → `L_{s7}`, `omegahat47` → `\hat{\omega}_{47}`): a candidate is
//! taken only if reading the printer's LaTeX back gives the same key. Otherwise the
//! name is a readable spelling of the key (`omega_ij`, `net_h1`, `y_bar`).

use std::collections::{HashMap, HashSet};

use crate::expr::{latex_name, Func};

use super::parse;
use super::tokens::tokenize;

/// A symbol's identity.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// `y`, `\omega`, or a word.
    pub base: String,
    /// Sorted decorations (`hat`, `bar`, `prime`, …).
    pub decorations: Vec<&'static str>,
    /// The subscript with indices substituted (`47`, `s7`), or empty.
    pub sub: String,
    /// The layer label of `W^{(2)}` with indices substituted, or empty.
    pub sup: String,
}

impl Key {
    /// The key as LaTeX, for messages (`\hat{y}_{7}`).
    pub fn latex(&self) -> String {
        let mut s = self.base.clone();
        for d in &self.decorations {
            s = match *d {
                "prime" => format!("{s}'"),
                "plus" => format!("{s}^{{+}}"),
                "star" => format!("{s}^{{*}}"),
                d => format!("\\{d}{{{s}}}"),
            };
        }
        if !self.sup.is_empty() {
            s = format!("{s}^{{({})}}", self.sup);
        }
        if self.sub.chars().count() == 1 {
            s = format!("{s}_{}", self.sub);
        } else if !self.sub.is_empty() {
            s = format!("{s}_{{{}}}", self.sub);
        }
        s
    }
}

/// The words a `.grad` name cannot be.
const KEYWORDS: [&str; 9] = [
    "input", "param", "loss", "claim", "for", "in", "sum", "grad", "next",
];

fn usable(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
        && Func::from_name(name).is_none()
}

/// The key of a symbol written in LaTeX, with no indices bound.
pub fn key_of_latex(latex: &str) -> Option<Key> {
    let tokens = tokenize(latex, 0, latex.len());
    let sym = parse::symbol(&tokens, latex.len()).ok()?;
    Some(Key {
        base: sym.base,
        decorations: sym.decorations,
        sub: sym.sub,
        sup: sym.sup,
    })
}

/// The base's letters in a name: `\omega` → `omega`, `y` → `y`.
fn long_base(base: &str) -> &str {
    base.strip_prefix('\\').unwrap_or(base)
}

/// The printer's convention for this key, if it has one.
fn conventional(key: &Key) -> Option<String> {
    let long = long_base(&key.base);
    if !key.sup.is_empty() {
        return None;
    }
    let stem = match key.decorations.as_slice() {
        [] => match long {
            "omega" => "w".to_string(),
            "alpha" => "a".to_string(),
            l => l.to_string(),
        },
        ["hat"] => format!("{long}hat"),
        _ => return None,
    };
    let sub = &key.sub;
    let name = if sub.is_empty() {
        stem
    } else if sub.bytes().all(|b| b.is_ascii_digit()) {
        format!("{stem}{sub}")
    } else if key.base == "L"
        && key.decorations.is_empty()
        && sub.len() > 1
        && sub.starts_with('s')
        && sub[1..].bytes().all(|b| b.is_ascii_digit())
    {
        format!("L{}", &sub[1..])
    } else {
        return None;
    };
    Some(name)
}

/// A readable spelling of any key: `omega_ij`, `y_hat`, `net_h1`.
fn spelled(key: &Key) -> String {
    let mut name: String = long_base(&key.base)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    for d in &key.decorations {
        name.push('_');
        name.push_str(d);
    }
    if !key.sup.is_empty() {
        name.push_str("_l");
        name.push_str(&key.sup);
    }
    if !key.sub.is_empty() {
        name.push('_');
        name.push_str(&key.sub);
    }
    if !usable(&name) {
        name = format!("v_{name}");
    }
    name
}

/// Gives every key its name, once; names never collide.
#[derive(Debug, Default)]
pub struct Namer {
    names: HashMap<Key, String>,
    taken: HashSet<String>,
}

impl Namer {
    /// Every name given, by key.
    pub fn into_names(self) -> HashMap<Key, String> {
        self.names
    }

    /// The name of `key`, chosen on first use.
    pub fn name(&mut self, key: &Key) -> String {
        if let Some(n) = self.names.get(key) {
            return n.clone();
        }
        let candidate = conventional(key).filter(|c| {
            usable(c)
                && !self.taken.contains(c)
                && key_of_latex(&latex_name(c)).as_ref() == Some(key)
        });
        let name = candidate.unwrap_or_else(|| {
            let base = spelled(key);
            let mut name = base.clone();
            let mut n = 2;
            while self.taken.contains(&name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            name
        });
        self.taken.insert(name.clone());
        self.names.insert(key.clone(), name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(latex: &str) -> String {
        Namer::default().name(&key_of_latex(latex).unwrap())
    }

    #[test]
    fn names_follow_the_printers_conventions_where_it_has_them() {
        assert_eq!(name("\\hat{y}_7"), "yhat7");
        assert_eq!(name("\\hat{y_{7}}"), "yhat7");
        assert_eq!(name("\\omega_{47}"), "w47");
        assert_eq!(name("\\hat{\\omega_{47}}"), "omegahat47");
        assert_eq!(name("\\alpha_4"), "a4");
        assert_eq!(name("\\delta_{7}"), "delta7");
        assert_eq!(name("L_{s_7}"), "L7");
        assert_eq!(name("\\eta"), "eta");
        assert_eq!(name("x_1"), "x1");
    }

    #[test]
    fn names_the_printer_would_misprint_are_spelled_out() {
        // `w47` prints as \omega_{47}, so the Latin w_{47} gets another name.
        assert_eq!(name("w_{47}"), "w_47");
        assert_eq!(name("\\omega_{ij}"), "omega_ij");
        assert_eq!(name("L_{s}"), "L_s");
        assert_eq!(name("\\sigma"), "v_sigma");
        assert_eq!(name("\\text{net}_{h1}"), "net_h1");
    }

    #[test]
    fn two_symbols_never_share_a_name() {
        let mut namer = Namer::default();
        let a = namer.name(&key_of_latex("w_{47}").unwrap());
        let b = namer.name(&key_of_latex("\\mathrm{w\\_47}").unwrap_or(Key {
            base: "w_47".into(),
            decorations: vec![],
            sub: String::new(),
            sup: String::new(),
        }));
        assert_ne!(a, b);
    }
}
