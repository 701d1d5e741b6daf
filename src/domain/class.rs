//! Class (ห้องเรียน) names such as ป.4/1 or ม.2/3, normalised so that "ป. ๔ / ๑" and "ป.4/1" are one class.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// อนุบาล, kindergarten: อ.1–อ.3
    Kindergarten,
    /// ประถมศึกษา, primary: ป.1–ป.6
    Primary,
    /// มัธยมศึกษา, secondary: ม.1–ม.6
    Secondary,
}

impl Level {
    pub fn abbreviation(self) -> &'static str {
        match self {
            Level::Kindergarten => "อ.",
            Level::Primary => "ป.",
            Level::Secondary => "ม.",
        }
    }

    fn max_grade(self) -> u8 {
        match self {
            Level::Kindergarten => 3,
            Level::Primary | Level::Secondary => 6,
        }
    }

    pub fn from_abbreviation(text: &str) -> Option<Level> {
        match text {
            "อ." => Some(Level::Kindergarten),
            "ป." => Some(Level::Primary),
            "ม." => Some(Level::Secondary),
            _ => None,
        }
    }
}

/// A normalised class name: level, grade and room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClassName {
    pub level: Level,
    pub grade: u8,
    pub room: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClassNameError {
    #[error("a class looks like ป.4/1 or ม.2/3")]
    Shape,
    #[error("there is no grade {grade} in {level}")]
    NoSuchGrade { level: &'static str, grade: u32 },
    #[error("room must be between 1 and 99")]
    Room,
}

impl ClassName {
    /// Parse the ways schools write a class: `ป.4/1`, `ป. 4/1`, `ป4/1`, `ป.๔/๑`, `ประถมศึกษาปีที่ 4/1`, `ม.2 / 3`,
    /// and `ป.4` for a grade with a single room (room 1).
    pub fn parse(raw: &str) -> Result<ClassName, ClassNameError> {
        let text: String = crate::l10n::thai_date::arabic_digits(raw).chars().filter(|c| !c.is_whitespace()).collect();
        let (level, rest) = split_level(&text).ok_or(ClassNameError::Shape)?;
        let rest = rest.trim_start_matches('.');
        // A school with one room per grade writes just the grade: ป.4 is room 1 (ป.4/1).
        let (grade, room) = rest.split_once('/').unwrap_or((rest, "1"));
        let grade: u32 = grade.parse().map_err(|_| ClassNameError::Shape)?;
        let room: u32 = room.parse().map_err(|_| ClassNameError::Shape)?;
        if grade == 0 || grade > u32::from(level.max_grade()) {
            return Err(ClassNameError::NoSuchGrade { level: level.abbreviation(), grade });
        }
        if room == 0 || room > 99 {
            return Err(ClassNameError::Room);
        }
        Ok(ClassName { level, grade: grade as u8, room: room as u8 })
    }

    /// The grade this class belongs to, e.g. `ป.4` for `ป.4/1` (used to address a whole grade).
    pub fn grade_label(&self) -> String {
        format!("{}{}", self.level.abbreviation(), self.grade)
    }
}

fn split_level(text: &str) -> Option<(Level, &str)> {
    const WORDS: [(&str, Level); 9] = [
        ("ประถมศึกษาปีที่", Level::Primary),
        ("มัธยมศึกษาปีที่", Level::Secondary),
        ("อนุบาลปีที่", Level::Kindergarten),
        ("อนุบาล", Level::Kindergarten),
        ("ป", Level::Primary),
        ("ม", Level::Secondary),
        ("อ", Level::Kindergarten),
        ("P", Level::Primary),
        ("M", Level::Secondary),
    ];
    WORDS.iter().find_map(|(word, level)| text.strip_prefix(word).map(|rest| (*level, rest)))
}

impl fmt::Display for ClassName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}/{}", self.level.abbreviation(), self.grade, self.room)
    }
}

impl std::str::FromStr for ClassName {
    type Err = ClassNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ClassName::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_spacing_and_digits() {
        for raw in ["ป.4/1", "ป. 4/1", "ป.๔/๑", "ป4/1", " ป . 4 / 1 ", "ประถมศึกษาปีที่ 4/1", "P.4/1"]
        {
            assert_eq!(ClassName::parse(raw).map(|c| c.to_string()), Ok("ป.4/1".to_string()), "{raw}");
        }
        assert_eq!(ClassName::parse("ม.๒/๓").map(|c| c.to_string()), Ok("ม.2/3".to_string()));
        // One room per grade: the grade alone names the class.
        for raw in ["ป.4", "ป. ๔", "ป4", "ประถมศึกษาปีที่ 4"] {
            assert_eq!(ClassName::parse(raw).map(|c| c.to_string()), Ok("ป.4/1".to_string()), "{raw}");
        }
        assert_eq!(ClassName::parse("อ.3/2").map(|c| c.grade_label()), Ok("อ.3".to_string()));
    }

    #[test]
    fn rejects_what_is_not_a_class() {
        assert_eq!(ClassName::parse("ป.7/1"), Err(ClassNameError::NoSuchGrade { level: "ป.", grade: 7 }));
        assert_eq!(ClassName::parse("อ.4/1"), Err(ClassNameError::NoSuchGrade { level: "อ.", grade: 4 }));
        assert_eq!(ClassName::parse("ป.4/"), Err(ClassNameError::Shape));
        assert_eq!(ClassName::parse("ป."), Err(ClassNameError::Shape));
        assert_eq!(ClassName::parse("ป.4/0"), Err(ClassNameError::Room));
        assert_eq!(ClassName::parse("4/1"), Err(ClassNameError::Shape));
        assert_eq!(ClassName::parse(""), Err(ClassNameError::Shape));
    }
}
