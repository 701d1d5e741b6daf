//! The command line: running the bot and the admin's tasks (roster, invites, users, backups).

use crate::app::App;
use crate::config::{Config, MISSING_TOKEN_HELP};
use crate::domain::{ClassName, Role};
use crate::invites::{self, StaffInvite};
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
    Revoke { user: String },
    /// Apply database migrations and print the schema version.
    Migrate,
    /// Copy the live database to FILE while the bot runs (SQLite online backup).
    Backup { file: PathBuf },
    /// Form files: `dulae forms check [DIR]` validates the shipped forms, or the forms in DIR.
    #[command(subcommand)]
    Forms(FormsCommand),
    /// Try the teacher's side in the terminal with a sample school (no token, no network).
    Demo,
    /// The term's report as an Excel workbook: `dulae export --out report.xlsx [--term 2/2569]`.
    Export {
        #[arg(long)]
        out: PathBuf,
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
    /// The outbox sender alone against --api, until SIGTERM (started by `bench broadcast`).
    #[command(hide = true)]
    Sender {
        #[arg(long)]
        db: PathBuf,
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
    /// Parent links for every student of a class (two guardians per student by default).
    Parents {
        #[arg(long = "class")]
        class: String,
        #[arg(long, default_value_t = 2)]
        per_student: u8,
        /// Also write an A4 page of printable slips with QR codes (HTML) to this file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Run the command line. Errors come back as text for `main` to print; nothing here panics.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Run) {
        Command::Forms(FormsCommand::Check { dir }) => check_forms(dir.as_deref()),
        Command::Demo => tokio::task::block_in_place(|| crate::console::demo::run(&config)),
        Command::Bench(BenchCommand::Broadcast { parents, latency_ms, only }) => {
            crate::bench::broadcast(parents, latency_ms, only).await
        }
        Command::Bench(BenchCommand::Sender { db, api }) => crate::bench::sender(&db, &api).await,
        Command::Bench(BenchCommand::Print) => tokio::task::block_in_place(crate::print::bench::run),
        Command::Tasks(task) => {
            let store = Store::open(&config.db_path)?;
            yearly_tasks(&store, task)
        }
        Command::Run => run_bot(config).await,
        Command::Migrate => {
            let store = Store::open(&config.db_path)?;
            println!("{}: schema version {}", config.db_path.display(), store.schema_version()?);
            Ok(())
        }
        Command::Import(ImportCommand::Students { file, archive_missing }) => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let store = Store::open(&config.db_path)?;
            let report = roster::import(&store, &bytes, archive_missing, Actor::Cli, chrono::Utc::now())
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            println!(
                "imported {}: {} added, {} updated, {} unchanged{}",
                file.display(),
                report.added,
                report.updated,
                report.unchanged,
                if archive_missing { format!(", {} archived", report.archived) } else { String::new() }
            );
            Ok(())
        }
        Command::Invite { kind } => invite(config, kind).await,
        Command::Users => {
            let store = Store::open(&config.db_path)?;
            print_users(&store)
        }
        Command::Revoke { user } => {
            let store = Store::open(&config.db_path)?;
            match invites::revoke(&store, Actor::Cli, &user, chrono::Utc::now())? {
                Some(u) if u.revoked => println!("{} (#{}) had no access already", u.display_name, u.id),
                Some(u) => println!("revoked: {} (#{}, {}) can no longer use the bot", u.display_name, u.id, u.role),
                None => anyhow::bail!("no user {user:?}; see `dulae users` for ids"),
            }
            Ok(())
        }
        Command::Export { out, term } => crate::reports::cli::export(&config, &out, term.as_deref()),
        Command::Stats { term } => crate::reports::cli::stats(&config, term.as_deref()),
        Command::Print(command) => crate::print::cli::print(&config, command),
        Command::Templates(command) => crate::print::cli::templates(&config, command),
        Command::Terms(command) => crate::reports::cli::terms(&config, command),
        Command::Backup { file } => {
            // Make sure the database exists and is migrated, then copy it.
            drop(Store::open(&config.db_path)?);
            store::backup::backup(&config.db_path, &file)?;
            println!("backed up {} to {}", config.db_path.display(), file.display());
            Ok(())
        }
    }
}

fn telegram_bot(config: &Config) -> anyhow::Result<Option<teloxide::Bot>> {
    let Some(token) = &config.token else {
        return Ok(None);
    };
    let mut bot = teloxide::Bot::new(token.expose());
    if let Some(url) = &config.api_url {
        bot = bot.set_api_url(url::Url::parse(url).with_context(|| format!("TELOXIDE_API_URL is not a URL: {url:?}"))?);
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
    let Some(bot) = telegram_bot(&config)? else {
        anyhow::bail!("{MISSING_TOKEN_HELP}");
    };
    let store = Store::open(&config.db_path)?;
    // Forms, print templates and locales are checked before anything goes to the network: a broken file stops
    // here, clearly.
    crate::print::cli::check_at_startup(&config)?;
    let mut app = App::new(store, config)?;
    app.bot_username = bot_username(&app.config, Some(&bot)).await;
    crate::bot::run(Arc::new(app), bot).await
}

async fn invite(config: Config, kind: InviteKind) -> anyhow::Result<()> {
    let store = Store::open(&config.db_path)?;
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
                parsed.push(ClassName::parse(raw).map_err(|e| anyhow::anyhow!("--class {raw:?}: {e}"))?);
            }
            staff(Role::Teacher, name, parsed)
        }
        InviteKind::Parents { class, per_student, out: Some(out) } => {
            return parent_slips(&store, &config, username.as_deref(), &class, per_student, &out, now);
        }
        InviteKind::Parents { class, per_student, out: None } => {
            return parent_invites(&store, &config, username.as_deref(), &class, per_student, now);
        }
    };
    for class in &invite.classes {
        let known = store.read(|c| students::find_class(c, class))?;
        if known.is_none() {
            eprintln!("note: class {class} has no students yet; import the roster for it too");
        }
    }
    let created = invites::create_staff(&store, Actor::Cli, &invite, config.invite_days, now)?;
    let expires = created.expires_at.with_timezone(&crate::l10n::thai_date::bangkok()).date_naive();
    println!("{}", invites::join_instructions(username.as_deref(), &created.code));
    eprintln!(
        "{} invite{}, single use, expires {} — send it to that person privately.",
        invite.role,
        if invite.classes.is_empty() {
            String::new()
        } else {
            format!(" for {}", invite.classes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
        },
        crate::l10n::thai_date::format_short_th(expires)
    );
    if username.is_none() {
        eprintln!("(no bot username known: the person opens the bot and sends the line above)");
    }
    Ok(())
}

fn parent_invites(
    store: &Store,
    config: &Config,
    username: Option<&str>,
    class: &str,
    per_student: u8,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    let class = ClassName::parse(class).map_err(|e| anyhow::anyhow!("--class {class:?}: {e}"))?;
    let Some(class_id) = store.read(|c| students::find_class(c, &class))? else {
        anyhow::bail!("class {class} has no students; import the roster first");
    };
    let pupils = store.read(|c| students::students_in_class(c, class_id))?;
    println!("student_id,name,guardian,link");
    for pupil in pupils {
        for guardian in 1..=per_student.max(1) {
            let created = invites::create_parent(store, Actor::Cli, pupil.id, config.parent_invite_days, now)?;
            println!(
                "{},{},{guardian},{}",
                pupil.code,
                pupil.full_name(),
                invites::join_instructions(username, &created.code)
            );
        }
    }
    Ok(())
}

/// `dulae invite parents --class ป.4/1 --out slips.html`: the CSV as without `--out`, plus the printable slips.
fn parent_slips(
    store: &Store,
    config: &Config,
    username: Option<&str>,
    class: &str,
    per_student: u8,
    out: &std::path::Path,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use crate::announce::slips;
    let class = ClassName::parse(class).map_err(|e| anyhow::anyhow!("--class {class:?}: {e}"))?;
    let Some(class_id) = store.read(|c| students::find_class(c, &class))? else {
        anyhow::bail!("class {class} has no students; import the roster first");
    };
    let request = slips::SlipRequest {
        class: class_id,
        per_student,
        only_missing: false,
        days: config.parent_invite_days,
        bot_username: username,
    };
    let made = slips::make_class_slips(store, Actor::Cli, request, now)?;
    let html = slips::render_html(&config.school_name, &made)?;
    std::fs::write(out, html).with_context(|| format!("cannot write {}", out.display()))?;
    println!("student_id,name,guardian,link");
    for slip in &made {
        println!("{},{},{},{}", slip.student_code, slip.student_name, slip.guardian, slip.link);
    }
    eprintln!(
        "wrote {} slips for {class} to {} — open it in a browser and print on A4 (each link works once)",
        made.len(),
        out.display()
    );
    if username.is_none() {
        eprintln!("note: no bot username known (DULAE_BOT_USERNAME): the QR codes hold `/start <code>` lines");
    }
    Ok(())
}

fn print_users(store: &Store) -> anyhow::Result<()> {
    let people = store.read(users::list)?;
    if people.is_empty() {
        println!("nobody has joined yet; create the first invite with `dulae invite admin`");
        return Ok(());
    }
    println!("{:>4}  {:<10} {:<28} {:<18} {:<20} status", "id", "role", "name", "username", "classes / children");
    for p in people {
        let (classes, children) = store.read(|c| Ok((users::classes_of(c, p.id)?, users::children_of(c, p.id)?)))?;
        let mut linked: Vec<String> = classes.iter().map(|c| c.name.to_string()).collect();
        linked.extend(children.iter().map(|s| s.full_name()));
        println!(
            "{:>4}  {:<10} {:<28} {:<18} {:<20} {}",
            p.id.0,
            p.role.as_str(),
            p.display_name,
            p.username.as_deref().map(|u| format!("@{u}")).unwrap_or_default(),
            linked.join(", "),
            if p.revoked { "revoked" } else { "active" }
        );
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
            let tasks: Vec<(i64, u32, u32, String, bool)> = store.read(|c| {
                let mut stmt =
                    c.prepare("SELECT id, month, day, title_th, enabled FROM yearly_tasks ORDER BY month, day, id")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })?;
            for (id, month, day, title, enabled) in tasks {
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
            store.write(|tx| {
                tx.execute(
                    "INSERT INTO yearly_tasks (month, day, title_th, title_en) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![month, day, title, en],
                )?;
                Ok(())
            })?;
            println!("added: {day}/{month} {title}");
        }
        TasksCommand::Enable { id } | TasksCommand::Disable { id } => {
            let enable = matches!(command, TasksCommand::Enable { .. });
            let changed = store.write(|tx| {
                let changed = tx.execute("UPDATE yearly_tasks SET enabled = ?2 WHERE id = ?1", rusqlite::params![id, enable])?;
                if !enable {
                    // Reminders already planned for it stop too.
                    tx.execute(
                        "UPDATE reminders SET status = 'cancelled' WHERE subject = 'yearly' AND subject_id = ?1 AND status = 'pending'",
                        [id],
                    )?;
                }
                Ok(changed)
            })?;
            if changed == 0 {
                anyhow::bail!("no task {id}; see `dulae tasks list`");
            }
            println!("task {id} {}", if enable { "enabled" } else { "disabled" });
        }
    }
    Ok(())
}
