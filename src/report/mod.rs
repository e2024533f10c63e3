//! Reporters: text, JSON and SARIF renderings of a sorted [`crate::finding::Report`].
