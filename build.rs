//! Embeds the default theme (`templates/` and `static/`) into the binary so
//! that `briefing init` can scaffold a project anywhere and a project
//! without its own templates still builds.
//!
//! Generates `$OUT_DIR/theme.rs` with one `(path, bytes)` entry per file,
//! sorted by path so the binary is reproducible.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        if path.is_dir() {
            collect(&path, base, out);
        } else {
            out.push(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut code = String::new();
    for dir in ["templates", "static"] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&root.join(dir), &root.join(dir), &mut files);
        files.sort();
        writeln!(
            code,
            "pub static {}: &[(&str, &[u8])] = &[",
            dir.to_uppercase()
        )
        .unwrap();
        for f in files {
            let rel = f.to_string_lossy().replace('\\', "/");
            let abs = root.join(dir).join(&f);
            writeln!(
                code,
                "    ({rel:?}, include_bytes!({:?})),",
                abs.to_string_lossy()
            )
            .unwrap();
            println!("cargo:rerun-if-changed={}", abs.display());
        }
        writeln!(code, "];").unwrap();
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("theme.rs");
    std::fs::write(out, code).unwrap();
}
