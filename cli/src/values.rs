//! Value parsers for flags, shared by the subcommands: a bad value is reported by clap,
//! with the flag's usage, before any work starts.
//!
//! Every numeric flag lets a value that starts with `-` reach its parser, so that it is
//! refused for what it is ("not a positive whole number"), not taken for an unknown
//! flag with clap's "use `-- -1`" tip: `allow_negative_numbers` for whole numbers, and
//! `allow_hyphen_values` for real numbers, whose `-1e-3` and `-inf` clap does not
//! recognise as numbers.

/// A whole number of at least 1.
pub fn at_least_one(s: &str) -> Result<usize, String> {
    whole_number(s, 1, usize::MAX)
}

/// A whole number of at least 0.
pub fn count(s: &str) -> Result<usize, String> {
    whole_number(s, 0, usize::MAX)
}

/// A whole number in `min..=max`, with a message that says which bound it misses.
pub fn whole_number(s: &str, min: usize, max: usize) -> Result<usize, String> {
    let kind = match min {
        0 => "a whole number (0 or more)".to_string(),
        1 => "a positive whole number".to_string(),
        _ => format!("a whole number of at least {min}"),
    };
    let trimmed = s.trim();
    match trimmed.parse::<usize>() {
        Ok(n) if n < min => Err(format!("`{s}` is not {kind}")),
        Ok(n) if n > max => Err(format!(
            "`{s}` is more than {max}, the most this flag takes"
        )),
        Ok(n) => Ok(n),
        // Digits that overflow usize are too large, not malformed.
        Err(_) if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) => Err(
            format!("`{s}` is more than {max}, the most this flag takes"),
        ),
        Err(_) => Err(format!("`{s}` is not {kind}")),
    }
}

/// A seed: any whole number from 0 to 2^64 − 1.
pub fn seed(s: &str) -> Result<u64, String> {
    s.trim().parse::<u64>().map_err(|_| {
        format!(
            "`{s}` is not a seed: give a whole number from 0 to {}",
            u64::MAX
        )
    })
}

/// A finite number above 0.
pub fn positive_number(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("`{s}` is not a positive number")),
    }
}

/// A number in [0, 1).
pub fn fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a fraction in [0, 1)")),
    }
}
