//! A piece of math as rows of equations and index ranges.
//!
//! Rows end at `\\`; environment markers and `&` are layout. A row is cut at its
//! top-level commas into segments, and each segment is one of:
//! - an **index range** `i=4,5,6`, `i = 1, \dots, 3` or `i \in \{1,2,3\}` (a letter
//!   `= n` alone counts as a range only when more values follow or the letter is a
//!   subscript elsewhere in the row; otherwise `x = 4` is an equation);
//! - an **equation**: it has a relation at its top level (`=`, `:=`, `\coloneqq`;
//!   other relations are listed as unread). A label before a colon (`e.g:`) is dropped;
//!   prose in `\text{…}` was dropped by the tokenizer;
//! - a **shape declaration** `x \in \mathbb{R}^{3}`, `W \in \mathbb{R}^{3 \times 4}`
//!   (with the mentions right before it: `x, y \in \mathbb{R}^{3}` declares both);
//! - a **mention** with no relation (`x_1`, `\omega_{ij}`): not an equation, not read.

use super::parse::{self, describe, Ast, Fail};
use super::tokens::{Tok, Token};

/// Environments that only lay out rows.
const LAYOUT_ENVIRONMENTS: [&str; 7] = [
    "equation", "align", "gather", "multline", "aligned", "gathered", "split",
];

/// `i = 4, 5, 6`: an index and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// The index letter.
    pub index: char,
    /// Its values, in order.
    pub values: Vec<i64>,
}

/// One side of an equation, with its bytes in the document.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    /// The expression.
    pub ast: Ast,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A relation sign between two sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relation {
    /// `:=` rather than `=`.
    pub define: bool,
    /// Where the sign stands.
    pub at: usize,
}

/// An equation `A = B = C`: sides and the relations between them.
#[derive(Clone, Debug, PartialEq)]
pub struct Equation {
    /// Two or more sides.
    pub sides: Vec<Side>,
    /// One relation fewer than sides.
    pub relations: Vec<Relation>,
}

/// The shape a declaration gives: `\mathbb{R}`, `\mathbb{R}^{n}` or
/// `\mathbb{R}^{m \times n}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dims {
    /// `\mathbb{R}`
    Scalar,
    /// `\mathbb{R}^{n}`: a column vector.
    Vector(usize),
    /// `\mathbb{R}^{m \times n}`
    Matrix(usize, usize),
}

impl Dims {
    /// Rows and columns (a vector is a column).
    pub fn rows_cols(self) -> (usize, usize) {
        match self {
            Dims::Scalar => (1, 1),
            Dims::Vector(n) => (n, 1),
            Dims::Matrix(m, n) => (m, n),
        }
    }

    /// The shape as the `.grad` language writes it in a declaration (`3`, `3x4`), or
    /// `None` for a scalar.
    pub fn grad(self) -> Option<String> {
        match self {
            Dims::Scalar => None,
            Dims::Vector(n) => Some(n.to_string()),
            Dims::Matrix(m, n) => Some(format!("{m}x{n}")),
        }
    }
}

/// The most rows or columns a declared shape may have.
pub const MAX_DIMENSION: usize = 100_000;

/// `x \in \mathbb{R}^{3}`: a symbol and its declared shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Declaration {
    /// The symbol declared.
    pub sym: parse::Sym,
    /// Its shape.
    pub dims: Dims,
    /// Where `\in` stands.
    pub at: usize,
    /// The declaration's first byte.
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

/// What a row holds, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// An equation read.
    Equation(Equation),
    /// A shape declaration read.
    Declaration(Declaration),
    /// A shape declaration of this symbol that cannot be read (`\mathbb{R}^{n}`):
    /// what uses the symbol is not read either, rather than read with no shape.
    Undeclared {
        /// The symbol.
        sym: parse::Sym,
        /// The segment's first byte.
        start: usize,
        /// One past its last byte.
        end: usize,
        /// Where and why.
        fail: Fail,
    },
    /// A relation the reader could not read: the segment's bytes and why.
    Unread {
        /// The segment's first byte.
        start: usize,
        /// One past its last byte.
        end: usize,
        /// Where and why.
        fail: Fail,
    },
}

/// A row: its equations (and unread relations) and the index ranges written in it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Row {
    /// Equations and unread relations.
    pub items: Vec<Item>,
    /// The ranges, which apply to every equation of the row that uses their index.
    pub ranges: Vec<Range>,
}

/// The rows of a piece of math, from its tokens.
pub fn rows(tokens: &[Token]) -> Vec<Row> {
    let tokens: Vec<Token> = tokens
        .iter()
        .filter(|t| match &t.tok {
            Tok::Environment(e) => !is_layout_environment(e),
            _ => true,
        })
        .cloned()
        .collect();
    tokens
        .split(|t| t.tok == Tok::RowBreak)
        .filter(|r| !r.is_empty())
        .map(row)
        .collect()
}

fn is_layout_environment(e: &str) -> bool {
    let name = e
        .strip_prefix("begin{")
        .or_else(|| e.strip_prefix("end{"))
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or("");
    LAYOUT_ENVIRONMENTS.contains(&name.trim_end_matches('*'))
}

/// Cuts `tokens` at `sep` tokens that are outside every bracket.
fn split_top(tokens: &[Token], is_sep: impl Fn(&Tok) -> bool) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let mut depth = 0i64;
    let mut from = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.tok {
            Tok::LBrace | Tok::LParen | Tok::LBracket | Tok::LSet => depth += 1,
            Tok::RBrace | Tok::RParen | Tok::RBracket | Tok::RSet => depth -= 1,
            _ if depth == 0 && is_sep(&t.tok) => {
                out.push(&tokens[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&tokens[from..]);
    out
}

fn row(tokens: &[Token]) -> Row {
    let segments = split_top(tokens, |t| *t == Tok::Comma);
    let mut out = Row::default();
    let mut open_range: Option<usize> = None;
    // Mentions right before a shape declaration are declared with it.
    let mut mentions: Vec<&[Token]> = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        let seg = segments[i];
        i += 1;
        if seg.is_empty() {
            continue;
        }
        if let Some(declared) = declaration(seg) {
            match declared {
                Ok((last, dims, at)) => {
                    for m in mentions.drain(..) {
                        let m_end = m[m.len() - 1].end;
                        if let Ok(sym) = parse::symbol(m, m_end) {
                            out.items.push(Item::Declaration(Declaration {
                                sym,
                                dims,
                                at,
                                start: m[0].start,
                                end: seg[seg.len() - 1].end,
                            }));
                        }
                    }
                    out.items.push(Item::Declaration(Declaration {
                        sym: last,
                        dims,
                        at,
                        start: seg[0].start,
                        end: seg[seg.len() - 1].end,
                    }));
                }
                Err((Some(sym), fail)) => out.items.push(Item::Undeclared {
                    sym,
                    start: seg[0].start,
                    end: seg[seg.len() - 1].end,
                    fail,
                }),
                Err((None, fail)) => out.items.push(Item::Unread {
                    start: seg[0].start,
                    end: seg[seg.len() - 1].end,
                    fail,
                }),
            }
            open_range = None;
            continue;
        }
        if let Some(values) = continuation(seg) {
            if let Some(r) = open_range {
                out.ranges[r].values.extend(values);
                continue;
            }
        }
        open_range = None;
        if let Some((index, values)) = range_head(seg) {
            let more = segments.get(i).is_some_and(|s| continuation(s).is_some());
            if values.len() > 1 || more || in_subscript(tokens, index) {
                out.ranges.push(Range { index, values });
                open_range = Some(out.ranges.len() - 1);
                continue;
            }
        }
        match equation(seg) {
            Some(item) => {
                out.items.push(item);
                mentions.clear();
            }
            None => mentions.push(seg),
        }
    }
    for range in &mut out.ranges {
        range.values = expand_dots(&range.values);
    }
    out
}

/// A marker for `\dots` in a list of values.
const DOTS: i64 = i64::MIN;

/// `5`, `\dots`: more values of the range before.
fn continuation(seg: &[Token]) -> Option<Vec<i64>> {
    match seg {
        [Token {
            tok: Tok::Number(n),
            ..
        }] => parse::integer(n).map(|v| vec![v]),
        [Token {
            tok: Tok::Cmd(c), ..
        }] if matches!(c.as_str(), "dots" | "ldots" | "cdots") => Some(vec![DOTS]),
        _ if !seg.is_empty() && seg.iter().all(|t| t.tok == Tok::Other('.')) => Some(vec![DOTS]),
        _ => None,
    }
}

/// `i = 4` or `i \in \{1, 2, 3\}`.
fn range_head(seg: &[Token]) -> Option<(char, Vec<i64>)> {
    match seg {
        [Token {
            tok: Tok::Letter(c),
            ..
        }, Token {
            tok: Tok::Equals, ..
        }, Token {
            tok: Tok::Number(n),
            ..
        }] => Some((*c, vec![parse::integer(n)?])),
        [Token {
            tok: Tok::Letter(c),
            ..
        }, Token {
            tok: Tok::Cmd(in_), ..
        }, Token { tok: Tok::LSet, .. }, rest @ .., Token { tok: Tok::RSet, .. }]
            if in_ == "in" =>
        {
            let mut values = Vec::new();
            for item in split_top(rest, |t| *t == Tok::Comma) {
                values.extend(continuation(item)?);
            }
            Some((*c, values))
        }
        _ => None,
    }
}

/// Replaces each `\dots` by the whole numbers between its neighbours (`1, \dots, 4`).
fn expand_dots(values: &[i64]) -> Vec<i64> {
    let mut out = Vec::new();
    for (k, &v) in values.iter().enumerate() {
        if v == DOTS {
            let (Some(&a), Some(&b)) = (out.last(), values.get(k + 1)) else {
                continue;
            };
            if b != DOTS && b > a + 1 && b - a <= 10_000 {
                out.extend(a + 1..b);
            }
        } else {
            out.push(v);
        }
    }
    out
}

/// Whether the letter `c` stands in a subscript somewhere in `tokens`.
fn in_subscript(tokens: &[Token], c: char) -> bool {
    let mut i = 0;
    while i + 1 < tokens.len() {
        if tokens[i].tok == Tok::Underscore {
            match &tokens[i + 1].tok {
                Tok::Letter(l) if *l == c => return true,
                Tok::LBrace => {
                    let mut depth = 0;
                    for t in &tokens[i + 1..] {
                        match t.tok {
                            Tok::LBrace => depth += 1,
                            Tok::RBrace => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            Tok::Letter(l) if l == c => return true,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    false
}

/// What [`declaration`] finds: the symbol, its shape and where `\in` stands; or why
/// not, with the symbol if it was read.
type Declared = Result<(parse::Sym, Dims, usize), (Option<parse::Sym>, Fail)>;

/// `SYMBOL \in \mathbb{R}^{…}`: the symbol, its shape and where `\in` stands; `None`
/// if the segment is no such declaration, an error if it is one that cannot be read.
fn declaration(seg: &[Token]) -> Option<Declared> {
    let k = seg.iter().position(|t| t.tok == Tok::Cmd("in".into()))?;
    if seg.get(k + 1).map(|t| &t.tok) != Some(&Tok::Reals) || k == 0 {
        return None;
    }
    let at = seg[k].start;
    let symbol = &seg[..k];
    let sym = match parse::symbol(symbol, symbol[symbol.len() - 1].end) {
        Ok(sym) => sym,
        Err(fail) => return Some(Err((None, fail))),
    };
    let rest = &seg[k + 2..];
    let fail = |t: &Token, why: &str| {
        Some(Err((
            Some(sym.clone()),
            Fail {
                start: t.start,
                end: t.end,
                why: why.to_string(),
            },
        )))
    };
    let Some(caret) = rest.first() else {
        return Some(Ok((sym, Dims::Scalar, at)));
    };
    if caret.tok != Tok::Caret {
        return fail(caret, "a shape declaration ends at `\\mathbb{R}^{…}`");
    }
    let dims: &[Token] = match &rest[1..] {
        [Token {
            tok: Tok::LBrace, ..
        }, inner @ .., Token {
            tok: Tok::RBrace, ..
        }] => inner,
        [one] => std::slice::from_ref(one),
        _ => {
            return fail(
                caret,
                "a shape is read as `\\mathbb{R}^{n}` or `\\mathbb{R}^{m \\times n}`",
            )
        }
    };
    let number = |t: &Token| match &t.tok {
        Tok::Number(n) => parse::integer(n)
            .and_then(|v| usize::try_from(v).ok())
            .filter(|&v| (1..=MAX_DIMENSION).contains(&v)),
        _ => None,
    };
    let why = format!(
        "a shape is read with whole numbers from 1 to {MAX_DIMENSION} \
         (`\\mathbb{{R}}^{{3}}`, `\\mathbb{{R}}^{{3 \\times 4}}`)"
    );
    let shape = match dims {
        [n] => number(n).map(Dims::Vector),
        [m, x, n] if matches!(x.tok, Tok::Times | Tok::Letter('x')) => {
            number(m).zip(number(n)).map(|(m, n)| Dims::Matrix(m, n))
        }
        _ => None,
    };
    match shape {
        Some(d) => Some(Ok((sym, d, at))),
        None => fail(dims.first().unwrap_or(caret), &why),
    }
}

fn is_relation(t: &Tok) -> bool {
    matches!(t, Tok::Equals | Tok::Define | Tok::OtherRelation(_))
}

/// A segment with a relation at its top level as an equation (or as unread, with
/// why); `None` for a segment with no relation (a mention).
fn equation(seg: &[Token]) -> Option<Item> {
    let top = split_top(seg, is_relation);
    if top.len() < 2 {
        return None;
    }
    let start = seg[0].start;
    let end = seg[seg.len() - 1].end;
    let unread = |fail: Fail| Some(Item::Unread { start, end, fail });
    // A label before a colon (`e.g:`) that holds no relation.
    let mut body = seg;
    if let Some(colon) = top[0].iter().position(|t| t.tok == Tok::Colon) {
        // Only a colon at the top level counts.
        let first = split_top(top[0], |t| *t == Tok::Colon);
        if first.len() > 1 {
            let label_len = first[0].len() + 1;
            let _ = colon;
            body = &seg[label_len..];
        }
    }
    let mut sides = Vec::new();
    let mut relations = Vec::new();
    let mut depth = 0i64;
    let mut from = 0;
    for (i, t) in body.iter().enumerate() {
        match &t.tok {
            Tok::LBrace | Tok::LParen | Tok::LBracket | Tok::LSet => depth += 1,
            Tok::RBrace | Tok::RParen | Tok::RBracket | Tok::RSet => depth -= 1,
            rel if depth == 0 && is_relation(rel) => {
                if let Tok::OtherRelation(r) = rel {
                    return unread(Fail {
                        start: t.start,
                        end: t.end,
                        why: format!(
                            "the relation `{r}` is not checked; only `=` and `:=` are read"
                        ),
                    });
                }
                sides.push(&body[from..i]);
                relations.push(Relation {
                    define: *rel == Tok::Define,
                    at: t.start,
                });
                from = i + 1;
            }
            _ => {}
        }
    }
    sides.push(&body[from..]);
    let mut read = Vec::new();
    for (k, side) in sides.iter().enumerate() {
        if side.is_empty() {
            let at = if k == 0 {
                relations[0].at
            } else {
                relations[k - 1].at
            };
            let which = if k == 0 { "left of" } else { "right of" };
            return unread(Fail {
                start: at,
                end: at + 1,
                why: format!("nothing stands {which} this relation"),
            });
        }
        let side_end = side[side.len() - 1].end;
        match parse::expression(side, side_end) {
            Ok(ast) => read.push(Side {
                ast,
                start: side[0].start,
                end: side_end,
            }),
            Err(fail) => return unread(fail),
        }
    }
    if let Some(t) = body.iter().find(|t| matches!(t.tok, Tok::Environment(_))) {
        return unread(Fail {
            start: t.start,
            end: t.end,
            why: format!("{} is not read", describe(&t.tok)),
        });
    }
    Some(Item::Equation(Equation {
        sides: read,
        relations,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn rows_of(s: &str) -> Vec<Row> {
        rows(&tokenize(s, 0, s.len()))
    }

    fn equations(row: &Row) -> usize {
        row.items
            .iter()
            .filter(|i| matches!(i, Item::Equation(_)))
            .count()
    }

    #[test]
    fn ranges_after_equations_in_the_ways_documents_write_them() {
        let r = &rows_of("\\alpha_i=\\sigma(\\delta_i),~~~~\\delta_i=x_i,~~~~i=4,5,6")[0];
        assert_eq!(equations(r), 2);
        assert_eq!(
            r.ranges,
            [Range {
                index: 'i',
                values: vec![4, 5, 6]
            }]
        );
        let r = &rows_of("a_{ij}=b_{ij},~~i=1,2,3,~~j=4,5,6")[0];
        assert_eq!(r.ranges.len(), 2);
        assert_eq!(r.ranges[1].values, [4, 5, 6]);
        let r = &rows_of("a_i = b_i, i = 1, \\dots, 4")[0];
        assert_eq!(r.ranges[0].values, [1, 2, 3, 4]);
        let r = &rows_of("a_i = b_i, i \\in \\{1,2,3\\}")[0];
        assert_eq!(r.ranges[0].values, [1, 2, 3]);
    }

    #[test]
    fn a_letter_equal_to_a_number_alone_is_an_equation() {
        let r = &rows_of("x = 4")[0];
        assert!(r.ranges.is_empty());
        assert_eq!(equations(r), 1);
    }

    #[test]
    fn rows_labels_and_layout() {
        let rs = rows_of("\\begin{gather*}a=b\\\\\n\\\\\ne.g: \\text{同理: }c=d=e_1\\end{gather*}");
        assert_eq!(rs.len(), 2);
        let Item::Equation(eq) = &rs[1].items[0] else {
            panic!()
        };
        assert_eq!(eq.sides.len(), 3);
    }

    #[test]
    fn mentions_are_not_equations_and_other_relations_are_unread() {
        assert!(rows_of("x_1,x_2,x_3")[0].items.is_empty());
        assert!(matches!(
            rows_of("a \\approx b")[0].items[0],
            Item::Unread { .. }
        ));
        assert!(matches!(
            rows_of("a = \\infty")[0].items[0],
            Item::Unread { .. }
        ));
    }
}
