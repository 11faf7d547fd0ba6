//! Numbers as people read them: the shortest text that reads back as the same `f64`,
//! in scientific notation when the plain form would be long (`1e308`, not 309 digits;
//! `2.5e-7`, not `0.00000025`).

/// `v` in the shortest form that reads back exactly: plain for magnitudes in
/// `[1e-5, 1e15)` and zero, scientific otherwise; `NaN`, `inf` and `-inf` as Rust
/// writes them.
pub fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-5..1e15).contains(&v.abs()) {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn every_number_reads_back_exactly_and_long_ones_are_scientific() {
        for (v, text) in [
            (2.0, "2"),
            (0.5, "0.5"),
            (1e308, "1e308"),
            (f64::MAX, "1.7976931348623157e308"),
            (2.5e-7, "2.5e-7"),
            (0.0007055856555555192, "0.0007055856555555192"),
            (123456789.0, "123456789"),
            (1e15, "1e15"),
            (-5.360258123e155, "-5.360258123e155"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(number(v), text);
            assert_eq!(number(v).parse::<f64>().unwrap(), v);
        }
        assert!(number(0.1 + 0.2).parse::<f64>().unwrap() == 0.1 + 0.2);
    }
}
