//! Finds libkeel: `KEEL_LIB_DIR` if set, else the `pkg-config` program
//! (no crates: the same lookup libz-sys makes, done by hand).
use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=KEEL_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    if let Ok(dir) = env::var("KEEL_LIB_DIR") {
        println!("cargo:rustc-link-search=native={dir}");
        println!("cargo:rustc-link-lib=dylib=keel");
        return;
    }
    let out = Command::new("pkg-config").args(["--libs", "keel"]).output();
    match out {
        Ok(o) if o.status.success() => {
            let flags = String::from_utf8_lossy(&o.stdout);
            for flag in flags.split_whitespace() {
                if let Some(dir) = flag.strip_prefix("-L") {
                    println!("cargo:rustc-link-search=native={dir}");
                } else if let Some(lib) = flag.strip_prefix("-l") {
                    println!("cargo:rustc-link-lib={lib}");
                }
            }
        }
        _ => {
            // Fall back to the default search path.
            println!("cargo:warning=pkg-config found no keel; set KEEL_LIB_DIR to libkeel's directory");
            println!("cargo:rustc-link-lib=dylib=keel");
        }
    }
}
