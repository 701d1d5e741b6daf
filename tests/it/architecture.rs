//! Layers that point one way (ARCHITECTURE.md): every module of `src/` belongs to one layer, and a module uses
//! only its own layer and the layers below it. This test reads the source and fails on a `crate::…` path that
//! points up — and on a new top-level module that has not been given a layer yet.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// From the top (the outside world) down. Keep in step with ARCHITECTURE.md.
const LAYERS: &[(&str, &[&str])] = &[
    ("entry points", &["main", "lib", "cli", "bot", "console", "bench"]),
    ("chat", &["conversation"]),
    (
        "use cases",
        &[
            "app", "config", "care", "announce", "notify", "survey", "invites", "reports", "roster", "ops", "staff",
            "year", "print",
        ],
    ),
    ("button vocabulary", &["chat_ui"]),
    ("foundation", &["forms", "store", "domain", "l10n", "clock", "private_file"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

/// The top-level modules `crate::…` paths in this source name (comments left out).
fn crate_paths(source: &str) -> Vec<String> {
    let code: String =
        source.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let ident = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    let mut out = vec![];
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        // `dulae_crate::x` or `my_crate::x` is not ours.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // use crate::{a::b, c};
            let mut depth = 0;
            let mut item = String::new();
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(ident(item.trim()));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(ch);
            }
            out.push(ident(item.trim()));
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("inside src");
    let first = relative.components().next().expect("a component").as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// Every path that points up: (file, its module, the module it names).
fn violations(sources: &[(String, String, String)]) -> Vec<String> {
    let mut found = vec![];
    for (file, module, source) in sources {
        let Some(own) = layer_of(module) else {
            found
                .push(format!("{file}: the module `{module}` has no layer yet (add it to ARCHITECTURE.md and LAYERS)"));
            continue;
        };
        for used in crate_paths(source) {
            match layer_of(&used) {
                Some(layer) if layer < own => found.push(format!(
                    "{file}: `{module}` ({}) uses `crate::{used}` ({}), a layer above it",
                    LAYERS[own].0, LAYERS[layer].0
                )),
                Some(_) => {}
                None => found.push(format!("{file}: uses `crate::{used}`, which has no layer")),
            }
        }
    }
    found
}

fn sources() -> Vec<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f.strip_prefix(&src).expect("inside src").display().to_string(), module_of(&src, f), text)
        })
        .collect()
}

#[test]
fn every_module_uses_only_its_own_layer_and_the_ones_below() {
    let sources = sources();
    assert!(sources.len() > 50, "found the source files ({})", sources.len());
    let found = violations(&sources);
    assert!(found.is_empty(), "layers pointing the wrong way:\n{}", found.join("\n"));
}

#[test]
fn nothing_below_the_chat_knows_the_chat() {
    let sources = sources();
    let below: Vec<&(String, String, String)> =
        sources.iter().filter(|(_, m, _)| layer_of(m).is_some_and(|l| l > 1)).collect();
    for name in ["care", "announce", "notify", "store", "domain", "forms", "reports", "roster", "l10n", "chat_ui"] {
        assert!(below.iter().any(|(_, m, _)| m == name), "{name} is checked");
    }
    for (file, _, source) in below {
        assert!(!crate_paths(source).iter().any(|m| m == "conversation"), "{file} imports crate::conversation");
    }
}

#[test]
fn the_check_catches_a_path_pointing_up() {
    let case = |module: &str, source: &str| vec![("x.rs".to_string(), module.to_string(), source.to_string())];
    assert_eq!(crate_paths("use crate::{conversation::Keyboard, store::Store};"), ["conversation", "store"]);
    assert_eq!(crate_paths("// crate::bot in a comment\nlet x = crate::chat_ui::Button { };"), ["chat_ui"]);
    assert_eq!(violations(&case("care", "use crate::conversation::Keyboard;")).len(), 1);
    assert_eq!(violations(&case("store", "use crate::{domain::UserId, care::cases};")).len(), 1);
    assert_eq!(violations(&case("chat_ui", "use crate::notify::outbox;")).len(), 1);
    assert!(violations(&case("care", "use crate::chat_ui::{Button, Keyboard};")).is_empty());
    assert!(violations(&case("conversation", "use crate::care::cases;")).is_empty());
    assert_eq!(violations(&case("newthing", "")).len(), 1, "a module without a layer");
    let mut layers = BTreeMap::new();
    for (name, modules) in LAYERS {
        for m in *modules {
            assert!(layers.insert(*m, *name).is_none(), "{m} is in one layer only");
        }
    }
}

/// One update, one unit of work (ARCHITECTURE.md): inside the chat only `handle` opens a transaction, and only
/// the state module reads or writes the chat's saved state; flows use the turn's transaction.
#[test]
fn flows_use_the_turns_transaction_and_never_save_the_state_themselves() {
    let sources = sources();
    let chat: Vec<&(String, String, String)> = sources.iter().filter(|(_, m, _)| m == "conversation").collect();
    assert!(chat.len() > 10, "found the chat's files");
    let mut opened = 0;
    for (file, _, source) in chat {
        let code: String = source.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        assert!(!code.contains("store.read("), "{file} reads the store outside the turn's transaction");
        let writes = code.matches("store.write(").count();
        if file.ends_with("conversation/mod.rs") {
            opened += writes;
        } else {
            assert_eq!(writes, 0, "{file} opens its own transaction");
        }
        if !file.ends_with("conversation/state.rs") {
            assert!(!code.contains("conversations::"), "{file} touches the saved chat state itself");
        }
    }
    assert_eq!(opened, 1, "handle opens the one transaction of an update");
}
