//! The command line: running the bot and the admin's tasks (roster, invites, users, backups).

use crate::app::App;
use crate::config::{Config, MISSING_TOKEN_HELP};
use crate::domain::refusal::Refusal as _;
use crate::domain::{ClassName, Role};
use crate::invites::{self, StaffInvite};
use crate::l10n::{Args, Localizer, Tr};
use crate::private_file::{Overwrite, write_private};
use crate::roster;
use crate::store::audit::Actor;
use crate::store::{self, Store, students, users};
use anyhow::Context as _;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "dulae",
    version,
    about = "Dulae (ดูแล): the school's Student Care and Support System as a Telegram bot",
    after_help = "Examples:\n  dulae                                   run the bot (reads .env)\n  dulae import students roster.csv        import the roster (UTF-8 CSV, Excel's BOM is fine)\n  dulae invite teacher --class ป.4/1 --name \"ครูสมศรี ใจดี\"\n  dulae invite counselor\n  dulae users\n  dulae revoke @somsri\n  dulae backup backups/dulae-2569-11-24.db"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the bot (long polling). The default when no command is given.
    Run,
    /// Import data from the school's spreadsheets.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Create an invite link for a member of staff (single use, expires).
    Invite {
        #[command(subcommand)]
        kind: InviteKind,
    },
    /// List the people who use the bot and their roles.
    Users,
    /// Remove a person's access at once: `dulae revoke 12`, `dulae revoke @username`, `dulae revoke tg:123456`.
    /// The same as `dulae staff revoke`.
    Revoke { user: String },
    /// Staff changes: `dulae staff list`, `staff assign WHO --class ป.5/1`, `staff unassign WHO [--class K]`,
    /// `staff revoke WHO`, `staff reinstate WHO` (WHO: a users id, @username or tg:<telegram id>).
    #[command(subcommand)]
    Staff(crate::staff::cli::StaffCommand),
    /// The school year (ปีการศึกษา): `dulae year start 2570 --roster roster.csv [--check] [--yes]`, `dulae year list`.
    #[command(subcommand)]
    Year(crate::year::cli::YearCommand),
    /// Apply database migrations and print the schema version.
    Migrate,
    /// Copy the live database to FILE while the bot runs (SQLite online backup). The running bot also makes one
    /// every day by itself in DULAE_BACKUP_DIR.
    Backup { file: PathBuf },
    /// Put a backup back in place of the database (the bot must be stopped). The current database is kept as
    /// `<name>.before-restore`. Example: dulae restore backups/dulae-daily-2026-11-24.db
    Restore {
        file: PathBuf,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Check that everything the bot needs is in order (token, network, database, folders, backups, clock).
    /// Exits non-zero when something needs attention.
    Doctor,
    /// Requests about one person's data (PDPA): export everything, or erase it.
    #[command(subcommand)]
    Person(crate::ops::pdpa::PersonCommand),
    /// Form files: `dulae forms check [DIR]` validates the shipped forms, or the forms in DIR.
    #[command(subcommand)]
    Forms(FormsCommand),
    /// Try the teacher's side in the terminal with a sample school (no token, no network).
    Demo,
    /// The term's report as an Excel workbook: `dulae export --out report.xlsx [--term 2/2569]`.
    Export {
        #[arg(long)]
        out: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
        /// The term (default: the current one), e.g. 2/2569.
        #[arg(long)]
        term: Option<String>,
    },
    /// The term's statistics, per class and for the school: `dulae stats [--term 2/2569]`.
    Stats {
        #[arg(long)]
        term: Option<String>,
    },
    /// The school's academic terms: `dulae terms set 2/2569 --from 1/11/2569 --to 31/3/2570`, `dulae terms list`.
    #[command(subcommand)]
    Terms(crate::reports::cli::TermsCommand),
    /// Benchmarks that print figures: `dulae bench broadcast` (see BENCHMARKS.md).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Printable documents (PDF): `dulae print screening --class ป.4/1 --out FILE.pdf`, `print visit --student
    /// CODE`, `print referral --case N`, `print plan --case N`, `print report --term 2/2569 | --year 2569`,
    /// `print slips --class ป.4/1`. Files are private (0600); `--force` replaces an existing one.
    #[command(subcommand)]
    Print(crate::print::cli::PrintCommand),
    /// Print templates: `dulae templates check [DIR]` typesets every document with sample data.
    #[command(subcommand)]
    Templates(crate::print::cli::TemplatesCommand),
    /// The school-year tasks the head is reminded of (from the school's procedure): list, add, enable, disable.
    /// Example: dulae tasks add --month 5 --day 10 --title "ประชุมผู้ปกครองต้นปีการศึกษา"
    #[command(subcommand)]
    Tasks(TasksCommand),
    /// Public holidays and school breaks; plan reminders move off them like off a weekend:
    /// `dulae holidays list`, `dulae holidays add 2/1/2570 "วันหยุดพิเศษ"`, `dulae holidays remove 2/1/2570`.
    #[command(subcommand)]
    Holidays(crate::care::holidays::HolidaysCommand),
}

#[derive(Subcommand, Debug)]
pub enum TasksCommand {
    List,
    Add {
        #[arg(long)]
        month: u32,
        #[arg(long, default_value_t = 1)]
        day: u32,
        /// The task in Thai (also used in English when --title-en is not given).
        #[arg(long)]
        title: String,
        #[arg(long)]
        title_en: Option<String>,
    },
    Enable {
        id: i64,
    },
    Disable {
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// A broadcast to many parents against a local fake Bot API with Telegram's limits; then the same with the
    /// sender stopped twice mid-broadcast (SIGTERM, then SIGKILL). Takes a few minutes at 25 messages/s.
    Broadcast {
        #[arg(long, default_value_t = 5000)]
        parents: usize,
        /// How long the fake Bot API takes to answer, in milliseconds.
        #[arg(long, default_value_t = 150)]
        latency_ms: u64,
        /// Run one scenario only: plain, sigterm or sigkill.
        #[arg(long)]
        only: Option<String>,
    },
    /// Printed documents: a 40-student class summary and a school's year report, time and peak memory.
    Print,
    /// Long reads beside the chat: a handler's latency (`/help`, timed every few ms) while the term's export and
    /// the statistics of a 5,000-student school run, the old way (inside the store's lock) and the new way
    /// (a snapshot; the workbook written with no lock held). See BENCHMARKS.md.
    Export {
        #[arg(long, default_value_t = 5000)]
        students: usize,
        /// Rounds of each job, the old and the new way alternating.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// How often the handler is timed, in milliseconds.
        #[arg(long, default_value_t = 5)]
        every_ms: u64,
    },
    /// The outbox sender alone against --api, until SIGTERM (started by `bench broadcast`).
    #[command(hide = true)]
    Sender {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        api: String,
    },
    /// The whole bot against a local fake Bot API that also serves scripted updates: a broadcast (alone and while
    /// parents reply), 100 parents joining in one second, 2,000 within a minute (memory), and the update-handling
    /// benchmark beside a bare teloxide bot. See BENCHMARKS.md.
    Live {
        /// One scenario only: broadcast, replies, start100, join2000 or steps.
        #[arg(long)]
        only: Option<String>,
        #[arg(long, default_value_t = 5000)]
        parents: usize,
        #[arg(long, default_value_t = 150)]
        latency_ms: u64,
        /// Rounds of the update-handling steps (each: every teacher once through each step).
        #[arg(long, default_value_t = 8)]
        rounds: usize,
    },
    /// The whole bot on --db against --api, until SIGTERM (started by `bench live`).
    #[command(hide = true)]
    Bot {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        api: String,
        /// Update workers: 0 = one per chat (teloxide's default).
        #[arg(long, default_value_t = 64)]
        workers: u64,
        /// No pacing (the update-handling benchmark).
        #[arg(long)]
        unpaced: bool,
    },
    /// A bare teloxide bot against --api, until SIGTERM (started by `bench live`).
    #[command(hide = true)]
    Bare {
        #[arg(long)]
        api: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum FormsCommand {
    /// Check form files; exits non-zero and names the file, the question and the problem.
    /// Example: dulae forms check /etc/dulae/forms
    Check { dir: Option<PathBuf> },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Students from a CSV: student_id, prefix, first_name, last_name, class [, nickname, gender, birth_date,
    /// parent_name, parent_phone]. Example: dulae import students ป4-1.csv
    Students {
        file: PathBuf,
        /// Archive active students of the imported classes who are missing from this file.
        #[arg(long)]
        archive_missing: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum InviteKind {
    /// The school's administrator (imports the roster, invites staff).
    Admin {
        #[arg(long)]
        name: Option<String>,
    },
    /// The head of student affairs (หัวหน้างานกิจการนักเรียน).
    Head {
        #[arg(long)]
        name: Option<String>,
    },
    /// The counsellor (ครูแนะแนว).
    #[command(alias = "counsellor")]
    Counselor {
        #[arg(long)]
        name: Option<String>,
    },
    /// A homeroom teacher (ครูที่ปรึกษา) of one or more classes: --class ป.4/1 --class ป.4/2
    Teacher {
        #[arg(long = "class", required = true)]
        classes: Vec<String>,
        #[arg(long)]
        name: Option<String>,
    },
    /// Parent links for the free parent places of every student of a class (DULAE_PARENTS_PER_STUDENT, two by
    /// default, less the parents who have joined). Running it again voids the unused links and makes new ones.
    Parents {
        #[arg(long = "class")]
        class: String,
        /// Fewer places than DULAE_PARENTS_PER_STUDENT for this printing (never more).
        #[arg(long)]
        per_student: Option<u8>,
        /// Write the links to a file: `--out links.csv` (a spreadsheet, opens in Excel) or `--out slips.html`
        /// (an A4 page of printable slips with QR codes).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// How a command uses the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// `import`, `migrate` and `run` may start a new, empty database.
    MayCreate,
    /// Every other command works on the school's existing database and refuses to make an empty one.
    MustExist,
}

/// The messages of the command line, in `DULAE_LANG` (Thai by default). Loaded once.
pub fn l10n() -> anyhow::Result<&'static Localizer> {
    Ok(crate::l10n::messages::shared()?)
}

/// Open the database for a command. Every command goes through here, so each one names the database it works
/// on (its absolute path, on the first line) and none quietly creates a second, empty one somewhere else.
pub fn open_store(config: &Config, opening: Opening) -> anyhow::Result<Store> {
    let tr = l10n()?.tr(config.default_lang);
    let path = announce_database(config)?;
    if opening == Opening::MustExist && !config.db_path.is_file() {
        let hint = tr.with("ops-no-database", Args::new().str("path", path));
        return Err(crate::bot::startup::ConfigurationError(hint).into());
    }
    Store::open(&config.db_path)
}

/// Print the database's absolute path (the first line of every command) and return it as shown.
pub fn announce_database(config: &Config) -> anyhow::Result<String> {
    let path = config.db_path.display().to_string();
    println!("{}", l10n()?.tr(config.default_lang).with("ops-database-line", Args::new().str("path", path.clone())));
    Ok(path)
}

/// Run the command line. Errors come back as text for `main` to print; nothing here panics.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    run_with(cli, Config::from_env()?).await
}

/// [`run`] with the settings already read (`main` reads them first: `.env` may set `RUST_LOG`).
pub async fn run_with(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Run) {
        Command::Forms(FormsCommand::Check { dir }) => check_forms(dir.as_deref()),
        Command::Demo => tokio::task::block_in_place(|| crate::console::demo::run(&config)),
        Command::Bench(BenchCommand::Broadcast { parents, latency_ms, only }) => {
            crate::bench::broadcast(parents, latency_ms, only).await
        }
        Command::Bench(BenchCommand::Sender { db, api }) => crate::bench::sender(&db, &api).await,
        Command::Bench(BenchCommand::Live { only, parents, latency_ms, rounds }) => {
            crate::bench::live(only, parents, latency_ms, rounds).await
        }
        Command::Bench(BenchCommand::Bot { db, api, workers, unpaced }) => {
            crate::bench::bot_process(&db, &api, workers, unpaced).await
        }
        Command::Bench(BenchCommand::Bare { api }) => crate::bench::bare_bot(&api).await,
        Command::Bench(BenchCommand::Print) => tokio::task::block_in_place(crate::print::bench::run),
        Command::Bench(BenchCommand::Export { students, rounds, every_ms }) => {
            tokio::task::block_in_place(|| crate::bench::export(students, rounds, every_ms))
        }
        Command::Tasks(task) => {
            let store = open_store(&config, Opening::MustExist)?;
            yearly_tasks(&store, task)
        }
        Command::Holidays(command) => {
            let store = Store::open(&config.db_path)?;
            crate::care::holidays::run(&config, &store, command)
        }
        Command::Run => run_bot(config).await,
        Command::Migrate => {
            let store = open_store(&config, Opening::MayCreate)?;
            let tr = l10n()?.tr(config.default_lang);
            println!("{}", tr.with("ops-schema-version", Args::new().num("version", store.schema_version()?)));
            Ok(())
        }
        Command::Import(ImportCommand::Students { file, archive_missing }) => {
            let tr = l10n()?.tr(config.default_lang);
            let store = open_store(&config, Opening::MayCreate)?;
            let shown = file.display().to_string();
            let bytes = std::fs::read(&file)
                .with_context(|| tr.with("ops-cannot-read", Args::new().str("file", shown.clone())))?;
            let report = roster::import(&store, &bytes, archive_missing, Actor::Cli, chrono::Utc::now())
                .map_err(|e| anyhow::anyhow!("{shown}: {}", crate::ops::texts::import_error(tr, &e)))?;
            let args = Args::new()
                .str("file", shown)
                .num("added", report.added as i64)
                .num("updated", report.updated as i64)
                .num("unchanged", report.unchanged as i64)
                .num("archived", report.archived as i64);
            let id = if archive_missing { "ops-imported-archived" } else { "ops-imported" };
            println!("{}", tr.with(id, args));
            Ok(())
        }
        Command::Invite { kind } => invite(config, kind).await,
        Command::Users => {
            let store = open_store(&config, Opening::MustExist)?;
            print_users(&store, l10n()?.tr(config.default_lang))
        }
        Command::Revoke { user } => staff(&config, crate::staff::cli::StaffCommand::Revoke { who: user }),
        Command::Staff(command) => staff(&config, command),
        Command::Year(command) => {
            let store = open_store(&config, Opening::MustExist)?;
            let now = chrono::Utc::now();
            let today = now.with_timezone(&crate::l10n::thai_date::bangkok()).date_naive();
            crate::year::cli::run(&store, l10n()?.tr(config.default_lang), command, now, today)
        }
        // Long reads: on a blocking thread, like the chat's (see `reports::ReportJob`).
        Command::Export { out, term, force } => {
            let store = open_store(&config, Opening::MustExist)?;
            tokio::task::block_in_place(|| {
                crate::reports::cli::export(&config, &store, &out, term.as_deref(), overwrite(force))
            })
        }
        Command::Stats { term } => {
            let store = open_store(&config, Opening::MustExist)?;
            tokio::task::block_in_place(|| crate::reports::cli::stats(&config, &store, term.as_deref()))
        }
        Command::Terms(command) => crate::reports::cli::terms(&open_store(&config, Opening::MustExist)?, command),
        Command::Print(command) => {
            crate::print::cli::print(&config, &open_store(&config, Opening::MustExist)?, command)
        }
        Command::Templates(command) => crate::print::cli::templates(&config, command),
        Command::Backup { file } => {
            // Make sure the database exists and is migrated, then copy it.
            drop(open_store(&config, Opening::MustExist)?);
            store::backup::backup(&config.db_path, &file)?;
            let tr = l10n()?.tr(config.default_lang);
            println!("{}", tr.with("ops-backup-written", Args::new().str("file", file.display().to_string())));
            Ok(())
        }
        Command::Restore { file, yes } => {
            // Not opened: a damaged or lost database is exactly when a restore is needed.
            announce_database(&config)?;
            crate::ops::backups::restore_command(&config, l10n()?.tr(config.default_lang), &file, yes)
        }
        Command::Doctor => {
            let l10n = l10n()?;
            crate::ops::doctor::doctor_command(&config, l10n).await
        }
        Command::Person(command) => {
            let store = open_store(&config, Opening::MustExist)?;
            let forms = crate::forms::load_forms(config.forms_dir.as_deref()).map_err(crate::app::FormsRefused)?;
            crate::ops::pdpa::person_command(&store, &config, &forms, l10n()?.tr(config.default_lang), command)
        }
    }
}

/// `--force` as the private-file rule: without it an existing file is never written over.
fn overwrite(force: bool) -> Overwrite {
    if force { Overwrite::Replace } else { Overwrite::Refuse }
}

/// `dulae staff …` and `dulae revoke`: notifications (hand-overs) are written in each person's language.
fn staff(config: &Config, command: crate::staff::cli::StaffCommand) -> anyhow::Result<()> {
    let store = open_store(config, Opening::MustExist)?;
    let l10n = l10n()?;
    let ctx = crate::care::cases::Ctx { l10n, policy: &config.reminders, now: chrono::Utc::now() };
    crate::staff::cli::run(&store, &ctx, l10n.tr(config.default_lang), command)
}

fn telegram_bot(config: &Config) -> anyhow::Result<Option<teloxide::Bot>> {
    let Some(token) = &config.token else {
        return Ok(None);
    };
    let mut bot = teloxide::Bot::new(token.expose());
    // Checked when the settings were read (`config::Config::from_lookup`).
    if let Some(url) = &config.api_url {
        bot = bot.set_api_url(url.clone());
    }
    Ok(Some(bot))
}

/// The bot's username for deep links: configured, or asked from Telegram (10 s at most).
async fn bot_username(config: &Config, bot: Option<&teloxide::Bot>) -> Option<String> {
    if let Some(name) = &config.bot_username {
        return Some(name.clone());
    }
    use teloxide::requests::Requester;
    let bot = bot?;
    match tokio::time::timeout(std::time::Duration::from_secs(10), bot.get_me()).await {
        Ok(Ok(me)) => me.user.username.clone(),
        Ok(Err(e)) => {
            eprintln!("note: could not ask Telegram for the bot's username ({e}); set DULAE_BOT_USERNAME");
            None
        }
        Err(_) => None,
    }
}

async fn run_bot(config: Config) -> anyhow::Result<()> {
    use crate::bot::startup;
    let Some(bot) = telegram_bot(&config)? else {
        return Err(startup::ConfigurationError(MISSING_TOKEN_HELP.to_string()).into());
    };
    let l10n = l10n()?;
    let store = open_store(&config, Opening::MayCreate)?;
    // Forms, print templates and locales are checked before anything goes to the network: a broken file stops
    // here, clearly.
    crate::print::cli::check_at_startup(&config)?;
    let mut app = App::new(store, config)?;
    // A token that cannot be one (a copy-paste cut short) is refused without asking Telegram.
    if !app.config.token.as_ref().is_some_and(|t| startup::plausible_token(t.expose())) {
        return Err(startup::token_rejected(l10n));
    }
    // While the bot runs, `dulae restore` refuses to put another database under it.
    let _running = crate::ops::backups::RunLock::take(&app.config.db_path)?;
    // Wait for Telegram (growing pauses while the network is down); a rejected token ends here with code 78.
    let never = std::sync::atomic::AtomicBool::new(false);
    let me = startup::wait_for_telegram(&bot, l10n, &never).await?;
    if app.bot_username.is_none() {
        app.bot_username = me.user.username.clone();
    }
    crate::bot::run(Arc::new(app), bot).await
}

async fn invite(config: Config, kind: InviteKind) -> anyhow::Result<()> {
    let store = open_store(&config, Opening::MustExist)?;
    let tr = l10n()?.tr(config.default_lang);
    let bot = telegram_bot(&config)?;
    let username = bot_username(&config, bot.as_ref()).await;
    let now = chrono::Utc::now();
    let staff =
        |role: Role, name: Option<String>, classes: Vec<ClassName>| StaffInvite { role, classes, display_name: name };
    let invite = match kind {
        InviteKind::Admin { name } => staff(Role::Admin, name, vec![]),
        InviteKind::Head { name } => staff(Role::Head, name, vec![]),
        InviteKind::Counselor { name } => staff(Role::Counselor, name, vec![]),
        InviteKind::Teacher { classes, name } => {
            let mut parsed = Vec::new();
            for raw in &classes {
                parsed.push(parse_class(tr, raw)?);
            }
            staff(Role::Teacher, name, parsed)
        }
        InviteKind::Parents { class, per_student, out, force } => {
            let class = parse_class(tr, &class)?;
            let places = match per_student {
                None => config.parents_per_student,
                Some(n) if (1..=config.parents_per_student).contains(&n) => n,
                Some(n) => anyhow::bail!(tr.with(
                    "ops-too-many-places",
                    Args::new().num("asked", i64::from(n)).num("places", i64::from(config.parents_per_student))
                )),
            };
            let links = ParentLinks { username: username.as_deref(), class: &class, places, now };
            return parent_invites(&store, &config, tr, links, out.as_deref(), overwrite(force));
        }
    };
    for class in &invite.classes {
        let known = store.read(|c| students::find_class(c, class))?;
        if known.is_none() {
            eprintln!("{}", tr.with("ops-class-empty-note", Args::new().str("class", class.to_string())));
        }
    }
    let created = match invites::create_staff(&store, Actor::Cli, &invite, config.invite_days, now)? {
        Ok(created) => created,
        // A rule said no (a teacher without a class, a name too long): the admin's mistake, told in Thai.
        Err(refusal) => anyhow::bail!("{}", tr.get(refusal.message_id())),
    };
    let expires = created.expires_at.with_timezone(&crate::l10n::thai_date::bangkok()).date_naive();
    println!("{}", invites::join_instructions(username.as_deref(), &created.code));
    let classes = invite.classes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let args = Args::new()
        .str("role", crate::ops::texts::role_name(tr, invite.role))
        // "none" picks the Fluent variant without a name or classes.
        .str("name", invite.display_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "none".into()))
        .str("classes", if classes.is_empty() { "none".to_string() } else { classes })
        .str("expires", tr.date(expires));
    eprintln!("{}", tr.with("ops-invite-created", args));
    if username.is_none() {
        eprintln!("{}", tr.get("ops-invite-no-username"));
    }
    Ok(())
}

fn parse_class(tr: Tr<'_>, raw: &str) -> anyhow::Result<ClassName> {
    ClassName::parse(raw).map_err(|e| {
        anyhow::anyhow!(tr.with("ops-bad-class", Args::new().str("class", raw).str("problem", e.to_string())))
    })
}

/// What parent links to make.
struct ParentLinks<'a> {
    username: Option<&'a str>,
    class: &'a ClassName,
    /// Parent places per student (`DULAE_PARENTS_PER_STUDENT`, or fewer for this printing).
    places: u8,
    now: chrono::DateTime<chrono::Utc>,
}

/// `dulae invite parents --class ป.4/1 [--out links.csv | --out slips.html]`: one single-use link per free parent
/// place of every student, listed on the screen with the child's name; with `--out`, also a private file (CSV with
/// a BOM for Excel, or the printable A4 slips). The class's earlier unused links stop working. An existing file is
/// written over only with `--force`.
fn parent_invites(
    store: &Store,
    config: &Config,
    tr: Tr<'_>,
    links: ParentLinks<'_>,
    out: Option<&std::path::Path>,
    overwrite: Overwrite,
) -> anyhow::Result<()> {
    use crate::announce::slips;
    let class = links.class;
    let Some(class_id) = store.read(|c| students::find_class(c, class))? else {
        anyhow::bail!(tr.with("ops-class-no-students", Args::new().str("class", class.to_string())));
    };
    enum Kind {
        Csv,
        Html,
    }
    let kind = match out {
        None => None,
        Some(path) => match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => Some(Kind::Csv),
            Some("html" | "htm") => Some(Kind::Html),
            _ => anyhow::bail!(tr.with("ops-out-csv-or-html", Args::new().str("file", path.display().to_string()))),
        },
    };
    // Refuse before any code is made or voided: a file that cannot be written must not cost the old links.
    if let Some(path) = out
        && overwrite == Overwrite::Refuse
        && path.exists()
    {
        anyhow::bail!(tr.with("ops-file-exists", Args::new().str("file", path.display().to_string())));
    }
    let request = slips::SlipRequest {
        class: class_id,
        places: links.places,
        days: config.parent_invite_days,
        bot_username: links.username,
    };
    let made = slips::make_class_slips(store, Actor::Cli, request, links.now)?;
    for slip in &made {
        let args = Args::new()
            .str("code", slip.student_code.clone())
            .str("name", slip.student_name.clone())
            .num("guardian", i64::from(slip.guardian))
            .str("link", slip.link.clone());
        println!("{}", tr.with("ops-parent-link-line", args));
    }
    if let (Some(path), Some(kind)) = (out, kind) {
        let bytes = match kind {
            Kind::Csv => crate::ops::texts::parent_links_csv(tr, &made)?,
            Kind::Html => slips::render_html(&config.school_name, &made)?.into_bytes(),
        };
        write_private(path, &bytes, overwrite)?;
        let args = Args::new()
            .num("count", made.len() as i64)
            .str("class", class.to_string())
            .str("file", path.display().to_string());
        let id = if matches!(kind, Kind::Csv) { "ops-links-written" } else { "ops-slips-written" };
        eprintln!("{}", tr.with(id, args));
    }
    eprintln!("{}", tr.with("ops-earlier-links-void", Args::new().str("class", class.to_string())));
    if links.username.is_none() {
        eprintln!("{}", tr.get("ops-invite-no-username"));
    }
    Ok(())
}

fn print_users(store: &Store, tr: Tr<'_>) -> anyhow::Result<()> {
    let people = store.read(users::list)?;
    if people.is_empty() {
        println!("{}", tr.get("ops-users-none"));
        return Ok(());
    }
    println!("{}", tr.get("ops-users-header"));
    for p in people {
        let (classes, children) = store.read(|c| Ok((users::classes_of(c, p.id)?, users::children_of(c, p.id)?)))?;
        let mut linked: Vec<String> = classes.iter().map(|c| c.name.to_string()).collect();
        linked.extend(children.iter().map(|s| s.full_name()));
        let args = Args::new()
            .num("id", p.id.0)
            .str("role", crate::ops::texts::role_name(tr, p.role))
            .str("name", p.display_name.clone())
            .str("username", p.username.as_deref().map(|u| format!("@{u}")).unwrap_or_else(|| "-".into()))
            .str("linked", if linked.is_empty() { "-".to_string() } else { linked.join(", ") })
            .str("status", tr.get(if p.revoked { "ops-user-revoked" } else { "ops-user-active" }));
        println!("{}", tr.with("ops-user-line", args));
    }
    Ok(())
}

fn check_forms(dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    let result = match dir {
        Some(dir) => crate::forms::check_dir(dir),
        None => crate::forms::load_forms(None).map(|set| set.iter().cloned().collect()),
    };
    match result {
        Ok(forms) => {
            for form in &forms {
                println!(
                    "ok: {} ({}, version {}, {} questions)",
                    form.file,
                    form.id,
                    form.version,
                    form.questions.len()
                );
            }
            if forms.is_empty() {
                println!("no form files found");
            }
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            anyhow::bail!("{} problem(s) in the form files", errors.len())
        }
    }
}

fn yearly_tasks(store: &Store, command: TasksCommand) -> anyhow::Result<()> {
    match command {
        TasksCommand::List => {
            for store::yearly_tasks::YearlyTask { id, month, day, title_th: title, enabled } in
                store.read(store::yearly_tasks::list)?
            {
                println!("{id:>3}  {day:>2}/{month:<2}  {}  {title}", if enabled { "on " } else { "off" });
            }
        }
        TasksCommand::Add { month, day, title, title_en } => {
            if !(1..=12).contains(&month) || !(1..=28).contains(&day) {
                anyhow::bail!("--month is 1–12 and --day 1–28 (so the date exists every year)");
            }
            let title = title.trim();
            if title.is_empty() || title.chars().count() > 300 {
                anyhow::bail!("--title must be 1–300 characters");
            }
            let en = title_en.unwrap_or_else(|| title.to_string());
            store.write(|tx| store::yearly_tasks::add(tx, month, day, title, &en))?;
            println!("added: {day}/{month} {title}");
        }
        TasksCommand::Enable { id } | TasksCommand::Disable { id } => {
            let enable = matches!(command, TasksCommand::Enable { .. });
            let found = store.write(|tx| {
                let found = store::yearly_tasks::set_enabled(tx, id, enable)?;
                if !enable {
                    // Reminders already planned for it stop too.
                    store::yearly_tasks::cancel_pending_reminders(tx, id)?;
                }
                Ok(found)
            })?;
            if !found {
                anyhow::bail!("no task {id}; see `dulae tasks list`");
            }
            println!("task {id} {}", if enable { "enabled" } else { "disabled" });
        }
    }
    Ok(())
}
