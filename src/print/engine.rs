//! The typesetting engine: Typst used as a library. A document is a template (a `.typ` file from `templates/`
//! or the school's own folder) compiled against one JSON file of data (`/data.json`) and a few images
//! (`/img/…`), with the shipped Sarabun fonts, into PDF bytes.
//!
//! The template sees nothing else: no files of the machine, no packages, no network — a school's edited
//! template can lay out the paper differently but cannot read anything Dulae did not hand it.
//!
//! Thai: Typst breaks lines between words with ICU's Thai dictionary and shapes with the font's GSUB/GPOS.
//! Its PDF writer maps each glyph back to text per cluster; see [`super::text_layer`] for why we rewrite the
//! glyphs' text ranges before writing the PDF.

use super::templates::{TemplateError, TemplateSet};
use std::collections::HashMap;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{DiagSpanKind, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt as _, World};
use typst_layout::PagedDocument;

/// Sarabun (SIL Open Font License, `assets/fonts/Sarabun-OFL.txt`): the open counterpart of TH Sarabun, the
/// font of Thai government documents.
pub const SARABUN_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Sarabun-Regular.ttf");
pub const SARABUN_BOLD: &[u8] = include_bytes!("../../assets/fonts/Sarabun-Bold.ttf");

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> =
        [SARABUN_REGULAR, SARABUN_BOLD].into_iter().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// What a document is made of besides its template: the data and the pictures, by name.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The document's data, as JSON (read by the template with `json("/data.json")`).
    pub data: Vec<u8>,
    /// Pictures by file name (`chart-screening.png`, `qr.svg`, `logo.png`): `image("/img/<name>")`.
    pub images: HashMap<String, Vec<u8>>,
}

fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

/// The closed world a template is compiled in.
struct DocWorld<'a> {
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    _inputs: &'a Inputs,
}

impl<'a> DocWorld<'a> {
    fn new(set: &TemplateSet, main: &str, inputs: &'a Inputs) -> Result<Self, TemplateError> {
        let mut sources = HashMap::new();
        for (name, text) in set.files() {
            if let Some(id) = file_id(&format!("/{name}")) {
                sources.insert(id, Source::new(id, text.to_string()));
            }
        }
        let main_id = file_id(&format!("/{main}")).ok_or_else(|| TemplateError::missing(main))?;
        if !sources.contains_key(&main_id) {
            return Err(TemplateError::missing(main));
        }
        let mut files = HashMap::new();
        if let Some(id) = file_id("/data.json") {
            files.insert(id, Bytes::new(inputs.data.clone()));
        }
        for (name, bytes) in &inputs.images {
            if let Some(id) = file_id(&format!("/img/{name}")) {
                files.insert(id, Bytes::new(bytes.clone()));
            }
        }
        Ok(DocWorld { main: main_id, sources, files, _inputs: inputs })
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| FileError::NotFound(name_of(id).into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        match self.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.clone())),
            None => Err(FileError::NotFound(name_of(id).into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Dates come in the data, already in the Buddhist Era; a template has no clock of its own.
        None
    }
}

/// The file name of a virtual path (`screening.typ`, `data.json`).
fn name_of(id: FileId) -> String {
    id.get().vpath().get_without_slash().to_string()
}

/// A problem in a template, where it is: `screening.typ:12:5: unknown variable: studnets`.
fn describe(world: &DocWorld<'_>, diag: &SourceDiagnostic) -> String {
    let place = match diag.span.get() {
        DiagSpanKind::Detached => None,
        DiagSpanKind::Range { id, range } => Some((id, range.start)),
        DiagSpanKind::Number { id, num, sub_range } => {
            world.sources.get(&id).and_then(|s| s.range(num, sub_range)).map(|r| (id, r.start))
        }
    };
    let located = place.map(|(id, at)| match world.sources.get(&id).and_then(|s| s.lines().byte_to_line_column(at)) {
        Some((line, column)) => format!("{}:{}:{}", name_of(id), line + 1, column + 1),
        None => name_of(id),
    });
    let mut text = match located {
        Some(place) => format!("{place}: {}", diag.message),
        None => diag.message.to_string(),
    };
    for hint in &diag.hints {
        text.push_str(&format!(" (hint: {})", hint.v));
    }
    text
}

/// Compile `main` (a file of `set`) with `inputs` into a PDF.
pub fn compile(set: &TemplateSet, main: &str, inputs: &Inputs) -> Result<Vec<u8>, TemplateError> {
    let world = DocWorld::new(set, main, inputs)?;
    let result = typst::compile::<PagedDocument>(&world);
    let problems = |diags: &[SourceDiagnostic]| -> Vec<String> {
        diags.iter().filter(|d| d.severity == Severity::Error).map(|d| describe(&world, d)).collect::<Vec<_>>()
    };
    let document = match result.output {
        Ok(document) => document,
        Err(errors) => return Err(TemplateError::new(main, problems(errors.as_slice()))),
    };
    let document = super::text_layer::one_text_range_per_glyph(document);
    let options = typst_pdf::PdfOptions::default();
    let pdf =
        typst_pdf::pdf(&document, &options).map_err(|errors| TemplateError::new(main, problems(errors.as_slice())))?;
    // Typst memoises across compilations; keep a long-running bot's memory flat.
    comemo::evict(10);
    Ok(pdf)
}
