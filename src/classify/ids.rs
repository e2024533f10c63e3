//! Health identifiers that validate: NIR (mod-97 key), NHS number (mod 11), US NPI (Luhn over
//! 80840), US MBI (format).
