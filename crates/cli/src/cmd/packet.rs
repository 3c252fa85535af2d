use crate::output::{fail, print_json, shown};
use anyhow::Context as _;
use clap::Args;
use ringscope_api::packet::ExportSpec;
use ringscope_api::{Context, Subjects};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct KeygenArgs {
    /// Where to write the key pair: BASE.key (secret, mode 0600) and BASE.pub.
    #[arg(long, default_value = "ringscope")]
    out: PathBuf,
}

#[derive(Args)]
pub struct ExportArgs {
    case: PathBuf,
    /// The ring to export, or the accounts to export.
    #[command(flatten)]
    subjects: super::RingOrAccounts,
    /// Folder to create the packet folder in.
    #[arg(long)]
    out: PathBuf,
    /// Also write a deterministic .zip of the packet.
    #[arg(long)]
    zip: bool,
    /// Sign with this minisign secret key (see `ringscope keygen`).
    #[arg(long)]
    sign: Option<PathBuf>,
    /// A text file with the investigator's narrative, for the report.
    #[arg(long)]
    narrative: Option<PathBuf>,
    /// legal (everything) or external (emails, phones, IPs and card data masked).
    #[arg(long, default_value = "legal")]
    redact: String,
    /// Export time (RFC 3339); fixing it makes re-exports byte-identical [default: now]. A time before the imports
    /// or decisions the packet records is refused, unless --allow-backdated is given.
    #[arg(long)]
    export_time: Option<String>,
    /// Allow an --export-time before what the packet records (bag-info.txt then says the export was backdated).
    #[arg(long, requires = "export_time")]
    allow_backdated: bool,
    /// Source-Organization in bag-info.txt.
    #[arg(long, default_value = "Trust & Safety")]
    organization: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// A packet folder or its .zip.
    path: PathBuf,
    /// The sender's public key (a .pub file or the RW... string); without it the key in VERIFY.txt is used.
    #[arg(long)]
    pubkey: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn keygen(args: KeygenArgs) -> anyhow::Result<ExitCode> {
    let (secret, public, key) = ringscope_packet::keygen(&args.out)?;
    println!(
        "secret key: {} (mode 0600; keep it private)",
        secret.display()
    );
    println!("public key: {}", public.display());
    println!(
        "public key id: {}  (give this to receivers out of band)",
        ringscope_packet::sign::key_id(&key)
    );
    println!("{}", key.to_base64());
    Ok(ExitCode::SUCCESS)
}

pub fn export(args: ExportArgs, actor: &str) -> anyhow::Result<ExitCode> {
    let profile = ringscope_api::packet::profile(&args.redact)?;
    let export_time = match &args.export_time {
        Some(t) => Some(
            chrono::DateTime::parse_from_rfc3339(t)
                .map_err(|e| {
                    fail(
                        "invalid",
                        format!("--export-time {t:?} is not RFC 3339: {e}"),
                    )
                })?
                .with_timezone(&chrono::Utc),
        ),
        None => None,
    };
    let narrative = match &args.narrative {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?
        }
        None => String::new(),
    };
    let subjects = match args.subjects.ring {
        Some(id) => Subjects::Ring(id),
        None => Subjects::Accounts(args.subjects.accounts),
    };
    let spec = ExportSpec {
        subjects,
        out: args.out,
        zip: args.zip,
        sign_key: args.sign,
        narrative,
        profile,
        export_time,
        allow_backdated: args.allow_backdated,
        organization: args.organization,
    };
    // Steps on stderr for people watching a long export; nothing for scripts.
    let show = !args.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let exported =
        ringscope_api::packet::export(&Context::new(&args.case, actor), spec, &mut |p| {
            if show {
                eprintln!("{}", p.detail);
            }
        })?;
    if args.json {
        print_json(&exported)?;
    } else {
        println!(
            "packet {} written to {}",
            exported.packet_id,
            exported.folder.display()
        );
        if let Some(z) = &exported.zip {
            println!("zip: {}", z.display());
        }
        println!(
            "{} files; tag manifest SHA-256 {}",
            exported.files, exported.tagmanifest_sha256
        );
        match &exported.signed_by {
            Some(id) => println!("signed with key {id}"),
            None => println!("not signed (use --sign KEYFILE)"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let report = ringscope_api::packet::verify(&args.path, args.pubkey.as_deref())?;
    if args.json {
        print_json(&report)?;
    } else {
        use ringscope_packet::verify::Signature;
        match &report.signature {
            Signature::Valid { key_id } => println!("signature: valid, key {key_id}"),
            Signature::ValidPacketKey { key_id } => println!(
                "signature: valid for the key in VERIFY.txt ({key_id}); compare that id with the one the sender gave you"
            ),
            Signature::Invalid => println!("signature: INVALID"),
            Signature::Missing => println!("signature: none"),
        }
        println!("{} file hashes checked", report.files_checked);
        for p in &report.problems {
            let file = if p.file.is_empty() {
                String::new()
            } else {
                format!("{}: ", shown(&p.file))
            };
            println!("PROBLEM {file}{}", shown(&p.message));
        }
        println!(
            "{}",
            match (report.ok, &report.signature) {
                (false, _) => "packet FAILED verification",
                (true, Signature::Missing) => {
                    "packet is complete and consistent, but NOT SIGNED: anyone could have made it; ask the sender for a signed copy"
                }
                (true, _) => "packet verified: complete and unaltered",
            }
        );
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
