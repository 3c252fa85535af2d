// Tells the invariant test which platform's dependency graph to check (cargo metadata --filter-platform).
fn main() {
    println!(
        "cargo:rustc-env=RINGSCOPE_TARGET={}",
        std::env::var("TARGET").expect("cargo sets TARGET")
    );
}
