//! The command line: commands and options (clap derive). Parsing only; `commands` acts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;
use crate::render::print::Paper;

/// Compile a YAML question bank into Anki decks, an EPUB and printable HTML.
#[derive(Debug, Parser)]
#[command(name = "qbank", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more: every file written, timings.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// When to colour diagnostics (auto: only on a terminal, and never with NO_COLOR set).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the bank and print every problem, then a summary.
    Check(CheckArgs),
    /// Validate, render and write the selected outputs.
    Build(BuildArgs),
    /// Per section: questions, answered, words, code blocks.
    Stats(StatsArgs),
    /// Print what each version of the bank changed ("What's new"), newest first: the
    /// `changelog:` of bank.yaml and the questions added, changed and removed (from
    /// qbank.lock, as the next build would write it).
    Changes(ChangesArgs),
    /// Write a synthetic bank of any size (for benchmarks), copying a real bank's answers.
    Synth(SynthArgs),
    /// Rebuild the selected outputs whenever a bank or theme file changes (Ctrl-C stops).
    Watch(BuildArgs),
    /// Start a new bank in DIR that passes `qbank check` as it is.
    Init(InitArgs),
    /// Append a new (unanswered) question to a section, with a fresh unique id.
    Add(AddArgs),
    /// Write the JSON Schemas of bank.yaml and the section files (for editor validation).
    Schema(SchemaArgs),
    /// Create a bank from another format.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write the whole bank as one file in another format.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the bank in.
    pub dir: PathBuf,

    /// The bank's title (its id is made from it).
    #[arg(long, default_value = "My question bank")]
    pub title: String,

    /// The bank's language, a BCP 47 tag (`de`, `pt-BR`, `zh-Hans`…): every output's fixed
    /// strings, dates and text direction follow it.
    #[arg(long, value_name = "TAG", default_value = "en")]
    pub language: String,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    pub bank: BankArg,

    /// The section to append to.
    #[arg(long, value_name = "ID")]
    pub section: String,

    /// The question, as Markdown.
    pub question: String,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Where to write bank.schema.json and section.schema.json.
    #[arg(long, value_name = "DIR", default_value = "content/schema")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A Markdown list of questions: headings become parts and sections, numbered list items
    /// or numbered headings become questions, the text after them their answers.
    Markdown(ImportMarkdownArgs),
}

#[derive(Debug, Args)]
pub struct ImportMarkdownArgs {
    /// The Markdown file to read.
    pub file: PathBuf,

    /// The folder to create the bank in (must not hold a bank yet).
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,

    /// The language to give indented code blocks (default: `text`, never executed).
    #[arg(long, value_name = "LANG")]
    pub code_language: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// One Markdown document in the shape `qbank import markdown` reads, with every id,
    /// level, tag and summary.
    Markdown(ExportArgs),
    /// Anki's text-import format: the `.apkg` notes (same GUIDs, fields, decks, tags), which
    /// an import updates in place.
    Csv(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub bank: BankArg,

    /// The file to write (replaced atomically); stdout when omitted.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// The folder to write the bank into.
    pub out: PathBuf,

    /// How many questions.
    #[arg(long, default_value_t = 10_000)]
    pub questions: usize,

    /// How many sections (default: one per 50 questions).
    #[arg(long)]
    pub sections: Option<usize>,

    /// The bank whose answered questions are copied.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub from: PathBuf,
}

#[derive(Debug, Args)]
pub struct BankArg {
    /// The bank folder (holding bank.yaml and sections/).
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub bank: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub bank: BankArg,

    /// Run the code blocks (Python, Django, SQL on a throwaway MariaDB) and parse the others
    /// (norun Python and SQL, bash, YAML, JSON, TOML).
    #[arg(long)]
    pub run_examples: bool,

    /// The Python interpreter for --run-examples (and the base of the bank's venvs).
    #[arg(
        long,
        value_name = "PATH",
        default_value = "python3",
        env = "QBANK_PYTHON"
    )]
    pub python: PathBuf,

    /// Seconds each example may run (it is killed with every process it started).
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub timeout: f64,

    /// Where the bank's Python environments (venvs) are kept [default: <bank>/.qbank].
    #[arg(long, value_name = "DIR", env = "QBANK_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub bank: BankArg,

    /// The output folder; each format writes into its own subfolder.
    #[arg(long, value_name = "DIR", default_value = "dist")]
    pub out: PathBuf,

    /// The formats to build (repeat or comma-separate); all but pdf when omitted.
    #[arg(short, long, value_enum, value_delimiter = ',')]
    pub format: Vec<Format>,

    /// Only these sections (repeatable); all when omitted.
    #[arg(long = "section", value_name = "ID")]
    pub sections: Vec<String>,

    /// Put unanswered questions in the Anki decks too (their back says so).
    #[arg(long)]
    pub include_unanswered: bool,

    /// Leave unanswered questions out of the EPUB (by default they are in, marked "Not
    /// answered yet.").
    #[arg(long, conflicts_with = "include_unanswered")]
    pub answered_only: bool,

    /// Fail instead of updating qbank.lock when the content changed (for CI).
    #[arg(long)]
    pub locked: bool,

    /// The theme: a built-in name (default, book), a folder under ./themes, or a path.
    #[arg(long, value_name = "NAME|PATH", default_value = "default")]
    pub theme: String,

    /// Paper size of the printable HTML and the PDFs.
    #[arg(long, value_enum, default_value_t = Paper::A4)]
    pub paper: Paper,

    /// The Chromium or Chrome that prints the PDFs [default: the first on PATH].
    #[arg(long, value_name = "PATH", env = "QBANK_CHROMIUM")]
    pub chromium: Option<PathBuf>,

    /// Seconds one printing of a PDF may take before the browser is killed.
    #[arg(long, value_name = "SECS", default_value_t = 300.0, value_parser = positive_seconds)]
    pub pdf_timeout: f64,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s < 1e9 => Ok(s),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    #[command(flatten)]
    pub bank: BankArg,

    /// Only the versions after this one (default: every version qbank.lock knows).
    #[arg(long, value_name = "VERSION")]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub bank: BankArg,

    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}
