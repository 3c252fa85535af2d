//! The TypeScript side of the IPC, generated from [`crate::ipc`] by tauri-specta into `ui/src/bindings/`:
//! `ipc.ts` (a typed wrapper per command, every argument and result type, enums as unions of their JSON values,
//! and the `files-dropped` event) and `currencyExponents.ts` (from `ringscope_model::money`). The test below
//! fails when the committed files are stale; `RINGSCOPE_UPDATE_BINDINGS=1 cargo test --workspace -p
//! ringscope-app bindings` rewrites them.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    const HEADER: &str = "// Generated from the Rust commands and types by src-tauri/src/bindings.rs (tauri-specta). Do not edit:\n\
                          // run RINGSCOPE_UPDATE_BINDINGS=1 cargo test --workspace -p ringscope-app bindings";

    fn export_all(dir: &Path) {
        std::fs::create_dir_all(dir).expect("bindings folder");
        crate::ipc::<tauri::test::MockRuntime>()
            .export(
                specta_typescript::Typescript::default().header(HEADER),
                dir.join("ipc.ts"),
            )
            .expect("bindings export");
        std::fs::write(dir.join("currencyExponents.ts"), currency_exponents()).expect("write");
    }

    /// The UI's copy of the ISO 4217 exponents `ringscope_model::money` formats with.
    fn currency_exponents() -> String {
        let mut out = String::from(
            "// Generated from ringscope_model::money::known_exponents by src-tauri/src/bindings.rs. Do not edit.\n\n\
             /** ISO 4217 exponent (digits of the minor unit) of every currency Ringscope knows. */\n\
             export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {\n",
        );
        for (code, exp) in ringscope_model::money::known_exponents() {
            out.push_str(&format!("  {code}: {exp},\n"));
        }
        out.push_str("};\n");
        out
    }

    /// Every file under `dir`, by path relative to it.
    fn read_tree(dir: &Path) -> BTreeMap<String, String> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let name = path.strip_prefix(root).unwrap_or(&path);
                    out.insert(
                        name.to_string_lossy().into_owned(),
                        std::fs::read_to_string(&path).unwrap_or_default(),
                    );
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(dir, dir, &mut out);
        out
    }

    #[test]
    fn bindings_are_committed_and_fresh() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        let fresh = tempfile::tempdir().unwrap();
        export_all(fresh.path());
        if std::env::var_os("RINGSCOPE_UPDATE_BINDINGS").is_some() {
            // Only after a successful export: a failed one must not leave the UI without bindings.
            let _ = std::fs::remove_dir_all(&committed);
            std::fs::create_dir_all(&committed).expect("bindings folder");
            for (name, text) in read_tree(fresh.path()) {
                std::fs::write(committed.join(name), text).expect("write bindings");
            }
        }
        let (want, have) = (read_tree(fresh.path()), read_tree(&committed));
        assert!(want.contains_key("ipc.ts"), "{:?}", want.keys());
        for (name, text) in &want {
            assert!(
                have.get(name) == Some(text),
                "ui/src/bindings/{name} is stale: run RINGSCOPE_UPDATE_BINDINGS=1 cargo test --workspace -p ringscope-app bindings"
            );
        }
        let extra: Vec<&String> = have.keys().filter(|k| !want.contains_key(*k)).collect();
        assert!(
            extra.is_empty(),
            "ui/src/bindings has files no Rust type produces: {extra:?}"
        );
    }
}
