//! theme (to be written).
