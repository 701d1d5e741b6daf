//! `dulae`: see `dulae --help`.

use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,teloxide=warn,reqwest=warn")),
        )
        // Colours only on a terminal: journald and log files get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let cli = dulae::cli::Cli::parse();
    match dulae::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Plain words, no backtrace: this is read by a school's IT teacher.
            eprintln!("{e:#}");
            // 78: a configuration problem (token, settings, form files) that a restart cannot fix.
            ExitCode::from(dulae::bot::startup::exit_code(&e))
        }
    }
}
