//! A fully connected sigmoid network of any layer sizes (being written).
