//! Images: which paths content may point at, and the names and `src` values they get in the
//! rendered HTML and inside each package, so every renderer finds and replaces them the same way.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use super::escape;

/// Resolves a media path relative to `root`, refusing anything that leaves it: absolute
/// paths, URLs, `..` escapes and symlinks pointing outside.
pub fn check_media_path(root: &Path, dest: &str) -> Result<PathBuf, String> {
    if dest.contains("://") || dest.starts_with("data:") {
        return Err(format!(
            "image `{dest}` is remote; outputs never load remote resources"
        ));
    }
    let path = Path::new(dest);
    let mut rel = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => rel.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !rel.pop() {
                    return Err(format!("image path `{dest}` leaves the bank folder"));
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("image path `{dest}` is absolute"));
            }
        }
    }
    if rel.as_os_str().is_empty() {
        return Err("image path is empty".into());
    }
    let full = root.join(&rel);
    let (Ok(real), Ok(real_root)) = (full.canonicalize(), root.canonicalize()) else {
        return Err(format!("image `{dest}` does not exist"));
    };
    if !real.starts_with(&real_root) {
        return Err(format!(
            "image `{dest}` is a link to a file outside the bank folder"
        ));
    }
    if !real.is_file() {
        return Err(format!("image `{dest}` is not a file"));
    }
    if image_type(dest).is_none() {
        return Err(format!(
            "image `{dest}` is not PNG, JPEG, GIF, SVG or WebP, the types every output (EPUB \
             readers included) can show; convert it"
        ));
    }
    Ok(rel)
}

/// The media type of an image, from its extension; `None` for a type qbank does not ship
/// (EPUB's core media types: PNG, JPEG, GIF, SVG, WebP).
pub fn image_type(path: &str) -> Option<&'static str> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => return None,
    })
}

/// The `src` an image gets in rendered HTML: its bank path percent-encoded except for
/// unreserved characters and `/`. The HTML writer leaves such a string as it is, so renderers
/// find it again with [`retarget_image`] whatever the file is called (spaces, `'`, `"`, é…).
pub fn image_src(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Points every image in `html` whose bank path is `rel` at `target` (the image's path inside
/// a package, or a data URI).
pub fn retarget_image<'h>(html: Cow<'h, str>, rel: &str, target: &str) -> Cow<'h, str> {
    let from = format!("src=\"{}\"", image_src(rel));
    if !html.contains(&from) {
        return html;
    }
    Cow::Owned(html.replace(&from, &format!("src=\"{}\"", escape(target))))
}

/// The name an image gets inside a package (EPUB, Anki media): a hash of its bank path, so
/// two files of the same name never collide, then its file name reduced to characters safe
/// in any reader or file system (`images/My Diagram.PNG` → `1a2b3c4d-my-diagram.png`).
pub fn media_file_name(rel: &str) -> String {
    use sha2::{Digest as _, Sha256};
    let digest = Sha256::digest(rel.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let name = Path::new(rel)
        .file_name()
        .map_or_else(|| "image".into(), |f| f.to_string_lossy().into_owned());
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{hash}-{safe}")
}

/// Decodes `%XX` escapes; text that does not decode to UTF-8 is kept as written.
pub(super) fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap() * 16 + hex(l).unwrap()) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_or(Cow::Borrowed(s), Cow::Owned)
}
