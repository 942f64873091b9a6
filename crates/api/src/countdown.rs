//! The countdown's contract: the server's clock. The widget corrects the reader's clock with it
//! (round-trip corrected), so a banner counts to the right second even on a machine whose clock
//! is hours wrong.

use serde::{Deserialize, Serialize};

/// `GET`: the server's time ([`ServerTime`]), never cached (`Cache-Control: no-store`). It takes
/// no parameters; a query string is ignored.
pub const TIME_PATH: &str = "/api/v1/time";

/// The answer of [`TIME_PATH`].
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerTime {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub now: u64,
}
