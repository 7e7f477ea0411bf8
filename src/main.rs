use std::process::ExitCode;

use clap::Parser;
use kanbao::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_none() {
        // The interactive reader is the next piece of work; until it lands, point at what works.
        eprintln!("kanbao: the interactive reader is not built yet; try `kanbao list` or `kanbao export`.");
        return ExitCode::SUCCESS;
    }
    run(cli)
}
