//! Finds libkeel: `KEEL_LIB_DIR` if set (a meson build tree or any directory
//! holding libkeel.so), else the `pkg-config` program (`keel.pc` of an installed
//! keel; `PKG_CONFIG_PATH` selects the prefix). No crates: the same lookup
//! libz-sys makes, done by hand.
//!
//! The directory found is also passed on as the `links` metadata `libdir`
//! (`DEP_KEEL_LIBDIR` in the build script of a crate depending on keel-sys,
//! such as `keel`, which puts it in its examples' and tests' rpath), so that
//! programs run without `LD_LIBRARY_PATH`.
use std::env;
use std::process::Command;

fn pkg_config(args: &[&str]) -> Option<String> {
    let o = Command::new("pkg-config").args(args).output().ok()?;
    if o.status.success() {
        Some(String::from_utf8_lossy(&o.stdout).trim().to_string())
    } else {
        None
    }
}

fn found(dir: &str) {
    // rustc-link-arg reaches this crate's own tests only; `libdir` reaches dependents
    println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    println!("cargo:libdir={dir}");
}

fn main() {
    println!("cargo:rerun-if-env-changed=KEEL_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    if let Ok(dir) = env::var("KEEL_LIB_DIR") {
        // the directory goes into the rpath of what is built: a relative one would be
        // resolved against the directory a program is started from, not this one
        if !std::path::Path::new(&dir).is_absolute() {
            panic!(
                "KEEL_LIB_DIR={dir} is a relative path; give an absolute one \
                    (e.g. KEEL_LIB_DIR=$PWD/build): it goes into the rpath of the programs \
                    built, where a relative path would only work from one directory"
            );
        }
        println!("cargo:rustc-link-search=native={dir}");
        println!("cargo:rustc-link-lib=dylib=keel");
        found(&dir);
        return;
    }
    match pkg_config(&["--libs", "keel"]) {
        Some(flags) => {
            for flag in flags.split_whitespace() {
                if let Some(dir) = flag.strip_prefix("-L") {
                    println!("cargo:rustc-link-search=native={dir}");
                } else if let Some(lib) = flag.strip_prefix("-l") {
                    println!("cargo:rustc-link-lib={lib}");
                }
            }
            if let Some(dir) = pkg_config(&["--variable=libdir", "keel"]) {
                found(&dir);
            }
        }
        None => {
            // Fall back to the default search path (/usr/lib, /usr/local/lib).
            println!("cargo:warning=pkg-config found no keel.pc: set PKG_CONFIG_PATH to \
                      <prefix>/lib/pkgconfig (README, Install) or KEEL_LIB_DIR to libkeel's directory");
            println!("cargo:rustc-link-lib=dylib=keel");
        }
    }
}
