//! `dulae print …` and `dulae templates check [DIR]`: the documents on the command line (the whole school's
//! view, as every command here), written as private files (0600) that are never replaced without `--force`.
//! What the commands say comes from the locale files (`locales/*/print.ftl`), in `DULAE_LANG`.

use super::make::{self, Context, PrintError, Request, Who};
use super::{TemplateSet, data::Period};
use crate::care::cases::CaseId;
use crate::config::Config;
use crate::domain::{ClassName, Term};
use crate::l10n::{Args as Fl, Tr};
use crate::private_file::{self, Overwrite};
use crate::store::Store;
use crate::store::students;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

#[derive(Args, Debug, Clone)]
pub struct Output {
    /// The PDF file to write (default: a name after the document in the current folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand, Debug)]
pub enum PrintCommand {
    /// แบบสรุปผลการคัดกรองนักเรียน รายห้อง: dulae print screening --class ป.4/1 [--term 2/2569] --out FILE.pdf
    Screening {
        #[arg(long)]
        class: String,
        #[arg(long)]
        term: Option<String>,
        #[command(flatten)]
        output: Output,
    },
    /// แบบบันทึกการเยี่ยมบ้าน (the latest visit): dulae print visit --student 10001
    Visit {
        /// The school's student code (เลขประจำตัวนักเรียน).
        #[arg(long)]
        student: String,
        #[command(flatten)]
        output: Output,
    },
    /// แบบส่งต่อนักเรียน, with แบบตอบกลับ when the case has an outcome: dulae print referral --case 7
    Referral {
        #[arg(long)]
        case: i64,
        #[command(flatten)]
        output: Output,
    },
    /// แผนการช่วยเหลือนักเรียนรายบุคคล: dulae print plan --case 7
    Plan {
        #[arg(long)]
        case: i64,
        #[command(flatten)]
        output: Output,
    },
    /// รายงานผลการดำเนินงาน: dulae print report --term 2/2569, or --year 2569 (default: the current term)
    Report {
        #[arg(long, conflicts_with = "year")]
        term: Option<String>,
        /// The school year in the Buddhist Era, e.g. 2569.
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        output: Output,
    },
    /// ใบเชิญผู้ปกครอง as PDF (new single-use invite links): dulae print slips --class ป.4/1
    Slips {
        #[arg(long)]
        class: String,
        #[arg(long, default_value_t = 2)]
        per_student: u8,
        #[command(flatten)]
        output: Output,
    },
}

#[derive(Subcommand, Debug)]
pub enum TemplatesCommand {
    /// Typeset every document with sample data; exits non-zero and names the file, line and problem.
    /// Example: dulae templates check /etc/dulae/templates
    Check { dir: Option<PathBuf> },
}

fn bangkok_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&crate::l10n::thai_date::bangkok()).date_naive()
}

/// The command line's messages, in `DULAE_LANG`.
fn messages(config: &Config) -> anyhow::Result<Tr<'static>> {
    Ok(crate::l10n::messages::shared()?.tr(config.default_lang))
}

fn parse_term(tr: Tr<'_>, text: &str) -> anyhow::Result<Term> {
    Term::parse(text).ok_or_else(|| anyhow::anyhow!(tr.with("print-cli-bad-term", Fl::new().str("text", text))))
}

/// The templates in use (the school's folder over the shipped ones), every problem listed when broken.
pub fn load_templates(config: &Config) -> anyhow::Result<TemplateSet> {
    TemplateSet::load(config.templates_dir.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The logo file's bytes, if one is configured (a missing file is an error: the school meant to have it).
pub fn load_logo(config: &Config) -> anyhow::Result<Option<Vec<u8>>> {
    let Some(path) = config.school_logo.as_ref() else { return Ok(None) };
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) => {
            let message =
                messages(config)?.with("print-cli-logo-unreadable", Fl::new().str("file", path.display().to_string()));
            Err(anyhow::Error::new(e).context(message))
        }
    }
}

/// Start-up: the templates load and typeset with sample data, or the bot does not start.
pub fn check_at_startup(config: &Config) -> anyhow::Result<TemplateSet> {
    let set = load_templates(config)?;
    if let Err(errors) = super::templates::check(&set) {
        let lines: Vec<String> = errors.iter().flat_map(|e| e.problems.clone()).collect();
        anyhow::bail!("{}\n{}", messages(config)?.get("print-cli-templates-broken"), lines.join("\n"));
    }
    Ok(set)
}

pub fn templates(config: &Config, command: TemplatesCommand) -> anyhow::Result<()> {
    let tr = messages(config)?;
    let TemplatesCommand::Check { dir } = command;
    let dir = dir.or_else(|| config.templates_dir.clone());
    let set = TemplateSet::load(dir.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    for name in set.overridden() {
        println!("{}", tr.with("print-cli-school-copy", Fl::new().str("name", name)));
    }
    match super::templates::check(&set) {
        Ok(checked) => {
            for name in checked {
                println!("{}", tr.with("print-cli-template-ok", Fl::new().str("name", name)));
            }
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                for line in &e.problems {
                    eprintln!("{line}");
                }
            }
            anyhow::bail!(tr.with("print-cli-templates-failed", Fl::new().num("count", errors.len() as i64)))
        }
    }
}

/// The file to write: `--out`, or a name after the document in the current folder.
fn target(out: &Output, default_name: &str) -> PathBuf {
    out.out.clone().unwrap_or_else(|| PathBuf::from(default_name))
}

/// Refuse an existing file unless `--force` (checked before anything is made, so nothing is made in vain).
fn refuse_existing(tr: Tr<'_>, out: &Output, path: &Path) -> anyhow::Result<()> {
    if !out.force && path.exists() {
        anyhow::bail!(tr.with("ops-file-exists", Fl::new().str("file", path.display().to_string())));
    }
    Ok(())
}

fn write(out: &Output, path: &Path, pdf: &[u8]) -> anyhow::Result<()> {
    let mode = if out.force { Overwrite::Replace } else { Overwrite::Refuse };
    private_file::write_private(path, pdf, mode)
}

fn find_class(tr: Tr<'_>, store: &Store, raw: &str) -> anyhow::Result<(ClassName, students::ClassId)> {
    let class = ClassName::parse(raw).map_err(|e| {
        anyhow::anyhow!(tr.with("ops-bad-class", Fl::new().str("class", raw).str("problem", e.to_string())))
    })?;
    let Some(id) = store.read(|c| students::find_class(c, &class))? else {
        anyhow::bail!(tr.with("print-cli-no-class", Fl::new().str("class", class.to_string())));
    };
    Ok((class, id))
}

/// A document that could not be made, said in the command line's language.
fn explain(tr: Tr<'_>, e: PrintError) -> anyhow::Error {
    match e {
        PrintError::NotFound(missing) => anyhow::anyhow!(tr.with(missing.message_id(), missing.args())),
        PrintError::NotAllowed => anyhow::anyhow!(tr.get("print-not-allowed")),
        PrintError::Template(e) => anyhow::anyhow!("{}\n{e}", tr.get("print-cli-templates-broken")),
        PrintError::Other(e) => e,
    }
}

/// `dulae print …` on the school's database (opened by the caller as every command opens it: named on the first
/// line, never created empty).
pub fn print(config: &Config, store: &Store, command: PrintCommand) -> anyhow::Result<()> {
    let tr = messages(config)?;
    let forms = crate::forms::load_forms(config.forms_dir.as_deref()).map_err(crate::app::FormsRefused)?;
    let templates = load_templates(config)?;
    let l10n = crate::l10n::Localizer::load()?;
    let logo = load_logo(config)?;
    let ctx = Context {
        forms: &forms,
        l10n: &l10n,
        school_name: &config.school_name,
        logo: logo.as_deref(),
        today: bangkok_today(),
    };
    let (request, output) = match command {
        PrintCommand::Slips { class, per_student, output } => {
            return slips(tr, store, config, &ctx, &templates, &class, per_student, &output);
        }
        PrintCommand::Screening { class, term, output } => {
            let (_, id) = find_class(tr, store, &class)?;
            let term = term.as_deref().map(|t| parse_term(tr, t)).transpose()?;
            (Request::Screening { class: id, term }, output)
        }
        PrintCommand::Visit { student, output } => {
            let Some(pupil) = store.read(|c| students::find_student_by_code(c, student.trim()))? else {
                anyhow::bail!(tr.with("print-cli-no-student", Fl::new().str("code", student.trim())));
            };
            (Request::Visit { student: pupil.id }, output)
        }
        PrintCommand::Referral { case, output } => (Request::Referral { case: CaseId(case) }, output),
        PrintCommand::Plan { case, output } => (Request::Plan { case: CaseId(case) }, output),
        PrintCommand::Report { term, year, output } => {
            let period = match (term, year) {
                (_, Some(year)) => Period::Year(year),
                (Some(term), None) => Period::Term(parse_term(tr, &term)?),
                (None, None) => Period::Term(store.read(|c| crate::store::terms::current(c, ctx.today))?),
            };
            (Request::Report(period), output)
        }
    };
    if let Some(out) = &output.out {
        refuse_existing(tr, &output, out)?;
    }
    let prepared = store.read(|c| Ok(make::prepare(c, &ctx, Who::Cli, request)))?.map_err(|e| explain(tr, e))?;
    let printed = prepared.render(&templates).map_err(|e| explain(tr, e.into()))?;
    let path = target(&output, &printed.file_name);
    refuse_existing(tr, &output, &path)?;
    write(&output, &path, &printed.pdf)?;
    store.write(|tx| make::audit(tx, Who::Cli, request, chrono::Utc::now()))?;
    let args = Fl::new()
        .str("file", path.display().to_string())
        .str("title", printed.title)
        .num("kb", printed.pdf.len().div_ceil(1024) as i64);
    println!("{}", tr.with("print-cli-written", args));
    Ok(())
}

#[allow(clippy::too_many_arguments)] // the command's own inputs, each used once
fn slips(
    tr: Tr<'_>,
    store: &Store,
    config: &Config,
    ctx: &Context<'_>,
    templates: &TemplateSet,
    class: &str,
    per_student: u8,
    output: &Output,
) -> anyhow::Result<()> {
    let (class, class_id) = find_class(tr, store, class)?;
    let path = target(output, &make::safe_name(&format!("ใบเชิญผู้ปกครอง-{class}.pdf")));
    // Refuse before making invites that would then be lost.
    refuse_existing(tr, output, &path)?;
    let request = make::SlipsRequest {
        class: class_id,
        places: per_student.min(config.parents_per_student),
        days: config.parent_invite_days,
        bot_username: config.bot_username.as_deref(),
    };
    let now = chrono::Utc::now();
    let Some(slips) =
        store.write(|tx| Ok(make::prepare_slips(tx, ctx, Who::Cli, request, now)))?.map_err(|e| explain(tr, e))?
    else {
        println!("{}", tr.with("slips-all-joined", Fl::new().str("class", class.to_string())));
        return Ok(());
    };
    let count = slips.count;
    let printed = slips.prepared.render(templates).map_err(|e| explain(tr, e.into()))?;
    write(output, &path, &printed.pdf)?;
    let args =
        Fl::new().num("count", count as i64).str("class", class.to_string()).str("file", path.display().to_string());
    println!("{}", tr.with("print-cli-slips-written", args));
    if config.bot_username.is_none() {
        eprintln!("{}", tr.get("ops-invite-no-username"));
    }
    Ok(())
}
