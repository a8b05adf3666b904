//! The `qbank` binary: parse arguments, hand over to the library, exit with its code.

use clap::Parser;

fn main() {
    let cli = qbank::cli::Cli::parse();
    std::process::exit(qbank::commands::run(cli));
}
