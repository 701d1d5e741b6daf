//! The school year (ปีการศึกษา), named by its Buddhist Era year: ปีการศึกษา 2569 runs from mid-May 2026 (term 1)
//! to March 2027 (the end of term 2). Terms 1/2569 and 2/2569 belong to it.

use super::Term;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct AcademicYear {
    /// The Buddhist Era year term 1 starts in.
    pub be: i32,
}

impl AcademicYear {
    pub fn new(be: i32) -> AcademicYear {
        AcademicYear { be }
    }

    /// `2570` or `๒๕๗๐`; only plausible Buddhist Era years (a Christian Era year like 2027 is refused, so a
    /// typo does not roll the school into the wrong century).
    pub fn parse(text: &str) -> Option<AcademicYear> {
        let text = crate::l10n::thai_date::arabic_digits(text.trim());
        let be: i32 = text.parse().ok()?;
        (2500..=2700).contains(&be).then_some(AcademicYear { be })
    }

    pub fn of(term: Term) -> AcademicYear {
        AcademicYear { be: term.year_be }
    }

    pub fn terms(self) -> [Term; 2] {
        [Term { year_be: self.be, number: 1 }, Term { year_be: self.be, number: 2 }]
    }

    pub fn first_term(self) -> Term {
        Term { year_be: self.be, number: 1 }
    }

    pub fn last_term(self) -> Term {
        Term { year_be: self.be, number: 2 }
    }

    pub fn previous(self) -> AcademicYear {
        AcademicYear { be: self.be - 1 }
    }
}

impl Term {
    /// The school year this term belongs to.
    pub fn academic_year(self) -> AcademicYear {
        AcademicYear::of(self)
    }
}

impl fmt::Display for AcademicYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.be)
    }
}

/// What a form's coverage counts in: a screening is done every term, a home visit once a school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    #[default]
    Term,
    Year,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Term => "term",
            Period::Year => "year",
        }
    }

    pub fn parse(text: &str) -> Option<Period> {
        match text {
            "term" => Some(Period::Term),
            "year" => Some(Period::Year),
            _ => None,
        }
    }

    /// A form file that does not say: a home visit is made once a school year, everything else every term.
    pub fn default_for_kind(kind: &str) -> Period {
        if kind == "home_visit" { Period::Year } else { Period::Term }
    }

    /// The stored term names a submission may carry to count for `term` in this period.
    pub fn term_names(self, term: Term) -> Vec<String> {
        match self {
            Period::Term => vec![term.to_string()],
            Period::Year => term.academic_year().terms().iter().map(ToString::to_string).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_their_terms() {
        let y = AcademicYear::parse("๒๕๗๐").unwrap();
        assert_eq!(y.be, 2570);
        assert_eq!(y.terms()[1].to_string(), "2/2570");
        assert_eq!(AcademicYear::parse("2027"), None);
        assert_eq!(Term::parse("2/2569").unwrap().academic_year(), AcademicYear::new(2569));
        assert_eq!(Period::Year.term_names(Term::parse("2/2569").unwrap()), vec!["1/2569", "2/2569"]);
        assert_eq!(Period::Term.term_names(Term::parse("2/2569").unwrap()), vec!["2/2569"]);
        assert_eq!(Period::parse("month"), None);
    }
}
