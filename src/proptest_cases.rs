//! The case count of the library's own property tests (its unit tests; the suites in
//! `tests/` have their own helper).

use proptest::prelude::ProptestConfig;

/// `cases` cases, or `PROPTEST_CASES` where it is set (for a deeper run).
pub(crate) fn config(cases: u32) -> ProptestConfig {
    let defaults = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() {
        defaults.cases
    } else {
        cases
    };
    ProptestConfig { cases, ..defaults }
}
