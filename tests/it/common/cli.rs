//! The `dulae` command run as a real process, as the admin runs it: in a folder of its own, with a clean
//! environment (no token, no `.env` of the developer's) and the database in that folder.

use std::path::Path;
use std::process::{Command, Output};

pub fn dulae(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dulae"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("DULAE_DB", dir.join("school.db"))
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .output()
        .expect("dulae runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// What the admin sees on the terminal: standard output, then standard error.
pub fn out(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}
