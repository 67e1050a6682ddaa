//! The chapters' markdown, read once with pulldown-cmark.
