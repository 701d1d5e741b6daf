//! One way to make any document, for the chat and the command line alike: check who asks, load the data,
//! typeset it. The caller writes or sends the bytes and records the audit entry ([`audit`]).

use super::data::{self, Period, School};
use super::{Document, DocumentKind, TemplateError, TemplateSet, access};
use crate::care::cases::{self, CaseId};
use crate::domain::Term;
use crate::forms::FormSet;
use crate::l10n::{Lang, Localizer};
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::{self, ClassId, StudentId};
use crate::store::terms;
use crate::store::users::UserRow;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;

/// What a document needs besides the database and the templates.
pub struct Context<'a> {
    pub forms: &'a FormSet,
    pub l10n: &'a Localizer,
    pub school_name: &'a str,
    /// The school's logo (PNG or JPEG bytes), if configured.
    pub logo: Option<&'a [u8]>,
    pub today: NaiveDate,
}

/// Who asks.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    User(&'a UserRow),
    /// The command line at the school's server.
    Cli,
}

/// Which document, of what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// A class's screening summary for a term (default: the current one).
    Screening {
        class: ClassId,
        term: Option<Term>,
    },
    /// A student's latest home visit.
    Visit {
        student: StudentId,
    },
    /// A referral, with the return slip when the case has an outcome.
    Referral {
        case: CaseId,
    },
    Plan {
        case: CaseId,
    },
    Report(Period),
}

impl Request {
    pub fn kind(&self) -> DocumentKind {
        match self {
            Request::Screening { .. } => DocumentKind::Screening,
            Request::Visit { .. } => DocumentKind::Visit,
            Request::Referral { .. } => DocumentKind::Referral,
            Request::Plan { .. } => DocumentKind::Plan,
            Request::Report(_) => DocumentKind::Report,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("not allowed")]
    NotAllowed,
    /// The class, student or case does not exist, or there is nothing to print (no visit recorded).
    #[error("{0:?} not found")]
    NotFound(Missing),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// What a document was asked for that is not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Class(ClassId),
    Student(StudentId),
    Case(CaseId),
    /// The student has no home visit recorded (their code).
    Visit(String),
}

impl Missing {
    /// The Fluent message that says it (`print.ftl`), with [`Missing::args`].
    pub fn message_id(&self) -> &'static str {
        match self {
            Missing::Class(_) => "print-missing-class",
            Missing::Student(_) => "print-missing-student",
            Missing::Case(_) => "print-missing-case",
            Missing::Visit(_) => "print-missing-visit",
        }
    }

    pub fn args(&self) -> crate::l10n::Args {
        let args = crate::l10n::Args::new();
        match self {
            Missing::Class(id) => args.num("id", id.0),
            Missing::Student(id) => args.num("id", id.0),
            Missing::Case(id) => args.num("case", id.0),
            Missing::Visit(code) => args.str("code", code.clone()),
        }
    }
}

impl From<rusqlite::Error> for PrintError {
    fn from(e: rusqlite::Error) -> Self {
        PrintError::Other(e.into())
    }
}

/// A document with its data loaded, ready to typeset (which needs no database: the chat does it after its
/// transaction has committed).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The document's title (the caption in the chat).
    pub title: String,
    /// A file name for it: `สรุปคัดกรอง-ป.4-1-2-2569.pdf`.
    pub file_name: String,
    pub document: Document,
}

/// A typeset document.
#[derive(Debug, Clone)]
pub struct Printed {
    pub title: String,
    pub file_name: String,
    pub pdf: Vec<u8>,
}

impl Prepared {
    pub fn render(self, templates: &TemplateSet) -> Result<Printed, TemplateError> {
        let pdf = super::render(templates, &self.document)?;
        Ok(Printed { title: self.title, file_name: self.file_name, pdf })
    }
}

/// Check access, load, typeset.
pub fn make(
    conn: &Connection,
    ctx: &Context<'_>,
    templates: &TemplateSet,
    who: Who<'_>,
    request: Request,
) -> Result<Printed, PrintError> {
    Ok(prepare(conn, ctx, who, request)?.render(templates)?)
}

/// A file name without characters that trouble file systems or phones.
pub fn safe_name(text: &str) -> String {
    text.chars().map(|c| if c == '/' || c == '\\' || c.is_whitespace() || c == ':' { '-' } else { c }).collect()
}

fn allowed(ok: bool) -> Result<(), PrintError> {
    if ok { Ok(()) } else { Err(PrintError::NotAllowed) }
}

/// Check access and load the data.
pub fn prepare(conn: &Connection, ctx: &Context<'_>, who: Who<'_>, request: Request) -> Result<Prepared, PrintError> {
    let school = School::new(ctx.school_name, ctx.logo.is_some());
    let tr = ctx.l10n.tr(Lang::Th);
    let (title, file_name, mut doc) = match request {
        Request::Screening { class, term } => {
            if let Who::User(user) = who {
                allowed(access::may_print_class(conn, user, class)?)?;
            }
            let row = students::get_class(conn, class)?.ok_or(PrintError::NotFound(Missing::Class(class)))?;
            let term = match term {
                Some(t) => t,
                None => terms::current(conn, ctx.today)?,
            };
            let sheet = data::screening_sheet(conn, ctx.forms, class, term, school, ctx.today)?;
            let title = format!("สรุปผลการคัดกรองนักเรียน ชั้น {} ภาคเรียนที่ {term}", row.name);
            let file = safe_name(&format!("สรุปคัดกรอง-{}-{term}.pdf", row.name));
            (title, file, Document::new(DocumentKind::Screening, &sheet)?)
        }
        Request::Visit { student } => {
            let pupil = students::get_student(conn, student)?.ok_or(PrintError::NotFound(Missing::Student(student)))?;
            if let Who::User(user) = who {
                allowed(access::may_print_student(conn, user, &pupil)?)?;
            }
            let Some(visit) = data::visit_record(conn, ctx.forms, &pupil, school, ctx.today)? else {
                return Err(PrintError::NotFound(Missing::Visit(pupil.code.clone())));
            };
            let title = format!("บันทึกการเยี่ยมบ้าน {}", pupil.full_name());
            let file = safe_name(&format!("เยี่ยมบ้าน-{}.pdf", pupil.code));
            let mut doc = Document::new(DocumentKind::Visit, &visit.record)?;
            for (name, bytes) in visit.images {
                doc = doc.with_image(name, bytes);
            }
            (title, file, doc)
        }
        Request::Referral { case } | Request::Plan { case } => {
            let row = cases::get_case(conn, case)?.ok_or(PrintError::NotFound(Missing::Case(case)))?;
            if let Who::User(user) = who {
                allowed(access::may_print_case(conn, user, &row)?)?;
            }
            if matches!(request, Request::Referral { .. }) {
                let doc = data::referral_doc(conn, ctx.forms, tr, &row, school, ctx.today)?;
                let title = format!("แบบส่งต่อนักเรียน เรื่องที่ {}", case.0);
                (title, format!("ส่งต่อ-{}.pdf", case.0), Document::new(DocumentKind::Referral, &doc)?)
            } else {
                let doc = data::plan_doc(conn, ctx.forms, tr, &row, school, ctx.today)?;
                let title = format!("แผนการช่วยเหลือนักเรียนรายบุคคล เรื่องที่ {}", case.0);
                (title, format!("แผนช่วยเหลือ-{}.pdf", case.0), Document::new(DocumentKind::Plan, &doc)?)
            }
        }
        Request::Report(period) => {
            if let Who::User(user) = who {
                allowed(access::may_print_report(user))?;
            }
            let (report, images) = data::report_doc(conn, ctx.forms, tr, period, school, ctx.today)?;
            let title = format!("รายงานผลการดำเนินงานระบบดูแลช่วยเหลือนักเรียน {}", period.label());
            let file = match period {
                Period::Term(t) => safe_name(&format!("รายงาน-{t}.pdf")),
                Period::Year(y) => format!("รายงาน-ปีการศึกษา-{y}.pdf"),
            };
            let mut doc = Document::new(DocumentKind::Report, &report)?;
            for (name, bytes) in images {
                doc = doc.with_image(name, bytes);
            }
            (title, file, doc)
        }
    };
    if let Some(logo) = ctx.logo {
        doc = doc.with_image("logo.png", logo.to_vec());
    }
    Ok(Prepared { title, file_name, document: doc })
}

/// What parent invite slips are made with.
#[derive(Debug, Clone, Copy)]
pub struct SlipsRequest<'a> {
    pub class: ClassId,
    /// Parent places per student.
    pub places: u8,
    /// How long the links work, in days.
    pub days: i64,
    pub bot_username: Option<&'a str>,
}

/// Parent invite slips ready to typeset.
#[derive(Debug, Clone)]
pub struct PreparedSlips {
    pub prepared: Prepared,
    /// How many slips (one per free parent place).
    pub count: usize,
    /// The day the first of the links stops working.
    pub expires: NaiveDate,
}

/// A class's parent invite slips as a document: new single-use invite links made inside `tx` (the class's
/// unused ones are voided and re-issued, as `/invite` does, so an old sheet stops working), laid out for A4.
/// Checked against the slips rule first ([`access::may_print_slips`]). `Ok(None)`: every student's parent
/// places are taken, there is nothing to print.
pub fn prepare_slips(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Context<'_>,
    who: Who<'_>,
    request: SlipsRequest<'_>,
    now: DateTime<Utc>,
) -> Result<Option<PreparedSlips>, PrintError> {
    use crate::announce::slips::{self, SlipRequest};
    if let Who::User(user) = who {
        allowed(access::may_print_slips(tx, user, request.class)?)?;
    }
    let class = students::get_class(tx, request.class)?.ok_or(PrintError::NotFound(Missing::Class(request.class)))?;
    let by = match who {
        Who::User(user) => Actor::User(user.id),
        Who::Cli => Actor::Cli,
    };
    let made = slips::make_class_slips_in(
        tx,
        by,
        SlipRequest {
            class: request.class,
            places: request.places,
            days: request.days,
            bot_username: request.bot_username,
        },
        now,
    )?;
    let Some(expires) = made.iter().map(|s| s.expires).min() else {
        return Ok(None);
    };
    let school = School::new(ctx.school_name, ctx.logo.is_some());
    let (doc, images) = data::slips_doc(&made, &class.name.to_string(), school, ctx.today)?;
    let mut document = Document::new(DocumentKind::Slips, &doc)?;
    for (name, bytes) in images {
        document = document.with_image(name, bytes);
    }
    if let Some(logo) = ctx.logo {
        document = document.with_image("logo.png", logo.to_vec());
    }
    let prepared = Prepared {
        title: format!("ใบเชิญผู้ปกครอง ชั้น {}", class.name),
        file_name: safe_name(&format!("ใบเชิญผู้ปกครอง-{}.pdf", class.name)),
        document,
    };
    Ok(Some(PreparedSlips { prepared, count: made.len(), expires }))
}

/// The audit entry for a printed document: who printed whose data (PDPA: paper copies are copies too).
pub fn audit(conn: &Connection, who: Who<'_>, request: Request, now: DateTime<Utc>) -> anyhow::Result<()> {
    let (entity, id) = match request {
        Request::Screening { class, .. } => ("class", class.0.to_string()),
        Request::Visit { student } => ("student", student.0.to_string()),
        Request::Referral { case } | Request::Plan { case } => ("case", case.0.to_string()),
        Request::Report(Period::Term(t)) => ("term", t.to_string()),
        Request::Report(Period::Year(y)) => ("year", y.to_string()),
    };
    let action = format!("print.{}", serde_json::to_value(request.kind())?.as_str().unwrap_or("document"));
    audit::record(
        conn,
        now,
        Entry {
            actor: match who {
                Who::User(u) => Actor::User(u.id),
                Who::Cli => Actor::Cli,
            },
            action: &action,
            entity,
            entity_id: Some(id),
            detail: None,
        },
    )
}
