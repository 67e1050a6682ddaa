//! Writes the chapter's text as rustdoc reads it (every Rust block compile-only), for
//! `#![doc = book::chapter_doc!()]`: the claims test runs the blocks.

fn main() {
    booktext::chapter_doc();
}
