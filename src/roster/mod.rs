//! Importing the roster the school exports from its student-records spreadsheet (CSV).
//!
//! The whole file is checked first and written in one transaction: a single bad line means nothing is
//! imported, and every bad line is reported with its line number, column and what is wrong.

use crate::domain::{ClassName, Gender, NewStudent, PhoneNumber, Prefix, StudentCode};
use crate::store::Store;
use crate::store::audit::{self, Actor, Entry};
use crate::store::students::{self, Upserted};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::fmt;

/// One thing wrong with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line in the file, as a spreadsheet shows it (the header is line 1).
    pub line: u64,
    /// The column's name in the header (empty when the whole line is wrong).
    pub column: String,
    pub problem: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.problem)
        } else {
            write!(f, "line {}, column {}: {}", self.line, self.column, self.problem)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    StudentId,
    Prefix,
    FirstName,
    LastName,
    Class,
    Nickname,
    Gender,
    BirthDate,
    ParentName,
    ParentPhone,
}

impl Column {
    const REQUIRED: [Column; 5] =
        [Column::StudentId, Column::Prefix, Column::FirstName, Column::LastName, Column::Class];

    fn name(self) -> &'static str {
        match self {
            Column::StudentId => "student_id",
            Column::Prefix => "prefix",
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::Class => "class",
            Column::Nickname => "nickname",
            Column::Gender => "gender",
            Column::BirthDate => "birth_date",
            Column::ParentName => "parent_name",
            Column::ParentPhone => "parent_phone",
        }
    }

    /// Header names we accept: ours, and the Thai ones school spreadsheets use.
    fn from_header(header: &str) -> Option<Column> {
        let h = header.trim().trim_start_matches('\u{feff}').to_lowercase().replace([' ', '-'], "_");
        Some(match h.as_str() {
            "student_id" | "เลขประจำตัว" | "เลขประจำตัวนักเรียน" | "รหัสนักเรียน" => {
                Column::StudentId
            }
            "prefix" | "คำนำหน้า" | "คำนำหน้าชื่อ" => Column::Prefix,
            "first_name" | "ชื่อ" => Column::FirstName,
            "last_name" | "นามสกุล" => Column::LastName,
            "class" | "ชั้น" | "ห้อง" | "ชั้น/ห้อง" => Column::Class,
            "nickname" | "ชื่อเล่น" => Column::Nickname,
            "gender" | "เพศ" => Column::Gender,
            "birth_date" | "วันเกิด" | "วันเดือนปีเกิด" => Column::BirthDate,
            "parent_name" | "ชื่อผู้ปกครอง" | "ผู้ปกครอง" => {
                Column::ParentName
            }
            "parent_phone" | "เบอร์ผู้ปกครอง" | "โทรศัพท์ผู้ปกครอง" => {
                Column::ParentPhone
            }
            _ => return None,
        })
    }
}

const MAX_NAME_CHARS: usize = 100;

/// Read and check a roster file. Returns every student, or every problem found.
pub fn parse(bytes: &[u8]) -> Result<Vec<NewStudent>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Excel writes CRLF. The csv reader counts a line at its '\n', after it has already started the next
    // record, so every line number after a CRLF would be one too small: read CRLF as LF.
    let unix: Vec<u8>;
    let bytes = if bytes.windows(2).any(|w| w == b"\r\n") {
        unix = crlf_to_lf(bytes);
        &unix[..]
    } else {
        bytes
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => return Err(vec![RowError { line: 1, column: String::new(), problem: "the file is empty".into() }]),
        Some(Err(e)) => return Err(vec![csv_error(&e)]),
        Some(Ok(h)) => h,
    };
    let columns = read_header(&header)?;
    let width = header.len();

    let mut errors = Vec::new();
    let mut students = Vec::new();
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_error(&e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank lines at the end of an Excel export
        }
        if record.len() != width {
            errors.push(RowError {
                line,
                column: String::new(),
                problem: format!("has {} fields but the header has {width}", record.len()),
            });
            continue;
        }
        match read_student(&record, &columns, line) {
            Ok(student) => {
                let code = student.code.as_str().to_string();
                if let Some(first) = first_line_of.get(&code) {
                    errors.push(RowError {
                        line,
                        column: Column::StudentId.name().into(),
                        problem: format!("student id {code} already appears on line {first}"),
                    });
                } else {
                    first_line_of.insert(code, line);
                    students.push(student);
                }
            }
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    if errors.is_empty() { Ok(students) } else { Err(errors) }
}

fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().peekable();
    while let Some(&b) = iter.next() {
        if b == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

fn csv_error(e: &csv::Error) -> RowError {
    let line = e.position().map_or(0, |p| p.line());
    RowError { line, column: String::new(), problem: format!("cannot be read as CSV: {e}") }
}

fn read_header(header: &csv::ByteRecord) -> Result<HashMap<Column, usize>, Vec<RowError>> {
    let mut columns = HashMap::new();
    let mut errors = Vec::new();
    for (index, raw) in header.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(raw) else {
            return Err(vec![not_utf8(1, "")]);
        };
        if name.trim().is_empty() {
            continue;
        }
        // Unknown columns are ignored: school exports carry many we do not need.
        if let Some(col) = Column::from_header(name)
            && columns.insert(col, index).is_some()
        {
            errors.push(RowError { line: 1, column: name.trim().into(), problem: "this column appears twice".into() });
        }
    }
    for col in Column::REQUIRED {
        if !columns.contains_key(&col) {
            errors.push(RowError {
                line: 1,
                column: col.name().into(),
                problem: "required column is missing from the header".into(),
            });
        }
    }
    if errors.is_empty() { Ok(columns) } else { Err(errors) }
}

fn not_utf8(line: u64, column: &str) -> RowError {
    RowError {
        line,
        column: column.into(),
        problem: "is not UTF-8 text; in Excel use Save As → \"CSV UTF-8 (Comma delimited)\"".into(),
    }
}

fn read_student(
    record: &csv::ByteRecord,
    columns: &HashMap<Column, usize>,
    line: u64,
) -> Result<NewStudent, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut field = |col: Column| -> Option<String> {
        let raw = columns.get(&col).and_then(|i| record.get(*i))?;
        match std::str::from_utf8(raw) {
            Ok(text) => Some(text.trim().to_string()).filter(|t| !t.is_empty()),
            Err(_) => {
                errors.push(not_utf8(line, col.name()));
                None
            }
        }
    };
    let values: HashMap<Column, Option<String>> = [
        Column::StudentId,
        Column::Prefix,
        Column::FirstName,
        Column::LastName,
        Column::Class,
        Column::Nickname,
        Column::Gender,
        Column::BirthDate,
        Column::ParentName,
        Column::ParentPhone,
    ]
    .into_iter()
    .map(|c| (c, field(c)))
    .collect();
    let get = |c: Column| values.get(&c).cloned().flatten();
    let mut problem =
        |col: Column, text: String| errors.push(RowError { line, column: col.name().into(), problem: text });

    let code = match get(Column::StudentId).map(|v| StudentCode::parse(&v)) {
        None => {
            problem(Column::StudentId, "is empty".into());
            None
        }
        Some(Err(e)) => {
            problem(Column::StudentId, format!("{e}"));
            None
        }
        Some(Ok(code)) => Some(code),
    };
    let prefix = match get(Column::Prefix) {
        None => {
            problem(Column::Prefix, "is empty".into());
            None
        }
        Some(v) => Prefix::parse(&v).or_else(|| {
            problem(Column::Prefix, format!("{v:?} is not one of ด.ช., ด.ญ., นาย, นางสาว"));
            None
        }),
    };
    let mut name = |col: Column| match get(col) {
        None => {
            problem(col, "is empty".into());
            None
        }
        Some(v) if v.chars().count() > MAX_NAME_CHARS => {
            problem(col, format!("is longer than {MAX_NAME_CHARS} characters"));
            None
        }
        Some(v) => Some(v),
    };
    let first_name = name(Column::FirstName);
    let last_name = name(Column::LastName);
    let class = match get(Column::Class) {
        None => {
            problem(Column::Class, "is empty".into());
            None
        }
        Some(v) => ClassName::parse(&v).map_err(|e| problem(Column::Class, format!("{v:?}: {e}"))).ok(),
    };
    let gender = get(Column::Gender).and_then(|v| {
        Gender::parse(&v).or_else(|| {
            problem(Column::Gender, format!("{v:?} is not ชาย or หญิง"));
            None
        })
    });
    let birth_date = get(Column::BirthDate).and_then(|v| {
        crate::l10n::thai_date::parse_date(&v)
            .map_err(|e| problem(Column::BirthDate, format!("{v:?}: {e} (write 24/11/2558)")))
            .ok()
    });
    let parent_phone = get(Column::ParentPhone).and_then(|v| {
        PhoneNumber::parse(&v).or_else(|| {
            problem(Column::ParentPhone, format!("{v:?} is not a Thai phone number"));
            None
        })
    });
    let short = |v: Option<String>| v.map(|s| s.chars().take(MAX_NAME_CHARS).collect::<String>());
    let nickname = short(get(Column::Nickname));
    let parent_name = short(get(Column::ParentName));

    match (code, prefix, first_name, last_name, class) {
        (Some(code), Some(prefix), Some(first_name), Some(last_name), Some(class)) if errors.is_empty() => {
            Ok(NewStudent {
                code,
                prefix,
                first_name,
                last_name,
                class,
                nickname,
                gender,
                birth_date,
                parent_name,
                parent_phone,
            })
        }
        _ => Err(errors),
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub archived: usize,
}

#[derive(Debug)]
pub enum ImportError {
    /// The file has problems; nothing was written.
    Invalid(Vec<RowError>),
    Store(anyhow::Error),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Invalid(errors) => {
                writeln!(f, "nothing was imported: {} problem(s) in the file", errors.len())?;
                for e in errors {
                    writeln!(f, "  {e}")?;
                }
                Ok(())
            }
            ImportError::Store(e) => write!(f, "nothing was imported: {e:#}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// Check the file, then write every student in one transaction. With `archive_missing`, active students of
/// the classes in this file who are not in it are moved out (archived, never deleted).
pub fn import(
    store: &Store,
    bytes: &[u8],
    archive_missing: bool,
    by: Actor,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let students = parse(bytes).map_err(ImportError::Invalid)?;
    store
        .write(|tx| {
            let mut report = ImportReport::default();
            let mut class_ids = HashMap::new();
            for s in &students {
                let class = match class_ids.get(&s.class) {
                    Some(id) => *id,
                    None => {
                        let id = students::ensure_class(tx, &s.class, now)?;
                        class_ids.insert(s.class, id);
                        id
                    }
                };
                match students::upsert_student(tx, s, class, now)? {
                    Upserted::Added => report.added += 1,
                    Upserted::Updated => report.updated += 1,
                    Upserted::Unchanged => report.unchanged += 1,
                }
            }
            if archive_missing {
                let classes: Vec<_> = class_ids.values().copied().collect();
                let keep: Vec<String> = students.iter().map(|s| s.code.as_str().to_string()).collect();
                report.archived = students::archive_missing(tx, &classes, &keep, now)?;
            }
            audit::record(
                tx,
                now,
                Entry {
                    actor: by,
                    action: "roster.import",
                    entity: "students",
                    entity_id: None,
                    detail: Some(serde_json::json!({
                        "added": report.added, "updated": report.updated,
                        "unchanged": report.unchanged, "archived": report.archived,
                    })),
                },
            )?;
            Ok(report)
        })
        .map_err(ImportError::Store)
}
