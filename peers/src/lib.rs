//! Nothing to use: this package holds one benchmark, `benches/peers.rs`, which times
//! gradproof's scalar path beside easy-ml's reverse-mode tape on the same network
//! (`cargo bench -p gradproof-peers`; the tables land in `docs/performance.md`).
