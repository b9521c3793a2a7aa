//! `constat`: the examiner's, trainer's and learner's command.

fn main() {}
