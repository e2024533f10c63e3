//! Python source encodings (PEP 263): a Latin-1 declaration on one of the first two lines
//! decodes the file from Latin-1, where every byte sequence is valid.

/// The text of `bytes` when one of its first two lines declares Latin-1.
pub(crate) fn decode_latin1(bytes: &[u8]) -> Option<String> {
    declares_latin1(bytes).then(|| bytes.iter().map(|&b| char::from(b)).collect())
}

/// Whether one of the first two lines is a PEP 263 declaration of a Latin-1 encoding.
fn declares_latin1(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .take(2)
        .filter_map(coding_name)
        .any(|name| {
            matches!(
                name.to_ascii_lowercase().replace('_', "-").as_str(),
                "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" | "iso-latin-1"
            )
        })
}

/// The encoding named by a `coding[:=]name` comment on `line`.
fn coding_name(line: &[u8]) -> Option<String> {
    let line = std::str::from_utf8(line).ok()?;
    let comment = line.trim_start().strip_prefix('#')?;
    let at = comment.find("coding")?;
    let rest = comment[at + "coding".len()..].strip_prefix([':', '='])?;
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then_some(name)
}
