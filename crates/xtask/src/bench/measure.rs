//! One measured step: a shell command run under `/usr/bin/time`, which reports wall time, CPU time (user + system,
//! children included) and peak resident memory.

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Sample {
    pub wall_s: f64,
    pub cpu_s: f64,
    pub rss_mb: f64,
}

/// Runs `script` with `sh -c` in `dir`; its stdout is returned (and kept in `dir/<name>.out`).
pub fn run(name: &str, script: &str, dir: &Path) -> anyhow::Result<(Sample, String)> {
    std::fs::create_dir_all(dir)?;
    let times = dir.join(format!("{name}.time"));
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %U %S %M")
        .arg("-o")
        .arg(&times)
        .args(["sh", "-c", script])
        .current_dir(dir)
        .output()
        .with_context(|| format!("running {name} under /usr/bin/time (apt install time)"))?;
    std::fs::write(dir.join(format!("{name}.out")), &out.stdout)?;
    if !out.status.success() {
        bail!(
            "{name} failed ({}): {}\n  command: {script}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let text = std::fs::read_to_string(&times)?;
    // time(1) may prefix lines such as "Command exited with non-zero status"; the figures are the last line.
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}: {text:?}", times.display()))?;
    let [wall_s, user, system, rss_kb] = fields[..] else {
        bail!("unexpected /usr/bin/time output for {name}: {text:?}");
    };
    Ok((
        Sample {
            wall_s,
            cpu_s: user + system,
            rss_mb: rss_kb / 1024.0,
        },
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

pub fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Single-quotes a path for `sh -c`.
pub fn sh_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(vec![]).is_nan());
    }

    #[test]
    fn measures_a_command_and_reports_failures() {
        let dir = tempfile::tempdir().unwrap();
        let (sample, out) = run("echo", "echo hi", dir.path()).unwrap();
        assert_eq!(out, "hi\n");
        assert!(sample.wall_s >= 0.0 && sample.rss_mb > 0.0);
        let err = run("fails", "echo oops >&2; exit 3", dir.path()).unwrap_err();
        assert!(err.to_string().contains("oops"), "{err}");
        assert_eq!(sh_quote(Path::new("/a b/it's")), r"'/a b/it'\''s'");
    }
}
