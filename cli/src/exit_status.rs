//! Documented exit codes of `constat` (also listed in `constat --help` and README.md).

use std::process::ExitCode;

/// How a `constat` run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: everything asked was done.
    Success,
    /// 1: the run completed but some hosts failed (or, once grading lands, some checks failed).
    Failures,
    /// 2: usage or input error (bad arguments, invalid inventory, refused credentials file).
    InputError,
    /// 3: I/O error (a file could not be read or written).
    IoError,
}

impl ExitStatus {
    /// The numeric code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failures => 1,
            ExitStatus::InputError => 2,
            ExitStatus::IoError => 3,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

/// Maps an error chain to an exit status: an I/O error anywhere in the chain is 3, anything
/// else (bad input, refused configuration) is 2.
pub fn status_of(error: &anyhow::Error) -> ExitStatus {
    if let Some(classified) = error.downcast_ref::<crate::errors::CliError>() {
        return classified.status;
    }
    if error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some())
    {
        return ExitStatus::IoError;
    }
    ExitStatus::InputError
}
