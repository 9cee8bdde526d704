//! The lazily connected event bus every service shares (see prosaas-events).

pub use prosaas_events::BusHandle;
