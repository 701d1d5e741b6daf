//! What the command line says, in the school's language (`DULAE_LANG`, Thai by default): role names, import
//! problems, and the parent-link spreadsheet. Values are printed as text, never as Rust debug strings.

use crate::announce::slips::Slip;
use crate::domain::Role;
use crate::l10n::{Args, Tr};
use crate::roster::ImportError;

/// The role as the school says it (ครูที่ปรึกษา, ผู้ปกครอง, …).
pub fn role_name(tr: Tr<'_>, role: Role) -> String {
    tr.get(&format!("role-{}", role.as_str()))
}

/// An import that was refused: how many problems, then one line each with its line number and column.
pub fn import_error(tr: Tr<'_>, error: &ImportError) -> String {
    match error {
        ImportError::Invalid(errors) => {
            let mut text = tr.with("ops-import-refused", Args::new().num("count", errors.len() as i64));
            for e in errors {
                let (id, value) = &e.message;
                let problem = tr.with(id, Args::new().str("value", value.clone()));
                let line = if e.column.is_empty() {
                    tr.with("ops-import-problem-line", Args::new().num("line", e.line as i64).str("problem", problem))
                } else {
                    let args =
                        Args::new().num("line", e.line as i64).str("column", e.column.clone()).str("problem", problem);
                    tr.with("ops-import-problem-cell", args)
                };
                text.push_str("\n  ");
                text.push_str(&line);
            }
            text
        }
        ImportError::Store(e) => tr.with("ops-import-failed", Args::new().str("error", format!("{e:#}"))),
    }
}

/// The parent links as a spreadsheet: UTF-8 with a BOM (so Excel on Windows shows Thai), every field quoted
/// (a name with a comma stays in its column), CRLF line ends as Excel writes them.
pub fn parent_links_csv(tr: Tr<'_>, slips: &[Slip]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer.write_record([
            tr.get("ops-csv-student-code"),
            tr.get("ops-csv-student-name"),
            tr.get("ops-csv-class"),
            tr.get("ops-csv-guardian"),
            tr.get("ops-csv-link"),
            tr.get("ops-csv-expires"),
        ])?;
        for slip in slips {
            writer.write_record([
                slip.student_code.clone(),
                slip.student_name.clone(),
                slip.class_name.clone(),
                slip.guardian.to_string(),
                slip.link.clone(),
                tr.date(slip.expires),
            ])?;
        }
        writer.flush()?;
    }
    Ok(out)
}
