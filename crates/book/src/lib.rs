//! # book: the chapter contract and the markdown reader
//!
//! - [`markdown`]: the one reader of the chapters' markdown (pulldown-cmark, math on,
//!   byte offsets kept), used by the claims check, the notebook generator and the
//!   workspace tests.

pub mod markdown;
