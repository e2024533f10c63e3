//! Source decoding. Files are UTF-8, unless their language declares another encoding
//! ([`crate::lang::Language::decode_legacy`]: a Python file's PEP 263 Latin-1 comment). Any
//! other non-UTF-8 file is skipped.

use crate::lang::Lang;

/// The text of `bytes`, or `None` when it is neither UTF-8 nor in an encoding its language
/// declares.
pub fn decode(lang: Lang, bytes: Vec<u8>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            let bytes = e.into_bytes();
            lang.decode_legacy(&bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python() -> Lang {
        Lang::by_name("python").expect("registered")
    }

    fn rust() -> Lang {
        Lang::by_name("rust").expect("registered")
    }

    #[test]
    fn utf8_passes_through() {
        assert_eq!(
            decode(rust(), b"let x = 1;".to_vec()).as_deref(),
            Some("let x = 1;")
        );
    }

    #[test]
    fn declared_latin1_python_is_decoded() {
        let src = b"# -*- coding: latin-1 -*-\nnom = 'Fran\xe7ois'\n".to_vec();
        assert_eq!(
            decode(python(), src).as_deref(),
            Some("# -*- coding: latin-1 -*-\nnom = 'François'\n")
        );
        let second_line =
            b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx='\xe9'".to_vec();
        assert!(decode(python(), second_line).is_some());
    }

    #[test]
    fn undeclared_or_other_encodings_are_refused() {
        assert_eq!(decode(python(), b"x = '\xe9'\n".to_vec()), None);
        assert_eq!(
            decode(python(), b"# coding: cp1251\nx='\xe9'".to_vec()),
            None
        );
        assert_eq!(decode(rust(), b"// coding: latin-1\n'\xe9'".to_vec()), None);
        // Third line is too late (PEP 263).
        assert_eq!(
            decode(python(), b"\n\n# coding: latin-1\nx='\xe9'".to_vec()),
            None
        );
    }
}
