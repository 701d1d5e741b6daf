//! `dulae`: see `dulae --help`.

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = dulae::cli::Cli::parse();
    // The settings first, all of them strictly (`config::Config`): `.env` may set `RUST_LOG`, and a bad value
    // stops here with the variable named, before anything runs.
    let config = match dulae::config::Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(e.into()),
    };
    // Checked by the settings reader, so this cannot fall back; the default is there only to never panic.
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(dulae::config::DEFAULT_LOG));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colours only on a terminal: journald and log files get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    match dulae::cli::run_with(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn fail(e: anyhow::Error) -> ExitCode {
    // Plain words, no backtrace: this is read by a school's IT teacher.
    eprintln!("{e:#}");
    // 78: a configuration problem (token, settings, form files) that a restart cannot fix.
    ExitCode::from(dulae::bot::startup::exit_code(&e))
}
