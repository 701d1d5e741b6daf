//! A student as the school's records know them.

use std::fmt;

/// The school's own student id (เลขประจำตัวนักเรียน), kept as text: leading zeros matter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StudentCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StudentCodeError {
    #[error("empty")]
    Empty,
    #[error("longer than 20 characters")]
    TooLong,
    #[error("only digits, letters and - are allowed")]
    BadCharacter,
}

impl StudentCode {
    pub fn parse(raw: &str) -> Result<Self, StudentCodeError> {
        let code = crate::l10n::thai_date::arabic_digits(raw.trim());
        if code.is_empty() {
            return Err(StudentCodeError::Empty);
        }
        if code.chars().count() > 20 {
            return Err(StudentCodeError::TooLong);
        }
        if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(StudentCodeError::BadCharacter);
        }
        Ok(StudentCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StudentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Thai name prefixes used in school records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    /// ด.ช. — boy under 15
    Boy,
    /// ด.ญ. — girl under 15
    Girl,
    /// นาย — young man 15 and over
    Mr,
    /// นางสาว — young woman 15 and over
    Miss,
}

impl Prefix {
    pub fn as_thai(self) -> &'static str {
        match self {
            Prefix::Boy => "ด.ช.",
            Prefix::Girl => "ด.ญ.",
            Prefix::Mr => "นาย",
            Prefix::Miss => "นางสาว",
        }
    }

    /// Accepts the forms found in school spreadsheets: with or without dots and spaces, written out in full,
    /// or in English.
    pub fn parse(raw: &str) -> Option<Prefix> {
        let key: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        match key.as_str() {
            "ดช" | "เด็กชาย" => Some(Prefix::Boy),
            "ดญ" | "เด็กหญิง" => Some(Prefix::Girl),
            "นาย" => Some(Prefix::Mr),
            "นางสาว" | "นส" => Some(Prefix::Miss),
            _ => match key.to_ascii_lowercase().as_str() {
                "master" | "boy" => Some(Prefix::Boy),
                "girl" => Some(Prefix::Girl),
                "mr" => Some(Prefix::Mr),
                "miss" | "ms" => Some(Prefix::Miss),
                _ => None,
            },
        }
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_thai())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_in_their_spreadsheet_forms() {
        assert_eq!(Prefix::parse("ด.ช."), Some(Prefix::Boy));
        assert_eq!(Prefix::parse("ด.ญ"), Some(Prefix::Girl));
        assert_eq!(Prefix::parse("เด็กหญิง"), Some(Prefix::Girl));
        assert_eq!(Prefix::parse(" นาย "), Some(Prefix::Mr));
        assert_eq!(Prefix::parse("น.ส."), Some(Prefix::Miss));
        assert_eq!(Prefix::parse("นาง"), None);
    }

    #[test]
    fn student_codes() {
        assert_eq!(StudentCode::parse(" ๐๑๒๓๔ ").map(|c| c.to_string()), Ok("01234".into()));
        assert_eq!(StudentCode::parse(""), Err(StudentCodeError::Empty));
        assert_eq!(StudentCode::parse("12 34"), Err(StudentCodeError::BadCharacter));
    }
}

/// Gender as school records write it; optional in the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn parse(raw: &str) -> Option<Gender> {
        match raw.trim().to_lowercase().as_str() {
            "ชาย" | "ช" | "m" | "male" | "1" => Some(Gender::Male),
            "หญิง" | "ญ" | "f" | "female" | "2" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// A Thai phone number, kept as the 9–10 digits people dial (0812345678).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts 081-234-5678, 081 234 5678, +66 81 234 5678, ๐๘๑๒๓๔๕๖๗๘.
    pub fn parse(raw: &str) -> Option<PhoneNumber> {
        let text = crate::l10n::thai_date::arabic_digits(raw);
        let mut digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
        if let Some(rest) = digits.strip_prefix("+66") {
            digits = format!("0{rest}");
        }
        let ok =
            digits.starts_with('0') && (9..=10).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
        ok.then_some(PhoneNumber(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A student as the roster import delivers them, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStudent {
    pub code: StudentCode,
    pub prefix: Prefix,
    pub first_name: String,
    pub last_name: String,
    pub class: super::ClassName,
    pub nickname: Option<String>,
    pub gender: Option<Gender>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub parent_name: Option<String>,
    pub parent_phone: Option<PhoneNumber>,
}

#[cfg(test)]
mod phone_tests {
    use super::*;

    #[test]
    fn phones() {
        for raw in ["081-234-5678", "+66 81 234 5678", "๐๘๑๒๓๔๕๖๗๘", "(081) 234 5678"] {
            assert_eq!(PhoneNumber::parse(raw).map(|p| p.as_str().to_string()), Some("0812345678".into()), "{raw}");
        }
        assert_eq!(PhoneNumber::parse("02-123-4567").map(|p| p.as_str().to_string()), Some("021234567".into()));
        assert!(PhoneNumber::parse("12345").is_none());
        assert!(PhoneNumber::parse("call me").is_none());
    }
}
