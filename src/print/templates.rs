//! The template files: shipped in `templates/` (embedded in the binary), overridable one file at a time from
//! the school's folder (`DULAE_TEMPLATES_DIR`). A school copies `screening.typ`, changes the heading or the
//! signature lines, and Dulae uses its copy; the files it did not copy stay the shipped ones.
//!
//! [`check`] compiles every document with sample data, so a mistake in an edited template is reported at
//! start-up and by `dulae templates check [DIR]` with the file, line and column — not when a teacher asks
//! for a paper.

use std::collections::BTreeMap;
use std::path::Path;

/// The shipped templates: `(file name, text)`. `common.typ` holds what every document shares (the page, the
/// school's heading, signature lines); the others are one document each.
pub const SHIPPED: &[(&str, &str)] = &[
    ("common.typ", include_str!("../../templates/common.typ")),
    ("screening.typ", include_str!("../../templates/screening.typ")),
    ("visit.typ", include_str!("../../templates/visit.typ")),
    ("referral.typ", include_str!("../../templates/referral.typ")),
    ("plan.typ", include_str!("../../templates/plan.typ")),
    ("report.typ", include_str!("../../templates/report.typ")),
    ("slips.typ", include_str!("../../templates/slips.typ")),
];

/// A problem with a template, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.join("\n"))]
pub struct TemplateError {
    /// The document's template (`screening.typ`).
    pub template: String,
    /// One line per problem: `screening.typ:12:5: unknown variable: studnets`.
    pub problems: Vec<String>,
}

impl TemplateError {
    pub fn new(template: &str, problems: Vec<String>) -> TemplateError {
        let problems = if problems.is_empty() { vec![format!("{template}: could not be typeset")] } else { problems };
        TemplateError { template: template.to_string(), problems }
    }

    pub fn missing(template: &str) -> TemplateError {
        TemplateError::new(template, vec![format!("{template}: no such template")])
    }
}

/// The template files in use: the shipped ones, with the school's copies in place of theirs.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    files: BTreeMap<String, String>,
    /// Which files came from the school's folder (for the check's report).
    overridden: Vec<String>,
}

impl TemplateSet {
    /// Only the shipped templates.
    pub fn shipped() -> TemplateSet {
        TemplateSet {
            files: SHIPPED.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect(),
            overridden: Vec::new(),
        }
    }

    /// The shipped templates, and every `.typ` file of `dir` in place of (or beside) them. A folder that does
    /// not exist or cannot be read is an error: the school meant to use it.
    pub fn load(dir: Option<&Path>) -> Result<TemplateSet, TemplateError> {
        let mut set = TemplateSet::shipped();
        let Some(dir) = dir else {
            return Ok(set);
        };
        let fail = |problem: String| TemplateError::new(&dir.display().to_string(), vec![problem]);
        let entries =
            std::fs::read_dir(dir).map_err(|e| fail(format!("{}: cannot read the folder: {e}", dir.display())))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| fail(format!("{}: {e}", dir.display())))?;
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("typ") || !path.is_file() {
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
                continue;
            };
            let text = std::fs::read_to_string(&path)
                .map_err(|e| fail(format!("{}: cannot read (UTF-8 text expected): {e}", path.display())))?;
            names.push(name.clone());
            set.files.insert(name, text);
        }
        names.sort();
        set.overridden = names;
        Ok(set)
    }

    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(n, t)| (n.as_str(), t.as_str()))
    }

    pub fn overridden(&self) -> &[String] {
        &self.overridden
    }
}

/// Typeset every document with sample data. `Ok`: the names of the templates checked.
pub fn check(set: &TemplateSet) -> Result<Vec<&'static str>, Vec<TemplateError>> {
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for kind in super::DocumentKind::ALL {
        let sample = super::sample::document(kind);
        match super::render(set, &sample) {
            Ok(_) => checked.push(kind.template()),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(checked) } else { Err(errors) }
}
