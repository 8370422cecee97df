//! project (to be written).
