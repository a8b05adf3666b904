//! The cover: an SVG drawn from the bank's title, subtitle and authors, so a bank needs no
//! cover image. SVG scales to any screen and stays sharp on e-ink.

use crate::markup::escape;
use crate::model::BankMeta;

const WIDTH: usize = 1200;
const HEIGHT: usize = 1600;
/// Room for text, left and right margins taken off.
const TEXT_WIDTH: f64 = 1000.0;

/// The cover image as a standalone SVG document.
pub fn svg(meta: &BankMeta) -> String {
    let mut body = String::new();
    // The title block: as large as fits, at most four lines.
    let (title_lines, title_size) = fit(&meta.title, 4, 120.0, 64.0);
    let mut y = 430.0;
    for line in &title_lines {
        body.push_str(&text_line(line, y, title_size, "bold", "#ffffff"));
        y += title_size * 1.15;
    }
    y += 30.0;
    body.push_str(&format!(
        "  <rect x=\"100\" y=\"{y:.0}\" width=\"240\" height=\"12\" fill=\"#e0b84c\"/>\n"
    ));
    y += 90.0;
    if let Some(subtitle) = &meta.subtitle {
        let (lines, size) = fit(subtitle, 3, 52.0, 36.0);
        for line in &lines {
            body.push_str(&text_line(line, y, size, "normal", "#dfe6f3"));
            y += size * 1.3;
        }
    }
    if !meta.authors.is_empty() {
        let (lines, size) = fit(&meta.authors.join(", "), 2, 44.0, 32.0);
        let mut y = 1420.0 - (lines.len() as f64 - 1.0) * size * 1.3;
        for line in &lines {
            body.push_str(&text_line(line, y, size, "normal", "#e0b84c"));
            y += size * 1.3;
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"cover-title\">\n\
  <title id=\"cover-title\">{title}</title>\n\
  <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#1f2a44\"/>\n\
  <rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"36\" fill=\"#e0b84c\"/>\n\
  <rect x=\"0\" y=\"{bottom}\" width=\"{WIDTH}\" height=\"36\" fill=\"#e0b84c\"/>\n\
{body}</svg>\n",
        title = escape(&meta.title),
        bottom = HEIGHT - 36,
    )
}

fn text_line(line: &str, y: f64, size: f64, weight: &str, fill: &str) -> String {
    format!(
        "  <text x=\"100\" y=\"{y:.0}\" font-family=\"Georgia, 'Times New Roman', serif\" \
font-size=\"{size:.0}\" font-weight=\"{weight}\" fill=\"{fill}\">{}</text>\n",
        escape(line)
    )
}

/// Wraps `text` into at most `max_lines` lines at the largest font size between `largest` and
/// `smallest` that fits the width; past that, the last line is cut with an ellipsis.
fn fit(text: &str, max_lines: usize, largest: f64, smallest: f64) -> (Vec<String>, f64) {
    // A serif glyph averages about 0.55 em; enough to keep text inside the cover.
    let chars_at = |size: f64| ((TEXT_WIDTH / (size * 0.55)).floor() as usize).max(8);
    let mut size = largest;
    loop {
        let lines = wrap(text, chars_at(size));
        if lines.len() <= max_lines || size <= smallest {
            let mut lines = lines;
            if lines.len() > max_lines {
                lines.truncate(max_lines);
                if let Some(last) = lines.last_mut() {
                    last.push('…');
                }
            }
            return (lines, size);
        }
        size -= 4.0;
    }
}

/// Greedy word wrap at `width` characters; a word longer than a line gets a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_on_words() {
        assert_eq!(
            wrap("Python, Django, REST API & MySQL Interview Questions", 16),
            vec![
                "Python, Django,",
                "REST API & MySQL",
                "Interview",
                "Questions"
            ]
        );
        assert_eq!(wrap("", 10), Vec::<String>::new());
    }

    #[test]
    fn long_titles_shrink_then_cut() {
        let (lines, size) = fit("word ", 4, 120.0, 64.0);
        assert_eq!((lines.len(), size), (1, 120.0));
        let long = "many words ".repeat(40);
        let (lines, size) = fit(&long, 4, 120.0, 64.0);
        assert_eq!(lines.len(), 4);
        assert!(size <= 64.0);
        assert!(lines[3].ends_with('…'));
    }
}
