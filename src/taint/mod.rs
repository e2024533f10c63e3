//! The taint engine.
