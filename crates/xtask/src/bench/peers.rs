//! The tools analysts use instead, installed by the benchmark itself: DuckDB, pandas, igraph and networkx into a
//! Python venv, and the Debian `sqlite3` shell.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

const PIP_PACKAGES: [&str; 4] = ["duckdb", "pandas", "igraph", "networkx"];

pub struct Peers {
    pub python: PathBuf,
    pub scripts: PathBuf,
    pub versions: serde_json::Value,
}

fn ok(cmd: &mut Command) -> anyhow::Result<bool> {
    Ok(cmd
        .status()
        .with_context(|| format!("running {cmd:?}"))?
        .success())
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null")])
        .status()
        .is_ok_and(|s| s.success())
}

/// apt-get (through sudo unless root) for the system tools the suite runs.
fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    eprintln!("installing {packages:?} with apt-get");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let mut cmd = Command::new(if root { "apt-get" } else { "sudo" });
    if !root {
        cmd.arg("apt-get");
    }
    if !ok(cmd
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages))?
    {
        bail!("apt-get install {packages:?} failed");
    }
    Ok(())
}

pub fn ensure(work: &Path) -> anyhow::Result<Peers> {
    let mut missing = vec![];
    if !have("sqlite3") {
        missing.push("sqlite3");
    }
    if !Path::new("/usr/bin/time").exists() {
        missing.push("time");
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    let venv = work.join("venv");
    let python = venv.join("bin/python");
    let stamp = venv.join(".ringscope-peers");
    if !stamp.exists() {
        eprintln!("installing {PIP_PACKAGES:?} into {}", venv.display());
        if !python.exists() && !ok(Command::new("python3").args(["-m", "venv"]).arg(&venv))? {
            bail!("python3 -m venv failed (apt install python3-venv)");
        }
        if !ok(Command::new(&python)
            .args(["-m", "pip", "install", "--quiet"])
            .args(PIP_PACKAGES))?
        {
            bail!("pip install {PIP_PACKAGES:?} failed");
        }
        std::fs::write(&stamp, "")?;
    }
    let out = Command::new(&python)
        .args([
            "-c",
            "import json, importlib.metadata as m, sys; print(json.dumps({p: m.version(p) for p in sys.argv[1:]}))",
        ])
        .args(PIP_PACKAGES)
        .output()?;
    let mut versions: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("reading the peers' versions from the venv")?;
    let sqlite = Command::new("sqlite3").arg("--version").output()?;
    versions["sqlite3"] = String::from_utf8_lossy(&sqlite.stdout)
        .split_whitespace()
        .next()
        .unwrap_or("?")
        .into();
    Ok(Peers {
        python,
        scripts: Path::new(env!("CARGO_MANIFEST_DIR")).join("peers"),
        versions,
    })
}
