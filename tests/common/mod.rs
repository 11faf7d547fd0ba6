//! Shared set-up for the property tests.

use proptest::test_runner::{Config, FileFailurePersistence};

/// proptest's default configuration (so `PROPTEST_CASES` sets the number of cases; 256
/// when unset), with failure seeds persisted in `proptest-regressions/<file>` at the
/// top of the crate, where they are committed.
pub fn config(file: &'static str) -> Config {
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..Config::default()
    }
}
