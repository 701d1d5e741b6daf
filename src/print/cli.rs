//! `dulae print …` and `dulae templates check [DIR]`: the documents on the command line (the whole school's
//! view, as every command here), written as private files (0600) that are never replaced without `--force`.

use super::make::{self, Context, Request, Who};
use super::{TemplateSet, data::Period};
use crate::care::cases::CaseId;
use crate::config::Config;
use crate::domain::{ClassName, Term};
use crate::private_file::{self, Overwrite};
use crate::store::Store;
use crate::store::students;
use anyhow::Context as _;
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

fn parse_term(text: &str) -> anyhow::Result<Term> {
    Term::parse(text).with_context(|| format!("{text:?} is not a term; write it like 2/2569"))
}

/// The templates in use (the school's folder over the shipped ones), every problem listed when broken.
pub fn load_templates(config: &Config) -> anyhow::Result<TemplateSet> {
    TemplateSet::load(config.templates_dir.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The logo file's bytes, if one is configured (a missing file is an error: the school meant to have it).
pub fn load_logo(config: &Config) -> anyhow::Result<Option<Vec<u8>>> {
    config
        .school_logo
        .as_ref()
        .map(|path| std::fs::read(path).with_context(|| format!("DULAE_SCHOOL_LOGO: cannot read {}", path.display())))
        .transpose()
}

/// Start-up: the templates load and typeset with sample data, or the bot does not start.
pub fn check_at_startup(config: &Config) -> anyhow::Result<TemplateSet> {
    let set = load_templates(config)?;
    if let Err(errors) = super::templates::check(&set) {
        let lines: Vec<String> = errors.iter().flat_map(|e| e.problems.clone()).collect();
        anyhow::bail!("print templates have problems (fix them or unset DULAE_TEMPLATES_DIR):\n{}", lines.join("\n"));
    }
    Ok(set)
}

pub fn templates(config: &Config, command: TemplatesCommand) -> anyhow::Result<()> {
    let TemplatesCommand::Check { dir } = command;
    let dir = dir.or_else(|| config.templates_dir.clone());
    let set = TemplateSet::load(dir.as_deref()).map_err(|e| anyhow::anyhow!("{e}"))?;
    for name in set.overridden() {
        println!("school's copy: {name}");
    }
    match super::templates::check(&set) {
        Ok(checked) => {
            for name in checked {
                println!("ok: {name}");
            }
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                for line in &e.problems {
                    eprintln!("{line}");
                }
            }
            anyhow::bail!("{} template(s) with problems", errors.len())
        }
    }
}

fn write(out: &Output, default_name: &str, pdf: &[u8]) -> anyhow::Result<PathBuf> {
    let path = out.out.clone().unwrap_or_else(|| PathBuf::from(default_name));
    let mode = if out.force { Overwrite::Replace } else { Overwrite::Refuse };
    private_file::write_private(&path, pdf, mode).map_err(|e| {
        match e.downcast_ref::<private_file::AlreadyExists>() {
            Some(exists) => anyhow::anyhow!("{exists}; add --force to replace it"),
            None => e,
        }
    })?;
    Ok(path)
}

fn find_class(store: &Store, raw: &str) -> anyhow::Result<(ClassName, students::ClassId)> {
    let class = ClassName::parse(raw).map_err(|e| anyhow::anyhow!("--class {raw:?}: {e}"))?;
    let Some(id) = store.read(|c| students::find_class(c, &class))? else {
        anyhow::bail!("class {class} has no students; import the roster first");
    };
    Ok((class, id))
}

pub fn print(config: &Config, command: PrintCommand) -> anyhow::Result<()> {
    let store = Store::open(&config.db_path)?;
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
            return slips(&store, config, &ctx, &templates, &class, per_student, &output);
        }
        PrintCommand::Screening { class, term, output } => {
            let (_, id) = find_class(&store, &class)?;
            (Request::Screening { class: id, term: term.as_deref().map(parse_term).transpose()? }, output)
        }
        PrintCommand::Visit { student, output } => {
            let Some(pupil) = store.read(|c| students::find_student_by_code(c, student.trim()))? else {
                anyhow::bail!("no student with code {student:?}");
            };
            (Request::Visit { student: pupil.id }, output)
        }
        PrintCommand::Referral { case, output } => (Request::Referral { case: CaseId(case) }, output),
        PrintCommand::Plan { case, output } => (Request::Plan { case: CaseId(case) }, output),
        PrintCommand::Report { term, year, output } => {
            let period = match (term, year) {
                (_, Some(year)) => Period::Year(year),
                (Some(term), None) => Period::Term(parse_term(&term)?),
                (None, None) => Period::Term(store.read(|c| crate::store::terms::current(c, ctx.today))?),
            };
            (Request::Report(period), output)
        }
    };
    let printed = store.read(|c| make::make(c, &ctx, &templates, Who::Cli, request).map_err(anyhow::Error::from))?;
    let path = write(&output, &printed.file_name, &printed.pdf)?;
    store.write(|tx| make::audit(tx, Who::Cli, request, chrono::Utc::now()))?;
    println!("wrote {} ({}, {} KB)", path.display(), printed.title, printed.pdf.len().div_ceil(1024));
    Ok(())
}

fn slips(
    store: &Store,
    config: &Config,
    ctx: &Context<'_>,
    templates: &TemplateSet,
    class: &str,
    per_student: u8,
    output: &Output,
) -> anyhow::Result<()> {
    let (class, class_id) = find_class(store, class)?;
    let default_name = make::safe_name(&format!("ใบเชิญผู้ปกครอง-{class}.pdf"));
    let path = output.out.clone().unwrap_or_else(|| PathBuf::from(&default_name));
    // Refuse before making invites that would then be lost.
    if !output.force && Path::new(&path).exists() {
        anyhow::bail!("{} already exists; add --force to replace it", path.display());
    }
    let request = make::SlipsRequest {
        class: class_id,
        places: per_student.min(config.parents_per_student),
        days: config.parent_invite_days,
        bot_username: config.bot_username.as_deref(),
    };
    let now = chrono::Utc::now();
    let Some(slips) =
        store.write(|tx| make::prepare_slips(tx, ctx, Who::Cli, request, now).map_err(anyhow::Error::from))?
    else {
        println!("every student of {class} has all their parents in the bot: no slips to print");
        return Ok(());
    };
    let count = slips.count;
    let printed = slips.prepared.render(templates).map_err(|e| anyhow::anyhow!("{e}"))?;
    let path = write(&Output { out: Some(path), force: output.force }, &default_name, &printed.pdf)?;
    println!("wrote {count} slips for {class} to {} — print on A4 and cut; each link works once", path.display());
    if config.bot_username.is_none() {
        eprintln!("note: no bot username known (DULAE_BOT_USERNAME): the QR codes hold `/start <code>` lines");
    }
    Ok(())
}
