//! Health identifiers that validate: NIR (mod-97 key), NHS number (mod 11), US NPI (Luhn over
//! 80840), US MBI (format).
//!
//! The validators check one identifier written in one of its usual forms. [`classify_literal`]
//! adds the precision filters used by the `hardcoded-health-identifier` rule: a literal that
//! validates but looks like a placeholder, a round constant, a Unix timestamp or a US phone number
//! is not reported.

/// A kind of health identifier found in a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum IdKind {
    /// French social security number (NIR).
    Nir,
    /// UK NHS number.
    NhsNumber,
    /// US National Provider Identifier.
    Npi,
    /// US Medicare Beneficiary Identifier.
    Mbi,
}

impl IdKind {
    /// Human-readable name used in messages.
    pub fn label(self) -> &'static str {
        match self {
            IdKind::Nir => "French NIR (numéro de sécurité sociale)",
            IdKind::NhsNumber => "NHS number",
            IdKind::Npi => "US NPI",
            IdKind::Mbi => "US Medicare MBI",
        }
    }
}

/// True when every byte is the same digit (`0000000000`, `1111111111`): placeholders.
/// Every such 10-digit string passes the NHS mod-11 check, so they are rejected everywhere.
fn is_repeated_digit(digits: &[u8]) -> bool {
    match digits.first() {
        Some(&first) => digits.iter().all(|&b| b == first),
        None => false,
    }
}

/// French NIR: 15 characters once spaces are removed, `[12378]\d{4}(\d{2}|2A|2B)\d{8}`
/// (A/B in either case), key = 97 − (first 13 digits mod 97) with 2A→19 and 2B→18.
///
/// Month (characters 4–5): 01–12, or 20–42 and 50–99, which INSEE uses for people registered
/// from an incomplete civil record or with a provisional number. 00, 13–19 and 43–49 are rejected.
pub fn is_valid_nir(s: &str) -> bool {
    let chars: Vec<u8> = s.bytes().filter(|&b| b != b' ').collect();
    if chars.len() != 15 || !matches!(chars[0], b'1' | b'2' | b'3' | b'7' | b'8') {
        return false;
    }
    // Department: two digits, or 2A / 2B (Corsica), replaced by 19 / 18 for the key.
    let department = match (chars[5], chars[6].to_ascii_uppercase()) {
        (b'2', b'A') => [b'1', b'9'],
        (b'2', b'B') => [b'1', b'8'],
        (a, b) if a.is_ascii_digit() && b.is_ascii_digit() => [a, b],
        _ => return false,
    };
    let fixed = [&chars[..5], &department[..], &chars[7..]].concat();
    if !fixed.iter().all(u8::is_ascii_digit) || is_repeated_digit(&chars) {
        return false;
    }
    let month = u64::from(fixed[3] - b'0') * 10 + u64::from(fixed[4] - b'0');
    if !matches!(month, 1..=12 | 20..=42 | 50..=99) {
        return false;
    }
    let body = fixed[..13]
        .iter()
        .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
    let key = u64::from(fixed[13] - b'0') * 10 + u64::from(fixed[14] - b'0');
    // 97 − (n mod 97) is always in 1..=97, so equality also enforces the 01–97 range.
    key == 97 - body % 97
}

/// The 10 digits of an NHS number written plain, or grouped 3-3-4 with single spaces or single
/// dashes (`943 476 5870`, `943-476-5870`). The separator must be the same in both places.
fn nhs_digits(s: &str) -> Option<[u8; 10]> {
    let b = s.as_bytes();
    let digits: Vec<u8> = match b.len() {
        10 => b.to_vec(),
        12 if b[3] == b[7] && matches!(b[3], b' ' | b'-') => [&b[..3], &b[4..7], &b[8..]].concat(),
        _ => return None,
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    digits.try_into().ok()
}

/// UK NHS number: 10 digits; weights 10..2 on digits 1–9, check = 11 − (sum mod 11), 11 → 0,
/// 10 → invalid. Repeated single digits (`0000000000`) validate mathematically but are
/// placeholders and are rejected.
pub fn is_valid_nhs_number(s: &str) -> bool {
    let Some(d) = nhs_digits(s) else {
        return false;
    };
    if is_repeated_digit(&d) {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&c, w)| u32::from(c - b'0') * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    u32::from(d[9] - b'0') == check
}

/// US NPI: exactly 10 digits, first 1 or 2, Luhn over `80840` followed by the 10 digits.
/// Repeated single digits are rejected as placeholders.
pub fn is_valid_npi(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10
        || !matches!(b[0], b'1' | b'2')
        || !b.iter().all(u8::is_ascii_digit)
        || is_repeated_digit(b)
    {
        return false;
    }
    let sum: u32 = b"80840"
        .iter()
        .chain(b.iter())
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let d = u32::from(c - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// MBI position classes: `C` = 1–9, `N` = 0–9, `A` = letter, `X` = letter or digit.
const MBI_SHAPE: &[u8; 11] = b"CAXNAXNAANN";

/// MBI letters: upper-case A–Z except S, L, O, I, B, Z.
fn is_mbi_letter(b: u8) -> bool {
    b.is_ascii_uppercase() && !matches!(b, b'S' | b'L' | b'O' | b'I' | b'B' | b'Z')
}

/// US Medicare MBI: 11 characters `C A AN N A AN N A A N N` (format only, no check digit).
/// Written plain (`1EG4TE5MK73`) or with dashes after the 4th and 7th characters
/// (`1EG4-TE5-MK73`). Letters must be upper case, as CMS issues them.
pub fn is_valid_mbi(s: &str) -> bool {
    let b = s.as_bytes();
    let chars: Vec<u8> = match b.len() {
        11 => b.to_vec(),
        13 if b[4] == b'-' && b[8] == b'-' => [&b[..4], &b[5..8], &b[9..]].concat(),
        _ => return false,
    };
    chars.len() == 11
        && chars.iter().zip(MBI_SHAPE).all(|(&c, &class)| match class {
            b'C' => matches!(c, b'1'..=b'9'),
            b'N' => c.is_ascii_digit(),
            b'A' => is_mbi_letter(c),
            _ => c.is_ascii_digit() || is_mbi_letter(c),
        })
}

/// Unix time of 2000-01-01 and 2100-01-01, bounds of plausible timestamps in code.
const TIMESTAMP_RANGE: std::ops::Range<u64> = 946_684_800..4_102_444_800;

/// Filters for 10-digit candidates (NHS or NPI) that validate by chance but are something else.
fn looks_like_non_id(text: &str, d: &[u8; 10]) -> bool {
    let value = d
        .iter()
        .fold(0u64, |acc, &c| acc * 10 + u64::from(c - b'0'));
    // Round constants and limits (`1000000000`, `2000000000`).
    let round = d.ends_with(b"0000");
    // Whole-hour Unix timestamps (`1735689600` is 2025-01-01T00:00:00Z and passes the NPI Luhn).
    let timestamp = TIMESTAMP_RANGE.contains(&value) && value % 3600 == 0;
    // North American phone numbers: `NXX NXX XXXX`.
    let nanp = matches!(d[0], b'2'..=b'9') && matches!(d[3], b'2'..=b'9');
    // Fictional 555 exchange (`212-555-0147`), in any form.
    let fictional_phone = nanp && &d[3..6] == b"555";
    // `943-476-5870` is how US phones are written; the NHS's own grouping uses spaces.
    let dashed_phone = nanp && text.contains('-');
    // Digit runs (`0123456789`, `9876543210`) are alphabets and test data, not identifiers.
    let run = d.windows(2).all(|w| w[1] == w[0] + 1) || d.windows(2).all(|w| w[0] == w[1] + 1);
    round || timestamp || fictional_phone || dashed_phone || run
}

/// Classify a whole literal's text (string content or integer digits). Returns the identifier
/// kind when the ENTIRE literal (trimmed) is one identifier that validates. Checks run in the
/// order NIR, NHS, NPI, MBI.
///
/// Decisions for precision:
/// - Anything but the identifier's own characters and separators is rejected, so phone numbers
///   with a leading `+`, or text around the identifier, never match.
/// - A 10-digit value valid both as NHS number and NPI is reported as NHS number (check order).
///   Which label wins does not change whether the rule fires; the filters below do.
/// - The API does not say whether the text came from a string or an integer, so the filters
///   apply to both. 10-digit values that end in `0000`, whole-hour Unix timestamps (2000–2100),
///   North American phone numbers in the fictional 555 exchange, and dash-grouped North American
///   phone shapes (`212-555-…`, `943-476-5870`) are not reported. Each filter loses a tiny share
///   of real identifiers (at most about 1 in 1,000 plain ones) and removes a common false positive.
/// - Repeated single digits are placeholders (rejected by the validators).
pub fn classify_literal(text: &str) -> Option<IdKind> {
    let t = text.trim();
    if is_valid_nir(t) {
        return Some(IdKind::Nir);
    }
    if let Some(d) = nhs_digits(t) {
        if looks_like_non_id(t, &d) {
            return None;
        }
        if is_valid_nhs_number(t) {
            return Some(IdKind::NhsNumber);
        }
        if is_valid_npi(t) {
            return Some(IdKind::Npi);
        }
        return None;
    }
    if is_valid_mbi(t) {
        return Some(IdKind::Mbi);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NIR key from the formula, for building test values.
    fn nir_key(first13: &str) -> String {
        let n: u64 = first13
            .to_ascii_uppercase()
            .replace("2A", "19")
            .replace("2B", "18")
            .parse()
            .unwrap();
        format!("{:02}", 97 - n % 97)
    }

    /// Every variant of `s` with exactly one digit changed.
    fn one_digit_changes(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, c) in s.char_indices() {
            if let Some(d) = c.to_digit(10) {
                for r in 1..10 {
                    let mut v = s.to_string();
                    let nd = char::from_digit((d + r) % 10, 10).unwrap();
                    v.replace_range(i..i + 1, &nd.to_string());
                    out.push(v);
                }
            }
        }
        out
    }

    #[test]
    fn digit_runs_are_not_identifiers() {
        assert_eq!(classify_literal("0123456789"), None);
        assert_eq!(classify_literal("9876543210"), None);
    }

    #[test]
    fn labels() {
        assert_eq!(
            IdKind::Nir.label(),
            "French NIR (numéro de sécurité sociale)"
        );
        assert_eq!(IdKind::NhsNumber.label(), "NHS number");
        assert_eq!(IdKind::Npi.label(), "US NPI");
        assert_eq!(IdKind::Mbi.label(), "US Medicare MBI");
    }

    #[test]
    fn nir_valid_samples() {
        assert!(is_valid_nir("295109912611193"));
        assert!(is_valid_nir("2 95 10 99 126 111 93"));
        assert_eq!(classify_literal("295109912611193"), Some(IdKind::Nir));
        assert_eq!(
            classify_literal("  2 95 10 99 126 111 93 "),
            Some(IdKind::Nir)
        );
    }

    #[test]
    fn nir_one_digit_changed_is_invalid() {
        for v in one_digit_changes("295109912611193") {
            assert!(!is_valid_nir(&v), "{v}");
        }
    }

    #[test]
    fn nir_corsica() {
        // Hand computation: 1850519123456 mod 97 = 64, key 33.
        assert_eq!(nir_key("185052A123456"), "33");
        assert!(is_valid_nir("185052A12345633"));
        assert!(is_valid_nir("1 85 05 2A 123 456 33"));
        assert!(is_valid_nir("185052a12345633"));
        assert!(!is_valid_nir("185052A12345634"));
        // Same digits with 2B use 18, so the 2A key does not fit.
        assert!(!is_valid_nir("185052B12345633"));
        let b = format!("285082B123456{}", nir_key("285082B123456"));
        assert_eq!(b, "285082B12345658");
        assert!(is_valid_nir(&b));
        assert_eq!(classify_literal(&b), Some(IdKind::Nir));
        // Letters elsewhere, or other letters, are not a department.
        assert!(!is_valid_nir("185052C12345633"));
        assert!(!is_valid_nir("18505A212345633"));
    }

    #[test]
    fn nir_months_and_first_digit() {
        for (month, ok) in [
            ("00", false),
            ("01", true),
            ("12", true),
            ("13", false),
            ("19", false),
            ("20", true),
            ("42", true),
            ("43", false),
            ("49", false),
            ("50", true),
            ("99", true),
        ] {
            let first = format!("195{month}75123456");
            let nir = format!("{first}{}", nir_key(&first));
            assert_eq!(is_valid_nir(&nir), ok, "{nir}");
        }
        for (sex, ok) in [
            ('1', true),
            ('3', true),
            ('4', false),
            ('7', true),
            ('9', false),
        ] {
            let first = format!("{sex}950375123456");
            let nir = format!("{first}{}", nir_key(&first));
            assert_eq!(is_valid_nir(&nir), ok, "{nir}");
        }
    }

    #[test]
    fn nir_wrong_shapes() {
        assert!(!is_valid_nir(""));
        assert!(!is_valid_nir("29510991261119"));
        assert!(!is_valid_nir("2951099126111930"));
        assert!(!is_valid_nir("2-95-10-99-126-111-93"));
        assert!(!is_valid_nir("+295109912611193"));
        assert_eq!(classify_literal("NIR 295109912611193"), None);
        assert_eq!(classify_literal("295109912611193x"), None);
        assert!(!is_valid_nir("29510991261119é"));
    }

    #[test]
    fn nhs_valid_samples_and_grouping() {
        assert!(is_valid_nhs_number("9434765870"));
        assert!(is_valid_nhs_number("943 476 5870"));
        assert!(is_valid_nhs_number("943-476-5870"));
        assert_eq!(classify_literal("9434765870"), Some(IdKind::NhsNumber));
        assert_eq!(classify_literal("943 476 5870"), Some(IdKind::NhsNumber));
        assert!(!is_valid_nhs_number("943 476-5870"));
        assert!(!is_valid_nhs_number("9434 765 870"));
        assert!(!is_valid_nhs_number("943  476 5870"));
        assert!(!is_valid_nhs_number("943476587"));
        assert!(!is_valid_nhs_number("94347658701"));
        assert!(!is_valid_nhs_number("+449434765870"));
        assert_eq!(classify_literal("+44 943 476 5870"), None);
    }

    #[test]
    fn nhs_one_digit_changed_is_invalid() {
        for v in one_digit_changes("9434765870") {
            assert!(!is_valid_nhs_number(&v), "{v}");
        }
    }

    #[test]
    fn nhs_check_10_and_placeholders() {
        // 123456789x: sum 210, 210 mod 11 = 1, check 10: no valid NHS number has these 9 digits.
        for last in 0..10 {
            assert!(!is_valid_nhs_number(&format!("123456789{last}")));
        }
        for d in 0..10 {
            let s = d.to_string().repeat(10);
            assert!(!is_valid_nhs_number(&s), "{s}");
            assert_eq!(classify_literal(&s), None);
        }
    }

    #[test]
    fn npi_valid_samples() {
        assert!(is_valid_npi("1234567893"));
        assert_eq!(classify_literal("1234567893"), Some(IdKind::Npi));
        for v in one_digit_changes("1234567893") {
            assert!(!is_valid_npi(&v), "{v}");
        }
        assert!(!is_valid_npi("123 456 7893"));
        assert!(!is_valid_npi("123456789"));
        assert!(!is_valid_npi("12345678930"));
        assert!(!is_valid_npi("1111111111"));
    }

    #[test]
    fn npi_must_start_with_1_or_2() {
        // 3234567893 fails the prefix whatever its check digit.
        for last in 0..10 {
            assert!(!is_valid_npi(&format!("323456789{last}")));
        }
    }

    #[test]
    fn timestamps_and_look_alikes() {
        // Fail both checks.
        assert_eq!(classify_literal("1700000000"), None);
        assert_eq!(classify_literal("1699999999"), None);
        assert_eq!(classify_literal("2147483647"), None);
        // 2025-01-01T00:00:00Z passes the NPI Luhn but is a whole-hour timestamp.
        assert!(is_valid_npi("1735689600"));
        assert_eq!(classify_literal("1735689600"), None);
        // Round value passing a check.
        assert!(is_valid_npi("1000200000"));
        assert_eq!(classify_literal("1000200000"), None);
        // US phone numbers that validate by chance.
        assert!(is_valid_npi("2125550147"));
        assert_eq!(classify_literal("2125550147"), None);
        assert_eq!(classify_literal("212-555-0147"), None);
        assert_eq!(classify_literal("(212) 555-0147"), None);
        // A valid NHS number written like a US phone.
        assert_eq!(classify_literal("943-476-5870"), None);
        // Not digits only.
        assert_eq!(classify_literal("1234567893.0"), None);
        assert_eq!(classify_literal("1_234_567_893"), None);
        assert_eq!(classify_literal("0x1234567893"), None);
    }

    #[test]
    fn nhs_and_npi_overlap_reports_nhs() {
        let both: Vec<String> = (1_000_000_000u64..1_000_200_000)
            .filter(|n| n % 3600 != 0 && n % 10_000 != 0)
            .map(|n| n.to_string())
            .filter(|s| is_valid_nhs_number(s) && is_valid_npi(s))
            .take(1)
            .collect();
        assert_eq!(both.len(), 1);
        assert_eq!(classify_literal(&both[0]), Some(IdKind::NhsNumber));
    }

    #[test]
    fn mbi_samples() {
        assert!(is_valid_mbi("1EG4TE5MK73"));
        assert!(is_valid_mbi("1EG4-TE5-MK73"));
        assert_eq!(classify_literal("1EG4-TE5-MK73"), Some(IdKind::Mbi));
        assert_eq!(classify_literal(" 1EG4TE5MK73 "), Some(IdKind::Mbi));
        assert!(!is_valid_mbi("1eg4te5mk73"));
        assert!(!is_valid_mbi("1EG4-TE5MK73"));
        assert!(!is_valid_mbi("1EG-4TE-5MK73"));
        assert!(!is_valid_mbi("1EG4 TE5 MK73"));
        assert!(!is_valid_mbi("1EG4TE5MK7"));
        assert!(!is_valid_mbi("1EG4TE5MK733"));
        assert!(!is_valid_mbi("0EG4TE5MK73"));
        assert!(!is_valid_mbi("12G4TE5MK73"));
        assert!(!is_valid_mbi("1EGATE5MK73"));
        assert_eq!(classify_literal("MBI 1EG4TE5MK73"), None);
    }

    #[test]
    fn mbi_forbidden_letters() {
        for bad in ['S', 'L', 'O', 'I', 'B', 'Z'] {
            let at2 = format!("1{bad}G4TE5MK73");
            let at9 = format!("1EG4TE5M{bad}73");
            assert!(!is_valid_mbi(&at2), "{at2}");
            assert!(!is_valid_mbi(&at9), "{at9}");
        }
    }

    #[test]
    fn no_panics_on_generated_input() {
        // Numbers across all relevant lengths, plus noisy variants.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let alphabet: Vec<char> = "0123456789 -+AB2aZé\u{0}x".chars().collect();
        for i in 0..20_000u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let n = seed % 10u64.pow(1 + (i % 16) as u32);
            let s = n.to_string();
            let _ = classify_literal(&s);
            let len = (seed >> 40) as usize % 18;
            let noisy: String = (0..len)
                .map(|k| alphabet[((seed >> (k % 50)) as usize + k * 7) % alphabet.len()])
                .collect();
            for t in [&s, &noisy] {
                let _ = is_valid_nir(t);
                let _ = is_valid_nhs_number(t);
                let _ = is_valid_npi(t);
                let _ = is_valid_mbi(t);
                let _ = classify_literal(t);
            }
        }
        for s in [
            "",
            " ",
            "-",
            "é",
            "2A",
            "2 95 10 99 126 111 9é",
            "éééééééééé",
        ] {
            assert_eq!(classify_literal(s), None);
        }
    }
}
