//! Shared set-up for the property tests.

use proptest::test_runner::{Config, FileFailurePersistence};

/// proptest's default configuration (so `PROPTEST_CASES` sets the number of cases; 256
/// when unset), with failure seeds persisted at `path`, relative to the crate root
/// (`"proptest-regressions/NAME.txt"`), where they are committed.
///
/// Properties that reject inputs (`prop_assume!`) reject in proportion to the cases run,
/// so the limit on rejections grows with `PROPTEST_CASES` rather than stopping a deep
/// run at proptest's fixed 1024.
pub fn config(path: &'static str) -> Config {
    let defaults = Config::default();
    Config {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(path))),
        max_global_rejects: defaults
            .max_global_rejects
            .max(defaults.cases.saturating_mul(4)),
        ..defaults
    }
}

/// [`config`] with `cases` cases unless `PROPTEST_CASES` asks for a number: properties
/// whose cases are slow (each reads or proves a whole document) keep `cargo test` short
/// with a smaller default, and a deep run still reaches them.
#[allow(dead_code)] // each test file compiles this module; not every one has slow cases
pub fn config_with_cases(path: &'static str, cases: u32) -> Config {
    let config = config(path);
    if std::env::var_os("PROPTEST_CASES").is_some() {
        return config;
    }
    Config {
        cases,
        max_global_rejects: config.max_global_rejects.max(cases.saturating_mul(4)),
        ..config
    }
}
