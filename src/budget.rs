//! The per-file time budget. A scan installs a [`Deadline`] on the worker thread for the
//! duration of one file ([`Deadline::enter`]); the parser, the adapters' lowering loops and
//! the scan's phase boundaries poll it with [`expired`], which is cheap enough to call per
//! node: it reads the clock only every [`POLL_EVERY`] calls. Code past the deadline stops
//! doing work and the scan reports the file as skipped (`time-budget-exceeded`).

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Calls to [`expired`] between two reads of the clock.
const POLL_EVERY: u32 = 256;

/// A point in time after which a file's analysis must stop, or none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deadline {
    at: Option<Instant>,
    budget: Option<Duration>,
}

/// The error of a phase that ran past its [`Deadline`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the per-file time budget of {millis} ms was exceeded")]
pub struct Exceeded {
    pub millis: u64,
}

impl Deadline {
    /// No deadline: never expires.
    pub const NONE: Deadline = Deadline {
        at: None,
        budget: None,
    };

    /// `budget` from now; `None` means no deadline.
    pub fn after(budget: Option<Duration>) -> Deadline {
        match budget {
            Some(b) => Deadline {
                at: Instant::now().checked_add(b),
                budget: Some(b),
            },
            None => Deadline::NONE,
        }
    }

    /// Whether the deadline has passed (reads the clock every time).
    pub fn is_past(&self) -> bool {
        self.at.is_some_and(|at| Instant::now() >= at)
    }

    /// The budget in milliseconds (0 when there is none).
    pub fn budget_millis(&self) -> u64 {
        self.budget
            .map_or(0, |b| u64::try_from(b.as_millis()).unwrap_or(u64::MAX))
    }

    /// `Err` once the deadline has passed.
    pub fn check(&self) -> Result<(), Exceeded> {
        if self.is_past() {
            Err(Exceeded {
                millis: self.budget_millis(),
            })
        } else {
            Ok(())
        }
    }

    /// Make this the current thread's deadline until the guard is dropped (the previous one
    /// is restored then, so nested use on a work-stealing thread stays correct).
    pub fn enter(self) -> DeadlineGuard {
        let prev = CURRENT.with(|c| c.replace(self));
        TRIPPED.with(|t| t.set(false));
        DeadlineGuard { prev }
    }
}

/// Restores the previous deadline when dropped.
#[must_use = "the deadline is only current while the guard lives"]
pub struct DeadlineGuard {
    prev: Deadline,
}

impl Drop for DeadlineGuard {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.prev));
        TRIPPED.with(|t| t.set(false));
    }
}

thread_local! {
    static CURRENT: Cell<Deadline> = const { Cell::new(Deadline::NONE) };
    static TICKS: Cell<u32> = const { Cell::new(0) };
    /// Set once the current deadline was seen past, so later polls are free and sticky.
    static TRIPPED: Cell<bool> = const { Cell::new(false) };
}

/// The current thread's deadline.
pub fn current() -> Deadline {
    CURRENT.with(|c| c.get())
}

/// Whether the current thread's deadline has passed. Amortised: the clock is read every
/// [`POLL_EVERY`] calls; once past, it stays past until the deadline changes.
pub fn expired() -> bool {
    if TRIPPED.with(|t| t.get()) {
        return true;
    }
    let d = current();
    if d.at.is_none() {
        return false;
    }
    let n = TICKS.with(|t| {
        let n = t.get().wrapping_add(1);
        t.set(n);
        n
    });
    if !n.is_multiple_of(POLL_EVERY) {
        return false;
    }
    let past = d.is_past();
    if past {
        TRIPPED.with(|t| t.set(true));
    }
    past
}

/// Whether work on the current thread stopped because [`expired`] saw the deadline pass.
pub fn tripped() -> bool {
    TRIPPED.with(|t| t.get())
}

/// `Err` once the current thread's deadline has passed (reads the clock).
pub fn check() -> Result<(), Exceeded> {
    current().check()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_deadline_never_expires() {
        let _g = Deadline::NONE.enter();
        assert!((0..10_000).all(|_| !expired()));
        assert!(check().is_ok());
    }

    #[test]
    fn past_deadline_expires_and_restores() {
        {
            let _g = Deadline::after(Some(Duration::ZERO)).enter();
            assert!((0..=POLL_EVERY).any(|_| expired()));
            assert!(expired(), "sticky once seen");
            assert_eq!(check(), Err(Exceeded { millis: 0 }));
        }
        assert_eq!(current(), Deadline::NONE);
        assert!(!expired());
    }

    #[test]
    fn generous_deadline_holds() {
        let _g = Deadline::after(Some(Duration::from_secs(3600))).enter();
        assert!((0..10_000).all(|_| !expired()));
        assert_eq!(current().budget_millis(), 3_600_000);
    }
}
