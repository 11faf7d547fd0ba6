//! Shared set-up for the property tests.

use proptest::test_runner::{Config, FileFailurePersistence};

/// proptest's default configuration (so `PROPTEST_CASES` sets the number of cases; 256
/// when unset), with failure seeds persisted at `path`, relative to the crate root
/// (`"proptest-regressions/NAME.txt"`), where they are committed.
pub fn config(path: &'static str) -> Config {
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(path))),
        ..Config::default()
    }
}
