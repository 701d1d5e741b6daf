//! The reports on the command line: `dulae export`, `dulae stats`, `dulae terms`.

use super::{Requester, export_audited, stats_audited};
use crate::config::Config;
use crate::domain::Term;
use crate::l10n::Localizer;
use crate::l10n::thai_date::{format_short_th, parse_date};
use crate::store::{Store, terms};
use anyhow::Context as _;
use clap::Subcommand;
use std::path::Path;

#[derive(Subcommand, Debug)]
pub enum TermsCommand {
    /// Record a term's dates (either era): `dulae terms set 2/2569 --from 1/11/2569 --to 31/3/2570`.
    Set {
        term: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// The recorded terms, and the term today falls in.
    List,
}

fn parse_term(text: &str) -> anyhow::Result<Term> {
    Term::parse(text).with_context(|| format!("{text:?} is not a term; write it like 2/2569"))
}

fn bangkok_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&crate::l10n::thai_date::bangkok()).date_naive()
}

pub fn export(
    config: &Config,
    store: &Store,
    out: &Path,
    term: Option<&str>,
    overwrite: crate::private_file::Overwrite,
) -> anyhow::Result<()> {
    let term = term.map(parse_term).transpose()?;
    // Refused before the work (and the audit row) when the file exists and --force was not given.
    if overwrite == crate::private_file::Overwrite::Refuse && out.exists() {
        let args = crate::l10n::Args::new().str("file", out.display().to_string());
        anyhow::bail!(crate::l10n::messages::shared()?.tr(config.default_lang).with("ops-file-exists", args));
    }
    let forms = crate::forms::load_forms(config.forms_dir.as_deref()).map_err(crate::app::FormsRefused)?;
    let Some((stats, bytes)) =
        export_audited(store, &forms, Requester::Cli, term, chrono::Utc::now(), bangkok_today())?
    else {
        anyhow::bail!("nothing to export");
    };
    crate::private_file::write_private(out, &bytes, overwrite).context("use --force to replace it")?;
    let args = crate::l10n::Args::new()
        .str("file", out.display().to_string())
        .str("term", stats.term.term.to_string())
        .num("classes", stats.classes.len() as i64)
        .num("students", stats.total.students);
    println!("{}", crate::l10n::messages::shared()?.tr(config.default_lang).with("ops-export-written", args));
    Ok(())
}

pub fn stats(config: &Config, store: &Store, term: Option<&str>) -> anyhow::Result<()> {
    let term = term.map(parse_term).transpose()?;
    let Some((stats, _)) = stats_audited(store, Requester::Cli, term, chrono::Utc::now(), bangkok_today())? else {
        anyhow::bail!("no statistics");
    };
    let l10n = Localizer::load()?;
    for message in super::text::stats_messages(&stats, l10n.tr(config.default_lang)) {
        println!("{message}\n");
    }
    Ok(())
}

pub fn terms(store: &Store, command: TermsCommand) -> anyhow::Result<()> {
    match command {
        TermsCommand::Set { term, from, to } => {
            let term = parse_term(&term)?;
            let starts_on = parse_date(&from).map_err(|e| anyhow::anyhow!("--from {from:?}: {e}"))?;
            let ends_on = parse_date(&to).map_err(|e| anyhow::anyhow!("--to {to:?}: {e}"))?;
            store.write(|tx| terms::set(tx, term, starts_on, ends_on, chrono::Utc::now()))?;
            println!("term {term}: {} – {}", format_short_th(starts_on), format_short_th(ends_on));
            Ok(())
        }
        TermsCommand::List => {
            let (recorded, current) =
                store.read(|c| Ok((terms::list(c)?, terms::current_dates(c, bangkok_today())?)))?;
            if recorded.is_empty() {
                println!("no terms recorded; the national calendar is used (dulae terms set 2/2569 --from … --to …)");
            }
            for t in &recorded {
                println!("{:<8} {} – {}", t.term.to_string(), format_short_th(t.starts_on), format_short_th(t.ends_on));
            }
            println!(
                "current: {} ({} – {}, {})",
                current.term,
                format_short_th(current.starts_on),
                format_short_th(current.ends_on),
                if current.recorded { "recorded" } else { "national calendar" }
            );
            Ok(())
        }
    }
}
