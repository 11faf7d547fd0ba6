//! The document's 3-3-3 network in its own notation (being written).
