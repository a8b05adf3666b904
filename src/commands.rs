//! What each command does with the library, and how it reports. Exit codes: 0 success,
//! 1 content or I/O error, 2 usage error (clap's own).

use std::time::{Duration, Instant};

use clap::CommandFactory;

use crate::cli::{
    AddArgs, BuildArgs, ChangesArgs, CheckArgs, Cli, Color, Command, ExportArgs, ExportCommand,
    ImportCommand, InitArgs, StatsArgs, SynthArgs,
};
use crate::diagnostics::{self, ColorMode};
use crate::examples::{self, ExampleOptions};
use crate::render::{BuildOptions, Format};
use crate::{Project, stats};

pub const EXIT_OK: i32 = 0;
pub const EXIT_CONTENT: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

struct Reporter {
    quiet: bool,
    verbose: bool,
    color: ColorMode,
    progress: crate::progress::Progress,
}

impl Reporter {
    fn info(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", msg.as_ref());
        }
    }

    fn debug(&self, msg: impl AsRef<str>) {
        if self.verbose {
            eprintln!("{}", msg.as_ref());
        }
    }

    /// With `-v`: the wall time of each step so far (formats are written concurrently, so
    /// their times overlap).
    fn timings(&self) {
        for (step, time) in self.progress.timings() {
            self.debug(format!("  {:>9.1} ms  {step}", time.as_secs_f64() * 1e3));
        }
    }

    /// Prints the project's diagnostics (warnings hidden with -q); returns (errors, warnings).
    fn diagnostics(&self, project: &Project) -> (usize, usize) {
        let shown: Vec<_> = project
            .diagnostics
            .iter()
            .filter(|d| d.is_error() || !self.quiet)
            .cloned()
            .collect();
        diagnostics::emit(&project.map.sources, &shown, self.color);
        let errors = project.error_count();
        (errors, project.diagnostics.len() - errors)
    }
}

pub fn run(cli: Cli) -> i32 {
    let reporter = Reporter {
        quiet: cli.quiet,
        verbose: cli.verbose,
        color: match cli.color {
            Color::Auto => ColorMode::Auto,
            Color::Always => ColorMode::Always,
            Color::Never => ColorMode::Never,
        },
        progress: crate::progress::Progress::new(!cli.quiet),
    };
    match cli.command {
        Command::Check(args) => check(&reporter, &args),
        Command::Build(args) => build(&reporter, &args),
        Command::Stats(args) => stats_cmd(&reporter, &args),
        Command::Changes(args) => changes(&reporter, &args),
        Command::Synth(args) => synth(&reporter, &args),
        Command::Watch(args) => watch(&reporter, &args),
        Command::Init(args) => init(&reporter, &args),
        Command::Add(args) => add(&reporter, &args),
        Command::Schema(args) => match crate::authoring::write_schemas(&args.out) {
            Ok(files) => {
                for f in files {
                    reporter.info(format!("wrote {}", f.display()));
                }
                EXIT_OK
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                EXIT_CONTENT
            }
        },
        Command::Completions(args) => {
            let mut text = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "qbank", &mut text);
            print_bytes(&text)
        }
        Command::Man => {
            let mut text = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut text) {
                Ok(()) => print_bytes(&text),
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_CONTENT
                }
            }
        }
        Command::Export(ExportCommand::Markdown(args)) => {
            export(&reporter, &args, crate::export::Format::Markdown)
        }
        Command::Export(ExportCommand::Csv(args)) => {
            export(&reporter, &args, crate::export::Format::Csv)
        }
        Command::Import(ImportCommand::Markdown(args)) => {
            let options = crate::import::ImportOptions {
                code_language: args.code_language.clone(),
            };
            match crate::import::markdown_with(&args.file, &args.into, &options) {
                Ok(r) => {
                    for w in &r.warnings {
                        eprintln!("warning: {w}");
                    }
                    for f in &r.files {
                        reporter.debug(format!("wrote {}", f.display()));
                    }
                    reporter.info(format!(
                        "imported {} questions ({} with answers) in {} sections and {} parts into {}",
                        r.questions,
                        r.answered,
                        r.sections,
                        r.parts,
                        args.into.display()
                    ));
                    if r.python_norun > 0 {
                        reporter.info(format!(
                            "{} Python block(s) were marked `norun`: run `qbank check --run-examples --bank {}` and remove `norun` where code should run",
                            r.python_norun,
                            args.into.display()
                        ));
                    }
                    if r.placeholder_summaries > 0 {
                        reporter.info(format!(
                            "{} summary(ies) are the placeholder \"See the answer.\": write them",
                            r.placeholder_summaries
                        ));
                    }
                    EXIT_OK
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    EXIT_CONTENT
                }
            }
        }
    }
}

fn open(reporter: &Reporter, dir: &std::path::Path) -> Project {
    let start = Instant::now();
    let project = Project::open_with(dir, &reporter.progress);
    reporter.debug(format!(
        "loaded and rendered {} in {:.0?}",
        dir.display(),
        start.elapsed()
    ));
    project
}

fn check(reporter: &Reporter, args: &CheckArgs) -> i32 {
    let project = open(reporter, &args.bank.bank);
    let (mut errors, warnings) = reporter.diagnostics(&project);
    let questions: Vec<_> = project.rendered.questions().collect();
    let answered = questions.iter().filter(|q| q.is_answered()).count();
    let sections = project.rendered.sections().count();
    reporter.info(format!(
        "{}: {} parts, {} sections, {} questions ({} answered, {} unanswered)",
        args.bank.bank.display(),
        project.rendered.parts.len(),
        sections,
        questions.len(),
        answered,
        questions.len() - answered
    ));
    let misfits = examples::lint(&project.bank, &project.rendered, &project.map);
    diagnostics::emit(&project.map.sources, &misfits, reporter.color);
    errors += misfits.len();
    if args.run_examples {
        let opts = ExampleOptions {
            python: args.python.clone(),
            timeout: Duration::from_secs_f64(args.timeout.max(0.1)),
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            cache_dir: args.cache_dir.clone(),
        };
        let start = Instant::now();
        match examples::run(&project.bank, &project.rendered, &project.map, &opts) {
            Ok(report) => {
                diagnostics::emit(&project.map.sources, &report.diagnostics, reporter.color);
                errors += report.diagnostics.len();
                for s in &report.skipped {
                    reporter.info(format!(
                        "skipped: {} (question `{}`, ```{}): {}",
                        project.map.sources.describe(&s.place),
                        s.question,
                        s.fence,
                        s.reason
                    ));
                }
                for (step, time) in &report.timings {
                    reporter.debug(format!("  {:>9.1} ms  {step}", time.as_secs_f64() * 1e3));
                }
                reporter.debug(format!("examples took {:.1?}", start.elapsed()));
                reporter.info(format!(
                    "examples: {} ran, {} checked, {} skipped",
                    report.ran,
                    report.checked,
                    report.skipped.len()
                ));
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                return EXIT_CONTENT;
            }
        }
    }
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    reporter.info(format!("{errors} error(s), {warnings} warning(s)"));
    if failed { EXIT_CONTENT } else { EXIT_OK }
}

fn build(reporter: &Reporter, args: &BuildArgs) -> i32 {
    let project = open(reporter, &args.bank.bank);
    let (errors, _) = reporter.diagnostics(&project);
    if errors > 0 {
        eprintln!(
            "error: {errors} problem(s) in {}; nothing was written to {}",
            args.bank.bank.display(),
            args.out.display()
        );
        return EXIT_CONTENT;
    }
    let mut formats = if args.format.is_empty() {
        Format::defaults()
    } else {
        args.format.clone()
    };
    formats.sort();
    formats.dedup();
    let known: Vec<&str> = project.rendered.sections().map(|s| s.id.as_str()).collect();
    for id in &args.sections {
        if !known.contains(&id.as_str()) {
            eprintln!("error: no section `{id}` in {}", args.bank.bank.display());
            eprintln!("known sections: {}", known.join(", "));
            return EXIT_USAGE;
        }
    }
    let theme = match crate::theme::Theme::load(&args.theme) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e:#}");
            return EXIT_CONTENT;
        }
    };
    let options = BuildOptions {
        sections: args.sections.clone(),
        anki: crate::render::anki::Options {
            include_unanswered: args.include_unanswered,
        },
        epub: crate::render::epub::Options {
            answered_only: args.answered_only,
        },
        print: crate::render::print::Options { paper: args.paper },
        pdf: crate::render::pdf::Options {
            chromium: args.chromium.clone(),
            timeout: std::time::Duration::from_secs_f64(args.pdf_timeout),
        },
        theme,
    };
    let start = Instant::now();
    match project.build(
        &args.out,
        &formats,
        &options,
        args.locked,
        &reporter.progress,
    ) {
        Ok(report) => {
            for f in &report.files {
                reporter.debug(format!("wrote {}", f.display()));
            }
            for id in &report.changes.removed {
                if !id.starts_with('@') {
                    eprintln!(
                        "warning: question `{id}` was removed since the last build. Learners who imported it \
                         keep their note: from now on every build retires it (front \"Removed in version {}\", \
                         tagged {}); say why under `removed:` in bank.yaml",
                        project.bank.meta.version,
                        crate::render::anki::REMOVED_TAG
                    );
                }
            }
            if report.lock_written {
                reporter.info(format!(
                    "updated {} ({} added, {} changed, {} removed): commit it",
                    crate::lock::FILE_NAME,
                    report.changes.added.len(),
                    report.changes.changed.len(),
                    report.changes.removed.len()
                ));
            }
            reporter.info(format!(
                "built {} file(s) into {} in {:.0?}",
                report.files.len(),
                args.out.display(),
                start.elapsed()
            ));
            reporter.timings();
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_CONTENT
        }
    }
}

/// Like `build`: a bank with errors prints them all and writes nothing.
fn export(reporter: &Reporter, args: &ExportArgs, format: crate::export::Format) -> i32 {
    let project = open(reporter, &args.bank.bank);
    let (errors, _) = reporter.diagnostics(&project);
    let target = args
        .output
        .as_ref()
        .map_or_else(|| "stdout".to_string(), |p| p.display().to_string());
    if errors > 0 {
        eprintln!(
            "error: {errors} problem(s) in {}; nothing was written to {target}",
            args.bank.bank.display()
        );
        return EXIT_CONTENT;
    }
    let exported = format.export(&project);
    match crate::export::write(args.output.as_deref(), exported.text.as_bytes()) {
        Ok(()) => {
            if args.output.is_some() {
                reporter.info(format!("exported {} to {target}", exported.summary));
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_CONTENT
        }
    }
}

fn changes(reporter: &Reporter, args: &ChangesArgs) -> i32 {
    let project = open(reporter, &args.bank.bank);
    let (errors, _) = reporter.diagnostics(&project);
    if errors > 0 {
        return EXIT_CONTENT;
    }
    let history = match project.history() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e:#}");
            return EXIT_CONTENT;
        }
    };
    let Some(releases) = history.since(args.since.as_deref()) else {
        let known: Vec<&str> = history
            .releases
            .iter()
            .map(|r| r.version.as_str())
            .collect();
        eprintln!(
            "error: --since {}: qbank.lock knows no such version (it knows: {})",
            args.since.as_deref().unwrap_or_default(),
            known.join(", ")
        );
        return EXIT_CONTENT;
    };
    let meta = &project.bank.meta;
    let strings = crate::i18n::Strings::new(&meta.language, &meta.labels);
    print!(
        "{}",
        crate::render::release::terminal_text(&project.rendered, &strings, &releases)
    );
    EXIT_OK
}

fn stats_cmd(reporter: &Reporter, args: &StatsArgs) -> i32 {
    let project = open(reporter, &args.bank.bank);
    let (errors, _) = reporter.diagnostics(&project);
    let rows = stats::compute(&project.rendered);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&rows).expect("stats serialize")
        );
    } else {
        print!("{}", stats::table(&rows));
    }
    if errors > 0 { EXIT_CONTENT } else { EXIT_OK }
}

fn synth(reporter: &Reporter, args: &SynthArgs) -> i32 {
    let project = open(reporter, &args.from);
    let (errors, _) = reporter.diagnostics(&project);
    if errors > 0 {
        return EXIT_CONTENT;
    }
    let opts = crate::synth::SynthOptions {
        questions: args.questions,
        sections: args.sections.unwrap_or(args.questions.div_ceil(50)).max(1),
    };
    match crate::synth::write(&project.bank, &args.out, &opts) {
        Ok(()) => {
            reporter.info(format!(
                "wrote a synthetic bank of {} questions in {} sections to {}",
                opts.questions,
                opts.sections,
                args.out.display()
            ));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_CONTENT
        }
    }
}

fn watch(reporter: &Reporter, args: &BuildArgs) -> i32 {
    let mut paths = vec![args.bank.bank.clone()];
    let theme = std::path::Path::new(&args.theme);
    if theme.is_dir() {
        paths.push(theme.to_path_buf());
    } else if std::path::Path::new("themes").join(&args.theme).is_dir() {
        paths.push(std::path::Path::new("themes").join(&args.theme));
    }
    reporter.info(format!(
        "watching {} (Ctrl-C to stop)",
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let result = crate::watch::run(&paths, &args.out, || {
        let code = build(reporter, args);
        if code == EXIT_OK {
            reporter.info("waiting for changes…");
        } else {
            reporter.info("build failed; fix the problems above — still watching");
        }
    });
    match result {
        Ok(()) => {
            reporter.info("stopped watching");
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_CONTENT
        }
    }
}

fn init(reporter: &Reporter, args: &InitArgs) -> i32 {
    match crate::authoring::init(&args.dir, &args.title, &args.language) {
        Ok(()) => {
            if !crate::i18n::is_shipped(&args.language) {
                reporter.info(format!(
                    "note: qbank has no strings in `{}` yet, so the outputs' fixed strings are \
                     in English; reword them with `labels:` in bank.yaml (see \"Languages\" in \
                     qbank's README)",
                    args.language
                ));
            }
            reporter.info(format!(
                "created a bank in {d}
  edit    {d}/sections/basics.yaml (your editor validates it via {d}/schema/)
  check   qbank check --bank {d} --run-examples
  build   qbank build --bank {d}   (or: qbank watch --bank {d})",
                d = args.dir.display()
            ));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_CONTENT
        }
    }
}

fn add(reporter: &Reporter, args: &AddArgs) -> i32 {
    match crate::authoring::add(&args.bank.bank, &args.section, &args.question) {
        Ok(id) => {
            println!("{id}");
            reporter.info(format!(
                "added `{id}` to sections/{}.yaml — write its summary and answer there",
                args.section
            ));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_CONTENT
        }
    }
}

/// Writes to stdout; a closed pipe (`qbank man | head`) is not an error.
fn print_bytes(bytes: &[u8]) -> i32 {
    use std::io::Write as _;
    match std::io::stdout().write_all(bytes) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_CONTENT
        }
    }
}
