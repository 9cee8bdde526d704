//! A process-wide monotonic clock in nanoseconds, shared by the simulator and the
//! fake OpenAI server so a timestamp written into an audio frame by one can be
//! read by the other (relay latency benches).

use std::sync::OnceLock;
use std::time::Instant;

static EPOCH: OnceLock<Instant> = OnceLock::new();

/// Nanoseconds since the first call in this process.
pub fn now_ns() -> u64 {
    let epoch = EPOCH.get_or_init(Instant::now);
    u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Frames of the first second of a stream: benches leave them out of latency
/// statistics (they queue while the call is being set up, which is not relay
/// latency).
pub const WARMUP_FRAMES: u32 = 50;

/// A 160-byte (20 ms) mu-law frame carrying `seq` and the current time.
pub fn stamped_frame(seq: u32) -> Vec<u8> {
    let mut frame = vec![0u8; 160];
    frame[..4].copy_from_slice(&seq.to_le_bytes());
    frame[4..12].copy_from_slice(&now_ns().to_le_bytes());
    frame
}

/// `(seq, stamp_ns)` of a stamped frame.
pub fn read_stamp(frame: &[u8]) -> Option<(u32, u64)> {
    let seq = u32::from_le_bytes(frame.get(..4)?.try_into().ok()?);
    let ns = u64::from_le_bytes(frame.get(4..12)?.try_into().ok()?);
    Some((seq, ns))
}
