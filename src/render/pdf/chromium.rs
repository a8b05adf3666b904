//! Finding a headless Chromium (or Chrome) and printing one HTML file to PDF with it.
//!
//! Through its command line, not the DevTools protocol: `--print-to-pdf` with
//! `--generate-pdf-document-outline` (Chromium 120 and later) already gives bookmarks from the
//! headings and a tagged PDF, and the only bytes that differ between two printings are the
//! dates in the Info dictionary, which `file` rewrites. A DevTools client would add a
//! WebSocket, an async runtime and a browser-download feature to switch off, for nothing the
//! command line lacks.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use wait_timeout::ChildExt;

/// The names Chromium and Chrome install under, in the order they are looked for on `PATH`.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// What to install when none is found.
pub const INSTALL_HINT: &str = "install Chromium (Debian/Ubuntu: `apt-get install chromium`, \
     Fedora: `dnf install chromium`, macOS: `brew install --cask chromium`) or Google Chrome, \
     or pass --chromium PATH";

/// The browser to print with: `given` (`--chromium`), or the first of [`NAMES`] on `PATH`.
pub fn find(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = given {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        bail!(
            "pdf: no browser at --chromium {}; {INSTALL_HINT}",
            path.display()
        );
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    bail!(
        "pdf needs a headless Chromium or Chrome, and none of {} is on PATH; {INSTALL_HINT}",
        NAMES.join(", ")
    )
}

/// Prints `html` to `pdf` with `browser`, killed after `timeout`. A fresh profile in a
/// temporary folder; no network use (the documents fetch nothing, and the background
/// services that would are switched off); the browser's own header and footer off, so only
/// the document's `@page` margin boxes print.
pub fn print(browser: &Path, html: &Path, pdf: &Path, timeout: Duration) -> Result<()> {
    let profile = tempfile::tempdir().context("creating a temporary browser profile")?;
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-quic",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
    ]);
    // Chromium refuses to start its sandbox as root (containers, CI).
    if is_root() {
        cmd.arg("--no-sandbox");
    }
    cmd.arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(html)?)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .with_context(|| format!("starting {}", browser.display()))?;
    // Chromium chatters on stderr; read it on a thread so a full pipe never stalls it.
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = stderr {
            use std::io::Read as _;
            let _ = pipe.read_to_string(&mut text);
        }
        text
    });
    let status = match child.wait_timeout(timeout)? {
        Some(status) => status,
        None => {
            // Its helper processes end when the browser process does.
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "{} did not finish printing {} within {} s (raise --pdf-timeout)",
                browser.display(),
                html.display(),
                timeout.as_secs()
            );
        }
    };
    let stderr = reader.join().unwrap_or_default();
    if !status.success() || !pdf.is_file() {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        bail!(
            "{} failed to print {} ({status}){}",
            browser.display(),
            html.display(),
            tail.iter()
                .rev()
                .fold(String::new(), |acc, l| acc + "\n  " + l)
        );
    }
    Ok(())
}

/// A `file://` URL for an absolute path, with the characters a URL cannot hold escaped.
fn file_url(path: &Path) -> Result<String> {
    let path = std::path::absolute(path).context("resolving the HTML path")?;
    let text = path
        .to_str()
        .context("a temporary path that is not UTF-8")?;
    let mut url = String::from("file://");
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(url)
}

fn is_root() -> bool {
    #[cfg(target_os = "linux")]
    return rustix::process::geteuid().is_root();
    #[cfg(not(target_os = "linux"))]
    return false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_what_urls_cannot_hold() {
        assert_eq!(
            file_url(Path::new("/tmp/a b#c.html")).unwrap(),
            "file:///tmp/a%20b%23c.html"
        );
    }

    #[test]
    fn a_missing_browser_names_what_to_install() {
        let err = find(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(
            err.to_string().contains("apt-get install chromium"),
            "{err}"
        );
    }
}
