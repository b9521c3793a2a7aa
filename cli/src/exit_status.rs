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
