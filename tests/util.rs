//! Small helpers shared by the integration tests.

use ringscope_model::RecordKind;
use ringscope_store::{Case, CaseCounts, SourceFile};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

pub fn sample(name: &str) -> PathBuf {
    fixtures().join("sample").join(name)
}

pub fn bad(name: &str) -> PathBuf {
    fixtures().join("bad").join(name)
}

pub fn ringscope_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ringscope"));
    cmd.env("RINGSCOPE_ACTOR", "tester");
    cmd
}

/// The outcome of one `ringscope` run.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn fails(self) -> Run {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn ringscope<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let Output {
        status,
        stdout,
        stderr,
    } = ringscope_command()
        .args(args)
        .output()
        .expect("ringscope runs");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into(),
        stderr: String::from_utf8_lossy(&stderr).into(),
    }
}

/// A temporary folder with a fresh case file in it.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub case: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let case = dir.path().join("case.ringscope");
        ringscope([
            OsStr::new("case"),
            "init".as_ref(),
            case.as_os_str(),
            "--title".as_ref(),
            "Test case".as_ref(),
            "--reference".as_ref(),
            "ZD-4711".as_ref(),
        ])
        .ok();
        Sandbox { dir, case }
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write test file");
        path
    }

    /// `ringscope import CASE <args...>`
    pub fn import<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut all: Vec<std::ffi::OsString> = vec!["import".into(), self.case.clone().into()];
        all.extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        ringscope(all)
    }

    pub fn open(&self) -> Case {
        Case::open(&self.case).expect("case opens")
    }

    /// Everything an import could change, to compare before and after.
    pub fn state(&self) -> (CaseCounts, Vec<SourceFile>) {
        let case = self.open();
        (case.counts().unwrap(), case.sources().unwrap())
    }

    /// A value of a record's original row (read back from the file's bytes the case keeps); events by row id.
    pub fn original(&self, kind: RecordKind, key: &str, column: &str) -> String {
        let p = self.open().provenance(kind, key).unwrap().expect("record");
        p.raw[column].as_str().expect("a text value").to_string()
    }

    pub fn query_string(&self, sql: &str) -> Option<String> {
        self.open()
            .connection_for_tests()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    }
}

/// A fresh case with the whole sample imported (the vendor log through its mapping).
pub fn sample_case() -> Sandbox {
    let s = Sandbox::new();
    s.import([
        sample("accounts.csv").as_os_str(),
        sample("payments.csv").as_os_str(),
        sample("logins.csv").as_os_str(),
        "--mapping".as_ref(),
        sample("logins.mapping.toml").as_os_str(),
    ])
    .ok();
    s
}
