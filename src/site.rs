//! site (to be written).
