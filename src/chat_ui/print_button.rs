//! The buttons of `/print`: which document, then which class, student or case (short ids only).

use crate::domain::document::DocumentKind;
use crate::domain::ids::{CaseId, ClassId, StudentId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintButton {
    /// Choose a kind of document.
    Kind(DocumentKind),
    /// This term's (`year: false`) or this school year's report.
    Report { year: bool },
    /// A class: its screening summary, its students for a visit record, or its parent slips.
    Class { kind: DocumentKind, id: ClassId },
    /// A student's home-visit record.
    Student(StudentId),
    /// A case's referral or plan.
    Case { kind: DocumentKind, id: CaseId },
}

fn kind_code(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Screening => "s",
        DocumentKind::Visit => "v",
        DocumentKind::Referral => "r",
        DocumentKind::Plan => "p",
        DocumentKind::Report => "t",
        DocumentKind::Slips => "l",
    }
}

fn kind_of(code: &str) -> Option<DocumentKind> {
    DocumentKind::ALL.into_iter().find(|k| kind_code(*k) == code)
}

impl PrintButton {
    pub fn encode_tail(&self) -> String {
        match self {
            PrintButton::Kind(kind) => format!("k:{}", kind_code(*kind)),
            PrintButton::Report { year } => format!("t:{}", if *year { "y" } else { "t" }),
            PrintButton::Class { kind, id } => format!("c:{}:{id}", kind_code(*kind)),
            PrintButton::Student(id) => format!("s:{id}"),
            PrintButton::Case { kind, id } => format!("x:{}:{id}", kind_code(*kind)),
        }
    }

    pub fn decode_tail(parts: &[&str]) -> Option<PrintButton> {
        let id = |s: &str| s.parse::<i64>().ok();
        Some(match parts {
            ["k", k] => PrintButton::Kind(kind_of(k)?),
            ["t", "y"] => PrintButton::Report { year: true },
            ["t", "t"] => PrintButton::Report { year: false },
            ["c", k, n] => PrintButton::Class { kind: kind_of(k)?, id: ClassId(id(n)?) },
            ["s", n] => PrintButton::Student(StudentId(id(n)?)),
            ["x", k, n] => PrintButton::Case { kind: kind_of(k)?, id: CaseId(id(n)?) },
            _ => return None,
        })
    }
}
