//! What is health data: identifier names, patient contexts, health formats, identifiers.

pub mod ids;
