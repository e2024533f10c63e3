//! Source decoding. Files are UTF-8; a Python file that declares a Latin-1 encoding in a
//! PEP 263 comment on its first two lines (`# -*- coding: latin-1 -*-`) is decoded from
//! Latin-1, since every byte sequence is valid there. Any other non-UTF-8 file is skipped.

use crate::lang::Lang;

/// The text of `bytes`, or `None` when it is neither UTF-8 nor declared Latin-1 Python.
pub fn decode(lang: Lang, bytes: Vec<u8>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            let bytes = e.into_bytes();
            (lang == Lang::Python && declares_latin1(&bytes))
                .then(|| bytes.iter().map(|&b| char::from(b)).collect())
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        assert_eq!(
            decode(Lang::Rust, b"let x = 1;".to_vec()).as_deref(),
            Some("let x = 1;")
        );
    }

    #[test]
    fn declared_latin1_python_is_decoded() {
        let src = b"# -*- coding: latin-1 -*-\nnom = 'Fran\xe7ois'\n".to_vec();
        assert_eq!(
            decode(Lang::Python, src).as_deref(),
            Some("# -*- coding: latin-1 -*-\nnom = 'François'\n")
        );
        let second_line =
            b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx='\xe9'".to_vec();
        assert!(decode(Lang::Python, second_line).is_some());
    }

    #[test]
    fn undeclared_or_other_encodings_are_refused() {
        assert_eq!(decode(Lang::Python, b"x = '\xe9'\n".to_vec()), None);
        assert_eq!(
            decode(Lang::Python, b"# coding: cp1251\nx='\xe9'".to_vec()),
            None
        );
        assert_eq!(
            decode(Lang::Rust, b"// coding: latin-1\n'\xe9'".to_vec()),
            None
        );
        // Third line is too late (PEP 263).
        assert_eq!(
            decode(Lang::Python, b"\n\n# coding: latin-1\nx='\xe9'".to_vec()),
            None
        );
    }
}
