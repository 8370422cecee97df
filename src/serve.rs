//! serve (to be written).
