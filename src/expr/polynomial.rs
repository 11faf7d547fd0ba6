//! Polynomials with exact rational coefficients over numbered atoms, and quotients of
//! them: the normal forms in which claims are proved.
//!
//! Sizes are capped (terms per polynomial, work per product); an operation that would
//! exceed them returns `None`, and the claim falls back to testing at points.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::number::Rational;

/// The most terms a polynomial may have.
const MAX_TERMS: usize = 4_000;
/// The most term-by-term products one multiplication may do.
const MAX_WORK: usize = 400_000;

/// `Π atomᵉ`: `(atom, exponent)` pairs sorted by atom, exponents positive.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub(crate) struct Monomial(pub Vec<(u32, u32)>);

impl Monomial {
    pub fn atom(a: u32) -> Monomial {
        Monomial(vec![(a, 1)])
    }

    pub fn degree(&self) -> u64 {
        self.0.iter().map(|&(_, e)| u64::from(e)).sum()
    }

    fn mul(&self, other: &Monomial) -> Option<Monomial> {
        let mut out = Vec::with_capacity(self.0.len() + other.0.len());
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() || j < other.0.len() {
            match (self.0.get(i), other.0.get(j)) {
                (Some(&(a, e)), Some(&(b, f))) if a == b => {
                    out.push((a, e.checked_add(f)?));
                    i += 1;
                    j += 1;
                }
                (Some(&(a, e)), Some(&(b, _))) if a < b => {
                    out.push((a, e));
                    i += 1;
                }
                (Some(_), Some(&(b, f))) => {
                    out.push((b, f));
                    j += 1;
                }
                (Some(&x), None) => {
                    out.push(x);
                    i += 1;
                }
                (None, Some(&y)) => {
                    out.push(y);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        Some(Monomial(out))
    }

    /// `self / other` if `other` divides it.
    fn div(&self, other: &Monomial) -> Option<Monomial> {
        let mut out = self.0.clone();
        for &(a, f) in &other.0 {
            let i = out.iter().position(|&(b, _)| b == a)?;
            let e = out[i].1.checked_sub(f)?;
            if e == 0 {
                out.remove(i);
            } else {
                out[i].1 = e;
            }
        }
        Some(Monomial(out))
    }

    /// The greatest common divisor (smallest exponent of each common atom).
    fn gcd(&self, other: &Monomial) -> Monomial {
        Monomial(
            self.0
                .iter()
                .filter_map(|&(a, e)| {
                    other
                        .0
                        .iter()
                        .find(|&&(b, _)| b == a)
                        .map(|&(_, f)| (a, e.min(f)))
                })
                .collect(),
        )
    }

    /// Pure lexicographic order (atom 0 most significant), a monomial order: it is
    /// compatible with multiplication, which exact division needs.
    fn lex(&self, other: &Monomial) -> Ordering {
        let (mut i, mut j) = (0, 0);
        loop {
            match (self.0.get(i), other.0.get(j)) {
                (None, None) => return Ordering::Equal,
                (Some(_), None) => return Ordering::Greater,
                (None, Some(_)) => return Ordering::Less,
                (Some(&(a, e)), Some(&(b, f))) => {
                    if a != b {
                        // The one with the lower-numbered atom is larger in it.
                        return if a < b {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        };
                    }
                    if e != f {
                        return e.cmp(&f);
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
    }
}

/// `Σ coefficient · monomial`, no zero coefficients.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct Poly {
    pub terms: BTreeMap<Monomial, Rational>,
}

impl Poly {
    pub fn zero() -> Poly {
        Poly::default()
    }

    pub fn constant(c: Rational) -> Poly {
        let mut p = Poly::zero();
        if !c.is_zero() {
            p.terms.insert(Monomial::default(), c);
        }
        p
    }

    pub fn atom(a: u32) -> Poly {
        let mut p = Poly::zero();
        p.terms.insert(Monomial::atom(a), Rational::ONE);
        p
    }

    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The constant value, if the polynomial is constant.
    pub fn as_constant(&self) -> Option<Rational> {
        match self.terms.len() {
            0 => Some(Rational::ZERO),
            1 => self.terms.get(&Monomial::default()).copied(),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    fn add_term(&mut self, m: Monomial, c: Rational) -> Option<()> {
        use std::collections::btree_map::Entry;
        match self.terms.entry(m) {
            Entry::Vacant(v) => {
                if !c.is_zero() {
                    v.insert(c);
                }
            }
            Entry::Occupied(mut o) => {
                let sum = o.get().checked_add(c)?;
                if sum.is_zero() {
                    o.remove();
                } else {
                    *o.get_mut() = sum;
                }
            }
        }
        (self.terms.len() <= MAX_TERMS).then_some(())
    }

    pub fn add(&self, other: &Poly) -> Option<Poly> {
        let mut out = self.clone();
        for (m, c) in &other.terms {
            out.add_term(m.clone(), *c)?;
        }
        Some(out)
    }

    pub fn neg(&self) -> Option<Poly> {
        let mut out = Poly::zero();
        for (m, c) in &self.terms {
            out.terms.insert(m.clone(), c.checked_neg()?);
        }
        Some(out)
    }

    pub fn sub(&self, other: &Poly) -> Option<Poly> {
        self.add(&other.neg()?)
    }

    pub fn scale(&self, k: Rational) -> Option<Poly> {
        if k.is_zero() {
            return Some(Poly::zero());
        }
        let mut out = Poly::zero();
        for (m, c) in &self.terms {
            out.terms.insert(m.clone(), c.checked_mul(k)?);
        }
        Some(out)
    }

    pub fn mul(&self, other: &Poly) -> Option<Poly> {
        if self.len().saturating_mul(other.len()) > MAX_WORK {
            return None;
        }
        let mut out = Poly::zero();
        for (m, c) in &self.terms {
            for (n, d) in &other.terms {
                out.add_term(m.mul(n)?, c.checked_mul(*d)?)?;
            }
        }
        Some(out)
    }

    pub fn pow(&self, n: u32) -> Option<Poly> {
        let mut result = Poly::constant(Rational::ONE);
        let mut square = self.clone();
        let mut e = n;
        while e > 0 {
            if e & 1 == 1 {
                result = result.mul(&square)?;
            }
            e >>= 1;
            if e > 0 {
                square = square.mul(&square)?;
            }
        }
        Some(result)
    }

    /// Whether the leading coefficient (in lexicographic order) is negative: a sign
    /// convention that picks one of `p` and `−p`.
    pub fn leads_negative(&self) -> bool {
        self.leading().is_some_and(|(_, c)| c.is_negative())
    }

    fn leading(&self) -> Option<(&Monomial, Rational)> {
        self.terms
            .iter()
            .max_by(|a, b| a.0.lex(b.0))
            .map(|(m, c)| (m, *c))
    }

    /// `self / divisor` if the division is exact (multivariate division by leading
    /// terms in lexicographic order, leaving no remainder).
    pub fn div_exact(&self, divisor: &Poly) -> Option<Poly> {
        let (lead_m, lead_c) = divisor.leading()?;
        let lead_m = lead_m.clone();
        let mut remainder = self.clone();
        let mut quotient = Poly::zero();
        let mut steps = 0;
        while let Some((m, c)) = remainder.leading() {
            steps += 1;
            if steps > MAX_TERMS {
                return None;
            }
            let factor = m.div(&lead_m)?;
            let coefficient = c.checked_div(lead_c)?;
            let mut term = Poly::zero();
            term.terms.insert(factor, coefficient);
            quotient.add_term(term.terms.keys().next()?.clone(), coefficient)?;
            remainder = remainder.sub(&term.mul(divisor)?)?;
        }
        Some(quotient)
    }

    /// The monomial dividing every term, and the polynomial divided by it.
    pub fn monomial_content(&self) -> (Monomial, Poly) {
        let mut content: Option<Monomial> = None;
        for m in self.terms.keys() {
            content = Some(match content {
                None => m.clone(),
                Some(c) => c.gcd(m),
            });
        }
        let content = content.unwrap_or_default();
        let mut rest = Poly::zero();
        for (m, c) in &self.terms {
            rest.terms
                .insert(m.div(&content).unwrap_or_else(|| m.clone()), *c);
        }
        (content, rest)
    }
}

/// A quotient of polynomials. Two are equal when `a·d = b·c`: the comparison needs no
/// polynomial gcd, and neither does the representation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ratio {
    pub num: Poly,
    pub den: Poly,
}

impl Ratio {
    pub fn poly(p: Poly) -> Ratio {
        Ratio {
            num: p,
            den: Poly::constant(Rational::ONE),
        }
    }

    pub fn constant(c: Rational) -> Ratio {
        Ratio::poly(Poly::constant(c))
    }

    /// The constant value, if this is a constant.
    pub fn as_constant(&self) -> Option<Rational> {
        self.num.as_constant()?.checked_div(self.den.as_constant()?)
    }

    /// Whether the sign convention of [`Poly::leads_negative`] calls this negative.
    pub fn leads_negative(&self) -> bool {
        self.num.leads_negative() != self.den.leads_negative()
    }

    pub fn is_polynomial(&self) -> bool {
        self.den.as_constant().is_some_and(|c| c.is_one())
    }

    /// Keeps denominators small: a constant denominator is folded into the numerator,
    /// and a denominator that divides the numerator exactly is divided out.
    fn reduce(self) -> Option<Ratio> {
        if let Some(c) = self.den.as_constant() {
            return Some(Ratio::poly(self.num.scale(c.recip()?)?));
        }
        if self.num.is_zero() {
            return Some(Ratio::constant(Rational::ZERO));
        }
        if let Some(q) = self.num.div_exact(&self.den) {
            return Some(Ratio::poly(q));
        }
        Some(self)
    }

    pub fn add(&self, other: &Ratio) -> Option<Ratio> {
        if self.den == other.den {
            return Ratio {
                num: self.num.add(&other.num)?,
                den: self.den.clone(),
            }
            .reduce();
        }
        Ratio {
            num: self.num.mul(&other.den)?.add(&other.num.mul(&self.den)?)?,
            den: self.den.mul(&other.den)?,
        }
        .reduce()
    }

    pub fn neg(&self) -> Option<Ratio> {
        Some(Ratio {
            num: self.num.neg()?,
            den: self.den.clone(),
        })
    }

    pub fn sub(&self, other: &Ratio) -> Option<Ratio> {
        self.add(&other.neg()?)
    }

    pub fn mul(&self, other: &Ratio) -> Option<Ratio> {
        Ratio {
            num: self.num.mul(&other.num)?,
            den: self.den.mul(&other.den)?,
        }
        .reduce()
    }

    /// `self / other`; `None` when `other` is the zero polynomial.
    pub fn div(&self, other: &Ratio) -> Option<Ratio> {
        if other.num.is_zero() {
            return None;
        }
        Ratio {
            num: self.num.mul(&other.den)?,
            den: self.den.mul(&other.num)?,
        }
        .reduce()
    }

    pub fn powi(&self, n: i64) -> Option<Ratio> {
        let e = u32::try_from(n.unsigned_abs()).ok()?;
        let p = Ratio {
            num: self.num.pow(e)?,
            den: self.den.pow(e)?,
        };
        if n < 0 {
            Ratio::constant(Rational::ONE).div(&p)
        } else {
            p.reduce()
        }
    }

    /// Whether the two are equal as rational functions (`None` if too large to tell).
    pub fn equals(&self, other: &Ratio) -> Option<bool> {
        if self == other {
            return Some(true);
        }
        let left = self.num.mul(&other.den)?;
        let right = other.num.mul(&self.den)?;
        Some(left == right)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x() -> Poly {
        Poly::atom(0)
    }
    fn y() -> Poly {
        Poly::atom(1)
    }
    fn one() -> Poly {
        Poly::constant(Rational::ONE)
    }

    #[test]
    fn expanding_a_square_gives_the_binomial_terms() {
        let s = x().add(&y()).unwrap().pow(2).unwrap();
        assert_eq!(s.len(), 3);
        let two_xy = x().mul(&y()).unwrap().scale(Rational::integer(2)).unwrap();
        let expected = x()
            .pow(2)
            .unwrap()
            .add(&two_xy)
            .unwrap()
            .add(&y().pow(2).unwrap())
            .unwrap();
        assert_eq!(s, expected);
    }

    #[test]
    fn exact_division_recovers_a_factor_and_refuses_a_non_factor() {
        let a = x().sub(&one()).unwrap();
        let b = x().add(&y()).unwrap();
        let product = a.mul(&b).unwrap();
        assert_eq!(product.div_exact(&a), Some(b.clone()));
        assert_eq!(product.add(&one()).unwrap().div_exact(&a), None);
    }

    #[test]
    fn rational_functions_compare_by_cross_multiplication() {
        // (x² − 1)/(x − 1) = x + 1
        let num = x().pow(2).unwrap().sub(&one()).unwrap();
        let den = x().sub(&one()).unwrap();
        let q = Ratio::poly(num).div(&Ratio::poly(den)).unwrap();
        let expected = Ratio::poly(x().add(&one()).unwrap());
        assert_eq!(q.equals(&expected), Some(true));
        let other = Ratio::poly(x());
        assert_eq!(q.equals(&other), Some(false));
    }

    #[test]
    fn monomial_content_factors_out_the_common_atoms() {
        // x − x² = x·(1 − x)
        let p = x().sub(&x().pow(2).unwrap()).unwrap();
        let (content, rest) = p.monomial_content();
        assert_eq!(content, Monomial::atom(0));
        assert_eq!(rest, one().sub(&x()).unwrap());
    }
}
