//! annotate (to be written).
