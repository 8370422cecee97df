//! yaml (to be written).
