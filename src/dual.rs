//! Forward-mode dual numbers (being written).
