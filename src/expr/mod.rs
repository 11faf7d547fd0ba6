//! Equations as text (being written).
