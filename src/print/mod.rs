//! The paper a school signs and files: Dulae's records printed as A4 PDF documents in Thai.
//!
//! - [`data`]: what each document shows, loaded from the store by functions over a `&Connection` — the class
//!   screening summary, a home-visit record, a referral with its return slip, a help plan, the term/year
//!   report and the parent slips. Plain structs, serialised to JSON for the template.
//! - [`templates`]: the `.typ` template files (shipped in `templates/`, overridable from
//!   `DULAE_TEMPLATES_DIR`) and their check.
//! - [`engine`]: Typst as a library turns a template and its data into PDF bytes; [`text_layer`] keeps the
//!   PDF's text reading back as the Thai words.
//! - [`access`]: who may print what (the one care policy, plus the head's reports).
//! - [`sample`]: sample data for every document (the template check, tests and the benchmark).
//! - [`cli`]: `dulae print …` and `dulae templates check`.
//!
//! Everything here is a pure function from data to bytes; files are written by the caller through
//! [`crate::private_file`].

pub mod access;
pub mod bench;
pub mod cli;
pub mod data;
pub mod engine;
pub mod make;
pub mod sample;
pub mod store;
pub mod templates;
pub mod text_layer;

pub use templates::{TemplateError, TemplateSet};

use std::collections::HashMap;

pub use crate::domain::document::DocumentKind;

/// A document ready to typeset: its kind, its data as JSON and its pictures.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocumentKind,
    pub inputs: engine::Inputs,
}

impl Document {
    /// `data` (one of the structs of [`data`]) as the template's `/data.json`.
    pub fn new(kind: DocumentKind, data: &impl serde::Serialize) -> anyhow::Result<Document> {
        let data = serde_json::to_vec(data)?;
        Ok(Document { kind, inputs: engine::Inputs { data, images: HashMap::new() } })
    }

    pub fn with_image(mut self, name: impl Into<String>, bytes: Vec<u8>) -> Document {
        self.inputs.images.insert(name.into(), bytes);
        self
    }
}

/// Typeset `doc` with the templates of `set` into PDF bytes.
pub fn render(set: &TemplateSet, doc: &Document) -> Result<Vec<u8>, TemplateError> {
    engine::compile(set, doc.kind.template(), &doc.inputs)
}
