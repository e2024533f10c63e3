//! Embedded patterns (`patterns/*.toml`): lexicons, sinks, sanitisers, endpoints.
