//! What a button carries: short ids and a version tag, never names (Telegram allows 64 bytes and Thai takes
//! three bytes a letter). Every press is checked again against the current state and the presser's rights.

use crate::domain::Role;
use crate::domain::class::Level;
use crate::domain::ids::{
    ActionId, AnnouncementId, CaseEventId, CaseId, ClassId, StudentId, SubmissionId, SurveyRoundId, UserId,
};
use crate::l10n::Lang;

/// Bumped when the format changes, so buttons of an older bot are recognised as stale, not misread.
const VERSION: &str = "1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteAction {
    Role(Role),
    ToggleClass(ClassId),
    Page(usize),
    Done,
    SkipName,
    Cancel,
}

/// Choosing a class and a student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickAction {
    Class(ClassId),
    ClassPage(usize),
    /// Back to the list of classes.
    Classes,
    Student(StudentId),
    Page(usize),
    /// Continue the saved draft of the chosen student.
    Continue,
    /// Throw the draft away and start again.
    Restart,
    Cancel,
}

/// A button on a form question. `at` names the question (or screen) the button belongs to, so a button
/// from an earlier question is recognised as stale instead of answering the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAction {
    Choose(String),
    /// Flip a multi-choice box (buttons drawn before ticks carried their target).
    Toggle(String),
    /// Tick (`true`) or untick a multi-choice box: what the person saw decides, so a double tap changes it once.
    Tick(String, bool),
    Today,
    Done,
    Yes,
    No,
    Back,
    Skip,
    Save,
    Cancel,
    ConfirmCancel,
    KeepGoing,
    AddAnother,
    NoMore,
    Edit(usize),
    Submit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonData {
    Lang(Lang),
    /// A step of the admin's invite flow; `nonce` ties the button to one run of the flow.
    Invite {
        nonce: String,
        action: InviteAction,
    },
    Pick {
        nonce: String,
        action: PickAction,
    },
    Form {
        nonce: String,
        at: String,
        action: FormAction,
    },
    /// Refer the student of this submission (from a screening result).
    Refer(SubmissionId),
    /// A step of making a referral.
    ReferStep {
        nonce: String,
        action: ReferAction,
    },
    /// Something done to a case (from a notification, a list or the case screen). Stateless: the case id is in
    /// the button and every press is checked against the case as it is now.
    Case {
        id: CaseId,
        action: CaseAction,
    },
    /// Something done to a plan action (from a reminder or `/plans`).
    Act {
        id: ActionId,
        action: ActButton,
    },
    /// A choice while typing something for a case (a person, a date, skip).
    Input {
        nonce: String,
        action: InputAction,
    },
    /// Announcements: a step of `/announce`, "รับทราบ", the sender's report buttons.
    Ann(AnnButton),
    /// The admin's `/staff`: people, their classes, access.
    Staff(StaffButton),
    /// A teacher's `/parents`: the parents linked to a student, and unlinking one.
    Parents(ParentsButton),
    /// Answer the satisfaction survey of this round.
    Survey(SurveyRoundId),
    /// The homeroom teacher starts help in class (ช่วยเหลือเบื้องต้น) for a student, from a screening result
    /// (its submission) or from `/student`.
    Help {
        student: StudentId,
        submission: Option<SubmissionId>,
    },
    /// Cancel typing the reason for help in class (tied to one run by its nonce).
    HelpCancel(String),
    /// A step of recording a class meeting with parents.
    Meet {
        nonce: String,
        action: MeetAction,
    },
    /// The head sending a survey: preview for an audience, confirm, or cancel.
    SurveySend {
        confirm: bool,
        audience: Option<String>,
    },
    /// A step of `/print` (stateless: ids only, every press checked against the access policy).
    Print(super::print_button::PrintButton),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferAction {
    ToggleAspect(String),
    AspectsDone,
    SkipPhoto,
    Urgency(String),
    Target(UserId),
    /// Another page of people to refer to.
    TargetPage(usize),
    External,
    Confirm,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseAction {
    Open,
    Accept,
    AskInfo,
    HandOver,
    /// Another page of people to hand the case to.
    HandPage(usize),
    HandTo(UserId),
    Note,
    Goal,
    AddAction,
    InProgress,
    ReferredOut,
    Close,
    History,
    Photo,
    ReviewDate,
    /// Open one chronology entry (a question, a note) from its notification.
    Entry(CaseEventId),
    /// Answer the owner's question (a note, asked for as an answer).
    Answer,
    /// Help in class → the counsellor: choose how urgent, then whom, then it is done.
    Refer,
    ReferAs(String),
    ReferTo(String, UserId),
}

/// Recording a class meeting with parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetAction {
    Class(ClassId),
    Today,
    /// Tick or untick a family (by the student's id) as present.
    Toggle(StudentId),
    Page(usize),
    Save,
    Cancel,
}

/// The admin's `/staff` screens. Stateless: every press names the person (and class) and is checked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffButton {
    List(usize),
    Person(UserId),
    /// A teacher's classes, one page of the school's classes with ☑️ on theirs.
    Classes {
        user: UserId,
        page: usize,
    },
    Toggle {
        user: UserId,
        class: ClassId,
        page: usize,
    },
    Revoke(UserId),
    ConfirmRevoke(UserId),
    Reinstate(UserId),
}

/// `/parents`: a student's linked parents, unlinking one (asks first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentsButton {
    Page(usize),
    Student(StudentId),
    Unlink { student: StudentId, parent: UserId },
    ConfirmUnlink { student: StudentId, parent: UserId },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActButton {
    Done,
    Reschedule,
    OpenCase,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputAction {
    Skip,
    Person(UserId),
    /// Another page of people.
    PersonPage(usize),
    Date(chrono::NaiveDate),
    Cancel,
}

impl ButtonData {
    pub fn encode(&self) -> String {
        match self {
            ButtonData::Lang(lang) => format!("{VERSION}:lang:{}", lang.code()),
            ButtonData::Invite { nonce, action } => {
                let action = match action {
                    InviteAction::Role(role) => format!("r:{}", role.as_str()),
                    InviteAction::ToggleClass(id) => format!("c:{id}"),
                    InviteAction::Page(page) => format!("p:{page}"),
                    InviteAction::Done => "ok".into(),
                    InviteAction::SkipName => "skip".into(),
                    InviteAction::Cancel => "x".into(),
                };
                format!("{VERSION}:inv:{nonce}:{action}")
            }
            ButtonData::Pick { nonce, action } => {
                let action = match action {
                    PickAction::Class(id) => format!("c:{id}"),
                    PickAction::ClassPage(p) => format!("cp:{p}"),
                    PickAction::Classes => "cl".into(),
                    PickAction::Student(id) => format!("s:{id}"),
                    PickAction::Page(p) => format!("p:{p}"),
                    PickAction::Continue => "go".into(),
                    PickAction::Restart => "new".into(),
                    PickAction::Cancel => "x".into(),
                };
                format!("{VERSION}:pk:{nonce}:{action}")
            }
            ButtonData::Form { nonce, at, action } => {
                let action = match action {
                    FormAction::Choose(v) => format!("c:{v}"),
                    FormAction::Toggle(v) => format!("t:{v}"),
                    FormAction::Tick(v, on) => format!("t{}:{v}", u8::from(*on)),
                    FormAction::Today => "td".into(),
                    FormAction::Done => "d".into(),
                    FormAction::Yes => "y".into(),
                    FormAction::No => "n".into(),
                    FormAction::Back => "b".into(),
                    FormAction::Skip => "s".into(),
                    FormAction::Save => "w".into(),
                    FormAction::Cancel => "x".into(),
                    FormAction::ConfirmCancel => "xx".into(),
                    FormAction::KeepGoing => "k".into(),
                    FormAction::AddAnother => "a".into(),
                    FormAction::NoMore => "na".into(),
                    FormAction::Edit(n) => format!("e:{n}"),
                    FormAction::Submit => "ok".into(),
                };
                format!("{VERSION}:f:{nonce}:{at}:{action}")
            }
            ButtonData::Refer(id) => format!("{VERSION}:rf:{id}"),
            ButtonData::Survey(round) => format!("{VERSION}:sv:{round}"),
            ButtonData::SurveySend { confirm, audience } => match audience {
                Some(a) => format!("{VERSION}:ss:{}:{a}", if *confirm { "ok" } else { "p" }),
                None => format!("{VERSION}:ss:x"),
            },
            ButtonData::ReferStep { nonce, action } => {
                let action = match action {
                    ReferAction::ToggleAspect(a) => format!("t:{a}"),
                    ReferAction::AspectsDone => "ad".into(),
                    ReferAction::SkipPhoto => "sp".into(),
                    ReferAction::Urgency(u) => format!("u:{u}"),
                    ReferAction::Target(id) => format!("to:{id}"),
                    ReferAction::TargetPage(page) => format!("tp:{page}"),
                    ReferAction::External => "ex".into(),
                    ReferAction::Confirm => "ok".into(),
                    ReferAction::Cancel => "x".into(),
                };
                format!("{VERSION}:rs:{nonce}:{action}")
            }
            ButtonData::Case { id, action } => {
                let action = match action {
                    CaseAction::Open => "o".to_string(),
                    CaseAction::Accept => "a".into(),
                    CaseAction::AskInfo => "q".into(),
                    CaseAction::HandOver => "h".into(),
                    CaseAction::HandTo(user) => format!("ht:{user}"),
                    CaseAction::HandPage(page) => format!("hp:{page}"),
                    CaseAction::Note => "n".into(),
                    CaseAction::Goal => "g".into(),
                    CaseAction::AddAction => "aa".into(),
                    CaseAction::InProgress => "ip".into(),
                    CaseAction::ReferredOut => "ro".into(),
                    CaseAction::Close => "c".into(),
                    CaseAction::History => "hi".into(),
                    CaseAction::Photo => "ph".into(),
                    CaseAction::ReviewDate => "rd".into(),
                    CaseAction::Entry(e) => format!("e:{e}"),
                    CaseAction::Answer => "an".into(),
                    CaseAction::Refer => "rc".into(),
                    CaseAction::ReferAs(u) => format!("ru:{u}"),
                    CaseAction::ReferTo(u, to) => format!("rt:{u}:{to}"),
                };
                format!("{VERSION}:cs:{id}:{action}")
            }
            ButtonData::Act { id, action } => {
                let action = match action {
                    ActButton::Done => "d",
                    ActButton::Reschedule => "r",
                    ActButton::OpenCase => "o",
                };
                format!("{VERSION}:ac:{id}:{action}")
            }
            ButtonData::Input { nonce, action } => {
                let action = match action {
                    InputAction::Skip => "s".to_string(),
                    InputAction::Person(id) => format!("u:{id}"),
                    InputAction::PersonPage(page) => format!("up:{page}"),
                    InputAction::Date(d) => format!("d:{}", d.format("%Y%m%d")),
                    InputAction::Cancel => "x".into(),
                };
                format!("{VERSION}:ci:{nonce}:{action}")
            }
            ButtonData::Ann(button) => format!("{VERSION}:an:{}", button.encode_tail()),
            ButtonData::Help { student, submission } => {
                format!("{VERSION}:hp:{student}:{}", submission.map_or(0, |s| s.0))
            }
            ButtonData::HelpCancel(nonce) => format!("{VERSION}:hx:{nonce}"),
            ButtonData::Meet { nonce, action } => {
                let action = match action {
                    MeetAction::Class(id) => format!("c:{id}"),
                    MeetAction::Today => "td".into(),
                    MeetAction::Toggle(id) => format!("t:{id}"),
                    MeetAction::Page(p) => format!("p:{p}"),
                    MeetAction::Save => "ok".into(),
                    MeetAction::Cancel => "x".into(),
                };
                format!("{VERSION}:mt:{nonce}:{action}")
            }
            ButtonData::Staff(button) => {
                let tail = match button {
                    StaffButton::List(page) => format!("l:{page}"),
                    StaffButton::Person(user) => format!("p:{user}"),
                    StaffButton::Classes { user, page } => format!("c:{user}:{page}"),
                    StaffButton::Toggle { user, class, page } => format!("t:{user}:{class}:{page}"),
                    StaffButton::Revoke(user) => format!("r:{user}"),
                    StaffButton::ConfirmRevoke(user) => format!("rr:{user}"),
                    StaffButton::Reinstate(user) => format!("i:{user}"),
                };
                format!("{VERSION}:sf:{tail}")
            }
            ButtonData::Parents(button) => {
                let tail = match button {
                    ParentsButton::Page(page) => format!("p:{page}"),
                    ParentsButton::Student(student) => format!("s:{student}"),
                    ParentsButton::Unlink { student, parent } => format!("u:{student}:{parent}"),
                    ParentsButton::ConfirmUnlink { student, parent } => format!("uu:{student}:{parent}"),
                };
                format!("{VERSION}:pa:{tail}")
            }
            ButtonData::Print(button) => format!("{VERSION}:pr:{}", button.encode_tail()),
        }
    }

    /// `None` for anything we did not make (or an older version made).
    pub fn decode(data: &str) -> Option<ButtonData> {
        if data.len() > 64 {
            return None;
        }
        let mut parts = data.split(':');
        if parts.next()? != VERSION {
            return None;
        }
        let decoded = match parts.next()? {
            "lang" => ButtonData::Lang(Lang::from_code(parts.next()?)?),
            "inv" => {
                let nonce = parts.next()?.to_string();
                let action = match parts.next()? {
                    "r" => InviteAction::Role(parts.next()?.parse().ok()?),
                    "c" => InviteAction::ToggleClass(ClassId(parts.next()?.parse().ok()?)),
                    "p" => InviteAction::Page(parts.next()?.parse().ok()?),
                    "ok" => InviteAction::Done,
                    "skip" => InviteAction::SkipName,
                    "x" => InviteAction::Cancel,
                    _ => return None,
                };
                ButtonData::Invite { nonce, action }
            }
            "pk" => {
                let nonce = parts.next()?.to_string();
                let action = match parts.next()? {
                    "c" => PickAction::Class(ClassId(parts.next()?.parse().ok()?)),
                    "cp" => PickAction::ClassPage(parts.next()?.parse().ok()?),
                    "cl" => PickAction::Classes,
                    "s" => PickAction::Student(StudentId(parts.next()?.parse().ok()?)),
                    "p" => PickAction::Page(parts.next()?.parse().ok()?),
                    "go" => PickAction::Continue,
                    "new" => PickAction::Restart,
                    "x" => PickAction::Cancel,
                    _ => return None,
                };
                ButtonData::Pick { nonce, action }
            }
            "f" => {
                let nonce = parts.next()?.to_string();
                let at = parts.next()?.to_string();
                let action = match parts.next()? {
                    "c" => FormAction::Choose(parts.next()?.to_string()),
                    "t" => FormAction::Toggle(parts.next()?.to_string()),
                    "t1" => FormAction::Tick(parts.next()?.to_string(), true),
                    "t0" => FormAction::Tick(parts.next()?.to_string(), false),
                    "td" => FormAction::Today,
                    "d" => FormAction::Done,
                    "y" => FormAction::Yes,
                    "n" => FormAction::No,
                    "b" => FormAction::Back,
                    "s" => FormAction::Skip,
                    "w" => FormAction::Save,
                    "x" => FormAction::Cancel,
                    "xx" => FormAction::ConfirmCancel,
                    "k" => FormAction::KeepGoing,
                    "a" => FormAction::AddAnother,
                    "na" => FormAction::NoMore,
                    "e" => FormAction::Edit(parts.next()?.parse().ok()?),
                    "ok" => FormAction::Submit,
                    _ => return None,
                };
                ButtonData::Form { nonce, at, action }
            }
            "rf" => ButtonData::Refer(SubmissionId(parts.next()?.parse().ok()?)),
            "sv" => ButtonData::Survey(SurveyRoundId(parts.next()?.parse().ok()?)),
            "pr" => {
                ButtonData::Print(super::print_button::PrintButton::decode_tail(&parts.by_ref().collect::<Vec<_>>())?)
            }
            "ss" => match parts.next()? {
                "x" => ButtonData::SurveySend { confirm: false, audience: None },
                "p" => ButtonData::SurveySend { confirm: false, audience: Some(parts.next()?.to_string()) },
                "ok" => ButtonData::SurveySend { confirm: true, audience: Some(parts.next()?.to_string()) },
                _ => return None,
            },
            "rs" => {
                let nonce = parts.next()?.to_string();
                let action = match parts.next()? {
                    "t" => ReferAction::ToggleAspect(parts.next()?.to_string()),
                    "ad" => ReferAction::AspectsDone,
                    "sp" => ReferAction::SkipPhoto,
                    "u" => ReferAction::Urgency(parts.next()?.to_string()),
                    "to" => ReferAction::Target(UserId(parts.next()?.parse().ok()?)),
                    "tp" => ReferAction::TargetPage(parts.next()?.parse().ok()?),
                    "ex" => ReferAction::External,
                    "ok" => ReferAction::Confirm,
                    "x" => ReferAction::Cancel,
                    _ => return None,
                };
                ButtonData::ReferStep { nonce, action }
            }
            "cs" => {
                let id = CaseId(parts.next()?.parse().ok()?);
                let action = match parts.next()? {
                    "o" => CaseAction::Open,
                    "a" => CaseAction::Accept,
                    "q" => CaseAction::AskInfo,
                    "h" => CaseAction::HandOver,
                    "ht" => CaseAction::HandTo(UserId(parts.next()?.parse().ok()?)),
                    "hp" => CaseAction::HandPage(parts.next()?.parse().ok()?),
                    "n" => CaseAction::Note,
                    "g" => CaseAction::Goal,
                    "aa" => CaseAction::AddAction,
                    "ip" => CaseAction::InProgress,
                    "ro" => CaseAction::ReferredOut,
                    "c" => CaseAction::Close,
                    "hi" => CaseAction::History,
                    "ph" => CaseAction::Photo,
                    "rd" => CaseAction::ReviewDate,
                    "e" => CaseAction::Entry(CaseEventId(parts.next()?.parse().ok()?)),
                    "an" => CaseAction::Answer,
                    "rc" => CaseAction::Refer,
                    "ru" => CaseAction::ReferAs(parts.next()?.to_string()),
                    "rt" => CaseAction::ReferTo(parts.next()?.to_string(), UserId(parts.next()?.parse().ok()?)),
                    _ => return None,
                };
                ButtonData::Case { id, action }
            }
            "ac" => {
                let id = ActionId(parts.next()?.parse().ok()?);
                let action = match parts.next()? {
                    "d" => ActButton::Done,
                    "r" => ActButton::Reschedule,
                    "o" => ActButton::OpenCase,
                    _ => return None,
                };
                ButtonData::Act { id, action }
            }
            "ci" => {
                let nonce = parts.next()?.to_string();
                let action = match parts.next()? {
                    "s" => InputAction::Skip,
                    "u" => InputAction::Person(UserId(parts.next()?.parse().ok()?)),
                    "up" => InputAction::PersonPage(parts.next()?.parse().ok()?),
                    "d" => InputAction::Date(chrono::NaiveDate::parse_from_str(parts.next()?, "%Y%m%d").ok()?),
                    "x" => InputAction::Cancel,
                    _ => return None,
                };
                ButtonData::Input { nonce, action }
            }
            "hp" => {
                let student = StudentId(parts.next()?.parse().ok()?);
                let submission: i64 = parts.next()?.parse().ok()?;
                ButtonData::Help { student, submission: (submission > 0).then_some(SubmissionId(submission)) }
            }
            "hx" => ButtonData::HelpCancel(parts.next()?.to_string()),
            "mt" => {
                let nonce = parts.next()?.to_string();
                let action = match parts.next()? {
                    "c" => MeetAction::Class(ClassId(parts.next()?.parse().ok()?)),
                    "td" => MeetAction::Today,
                    "t" => MeetAction::Toggle(StudentId(parts.next()?.parse().ok()?)),
                    "p" => MeetAction::Page(parts.next()?.parse().ok()?),
                    "ok" => MeetAction::Save,
                    "x" => MeetAction::Cancel,
                    _ => return None,
                };
                ButtonData::Meet { nonce, action }
            }
            "sf" => {
                let tag = parts.next()?;
                let mut num = || -> Option<i64> { parts.next()?.parse().ok() };
                let button = match tag {
                    "l" => StaffButton::List(usize::try_from(num()?).ok()?),
                    "p" => StaffButton::Person(UserId(num()?)),
                    "c" => StaffButton::Classes { user: UserId(num()?), page: usize::try_from(num()?).ok()? },
                    "t" => StaffButton::Toggle {
                        user: UserId(num()?),
                        class: ClassId(num()?),
                        page: usize::try_from(num()?).ok()?,
                    },
                    "r" => StaffButton::Revoke(UserId(num()?)),
                    "rr" => StaffButton::ConfirmRevoke(UserId(num()?)),
                    "i" => StaffButton::Reinstate(UserId(num()?)),
                    _ => return None,
                };
                ButtonData::Staff(button)
            }
            "pa" => {
                let tag = parts.next()?;
                let mut num = || -> Option<i64> { parts.next()?.parse().ok() };
                let button = match tag {
                    "p" => ParentsButton::Page(usize::try_from(num()?).ok()?),
                    "s" => ParentsButton::Student(StudentId(num()?)),
                    "u" => ParentsButton::Unlink { student: StudentId(num()?), parent: UserId(num()?) },
                    "uu" => ParentsButton::ConfirmUnlink { student: StudentId(num()?), parent: UserId(num()?) },
                    _ => return None,
                };
                ButtonData::Parents(button)
            }
            "an" => {
                let rest: Vec<&str> = parts.by_ref().collect();
                ButtonData::Ann(AnnButton::decode_tail(&rest)?)
            }
            _ => return None,
        };
        // Trailing parts mean this is not ours.
        parts.next().is_none().then_some(decoded)
    }
}

/// A step of the flow (tied to one run by its nonce).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowAction {
    Parents,
    Staff,
    GradeMenu,
    ClassMenu,
    Grade(Level, u8),
    Class(ClassId),
    Mine,
    NoMedia,
    Send,
    Schedule,
    EditText,
    Cancel,
}

/// What an announcement button carries (inside [`ButtonData::Ann`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnButton {
    Flow {
        nonce: String,
        action: FlowAction,
    },
    /// "รับทราบ" under an announcement.
    Ack(AnnouncementId),
    /// The sender's report: who did not receive it.
    Missing(AnnouncementId),
    /// The sender's report: who has not acknowledged.
    NotAcked(AnnouncementId),
    /// Cancel a scheduled announcement before it starts.
    Unschedule(AnnouncementId),
}

fn level_code(level: Level) -> &'static str {
    match level {
        Level::Kindergarten => "k",
        Level::Primary => "p",
        Level::Secondary => "m",
    }
}

fn level_from_code(code: &str) -> Option<Level> {
    match code {
        "k" => Some(Level::Kindergarten),
        "p" => Some(Level::Primary),
        "m" => Some(Level::Secondary),
        _ => None,
    }
}

impl AnnButton {
    /// The part after `1:an:`.
    pub fn encode_tail(&self) -> String {
        match self {
            AnnButton::Flow { nonce, action } => {
                let action = match action {
                    FlowAction::Parents => "ap".to_string(),
                    FlowAction::Staff => "as".into(),
                    FlowAction::GradeMenu => "gm".into(),
                    FlowAction::ClassMenu => "cm".into(),
                    FlowAction::Grade(level, grade) => format!("g:{}{grade}", level_code(*level)),
                    FlowAction::Class(id) => format!("c:{id}"),
                    FlowAction::Mine => "my".into(),
                    FlowAction::NoMedia => "nm".into(),
                    FlowAction::Send => "ok".into(),
                    FlowAction::Schedule => "t".into(),
                    FlowAction::EditText => "e".into(),
                    FlowAction::Cancel => "x".into(),
                };
                format!("f:{nonce}:{action}")
            }
            AnnButton::Ack(id) => format!("k:{id}"),
            AnnButton::Missing(id) => format!("m:{id}"),
            AnnButton::NotAcked(id) => format!("n:{id}"),
            AnnButton::Unschedule(id) => format!("u:{id}"),
        }
    }

    pub fn decode_tail(parts: &[&str]) -> Option<AnnButton> {
        let id = |p: Option<&&str>| p.and_then(|s| s.parse::<i64>().ok()).map(AnnouncementId);
        Some(match parts {
            ["k", n] => AnnButton::Ack(id(Some(n))?),
            ["m", n] => AnnButton::Missing(id(Some(n))?),
            ["n", n] => AnnButton::NotAcked(id(Some(n))?),
            ["u", n] => AnnButton::Unschedule(id(Some(n))?),
            ["f", nonce, rest @ ..] => {
                let action = match rest {
                    ["ap"] => FlowAction::Parents,
                    ["as"] => FlowAction::Staff,
                    ["gm"] => FlowAction::GradeMenu,
                    ["cm"] => FlowAction::ClassMenu,
                    ["g", g] => {
                        let level = level_from_code(g.get(..1)?)?;
                        FlowAction::Grade(level, g.get(1..)?.parse().ok()?)
                    }
                    ["c", n] => FlowAction::Class(ClassId(n.parse().ok()?)),
                    ["my"] => FlowAction::Mine,
                    ["nm"] => FlowAction::NoMedia,
                    ["ok"] => FlowAction::Send,
                    ["t"] => FlowAction::Schedule,
                    ["e"] => FlowAction::EditText,
                    ["x"] => FlowAction::Cancel,
                    _ => return None,
                };
                AnnButton::Flow { nonce: (*nonce).to_string(), action }
            }
            _ => return None,
        })
    }

    /// The callback data.
    pub fn data(&self) -> String {
        ButtonData::Ann(self.clone()).encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_fits_telegram() {
        let all = [
            ButtonData::Lang(Lang::En),
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::Role(Role::Counselor) },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::ToggleClass(ClassId(i64::MAX)) },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::Page(3) },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::Done },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::SkipName },
            ButtonData::Invite { nonce: "abcd".into(), action: InviteAction::Cancel },
            ButtonData::Pick { nonce: "abcd".into(), action: PickAction::Student(StudentId(123456)) },
            ButtonData::Pick { nonce: "abcd".into(), action: PickAction::Restart },
            ButtonData::Refer(SubmissionId(99)),
            // The longest a form button can be: a 24-byte question id in repeat item 99 and a 16-byte value.
            ButtonData::Form {
                nonce: "abcd".into(),
                at: format!("{}.99", "q".repeat(24)),
                action: FormAction::Choose("v".repeat(16)),
            },
            ButtonData::Form { nonce: "abcd".into(), at: "~r".into(), action: FormAction::Edit(30) },
            ButtonData::ReferStep { nonce: "abcd".into(), action: ReferAction::ToggleAspect("substance".into()) },
            ButtonData::ReferStep { nonce: "abcd".into(), action: ReferAction::Urgency("very_urgent".into()) },
            ButtonData::ReferStep { nonce: "abcd".into(), action: ReferAction::Target(UserId(i64::MAX)) },
            ButtonData::Case { id: CaseId(i64::MAX), action: CaseAction::HandTo(UserId(i64::MAX)) },
            ButtonData::Case { id: CaseId(5), action: CaseAction::ReferredOut },
            ButtonData::Act { id: ActionId(i64::MAX), action: ActButton::Reschedule },
            ButtonData::Input {
                nonce: "abcd".into(),
                action: InputAction::Date(chrono::NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or_default()),
            },
            ButtonData::Input { nonce: "abcd".into(), action: InputAction::Person(UserId(42)) },
            ButtonData::Survey(SurveyRoundId(i64::MAX)),
            ButtonData::SurveySend { confirm: true, audience: Some("parents".into()) },
            ButtonData::SurveySend { confirm: false, audience: None },
            ButtonData::Help { student: StudentId(i64::MAX), submission: Some(SubmissionId(i64::MAX)) },
            ButtonData::Help { student: StudentId(7), submission: None },
            ButtonData::HelpCancel("abcd".into()),
            ButtonData::Meet { nonce: "abcd".into(), action: MeetAction::Toggle(StudentId(i64::MAX)) },
            ButtonData::Meet { nonce: "abcd".into(), action: MeetAction::Page(12) },
            ButtonData::Case { id: CaseId(i64::MAX), action: CaseAction::Entry(CaseEventId(i64::MAX)) },
            ButtonData::Case {
                id: CaseId(i64::MAX),
                action: CaseAction::ReferTo("very_urgent".into(), UserId(i64::MAX)),
            },
            ButtonData::Case { id: CaseId(3), action: CaseAction::ReferAs("urgent".into()) },
            ButtonData::Case { id: CaseId(i64::MAX), action: CaseAction::HandPage(usize::MAX) },
            ButtonData::Input { nonce: "abcd".into(), action: InputAction::PersonPage(12) },
            ButtonData::ReferStep { nonce: "abcd".into(), action: ReferAction::TargetPage(3) },
            ButtonData::Staff(StaffButton::List(2)),
            ButtonData::Staff(StaffButton::Person(UserId(i64::MAX))),
            ButtonData::Staff(StaffButton::Classes { user: UserId(i64::MAX), page: 9 }),
            ButtonData::Staff(StaffButton::Toggle { user: UserId(i64::MAX), class: ClassId(i64::MAX), page: 99 }),
            ButtonData::Staff(StaffButton::Revoke(UserId(7))),
            ButtonData::Staff(StaffButton::ConfirmRevoke(UserId(i64::MAX))),
            ButtonData::Staff(StaffButton::Reinstate(UserId(7))),
            ButtonData::Parents(ParentsButton::Page(1)),
            ButtonData::Parents(ParentsButton::Student(StudentId(i64::MAX))),
            ButtonData::Parents(ParentsButton::Unlink { student: StudentId(i64::MAX), parent: UserId(i64::MAX) }),
            ButtonData::Parents(ParentsButton::ConfirmUnlink {
                student: StudentId(i64::MAX),
                parent: UserId(i64::MAX),
            }),
        ];
        for b in all {
            let data = b.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(ButtonData::decode(&data), Some(b));
        }
    }

    #[test]
    fn foreign_and_old_buttons_are_not_misread() {
        for data in [
            "",
            "lang:th",
            "0:lang:th",
            "1:lang:fr",
            "1:inv:abcd:r:janitor",
            "1:inv:abcd:c:x",
            "1:lang:th:extra",
            "1:zzz",
        ] {
            assert_eq!(ButtonData::decode(data), None, "{data}");
        }
    }

    #[test]
    fn care_buttons_sent_before_ids_were_typed_still_work() {
        // Typed ids are written as the bare number: a notification sent by an older bot opens the same case.
        for (data, button) in [
            ("1:cs:5:ht:7", ButtonData::Case { id: CaseId(5), action: CaseAction::HandTo(UserId(7)) }),
            ("1:cs:5:e:12", ButtonData::Case { id: CaseId(5), action: CaseAction::Entry(CaseEventId(12)) }),
            ("1:ac:9:d", ButtonData::Act { id: ActionId(9), action: ActButton::Done }),
            ("1:rf:3", ButtonData::Refer(SubmissionId(3))),
            ("1:hp:4:0", ButtonData::Help { student: StudentId(4), submission: None }),
            ("1:mt:abcd:t:8", ButtonData::Meet { nonce: "abcd".into(), action: MeetAction::Toggle(StudentId(8)) }),
        ] {
            assert_eq!(ButtonData::decode(data), Some(button.clone()), "{data}");
            assert_eq!(button.encode(), data);
        }
    }
}
