//! `$…$` and `$$…$$` in Markdown → MathML, converted once at build time, so no output needs a
//! script to show a formula: EPUB 3 and Chromium (print, Anki desktop, AnkiDroid) render
//! MathML natively, AnkiMobile's WebKit too.
//!
//! The converter is [math-core](https://github.com/tmke8/math-core): it writes MathML Core
//! (the subset browsers implement), aims at KaTeX's coverage, reports errors with a position,
//! and is maintained. `pulldown-latex` writes MathML too but carries its own Markdown-like event
//! model; `latex2mathml` has not been updated in years and covers far less. math-core 0.8+
//! needs Rust 1.96, hence 0.7.
//!
//! Which dollars open math is pulldown-cmark's rule (its `ENABLE_MATH`): the opening `$` must
//! not be followed by a space and the closing one not preceded by one, so `costs $5 and $10`
//! stays text; `\$` is always a dollar sign.

use std::sync::LazyLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

/// One converter for the whole program (it holds only configuration).
static CONVERTER: LazyLock<LatexToMathML> = LazyLock::new(|| {
    let config = MathCoreConfig {
        // XHTML (EPUB) needs the namespace; HTML ignores it.
        xml_namespace: true,
        ..MathCoreConfig::default()
    };
    LatexToMathML::new(config).expect("no custom macros to parse")
});

/// A formula that did not convert: where in the TeX (a byte range) and why.
#[derive(Debug)]
pub struct MathError {
    pub at: usize,
    pub message: String,
}

/// The TeX `tex` as a `<math>` element (`display="block"` for display math).
pub fn to_mathml(tex: &str, display: bool) -> Result<String, MathError> {
    let mode = if display {
        MathDisplay::Block
    } else {
        MathDisplay::Inline
    };
    CONVERTER
        .convert_with_local_state(tex, mode)
        .map(|r| r.mathml)
        .map_err(|e| MathError {
            at: e.0.start.min(tex.len()),
            message: e.error_message(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml() {
        let inline = to_mathml(r"O(n \log n)", false).unwrap();
        assert!(inline.starts_with("<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"));
        assert!(inline.contains("<mi>n</mi>"), "{inline}");
        let block = to_mathml(r"\frac{a}{b}", true).unwrap();
        assert!(block.contains("display=\"block\""), "{block}");
        assert!(block.contains("<mfrac>"), "{block}");
    }

    #[test]
    fn a_formula_as_plain_text_keeps_its_tokens_apart() {
        let html = format!(
            "<p>Merge sort is {} here.</p>",
            to_mathml(r"O(n \log n)", false).unwrap()
        );
        assert_eq!(
            crate::markup::plain_text(&html),
            "Merge sort is O(n log n) here."
        );
        // Outside math, tags join what they split, as before.
        assert_eq!(crate::markup::plain_text("<b>sub</b>way"), "subway");
    }

    #[test]
    fn bad_tex_is_an_error_with_a_position() {
        let e = to_mathml(r"x + \frac{1}", false).unwrap_err();
        assert!(!e.message.is_empty());
        let e = to_mathml(r"a + \nosuchcommand", false).unwrap_err();
        assert!(e.message.contains("nosuchcommand"), "{}", e.message);
        assert_eq!(e.at, 4);
    }
}
