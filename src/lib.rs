//! healthflow: finds health data flowing through code into AI models, third parties,
//! trackers, logs and unencrypted storage.
//!
//! Pipeline: [`walk`] → [`lang`] (adapters lower tree-sitter trees into [`model`]) →
//! [`classify`] (what is health data) → [`taint`] (source-to-sink flows, sinks from
//! [`patterns`]) → [`rules`] → [`finding::Report`] → [`report`] (text, JSON, SARIF).

pub mod audit;
pub mod baseline;
pub mod budget;
pub mod classify;
pub mod complete;
pub mod config;
pub mod decode;
pub mod finding;
pub mod fingerprint;
pub mod gitdiff;
pub mod lang;
pub mod model;
pub mod outfile;
pub mod patterns;
pub mod prefilter;
pub mod progress;
pub mod report;
pub mod rules;
pub mod scan;
pub mod suppress;
pub mod taint;
pub mod testcode;
pub mod walk;
pub mod workflow;
