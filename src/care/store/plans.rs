//! Rows of `plans`: a case's help plan (its goal and when it is reviewed).

use super::optional_date_at;
use crate::care::cases::Plan;
use crate::domain::ids::CaseId;
use crate::store::instant;
use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub fn of_case(conn: &Connection, case: CaseId) -> anyhow::Result<Option<Plan>> {
    conn.query_row("SELECT goal, review_on FROM plans WHERE case_id = ?1", [case], |r| {
        Ok(Plan { goal: r.get(0)?, review_on: optional_date_at(r, 1)? })
    })
    .optional()
    .with_context(|| format!("cannot read the plan of case {case}"))
}

/// Write the goal (and the review date, when given; otherwise the one set before stays).
pub fn set_goal(
    conn: &Connection,
    case: CaseId,
    goal: &str,
    review_on: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO plans (case_id, goal, review_on, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(case_id) DO UPDATE SET goal = excluded.goal, review_on = coalesce(excluded.review_on, plans.review_on),
                                            updated_at = excluded.updated_at",
        params![case, goal, review_on.map(|d| d.to_string()), instant(now)],
    )
    .with_context(|| format!("cannot write the goal of case {case}"))?;
    Ok(())
}

/// Set the review date of an existing plan; `false` when the case has no plan yet.
pub fn set_review_date(
    conn: &Connection,
    case: CaseId,
    review_on: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let changed = conn
        .execute(
            "UPDATE plans SET review_on = ?2, updated_at = ?3 WHERE case_id = ?1",
            params![case, review_on.to_string(), instant(now)],
        )
        .with_context(|| format!("cannot set the review date of case {case}"))?;
    Ok(changed > 0)
}
