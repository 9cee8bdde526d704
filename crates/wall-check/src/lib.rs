//! Compile-time proofs of the tenant wall, run by `cargo test -p prosaas-wall-check`.
//! This crate depends only on `prosaas-tenant`, like a service; the files in
//! `tests/compile_fail/` are service-style code that must not compile.
