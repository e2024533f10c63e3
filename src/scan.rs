//! Orchestration: walk → lower → analyse → sorted report.
