//! `constat`: the examiner's, trainer's and learner's command.
//!
//! Parses the command line, runs it, and maps the outcome to a documented exit code
//! (see `constat --help`). A closed stdout (`constat … | head`) is not an error.

use constat_cli::clap_i18n::{self, Parsed};
use constat_cli::exit_status::ExitStatus;
use constat_cli::{errors, i18n, run};
use std::io::Write;
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
    // The language is known before clap parses, so its help and errors are in it too.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let format = clap_i18n::prescan_format(&args);
    let lang = match clap_i18n::prescan_lang(&args, std::env::var("CONSTAT_LANG").ok().as_deref()) {
        Ok(lang) => lang,
        Err(message) => {
            let error = anyhow::Error::new(errors::CliError::input(
                message,
                "CONSTAT_LANG=fr | CONSTAT_LANG=en",
            ));
            return errors::report(&error, format, &mut std::io::stderr()).into();
        }
    };
    i18n::set_lang(lang);
    let cli = match clap_i18n::parse(args, lang, format) {
        Parsed::Run(cli) => *cli,
        Parsed::Print { text, error: false } => {
            let _ = std::io::stdout().write_all(text.as_bytes());
            return ExitStatus::Success.into();
        }
        Parsed::Print { text, error: true } => {
            let _ = std::io::stderr().write_all(text.as_bytes());
            return ExitStatus::InputError.into();
        }
    };
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
