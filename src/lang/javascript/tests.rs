//! Lowering tests for the JavaScript / TypeScript adapter.
