//! Puts the directory where keel-sys found libkeel (`DEP_KEEL_LIBDIR`) in the
//! rpath of this crate's examples and tests, so `cargo run --example account`
//! runs without `LD_LIBRARY_PATH`. (`DEP_KEEL_LIBDIR` reaches only the crates
//! that depend on keel-sys directly: a program of your own that depends on
//! `keel` links with
//! `RUSTFLAGS="-C link-arg=-Wl,-rpath,$(pkg-config --variable=libdir keel)"`,
//! docs/bindings.md.)
fn main() {
    println!("cargo:rerun-if-env-changed=DEP_KEEL_LIBDIR");
    if let Ok(dir) = std::env::var("DEP_KEEL_LIBDIR") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
