//! `dulae staff list | assign | unassign | revoke | reinstate` and `dulae revoke` (its alias), in the school's
//! language (Fluent, `locales/*/year.ftl`).

use super::{Assigned, Revoked, StaffError};
use crate::care::cases::Ctx;
use crate::domain::ClassName;
use crate::l10n::{Args, Tr};
use crate::store::Store;
use crate::store::audit::Actor;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum StaffCommand {
    /// People, roles, classes and whether they have access.
    List,
    /// Set a teacher's classes to exactly these (removing the others): --class ป.5/1 [--class ป.5/2]
    Assign {
        /// A users id, @username or tg:<telegram id>
        who: String,
        #[arg(long = "class", required = true)]
        classes: Vec<String>,
    },
    /// Remove one class from a teacher (--class ป.5/1), or every class without --class.
    Unassign {
        who: String,
        #[arg(long = "class")]
        class: Option<String>,
    },
    /// End a person's access: classes end, unused invites they made are voided, open cases and plan actions go
    /// to the counsellor (else the head), nothing more is sent to them.
    Revoke { who: String },
    /// Give a revoked person their role back (classes are assigned again with `staff assign`).
    Reinstate { who: String },
}

fn class(raw: &str, tr: Tr<'_>) -> anyhow::Result<ClassName> {
    ClassName::parse(raw).map_err(|e| {
        anyhow::anyhow!("{}", tr.with("staff-bad-class", Args::new().str("class", raw).str("problem", e.to_string())))
    })
}

/// A refusal the admin can fix, in their language: the command fails (non-zero exit) with that sentence. A fault
/// (the outer `Err`) goes up as it is, with its cause.
fn refused<T>(outcome: Result<T, StaffError>, tr: Tr<'_>) -> anyhow::Result<T> {
    outcome.map_err(|refusal| anyhow::anyhow!("{}", refusal.localized(tr)))
}

fn class_list(classes: &[ClassName], tr: Tr<'_>) -> String {
    if classes.is_empty() {
        tr.get("staff-no-classes")
    } else {
        classes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    }
}

fn print_assigned(change: &Assigned, tr: Tr<'_>) {
    println!(
        "{}",
        tr.with(
            "staff-classes-set",
            Args::new()
                .str("name", &change.person.display_name)
                .num("id", change.person.id.0)
                .str("before", class_list(&change.before, tr))
                .str("after", class_list(&change.after, tr)),
        )
    );
}

pub fn print_revoked(r: &Revoked, tr: Tr<'_>) {
    let args = || Args::new().str("name", &r.person.display_name).num("id", r.person.id.0);
    if r.already {
        println!("{}", tr.with("staff-revoked-already", args()));
        return;
    }
    println!("{}", tr.with("staff-revoked", args().str("role", tr.get(r.person.role.message_id()))));
    println!(
        "{}",
        tr.with(
            "staff-revoked-detail",
            Args::new().num("classes", r.classes_ended as i64).num("invites", r.invites_voided as i64),
        )
    );
    let (cases, actions) = (r.handed.cases.len() as i64, r.handed.actions.len() as i64);
    match &r.successor {
        Some(to) => println!(
            "{}",
            tr.with("staff-revoked-handed", Args::new().num("cases", cases).num("actions", actions).str("to", to))
        ),
        None if cases + actions > 0 => {
            println!("{}", tr.with("staff-revoked-nobody", Args::new().num("cases", cases).num("actions", actions)))
        }
        None => {}
    }
}

pub fn run(store: &Store, ctx: &Ctx<'_>, tr: Tr<'_>, command: StaffCommand) -> anyhow::Result<()> {
    let now = ctx.now;
    match command {
        StaffCommand::List => {
            let lines = store.read(super::list)?;
            if lines.is_empty() {
                println!("{}", tr.get("staff-list-empty"));
                return Ok(());
            }
            println!("{}", tr.get("staff-list-header"));
            for line in lines {
                let p = &line.person;
                let classes: Vec<ClassName> = line.classes.iter().map(|c| c.name).collect();
                println!(
                    "{}",
                    tr.with(
                        "staff-list-line",
                        Args::new()
                            .num("id", p.id.0)
                            .str("name", &p.display_name)
                            .str("username", p.username.as_deref().map(|u| format!("@{u}")).unwrap_or_default())
                            .str("role", tr.get(p.role.message_id()))
                            .str("classes", if classes.is_empty() { String::new() } else { class_list(&classes, tr) })
                            .str(
                                "status",
                                tr.get(if p.revoked { "staff-status-revoked" } else { "staff-status-active" })
                            ),
                    )
                );
            }
        }
        StaffCommand::Assign { who, classes } => {
            let parsed = classes.iter().map(|c| class(c, tr)).collect::<anyhow::Result<Vec<_>>>()?;
            let change = refused(super::assign(store, Actor::Cli, &who, &parsed, now)?, tr)?;
            print_assigned(&change, tr);
        }
        StaffCommand::Unassign { who, class: raw } => {
            let parsed = raw.as_deref().map(|c| class(c, tr)).transpose()?;
            let change = refused(super::unassign(store, Actor::Cli, &who, parsed.as_ref(), now)?, tr)?;
            print_assigned(&change, tr);
        }
        StaffCommand::Revoke { who } => {
            let revoked = refused(super::revoke(store, ctx, Actor::Cli, &who)?, tr)?;
            print_revoked(&revoked, tr);
        }
        StaffCommand::Reinstate { who } => {
            let person = refused(super::reinstate(store, Actor::Cli, &who, now)?, tr)?;
            println!(
                "{}",
                tr.with(
                    "staff-reinstated",
                    Args::new()
                        .str("name", &person.display_name)
                        .num("id", person.id.0)
                        .str("role", tr.get(person.role.message_id())),
                )
            );
        }
    }
    Ok(())
}
