//! `check --run-examples`: executes every runnable Python block and syntax-checks the blocks
//! marked `norun`, so the bank never teaches code that does not run.
//!
//! Each runnable block runs in its own `python3 -I` process in a fresh temporary folder, with
//! a timeout; a block followed by an ```` ```output ```` fence must print exactly that. The
//! `norun` blocks are compiled (not run) by one Python process.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use wait_timeout::ChildExt;

use crate::diagnostics::Diagnostic;
use crate::markup::{CodeBlock, Example};
use crate::model::SourceMap;
use crate::render::RenderedBank;

pub struct ExampleOptions {
    pub python: PathBuf,
    pub timeout: Duration,
    pub jobs: usize,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExampleStats {
    pub executed: usize,
    pub compiled: usize,
    pub failed: usize,
}

/// A block to check and where it came from.
struct Job<'a> {
    block: &'a CodeBlock,
    question: &'a str,
    origin: crate::model::Origin,
    markdown: &'a str,
}

/// Runs the examples; returns one diagnostic per failing block. An `Err` means Python itself
/// could not be started, which must fail the run rather than skip the checks.
pub fn run(
    bank: &RenderedBank,
    map: &SourceMap,
    opts: &ExampleOptions,
) -> Result<(ExampleStats, Vec<Diagnostic>)> {
    let mut runnable = Vec::new();
    let mut compile_only = Vec::new();
    for q in bank.questions() {
        let Some(answer) = &q.answer else { continue };
        let markdown = q.source.answer.as_deref().unwrap_or("");
        for block in &answer.code_blocks {
            let job = Job {
                block,
                question: &q.id,
                origin: q.origin.field("answer"),
                markdown,
            };
            match block.example {
                Some(Example::Run) => runnable.push(job),
                Some(Example::NoRun) => compile_only.push(job),
                None => {}
            }
        }
    }
    check_python(&opts.python)?;

    let diagnostics = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let jobs = opts.jobs.max(1).min(runnable.len().max(1));
    let fatal: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = runnable.get(i) else { break };
                    match run_one(job.block, opts) {
                        Ok(None) => {}
                        Ok(Some((message, help))) => {
                            let place =
                                map.place_in_value(&job.origin, job.markdown, job.block.offset);
                            let d = Diagnostic::error(message)
                                .at(place)
                                .question(job.question)
                                .help(help);
                            diagnostics.lock().unwrap().push((i, d));
                        }
                        Err(e) => {
                            *fatal.lock().unwrap() = Some(e);
                            break;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = fatal.into_inner().unwrap() {
        return Err(e);
    }
    let mut found = diagnostics.into_inner().unwrap();
    found.sort_by_key(|(i, _)| *i);
    let mut diagnostics: Vec<Diagnostic> = found.into_iter().map(|(_, d)| d).collect();

    for (i, message) in compile_all(&compile_only, opts)? {
        let job = &compile_only[i];
        let place = map.place_in_value(&job.origin, job.markdown, job.block.offset);
        diagnostics.push(
            Diagnostic::error(format!("python block (norun) does not compile: {message}"))
                .at(place)
                .question(job.question)
                .help("`norun` blocks are not executed, but must be valid Python"),
        );
    }
    let stats = ExampleStats {
        executed: runnable.len(),
        compiled: compile_only.len(),
        failed: diagnostics.len(),
    };
    Ok((stats, diagnostics))
}

fn check_python(python: &PathBuf) -> Result<()> {
    let out = Command::new(python)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run `{}` to check the examples", python.display()))?;
    if !out.status.success() {
        bail!("`{} --version` failed", python.display());
    }
    Ok(())
}

/// Runs one block. `Ok(Some((message, help)))` describes a failure.
fn run_one(block: &CodeBlock, opts: &ExampleOptions) -> Result<Option<(String, String)>> {
    let dir = tempfile::tempdir().context("creating a temporary folder")?;
    let script = dir.path().join("example.py");
    std::fs::write(&script, &block.source)?;
    let mut child = Command::new(&opts.python)
        .arg("-I")
        .arg(&script)
        .current_dir(dir.path())
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", opts.python.display()))?;
    // Drain both pipes on threads so a chatty example cannot block on a full pipe.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let status = match child.wait_timeout(opts.timeout)? {
        Some(status) => status,
        None => {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Some((
                format!(
                    "python example timed out after {} s",
                    opts.timeout.as_secs_f32()
                ),
                "examples must finish quickly; mark slow ones `norun`".into(),
            )));
        }
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if !status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(6).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Ok(Some((
            format!("python example failed ({status})"),
            format!("stderr:\n{}", tail.join("\n")),
        )));
    }
    if let Some(expected) = &block.expected_output
        && expected.trim_end() != stdout.trim_end()
    {
        return Ok(Some((
            "python example printed something else than its `output` block".into(),
            format!(
                "expected:\n{}\nprinted:\n{}",
                expected.trim_end(),
                stdout.trim_end()
            ),
        )));
    }
    Ok(None)
}

/// Compiles the `norun` blocks in one Python process; returns (job index, message) failures.
fn compile_all(jobs: &[Job], opts: &ExampleOptions) -> Result<Vec<(usize, String)>> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    const SCRIPT: &str = r#"
import json, sys
blocks = json.load(sys.stdin)
for i, src in enumerate(blocks):
    try:
        compile(src, "<norun block>", "exec")
    except SyntaxError as e:
        print(json.dumps([i, f"line {e.lineno}: {e.msg}"]))
"#;
    let sources: Vec<&str> = jobs.iter().map(|j| j.block.source.as_str()).collect();
    let input = serde_json::to_vec(&sources)?;
    let mut child = Command::new(&opts.python)
        .args(["-I", "-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {}", opts.python.display()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writer thread panicked"))??;
    if !out.status.success() {
        bail!(
            "compiling the norun blocks failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut failures = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let (i, message): (usize, String) = serde_json::from_str(line)?;
        failures.push((i, message));
    }
    Ok(failures)
}
