//! Fluent message bundles, embedded in the binary. Thai is the default; English is the second language.
//!
//! Code asks for messages through [`Tr`]: `tr.get("help-title")` or `tr.with("invite-created", args)`. A test
//! scans the sources for those calls and fails if an id is missing in either locale.

use fluent::concurrent::FluentBundle;
use fluent::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;

/// A language the bot speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Th,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Th, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Th => "th",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "th" => Some(Lang::Th),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The locale files, embedded. `locales/<lang>/<file>.ftl`; a test checks this list against the folder.
pub const LOCALE_FILES: &[(&str, &str, &str)] = &[
    ("th", "bot.ftl", include_str!("../../locales/th/bot.ftl")),
    ("en", "bot.ftl", include_str!("../../locales/en/bot.ftl")),
    ("th", "forms.ftl", include_str!("../../locales/th/forms.ftl")),
    ("en", "forms.ftl", include_str!("../../locales/en/forms.ftl")),
    ("th", "reports.ftl", include_str!("../../locales/th/reports.ftl")),
    ("en", "reports.ftl", include_str!("../../locales/en/reports.ftl")),
    ("th", "care.ftl", include_str!("../../locales/th/care.ftl")),
    ("en", "care.ftl", include_str!("../../locales/en/care.ftl")),
    ("th", "announce.ftl", include_str!("../../locales/th/announce.ftl")),
    ("en", "announce.ftl", include_str!("../../locales/en/announce.ftl")),
    ("th", "ops.ftl", include_str!("../../locales/th/ops.ftl")),
    ("en", "ops.ftl", include_str!("../../locales/en/ops.ftl")),
    ("th", "classroom_help.ftl", include_str!("../../locales/th/classroom_help.ftl")),
    ("en", "classroom_help.ftl", include_str!("../../locales/en/classroom_help.ftl")),
    ("th", "classroom.ftl", include_str!("../../locales/th/classroom.ftl")),
    ("en", "classroom.ftl", include_str!("../../locales/en/classroom.ftl")),
    ("th", "year.ftl", include_str!("../../locales/th/year.ftl")),
    ("en", "year.ftl", include_str!("../../locales/en/year.ftl")),
    ("th", "print.ftl", include_str!("../../locales/th/print.ftl")),
    ("en", "print.ftl", include_str!("../../locales/en/print.ftl")),
    ("th", "runtime.ftl", include_str!("../../locales/th/runtime.ftl")),
    ("en", "runtime.ftl", include_str!("../../locales/en/runtime.ftl")),
];

/// Named arguments for a message.
#[derive(Default)]
pub struct Args(FluentArgs<'static>);

impl Args {
    pub fn new() -> Self {
        Args(FluentArgs::new())
    }

    pub fn str(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.0.set(name, FluentValue::String(Cow::Owned(value.into())));
        self
    }

    pub fn num(mut self, name: &'static str, value: i64) -> Self {
        self.0.set(name, FluentValue::from(value));
        self
    }
}

pub struct Localizer {
    th: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

#[derive(Debug, thiserror::Error)]
#[error("locale file locales/{lang}/{file}: {problem}")]
pub struct LocaleError {
    pub lang: String,
    pub file: String,
    pub problem: String,
}

impl Localizer {
    /// Parse the embedded locale files. Fails only if a shipped file is broken (a test guards that).
    pub fn load() -> Result<Localizer, LocaleError> {
        Ok(Localizer { th: bundle("th")?, en: bundle("en")? })
    }

    fn bundle_for(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Th => &self.th,
            Lang::En => &self.en,
        }
    }

    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle_for(lang).has_message(id)
    }

    /// The message `id` in `lang`, with `args`. A missing id falls back to Thai, then to the id itself, so
    /// a mistake shows up as an odd word on screen rather than a crash (and the locale test catches it first).
    pub fn format(&self, lang: Lang, id: &str, args: Option<&Args>) -> String {
        let bundle = if self.has(lang, id) { self.bundle_for(lang) } else { &self.th };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, "missing Fluent message");
            return id.to_string();
        };
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, args.map(|a| &a.0), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "Fluent formatting problems");
        }
        text.into_owned()
    }

    pub fn tr(&self, lang: Lang) -> Tr<'_> {
        Tr { localizer: self, lang }
    }
}

fn bundle(lang: &str) -> Result<FluentBundle<FluentResource>, LocaleError> {
    let langid: unic_langid::LanguageIdentifier = lang.parse().map_err(|e| LocaleError {
        lang: lang.into(),
        file: "-".into(),
        problem: format!("bad language id: {e}"),
    })?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks around arguments are invisible characters that break Telegram text and URLs.
    bundle.set_use_isolating(false);
    for (file_lang, file, text) in LOCALE_FILES.iter().filter(|(l, _, _)| *l == lang) {
        let error = |problem: String| LocaleError { lang: file_lang.to_string(), file: file.to_string(), problem };
        let resource =
            FluentResource::try_new(text.to_string()).map_err(|(_, errs)| error(format!("syntax: {errs:?}")))?;
        bundle.add_resource(resource).map_err(|errs| error(format!("duplicate ids: {errs:?}")))?;
    }
    Ok(bundle)
}

/// A localizer bound to one person's language.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    localizer: &'a Localizer,
    pub lang: Lang,
}

impl Tr<'_> {
    pub fn get(&self, id: &str) -> String {
        self.localizer.format(self.lang, id, None)
    }

    pub fn with(&self, id: &str, args: Args) -> String {
        self.localizer.format(self.lang, id, Some(&args))
    }

    /// Whether this language has message `id` (for ids built from stored codes).
    pub fn has(&self, id: &str) -> bool {
        self.localizer.has(self.lang, id)
    }

    /// A date the way this language shows it (both in the Buddhist Era).
    pub fn date(&self, date: chrono::NaiveDate) -> String {
        match self.lang {
            Lang::Th => super::thai_date::format_short_th(date),
            Lang::En => super::thai_date::format_short_en(date),
        }
    }
}

/// The messages, loaded once for the whole process (the command line and background tasks, which have no `App`).
pub fn shared() -> Result<&'static Localizer, LocaleError> {
    static LOADED: std::sync::OnceLock<Localizer> = std::sync::OnceLock::new();
    if let Some(loaded) = LOADED.get() {
        return Ok(loaded);
    }
    let loaded = Localizer::load()?;
    Ok(LOADED.get_or_init(|| loaded))
}
