//! `constat`: the examiner's, trainer's and learner's command.
//!
//! Parses the command line, runs it, and maps the outcome to a documented exit code
//! (see `constat --help`). A closed stdout (`constat … | head`) is not an error.

use clap::Parser;
use constat_cli::exit_status::ExitStatus;
use constat_cli::{Cli, errors, run};
use std::process::ExitCode;

/// mimalloc instead of glibc malloc: grading builds and drops many small strings per check,
/// and glibc's free-list consolidation dominated its profile (see BENCHMARKS.md, "Checker
/// core"). The grading benches use the same allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = cli.format;
    let mut stdout = std::io::stdout().lock();
    match run(cli, &mut stdout) {
        Ok(status) => status.into(),
        Err(error) if is_broken_pipe(&error) => ExitStatus::Success.into(),
        Err(error) => {
            drop(stdout);
            errors::report(&error, format, &mut std::io::stderr()).into()
        }
    }
}
